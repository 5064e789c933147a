/**
 * What every stream listener (syslog TCP, syslog TLS, Beats) shares, kept in one place:
 * accepting connections through the connection gate (counted before a TLS handshake, so a
 * stalled handshake holds a slot and is closed after handshake_timeout_seconds), TLS with
 * an agency named by the client certificate, listening with an error that names the
 * listener and address, and shutdown that ends every connection (handshake finished or
 * not) and destroys what is still open after a grace period, and the idle timeout: a
 * connection that sends nothing, or leaves a frame unfinished, for idle_timeout_seconds is
 * closed and counted, unless the wait is the listener's (paused by back-pressure, an ACK
 * pending); the silence counts from when the listener was last ready to read. What a
 * connection carries (syslog frames, Lumberjack) is the caller's `serve`.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../../core/log';
import type { Counters } from '../counters';
import { ConnectionGate, DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connections';
import { plainAddress } from '../tenancy';
import { agencyOfClient, rawSocketOf, serverTlsOptions, type ServerTlsConfig } from './tls';

export interface StreamServerConfig {
  name: string; // the listener, as counted and logged
  host: string;
  port: number;
  connections?: ConnectionLimits;
  /** TLS when set; `where` is the config key named in certificate errors (e.g. collector.beats.tls). */
  tls?: ServerTlsConfig & { where: string };
  allowHalfOpen?: boolean;
  /** The listener's idle_timeout_seconds. */
  idleTimeoutSeconds: number;
}

/** What the idle timeout needs to know of a connection being served, from its `serve`. */
export interface ServedConnection {
  /** The agency its counts go under. */
  tenant: string | null;
  /** The silence is the listener's: reading paused for the intake, an ACK not yet sent, a frame being inflated. */
  listenerWaits(): boolean;
  /** When the frame at the head began waiting for its bytes (null: none); such a connection is closed as frame_timeout. */
  partialSince?(): number | null;
  /** Bytes held for the connection, for the log line. */
  buffered(): number;
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
  serve: (socket: net.Socket, certTenant?: string) => ServedConnection,
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
    idle.watch(socket, serve(socket, certTenant));
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

  const idle = new IdleClock(name, config.idleTimeoutSeconds, deps); // made last: nothing before may throw and leave its timer
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => (idle.stop(), reject(new Error(`${name}: cannot listen on ${config.host}:${config.port}: ${err.message}`))));
    server.listen(config.port, config.host, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    protocol: config.tls ? 'tls' : 'tcp',
    async close() {
      idle.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.end();
        setTimeout(() => [...sockets, ...raws].forEach((s) => s.destroy()), CLOSE_GRACE_MS).unref();
      });
    },
  };
}

/** The idle timeout of one listener: one timer for all its connections, each judged on what its `serve` reports. */
class IdleClock {
  private readonly watched = new Map<net.Socket, { served: ServedConnection; lastActive: number; waited: boolean }>();
  private readonly idleMs: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly name: string,
    idleTimeoutSeconds: number,
    private readonly deps: { counters: Counters; logger: Logger },
  ) {
    if (!(idleTimeoutSeconds > 0)) throw new Error(`${name}: idle_timeout_seconds: ${idleTimeoutSeconds} must be above 0`);
    this.idleMs = idleTimeoutSeconds * 1000;
    // checked a few times per timeout, at most once a second: a connection goes within a quarter timeout (1 s) of it
    this.timer = setInterval(() => this.sweep(Date.now()), Math.min(1000, Math.max(50, this.idleMs / 4)));
    this.timer.unref();
  }

  watch(socket: net.Socket, served: ServedConnection): void {
    const entry = { served, lastActive: Date.now(), waited: false };
    this.watched.set(socket, entry);
    socket.on('data', () => (entry.lastActive = Date.now()));
    socket.once('close', () => this.watched.delete(socket));
  }

  private sweep(now: number): void {
    for (const [socket, entry] of this.watched) {
      const { served } = entry;
      if (socket.destroyed) continue;
      // the sender's silence counts from the first check that finds the listener reading again
      const waits = served.listenerWaits();
      if (waits || entry.waited) {
        entry.waited = waits;
        entry.lastActive = now;
        continue;
      }
      const partial = served.partialSince?.() ?? null;
      const stalled = partial !== null && now - partial > this.idleMs;
      if (!stalled && now - entry.lastActive <= this.idleMs) continue;
      this.deps.counters.reject(this.name, served.tenant, 'idle_closed', stalled ? 'frame_timeout' : 'idle_timeout');
      const peer = plainAddress(socket.remoteAddress);
      this.deps.logger.info({ listener: this.name, peer, buffered: served.buffered() }, stalled ? `${this.name}: closing a connection that left a frame unfinished` : `${this.name}: closing an idle connection`);
      socket.destroy();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.watched.clear();
  }
}
