/**
 * Structure-aware fuzzing of every parser, shared by `npm test` (parsers.fuzz.test.ts, a bounded count)
 * and `npm run conformance` (parsers.fuzz.conformance.test.ts, CANHGAC_FUZZ_ITERATIONS): JSON documents
 * and key=value lines built with `__proto__`/`constructor`/`prototype`/`organization` keys at every
 * depth and as dotted keys, deep nesting, huge arrays, wide objects, invalid UTF-8 and huge lines, through
 * every input route (text, bytes, parsed documents, a syslog header, an agent's message) and every pinned
 * parser. Each result must be a well-formed, bounded event; a watchdog interrupts a run-away parse.
 */
import { Script, createContext } from 'node:vm';
import type { EcsEvent } from '../../core/event';
import { createEnricher } from '../enrich';
import { stampEvent } from '../stamp';
import { MAX_DEPTH, MAX_KEYS } from './bounds';
import { parse, parserNames, ParseContext } from './index';

export const FORMATS = parserNames();
export const receivedAt = new Date('2026-03-15T04:00:00Z');
/** The prototypes a key path could reach from a document (`constructor.prototype` of an object, an array, a string), and what they hold. */
const PROTOTYPES: Array<[string, object]> = [['Object', Object.prototype], ['Array', Array.prototype], ['Function', Function.prototype], ['String', String.prototype]];
const snapshot = (): Array<Map<string, unknown>> => PROTOTYPES.map(([, p]) => new Map(Object.getOwnPropertyNames(p).map((k) => [k, Object.getOwnPropertyDescriptor(p, k)?.value])));
const PRISTINE = snapshot();

/** The first prototype member added or replaced since this module loaded, or undefined. */
function prototypeChange(): string | undefined {
  const now = snapshot();
  for (let i = 0; i < PROTOTYPES.length; i++) {
    for (const [k, v] of now[i]) if (!PRISTINE[i].has(k) || PRISTINE[i].get(k) !== v) return `${PROTOTYPES[i][0]}.prototype.${k} was ${PRISTINE[i].has(k) ? 'replaced' : 'added'}`;
  }
  return undefined;
}
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** mulberry32: small deterministic PRNG, so a failure reproduces from its seed */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)];

// one context reused: the watchdog interrupts a parse that would hang instead of letting the suite time out
const sandbox = createContext({ fn: (): unknown => undefined });
const call = new Script('fn()');
function watchdog<T>(fn: () => T): T {
  sandbox.fn = fn;
  return call.runInContext(sandbox, { timeout: 5000 }) as T;
}

function describeInput(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input.slice(0, 300));
  if (Buffer.isBuffer(input)) return `bytes ${input.subarray(0, 200).toString('base64')}`;
  try {
    return (JSON.stringify(input) ?? String(input)).slice(0, 300);
  } catch {
    return 'a document too deep to print';
  }
}

/** Depth (containers below the root), key count, and the first unsafe key segment; iterative. */
function shape(v: unknown): { depth: number; keys: number; unsafe?: string } {
  let depth = 0;
  let keys = 0;
  let unsafe: string | undefined;
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (!x || typeof x !== 'object') continue;
    depth = Math.max(depth, d);
    if (!Array.isArray(x)) for (const k of Object.keys(x)) {
      keys++;
      unsafe ??= k.split('.').find((s) => UNSAFE.has(s));
    }
    for (const c of Array.isArray(x) ? x : Object.values(x)) if (c && typeof c === 'object') stack.push([c, d + 1]);
  }
  return { depth, keys, unsafe };
}

/** What is wrong with one parse result, or undefined. */
function problemOf(ev: EcsEvent): string | undefined {
  const error = (ev.error as { message?: unknown } | undefined)?.message;
  if (typeof ev['@timestamp'] !== 'string' || Number.isNaN(Date.parse(ev['@timestamp']))) return `bad @timestamp ${String(ev['@timestamp'])}`;
  if (typeof ev.event?.kind !== 'string') return 'no event.kind';
  if (typeof ev.event.original !== 'string') return 'no event.original';
  if (Object.keys(ev).some((k) => k === 'organization' || k.startsWith('organization.'))) return 'organization kept from the payload';
  if (ev.event.id !== undefined) return 'event.id kept from the payload';
  if (ev.event.kind === 'pipeline_error' && !error) return 'pipeline_error without error.message';
  if (ev.event.kind === 'pipeline_error' && typeof error === 'string' && error.startsWith('parser crashed')) return `a parser threw something other than a ParseFailure: ${error.slice(0, 200)}`;
  const s = shape(ev);
  if (s.depth > MAX_DEPTH) return `nested ${s.depth} levels deep (bound ${MAX_DEPTH})`;
  if (s.keys > MAX_KEYS + 50) return `${s.keys} keys (bound ${MAX_KEYS})`;
  if (s.unsafe) return `key ${s.unsafe} in the event`;
  try {
    JSON.stringify(ev);
  } catch (e) {
    return `event does not serialize to JSON (${(e as Error).message})`;
  }
  return undefined;
}

/** Parses one input and throws, naming input and format, unless the result is a well-formed bounded event and Object.prototype is untouched. */
export function check(input: string | Buffer | Record<string, unknown>, ctx: ParseContext): EcsEvent {
  let ev: EcsEvent;
  try {
    ev = watchdog(() => parse(input, ctx));
  } catch (e) {
    throw new Error(`parse escaped or ran away (${(e as Error).message}) with format ${ctx.format ?? ctx.dataset ?? 'auto'} on ${describeInput(input)}`);
  }
  const problem = prototypeChange() ?? problemOf(ev);
  if (problem) throw new Error(`${problem} with format ${ctx.format ?? ctx.dataset ?? 'auto'} for ${describeInput(input)}`);
  return ev;
}

const HOSTILE_KEYS = [
  '__proto__', 'constructor', 'prototype', '__proto__.disabled', 'constructor.prototype.format', 'a.__proto__.b', 'prototype.disabled',
  'organization', 'organization.id', 'organization.id.x', 'organization.name', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__',
  '', '.', '..', 'a..b', '\u0000', '\ud800', 'é', 'k'.repeat(300), 'disabled', 'format',
];
const ECS_KEYS = [
  'message', 'event', 'winlog', 'event_data', 'event_id', 'EventID', 'Channel', 'channel', 'cef', 'device', 'extensions', 'transaction', 'event_type',
  'timestamp', '@timestamp', 'src_ip', 'dest_ip', '_path', 'id.orig_h', 'host', 'source', 'user', 'name', 'ip', 'data_stream', 'dataset', 'fileset',
  'module', 'original', 'id', 'tags', 'log', 'error', 'auditd', 'data', 'ts', 'uid', 'query', 'note', 'agent', 'type',
];
const STRINGS = ['', 'x', '10.0.0.1', '2026-03-14T10:00:00Z', 'Mar 14 10:00:00', 'Security', 'alert', 'dns', 'system.auth', 'suricata.eve', 'constructor', '__proto__', '\ud800\udfff\ud800', '😀'];

function key(r: Rand): string {
  return r() < 0.35 ? pick(r, HOSTILE_KEYS) : pick(r, ECS_KEYS);
}

/** A JSON text built directly as text (no recursion, any depth), with hostile keys at every level. */
export function jsonDocument(r: Rand, budget = { nodes: 150, big: 2 }): string {
  const scalar = (): string => {
    const k = Math.floor(r() * 6);
    if (k === 0) return 'null';
    if (k === 1) return r() < 0.5 ? 'true' : 'false';
    if (k === 2) return String(Math.floor(r() * 1e9) * (r() < 0.5 ? -1 : 1));
    if (k === 3) return pick(r, ['1e308', '-0', '0.5', '99999999999999999999', '4625']);
    return JSON.stringify(r() < 0.97 ? pick(r, STRINGS) : 'v'.repeat(Math.floor(r() * 5000)));
  };
  const value = (depth: number): string => {
    if (--budget.nodes < 0 || depth > 6) return scalar();
    const k = Math.floor(r() * 12);
    if (k < 4) return scalar();
    // at most `big` deep, huge or wide values per document: a listener's frame limit bounds real input
    if (k === 4 && budget.big-- > 0) return deep(r);
    if (k === 5) return `[${Array.from({ length: 1 + Math.floor(r() * 4) }, () => value(depth + 1)).join(',')}]`;
    if (k === 6 && r() < 0.3 && budget.big-- > 0) return hugeArray(r);
    if (k === 7 && r() < 0.3 && budget.big-- > 0) return wideObject(r);
    return `{${Array.from({ length: 1 + Math.floor(r() * 5) }, () => `${JSON.stringify(key(r))}:${value(depth + 1)}`).join(',')}}`;
  };
  return `{${Array.from({ length: 1 + Math.floor(r() * 6) }, () => `${JSON.stringify(key(r))}:${value(1)}`).join(',')}}`;
}

/** Objects or arrays nested far deeper than any real event, with a hostile key on the way. */
function deep(r: Rand): string {
  const levels = pick(r, [MAX_DEPTH, MAX_DEPTH + 1, 40, 1000, 20000]);
  const k = JSON.stringify(key(r));
  if (r() < 0.5) return '['.repeat(levels) + '1' + ']'.repeat(levels);
  return `{${k}:`.repeat(levels) + '{"disabled":true,"format":"x"}' + '}'.repeat(levels);
}

function hugeArray(r: Rand): string {
  const n = pick(r, [1000, 5000]);
  return `[${new Array(n).fill(r() < 0.5 ? '1' : '{"__proto__":{"disabled":1}}').join(',')}]`;
}

function wideObject(r: Rand): string {
  const n = pick(r, [MAX_KEYS, MAX_KEYS + 1, 3000]);
  return `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`;
}

/** key=value lines of each family with hostile keys among the real ones. */
const KV_TEMPLATES: Array<(pairs: string) => string> = [
  (p) => `<189>date=2026-03-14 time=09:15:02 devname="FG" logid="0000000013" type="traffic" subtype="forward" ${p} srcip=10.0.0.1 dstip=10.0.0.2 action="deny"`,
  (p) => `CEF:0|Vendor|Product|1.0|100|Name|5|src=10.0.0.1 ${p} dst=10.0.0.2`,
  (p) => `<13>Mar 14 10:00:00 qr LEEF:2.0|V|P|1.0|41|^|src=10.0.0.1^${p.replace(/ /g, '^')}^dst=10.0.0.5`,
  (p) => `<134>1 2026-03-14T03:00:00Z cp-gw CheckPoint 2211 - [action:"Drop"; ${p.replace(/=("?)([^ "]*)\1/g, ':"$2";')} src:"10.0.0.1"; product:"VPN-1 & FireWall-1"]`,
  (p) => `<30>device="SFW" date=2026-03-14 time=09:10:00 timezone="+07" device_name="XG" device_id=C1 log_id=010102600002 log_type="Firewall" log_subtype="Denied" ${p} src_ip=10.0.0.1`,
  (p) => `Mar 14 09:01:00 srv sudo:   hoang : TTY=pts/1 ; PWD=/tmp/${p.replace(/ /g, ' ; ').toUpperCase()} ; USER=root ; COMMAND=/bin/ls`,
  (p) => `type=USER_AUTH msg=audit(1773482401.000:8813): pid=3333 uid=0 ${p} msg='op=PAM:authentication ${p} acct="root" res=success'`,
  (p) => `<190>date=2026-03-14,time=09:20:00,device_id=FE1,log_id=0400003064,type=virus,subtype=infected,${p.replace(/ /g, ',')}`,
  (p) => `2026:03:14-09:13:00 utm01 ulogd[4488]: id="2001" severity="info" sys="SecureNet" sub="packetfilter" ${p} srcip="10.0.0.1"`,
  (p) => `[Sat Mar 14 10:31:00 2026] [:error] [client 10.0.0.1:5000] ModSecurity: Warning. [id "1"] ${p.replace(/(\S+)=(\S*)/g, '[$1 "$2"]')} [uri "/"]`,
  (p) => `<13>1 2026-03-14T10:00:00Z host app 1 - [${p.replace(/(\S+)=(\S*)/g, (_m, k: string, v: string) => `${k.replace(/[\s=\]"]/g, '') || 'k'}="${v.replace(/"/g, '')}"`)}] text`,
  (p) => `<54>Mar 14 10:40:00 sepm01 SymantecServer: Virus found,IP Address: 10.40.2.15,${p.replace(/=/g, ': ').replace(/ (?=\S+: )/g, ',')}`,
  (p) => `#Fields: date time ${p.replace(/=\S*/g, '')} c-ip`,
];

export function kvLine(r: Rand): string {
  const pairs = Array.from({ length: 1 + Math.floor(r() * 5) }, () => `${pick(r, HOSTILE_KEYS.filter((k) => /^[^\s="]+$/.test(k)))}=${pick(r, ['1', 'x', '"quoted value"', '{"a":1}', ''])}`).join(' ');
  return pick(r, KV_TEMPLATES)(pairs);
}

/** Bytes that are not UTF-8, a huge line or a mutated JSON text: the damage a network path can do. */
function damaged(r: Rand, text: string): string | Buffer {
  const k = Math.floor(r() * 4);
  if (k === 0) {
    const b = Buffer.from(text);
    for (let i = 0; i < 1 + Math.floor(r() * 8); i++) b[Math.floor(r() * b.length)] = pick(r, [0xff, 0xc0, 0x80, 0xed, 0xf4]);
    return b;
  }
  if (k === 1) return text + ' '.repeat(Math.floor(r() * 3)) + pick(r, ['x', 'a,1e3:', ' k=v', '{"a":']).repeat(pick(r, [100, 10000]));
  if (k === 2) return text.slice(0, Math.floor(r() * text.length));
  return text.replace(/"/g, () => (r() < 0.05 ? '' : '"'));
}

const enricher = createEnricher({ geo: false });

/** One structured case through every route; returns how many parses it made. */
export function fuzzOnce(r: Rand): number {
  let n = 0;
  const ctx = (): ParseContext => ({ receivedAt, format: r() < 0.5 ? 'auto' : pick(r, FORMATS), timezone: r() < 0.1 ? 'Mars/Base' : undefined });
  const text = r() < 0.7 ? jsonDocument(r) : kvLine(r);
  const routes: Array<string | Buffer | Record<string, unknown>> = [text, Buffer.from(text), `<13>Mar 14 10:00:00 h app: ${text}`, damaged(r, text)];
  if (text.startsWith('{')) {
    const doc = JSON.parse(text) as Record<string, unknown>;
    routes.push(doc, { message: text, host: { name: 'h' }, [key(r)]: JSON.parse(jsonDocument(r, { nodes: 20, big: 0 })) });
  } else routes.push({ message: text, agent: { type: 'filebeat' } });
  const stampAt = Math.floor(r() * routes.length);
  for (const [i, input] of routes.entries()) {
    const c = ctx();
    check(input, c);
    n++;
    if (i !== stampAt) continue;
    // the collector's own stamping and enrichment on top of what the parser made, on one route per case
    const stamped = watchdog(() => stampEvent('udp:514', { raw: input, tenant: 'agency-a', sourceIp: '10.0.0.9', format: c.format }, receivedAt, 'Asia/Ho_Chi_Minh', enricher));
    if (stamped.organization?.id !== 'agency-a' || Object.keys(stamped).some((k) => k.startsWith('organization.'))) throw new Error(`tenant not the credential's for ${describeInput(input)}`);
    const changed = prototypeChange();
    if (changed) throw new Error(`${changed} by stamping or enrichment of ${describeInput(input)}`);
  }
  return n;
}

/** Cases per test: each test stays well inside the test timeout however many cases are asked for. */
const CHUNK = 250;

/** The structure-aware suite with `iterations` cases from `seed`, in tests of at most CHUNK cases (seeds seed, seed+1, ...). */
export function describeStructuredFuzz(iterations: number, seed: number): void {
  describe(`structure-aware parser fuzzing (${iterations} cases, seed ${seed})`, () => {
    for (let from = 0; from < iterations; from += CHUNK) {
      const count = Math.min(CHUNK, iterations - from);
      const chunkSeed = seed + from / CHUNK;
      test(`hostile keys, deep nesting, huge arrays, wide objects, damaged bytes: every route and parser gives a bounded event (${count} cases, seed ${chunkSeed})`, () => {
        const r = rng(chunkSeed);
        let n = 0;
        for (let i = 0; i < count; i++) n += fuzzOnce(r);
        expect(n).toBeGreaterThanOrEqual(count * 5);
        expect(({} as Record<string, unknown>).disabled).toBeUndefined();
        expect(({} as Record<string, unknown>).format).toBeUndefined();
        // and an ordinary line still parses as before
        const ev = parse('Mar 14 08:12:01 bastion sshd[24121]: Failed password for invalid user oracle from 203.0.113.45 port 51514 ssh2', { receivedAt });
        expect(ev.event).toMatchObject({ kind: 'event', dataset: 'system.auth', outcome: 'failure' });
      });
    }
  });
}
