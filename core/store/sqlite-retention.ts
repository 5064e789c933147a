/**
 * Retention on the embedded store: an agency's events older than a time, deleted oldest first
 * in batches, each its own transaction. The free-text row of a deleted event stays (a
 * contentless FTS5 row cannot be deleted without its exact original text, which enrichment may
 * have changed) and matches nothing; so that no new event takes a deleted event's row number
 * and with it that text, the newest row of the table is never deleted (the next run takes it).
 */
import type Database from 'better-sqlite3';
import { rollupsAfterDelete } from './sqlite-rollups';
import type { EventRetention } from './store';

export function sqliteRetention(db: Database.Database): EventRetention {
  const tenants = db.prepare(`WITH RECURSIVE t(x) AS (SELECT min(tenant) FROM events UNION ALL SELECT (SELECT min(tenant) FROM events WHERE tenant > t.x) FROM t WHERE t.x IS NOT NULL)
    SELECT x FROM t WHERE x IS NOT NULL AND x <> ''`);
  const oldest = db.prepare('SELECT min(ts) AS ts FROM events WHERE tenant = ?');
  const count = db.prepare('SELECT count(*) AS n FROM events WHERE tenant = ? AND ts < ?');
  const remove = db.prepare(`DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE tenant = ? AND ts < ? AND rowid < (SELECT max(rowid) FROM events) ORDER BY ts LIMIT ?) RETURNING ts`);
  // the batch and the dashboards' rollups of its time range change in one transaction, so the counts stay exact
  const removeBatch = db.transaction((tenant: string, before: number, limit: number): number => {
    const gone = remove.all(tenant, before, limit) as { ts: number }[];
    if (!gone.length) return 0;
    let [lo, hi] = [gone[0].ts, gone[0].ts];
    for (const g of gone) [lo, hi] = [Math.min(lo, g.ts), Math.max(hi, g.ts)];
    rollupsAfterDelete(db, tenant, hi + 1, lo);
    return gone.length;
  });
  const ms = (iso: string) => {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) throw new Error(`retention: "${iso}" is not a time`);
    return t;
  };
  return {
    capDays: null,
    async tenants() {
      return (tenants.all() as { x: string }[]).map((r) => r.x);
    },
    async oldest(tenant) {
      const r = oldest.get(tenant) as { ts: number | null };
      return r.ts === null ? null : new Date(r.ts).toISOString();
    },
    async countBefore(tenant, before) {
      return (count.get(tenant, ms(before)) as { n: number }).n;
    },
    async deleteBefore(tenant, before, limit) {
      return removeBatch(tenant, ms(before), limit);
    },
  };
}
