/**
 * Syslog over TLS (RFC 5425; octet counting, LF framing accepted too). The server
 * certificate comes from config; client certificates are optional or required, and a
 * client certificate's CN (or OU) can name the agency, which then overrides the
 * source-address map — the way a device proves which agency it belongs to. Connections are
 * capped as on plain TCP (counted before the handshake), and a handshake not finished within
 * collector.connections.handshake_timeout_seconds is closed and counted.
 */
import type net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../../core/log';
import type { Intake } from '../intake';
import type { SourceMap } from '../tenancy';
import { ConnectionGate, DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connections';
import { serveSyslogStream, type RunningListener } from './syslog-tcp';
import { agencyOfClient, rawSocketOf, serverTlsOptions, type ServerTlsConfig } from './tls';

export interface SyslogTlsConfig extends ServerTlsConfig {
  host: string;
  port: number;
  tenant?: string;
  maxMessageBytes: number;
  idleTimeoutSeconds: number;
  connections?: ConnectionLimits;
}

export async function createSyslogTlsListener(config: SyslogTlsConfig, deps: { intake: Intake; sources: SourceMap; logger: Logger }): Promise<RunningListener> {
  const name = 'syslog-tls';
  const options = serverTlsOptions('collector.syslog.tls', config);
  const sockets = new Set<net.Socket>();
  const limits = config.connections ?? DEFAULT_CONNECTION_LIMITS;
  const gate = new ConnectionGate(name, limits, deps.intake.counters, deps.logger);
  const server = tls.createServer({ ...options, handshakeTimeout: limits.handshakeTimeoutSeconds * 1000 });
  // before the TLS layer: a connection still in its handshake holds a slot too
  const raws = new Set<net.Socket>(); // every TCP connection, handshake finished or not, so close() can end them all
  server.prependListener('connection', (raw: net.Socket) => {
    if (!gate.admit(raw)) return;
    raws.add(raw);
    raw.once('close', () => raws.delete(raw));
  });
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const tenant = agencyOfClient(socket, config.agencies, deps.logger, name);
    serveSyslogStream(socket, { name, tenant: config.tenant, maxMessageBytes: config.maxMessageBytes, idleTimeoutSeconds: config.idleTimeoutSeconds }, deps, tenant);
  });
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket) => {
    // with this listener present node leaves the socket open: close it, or a stalled handshake holds its slot forever
    socket.destroy();
    if (gate.refused(rawSocketOf(socket))) return;
    const reason = err.code === 'ERR_TLS_HANDSHAKE_TIMEOUT' ? 'handshake_timeout' : 'handshake_failed';
    deps.intake.counters.reject(name, null, 'refused', reason);
    deps.logger.info({ listener: name, peer: socket.remoteAddress, reason, err: err.message }, 'syslog-tls: a TLS handshake failed; connection closed');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`syslog-tls: cannot listen on ${config.host}:${config.port}: ${err.message}`)));
    server.listen(config.port, config.host, () => resolve());
  });
  const addr = server.address() as net.AddressInfo;
  return {
    name,
    address: { host: config.host, port: addr.port, protocol: 'tls' },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.end();
        setTimeout(() => [...sockets, ...raws].forEach((s) => s.destroy()), 2000).unref();
      });
    },
  };
}
