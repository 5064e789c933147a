/** Alerts, incidents, their changes and the notification outbox on the embedded store's writer connection. */
import type Database from 'better-sqlite3';
import type { Store } from './store';
import { ConflictError } from './store';
import type { Alert, Incident, IncidentChange, Notification } from '../model';
import { parseDoc, parseDocs, scopeSql } from './sqlite-schema';

export type IncidentRepository = Pick<
  Store,
  'putAlerts' | 'getAlert' | 'listAlerts' | 'getIncident' | 'findOpenIncident' | 'findOpenIncidentByEntity' | 'saveIncident' | 'addIncidentChange' | 'listIncidentChanges' | 'enqueueNotification' | 'claimDueNotifications' | 'updateNotification' | 'listNotifications'
>;

export function incidentRepository(db: Database.Database): IncidentRepository {
  const claimTx = db.transaction((now: string, limit: number): Notification[] => {
    const due = parseDocs<Notification>(db.prepare("SELECT doc FROM notifications WHERE status = 'pending' AND next_attempt <= ? ORDER BY next_attempt LIMIT ?").all(now, limit));
    const upd = db.prepare('UPDATE notifications SET status = ?, doc = ? WHERE id = ?');
    for (const n of due) {
      n.status = 'sending';
      upd.run(n.status, JSON.stringify(n), n.id);
    }
    return due;
  });

  return {
    async putAlerts(alerts) {
      const ins = db.prepare('INSERT INTO alerts (id, ts, tenant, incident_id, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET incident_id = excluded.incident_id, doc = excluded.doc');
      db.transaction(() => alerts.forEach((a) => ins.run(a.id, a['@timestamp'], a.tenant, a.incidentId ?? null, JSON.stringify(a))))();
    },
    async getAlert(id) {
      return parseDoc<Alert>(db.prepare('SELECT doc FROM alerts WHERE id = ?').get(id) as { doc: string } | undefined);
    },
    async listAlerts(opts) {
      const params: unknown[] = [];
      const parts = [scopeSql(opts.tenants, 'tenant', params)];
      if (opts.incidentId) {
        parts.push('incident_id = ?');
        params.push(opts.incidentId);
      }
      if (opts.eventId !== undefined) {
        // the id as a JSON string somewhere in the document narrows the scan; eventIds itself decides
        parts.push('instr(doc, ?) > 0');
        params.push(JSON.stringify(opts.eventId));
        const found = parseDocs<Alert>(db.prepare(`SELECT doc FROM alerts WHERE ${parts.join(' AND ')} ORDER BY ts DESC`).all(...params));
        return found.filter((a) => (a.eventIds ?? []).includes(opts.eventId!)).slice(0, opts.limit ?? 100);
      }
      return parseDocs<Alert>(db.prepare(`SELECT doc FROM alerts WHERE ${parts.join(' AND ')} ORDER BY ts DESC LIMIT ?`).all(...params, opts.limit ?? 100));
    },

    async getIncident(id, tenants) {
      const params: unknown[] = [id];
      const scope = scopeSql(tenants, 'tenant', params);
      return parseDoc<Incident>(db.prepare(`SELECT doc FROM incidents WHERE id = ? AND ${scope}`).get(...params) as { doc: string } | undefined);
    },
    async findOpenIncident(tenant, ruleId, groupKey, since) {
      const row = db
        .prepare("SELECT doc FROM incidents WHERE tenant = ? AND rule_id = ? AND group_key = ? AND last_seen >= ? AND status IN ('new','acknowledged','in_progress') ORDER BY last_seen DESC LIMIT 1")
        .get(tenant, ruleId, groupKey, since) as { doc: string } | undefined;
      return parseDoc<Incident>(row);
    },
    async findOpenIncidentByEntity(tenant, entityKeys, since) {
      if (!entityKeys.length) return null;
      const row = db
        .prepare(
          `SELECT doc FROM incidents WHERE tenant = ? AND last_seen >= ? AND status IN ('new','acknowledged','in_progress') AND EXISTS (SELECT 1 FROM json_each(incidents.doc, '$.entityKeys') j WHERE j.value IN (${entityKeys.map(() => '?').join(',')})) ORDER BY last_seen DESC LIMIT 1`,
        )
        .get(tenant, since, ...entityKeys) as { doc: string } | undefined;
      return parseDoc<Incident>(row);
    },
    async saveIncident(inc, expectedVersion) {
      const doc = JSON.stringify(inc);
      const r =
        expectedVersion === null
          ? db
              .prepare('INSERT OR IGNORE INTO incidents (id, tenant, rule_id, group_key, status, severity, assignee, last_seen, created, version, doc) VALUES (?,?,?,?,?,?,?,?,?,?,?)')
              .run(inc.id, inc.tenant, inc.rule.id, inc.groupKey, inc.status, inc.severity, inc.assignee ?? null, inc.last_seen, inc.created, inc.version, doc)
          : db
              .prepare('UPDATE incidents SET status = ?, severity = ?, assignee = ?, last_seen = ?, version = ?, doc = ? WHERE id = ? AND version = ?')
              .run(inc.status, inc.severity, inc.assignee ?? null, inc.last_seen, inc.version, doc, inc.id, expectedVersion);
      if (r.changes === 0) throw new ConflictError(`incident ${inc.id}`);
    },
    async addIncidentChange(c) {
      db.prepare('INSERT OR IGNORE INTO incident_changes (id, incident_id, at, doc) VALUES (?, ?, ?, ?)').run(c.id, c.incidentId, c.at, JSON.stringify(c));
    },
    async listIncidentChanges(incidentId) {
      return parseDocs<IncidentChange>(db.prepare('SELECT doc FROM incident_changes WHERE incident_id = ? ORDER BY at, id, rowid').all(incidentId));
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
      const parts = [scopeSql(opts.tenants, 'tenant', params)];
      if (opts.incidentId) {
        parts.push('incident_id = ?');
        params.push(opts.incidentId);
      }
      if (opts.status?.length) {
        parts.push(`status IN (${opts.status.map(() => '?').join(',')})`);
        params.push(...opts.status);
      }
      return parseDocs<Notification>(db.prepare(`SELECT doc FROM notifications WHERE ${parts.join(' AND ')} ORDER BY created DESC LIMIT ?`).all(...params, opts.limit ?? 100));
    },
  };
}
