/** Writing events and dead letters on the embedded store's writer connection, and fetching events by id. */
import type Database from 'better-sqlite3';
import type { EcsEvent } from '../event';
import type { DeadLetter } from '../model';
import type { TenantScope } from './store';
import { boundDepth } from './json-depth';
import { parseDocs, scopeSql } from './sqlite-schema';
import { fieldIndexWriter, type FieldIndexWriter } from './sqlite-field-index';
import { addToRollups } from './sqlite-rollups';
import { searchableText } from './text';

export interface EventWriter {
  putEvents(events: EcsEvent[]): void;
  getEvents(ids: string[], tenants: TenantScope): EcsEvent[];
  putDeadLetters(items: DeadLetter[]): void;
}

/**
 * Events by id within a scope. `+e.tenant` keeps SQLite off the (tenant, ts) index: with a long id list it
 * would otherwise read every event of the agency (60 ms an alert at 30 000 events, growing with the store)
 * instead of looking each id up in its unique index.
 */
export function eventsByIdSql(n: number, tenants: TenantScope, out: unknown[] = []): string {
  return `SELECT e.doc FROM events e WHERE e.id IN (${Array.from({ length: n }, () => '?').join(',')}) AND ${scopeSql(tenants, '+e.tenant', out)} ORDER BY e.ts`;
}

export function eventWriter(db: Database.Database, index: FieldIndexWriter = fieldIndexWriter(db)): EventWriter {
  const insertEvent = db.prepare('INSERT OR IGNORE INTO events (id, ts, tenant, doc) VALUES (?, ?, ?, ?)');
  const insertFts = db.prepare('INSERT INTO events_fts (rowid, text) VALUES (?, ?)');
  const putEventsTx = db.transaction((events: EcsEvent[]) => {
    const added: number[] = [];
    for (const ev of events) {
      const id = ev.event?.id;
      if (!id) throw new Error('store: an event without event.id cannot be stored idempotently');
      const ts = Date.parse(ev['@timestamp']);
      const tenant = ev.organization?.id;
      // the tenant is a column, never read from the document: no payload key can move an event to another agency
      const doc = boundDepth(ev);
      const at = Number.isNaN(ts) ? Date.now() : ts;
      const agency = tenant == null ? '' : String(tenant);
      const r = insertEvent.run(id, at, agency, JSON.stringify(doc));
      if (r.changes === 1) {
        insertFts.run(r.lastInsertRowid, searchableText(ev));
        index.add(Number(r.lastInsertRowid), agency, at, doc);
        added.push(Number(r.lastInsertRowid));
      }
    }
    index.flush();
    addToRollups(db, added); // same transaction: the dashboards' counts stay exact
  });
  const insertDead = db.prepare('INSERT OR IGNORE INTO dead_letters (id, at, tenant, doc) VALUES (?, ?, ?, ?)');
  const putDeadTx = db.transaction((items: DeadLetter[]) => items.forEach((d) => insertDead.run(d.id, d.at, d.tenant, JSON.stringify(d))));
  return {
    putEvents(events) {
      if (!events.length) return;
      try {
        putEventsTx(events);
      } catch (e) {
        index.forget(); // field ids learnt in the rolled-back transaction are gone
        throw e;
      }
    },
    getEvents(ids, tenants) {
      if (!ids.length) return [];
      const params: unknown[] = [...ids];
      const sql = eventsByIdSql(ids.length, tenants, params);
      return parseDocs<EcsEvent>(db.prepare(sql).all(...params));
    },
    putDeadLetters(items) {
      if (items.length) putDeadTx(items);
    },
  };
}
