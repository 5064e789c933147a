/** Cases on the embedded store's writer connection: one table, the case as a JSON document, optimistic versions. */
import type Database from 'better-sqlite3';
import type { Case } from '../../alerting/cases-model';
import type { CaseQuery, CaseRepository } from './cases';
import { parseDoc, parseDocs, scopeSql } from './sqlite-schema';
import { ConflictError } from './store';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cases (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, status TEXT NOT NULL, assignee TEXT, updated TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS cases_tenant_updated ON cases (tenant, updated);
`;

function where(q: CaseQuery, params: unknown[]): string {
  const parts = [scopeSql(q.tenants, 'tenant', params)];
  if (q.status?.length) {
    parts.push(`status IN (${q.status.map(() => '?').join(',')})`);
    params.push(...q.status);
  }
  if (q.assignee) {
    parts.push('assignee = ?');
    params.push(q.assignee);
  }
  if (q.incidentId) {
    parts.push("EXISTS (SELECT 1 FROM json_each(doc, '$.incidents') WHERE value = ?)");
    params.push(q.incidentId);
  }
  return parts.join(' AND ');
}

export function caseRepository(db: Database.Database): CaseRepository {
  db.exec(SCHEMA);
  return {
    async saveCase(c, expectedVersion) {
      const doc = JSON.stringify(c);
      const r = expectedVersion === null
        ? db.prepare('INSERT OR IGNORE INTO cases (id, tenant, status, assignee, updated, version, doc) VALUES (?,?,?,?,?,?,?)').run(c.id, c.tenant, c.status, c.assignee, c.updated, c.version, doc)
        : db.prepare('UPDATE cases SET status = ?, assignee = ?, updated = ?, version = ?, doc = ? WHERE id = ? AND tenant = ? AND version = ?').run(c.status, c.assignee, c.updated, c.version, doc, c.id, c.tenant, expectedVersion);
      if (r.changes === 0) throw new ConflictError(`case ${c.id}`);
    },
    async getCase(id, tenants) {
      const params: unknown[] = [id];
      const scope = scopeSql(tenants, 'tenant', params);
      return parseDoc<Case>(db.prepare(`SELECT doc FROM cases WHERE id = ? AND ${scope}`).get(...params) as { doc: string } | undefined);
    },
    async listCases(q) {
      const params: unknown[] = [];
      const w = where(q, params);
      const total = (db.prepare(`SELECT count(*) AS n FROM cases WHERE ${w}`).get(...params) as { n: number }).n;
      const rows = db.prepare(`SELECT doc FROM cases WHERE ${w} ORDER BY updated DESC, id LIMIT ? OFFSET ?`).all(...params, q.limit ?? 100, q.offset ?? 0);
      return { items: parseDocs<Case>(rows), total };
    },
  };
}
