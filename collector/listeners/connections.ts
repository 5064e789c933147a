/**
 * How many connections a stream listener (syslog TCP/TLS, Beats) holds: at most
 * `maxPerAddress` from one address and `maxConnections` in all, the last `reserve` of them
 * only for an address that holds none yet, so one address (or a few) hogging slots can
 * never shut a new sender out. Refused connections are closed at once and counted.
 */
import type net from 'node:net';
import type { Logger } from '../../core/log';
import type { Counters } from '../counters';
import { plainAddress } from '../tenancy';

export interface ConnectionLimits {
  maxConnections: number;
  maxPerAddress: number;
  reserve: number; // of maxConnections, kept for addresses that hold no connection yet
  handshakeTimeoutSeconds: number; // TLS: a connection whose handshake is not done by then is closed
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { maxConnections: 10000, maxPerAddress: 200, reserve: 200, handshakeTimeoutSeconds: 10 };

const LOG_EVERY_MS = 10_000; // refusals are logged at most this often per listener, with how many since

export class ConnectionGate {
  private total = 0;
  private readonly perAddress = new Map<string, number>();
  private readonly refusedSockets = new WeakSet<net.Socket>();
  private unlogged = 0;
  private lastLog = 0;

  constructor(
    private readonly listener: string,
    private readonly limits: ConnectionLimits,
    private readonly counters: Counters,
    private readonly logger: Logger,
  ) {
    const where = 'collector.connections';
    if (!(limits.maxConnections >= 1)) throw new Error(`${where}.max_total: ${limits.maxConnections} must be at least 1`);
    if (!(limits.maxPerAddress >= 1)) throw new Error(`${where}.max_per_address: ${limits.maxPerAddress} must be at least 1`);
    if (!(limits.reserve >= 0 && limits.reserve < limits.maxConnections)) throw new Error(`${where}.reserve: ${limits.reserve} must be at least 0 and below max_total (${limits.maxConnections})`);
  }

  get open(): number {
    return this.total;
  }

  /** Call first on every new connection: false when it was refused (and already destroyed and counted). */
  admit(socket: net.Socket): boolean {
    const addr = plainAddress(socket.remoteAddress) ?? 'unknown';
    const held = this.perAddress.get(addr) ?? 0;
    const why = held >= this.limits.maxPerAddress ? 'per_address_limit' : this.total >= this.limits.maxConnections - (held === 0 ? 0 : this.limits.reserve) ? 'connection_limit' : null;
    if (why) {
      this.refuse(socket, addr, why, held);
      return false;
    }
    this.total++;
    this.perAddress.set(addr, held + 1);
    socket.once('close', () => {
      this.total--;
      const n = (this.perAddress.get(addr) ?? 1) - 1;
      if (n > 0) this.perAddress.set(addr, n);
      else this.perAddress.delete(addr);
    });
    return true;
  }

  /** A socket this gate refused (its later errors are not worth a log line). */
  refused(socket: net.Socket): boolean {
    return this.refusedSockets.has(socket);
  }

  private refuse(socket: net.Socket, addr: string, why: 'per_address_limit' | 'connection_limit', held: number): void {
    this.refusedSockets.add(socket);
    socket.on('error', () => undefined);
    socket.destroy();
    this.counters.reject(this.listener, null, 'refused', why);
    this.unlogged++;
    const now = Date.now();
    if (now - this.lastLog < LOG_EVERY_MS) return;
    const detail =
      why === 'per_address_limit'
        ? `${addr} already holds ${held} connections (collector.connections.max_per_address ${this.limits.maxPerAddress})`
        : `${this.total} connections are open (collector.connections.max_total ${this.limits.maxConnections}, of which ${this.limits.reserve} kept for new addresses)`;
    this.logger.warn({ listener: this.listener, peer: addr, reason: why, refused_since_last_log: this.unlogged }, `${this.listener}: refused a connection: ${detail}`);
    this.unlogged = 0;
    this.lastLog = now;
  }
}
