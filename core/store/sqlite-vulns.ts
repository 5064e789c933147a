/** Vulnerability findings, assets and scan imports on the embedded store's writer connection; an import commits in one transaction. */
import type Database from 'better-sqlite3';
import type { ScanHost } from '../../vuln/finding';
import { parseDoc, parseDocs, scopeSql } from './sqlite-schema';
import { assetAfter, closedBy, emptyBySeverity, seenAgain, type Asset, type Finding, type ScanImport, type StagedFinding, type VulnRepository } from './vulns';

const TABLES = `
CREATE TABLE IF NOT EXISTS vuln_staging (import_id TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (import_id, id));
CREATE TABLE IF NOT EXISTS vuln_findings (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, source TEXT NOT NULL, host TEXT NOT NULL, status TEXT NOT NULL, severity TEXT NOT NULL, cvss REAL, import_id TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS vuln_findings_host ON vuln_findings (tenant, host, status);
CREATE TABLE IF NOT EXISTS vuln_assets (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, address TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vuln_imports (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, at TEXT NOT NULL, doc TEXT NOT NULL);
`;

const PAGE = 1000;

export function vulnRepository(db: Database.Database): VulnRepository {
  db.exec(TABLES);
  const stage = db.prepare('INSERT INTO vuln_staging (import_id, id, doc) VALUES (?, ?, ?) ON CONFLICT(import_id, id) DO UPDATE SET doc = excluded.doc');
  const putFinding = db.prepare(
    'INSERT INTO vuln_findings (id, tenant, source, host, status, severity, cvss, import_id, doc) VALUES (@id, @tenant, @source, @host, @status, @severity, @cvss, @importId, @doc) ON CONFLICT(id) DO UPDATE SET status = excluded.status, severity = excluded.severity, cvss = excluded.cvss, import_id = excluded.import_id, doc = excluded.doc',
  );
  const save = (f: Finding) => putFinding.run({ ...f, doc: JSON.stringify(f) });
  const getFinding = db.prepare('SELECT doc FROM vuln_findings WHERE id = ?');
  const stagedPage = db.prepare('SELECT rowid AS r, doc FROM vuln_staging WHERE import_id = ? AND rowid > ? ORDER BY rowid LIMIT ?');
  const getAsset = db.prepare('SELECT doc FROM vuln_assets WHERE id = ?');
  const putAsset = db.prepare('INSERT INTO vuln_assets (id, tenant, address, doc) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc');

  const commit = db.transaction((imp: Parameters<VulnRepository['commitImport']>[0], hosts: ScanHost[]): ScanImport => {
    const counts = { findings: 0, opened: 0, reopened: 0, closed: 0 };
    for (let after = 0; ; ) {
      const rows = stagedPage.all(imp.id, after, PAGE) as { r: number; doc: string }[];
      for (const row of rows) {
        const s = JSON.parse(row.doc) as StagedFinding;
        const { next, change } = seenAgain(parseDoc<Finding>(getFinding.get(s.id) as { doc: string } | undefined), s, imp.tenant, imp.source, imp.id, imp.at);
        save(next);
        counts.findings++;
        if (change !== 'seen') counts[change]++;
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].r;
    }
    const stale = db.prepare(`SELECT doc FROM vuln_findings WHERE tenant = ? AND source = ? AND status = 'open' AND import_id <> ? AND host = ?`);
    for (const h of hosts) {
      for (const f of parseDocs<Finding>(stale.all(imp.tenant, imp.source, imp.id, h.address))) {
        save(closedBy(f, imp.at));
        counts.closed++;
      }
      const id = `${imp.tenant}|${h.address}`;
      const a = assetAfter(parseDoc<Asset>(getAsset.get(id) as { doc: string } | undefined), imp.tenant, imp.source, h, imp.at);
      putAsset.run(a.id, a.tenant, a.address, JSON.stringify(a));
    }
    const openBySeverity = emptyBySeverity();
    for (const r of db.prepare("SELECT severity, count(*) AS n FROM vuln_findings WHERE tenant = ? AND status = 'open' GROUP BY severity").all(imp.tenant) as { severity: keyof typeof openBySeverity; n: number }[]) openBySeverity[r.severity] = r.n;
    const done: ScanImport = { ...imp, hosts: hosts.length, ...counts, openBySeverity };
    db.prepare('INSERT INTO vuln_imports (id, tenant, at, doc) VALUES (?, ?, ?, ?)').run(done.id, done.tenant, done.at, JSON.stringify(done));
    db.prepare('DELETE FROM vuln_staging WHERE import_id = ?').run(imp.id);
    return done;
  });

  return {
    async stageFindings(importId, items) {
      db.transaction(() => items.forEach((s) => stage.run(importId, s.id, JSON.stringify(s))))();
    },
    async discardImport(importId) {
      db.prepare('DELETE FROM vuln_staging WHERE import_id = ?').run(importId);
    },
    async commitImport(imp, hosts) {
      return commit(imp, hosts);
    },
    async listFindings(q) {
      const params: unknown[] = [];
      const where = [scopeSql(q.tenants, 'tenant', params)];
      if (q.host) {
        where.push('host = ?');
        params.push(q.host);
      }
      for (const [col, values] of [['severity', q.severity], ['status', q.status]] as const) {
        if (!values?.length) continue;
        where.push(`${col} IN (${values.map(() => '?').join(',')})`);
        params.push(...values);
      }
      const w = where.join(' AND ');
      const total = (db.prepare(`SELECT count(*) AS n FROM vuln_findings WHERE ${w}`).get(...params) as { n: number }).n;
      const rows = db.prepare(`SELECT doc FROM vuln_findings WHERE ${w} ORDER BY coalesce(cvss, -1) DESC, tenant, host, id LIMIT ? OFFSET ?`).all(...params, q.limit ?? 100, q.offset ?? 0);
      return { items: parseDocs<Finding>(rows), total };
    },
    async openFindingsOn(tenant, addresses) {
      if (!addresses.length) return [];
      return parseDocs<Finding>(db.prepare(`SELECT doc FROM vuln_findings WHERE tenant = ? AND status = 'open' AND host IN (${addresses.map(() => '?').join(',')})`).all(tenant, ...addresses));
    },
    async listAssets(tenants) {
      const params: unknown[] = [];
      return parseDocs<Asset>(db.prepare(`SELECT doc FROM vuln_assets WHERE ${scopeSql(tenants, 'tenant', params)} ORDER BY tenant, address`).all(...params));
    },
    async listImports(tenants) {
      const params: unknown[] = [];
      return parseDocs<ScanImport>(db.prepare(`SELECT doc FROM vuln_imports WHERE ${scopeSql(tenants, 'tenant', params)} ORDER BY at, id`).all(...params));
    },
  };
}
