/**
 * What every stream listener (syslog TCP, syslog TLS, Beats) shares, kept in one place:
 * accepting connections through the connection gate (counted before a TLS handshake, so a
 * stalled handshake holds a slot and is closed after handshake_timeout_seconds), TLS with
 * an agency named by the client certificate, listening with an error that names the
 * listener and address, and shutdown that ends every connection (handshake finished or
 * not) and destroys what is still open after a grace period. What a connection carries
 * (syslog frames, Lumberjack) is the caller's `serve`.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../../core/log';
import type { Counters } from '../counters';
import { ConnectionGate, DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connections';
import { agencyOfClient, rawSocketOf, serverTlsOptions, type ServerTlsConfig } from './tls';

export interface StreamServerConfig {
  name: string; // the listener, as counted and logged
  host: string;
  port: number;
  connections?: ConnectionLimits;
  /** TLS when set; `where` is the config key named in certificate errors (e.g. collector.beats.tls). */
  tls?: ServerTlsConfig & { where: string };
  allowHalfOpen?: boolean;
}

export interface StreamServer {
  port: number;
  protocol: 'tcp' | 'tls';
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 2000;

/** Starts listening; `serve` gets each admitted connection (after its handshake, with the agency its client certificate names). */
export async function startStreamServer(
  config: StreamServerConfig,
  deps: { counters: Counters; logger: Logger },
  serve: (socket: net.Socket, certTenant?: string) => void,
): Promise<StreamServer> {
  const { name } = config;
  const limits = config.connections ?? DEFAULT_CONNECTION_LIMITS;
  const gate = new ConnectionGate(name, limits, deps.counters, deps.logger);
  const sockets = new Set<net.Socket>(); // connections being served
  const raws = new Set<net.Socket>(); // TLS: every TCP connection, handshake finished or not
  const track = (set: Set<net.Socket>, s: net.Socket) => {
    set.add(s);
    s.once('close', () => set.delete(s));
  };
  const serveTracked = (socket: net.Socket, certTenant?: string) => {
    track(sockets, socket);
    serve(socket, certTenant);
  };

  let server: net.Server;
  if (config.tls) {
    const t = config.tls;
    const options = serverTlsOptions(t.where, t);
    const tlsServer = tls.createServer({ ...options, allowHalfOpen: config.allowHalfOpen, handshakeTimeout: limits.handshakeTimeoutSeconds * 1000 });
    // before the TLS layer: a connection still in its handshake holds a slot too
    tlsServer.prependListener('connection', (raw: net.Socket) => {
      if (gate.admit(raw)) track(raws, raw);
    });
    tlsServer.on('secureConnection', (socket: tls.TLSSocket) => serveTracked(socket, agencyOfClient(socket, t.agencies, deps.logger, name)));
    tlsServer.on('tlsClientError', (err: NodeJS.ErrnoException, socket) => {
      // with this listener present node leaves the socket open: close it, or a stalled handshake holds its slot forever
      socket.destroy();
      if (gate.refused(rawSocketOf(socket))) return;
      const reason = err.code === 'ERR_TLS_HANDSHAKE_TIMEOUT' ? 'handshake_timeout' : 'handshake_failed';
      deps.counters.reject(name, null, 'refused', reason);
      deps.logger.info({ listener: name, peer: socket.remoteAddress, reason, err: err.message }, `${name}: a TLS handshake failed; connection closed`);
    });
    server = tlsServer;
  } else
    server = net.createServer({ allowHalfOpen: config.allowHalfOpen }, (socket) => {
      if (gate.admit(socket)) serveTracked(socket);
    });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`${name}: cannot listen on ${config.host}:${config.port}: ${err.message}`)));
    server.listen(config.port, config.host, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    protocol: config.tls ? 'tls' : 'tcp',
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.end();
        setTimeout(() => [...sockets, ...raws].forEach((s) => s.destroy()), CLOSE_GRACE_MS).unref();
      });
    },
  };
}
