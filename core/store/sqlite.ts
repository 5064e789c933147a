/**
 * The embedded Store on SQLite (better-sqlite3): WAL journal, FTS5 for free text, JSON documents with
 * json_each for field queries. Writes go through one connection on the caller's thread; heavy reads
 * run in reader threads on read-only connections (sqlite-read-pool.ts), each with a time limit that
 * stops the statement, a cancel, and a cap on how many run at once. Every write is idempotent by id.
 */
import os from 'node:os';
import type Database from 'better-sqlite3';
import { parseQuery } from '../query';
import type { ReadOptions, Store } from './store';
import { CANCELLED_MESSAGE, installDeadline, ReadRefusedError, withDeadline, type ReadDeadline } from './sqlite-deadline';
import { caseRepository } from './sqlite-cases';
import { eventWriter } from './sqlite-events';
import { ensureFieldIndex, fieldIndexWriter, startFieldIndexUpkeep } from './sqlite-field-index';
import { sqliteEnrichEvents } from './sqlite-enrich';
import { identityRepository } from './sqlite-identity';
import { incidentRepository } from './sqlite-incidents';
import { intelRepository } from './sqlite-intel';
import { ReadPool, readerScript, type ReadLoad } from './sqlite-read-pool';
import { runRead, type ReadArgs, type ReadName, type ReadResult } from './sqlite-reads';
import { sqliteRetention } from './sqlite-retention';
import { ensureRollups, startRollupUpkeep } from './sqlite-rollups';
import { openWriter } from './sqlite-schema';
import { vulnRepository } from './sqlite-vulns';
import { websiteRepository } from './sqlite-websites';

type LogFn = (obj: object, msg: string) => void;

export interface SqliteStoreConfig {
  path: string; // file path, or ':memory:'
  /** Reader threads for console reads (default 2); 0 runs reads on the caller's thread (an in-memory store always does). */
  readers?: number;
  /** A read still running after this long is stopped and answered 503 (default 20 000 ms). */
  queryTimeoutMs?: number;
  /** Reads that may wait for a reader thread; one more is refused with 503 (default 8). */
  maxQueuedReads?: number;
  logger?: { info?: LogFn; warn: LogFn; error: LogFn };
}

export const DEFAULT_QUERY_TIMEOUT_MS = 20_000;

/** Reads on the writer connection, for an in-memory store (another connection cannot see it) or when no reader script is built. */
function localReader(db: Database.Database, timeoutMs: number) {
  const setDeadline = installDeadline(db);
  return async <K extends ReadName>(name: K, args: ReadArgs<K>, signal?: AbortSignal): Promise<ReadResult<K>> => {
    if (signal?.aborted) throw new ReadRefusedError(CANCELLED_MESSAGE, 499);
    const d: ReadDeadline = { until: Date.now() + timeoutMs, limitMs: timeoutMs };
    return withDeadline(setDeadline, d, () => runRead(db, name, args));
  };
}

function defaultReaders(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores));
}

export function createSqliteStore(config: SqliteStoreConfig): Store & { readLoad(): ReadLoad; rollupsReady(): Promise<void>; fieldIndexReady(): Promise<void> } {
  const db = openWriter(config.path);
  ensureRollups(db);
  ensureFieldIndex(db);
  const upkeep = startRollupUpkeep(db, config.logger);
  const indexWriter = fieldIndexWriter(db);
  const indexUpkeep = startFieldIndexUpkeep(db, indexWriter, config.logger);
  const timeoutMs = config.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const readers = config.readers ?? defaultReaders();
  const script = config.path === ':memory:' || readers === 0 ? null : readerScript();
  if (readers > 0 && config.path !== ':memory:' && !script) config.logger?.warn({}, 'store: the reader thread script is not built (npm run build); console reads run on the main thread');
  const pool = script ? new ReadPool({ path: config.path, script, readers, timeoutMs, maxQueued: config.maxQueuedReads ?? 8, logger: config.logger }) : null;
  const local = localReader(db, timeoutMs);
  const read = <K extends ReadName>(name: K, args: ReadArgs<K>, opts?: ReadOptions): Promise<ReadResult<K>> =>
    pool ? pool.run(name, args, opts?.signal) : local(name, args, opts?.signal);
  /** A bad query is refused here, with its own error class, before a reader thread is asked. */
  const checked = async <K extends ReadName>(q: { q?: string }, name: K, args: ReadArgs<K>, opts?: ReadOptions): Promise<ReadResult<K>> => {
    parseQuery(q.q);
    return read(name, args, opts);
  };
  const events = eventWriter(db, indexWriter);
  const enrich = sqliteEnrichEvents(db, indexWriter);

  return {
    kind: 'sqlite',
    cases: caseRepository(db),
    vulns: vulnRepository(db),
    retention: sqliteRetention(db),
    async init() {},
    async close() {
      upkeep.stop();
      indexUpkeep.stop();
      await pool?.close();
      if (db.open) db.close();
    },
    /** Resolves when an old store's events are all in the rollups (at once for a new store); until then dashboards scan. */
    rollupsReady: () => upkeep.ready,
    /** Resolves when an old store's events are all in the field index (at once for a new store); until then field queries scan. */
    fieldIndexReady: () => indexUpkeep.ready,
    readLoad: () => pool?.load() ?? { running: 0, waiting: 0, timedOut: 0, cancelled: 0, refused: 0, stoppedByLimit: 0, stoppedByCancel: 0, restarts: 0 },

    async putEvents(evs) {
      events.putEvents(evs);
    },
    async getEvents(ids, tenants) {
      return events.getEvents(ids, tenants);
    },
    async enrichEvents(items) {
      return enrich(items);
    },
    async putDeadLetters(items) {
      events.putDeadLetters(items);
    },
    searchEvents: (q, opts) => checked(q, 'searchEvents', [q], opts),
    histogram: (q, intervalMs, opts) => checked(q, 'histogram', [q, intervalMs], opts),
    topValues: (q, field, size, opts) => checked(q, 'topValues', [q, field, size], opts),
    histogramBy: (q, intervalMs, field, size, opts) => checked(q, 'histogramBy', [q, intervalMs, field, size], opts),
    countEvents: (tenants, opts) => read('countEvents', [tenants], opts),
    eventFields: (tenants, sample, opts) => read('eventFields', [tenants, sample], opts),
    sourceActivity: (opts, r) => read('sourceActivity', [opts], r),
    listDeadLetters: (opts, r) => read('listDeadLetters', [opts], r),
    listIncidents: (q, opts) => read('listIncidents', [q], opts),
    relatedIncidents: (incident, tenants, limit, opts) => read('relatedIncidents', [incident, tenants, limit], opts),
    listAlertsPage: (opts, r) => read('listAlertsPage', [opts], r),
    alertStats: (opts, r) => read('alertStats', [opts], r),
    listAudit: (opts, r) => read('listAudit', [opts], r),

    ...incidentRepository(db),
    ...identityRepository(db),
    ...websiteRepository(db),
    ...intelRepository(db),
  };
}
