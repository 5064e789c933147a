/**
 * The connection to one forwarding destination: UDP datagrams, or one TCP / TLS stream with
 * RFC 6587 octet-counting framing (`<length> <message>`) as RFC 5425 asks. A stream that
 * breaks is reconnected on the next send, after a back-off (0.5 s doubling to 30 s) so a
 * receiver that is down is not hammered. A refused TLS certificate is logged as an error
 * that names the destination and what to check.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { type Logger, errorText } from './channel';
import { type ForwardDestination, parseForwardUrl } from './syslog-config';

export class TransportError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface Transport {
  /** Sends one message; resolves once it is handed to the kernel, rejects with a TransportError. */
  send(message: string): Promise<void>;
  close(): Promise<void>;
}

/** Code and message of a socket error (read as fields: an error from another realm is no `instanceof Error`). */
function describe(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const message = (e as { message?: unknown } | null)?.message;
  if (typeof message !== 'string') return errorText(e);
  return `${typeof code === 'string' ? code + ' ' : ''}${message}`;
}

const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME|ERR_SSL|EPROTO/;

/** `<byte length> <message>`: RFC 6587 octet counting. */
export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

export function createTransport(d: ForwardDestination, logger: Logger, where: string): Transport {
  const u = parseForwardUrl(d.url)!;
  if (u.transport === 'udp') return udpTransport(u.host, u.port, d.name);
  let ca: Buffer | undefined;
  if (u.transport === 'tls' && d.ca_file) {
    try {
      ca = fs.readFileSync(d.ca_file);
    } catch (e) {
      throw new TransportError(`${where}.ca_file: cannot read ${d.ca_file}: ${(e as { message?: string }).message ?? String(e)}`, false);
    }
  }
  return streamTransport({ ...u, tls: u.transport === 'tls', ca, serverName: d.server_name, name: d.name, timeoutMs: d.connect_timeout_ms }, logger);
}

function udpTransport(host: string, port: number, name: string): Transport {
  let socket: dgram.Socket | null = null;
  return {
    send(message) {
      socket ??= dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
      const buf = Buffer.from(message, 'utf8');
      return new Promise((resolve, reject) =>
        socket!.send(buf, port, host, (err) => {
          if (!err) return resolve();
          // a datagram that is too long never fits; anything else may pass later
          const tooLong = (err as NodeJS.ErrnoException).code === 'EMSGSIZE';
          reject(new TransportError(`forward ${name}: udp://${host}:${port}: ${describe(err)}`, !tooLong));
        }),
      );
    },
    async close() {
      socket?.close();
      socket = null;
    },
  };
}

interface StreamOptions {
  host: string;
  port: number;
  tls: boolean;
  ca?: Buffer;
  serverName?: string;
  name: string;
  timeoutMs: number;
}

function streamTransport(o: StreamOptions, logger: Logger): Transport {
  const scheme = o.tls ? 'tls' : 'tcp';
  const target = `${scheme}://${o.host}:${o.port}`;
  let socket: net.Socket | null = null;
  let failures = 0;
  let nextConnectAt = 0;
  let lastError = '';
  let closed = false;

  function connect(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const opts = { host: o.host, port: o.port };
      const s = o.tls ? tls.connect({ ...opts, ca: o.ca, servername: o.serverName ?? (net.isIP(o.host) ? undefined : o.host) }) : net.connect(opts);
      const timer = setTimeout(() => s.destroy(new Error(`no connection within ${o.timeoutMs} ms`)), o.timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        s.destroy();
        reject(err);
      };
      s.once('error', fail);
      s.once(o.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        s.off('error', fail);
        s.setKeepAlive(true, 30_000);
        // whatever the peer sends is not for us; its close or an error ends this connection
        s.on('data', () => undefined);
        const drop = () => {
          if (socket === s) socket = null;
          s.destroy();
        };
        s.on('error', (e) => {
          logger.warn({ destination: o.name, url: target, error: describe(e) }, 'forward destination connection broke; reconnecting on the next message');
          drop();
        });
        s.on('end', drop);
        s.on('close', drop);
        resolve(s);
      });
    });
  }

  async function ensure(): Promise<net.Socket> {
    if (socket && !socket.destroyed && socket.writable) return socket;
    const wait = nextConnectAt - Date.now();
    if (wait > 0) throw new TransportError(`forward ${o.name}: ${target}: ${lastError} (next connection attempt in ${wait} ms)`, true, wait);
    try {
      socket = await connect();
    } catch (e) {
      failures++;
      nextConnectAt = Date.now() + Math.min(30_000, 500 * 2 ** (failures - 1));
      const text = describe(e);
      const cert = o.tls && CERT_CODES.test(text);
      const message = cert ? `the TLS certificate of ${target} was refused: ${text}; check ca_file (and server_name) of this destination` : text;
      if (message !== lastError) {
        if (cert) logger.error({ destination: o.name, url: target, error: text }, `forward destination ${o.name}: ${message}`);
        else logger.warn({ destination: o.name, url: target, error: text }, 'forward destination unreachable; messages wait in the outbox');
      }
      lastError = message;
      throw new TransportError(`forward ${o.name}: ${target}: ${message}`, true, nextConnectAt - Date.now());
    }
    if (failures || lastError) logger.info({ destination: o.name, url: target, after: failures }, 'forward destination connected again');
    else logger.info({ destination: o.name, url: target }, 'forward destination connected');
    failures = 0;
    lastError = '';
    return socket;
  }

  return {
    async send(message) {
      if (closed) throw new TransportError(`forward ${o.name}: closed`, true);
      const s = await ensure();
      await new Promise<void>((resolve, reject) =>
        s.write(octetFrame(message), (err) => (err ? reject(new TransportError(`forward ${o.name}: ${target}: ${describe(err)}`, true)) : resolve())),
      );
    },
    async close() {
      closed = true;
      const s = socket;
      socket = null;
      if (s && !s.destroyed) {
        // a peer that never acknowledges the close must not hold the shutdown
        await new Promise<void>((r) => {
          const t = setTimeout(() => (s.destroy(), r()), 2000);
          s.end(() => (clearTimeout(t), r()));
        });
      }
    },
  };
}
