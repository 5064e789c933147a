/**
 * For listener tests: every stream listener started on a fake bus, and clients that hold
 * idle connections from a chosen loopback address (127.0.0.0/8 is all local on Linux) or
 * send one real message, so a test can see whether a sender still gets through.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { EcsEvent } from '../../core/event';
import { silentLogger } from '../../core/log';
import type { TokenRecord } from '../../core/model';
import type { Store } from '../../core/store/store';
import { hashToken } from '../../core/tokens';
import { Counters } from '../counters';
import { Intake } from '../intake';
import { SourceMap } from '../tenancy';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connections';
import { fakeBus, type FakeBus } from './fake-bus';
import { LISTENERS } from './registry';
import type { ListenerContext, RunningListener } from './spec';

export type StreamKind = 'syslog-tcp' | 'syslog-tls' | 'beats';
export type ListenerKind = StreamKind | 'syslog-udp' | 'http';

/** The agency token the HTTP listener of the harness accepts. */
export const INGEST_SECRET = 'cgi_harness-token-of-so-tttt';
const ingestToken: TokenRecord = { id: 'harness', kind: 'ingest', subject: 'so-tttt', hash: hashToken(INGEST_SECRET), created: new Date(0).toISOString(), revoked: null };
const tokenStore = { findTokenByHash: async (h: string) => (h === ingestToken.hash ? ingestToken : null) } as unknown as Store;

export interface Harness {
  kind: ListenerKind;
  bus: FakeBus;
  counters: Counters;
  intake: Intake;
  listener: RunningListener;
  port: number;
  ca?: Buffer; // set when the listener speaks TLS

  /** Events on the bus whose text contains `marker`. */
  received(marker: string): EcsEvent[];
  close(): Promise<void>;
}

let pki: { cert: string; key: string; ca: Buffer } | null = null;

/** A throwaway self-signed server certificate for 127.0.0.1, made once per test file. */
export function serverPki(): { cert: string; key: string; ca: Buffer } {
  if (pki) return pki;
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-listener-pki-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.pem', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, stdio: 'pipe' });
  pki = { cert: path.join(dir, 'server.pem'), key: path.join(dir, 'server.key'), ca: fs.readFileSync(path.join(dir, 'server.pem')) };
  return pki;
}

export async function startListener(
  kind: ListenerKind,
  opts: { connections?: ConnectionLimits; idleTimeoutSeconds?: number; maxInflight?: number; maxMessageBytes?: number; maxWindowBytes?: number; bus?: FakeBus; beatsTls?: boolean } = {},
): Promise<Harness> {
  const bus = opts.bus ?? fakeBus();
  const counters = new Counters();
  const intake = new Intake({ bus, counters, logger: silentLogger, timezone: 'UTC', maxInflight: opts.maxInflight });
  const sources = new SourceMap([], 'default');
  const ctx: ListenerContext = { bind: '127.0.0.1', maxMessageBytes: opts.maxMessageBytes ?? 8192, connections: opts.connections ?? DEFAULT_CONNECTION_LIMITS, intake, sources, counters, store: tokenStore, logger: silentLogger };
  const p = kind === 'syslog-tls' || (kind === 'beats' && opts.beatsTls) ? serverPki() : undefined;
  const listener = await buildFromSpec(kind, harnessSettings(kind, opts, p), ctx);
  const ca = p?.ca;
  return {
    kind,
    bus,
    counters,
    intake,
    listener,
    port: listener.address.port,
    ca,
    received: (marker) => bus.of<EcsEvent>('events').filter((e) => JSON.stringify(e).includes(marker)),
    async close() {
      intake.stop();
      await listener.close();
    },
  };
}

/** The listener's settings as a config file would give them, before its schema fills the defaults. */
function harnessSettings(kind: ListenerKind, opts: { idleTimeoutSeconds?: number; maxWindowBytes?: number }, p: { cert: string; key: string } | undefined): Record<string, unknown> {
  const idle = { idle_timeout_seconds: opts.idleTimeoutSeconds ?? 60 };
  if (kind === 'syslog-tcp') return { port: 0, ...idle };
  if (kind === 'syslog-udp') return { port: 0 };
  if (kind === 'http') return { port: 0, max_body_bytes: opts.maxWindowBytes ?? 256 * 1024 };
  if (kind === 'syslog-tls') return { enabled: true, port: 0, cert: p!.cert, key: p!.key, ...idle };
  return { port: 0, tenant: 'so-tttt', max_window_bytes: opts.maxWindowBytes ?? 256 * 1024, keep_alive_seconds: 1, tls: p ? { cert: p.cert, key: p.key } : {}, ...idle };
}

/** Built the way the collector builds it: the registry's spec, its schema, its build(). */
async function buildFromSpec(kind: ListenerKind, settings: Record<string, unknown>, ctx: ListenerContext): Promise<RunningListener> {
  const spec = LISTENERS.find((l) => l.name === kind);
  if (!spec) throw new Error(`listener harness: no listener named ${kind} in the registry`);
  const parsed = spec.schema.safeParse(settings);
  if (!parsed.success) throw new Error(`listener harness: settings of ${spec.key} refused by its schema: ${parsed.error.message}`);
  return spec.build(parsed.data, ctx);
}

export const until = async (what: string, cond: () => boolean, tries = 800) => {
  for (let i = 0; i < tries && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

/** A plain TCP connection from `from` (a loopback address); resolves once connected, or with null when the listener closed it first. */
export function rawConnection(port: number, from = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress: from });
    s.on('error', () => undefined);
    s.once('connect', () => resolve(s));
    s.once('close', () => resolve(s));
  });
}

/** Opens `n` connections from `from` that send nothing. */
export async function idleConnections(port: number, n: number, from: string): Promise<net.Socket[]> {
  const out: net.Socket[] = [];
  for (let i = 0; i < n; i++) out.push(await rawConnection(port, from));
  return out;
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** One Lumberjack v2 window of JSON events, numbered from 1. */
export function beatsWindow(docs: unknown[]): Buffer {
  const frames = docs.map((d, i) => {
    const b = Buffer.from(JSON.stringify(d));
    return Buffer.concat([Buffer.from('2J'), u32(i + 1), u32(b.length), b]);
  });
  return Buffer.concat([Buffer.from('2W'), u32(docs.length), ...frames]);
}

export const lumberjack = { u32 };

/**
 * Sends one valid message carrying `marker` on a new connection from `from`, the way a real
 * sender of this listener would (syslog line, TLS syslog frame, Beats window awaiting its ACK).
 * Resolves true when it was written (and, for Beats, acknowledged).
 */
export function sendValid(h: Harness, marker: string, from = '127.0.0.1'): Promise<boolean> {
  const line = `<38>Dec  3 10:00:00 host sshd[1]: Failed password for ${marker} from 192.0.2.7 port 22 ssh2`;
  if (h.kind === 'http') {
    return fetch(`http://127.0.0.1:${h.port}/api/v1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${INGEST_SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify({ message: line }) }).then(
      async (r) => r.status === 202 && ((await r.json()) as { accepted: number }).accepted === 1,
      () => false,
    );
  }
  if (h.kind === 'syslog-udp') {
    return import('node:dgram').then(
      (dgram) =>
        new Promise<boolean>((resolve) => {
          const s = dgram.createSocket('udp4');
          s.bind({ address: from }, () => s.send(line, h.port, '127.0.0.1', (err) => (s.close(), resolve(!err))));
        }),
    );
  }
  return new Promise<boolean>((resolve) => {
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      resolve(ok);
    };
    const onConnect = () => {
      if (h.kind === 'beats') {
        s.write(beatsWindow([{ message: line, '@timestamp': new Date().toISOString() }]));
        let acks = Buffer.alloc(0);
        s.on('data', (d: Buffer) => {
          acks = Buffer.concat([acks, d]);
          for (let at = 0; at + 6 <= acks.length; at += 6) if (acks[at + 1] === 0x41 && acks.readUInt32BE(at + 2) === 1) (s.end(), finish(true));
        });
      } else s.end(h.kind === 'syslog-tls' ? `${Buffer.byteLength(line)} ${line}` : line + '\n', () => finish(true));
    };
    const s: net.Socket =
      h.ca
        ? tls.connect({ socket: net.connect({ port: h.port, host: '127.0.0.1', localAddress: from }), host: '127.0.0.1', ca: h.ca }, onConnect)
        : net.connect({ port: h.port, host: '127.0.0.1', localAddress: from }, onConnect);
    s.on('error', () => finish(false));
    s.on('close', () => finish(false));
    s.setTimeout(20000, () => s.destroy());
  });
}

/** Writes `lines` as syslog frames on one connection (TLS when the listener speaks it) and half-closes; resolves once all is written. */
export function sendLines(h: Harness, lines: string[], from = '127.0.0.1'): Promise<net.Socket> {
  const frames = lines.map((l) => (h.ca ? `${Buffer.byteLength(l)} ${l}` : l + '\n')).join('');
  return new Promise((resolve, reject) => {
    const raw = net.connect({ port: h.port, host: '127.0.0.1', localAddress: from });
    const s: net.Socket = h.ca ? tls.connect({ socket: raw, host: '127.0.0.1', ca: h.ca }) : raw;
    s.once(h.ca ? 'secureConnect' : 'connect', () => s.write(frames, () => resolve(s)));
    s.on('error', reject);
  });
}
