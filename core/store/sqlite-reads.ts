/** The table of reads a reader thread can run: name → function of (connection, ...arguments). */
import type Database from 'better-sqlite3';
import * as events from './sqlite-event-reads';
import * as records from './sqlite-record-reads';
import * as rollups from './sqlite-rollups';

/** A read answered from the event rollups when it can (no search, whole-minute steps), else by its scan. */
const rolledUp =
  <A extends unknown[], R>(fast: (db: Database.Database, ...a: A) => R | null, scan: (db: Database.Database, ...a: A) => R) =>
  (db: Database.Database, ...a: A): R =>
    fast(db, ...a) ?? scan(db, ...a);

export const READS = {
  searchEvents: events.searchEvents,
  histogram: rolledUp(rollups.rollupHistogram, events.histogram),
  topValues: rolledUp(rollups.rollupTopValues, events.topValues),
  countEvents: rolledUp(rollups.rollupCountEvents, events.countEvents),
  histogramBy: rolledUp(rollups.rollupHistogramBy, events.histogramBy),
  eventFields: events.eventFields,
  sourceActivity: rolledUp(rollups.rollupSourceActivity, events.sourceActivity),
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
