/**
 * Syslog over UDP: one datagram, one message. UDP has no back-pressure, so when the
 * intake is full or the bus refuses events the datagram is dropped and counted, under the
 * reason intake_full or bus_unavailable; drops by the kernel (receive buffer overflow) are
 * read from /proc/net/udp and counted too (kernel_buffer_full).
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import { isIP } from 'node:net';
import type { Logger } from '../../core/log';
import type { Counters } from '../counters';
import { looksBinary } from '../framing';
import type { Intake, IntakeItem } from '../intake';
import { plainAddress, type SourceMap } from '../tenancy';
import { defineListener, type RunningListener } from './spec';
import { syslogUdpSchema } from './syslog-udp.schema';

export interface SyslogUdpConfig {
  host: string;
  port: number;
  tenant?: string;
  maxMessageBytes: number;
  receiveBufferBytes?: number;
}

/** Kernel drops for the socket bound to this local port (the last column of /proc/net/udp{,6}). */
export function kernelUdpDrops(port: number): number | null {
  let total: number | null = null;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 13) continue;
      if (cols[1].endsWith(':' + hexPort)) total = (total ?? 0) + Number(cols[cols.length - 1]);
    }
  }
  return total;
}

export async function createSyslogUdpListener(config: SyslogUdpConfig, deps: { intake: Intake; sources: SourceMap; counters: Counters; logger: Logger }): Promise<RunningListener> {
  const { intake, sources, counters, logger } = deps;
  const name = 'syslog-udp';
  const socket = dgram.createSocket({ type: isIP(config.host) === 6 ? 'udp6' : 'udp4', recvBufferSize: config.receiveBufferBytes ?? 8 * 1024 * 1024 });
  let pending: { msg: Buffer; peer: string | undefined }[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    const byTenant = batch.map(({ msg, peer }) => ({ msg, peer, source: sources.resolve(peer, config.tenant) }));
    const items: IntakeItem[] = [];
    for (const { msg, peer, source } of byTenant) {
      let data = msg;
      while (data.length && (data[data.length - 1] === 10 || data[data.length - 1] === 13 || data[data.length - 1] === 0)) data = data.subarray(0, data.length - 1);
      if (data.length === 0) continue;
      if (data.length > config.maxMessageBytes) {
        void intake.deadLetter(name, source.tenant, peer, `datagram of ${data.length} bytes exceeds collector.max_message_bytes (${config.maxMessageBytes}); the first ${config.maxMessageBytes} bytes are kept`, data.subarray(0, config.maxMessageBytes), data.length).catch(lost(source.tenant, 1));
        continue;
      }
      if (looksBinary(data)) {
        void intake.deadLetter(name, source.tenant, peer, 'binary data (NUL or control bytes) is not a syslog message', data).catch(lost(source.tenant, 1));
        continue;
      }
      items.push({ raw: data, tenant: source.tenant, sourceIp: peer, format: source.format, dataset: source.dataset, timezone: source.timezone });
    }
    intake.submit(name, items).catch((err: Error) => {
      const byTenantCount = new Map<string, number>();
      for (const it of items) byTenantCount.set(it.tenant, (byTenantCount.get(it.tenant) ?? 0) + 1);
      for (const [tenant, n] of byTenantCount) lost(tenant, n)(err);
    });
  };

  // the bus refused: counted per agency as dropped (bus_unavailable); logged once per outage by the intake
  const lost = (tenant: string, n: number) => (err: Error) => {
    counters.reject(name, tenant, 'dropped', 'bus_unavailable', n);
    logger.debug({ listener: name, err: err.message, dropped: n }, 'syslog-udp: the bus refused datagrams; counted as dropped');
  };

  // while the bus refuses events one datagram a second still goes to it: the first that is taken ends the outage
  let lastProbe = 0;
  const probe = () => {
    if (!intake.unavailable || Date.now() - lastProbe < 1000) return false;
    lastProbe = Date.now();
    return true;
  };

  socket.on('message', (msg, rinfo) => {
    const peer = plainAddress(rinfo.address);
    if (intake.busy && !probe()) {
      counters.reject(name, sources.resolve(peer, config.tenant).tenant, 'dropped', intake.unavailable ? 'bus_unavailable' : 'intake_full');
      return;
    }
    pending.push({ msg, peer });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
  socket.on('error', (err) => logger.error({ listener: name, err: err.message }, 'syslog-udp: socket error'));

  await new Promise<void>((resolve, reject) => {
    socket.once('error', (err) => reject(new Error(`syslog-udp: cannot listen on ${config.host}:${config.port}: ${err.message}`)));
    socket.bind(config.port, config.host, () => resolve());
  });
  const port = socket.address().port;
  const baseline = kernelUdpDrops(port) ?? 0;
  let reported = 0;
  const dropTimer = setInterval(() => {
    const now = kernelUdpDrops(port);
    if (now === null) return;
    const delta = now - baseline - reported;
    if (delta > 0) {
      counters.reject(name, null, 'dropped', 'kernel_buffer_full', delta);
      reported += delta;
      logger.warn({ listener: name, dropped: delta }, 'syslog-udp: the kernel dropped datagrams (receive buffer full)');
    }
  }, 2000);
  dropTimer.unref();

  return {
    name,
    address: { host: config.host, port, protocol: 'udp' },
    async close() {
      clearInterval(dropTimer);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

export const syslogUdpListener = defineListener({
  name: 'syslog-udp',
  key: 'collector.syslog.udp',
  schema: syslogUdpSchema,
  enabled: (c) => c.enabled,
  ports: (c) => [{ host: c.host, port: c.port, protocol: 'udp' }],
  build: (c, ctx) => createSyslogUdpListener({ host: c.host ?? ctx.bind, port: c.port, tenant: c.tenant, maxMessageBytes: ctx.maxMessageBytes }, ctx),
});
