/**
 * bench/rollups: what do the 24 h dashboard and the Agencies view cost on the embedded store with
 * --events stored over 24 h (the bench/stall mix, four agencies)? Each read the console makes is timed
 * on the same file, by its scan (sqlite-event-reads.ts, what every read did before the rollups) and as
 * the store answers it now (sqlite-reads.ts: from the rollups when it can), side by side; the ratio is
 * scan / now.
 *
 *   npm run build && node dist/bench/rollups/rollups.js [--events 300000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EcsEvent } from '../../core/event';
import { createSqliteStore } from '../../core/store/sqlite';
import { installDeadline } from '../../core/store/sqlite-deadline';
import * as scan from '../../core/store/sqlite-event-reads';
import { READS } from '../../core/store/sqlite-reads';
import { openReader } from '../../core/store/sqlite-schema';
import { rangeWindow } from '../../console/server/routekit';
import { describeMachine, loadLine, machineLine } from '../machine';

const arg = process.argv.indexOf('--events');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 300_000;
const AGENCIES = ['so-tttt', 'so-yte', 'so-gd', 'so-tc'];
const KINDS = [
  { dataset: 'system.auth', address: '10.1.0.5:514', ip: (i: number) => `192.0.2.${i % 250}`, outcome: 'success' },
  { dataset: 'system.auth', address: '10.1.0.6:514', ip: () => null, outcome: 'success' },
  { dataset: 'fortinet.fortigate', address: '10.1.0.1:514', ip: (i: number) => `198.51.100.${i % 250}`, outcome: 'success' },
  { dataset: 'nginx.access', address: '10.1.0.9:514', ip: (i: number) => `192.0.2.${i % 250}`, outcome: 'success' },
];

/** Event i of the mix, at a time spread over the 24 h before `end`, as the parsers store it (ECS, ~1 KiB). */
function event(i: number, end: number): EcsEvent {
  const k = KINDS[i % KINDS.length];
  const ip = k.ip(i);
  return {
    '@timestamp': new Date(end - Math.floor((i / N) * 86_400_000)).toISOString(),
    event: { id: `bench-${i}`, kind: i % 97 === 0 ? 'pipeline_error' : 'event', dataset: k.dataset, outcome: k.outcome, category: ['network'] },
    organization: { id: AGENCIES[Math.floor(i / 2000) % AGENCIES.length] },
    log: { source: { address: k.address } },
    ...(ip ? { source: { ip, port: 40000 + (i % 20000) } } : {}),
    destination: { ip: `10.0.${i % 20}.${i % 250}`, port: 443 },
    host: { name: `app-${i % 9}` },
    message: `bench event ${i} from ${ip ?? 'sudo'}: ${'x'.repeat(300)}`,
  } as unknown as EcsEvent;
}

const time = (fn: () => unknown): number => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const best = (fn: () => unknown) => Math.min(...[0, 1, 2].map(() => time(fn)));

async function main(): Promise<void> {
  console.log(`bench/rollups: ${N} events over 24 h in ${AGENCIES.length} agencies (embedded: SQLite), each console read by its scan and as the store answers it now`);
  console.log(machineLine(describeMachine()));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-bench-rollups-'));
  const file = path.join(dir, 'store.db');
  const store = createSqliteStore({ path: file, readers: 0 });
  const end = Date.now() - 60_000;
  const t0 = Date.now();
  for (let i = 0; i < N; i += 2000) await store.putEvents(Array.from({ length: Math.min(2000, N - i) }, (_, k) => event(i + k, end)));
  console.log(`preload: ${N} events stored (with their rollups) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await store.close();

  const db = openReader(file);
  installDeadline(db);
  const { from, intervalMs } = rangeWindow('24h');
  const q = { from, tenants: null };
  const since2d = new Date(Date.now() - 2 * 86400e3).toISOString();
  const since1h = new Date(Date.now() - 3600e3).toISOString();
  // the 24 h dashboard's event reads (dashboardroutes.ts) and the Agencies view's (opsroutes.ts /api/sources)
  const reads: { view: string; name: string; scan: () => unknown; now: () => unknown }[] = [
    { view: 'dashboard', name: 'events by agency', scan: () => scan.histogramBy(db, q, intervalMs, 'organization.id', 8), now: () => READS.histogramBy(db, q, intervalMs, 'organization.id', 8) },
    { view: 'dashboard', name: 'events by dataset', scan: () => scan.histogramBy(db, q, intervalMs, 'event.dataset', 8), now: () => READS.histogramBy(db, q, intervalMs, 'event.dataset', 8) },
    { view: 'dashboard', name: 'top source.ip', scan: () => scan.topValues(db, q, 'source.ip', 10), now: () => READS.topValues(db, q, 'source.ip', 10) },
    { view: 'agencies', name: 'sources, 2 days', scan: () => scan.sourceActivity(db, { tenants: null, since: since2d }), now: () => READS.sourceActivity(db, { tenants: null, since: since2d }) },
    { view: 'agencies', name: 'sources, last hour', scan: () => scan.sourceActivity(db, { tenants: null, since: since1h }), now: () => READS.sourceActivity(db, { tenants: null, since: since1h }) },
    { view: 'search', name: 'histogram, no query', scan: () => scan.histogram(db, q, intervalMs), now: () => READS.histogram(db, q, intervalMs) },
    { view: 'search', name: 'event total', scan: () => scan.countEvents(db, null), now: () => READS.countEvents(db, null) },
  ];
  const sums = new Map<string, { scan: number; now: number }>();
  console.log(`${'read'.padEnd(32)}${'scan ms'.padStart(10)}${'now ms'.padStart(10)}${'scan/now'.padStart(10)}`);
  for (const r of reads) {
    if (JSON.stringify(r.scan()) !== JSON.stringify(r.now())) throw new Error(`bench/rollups: ${r.name}: the rollup answer differs from the scan's`);
    const [s, n] = [best(r.scan), best(r.now)];
    const v = sums.get(r.view) ?? { scan: 0, now: 0 };
    sums.set(r.view, { scan: v.scan + s, now: v.now + n });
    console.log(`${`${r.view}: ${r.name}`.padEnd(32)}${s.toFixed(1).padStart(10)}${n.toFixed(1).padStart(10)}${(s / n).toFixed(1).padStart(10)}`);
  }
  for (const [view, v] of sums) console.log(`${`${view} (sum)`.padEnd(32)}${v.scan.toFixed(1).padStart(10)}${v.now.toFixed(1).padStart(10)}${(v.scan / v.now).toFixed(1).padStart(10)}`);
  console.log(loadLine());
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
