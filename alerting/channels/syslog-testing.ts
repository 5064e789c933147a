/** Test receivers for the syslog channel: a TCP or TLS server reading RFC 6587 octet-counted frames, and a UDP one. */
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';

/** Splits a byte stream into octet-counted messages (`<len> <msg>`); returns the complete ones and what is left. */
export function readFrames(buf: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = [];
  let at = 0;
  for (;;) {
    const space = buf.indexOf(0x20, at);
    if (space < 0) break;
    const len = Number(buf.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0) throw new Error(`not an octet count at byte ${at}: ${buf.subarray(at, space).toString('latin1')}`);
    if (buf.length < space + 1 + len) break;
    messages.push(buf.subarray(space + 1, space + 1 + len).toString('utf8'));
    at = space + 1 + len;
  }
  return { messages, rest: buf.subarray(at) };
}

export interface Receiver {
  port: number;
  messages: string[];
  connections: number;
  close(): Promise<void>;
}

/** A TCP (or, with cert and key, TLS) receiver on 127.0.0.1; `port` 0 picks a free one. */
export async function startStreamReceiver(port = 0, tlsOpts?: { cert: Buffer; key: Buffer }): Promise<Receiver> {
  const messages: string[] = [];
  const sockets = new Set<net.Socket>();
  const onSocket = (s: net.Socket) => {
    r.connections++;
    sockets.add(s);
    let buf: Buffer = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      const f = readFrames(Buffer.concat([buf, d]));
      messages.push(...f.messages);
      buf = f.rest;
    });
    s.on('error', () => s.destroy());
    s.on('close', () => sockets.delete(s));
  };
  const server = tlsOpts ? tls.createServer(tlsOpts, onSocket) : net.createServer(onSocket);
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const r: Receiver = {
    port: (server.address() as net.AddressInfo).port,
    messages,
    connections: 0,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((res) => server.close(res));
    },
  };
  return r;
}

export async function startUdpReceiver(): Promise<Receiver> {
  const messages: string[] = [];
  const s = dgram.createSocket('udp4');
  s.on('message', (m) => messages.push(m.toString('utf8')));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return { port: s.address().port, messages, connections: 0, close: () => new Promise<void>((r) => s.close(() => r())) };
}

/** A port nothing listens on right now (it may be taken again later: bind to it to "bring the receiver up"). */
export async function freeTcpPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

export async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
