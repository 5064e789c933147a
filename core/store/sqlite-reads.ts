/** The table of reads a reader thread can run: name → function of (connection, ...arguments). */
import type Database from 'better-sqlite3';
import * as events from './sqlite-event-reads';
import * as records from './sqlite-record-reads';

export const READS = {
  searchEvents: events.searchEvents,
  histogram: events.histogram,
  topValues: events.topValues,
  countEvents: events.countEvents,
  histogramBy: events.histogramBy,
  eventFields: events.eventFields,
  sourceActivity: events.sourceActivity,
  listIncidents: records.listIncidents,
  relatedIncidents: records.relatedIncidents,
  listAlertsPage: records.listAlertsPage,
  alertStats: records.alertStats,
  listDeadLetters: records.listDeadLetters,
  listAudit: records.listAudit,
};

export type ReadName = keyof typeof READS;
type Rest<T> = T extends (db: Database.Database, ...args: infer A) => unknown ? A : never;
export type ReadArgs<K extends ReadName> = Rest<(typeof READS)[K]>;
export type ReadResult<K extends ReadName> = ReturnType<(typeof READS)[K]>;

/** Runs a read by name on a connection (in a reader thread, or in-process for an in-memory store). */
export function runRead<K extends ReadName>(db: Database.Database, name: K, args: ReadArgs<K>): ReadResult<K> {
  const fn = READS[name] as (db: Database.Database, ...a: unknown[]) => ReadResult<K>;
  if (typeof fn !== 'function') throw new Error(`store: no read named "${String(name)}"`);
  return fn(db, ...(args as unknown[]));
}

/** A request to a reader thread and its answer. */
export interface ReadRequest {
  seq: number;
  name: ReadName;
  args: unknown[];
  until: number;
  limitMs: number;
  slot: number;
}

export type ReadAnswer = { seq: number; ok: true; value: unknown } | { seq: number; ok: false; error: { name: string; message: string; statusCode?: number; position?: number } };

export interface ReaderData {
  path: string;
  flags: SharedArrayBuffer;
}
