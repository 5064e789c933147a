/**
 * Syslog over TCP (RFC 6587: octet counting or LF framing, per frame). Reading pauses
 * while the intake is busy or the bus refuses events (back-pressure reaches the sender
 * through TCP; what was read is retried until the bus takes it), idle and half-open
 * connections are closed after a timeout (the stream server's), connections are capped per
 * address and in all (with a reserve for new senders), and a bad frame never affects others.
 */
import type net from 'node:net';
import type { Logger } from '../../core/log';
import type { ConnectionLimits } from './connections';
import { looksBinary, SyslogFramer } from '../framing';
import type { Intake, IntakeItem } from '../intake';
import { plainAddress, type SourceMap } from '../tenancy';
import { resumeQueueOf } from './back-pressure';
import { defineListener, type RunningListener } from './spec';
import { syslogTcpSchema } from './syslog-tcp.schema';
import { startStreamServer, type ServedConnection } from './stream-server';

export type { RunningListener } from './spec';

export interface SyslogTcpConfig {
  host: string;
  port: number;
  tenant?: string;
  maxMessageBytes: number;
  idleTimeoutSeconds: number;
  connections?: ConnectionLimits;
}

export async function createSyslogTcpListener(config: SyslogTcpConfig, deps: { intake: Intake; sources: SourceMap; logger: Logger }): Promise<RunningListener> {
  const name = 'syslog-tcp';
  const stream = { name, tenant: config.tenant, maxMessageBytes: config.maxMessageBytes };
  const server = await startStreamServer(
    { name, host: config.host, port: config.port, connections: config.connections, idleTimeoutSeconds: config.idleTimeoutSeconds },
    { counters: deps.intake.counters, logger: deps.logger },
    (socket) => serveSyslogStream(socket, stream, deps),
  );
  return { name, address: { host: config.host, port: server.port, protocol: 'tcp' }, close: () => server.close() };
}

/**
 * One syslog stream (plain TCP or TLS): framing per frame, bad frames dead-lettered, reading
 * paused while the intake is full. `tenantOf` (from a client certificate) takes precedence
 * over the source-address map.
 */
export function serveSyslogStream(
  socket: net.Socket,
  config: { name: string; tenant?: string; maxMessageBytes: number },
  deps: { intake: Intake; sources: SourceMap; logger: Logger },
  tenantOf?: string,
): ServedConnection {
  const { intake, sources, logger } = deps;
  const name = config.name;
  const peer = plainAddress(socket.remoteAddress);
  const source = tenantOf ? { ...sources.resolve(peer, config.tenant), tenant: tenantOf } : sources.resolve(peer, config.tenant);
  const framer = new SyslogFramer(config.maxMessageBytes);
  socket.setKeepAlive(true, 30000);
  const durable = { untilDurable: true };

  const handle = (frames: ReturnType<SyslogFramer['push']>) => {
    if (!frames.length) return;
    const items: IntakeItem[] = [];
    const rejected: Promise<void>[] = [];
    for (const f of frames) {
      if (f.oversized) {
        rejected.push(intake.deadLetter(name, source.tenant, peer, `message of ${f.size} bytes exceeds collector.max_message_bytes (${config.maxMessageBytes}); the first ${f.data.length} bytes are kept`, f.data, f.size, durable));
      } else if (looksBinary(f.data)) {
        rejected.push(intake.deadLetter(name, source.tenant, peer, 'binary data (NUL or control bytes) is not a syslog message', f.data, undefined, durable));
      } else items.push({ raw: f.data, tenant: source.tenant, sourceIp: peer, format: source.format, dataset: source.dataset, timezone: source.timezone });
    }
    // submit() appends to the bus synchronously, so order per connection holds without waiting
    // for the previous chunk's fsync; reading pauses while the intake is full or the bus refuses
    // (then the batch is retried until the bus takes it, or the collector stops)
    Promise.all([intake.submit(name, items, durable), ...rejected]).catch((err: Error) => {
      logger.error({ listener: name, peer, err: err.message }, `${name}: could not hand messages to the bus before stopping; closing the connection`);
      socket.destroy();
    });
    if (intake.busy && !waiting) {
      socket.pause();
      waiting = resumeQueueOf(intake).wait(() => {
        waiting = null;
        socket.resume();
      });
    }
  };
  let waiting: (() => void) | null = null; // set while paused for the intake: takes the connection out of the queue

  socket.on('data', (chunk: Buffer) => handle(framer.push(chunk)));
  socket.on('end', () => {
    handle(framer.end());
    socket.end();
  });
  socket.on('close', () => {
    waiting?.();
    handle(framer.end());
  });
  socket.on('error', (err) => logger.debug({ listener: name, peer, err: err.message }, 'syslog-tcp: connection error'));
  // paused by back-pressure: the silence is ours, and closing would lose what the kernel holds
  return { tenant: source.tenant, listenerWaits: () => socket.isPaused(), buffered: () => framer.buffered };
}

export const syslogTcpListener = defineListener({
  name: 'syslog-tcp',
  key: 'collector.syslog.tcp',
  schema: syslogTcpSchema,
  enabled: (c) => c.enabled,
  ports: (c) => [{ host: c.host, port: c.port, protocol: 'tcp' }],
  build: (c, ctx) =>
    createSyslogTcpListener({ host: c.host ?? ctx.bind, port: c.port, tenant: c.tenant, maxMessageBytes: ctx.maxMessageBytes, idleTimeoutSeconds: c.idle_timeout_seconds, connections: ctx.connections }, ctx),
});
