/**
 * The heavy reads over events: search and its count, histograms, top values, field names, source
 * activity. Plain functions of a connection, so a reader thread runs them on its own read-only
 * connection; every statement carries canhgac_deadline() so a time limit or a cancel stops it.
 */
import type Database from 'better-sqlite3';
import type { EcsEvent } from '../event';
import type { EventPage, EventQuery, FieldCount, HistogramBucket, SourceActivity, TenantScope, TopValue } from './store';
import { EVENT_JSON, jsonPath, queryToSql, withRowidSpan } from './sql-query';
import { fieldIndexLookup } from './sqlite-field-index';
import { parseDocs, scopeSql } from './sqlite-schema';

/** Put first in every heavy WHERE clause: evaluated per row, it throws when the read must stop. */
export const DEADLINE = 'canhgac_deadline()';

/** A top-level index lookup with fewer matches than this drives the search; a larger one is checked while the agency's time window is read. */
export const DRIVE_LIMIT = 100_000;

/**
 * The WHERE clause of an event read. `driven`: the rows come from the index lookup of a top-level term
 * (few enough matches), so agency and time are checked on those rows (`+` keeps SQLite from reading the
 * whole window by its index instead).
 */
function eventWhere(db: Database.Database, q: EventQuery, params: unknown[]): string {
  return eventPlan(db, q, params).where;
}

export function eventPlan(db: Database.Database, q: EventQuery, params: unknown[]): { where: string; driven: boolean } {
  const frag = queryToSql(q.q, q.q ? fieldIndexLookup(db) : null);
  const window: unknown[] = [];
  const bounds: string[] = [];
  for (const [key, op] of [['from', '>='], ['to', '<']] as const) {
    const v = q[key];
    if (!v) continue;
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) throw new Error(`${key}: "${v}" is not a date`);
    bounds.push(`e.ts ${op} ?`);
    window.push(ms);
  }
  const scope: unknown[] = [];
  const scoped = scopeSql(q.tenants, 'e.tenant', scope);
  let driven = false;
  if (frag.narrow) {
    // the smaller of the two drives: the term's matches, or the agency's time window (both counted up to a cap)
    const n = (db.prepare(`SELECT count(*) AS n FROM (${frag.narrow.sql} LIMIT ${DRIVE_LIMIT})`).get(...frag.narrow.params) as { n: number }).n;
    const w = bounds.length ? (db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM events e WHERE ${[scoped, ...bounds].join(' AND ')} LIMIT ?)`).get(...scope, ...window, n) as { n: number }).n : Infinity;
    driven = n < DRIVE_LIMIT && n <= w;
  }
  const col = (c: string) => (driven ? `+${c}` : c);
  // the same agencies' parameters as `scope`, in front of the time bounds'
  const parts: string[] = [DEADLINE, scopeSql(q.tenants, col('e.tenant'), []), ...bounds.map((b) => (driven ? `+${b}` : b))];
  window.unshift(...scope);
  let sql = frag.sql;
  if (frag.narrow && !driven && (q.from || q.to)) {
    // a common term in a time window: its lookups read the window's rowids only
    const span = db.prepare(`SELECT min(e.rowid) AS lo, max(e.rowid) AS hi FROM events e WHERE ${parts.join(' AND ')}`).get(...window) as { lo: number | null; hi: number | null };
    sql = withRowidSpan(sql, span.lo ?? 0, span.hi ?? -1);
  }
  parts.push(sql);
  params.push(...window, ...frag.params);
  return { where: parts.join(' AND '), driven };
}

export function searchEvents(db: Database.Database, q: EventQuery): EventPage {
  const params: unknown[] = [];
  const { where, driven } = eventPlan(db, q, params);
  const limit = Math.min(Math.max(q.limit ?? 100, 0), 10000);
  const order = q.order === 'asc' ? 'ASC' : 'DESC';
  const rows = db.prepare(`SELECT e.doc FROM events e WHERE ${where} ORDER BY ${driven ? '+' : ''}e.ts ${order}, e.id ${order} LIMIT ? OFFSET ?`).all(...params, limit, q.offset ?? 0);
  const total = (db.prepare(`SELECT count(*) AS n FROM events e WHERE ${where}`).get(...params) as { n: number }).n;
  return { items: parseDocs<EcsEvent>(rows), total };
}

export function histogram(db: Database.Database, q: EventQuery, intervalMs: number): HistogramBucket[] {
  const step = Math.max(1000, Math.floor(intervalMs));
  const params: unknown[] = [];
  const where = eventWhere(db, q, params);
  const rows = db.prepare(`SELECT (e.ts / ${step}) * ${step} AS b, count(*) AS n FROM events e WHERE ${where} GROUP BY b ORDER BY b`).all(...params) as { b: number; n: number }[];
  return rows.map((r) => ({ t: new Date(r.b).toISOString(), count: r.n }));
}

export function topValues(db: Database.Database, q: EventQuery, field: string, size: number): TopValue[] {
  const params: unknown[] = [jsonPath(field)];
  const where = eventWhere(db, q, params);
  const rows = db
    .prepare(`SELECT j.value AS v, count(*) AS n FROM events e, json_each(${EVENT_JSON}, ?) j WHERE ${where} AND j.value IS NOT NULL GROUP BY j.value ORDER BY n DESC, v LIMIT ?`)
    .all(...params, Math.min(size, 1000)) as { v: unknown; n: number }[];
  return rows.map((r) => ({ value: String(r.v), count: r.n }));
}

export function countEvents(db: Database.Database, tenants: TenantScope): number {
  const params: unknown[] = [];
  const scope = scopeSql(tenants, 'e.tenant', params);
  return (db.prepare(`SELECT count(*) AS n FROM events e WHERE ${DEADLINE} AND ${scope}`).get(...params) as { n: number }).n;
}

export function histogramBy(db: Database.Database, q: EventQuery, intervalMs: number, field: string, size: number): { t: string; value: string; count: number }[] {
  const step = Math.max(1000, Math.floor(intervalMs));
  const keep = new Set(topValues(db, q, field, size).map((v) => v.value));
  const params: unknown[] = [jsonPath(field)];
  const where = eventWhere(db, q, params);
  const rows = db
    .prepare(`SELECT (e.ts / ${step}) * ${step} AS b, CAST(json_extract(${EVENT_JSON}, ?) AS TEXT) AS v, count(*) AS n FROM events e WHERE ${where} GROUP BY b, v ORDER BY b`)
    .all(...params) as { b: number; v: string | null; n: number }[];
  const out = new Map<string, { t: string; value: string; count: number }>();
  for (const r of rows) {
    const value = r.v !== null && keep.has(r.v) ? r.v : r.v === null ? '(none)' : 'other';
    const key = `${r.b}|${value}`;
    const cur = out.get(key);
    if (cur) cur.count += r.n;
    else out.set(key, { t: new Date(r.b).toISOString(), value, count: r.n });
  }
  return [...out.values()];
}

/** Field paths of the scope's events, most frequent first: from the field catalogue, or (index not built yet) the newest `sample` events. */
export function eventFields(db: Database.Database, tenants: TenantScope, sample: number): FieldCount[] {
  if (fieldIndexLookup(db)) {
    const p: unknown[] = [];
    const scope = scopeSql(tenants, 'c.tenant', p);
    const rows = db
      .prepare(`SELECT f.name AS field, sum(c.n) AS count FROM event_field_counts c JOIN event_field_names f ON f.id = c.field WHERE ${scope} GROUP BY f.name ORDER BY count DESC, field LIMIT 2000`)
      .all(...p) as FieldCount[];
    return rows;
  }
  const params: unknown[] = [];
  const scope = scopeSql(tenants, 'e.tenant', params);
  const rows = db.prepare(`SELECT e.doc FROM events e WHERE ${DEADLINE} AND ${scope} ORDER BY e.ts DESC LIMIT ?`).all(...params, Math.min(Math.max(sample, 1), 5000)) as { doc: string }[];
  const counts = new Map<string, number>();
  const walk = (v: unknown, prefix: string, depth: number, seen: Set<string>) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && depth < 8) {
      for (const [k, x] of Object.entries(v)) walk(x, prefix ? `${prefix}.${k}` : k, depth + 1, seen);
    } else if (prefix && !seen.has(prefix)) {
      seen.add(prefix);
      counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
    }
  };
  for (const r of rows) walk(JSON.parse(r.doc), '', 0, new Set());
  return [...counts].map(([field, count]): FieldCount => ({ field, count })).sort((a, b) => b.count - a.count || a.field.localeCompare(b.field));
}

export function sourceActivity(db: Database.Database, opts: { tenants: TenantScope; since: string }): SourceActivity[] {
  const since = Date.parse(opts.since);
  if (Number.isNaN(since)) throw new Error(`since: "${opts.since}" is not a date`);
  const params: unknown[] = [since];
  const scope = scopeSql(opts.tenants, 'e.tenant', params);
  const rows = db
    .prepare(
      `SELECT e.tenant AS tenant, coalesce(json_extract(${EVENT_JSON}, '$.log.source.address'), json_extract(${EVENT_JSON}, '$.input.type'), 'unknown') AS source,
         json_extract(${EVENT_JSON}, '$.event.dataset') AS dataset, count(*) AS n,
         sum(CASE WHEN json_extract(${EVENT_JSON}, '$.event.kind') = 'pipeline_error' THEN 1 ELSE 0 END) AS failed, max(e.ts) AS last
       FROM events e WHERE ${DEADLINE} AND e.ts >= ? AND ${scope} GROUP BY tenant, source, dataset ORDER BY tenant, n DESC`,
    )
    .all(...params) as { tenant: string; source: string; dataset: string | null; n: number; failed: number; last: number }[];
  return rows.map((r): SourceActivity => ({ tenant: r.tenant, source: String(r.source), dataset: r.dataset, count: r.n, failed: r.failed, last_seen: new Date(r.last).toISOString() }));
}
