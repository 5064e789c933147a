/**
 * The embedded Store on SQLite (better-sqlite3): WAL journal, FTS5 for free text,
 * JSON documents with json_each for field queries. Every write is idempotent by id.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EcsEvent } from '../event';
import type {
  Alert,
  AuditEntry,
  DeadLetter,
  Incident,
  IncidentChange,
  Notification,
  Session,
  Tenant,
  TokenRecord,
  User,
} from '../model';
import { ConflictError, type AlertStats, type FieldCount, type RuleSetting, type SavedSearch, type SourceActivity, type EventPage, type EventQuery, type HistogramBucket, type IncidentQuery, type Store, type TenantScope, type TopValue } from './store';
import { auditHash, GENESIS_HASH } from '../audit';
import { jsonPath, queryToSql } from './sql-query';
import { searchableText } from './text';

export interface SqliteStoreConfig {
  path: string; // file path, or ':memory:'
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (id TEXT NOT NULL UNIQUE, ts INTEGER NOT NULL, tenant TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_tenant_ts ON events (tenant, ts);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5 (text, content='', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS dead_letters (id TEXT PRIMARY KEY, at TEXT NOT NULL, tenant TEXT, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (id TEXT PRIMARY KEY, ts TEXT NOT NULL, tenant TEXT NOT NULL, incident_id TEXT, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS alerts_incident ON alerts (incident_id);
CREATE TABLE IF NOT EXISTS incidents (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, rule_id TEXT NOT NULL, group_key TEXT NOT NULL,
  status TEXT NOT NULL, severity TEXT NOT NULL, assignee TEXT, last_seen TEXT NOT NULL, created TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incidents_key ON incidents (tenant, rule_id, group_key, last_seen);
CREATE INDEX IF NOT EXISTS incidents_last ON incidents (last_seen);
CREATE TABLE IF NOT EXISTS incident_changes (id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, at TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incident_changes_incident ON incident_changes (incident_id, at);
CREATE TABLE IF NOT EXISTS tenants (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (username TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, subject TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, expires TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, doc TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notifications (id TEXT PRIMARY KEY, status TEXT NOT NULL, next_attempt TEXT NOT NULL, incident_id TEXT, tenant TEXT, created TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS notifications_due ON notifications (status, next_attempt);
CREATE TABLE IF NOT EXISTS saved_searches (id TEXT PRIMARY KEY, owner TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rule_settings (rule_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
`;

function scopeSql(tenants: TenantScope, column: string, params: unknown[]): string {
  if (tenants === null) return '1';
  if (tenants.length === 0) return '0';
  params.push(...tenants);
  return `${column} IN (${tenants.map(() => '?').join(',')})`;
}

export function createSqliteStore(config: SqliteStoreConfig): Store {
  if (!config.path) throw new Error('store.sqlite.path: a file path is required');
  if (config.path !== ':memory:') mkdirSync(path.dirname(path.resolve(config.path)), { recursive: true });
  const db = new Database(config.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.exec(SCHEMA);

  const insertEvent = db.prepare('INSERT OR IGNORE INTO events (id, ts, tenant, doc) VALUES (?, ?, ?, ?)');
  const insertFts = db.prepare('INSERT INTO events_fts (rowid, text) VALUES (?, ?)');
  const putEventsTx = db.transaction((events: EcsEvent[]) => {
    for (const ev of events) {
      const id = ev.event?.id;
      if (!id) throw new Error('store: an event without event.id cannot be stored idempotently');
      const ts = Date.parse(ev['@timestamp']);
      const r = insertEvent.run(id, Number.isNaN(ts) ? Date.now() : ts, ev.organization?.id ?? '', JSON.stringify(ev));
      if (r.changes === 1) insertFts.run(r.lastInsertRowid, searchableText(ev));
    }
  });

  function eventWhere(q: EventQuery, params: unknown[]): string {
    const parts: string[] = [scopeSql(q.tenants, 'e.tenant', params)];
    if (q.from) {
      const ms = Date.parse(q.from);
      if (Number.isNaN(ms)) throw new Error(`from: "${q.from}" is not a date`);
      parts.push('e.ts >= ?');
      params.push(ms);
    }
    if (q.to) {
      const ms = Date.parse(q.to);
      if (Number.isNaN(ms)) throw new Error(`to: "${q.to}" is not a date`);
      parts.push('e.ts < ?');
      params.push(ms);
    }
    const frag = queryToSql(q.q);
    parts.push(frag.sql);
    params.push(...frag.params);
    return parts.join(' AND ');
  }

  const json = <T>(row: { doc: string } | undefined): T | null => (row ? (JSON.parse(row.doc) as T) : null);

  const appendAuditTx = db.transaction((entry: AuditEntry): AuditEntry => {
    const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const e: AuditEntry = { ...entry, seq, prevHash };
    e.hash = auditHash(prevHash, e);
    db.prepare('INSERT INTO audit (seq, at, actor, action, doc, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      seq,
      e.at,
      e.actor,
      e.action,
      JSON.stringify(e),
      prevHash,
      e.hash,
    );
    return e;
  });

  const claimTx = db.transaction((now: string, limit: number): Notification[] => {
    const rows = db
      .prepare("SELECT doc FROM notifications WHERE status = 'pending' AND next_attempt <= ? ORDER BY next_attempt LIMIT ?")
      .all(now, limit) as { doc: string }[];
    const out: Notification[] = [];
    const upd = db.prepare('UPDATE notifications SET status = ?, doc = ? WHERE id = ?');
    for (const r of rows) {
      const n = JSON.parse(r.doc) as Notification;
      n.status = 'sending';
      upd.run(n.status, JSON.stringify(n), n.id);
      out.push(n);
    }
    return out;
  });

  const store: Store = {
    kind: 'sqlite',
    async init() {},
    async close() {
      if (db.open) db.close();
    },

    async putEvents(events) {
      if (events.length) putEventsTx(events);
    },
    async searchEvents(q): Promise<EventPage> {
      const params: unknown[] = [];
      const where = eventWhere(q, params);
      const limit = Math.min(Math.max(q.limit ?? 100, 0), 10000);
      const order = q.order === 'asc' ? 'ASC' : 'DESC';
      const rows = db
        .prepare(`SELECT e.doc FROM events e WHERE ${where} ORDER BY e.ts ${order}, e.id ${order} LIMIT ? OFFSET ?`)
        .all(...params, limit, q.offset ?? 0) as { doc: string }[];
      const total = (db.prepare(`SELECT count(*) AS n FROM events e WHERE ${where}`).get(...params) as { n: number }).n;
      return { items: rows.map((r) => JSON.parse(r.doc) as EcsEvent), total };
    },
    async getEvents(ids, tenants) {
      if (!ids.length) return [];
      const params: unknown[] = [...ids];
      const scope = scopeSql(tenants, 'e.tenant', params);
      const rows = db
        .prepare(`SELECT e.doc FROM events e WHERE e.id IN (${ids.map(() => '?').join(',')}) AND ${scope} ORDER BY e.ts`)
        .all(...params) as { doc: string }[];
      return rows.map((r) => JSON.parse(r.doc) as EcsEvent);
    },
    async histogram(q, intervalMs): Promise<HistogramBucket[]> {
      const step = Math.max(1000, Math.floor(intervalMs));
      const params: unknown[] = [];
      const where = eventWhere(q, params);
      const rows = db
        .prepare(`SELECT (e.ts / ${step}) * ${step} AS b, count(*) AS n FROM events e WHERE ${where} GROUP BY b ORDER BY b`)
        .all(...params) as { b: number; n: number }[];
      return rows.map((r) => ({ t: new Date(r.b).toISOString(), count: r.n }));
    },
    async topValues(q, field, size): Promise<TopValue[]> {
      const params: unknown[] = [jsonPath(field)];
      const where = eventWhere(q, params);
      const rows = db
        .prepare(`SELECT j.value AS v, count(*) AS n FROM events e, json_each(e.doc, ?) j WHERE ${where} AND j.value IS NOT NULL GROUP BY j.value ORDER BY n DESC, v LIMIT ?`)
        .all(...params, Math.min(size, 1000)) as { v: unknown; n: number }[];
      return rows.map((r) => ({ value: String(r.v), count: r.n }));
    },
    async countEvents(tenants) {
      const params: unknown[] = [];
      const scope = scopeSql(tenants, 'e.tenant', params);
      return (db.prepare(`SELECT count(*) AS n FROM events e WHERE ${scope}`).get(...params) as { n: number }).n;
    },

    async putDeadLetters(items) {
      const ins = db.prepare('INSERT OR IGNORE INTO dead_letters (id, at, tenant, doc) VALUES (?, ?, ?, ?)');
      db.transaction(() => items.forEach((d) => ins.run(d.id, d.at, d.tenant, JSON.stringify(d))))();
    },
    async listDeadLetters(opts) {
      const params: unknown[] = [];
      const scope = scopeSql(opts.tenants, 'tenant', params);
      return (db.prepare(`SELECT doc FROM dead_letters WHERE ${scope} ORDER BY at DESC LIMIT ?`).all(...params, opts.limit ?? 100) as { doc: string }[]).map(
        (r) => JSON.parse(r.doc) as DeadLetter,
      );
    },

    async putAlerts(alerts) {
      const ins = db.prepare('INSERT INTO alerts (id, ts, tenant, incident_id, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET incident_id = excluded.incident_id, doc = excluded.doc');
      db.transaction(() => alerts.forEach((a) => ins.run(a.id, a['@timestamp'], a.tenant, a.incidentId ?? null, JSON.stringify(a))))();
    },
    async getAlert(id) {
      return json<Alert>(db.prepare('SELECT doc FROM alerts WHERE id = ?').get(id) as { doc: string } | undefined);
    },
    async listAlerts(opts) {
      const params: unknown[] = [];
      const parts = [scopeSql(opts.tenants, 'tenant', params)];
      if (opts.incidentId) {
        parts.push('incident_id = ?');
        params.push(opts.incidentId);
      }
      return (db.prepare(`SELECT doc FROM alerts WHERE ${parts.join(' AND ')} ORDER BY ts DESC LIMIT ?`).all(...params, opts.limit ?? 100) as { doc: string }[]).map(
        (r) => JSON.parse(r.doc) as Alert,
      );
    },

    async getIncident(id, tenants) {
      const params: unknown[] = [id];
      const scope = scopeSql(tenants, 'tenant', params);
      return json<Incident>(db.prepare(`SELECT doc FROM incidents WHERE id = ? AND ${scope}`).get(...params) as { doc: string } | undefined);
    },
    async findOpenIncident(tenant, ruleId, groupKey, since) {
      return json<Incident>(
        db
          .prepare(
            "SELECT doc FROM incidents WHERE tenant = ? AND rule_id = ? AND group_key = ? AND last_seen >= ? AND status IN ('new','acknowledged','in_progress') ORDER BY last_seen DESC LIMIT 1",
          )
          .get(tenant, ruleId, groupKey, since) as { doc: string } | undefined,
      );
    },
    async saveIncident(inc, expectedVersion) {
      const doc = JSON.stringify(inc);
      if (expectedVersion === null) {
        const r = db
          .prepare('INSERT OR IGNORE INTO incidents (id, tenant, rule_id, group_key, status, severity, assignee, last_seen, created, version, doc) VALUES (?,?,?,?,?,?,?,?,?,?,?)')
          .run(inc.id, inc.tenant, inc.rule.id, inc.groupKey, inc.status, inc.severity, inc.assignee ?? null, inc.last_seen, inc.created, inc.version, doc);
        if (r.changes === 0) throw new ConflictError(`incident ${inc.id}`);
        return;
      }
      const r = db
        .prepare('UPDATE incidents SET status = ?, severity = ?, assignee = ?, last_seen = ?, version = ?, doc = ? WHERE id = ? AND version = ?')
        .run(inc.status, inc.severity, inc.assignee ?? null, inc.last_seen, inc.version, doc, inc.id, expectedVersion);
      if (r.changes === 0) throw new ConflictError(`incident ${inc.id}`);
    },
    async listIncidents(q) {
      const params: unknown[] = [];
      const parts = [scopeSql(q.tenants, 'tenant', params)];
      if (q.status?.length) {
        parts.push(`status IN (${q.status.map(() => '?').join(',')})`);
        params.push(...q.status);
      }
      if (q.severity?.length) {
        parts.push(`severity IN (${q.severity.map(() => '?').join(',')})`);
        params.push(...q.severity);
      }
      if (q.ruleId) {
        parts.push('rule_id = ?');
        params.push(q.ruleId);
      }
      if (q.assignee) {
        parts.push('assignee = ?');
        params.push(q.assignee);
      }
      const where = parts.join(' AND ');
      const rows = db
        .prepare(`SELECT doc FROM incidents WHERE ${where} ORDER BY last_seen DESC, id DESC LIMIT ? OFFSET ?`)
        .all(...params, Math.min(q.limit ?? 100, 1000), q.offset ?? 0) as { doc: string }[];
      const total = (db.prepare(`SELECT count(*) AS n FROM incidents WHERE ${where}`).get(...params) as { n: number }).n;
      return { items: rows.map((r) => JSON.parse(r.doc) as Incident), total };
    },
    async addIncidentChange(c) {
      db.prepare('INSERT OR IGNORE INTO incident_changes (id, incident_id, at, doc) VALUES (?, ?, ?, ?)').run(c.id, c.incidentId, c.at, JSON.stringify(c));
    },
    async listIncidentChanges(incidentId) {
      return (db.prepare('SELECT doc FROM incident_changes WHERE incident_id = ? ORDER BY at, id, rowid').all(incidentId) as { doc: string }[]).map(
        (r) => JSON.parse(r.doc) as IncidentChange,
      );
    },

    async putTenant(t) {
      db.prepare('INSERT INTO tenants (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc').run(t.id, JSON.stringify(t));
    },
    async getTenant(id) {
      return json<Tenant>(db.prepare('SELECT doc FROM tenants WHERE id = ?').get(id) as { doc: string } | undefined);
    },
    async listTenants() {
      return (db.prepare('SELECT doc FROM tenants ORDER BY id').all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as Tenant);
    },
    async putUser(u) {
      db.prepare('INSERT INTO users (username, doc) VALUES (?, ?) ON CONFLICT(username) DO UPDATE SET doc = excluded.doc').run(u.username, JSON.stringify(u));
    },
    async getUser(username) {
      return json<User>(db.prepare('SELECT doc FROM users WHERE username = ?').get(username) as { doc: string } | undefined);
    },
    async listUsers() {
      return (db.prepare('SELECT doc FROM users ORDER BY username').all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as User);
    },
    async putToken(t) {
      db.prepare('INSERT INTO tokens (id, hash, kind, subject, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc').run(
        t.id,
        t.hash,
        t.kind,
        t.subject,
        JSON.stringify(t),
      );
    },
    async findTokenByHash(hash) {
      return json<TokenRecord>(db.prepare('SELECT doc FROM tokens WHERE hash = ?').get(hash) as { doc: string } | undefined);
    },
    async listTokens(opts) {
      const params: unknown[] = [];
      const parts = ['1'];
      if (opts.kind) {
        parts.push('kind = ?');
        params.push(opts.kind);
      }
      if (opts.subject) {
        parts.push('subject = ?');
        params.push(opts.subject);
      }
      return (db.prepare(`SELECT doc FROM tokens WHERE ${parts.join(' AND ')} ORDER BY id`).all(...params) as { doc: string }[]).map(
        (r) => JSON.parse(r.doc) as TokenRecord,
      );
    },
    async putSession(s) {
      db.prepare('INSERT INTO sessions (id, expires, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET expires = excluded.expires, doc = excluded.doc').run(
        s.id,
        s.expires,
        JSON.stringify(s),
      );
      db.prepare('DELETE FROM sessions WHERE expires < ?').run(new Date().toISOString());
    },
    async getSession(id) {
      return json<Session>(db.prepare('SELECT doc FROM sessions WHERE id = ? AND expires > ?').get(id, new Date().toISOString()) as { doc: string } | undefined);
    },
    async deleteSession(id) {
      db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
    },

    async appendAudit(entry) {
      return appendAuditTx(entry);
    },
    async listAudit(opts) {
      return (
        db.prepare('SELECT doc, prev_hash, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?').all(opts.afterSeq ?? 0, opts.limit ?? 1000) as {
          doc: string;
          prev_hash: string;
          hash: string;
        }[]
      ).map((r) => ({ ...(JSON.parse(r.doc) as AuditEntry), prevHash: r.prev_hash, hash: r.hash }));
    },

    async enqueueNotification(n) {
      const r = db
        .prepare('INSERT OR IGNORE INTO notifications (id, status, next_attempt, incident_id, tenant, created, doc) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(n.id, n.status, n.nextAttemptAt, n.incidentId, n.tenant, n.created, JSON.stringify(n));
      return r.changes === 1;
    },
    async claimDueNotifications(now, limit) {
      return claimTx(now, limit);
    },
    async updateNotification(n) {
      db.prepare('UPDATE notifications SET status = ?, next_attempt = ?, doc = ? WHERE id = ?').run(n.status, n.nextAttemptAt, JSON.stringify(n), n.id);
    },
    async listNotifications(opts) {
      const params: unknown[] = [];
      const parts = [opts.tenants === null ? '1' : scopeSql(opts.tenants, 'tenant', params)];
      if (opts.incidentId) {
        parts.push('incident_id = ?');
        params.push(opts.incidentId);
      }
      if (opts.status?.length) {
        parts.push(`status IN (${opts.status.map(() => '?').join(',')})`);
        params.push(...opts.status);
      }
      return (db.prepare(`SELECT doc FROM notifications WHERE ${parts.join(' AND ')} ORDER BY created DESC LIMIT ?`).all(...params, opts.limit ?? 100) as { doc: string }[]).map(
        (r) => JSON.parse(r.doc) as Notification,
      );
    },

    async eventFields(tenants, sample) {
      const params: unknown[] = [];
      const scope = scopeSql(tenants, 'e.tenant', params);
      const rows = db.prepare(`SELECT e.doc FROM events e WHERE ${scope} ORDER BY e.ts DESC LIMIT ?`).all(...params, Math.min(Math.max(sample, 1), 5000)) as { doc: string }[];
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
    },
    async histogramBy(q, intervalMs, field, size) {
      const step = Math.max(1000, Math.floor(intervalMs));
      const top = await store.topValues(q, field, size);
      const keep = new Set(top.map((v) => v.value));
      const params: unknown[] = [jsonPath(field)];
      const where = eventWhere(q, params);
      const rows = db
        .prepare(`SELECT (e.ts / ${step}) * ${step} AS b, CAST(json_extract(e.doc, ?) AS TEXT) AS v, count(*) AS n FROM events e WHERE ${where} GROUP BY b, v ORDER BY b`)
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
    },
    async sourceActivity(opts) {
      const params: unknown[] = [Date.parse(opts.since)];
      if (Number.isNaN(params[0])) throw new Error(`since: "${opts.since}" is not a date`);
      const scope = scopeSql(opts.tenants, 'e.tenant', params);
      const rows = db
        .prepare(
          `SELECT e.tenant AS tenant, coalesce(json_extract(e.doc, '$.log.source.address'), json_extract(e.doc, '$.input.type'), 'unknown') AS source,
             json_extract(e.doc, '$.event.dataset') AS dataset, count(*) AS n,
             sum(CASE WHEN json_extract(e.doc, '$.event.kind') = 'pipeline_error' THEN 1 ELSE 0 END) AS failed, max(e.ts) AS last
           FROM events e WHERE e.ts >= ? AND ${scope} GROUP BY tenant, source, dataset ORDER BY tenant, n DESC`,
        )
        .all(...params) as { tenant: string; source: string; dataset: string | null; n: number; failed: number; last: number }[];
      return rows.map((r): SourceActivity => ({ tenant: r.tenant, source: String(r.source), dataset: r.dataset, count: r.n, failed: r.failed, last_seen: new Date(r.last).toISOString() }));
    },
    async alertStats(opts): Promise<AlertStats> {
      const params: unknown[] = [];
      const parts = [scopeSql(opts.tenants, 'tenant', params)];
      if (opts.from) {
        parts.push('ts >= ?');
        params.push(opts.from);
      }
      const where = parts.join(' AND ');
      const step = Math.max(1000, Math.floor(opts.intervalMs));
      const bySeverity = db.prepare(`SELECT json_extract(doc, '$.severity') AS severity, count(*) AS count FROM alerts WHERE ${where} GROUP BY severity ORDER BY count DESC`).all(...params) as {
        severity: string;
        count: number;
      }[];
      const byRule = db
        .prepare(`SELECT json_extract(doc, '$.rule.id') AS ruleId, json_extract(doc, '$.rule.title') AS title, count(*) AS count, max(ts) AS last FROM alerts WHERE ${where} GROUP BY ruleId ORDER BY count DESC, last DESC LIMIT ?`)
        .all(...params, opts.topRules) as AlertStats['byRule'];
      const hist = db
        .prepare(`SELECT (CAST(strftime('%s', ts) AS INTEGER) * 1000 / ${step}) * ${step} AS b, json_extract(doc, '$.severity') AS severity, count(*) AS count FROM alerts WHERE ${where} GROUP BY b, severity ORDER BY b`)
        .all(...params) as { b: number; severity: string; count: number }[];
      return { bySeverity, byRule, histogram: hist.filter((h) => h.b !== null).map((h) => ({ t: new Date(h.b).toISOString(), severity: h.severity, count: h.count })) };
    },
    async relatedIncidents(incident, tenants, limit) {
      const params: unknown[] = [incident.id];
      const scope = scopeSql(tenants, 'tenant', params);
      const ors: string[] = [];
      for (const [key, value] of [['host', incident.summary.host], ['user', incident.summary.user], ['source_ip', incident.summary.source_ip]] as const) {
        if (!value) continue;
        ors.push(`json_extract(doc, '$.summary.${key}') = ?`);
        params.push(value);
      }
      if (!ors.length) return [];
      return (db.prepare(`SELECT doc FROM incidents WHERE id != ? AND ${scope} AND (${ors.join(' OR ')}) ORDER BY last_seen DESC LIMIT ?`).all(...params, limit) as { doc: string }[]).map(
        (r) => JSON.parse(r.doc) as Incident,
      );
    },
    async listAlertsPage(opts) {
      const params: unknown[] = [];
      const scope = scopeSql(opts.tenants, 'tenant', params);
      const items = (db.prepare(`SELECT doc FROM alerts WHERE ${scope} ORDER BY ts DESC, id LIMIT ? OFFSET ?`).all(...params, opts.limit, opts.offset) as { doc: string }[]).map(
        (r) => JSON.parse(r.doc) as Alert,
      );
      const total = (db.prepare(`SELECT count(*) AS n FROM alerts WHERE ${scope}`).get(...params) as { n: number }).n;
      return { items, total };
    },

    async listSavedSearches(owner) {
      return (db.prepare('SELECT doc FROM saved_searches WHERE owner = ? ORDER BY id').all(owner) as { doc: string }[])
        .map((r) => JSON.parse(r.doc) as SavedSearch)
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    async putSavedSearch(s) {
      db.prepare('INSERT INTO saved_searches (id, owner, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc WHERE owner = excluded.owner').run(s.id, s.owner, JSON.stringify(s));
    },
    async deleteSavedSearch(id, owner) {
      return db.prepare('DELETE FROM saved_searches WHERE id = ? AND owner = ?').run(id, owner).changes === 1;
    },
    async listRuleSettings() {
      return (db.prepare('SELECT doc FROM rule_settings ORDER BY rule_id').all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as RuleSetting);
    },
    async putRuleSetting(s) {
      db.prepare('INSERT INTO rule_settings (rule_id, doc) VALUES (?, ?) ON CONFLICT(rule_id) DO UPDATE SET doc = excluded.doc').run(s.ruleId, JSON.stringify(s));
    },

    async getState(key) {
      const r = db.prepare('SELECT value FROM state WHERE key = ?').get(key) as { value: string } | undefined;
      return r ? r.value : null;
    },
    async putState(key, value) {
      db.prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    },
  };
  return store;
}
