/**
 * Parsing in worker threads must not change what the collector publishes: the same events (field for
 * field) as parsing in the listeners' thread, in the order the batches were submitted, and none lost
 * when a worker dies mid-batch. Runs the compiled worker (dist/, built by the test setup).
 */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEmbeddedBus } from '../core/bus/embedded';
import type { Bus } from '../core/bus/bus';
import type { EcsEvent } from '../core/event';
import { silentLogger } from '../core/log';
import { Counters } from './counters';
import { createEnricher } from './enrich';
import { Intake, type IntakeItem } from './intake';
import { ParsePool, parseWorkerScript } from './parse-pool';

jest.setTimeout(60_000);

const TZ = 'Asia/Ho_Chi_Minh';
const LINES: (string | Buffer | Record<string, unknown>)[] = [
  '<38>Nov 28 09:12:01 web01 sshd[2211]: Failed password for invalid user admin from 203.0.113.9 port 50122 ssh2',
  '<86>Nov 28 09:12:02 web01 sudo:   nam : TTY=pts/0 ; PWD=/home/nam ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx',
  '<189>date=2026-11-28 time=09:12:03 devname="FGT-SoTTTT" devid="FG100FTK19000001" logid="0000000013" type="traffic" subtype="forward" level="notice" srcip=10.1.2.3 srcport=51515 dstip=198.51.100.20 dstport=443 proto=6 action="deny" policyid=7',
  'CEF:0|Trend Micro|Apex One|14.0|AV-1|Virus found|8|src=10.1.2.4 suser=lan fname=invoice.exe act=Quarantine',
  Buffer.from('<13>Nov 28 09:12:04 db01 app: h\xe0\xff broken utf-8', 'latin1'),
  { message: '<38>Nov 28 09:12:05 web02 sshd[9]: Accepted publickey for deploy from 10.9.8.7 port 40000 ssh2', host: { name: 'web02' } },
  '10.0.0.5 - - [28/Nov/2026:09:12:06 +0700] "GET /wp-login.php HTTP/1.1" 404 153 "-" "sqlmap/1.8"',
  'this is not any log format at all {',
  '   ',
];

const tmp = () => fs.mkdtempSync(path.join(tmpdir(), 'canhgac-pool-'));

async function readAll(bus: Bus, count: number): Promise<EcsEvent[]> {
  const seen: EcsEvent[] = [];
  const sub = await bus.subscribe<EcsEvent>({ topic: 'events', group: 'check', handler: async (b) => void seen.push(...b.map((m) => m.value)) });
  const end = Date.now() + 20_000;
  while (seen.length < count && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  await sub.close();
  return seen;
}

/** `format` pins every third item's parser, as a source's config would. */
const items = (n: number, format = ''): IntakeItem[] =>
  Array.from({ length: n }, (_, i) => {
    const l = LINES[i % LINES.length];
    const raw = typeof l === 'object' && !Buffer.isBuffer(l) ? structuredClone(l) : l;
    return { raw, tenant: i % 2 ? 'so-tttt' : 'so-yte', sourceIp: '10.1.2.3', ...(format && i % 3 === 0 ? { format } : {}) };
  });

/** What differs between two runs of the same input: the id and the time of receipt (also @timestamp where the line had none). */
const withoutIds = (ev: EcsEvent) => ({
  ...ev,
  '@timestamp': ev['@timestamp'] === ev.event.created ? 'received' : ev['@timestamp'],
  event: { ...ev.event, id: undefined, created: undefined },
});

let pool: ParsePool;
beforeAll(() => {
  const script = parseWorkerScript();
  if (!script) throw new Error('dist/collector/parse-worker.js is missing: run npm run build (the jest global setup does)');
  pool = new ParsePool(2, script, { timezone: TZ, geo: true }, silentLogger);
});
afterAll(() => pool.close());

test('a batch parsed by the workers gives the same events, field for field, as one parsed in the listeners\' thread', async () => {
  const make = (withPool: boolean) => {
    const bus = createEmbeddedBus({ dir: tmp() });
    const counters = new Counters();
    return { bus, counters, intake: new Intake({ bus, counters, logger: silentLogger, timezone: TZ, enricher: createEnricher({ geo: true }), pool: withPool ? pool : undefined }) };
  };
  const a = make(true);
  const b = make(false);
  const ra = await a.intake.submit('syslog-tcp', [...items(40), ...items(9, 'fortigate')]);
  const rb = await b.intake.submit('syslog-tcp', [...items(40), ...items(9, 'fortigate')]);
  expect(ra.accepted).toBe(49);
  expect(ra.failed).toBe(rb.failed);
  expect(ra.failed).toBeGreaterThan(0); // an empty line becomes a pipeline_error event, counted
  const ea = await readAll(a.bus, 49);
  const eb = await readAll(b.bus, 49);
  expect(ea.map((e) => e.event.id)).toEqual(ra.ids);
  // everything but the id (a fresh one per event) is the same, including the times, enrichment and pipeline errors
  expect(ea.map(withoutIds)).toEqual(eb.map(withoutIds));
  expect(ea.find((e) => (e.source as { ip?: string } | undefined)?.ip === '203.0.113.9')?.event.outcome).toBe('failure');
  const counts = (c: Counters) => JSON.parse(JSON.stringify(c.snapshot(), (k, v) => (k === 'last_seen' || k === 'at' ? undefined : v)));
  expect(counts(a.counters)).toEqual(counts(b.counters));
  await a.bus.close();
  await b.bus.close();
});

test('batches are published in the order they were submitted, whether a worker or this thread parsed them', async () => {
  const bus = createEmbeddedBus({ dir: tmp() });
  const intake = new Intake({ bus, counters: new Counters(), logger: silentLogger, timezone: TZ, pool, poolMinBatch: 8 });
  const sizes = [50, 1, 120, 3, 64, 2, 200, 9, 1];
  const submitted: string[] = [];
  const all = await Promise.all(sizes.map((n, b) => intake.submit('syslog-tcp', items(n).map((it, i) => ({ ...it, raw: `<13>Nov 28 10:00:00 h${b} app: batch ${b} line ${i}` })))));
  for (const r of all) submitted.push(...r.ids);
  const seen = await readAll(bus, submitted.length);
  expect(seen.map((e) => e.event.id)).toEqual(submitted);
  expect(seen.map((e) => e.message)).toEqual(sizes.flatMap((n, b) => Array.from({ length: n }, (_, i) => `batch ${b} line ${i}`)));
  await bus.close();
});

test('a worker that dies mid-batch loses nothing: its batch is parsed here and the worker is replaced', async () => {
  const local = new ParsePool(1, parseWorkerScript()!, { timezone: TZ, geo: false }, silentLogger);
  const bus = createEmbeddedBus({ dir: tmp() });
  const intake = new Intake({ bus, counters: new Counters(), logger: silentLogger, timezone: TZ, pool: local });
  const [tid] = local.threadIds();
  const pending = intake.submit('syslog-tcp', items(5000));
  // the worker is killed while it holds the batch
  await (local as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots[0].worker.terminate();
  const r = await pending;
  expect(r.accepted).toBe(5000);
  expect(local.restarts).toBe(1);
  expect(local.threadIds()[0]).not.toBe(tid);
  const seen = await readAll(bus, 5000);
  expect(new Set(seen.map((e) => e.event.id))).toEqual(new Set(r.ids));
  // and the replacement takes the next batch
  const next = await intake.submit('syslog-tcp', items(20));
  expect(next.accepted).toBe(20);
  await local.close();
  await bus.close();
});

test('a worker stuck on a batch past the limit is replaced, and that batch is kept as pipeline errors with the reason, not lost', async () => {
  // a 20 ms limit that a 20 000-line batch cannot meet stands in for a line a parser would hang on
  const local = new ParsePool(1, parseWorkerScript()!, { timezone: TZ, geo: false }, silentLogger, 20);
  const [before] = local.threadIds();
  const bus = createEmbeddedBus({ dir: tmp() });
  const counters = new Counters();
  const intake = new Intake({ bus, counters, logger: silentLogger, timezone: TZ, pool: local });
  const r = await intake.submit('syslog-tcp', items(20_000));
  expect(r.accepted).toBe(20_000);
  expect(r.failed).toBe(20_000);
  expect(local.timeouts).toBe(1);
  expect(local.restarts).toBe(1);
  const seen = await readAll(bus, 20_000);
  expect(seen).toHaveLength(20_000);
  expect(seen.every((e) => e.event.kind === 'pipeline_error' && /took longer than the parse workers' limit/.test(String(e.event.reason)))).toBe(true);
  expect(seen[0].event.original).toBe(LINES[0]);
  expect(seen[0].organization?.id).toBe('so-yte');
  expect(seen.map((e) => e.event.id)).toEqual(r.ids);
  const snap = counters.snapshot() as unknown as { listeners: Record<string, { failed: number }> };
  expect(JSON.stringify(snap)).toContain('"failed":20000');
  expect(local.threadIds()[0]).not.toBe(before); // a fresh worker took its place
  await local.close();
  await bus.close();
});
