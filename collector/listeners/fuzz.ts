/**
 * Storms of hostile input for every listener (UDP, TCP, TLS, HTTP, Beats), random and
 * structure-aware: broken frames, octet-counting lengths that lie, oversized and compressed
 * bodies, zip bombs, deep nesting, `__proto__` keys, random bytes, half-closed and reset
 * connections. After each storm the listener must still take a valid message; at the end
 * everything the listener counted as received is on the bus (an event or a dead letter).
 * Used by listeners.fuzz.test.ts (bounded, in npm test) and listeners.conformance.test.ts.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { deflateSync, gzipSync } from 'node:zlib';
import { INGEST_SECRET, lumberjack, sendValid, until, type Harness } from './listener-harness';

export type Rand = () => number;

/** mulberry32: small, seeded, good enough to replay a failing storm from its seed. */
export function prng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];
const randomBytes = (r: Rand, n: number) => Buffer.from(Array.from({ length: n }, () => int(r, 256)));
const { u32 } = lumberjack;

// ---- syslog

const HOSTILE = ['__proto__', 'constructor', 'prototype', '%n%n%s', '\u0000', '\u202e', '${jndi:ldap://x}', "'; DROP TABLE events;--", '\uFFFD\uFFFD'];

function syslogLine(r: Rand): string {
  const word = () => (r() < 0.2 ? pick(r, HOSTILE) : Math.random().toString(36).slice(2, 2 + int(r, 12)));
  const kinds = [
    () => `<${int(r, 200)}>Dec  3 10:00:0${int(r, 10)} host${int(r, 9)} sshd[${int(r, 99999)}]: Failed password for ${word()} from 192.0.2.${int(r, 256)} port ${int(r, 65536)} ssh2`,
    () => `<${int(r, 192)}>1 2026-12-03T10:00:00.${int(r, 999)}Z fw01 app ${int(r, 999)} ID${int(r, 9)} [ex@32473 k="${word()}" ${word()}="v"] ${word()}`,
    () => `<134>date=2026-12-03 time=10:00:00 devname="FG" logid="${int(r, 1e10)}" type="traffic" srcip=10.0.0.${int(r, 256)} dstport=${int(r, 65536)} action="${word()}"`,
    () => `CEF:0|Vendor|Product|1.0|${int(r, 999)}|${word()}|${int(r, 11)}|src=10.1.1.${int(r, 256)} ${word()}=${word()}`,
    () => JSON.stringify({ message: word(), [pick(r, HOSTILE)]: { [word()]: word() }, nested: '['.repeat(int(r, 50)) }),
    () => `<38>Dec  3 10:00:00 host sudo: ${word()} : TTY=pts/0 ; PWD=/tmp/${word()} ; USER=root ; COMMAND=/bin/${word()}`,
  ];
  return pick(r, kinds)();
}

function mutate(r: Rand, b: Buffer): Buffer {
  const out = Buffer.from(b);
  const n = 1 + int(r, 6);
  let cur: Buffer = out;
  for (let i = 0; i < n && cur.length; i++) {
    const at = int(r, cur.length);
    const op = int(r, 6);
    if (op === 0) cur[at] = int(r, 256);
    else if (op === 1) cur = cur.subarray(0, at);
    else if (op === 2) cur = Buffer.concat([cur.subarray(0, at), Buffer.from(pick(r, ['\0', '\r', '\n', '\r\n', '<', ' ', '9999999999 ', '\xff\xfe'])), cur.subarray(at)]);
    else if (op === 3) cur = Buffer.concat([cur, cur.subarray(at)]);
    else if (op === 4) cur = Buffer.concat([cur.subarray(0, at), randomBytes(r, int(r, 64)), cur.subarray(at)]);
    else cur[at] = cur[at] ^ (1 << int(r, 8));
  }
  return cur;
}

/** One syslog frame, honest or not: LF-terminated, octet-counted with a true or lying length, oversized, or noise. */
function syslogFrame(r: Rand, maxBytes: number): Buffer {
  const msg = Buffer.from(syslogLine(r));
  switch (int(r, 9)) {
    case 0:
      return Buffer.concat([msg, Buffer.from('\n')]);
    case 1:
      return Buffer.concat([Buffer.from(`${msg.length} `), msg]);
    case 2: {
      // octet counting whose length lies: too short, too long, absurd
      const lie = pick(r, [0, 1, msg.length - 1 - int(r, msg.length), msg.length + 1 + int(r, 5000), 9999999999, maxBytes + 1, 2 ** 31]);
      return Buffer.concat([Buffer.from(`${lie} `), msg]);
    }
    case 3:
      return Buffer.concat([Buffer.from(pick(r, ['00012 ', '-5 ', '12a ', '1 ', ' 12 ', '9'.repeat(20) + ' '])), msg]);
    case 4:
      return Buffer.concat([Buffer.alloc(maxBytes + int(r, maxBytes), pick(r, [0x41, 0x3c, 0x20])), Buffer.from(r() < 0.5 ? '\n' : '')]);
    case 5:
      return randomBytes(r, int(r, 2048));
    case 6:
      return mutate(r, Buffer.concat([msg, Buffer.from('\n')]));
    case 7:
      return Buffer.concat([Buffer.from(`${maxBytes * 4} <`), randomBytes(r, int(r, 4096))]);
    default:
      return Buffer.concat([msg, Buffer.from(pick(r, ['\r\n', '\n\n\n', '\0', '']))]);
  }
}

// ---- beats (Lumberjack v2)

function jsonFrame(seq: number, body: Buffer, lie?: number): Buffer {
  return Buffer.concat([Buffer.from('2J'), u32(seq), u32(lie ?? body.length), body]);
}

function beatsStream(r: Rand, maxWindowBytes: number): Buffer {
  const n = 1 + int(r, 5);
  const docs = Array.from({ length: n }, () => Buffer.from(r() < 0.8 ? JSON.stringify({ message: syslogLine(r), [pick(r, HOSTILE)]: { polluted: true } }) : pick(r, ['{', '[]', '"x"', '{"a":' + '['.repeat(2000), 'null'])));
  const frames = Buffer.concat(docs.map((d, i) => jsonFrame(i + 1, d, r() < 0.15 ? int(r, 2 ** 32) : undefined)));
  const window = Buffer.concat([Buffer.from('2W'), u32(r() < 0.8 ? n : int(r, 2 ** 32))]);
  switch (int(r, 9)) {
    case 0:
      return Buffer.concat([window, frames]);
    case 1: {
      const z = deflateSync(frames);
      return Buffer.concat([window, Buffer.from('2C'), u32(r() < 0.8 ? z.length : int(r, 2 ** 32)), z]);
    }
    case 2: {
      const z = deflateSync(Buffer.alloc(maxWindowBytes * 2)); // inflates beyond the limit: a zip bomb
      return Buffer.concat([window, Buffer.from('2C'), u32(z.length), z]);
    }
    case 3:
      return Buffer.concat([window, Buffer.from('2C'), u32(64), randomBytes(r, 64)]);
    case 4:
      return Buffer.concat([Buffer.from(pick(r, ['1W', '2X', '3W', '2A', '\x16\x03\x01', 'GET / HTTP/1.1\r\n\r\n'])), randomBytes(r, int(r, 64))]);
    case 5:
      return mutate(r, Buffer.concat([window, frames]));
    case 6:
      return randomBytes(r, int(r, 4096));
    case 7:
      return Buffer.concat([frames, window]); // data before its window
    default:
      return Buffer.concat([window, frames, window, frames.subarray(0, int(r, frames.length))]);
  }
}

// ---- HTTP

interface HttpCase {
  body: Buffer;
  headers: Record<string, string>;
}

function deep(r: Rand): string {
  const n = pick(r, [300, 5000, 100_000]);
  return r() < 0.5 ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n);
}

function httpCase(r: Rand, maxBodyBytes: number): HttpCase {
  const docs = () => Array.from({ length: 1 + int(r, 20) }, () => (r() < 0.7 ? { message: syslogLine(r), [pick(r, HOSTILE)]: { isAdmin: true } } : syslogLine(r)));
  const texts = [
    () => JSON.stringify(docs()),
    () => docs().map((d) => JSON.stringify(d)).join('\n'),
    () => `[${JSON.stringify(docs()[0])}, ${deep(r)}, {"message":"after"}]`,
    () => deep(r),
    () => mutate(r, Buffer.from(JSON.stringify(docs()))).toString('latin1'),
    () => '{"__proto__": {"disabled": true}, "constructor": {"prototype": {"format": "x"}}, "message": "p"}',
    () => JSON.stringify(Array.from({ length: 2000 + int(r, 20000) }, (_, i) => i)),
    () => '',
    () => 'not json\n{"message":"ok"}\n{"message":',
  ];
  let body = Buffer.from(pick(r, texts)());
  const headers: Record<string, string> = { 'content-type': pick(r, ['application/json', 'application/x-ndjson', 'text/plain', 'application/octet-stream', '']) };
  switch (int(r, 7)) {
    case 0:
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
      break;
    case 1: {
      const z = gzipSync(body);
      body = z.subarray(0, int(r, z.length));
      headers['content-encoding'] = 'gzip';
      break;
    }
    case 2:
      body = gzipSync(Buffer.alloc(maxBodyBytes * 4, 0x20)); // a gzip bomb
      headers['content-encoding'] = pick(r, ['gzip', 'x-gzip']);
      break;
    case 3:
      body = randomBytes(r, int(r, 4096));
      headers['content-encoding'] = pick(r, ['gzip', 'deflate', 'br', 'zstd', 'gzip, gzip', 'identity']);
      break;
    case 4:
      body = deflateSync(body);
      headers['content-encoding'] = 'deflate';
      break;
    default:
      break;
  }
  if (!headers['content-type']) delete headers['content-type'];
  return { body, headers };
}

/** A raw HTTP exchange that breaks the protocol: lying lengths, garbage request lines, half-closed bodies. */
function rawHttp(r: Rand, port: number): Buffer {
  const auth = `Authorization: Bearer ${INGEST_SECRET}\r\n`;
  return Buffer.from(
    pick(r, [
      `POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 1000\r\nContent-Type: application/json\r\n\r\n{"message":`,
      `POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\n${auth}Transfer-Encoding: chunked\r\n\r\nZZ\r\nnot chunked\r\n`,
      `POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\n${auth}Content-Encoding: gzip\r\nContent-Length: 20\r\n\r\n\x1f\x8b\x08\x00garbage-garbage`,
      `${randomBytes(r, 40).toString('latin1')}\r\n\r\n`,
      `GET /${'a'.repeat(int(r, 20000))} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
      `POST /api/v1/ingest HTTP/1.1\r\n${'X-A: b\r\n'.repeat(int(r, 3000))}\r\n`,
    ]),
  );
}

// ---- running

export interface FuzzReport {
  cases: number;
  storms: number;
}

/** Writes chunks on a connection (TLS when `secure`), then half-closes, resets or lingers; never longer than a few seconds. */
function streamCase(h: Harness, chunks: Buffer[], finish: 'end' | 'destroy' | 'linger', secure: boolean, r: Rand): Promise<void> {
  return new Promise((resolve) => {
    const raw = net.connect({ port: h.port, host: '127.0.0.1' });
    const s: net.Socket = secure ? tls.connect({ socket: raw, host: '127.0.0.1', ca: h.ca }) : raw;
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      clearTimeout(limit);
      s.destroy();
      raw.destroy();
      resolve();
    };
    const limit = setTimeout(end, 3000);
    s.on('error', end);
    s.on('close', end);
    s.resume();
    s.once(secure ? 'secureConnect' : 'connect', async () => {
      for (const c of chunks) {
        if (s.destroyed) return;
        s.write(c);
        if (r() < 0.3) await new Promise((q) => setImmediate(q));
      }
      if (finish === 'end') {
        s.end();
        setTimeout(end, 300);
      } else if (finish === 'destroy') end();
      else setTimeout(end, 20 + int(r, 80));
    });
  });
}

function fragment(r: Rand, b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < b.length) {
    const n = 1 + int(r, r() < 0.3 ? 16 : 8192);
    out.push(b.subarray(at, at + n));
    at += n;
  }
  return out;
}

async function oneCase(h: Harness, r: Rand, limits: { maxMessageBytes: number; maxWindowBytes: number }): Promise<void> {
  const finish = pick(r, ['end', 'destroy', 'linger'] as const);
  if (h.kind === 'syslog-udp') {
    const sock = dgram.createSocket('udp4');
    const frames = Array.from({ length: 1 + int(r, 8) }, () => syslogFrame(r, limits.maxMessageBytes).subarray(0, 65000));
    await Promise.all(frames.map((f) => new Promise<void>((q) => sock.send(f, h.port, '127.0.0.1', () => q()))));
    sock.close();
    return;
  }
  if (h.kind === 'http') {
    if (r() < 0.2) return streamCase(h, fragment(r, rawHttp(r, h.port)), finish, false, r);
    const c = httpCase(r, limits.maxWindowBytes);
    const res = await fetch(`http://127.0.0.1:${h.port}/api/v1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${INGEST_SECRET}`, ...c.headers }, body: c.body }).catch((e: Error) => e);
    if (res instanceof Error) throw new Error(`http ingest dropped a request: ${res.message}`);
    await res.arrayBuffer();
    if (![202, 400, 413, 415].includes(res.status)) throw new Error(`http ingest answered ${res.status} to a hostile body (content-encoding ${c.headers['content-encoding'] ?? 'none'})`);
    return;
  }
  const secure = !!h.ca && r() < 0.8; // on a TLS listener some storms never get past the handshake
  const body = h.kind === 'beats' ? Buffer.concat(Array.from({ length: 1 + int(r, 3) }, () => beatsStream(r, limits.maxWindowBytes))) : Buffer.concat(Array.from({ length: 1 + int(r, 12) }, () => syslogFrame(r, limits.maxMessageBytes)));
  return streamCase(h, fragment(r, body), finish, secure, r);
}

/** A case every storm begins with, whose refusal the listener must count. */
async function knownBad(h: Harness, limits: { maxMessageBytes: number; maxWindowBytes: number }): Promise<void> {
  const r = prng(1);
  if (h.kind === 'syslog-udp') {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((q) => sock.send(Buffer.alloc(limits.maxMessageBytes + 10, 0x41), h.port, '127.0.0.1', () => q()));
    sock.close();
  } else if (h.kind === 'http') {
    await fetch(`http://127.0.0.1:${h.port}/api/v1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${INGEST_SECRET}`, 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(limits.maxWindowBytes * 4)) }).then((x) => x.arrayBuffer());
  } else if (h.kind === 'beats') await streamCase(h, [Buffer.from('3W\0\0\0\x01')], 'end', !!h.ca, r);
  else await streamCase(h, [Buffer.concat([Buffer.alloc(limits.maxMessageBytes + 10, 0x41), Buffer.from('\n')])], 'end', !!h.ca, r);
}

const turnedAway = (h: Harness) => {
  const c = h.counters.get(h.kind);
  return c.failed + c.refused + c.dropped + c.idle_closed;
};

/**
 * Runs `iterations` hostile cases against the listener in storms of `stormSize` (a few at a
 * time), checking after each storm that a valid message still gets through and that the
 * storm's refusals were counted, and at the end that nothing counted as received is missing
 * from the bus.
 */
export async function fuzzListener(h: Harness, opts: { iterations: number; seed: number; stormSize?: number; concurrency?: number; maxMessageBytes: number; maxWindowBytes: number }): Promise<FuzzReport> {
  const r = prng(opts.seed);
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).join(',');
  const stormSize = opts.stormSize ?? 25;
  const concurrency = opts.concurrency ?? 6;
  let cases = 0;
  let storms = 0;
  while (cases < opts.iterations) {
    const before = turnedAway(h);
    await knownBad(h, opts);
    const n = Math.min(stormSize, opts.iterations - cases);
    for (let i = 0; i < n; i += concurrency) await Promise.all(Array.from({ length: Math.min(concurrency, n - i) }, () => oneCase(h, r, opts)));
    cases += n;
    storms++;
    const marker = `fuzz-survivor-${opts.seed}-${storms}-ok`;
    if (!(await sendValid(h, marker))) throw new Error(`${h.kind}: a valid message was refused after storm ${storms} (seed ${opts.seed})`);
    await until(`${h.kind}: the valid message after storm ${storms} (seed ${opts.seed}) on the bus`, () => h.received(marker).length === 1);
    await until(`${h.kind}: the refusals of storm ${storms} (seed ${opts.seed}) counted`, () => turnedAway(h) > before);
  }
  await until(`${h.kind}: the intake idle`, () => h.intake.pending === 0);
  const received = h.counters.get(h.kind).received;
  // a dead letter that keeps the tail of a request's refused documents stands for all of them
  const documents = (d: { reason: string }) => Number(/^(\d+) more documents of this request/.exec(d.reason)?.[1] ?? 1);
  const onBus = h.bus.of('events').length + h.bus.of<{ reason: string }>('dlq').reduce((n, d) => n + documents(d), 0);
  if (received !== onBus) throw new Error(`${h.kind}: counted ${received} received but the bus holds ${onBus} events and dead letters (seed ${opts.seed})`);
  // `__proto__` and `constructor` keys were sent on every listener: none may reach the shared prototype
  const prototypeAfter = Object.getOwnPropertyNames(Object.prototype).join(',');
  if (prototypeAfter !== prototypeBefore) throw new Error(`${h.kind}: Object.prototype was polluted (now ${prototypeAfter}; seed ${opts.seed})`);
  return { cases, storms };
}
