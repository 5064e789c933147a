/**
 * Fuzzing every parser with random and mutated lines (seeded, so a failure reproduces): no exception
 * escapes `parse`, every output is a well-formed, bounded event, no line runs away (a watchdog interrupts a
 * line that would hang, e.g. a backtracking regex), and memory stays flat over many lines. The
 * structure-aware cases (fuzz.contract.ts) run here with a bounded count; `npm run conformance` runs many more.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FORMATS, check, describeStructuredFuzz, receivedAt, rng } from './fuzz.contract';
import { parse } from './index';

const SEEDS = readFileSync(join(__dirname, 'fixtures', 'seed-lines.txt'), 'utf8').split('\n').filter(Boolean);

const TOKENS = ['"', "'", '=', ' ', '|', '\\', '[', ']', '{', '}', ':', ',', '\t', '\n', '%ASA-6-302013: ', 'CEF:0|', 'LEEF:2.0|', 'msg=audit(', 'type=', '<999>', '<13>1 ', 'date=', 'logid=', '\u0000', '\ufffd', 'Ä‘', '😀', '-', '/', '(', ')', 'port ', ' from ', 'null', '1e309', '-1', '99999999999999999999'];

function mutate(s: string, r: () => number): string {
  let out = s;
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(r() * (out.length + 1));
    switch (Math.floor(r() * 7)) {
      case 0: out = out.slice(0, i); break; // truncate
      case 1: out = out.slice(0, i) + TOKENS[Math.floor(r() * TOKENS.length)] + out.slice(i); break; // insert a token
      case 2: out = out.slice(0, i) + out.slice(i + 1 + Math.floor(r() * 10)); break; // delete
      case 3: out = out.slice(0, i) + String.fromCharCode(Math.floor(r() * 0xffff)) + out.slice(i + 1); break; // replace a char
      case 4: out = out + out.slice(i); break; // duplicate a tail
      case 5: out = out.slice(i) + out.slice(0, i); break; // rotate
      default: out = out.slice(0, i) + TOKENS[Math.floor(r() * TOKENS.length)].repeat(1 + Math.floor(r() * 50)) + out.slice(i); // a run
    }
  }
  return out;
}

function randomLine(r: () => number): string {
  const len = Math.floor(r() * 300);
  let s = '';
  for (let i = 0; i < len; i++) s += r() < 0.7 ? String.fromCharCode(32 + Math.floor(r() * 95)) : TOKENS[Math.floor(r() * TOKENS.length)];
  return s;
}

function randomValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 2 ? 5 : 7));
  if (k === 0) return null;
  if (k === 1) return r() < 0.5;
  if (k === 2) return Math.floor(r() * 1e6) * (r() < 0.5 ? -1 : 1);
  if (k === 3 || k === 4) return randomLine(r).slice(0, 40);
  if (k === 5) return Array.from({ length: Math.floor(r() * 3) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (const key of ['winlog', 'event_data', 'event_id', 'EventID', 'Channel', 'message', 'event', 'cef', 'device', 'transaction', 'event_type', 'timestamp', 'src_ip', '@timestamp', 'organization', 'extensions'].filter(() => r() < 0.3)) o[key] = randomValue(r, depth + 1);
  return o;
}

describe('parser fuzzing', () => {
  test('mutated seed lines through every pinned parser and auto-detection', () => {
    const r = rng(20261128);
    let n = 0;
    for (let round = 0; round < 40; round++) {
      for (const seed of SEEDS) {
        const line = mutate(seed, r);
        for (const format of FORMATS) {
          check(line, { receivedAt, format, timezone: r() < 0.1 ? 'Mars/Base' : undefined });
          n++;
        }
      }
    }
    expect(n).toBe(40 * SEEDS.length * FORMATS.length);
  });

  test('random lines, random bytes (invalid UTF-8) and random JSON documents', () => {
    const r = rng(7);
    for (let i = 0; i < 3000; i++) {
      check(randomLine(r), { receivedAt });
      const bytes = Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256)));
      check(bytes, { receivedAt, format: FORMATS[i % FORMATS.length] });
      const doc = randomValue(r, 0);
      if (doc && typeof doc === 'object' && !Array.isArray(doc)) check(doc as Record<string, unknown>, { receivedAt, format: FORMATS[i % FORMATS.length] });
    }
    // non-object inputs from a careless caller
    for (const bad of [null, undefined, 42, ['a'], true] as unknown[]) {
      const ev = parse(bad as string, { receivedAt });
      expect(ev.event.kind).toBe('pipeline_error');
    }
  });

  test('long and pathological lines finish (no catastrophic backtracking)', () => {
    const long = [
      'a'.repeat(200000), '='.repeat(100000), ' '.repeat(100000) + 'x', '"'.repeat(100000), '['.repeat(50000),
      'k=v '.repeat(30000), 'CEF:0|' + '|'.repeat(50000), 'CEF:0|a|b|c|d|e|5|' + 'x=y\\= '.repeat(20000),
      '%ASA-6-302013: Built inbound TCP connection 1 for ' + 'a:'.repeat(50000), '1,2026/03/14 10:00:00,x,THREAT,' + ','.repeat(100000),
      '<13>Mar 14 10:00:00 h sshd[1]: Failed password for ' + 'invalid user '.repeat(20000) + 'x from 1.2.3.4 port 1 ssh2',
      '<13>Mar 14 10:00:00 h sudo: u : ' + 'TTY=x ; '.repeat(20000) + 'COMMAND=/bin/true',
      '1.2.3.4 - - [14/Mar/2026:10:15:32 +0700] "' + 'GET '.repeat(30000) + '" 200 1 "-" "-"',
      '[Sat Mar 14 10:31:00 2026] ModSecurity: ' + '[id "1"] '.repeat(20000),
      'type=SYSCALL msg=audit(1.1:1): ' + "msg='".repeat(20000),
      '{' .repeat(5000),
      // one long token of hex-like words and commas: the access-line regex took 1.6 s on 35 KB of it, quadratically more on more
      '1e3,ab,'.repeat(30000),
      JSON.stringify({ winlog: { event_id: 4625, channel: 'Security', event_data: { TargetUserName: 'x'.repeat(100000) } } }),
    ];
    for (const line of long) for (const format of FORMATS) check(line, { receivedAt, format });
    expect(long.length).toBeGreaterThan(10);
  });

  test('memory stays flat over many lines', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const r = rng(99);
    const batch = (): void => {
      for (let i = 0; i < 5000; i++) parse(mutate(SEEDS[i % SEEDS.length], r), { receivedAt, timezone: `+0${i % 9}:00` });
    };
    batch();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let k = 0; k < 4; k++) batch();
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // 20,000 parsed lines may not leave more than a few MB behind (caches are bounded)
    expect(grown).toBeLessThan(16 * 1024 * 1024);
  });
});

describeStructuredFuzz(40, 20261203);
