/**
 * Console reads over alerts, incidents, dead letters and the audit log, as plain functions of a
 * connection so they run in a reader thread like the event reads.
 */
import type Database from 'better-sqlite3';
import type { Alert, AuditEntry, DeadLetter, Incident } from '../model';
import type { AlertStats, AuditQuery, IncidentQuery, TenantScope } from './store';
import { DEADLINE } from './sqlite-event-reads';
import { parseDocs, scopeSql } from './sqlite-schema';

const inList = (column: string, values: string[], params: unknown[]) => {
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(',')})`;
};

export function listIncidents(db: Database.Database, q: IncidentQuery): { items: Incident[]; total: number } {
  const params: unknown[] = [];
  const parts = [DEADLINE, scopeSql(q.tenants, 'tenant', params)];
  if (q.status?.length) parts.push(inList('status', q.status, params));
  if (q.severity?.length) parts.push(inList('severity', q.severity, params));
  for (const [column, value] of [['rule_id', q.ruleId], ['assignee', q.assignee]] as const) {
    if (!value) continue;
    parts.push(`${column} = ?`);
    params.push(value);
  }
  const where = parts.join(' AND ');
  const rows = db.prepare(`SELECT doc FROM incidents WHERE ${where} ORDER BY last_seen DESC, id DESC LIMIT ? OFFSET ?`).all(...params, Math.min(q.limit ?? 100, 1000), q.offset ?? 0);
  const total = (db.prepare(`SELECT count(*) AS n FROM incidents WHERE ${where}`).get(...params) as { n: number }).n;
  return { items: parseDocs<Incident>(rows), total };
}

export function relatedIncidents(db: Database.Database, incident: Incident, tenants: TenantScope, limit: number): Incident[] {
  const params: unknown[] = [incident.id];
  const scope = scopeSql(tenants, 'tenant', params);
  const ors: string[] = [];
  for (const [key, value] of [['host', incident.summary.host], ['user', incident.summary.user], ['source_ip', incident.summary.source_ip]] as const) {
    if (!value) continue;
    ors.push(`json_extract(doc, '$.summary.${key}') = ?`);
    params.push(value);
  }
  if (!ors.length) return [];
  return parseDocs<Incident>(db.prepare(`SELECT doc FROM incidents WHERE ${DEADLINE} AND id != ? AND ${scope} AND (${ors.join(' OR ')}) ORDER BY last_seen DESC LIMIT ?`).all(...params, limit));
}

export function listAlertsPage(db: Database.Database, opts: { tenants: TenantScope; limit: number; offset: number }): { items: Alert[]; total: number } {
  const params: unknown[] = [];
  const scope = scopeSql(opts.tenants, 'tenant', params);
  const items = parseDocs<Alert>(db.prepare(`SELECT doc FROM alerts WHERE ${DEADLINE} AND ${scope} ORDER BY ts DESC, id LIMIT ? OFFSET ?`).all(...params, opts.limit, opts.offset));
  const total = (db.prepare(`SELECT count(*) AS n FROM alerts WHERE ${DEADLINE} AND ${scope}`).get(...params) as { n: number }).n;
  return { items, total };
}

export function alertStats(db: Database.Database, opts: { tenants: TenantScope; from?: string; intervalMs: number; topRules: number }): AlertStats {
  const params: unknown[] = [];
  const parts = [DEADLINE, scopeSql(opts.tenants, 'tenant', params)];
  if (opts.from) {
    parts.push('ts >= ?');
    params.push(opts.from);
  }
  const where = parts.join(' AND ');
  const step = Math.max(1000, Math.floor(opts.intervalMs));
  const bySeverity = db.prepare(`SELECT json_extract(doc, '$.severity') AS severity, count(*) AS count FROM alerts WHERE ${where} GROUP BY severity ORDER BY count DESC`).all(...params) as AlertStats['bySeverity'];
  const byRule = db
    .prepare(`SELECT json_extract(doc, '$.rule.id') AS ruleId, json_extract(doc, '$.rule.title') AS title, count(*) AS count, max(ts) AS last FROM alerts WHERE ${where} GROUP BY ruleId ORDER BY count DESC, last DESC LIMIT ?`)
    .all(...params, opts.topRules) as AlertStats['byRule'];
  const hist = db
    .prepare(`SELECT (CAST(strftime('%s', ts) AS INTEGER) * 1000 / ${step}) * ${step} AS b, json_extract(doc, '$.severity') AS severity, count(*) AS count FROM alerts WHERE ${where} GROUP BY b, severity ORDER BY b`)
    .all(...params) as { b: number; severity: string; count: number }[];
  return { bySeverity, byRule, histogram: hist.filter((h) => h.b !== null).map((h) => ({ t: new Date(h.b).toISOString(), severity: h.severity, count: h.count })) };
}

export function listDeadLetters(db: Database.Database, opts: { limit?: number; tenants: TenantScope }): DeadLetter[] {
  const params: unknown[] = [];
  const scope = scopeSql(opts.tenants, 'tenant', params);
  return parseDocs<DeadLetter>(db.prepare(`SELECT doc FROM dead_letters WHERE ${DEADLINE} AND ${scope} ORDER BY at DESC LIMIT ?`).all(...params, opts.limit ?? 100));
}

/**
 * An agency reader's entries: details.agencies is an array with at least one agency name and
 * every name in it is the reader's (as auditVisible in core/audit.ts), filtered here so a
 * page holds `limit` of them however the other agencies' entries interleave.
 */
function auditScopeSql(agencies: string[], params: unknown[]): string {
  if (!agencies.length) return '0';
  params.push(...agencies);
  const names = "SELECT 1 FROM json_each(audit.doc, '$.details.agencies') AS a WHERE a.type = 'text'";
  return `json_type(audit.doc, '$.details.agencies') = 'array' AND EXISTS (${names}) AND NOT EXISTS (${names} AND a.value NOT IN (${agencies.map(() => '?').join(',')}))`;
}

export function listAudit(db: Database.Database, opts: AuditQuery): AuditEntry[] {
  const params: unknown[] = [opts.afterSeq ?? 0];
  if (opts.beforeSeq !== undefined) params.push(opts.beforeSeq);
  const before = opts.beforeSeq === undefined ? '' : ' AND seq < ?';
  const scope = opts.agencies ? ` AND ${auditScopeSql(opts.agencies, params)}` : '';
  const order = opts.order === 'desc' ? 'DESC' : 'ASC';
  const rows = db.prepare(`SELECT doc, prev_hash, hash FROM audit WHERE ${DEADLINE} AND seq > ?${before}${scope} ORDER BY seq ${order} LIMIT ?`).all(...params, opts.limit ?? 1000) as { doc: string; prev_hash: string; hash: string }[];
  return rows.map((r) => ({ ...(JSON.parse(r.doc) as AuditEntry), prevHash: r.prev_hash, hash: r.hash }));
}
