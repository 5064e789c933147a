/** Watched websites and their checker state on the embedded store's writer connection (its own tables, created here). */
import type Database from 'better-sqlite3';
import type { TenantScope, WebsiteRepository, WebsiteSite, WebsiteState } from './store';
import { parseDoc, parseDocs, scopeSql } from './sqlite-schema';


const TABLES = `
CREATE TABLE IF NOT EXISTS websites (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS website_state (site_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
`;

export function websiteRepository(db: Database.Database): WebsiteRepository {
  db.exec(TABLES);
  const scoped = (tenants: TenantScope, params: unknown[]) => scopeSql(tenants, 'tenant', params);
  return {
    async putWebsite(w) {
      db.prepare('INSERT INTO websites (id, tenant, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET tenant = excluded.tenant, doc = excluded.doc').run(w.id, w.tenant, JSON.stringify(w));
    },
    async getWebsite(id, tenants) {
      const params: unknown[] = [id];
      const where = scoped(tenants, params);
      return parseDoc<WebsiteSite>(db.prepare(`SELECT doc FROM websites WHERE id = ? AND ${where}`).get(...params) as { doc: string } | undefined);
    },
    async listWebsites(tenants) {
      const params: unknown[] = [];
      const where = scoped(tenants, params);
      return parseDocs<WebsiteSite>(db.prepare(`SELECT doc FROM websites WHERE ${where} ORDER BY tenant, id`).all(...params));
    },
    async deleteWebsite(id, tenants) {
      const params: unknown[] = [id];
      const where = scoped(tenants, params);
      const gone = db.prepare(`DELETE FROM websites WHERE id = ? AND ${where}`).run(...params).changes > 0;
      if (gone) db.prepare('DELETE FROM website_state WHERE site_id = ?').run(id);
      return gone;
    },
    async getWebsiteState(siteId) {
      return parseDoc<WebsiteState>(db.prepare('SELECT doc FROM website_state WHERE site_id = ?').get(siteId) as { doc: string } | undefined);
    },
    async putWebsiteState(s) {
      db.prepare('INSERT INTO website_state (site_id, doc) VALUES (?, ?) ON CONFLICT(site_id) DO UPDATE SET doc = excluded.doc').run(s.siteId, JSON.stringify(s));
    },
  };
}
