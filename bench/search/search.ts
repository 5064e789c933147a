/**
 * bench/search: how fast does an analyst's search answer on the embedded store, next to Elasticsearch on
 * the same events? --events events (bench/ingest's mix plus Windows logons and Cisco ASA denies, six
 * agencies, 30 days; bench/search/mix.ts) are stored in a fresh SQLite store and in Elasticsearch through
 * the project's own store code; then each kind of read (free text, field:value, a range, a 24 h
 * histogram, top values, the 24 h dashboard) runs --runs times on each, with a different value each run,
 * and p50/p95 are printed side by side with the ratio, beside each store's size per million events.
 *
 *   npm run bench:search [-- --events 10000000] [--runs 20] [--es http://127.0.0.1:9200]
 *
 * Ends by itself: Elasticsearch not reachable, or a load batch or a read not answered within its
 * watchdog, stops the run with a message naming the phase and a non-zero exit.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rangeWindow } from '../../console/server/routekit';
import { createElasticsearchStore } from '../../core/store/elasticsearch';
import { createSqliteStore } from '../../core/store/sqlite';
import type { Store } from '../../core/store/store';
import { announce, BenchError, within } from '../common';
import { describeMachine, loadLine, machineLine } from '../machine';
import { mixEvent } from './mix';

const opt = (name: string, dflt: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : dflt);
const N = Number(opt('--events', '10000000'));
const RUNS = Number(opt('--runs', '20'));
const ES_URL = opt('--es', 'http://127.0.0.1:9200');
const DAYS = 30;
const BATCH = 5000;
const BATCH_MS = 120_000; // a batch of 5 000 not stored within this is a stalled store
const READ_MS = 60_000;
const PREFIX = 'canhgac-bench-search';

async function esReachable(): Promise<void> {
  try {
    const r = await fetch(`${ES_URL}/_cat/nodes?h=version`, { signal: AbortSignal.timeout(5000) });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    console.log(`peer: Elasticsearch ${(await r.text()).trim()} at ${ES_URL}`);
  } catch (e) {
    throw new BenchError(`Elasticsearch is not reachable at ${ES_URL} (${(e as Error).message}): start it with deploy/local/infra.sh up es, or name another with --es`);
  }
}

/** The bench's indices, deleted by name (Elasticsearch refuses a wildcard delete by default). */
async function dropBenchIndices(): Promise<void> {
  const r = await fetch(`${ES_URL}/_cat/indices/${PREFIX}-*?h=index`, { signal: AbortSignal.timeout(60_000) });
  const names = (await r.text()).split('\n').map((l) => l.trim()).filter(Boolean);
  for (let i = 0; i < names.length; i += 20) {
    const d = await fetch(`${ES_URL}/${names.slice(i, i + 20).join(',')}`, { method: 'DELETE', signal: AbortSignal.timeout(120_000) });
    if (!d.ok) throw new BenchError(`deleting the bench's Elasticsearch indices: HTTP ${d.status} ${await d.text()}`);
  }
}

async function esSizeBytes(): Promise<number> {
  await fetch(`${ES_URL}/${PREFIX}-events-*/_refresh`, { method: 'POST', signal: AbortSignal.timeout(300_000) });
  const r = await fetch(`${ES_URL}/${PREFIX}-events-*/_stats/store`, { signal: AbortSignal.timeout(60_000) });
  return ((await r.json()) as { _all: { primaries: { store: { size_in_bytes: number } } } })._all.primaries.store.size_in_bytes;
}

/** The store file's size, and the field index's part of it (its tables' pages). */
function sqliteSizes(file: string): { total: number; index: number } {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare("SELECT name, sum(pgsize) AS b FROM dbstat WHERE name LIKE 'event_terms%' OR name LIKE 'event_values%' OR name LIKE 'event_field_%' OR name LIKE 'sqlite_autoindex_event_field%' GROUP BY name").all() as { b: number }[];
  db.close();
  return { total: fs.statSync(file).size, index: rows.reduce((s, r) => s + r.b, 0) };
}

interface Loaded {
  sqliteSeconds: number;
  esSeconds: number;
}

async function load(sqlite: Store, es: Store, end: number): Promise<Loaded> {
  announce('storing each batch', BATCH_MS, `${BATCH} events; a store that takes longer has stalled`);
  let [sq, el] = [0, 0];
  let lastLog = Date.now();
  for (let i = 0; i < N; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => mixEvent(i + k, N, end, DAYS));
    let t = performance.now();
    await within(`loading events ${i}–${i + batch.length} into SQLite`, BATCH_MS, sqlite.putEvents(batch));
    sq += performance.now() - t;
    t = performance.now();
    await within(`loading events ${i}–${i + batch.length} into Elasticsearch`, BATCH_MS, es.putEvents(batch));
    el += performance.now() - t;
    if (Date.now() - lastLog > 60_000) {
      lastLog = Date.now();
      console.log(`  loaded ${i + batch.length} of ${N}: SQLite ${Math.round((i + batch.length) / (sq / 1000))} events/s, Elasticsearch ${Math.round((i + batch.length) / (el / 1000))} events/s`);
    }
  }
  return { sqliteSeconds: sq / 1000, esSeconds: el / 1000 };
}

/** The reads an analyst makes; run r asks for a different value, so no answer is served from a cache of the one before. */
function reads(now: number): { name: string; run: (s: Store, r: number) => Promise<unknown> }[] {
  const week = new Date(now - 7 * 86_400_000).toISOString();
  const day = rangeWindow('24h', now);
  return [
    { name: 'free text, 7 d', run: (s, r) => s.searchEvents({ q: `"invalid user u${(r * 17) % 313}"`, from: week, tenants: null }) },
    { name: 'field:value, 7 d', run: (s, r) => s.searchEvents({ q: `user.name:nv${(r * 46 + 4) % 500}`, from: week, tenants: null }) },
    { name: 'range (port), 7 d', run: (s, r) => s.searchEvents({ q: `source.port:[30000 TO ${30000 + 40 * (r + 1)}]`, from: week, tenants: null }) },
    { name: 'histogram, 24 h', run: (s, r) => s.histogram({ q: r % 2 ? 'event.outcome:failure' : 'event.dataset:system.auth', from: day.from, tenants: null }, day.intervalMs) },
    { name: 'top values, 24 h', run: (s, r) => s.topValues({ from: day.from, tenants: r % 2 ? null : ['so-tc', 'so-yte'] }, 'user.name', 10) },
    {
      name: 'dashboard, 24 h',
      run: (s, r) => {
        const q = { from: day.from, tenants: r % 2 ? null : ['so-tc', 'so-yte'] };
        return Promise.all([s.histogramBy(q, day.intervalMs, 'organization.id', 8), s.histogramBy(q, day.intervalMs, 'event.dataset', 8), s.topValues(q, 'source.ip', 10)]);
      },
    },
  ];
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(p * xs.length) - 1)];

async function timeRuns(store: Store, read: { name: string; run: (s: Store, r: number) => Promise<unknown> }, label: string): Promise<number[]> {
  await within(`${label}: ${read.name} (warm-up)`, READ_MS, read.run(store, RUNS));
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    await within(`${label}: ${read.name}, run ${r + 1}`, READ_MS, read.run(store, r));
    ms.push(performance.now() - t);
  }
  return ms;
}

async function main(): Promise<void> {
  if (!Number.isInteger(N) || N < 1000) throw new BenchError(`--events: expected a whole number ≥ 1000, got ${opt('--events', '')}`);
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new BenchError(`--runs: expected a whole number ≥ 1, got ${opt('--runs', '')}`);
  console.log(`bench/search: ${N} events (bench/ingest mix + Windows logons + Cisco ASA denies, 6 agencies, ${DAYS} days) in the embedded store (SQLite) and in Elasticsearch; each read ${RUNS} times`);
  console.log(machineLine(describeMachine()));
  await esReachable();
  await dropBenchIndices();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-bench-search-'));
  const file = path.join(dir, 'store.db');
  const sqlite = createSqliteStore({ path: file });
  const es = createElasticsearchStore({ url: ES_URL, indexPrefix: PREFIX, retentionDays: 365 });
  await within('creating the Elasticsearch index templates', 120_000, es.init());
  let closed = false;
  try {
    const end = Date.now() - 60_000;
    const loaded = await load(sqlite, es, end);
    console.log(`load: SQLite ${Math.round(N / loaded.sqliteSeconds)} events/s (${loaded.sqliteSeconds.toFixed(0)} s, field index and rollups included), Elasticsearch ${Math.round(N / loaded.esSeconds)} events/s (${loaded.esSeconds.toFixed(0)} s, bulk)`);
    const esCount = await within('counting the events in Elasticsearch', 300_000, es.countEvents(null));
    if (esCount !== N) throw new BenchError(`Elasticsearch holds ${esCount} of the ${N} events stored`);
    console.log(`${'read'.padEnd(22)}${'SQLite p50'.padStart(12)}${'p95 ms'.padStart(9)}${'ES p50'.padStart(10)}${'p95 ms'.padStart(9)}${'p95 SQLite/ES'.padStart(15)}`);
    for (const read of reads(end)) {
      const a = await timeRuns(sqlite, read, 'SQLite');
      const b = await timeRuns(es, read, 'Elasticsearch');
      const f = (x: number) => x.toFixed(0);
      console.log(`${read.name.padEnd(22)}${f(pct(a, 0.5)).padStart(12)}${f(pct(a, 0.95)).padStart(9)}${f(pct(b, 0.5)).padStart(10)}${f(pct(b, 0.95)).padStart(9)}${(pct(a, 0.95) / pct(b, 0.95)).toFixed(2).padStart(15)}`);
    }
    await sqlite.close();
    closed = true;
    const sq = sqliteSizes(file);
    const esBytes = await esSizeBytes();
    const perM = (b: number) => `${(b / (N / 1e6) / 2 ** 20).toFixed(0)} MiB`;
    console.log(`size per million events: SQLite ${perM(sq.total)} (of which the field index ${perM(sq.index)}; ${perM(sq.total - sq.index)} without it), Elasticsearch ${perM(esBytes)} (primary store, not force-merged)`);
    console.log(loadLine());
  } finally {
    if (!closed) await sqlite.close().catch(() => undefined);
    await es.close().catch(() => undefined);
    await dropBenchIndices().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(`bench/search: ${e.message}`);
  process.exit(1);
});
