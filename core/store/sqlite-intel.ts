/** Threat-intelligence indicators and agency blocklists on the embedded store's writer connection (intel/). */
import type Database from 'better-sqlite3';
import type { BlocklistEntry, Indicator } from '../../intel/indicator';
import type { IntelRepository } from './store';
import { parseDocs } from './sqlite-schema';


const SCHEMA = `
CREATE TABLE IF NOT EXISTS indicators (id TEXT PRIMARY KEY, tenant TEXT, type TEXT NOT NULL, value TEXT NOT NULL, expires TEXT, updated TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS indicators_value ON indicators (value);
CREATE TABLE IF NOT EXISTS blocklist (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, created TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS blocklist_tenant ON blocklist (tenant, created);
`;

export function intelRepository(db: Database.Database): IntelRepository {
  db.exec(SCHEMA);
  const upsert = db.prepare(
    'INSERT INTO indicators (id, tenant, type, value, expires, updated, doc) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET tenant = excluded.tenant, type = excluded.type, value = excluded.value, expires = excluded.expires, updated = excluded.updated, doc = excluded.doc',
  );
  const putAll = db.transaction((items: Indicator[]) => {
    for (const i of items) upsert.run(i.id, i.tenant, i.type, i.value, i.expires, i.updated, JSON.stringify(i));
  });
  return {
    async putIndicators(items) {
      putAll(items);
    },
    async listIndicators(opts) {
      const params: unknown[] = [];
      const where: string[] = [];
      if (opts.tenants !== null) {
        where.push(`(tenant IS NULL${opts.tenants.length ? ` OR tenant IN (${opts.tenants.map(() => '?').join(',')})` : ''})`);
        params.push(...opts.tenants);
      }
      if (opts.type) {
        where.push('type = ?');
        params.push(opts.type);
      }
      if (opts.q) {
        where.push("value LIKE ? ESCAPE '\\'");
        params.push(`%${opts.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT count(*) AS n FROM indicators ${w}`).get(...params) as { n: number }).n;
      const rows = db.prepare(`SELECT doc FROM indicators ${w} ORDER BY updated DESC, id LIMIT ? OFFSET ?`).all(...params, opts.limit ?? 100, opts.offset ?? 0);
      return { items: parseDocs<Indicator>(rows), total };
    },
    async loadIndicators(now) {
      return parseDocs<Indicator>(db.prepare('SELECT doc FROM indicators WHERE expires IS NULL OR expires > ?').all(now));
    },
    async putBlocklistEntry(e) {
      db.prepare('INSERT INTO blocklist (id, tenant, created, doc) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, created = excluded.created').run(e.id, e.tenant, e.created, JSON.stringify(e));
    },
    async listBlocklist(tenant) {
      return parseDocs<BlocklistEntry>(db.prepare('SELECT doc FROM blocklist WHERE tenant = ? ORDER BY created, id').all(tenant));
    },
  };
}
