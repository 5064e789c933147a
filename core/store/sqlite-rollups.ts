/**
 * Event rollups of the embedded store: counts per time bucket × agency × dataset × source × event.kind ×
 * event.outcome, so the dashboards and the Agencies view cost the number of buckets, not of events.
 *
 * Design (bounded, exact):
 * - event_rollup_minute holds events with ts ≥ fold_before (the last ~2 days and the future);
 *   event_rollup_hour holds events with ts < fold_before. fold_before is hour-aligned and moves forward
 *   (foldRollups, every minute): minute rows older than ~48 h are summed into hour rows and deleted, in one
 *   transaction. Size: ≤ 2 880 minute rows + 24 hour rows a day per distinct key, whatever the event rate.
 * - Rows are added in the SAME transaction as the events (addToRollups from the event writer), from the
 *   stored rows with the same SQL expressions the scans use, so a rollup answer equals the scan's, also
 *   across kill -9; an event id already stored (INSERT OR IGNORE) is not counted twice.
 * - An old store (events but no rollups) is built in the background (backfillStep: ≤ BACKFILL_CHUNK events
 *   per transaction, progress kept in event_rollup_meta, so it resumes after a restart, and logged);
 *   until it is done every read scans.
 * - Reads (answers below) cut the window into hour rows, minute rows, and a scan of the events at the
 *   unaligned edges (< 1 minute, or < 1 hour before fold_before), in one read transaction. A histogram step
 *   that is not a whole number of minutes (the 15 min view's 10 s) is not answered here: the caller scans.
 * - Deleting events (retention): call rollupsAfterDelete(db, tenant, to, from) in the same transaction,
 *   after deleting some of that agency's events with from ≤ ts < to: the buckets the range touches are
 *   counted again from the events that remain (few, after a retention batch).
 * - Top source.ip values have their own hour rows (event_rollup_ip, no minute rows: the values are
 *   unbounded); a window's unaligned edges are scanned (≤ 1 h each side).
 * Only a query without a search (q empty) is answered here; the Elasticsearch/OpenSearch stores keep
 * their aggregations. A non-string organization.id or event.dataset (never written by the parsers) may
 * be grouped differently from the scan.
 */
import type Database from 'better-sqlite3';
import { startBackfill, type BackfillLogger } from './sqlite-backfill';
import type { EventQuery, HistogramBucket, SourceActivity, TenantScope, TopValue } from './store';
import { EVENT_JSON, jsonPath } from './sql-query';
import { scopeSql } from './sqlite-schema';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
/** Minute rows are kept this long before they are folded into hours. */
export const MINUTE_KEEP_MS = 48 * HOUR;
export const BACKFILL_CHUNK = 10_000;
const FOLD_STEP_MS = 6 * HOUR; // at most this much of minute rows folded per transaction
const FAR = 8.64e15; // the Date range; a multiple of an hour
const DEADLINE = 'canhgac_deadline()'; // as in sqlite-event-reads.ts: stops a read at its time limit

export const ROLLUP_SCHEMA = ['minute', 'hour']
  .map(
    (g) => `CREATE TABLE IF NOT EXISTS event_rollup_${g} (bucket INTEGER NOT NULL, tenant TEXT NOT NULL, dataset TEXT NOT NULL, source TEXT NOT NULL,
  kind TEXT NOT NULL, outcome TEXT NOT NULL, n INTEGER NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (bucket, tenant, dataset, source, kind, outcome)) WITHOUT ROWID;`,
  )
  .join('\n') +
  // source.ip by hour only: its values are unbounded, so no minute rows; ip has no type, so a value keeps the type the scan groups by
  '\nCREATE TABLE IF NOT EXISTS event_rollup_ip (bucket INTEGER NOT NULL, tenant TEXT NOT NULL, ip NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (bucket, tenant, ip)) WITHOUT ROWID;' +
  '\nCREATE TABLE IF NOT EXISTS event_rollup_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);';

/** A possibly-null JSON value as a key column: '' for null, '=' + its text otherwise. */
const enc = (path: string) => `coalesce('=' || CAST(json_extract(${EVENT_JSON}, '${path}') AS TEXT), '')`;
export const dec = (col: string) => `CASE WHEN ${col} = '' THEN NULL ELSE substr(${col}, 2) END`;
/** The key columns of one stored event, the expressions sourceActivity and histogramBy scan with. */
const DIMS = `e.tenant AS tenant, ${enc('$.event.dataset')} AS dataset,
  CAST(coalesce(json_extract(${EVENT_JSON}, '$.log.source.address'), json_extract(${EVENT_JSON}, '$.input.type'), 'unknown') AS TEXT) AS source,
  ${enc('$.event.kind')} AS kind, ${enc('$.event.outcome')} AS outcome`;
const COLS = 'bucket, tenant, dataset, source, kind, outcome, n, last';
const grainMs = (g: Grain) => (g === 'minute' ? MINUTE : HOUR);
type Grain = 'minute' | 'hour';

interface Meta {
  foldBefore: number;
  backfillDone: number; // events with rowid ≤ this are in the rollups…
  backfillEnd: number; // …and every event with rowid > this one
}

function readMeta(db: Database.Database): Meta | null {
  const rows = db.prepare('SELECT key, value FROM event_rollup_meta').all() as { key: string; value: number }[];
  const m = new Map(rows.map((r) => [r.key, r.value]));
  const [foldBefore, backfillDone, backfillEnd] = ['fold_before', 'backfill_done', 'backfill_end'].map((k) => m.get(k));
  return foldBefore === undefined || backfillDone === undefined || backfillEnd === undefined ? null : { foldBefore, backfillDone, backfillEnd };
}

function setMeta(db: Database.Database, key: keyof typeof META_KEYS, value: number): void {
  db.prepare('INSERT INTO event_rollup_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(META_KEYS[key], value);
}
const META_KEYS = { foldBefore: 'fold_before', backfillDone: 'backfill_done', backfillEnd: 'backfill_end' } as const;

const floorTo = (t: number, g: number) => Math.floor(t / g) * g;
const ceilTo = (t: number, g: number) => Math.ceil(t / g) * g;

/** Creates the tables; an existing store without rollups gets a backfill of its events up to now. */
export function ensureRollups(db: Database.Database, now = Date.now()): void {
  const hasIp = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'event_rollup_ip'").get();
  db.exec(ROLLUP_SCHEMA);
  // rollups written before the source.ip table: built again, all of them, so every table counts the same events
  if (!hasIp) db.exec('DELETE FROM event_rollup_meta');
  db.transaction(() => {
    if (readMeta(db)) return;
    db.exec('DELETE FROM event_rollup_minute; DELETE FROM event_rollup_hour; DELETE FROM event_rollup_ip'); // the backfill counts every event again
    const max = (db.prepare('SELECT coalesce(max(rowid), 0) AS m FROM events').get() as { m: number }).m;
    setMeta(db, 'foldBefore', floorTo(now - MINUTE_KEEP_MS, HOUR));
    setMeta(db, 'backfillDone', 0);
    setMeta(db, 'backfillEnd', max);
  })();
}

/** Adds stored events chosen by `where` (over events e) to the rollup of their grain; runs inside the caller's transaction. */
function addWhere(db: Database.Database, where: string, params: unknown[], foldBefore: number): void {
  for (const g of ['minute', 'hour'] as const) {
    const G = grainMs(g);
    const [lo, hi] = g === 'minute' ? [foldBefore, FAR] : [-FAR, foldBefore];
    db.prepare(
      `INSERT INTO event_rollup_${g} (${COLS}) SELECT (e.ts / ${G}) * ${G}, ${DIMS}, count(*), max(e.ts) FROM events e
       WHERE ${where} AND e.ts >= ? AND e.ts < ? GROUP BY 1, 2, 3, 4, 5, 6
       ON CONFLICT DO UPDATE SET n = n + excluded.n, last = max(last, excluded.last)`,
    ).run(...params, lo, hi);
  }
  db.prepare(
    `INSERT INTO event_rollup_ip (bucket, tenant, ip, n) SELECT (e.ts / ${HOUR}) * ${HOUR}, e.tenant, j.value, count(*) FROM events e, json_each(${EVENT_JSON}, '${IP_PATH}') j
     WHERE ${where} AND j.value IS NOT NULL GROUP BY 1, 2, 3 ON CONFLICT DO UPDATE SET n = n + excluded.n`,
  ).run(...params);
}
const IP_PATH = jsonPath('source.ip');

/** The event writer's part, inside its transaction: the rows it has just inserted (their rowids) are counted. */
export function addToRollups(db: Database.Database, rowids: number[]): void {
  if (!rowids.length) return;
  const meta = readMeta(db);
  if (!meta) throw new Error('store: the event rollup tables are missing (ensureRollups was not run)');
  const first = rowids[0];
  const last = rowids[rowids.length - 1];
  // rows inserted in one transaction are numbered one after another; otherwise name them one by one
  if (last - first + 1 === rowids.length) addWhere(db, 'e.rowid BETWEEN ? AND ?', [first, last], meta.foldBefore);
  else addWhere(db, 'e.rowid IN (SELECT value FROM json_each(?))', [JSON.stringify(rowids)], meta.foldBefore);
}

/** One step of building the rollups of an old store; false when there is nothing left to do. */
export function backfillStep(db: Database.Database, chunk = BACKFILL_CHUNK): { done: number; end: number; more: boolean } {
  return db.transaction(() => {
    const meta = readMeta(db);
    if (!meta || meta.backfillDone >= meta.backfillEnd) return { done: meta?.backfillDone ?? 0, end: meta?.backfillEnd ?? 0, more: false };
    const hi = Math.min(meta.backfillDone + chunk, meta.backfillEnd);
    addWhere(db, 'e.rowid > ? AND e.rowid <= ?', [meta.backfillDone, hi], meta.foldBefore);
    setMeta(db, 'backfillDone', hi);
    return { done: hi, end: meta.backfillEnd, more: hi < meta.backfillEnd };
  })();
}

/** Moves minute rows older than MINUTE_KEEP_MS into hour rows (at most FOLD_STEP_MS of them); false when none were due. */
export function foldRollups(db: Database.Database, now = Date.now()): boolean {
  return db.transaction(() => {
    const meta = readMeta(db);
    const due = floorTo(now - MINUTE_KEEP_MS, HOUR);
    if (!meta || due <= meta.foldBefore) return false;
    const until = Math.min(due, meta.foldBefore + FOLD_STEP_MS);
    db.prepare(
      `INSERT INTO event_rollup_hour (${COLS}) SELECT (bucket / ${HOUR}) * ${HOUR}, tenant, dataset, source, kind, outcome, sum(n), max(last)
       FROM event_rollup_minute WHERE bucket < ? GROUP BY 1, 2, 3, 4, 5, 6 ON CONFLICT DO UPDATE SET n = n + excluded.n, last = max(last, excluded.last)`,
    ).run(until);
    db.prepare('DELETE FROM event_rollup_minute WHERE bucket < ?').run(until);
    setMeta(db, 'foldBefore', until);
    return true;
  })();
}

/**
 * For retention: call in the same transaction, after deleting any of `tenant`'s events with
 * from ≤ ts < to (ms; from omitted: everything before to). The buckets the range touches are counted
 * again from the events that remain there, so the rollups stay exact whatever part of the range was
 * deleted (a LIMIT-ed batch, a kept newest row). Pass the tightest range: its edge buckets are re-read.
 */
export function rollupsAfterDelete(db: Database.Database, tenant: string, to: number, from = -FAR): void {
  const meta = readMeta(db);
  if (!meta) return;
  for (const g of ['minute', 'hour'] as const) {
    const G = grainMs(g);
    const [dlo, dhi] = g === 'minute' ? [meta.foldBefore, FAR] : [-FAR, meta.foldBefore];
    const lo = Math.max(floorTo(Math.max(from, -FAR), G), dlo);
    const hi = Math.min(ceilTo(Math.min(to, FAR), G), dhi);
    if (lo >= hi) continue;
    db.prepare(`DELETE FROM event_rollup_${g} WHERE tenant = ? AND bucket >= ? AND bucket < ?`).run(tenant, lo, hi);
    // only the events already counted: those the backfill has not reached yet are counted when it does
    db.prepare(
      `INSERT INTO event_rollup_${g} (${COLS}) SELECT (e.ts / ${G}) * ${G}, ${DIMS}, count(*), max(e.ts) FROM events e
       WHERE e.tenant = ? AND e.ts >= ? AND e.ts < ? AND NOT (e.rowid > ? AND e.rowid <= ?) GROUP BY 1, 2, 3, 4, 5, 6`,
    ).run(tenant, lo, hi, meta.backfillDone, meta.backfillEnd);
  }
  const [lo, hi] = [floorTo(Math.max(from, -FAR), HOUR), ceilTo(Math.min(to, FAR), HOUR)];
  db.prepare('DELETE FROM event_rollup_ip WHERE tenant = ? AND bucket >= ? AND bucket < ?').run(tenant, lo, hi);
  db.prepare(
    `INSERT INTO event_rollup_ip (bucket, tenant, ip, n) SELECT (e.ts / ${HOUR}) * ${HOUR}, e.tenant, j.value, count(*) FROM events e, json_each(${EVENT_JSON}, '${IP_PATH}') j
     WHERE e.tenant = ? AND e.ts >= ? AND e.ts < ? AND NOT (e.rowid > ? AND e.rowid <= ?) AND j.value IS NOT NULL GROUP BY 1, 2, 3`,
  ).run(tenant, lo, hi, meta.backfillDone, meta.backfillEnd);
}

// ---- reads

const ROWS = 'bucket AS b, tenant, dataset, source, kind, outcome, n, last';

interface Rows {
  sql: string; // rows (b, tenant, dataset, source, kind, outcome, n, last): b a bucket or an event's ts
  params: unknown[];
}

/** The window [from, to) as hour rows, minute rows and scanned edges; null when a read must scan instead. */
function windowRows(db: Database.Database, w: { from?: string; to?: string; tenants: TenantScope; q?: string }, step: number | null): Rows | null {
  if (w.q && w.q.trim()) return null;
  if (step !== null && step % MINUTE !== 0) return null;
  const meta = readMeta(db);
  if (!meta || meta.backfillDone < meta.backfillEnd) return null;
  const lo = w.from ? Date.parse(w.from) : -FAR;
  const hi = w.to ? Date.parse(w.to) : FAR;
  if (Number.isNaN(lo) || Number.isNaN(hi)) return null; // the scan names the bad date
  const parts: { src: 'events' | Grain; lo: number; hi: number }[] = [];
  const cover = (a: number, b: number, g: Grain | null) => {
    if (a >= b) return;
    if (!g) return void parts.push({ src: 'events', lo: a, hi: b });
    const G = grainMs(g);
    const [ca, fb] = [ceilTo(a, G), floorTo(b, G)];
    if (ca >= fb) return void parts.push({ src: 'events', lo: a, hi: b });
    parts.push({ src: 'events', lo: a, hi: ca }, { src: g, lo: ca, hi: fb }, { src: 'events', lo: fb, hi: b });
  };
  const C = meta.foldBefore;
  cover(lo, Math.min(hi, C), step === null || step % HOUR === 0 ? 'hour' : null);
  cover(Math.max(lo, C), hi, 'minute');
  const params: unknown[] = [];
  const selects = parts
    .filter((p) => p.lo < p.hi)
    .map((p) => {
      params.push(p.lo, p.hi);
      if (p.src === 'events') return `SELECT e.ts AS b, ${DIMS}, 1 AS n, e.ts AS last FROM events e WHERE ${DEADLINE} AND e.ts >= ? AND e.ts < ? AND ${scopeSql(w.tenants, 'e.tenant', params)}`;
      return `SELECT ${ROWS} FROM event_rollup_${p.src} WHERE ${DEADLINE} AND bucket >= ? AND bucket < ? AND ${scopeSql(w.tenants, 'tenant', params)}`;
    });
  if (!selects.length) return { sql: `SELECT ${ROWS} FROM event_rollup_minute WHERE 0`, params };
  return { sql: selects.join(' UNION ALL '), params };
}

const r = (rows: Rows) => `(${rows.sql})`;
/** Fields a histogram or top values can take from the rollups, as a column expression. */
const FIELDS: Record<string, string> = {
  'organization.id': "CASE WHEN tenant = '' THEN NULL ELSE tenant END",
  'event.dataset': dec('dataset'),
  'event.kind': dec('kind'),
  'event.outcome': dec('outcome'),
};

/** Runs `answer` in one read transaction, so the fold cannot move rows between its statements. */
const inSnapshot = <T>(db: Database.Database, answer: () => T | null): T | null => (db.inTransaction ? answer() : db.transaction(answer)());

export function rollupHistogram(db: Database.Database, q: EventQuery, intervalMs: number): HistogramBucket[] | null {
  const step = Math.max(1000, Math.floor(intervalMs));
  return inSnapshot(db, () => {
    const rows = windowRows(db, q, step);
    if (!rows) return null;
    const out = db.prepare(`SELECT (b / ${step}) * ${step} AS t, sum(n) AS n FROM ${r(rows)} GROUP BY t ORDER BY t`).all(...rows.params) as { t: number; n: number }[];
    return out.map((x) => ({ t: new Date(x.t).toISOString(), count: x.n }));
  });
}

function topFrom(db: Database.Database, rows: Rows, col: string, size: number): TopValue[] {
  const out = db.prepare(`SELECT ${col} AS v, sum(n) AS n FROM ${r(rows)} WHERE v IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT ?`).all(...rows.params, Math.min(size, 1000)) as { v: string; n: number }[];
  return out.map((x) => ({ value: String(x.v), count: x.n }));
}

/** Top source addresses: whole hours from their rollup, the window's unaligned edges (< 1 h each) scanned. */
function topSourceIps(db: Database.Database, q: EventQuery, size: number): TopValue[] | null {
  if (q.q && q.q.trim()) return null;
  const meta = readMeta(db);
  if (!meta || meta.backfillDone < meta.backfillEnd) return null;
  const lo = q.from ? Date.parse(q.from) : -FAR;
  const hi = q.to ? Date.parse(q.to) : FAR;
  if (Number.isNaN(lo) || Number.isNaN(hi) || ceilTo(lo, HOUR) >= floorTo(hi, HOUR)) return null;
  const params: unknown[] = [ceilTo(lo, HOUR), floorTo(hi, HOUR)];
  const parts = [`SELECT ip AS v, n FROM event_rollup_ip WHERE ${DEADLINE} AND bucket >= ? AND bucket < ? AND ${scopeSql(q.tenants, 'tenant', params)}`];
  for (const [a, b] of [[lo, ceilTo(lo, HOUR)], [floorTo(hi, HOUR), hi]]) {
    if (a >= b) continue;
    params.push(a, b);
    parts.push(`SELECT j.value AS v, 1 AS n FROM events e, json_each(${EVENT_JSON}, '${IP_PATH}') j WHERE ${DEADLINE} AND e.ts >= ? AND e.ts < ? AND ${scopeSql(q.tenants, 'e.tenant', params)} AND j.value IS NOT NULL`);
  }
  const out = db.prepare(`SELECT v, sum(n) AS n FROM (${parts.join(' UNION ALL ')}) GROUP BY v ORDER BY n DESC, v LIMIT ?`).all(...params, Math.min(size, 1000)) as { v: unknown; n: number }[];
  return out.map((x) => ({ value: String(x.v), count: x.n }));
}

export function rollupTopValues(db: Database.Database, q: EventQuery, field: string, size: number): TopValue[] | null {
  if (field === 'source.ip') return inSnapshot(db, () => topSourceIps(db, q, size));
  const col = FIELDS[field];
  if (!col) return null;
  return inSnapshot(db, () => {
    const rows = windowRows(db, q, null);
    return rows && topFrom(db, rows, col, size);
  });
}

export function rollupHistogramBy(db: Database.Database, q: EventQuery, intervalMs: number, field: string, size: number): { t: string; value: string; count: number }[] | null {
  const col = FIELDS[field];
  const step = Math.max(1000, Math.floor(intervalMs));
  if (!col) return null;
  return inSnapshot(db, () => {
    const rows = windowRows(db, q, step);
    if (!rows) return null;
    const keep = new Set(topFrom(db, rows, col, size).map((v) => v.value));
    const out = db.prepare(`SELECT (b / ${step}) * ${step} AS t, ${col} AS v, sum(n) AS n FROM ${r(rows)} GROUP BY t, v ORDER BY t, v`).all(...rows.params) as { t: number; v: string | null; n: number }[];
    const merged = new Map<string, { t: string; value: string; count: number }>();
    for (const x of out) {
      const value = x.v !== null && keep.has(x.v) ? x.v : x.v === null ? '(none)' : 'other';
      const cur = merged.get(`${x.t}|${value}`);
      if (cur) cur.count += x.n;
      else merged.set(`${x.t}|${value}`, { t: new Date(x.t).toISOString(), value, count: x.n });
    }
    return [...merged.values()];
  });
}

export function rollupCountEvents(db: Database.Database, tenants: TenantScope): number | null {
  return inSnapshot(db, () => {
    const rows = windowRows(db, { tenants }, null);
    return rows && (db.prepare(`SELECT coalesce(sum(n), 0) AS n FROM ${r(rows)}`).get(...rows.params) as { n: number }).n;
  });
}

export function rollupSourceActivity(db: Database.Database, opts: { tenants: TenantScope; since: string }): SourceActivity[] | null {
  return inSnapshot(db, () => {
    const rows = windowRows(db, { from: opts.since, tenants: opts.tenants }, null);
    if (!rows) return null;
    const out = db
      .prepare(
        `SELECT tenant, source, ${dec('dataset')} AS dataset, sum(n) AS n, sum(CASE WHEN kind = '=pipeline_error' THEN n ELSE 0 END) AS failed, max(last) AS last
         FROM ${r(rows)} GROUP BY tenant, source, dataset ORDER BY tenant, n DESC`,
      )
      .all(...rows.params) as { tenant: string; source: string; dataset: string | null; n: number; failed: number; last: number }[];
    return out.map((x): SourceActivity => ({ tenant: x.tenant, source: x.source, dataset: x.dataset, count: x.n, failed: x.failed, last_seen: new Date(x.last).toISOString() }));
  });
}

/**
 * The writer side's upkeep, started with the store: builds the rollups of an old store in steps (one
 * every tick, so ingest keeps its turn) and folds minute rows into hours every minute.
 */
export function startRollupUpkeep(db: Database.Database, logger?: BackfillLogger): { ready: Promise<void>; stop(): void } {
  const build = startBackfill(db, () => backfillStep(db), {
    building: 'store: building the event rollups of the dashboards (reads scan until done)',
    built: 'store: event rollups built',
    failed: 'store: building the event rollups failed; dashboards keep scanning the events',
  }, logger);
  const fold = () => {
    try {
      while (db.open && foldRollups(db));
    } catch (e) {
      logger?.error({ err: (e as Error).message }, 'store: folding minute rollups into hours failed; will retry');
    }
  };
  fold();
  const timer = setInterval(fold, MINUTE);
  timer.unref();
  return {
    ready: build.ready,
    stop() {
      build.stop();
      clearInterval(timer);
    },
  };
}
