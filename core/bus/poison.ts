/**
 * Poison isolation for a consumer: a record that a stage cannot handle (a store that refuses one
 * document, a value that breaks a handler) must not block its topic forever. When a batch fails
 * for a reason that is not the backend being away, the batch is split until the failing records
 * are alone; those are handed to `quarantine` (a dead letter with the reason) and the rest go on.
 * A backend that is down (connection refused, disk full, 429/5xx) keeps failing the whole batch,
 * so the bus retries it with back-off and nothing is dead-lettered by mistake.
 */
import type { Logger } from '../log';
import type { BatchHandler, BusMessage } from './bus';
import { isRecordDecodeError } from './errors';

export interface PoisonOptions<T> {
  /** Who handles the records, for logs and reasons: "indexer", "alerting". */
  stage: string;
  handler: BatchHandler<T>;
  /** Keeps a record the stage refused (publish a dead letter); must be idempotent by the record. */
  quarantine: (m: BusMessage<T>, reason: string) => Promise<void>;
  logger: Logger;
  /** Does the backend answer at all? When every record of a batch fails alone, a probe that
   *  succeeds says the records are at fault; one that fails says the backend is, and all is retried. */
  probe?: () => Promise<void>;
  /** Deliveries a lone failing record gets, when nothing tells backend from record, before it is quarantined. */
  maxAttempts?: number;
  isTransient?: (e: unknown) => boolean;
}

export interface PoisonStats {
  quarantined: number;
  lastReason: string | null;
}

export interface PoisonGuard<T> {
  handler: BatchHandler<T>;
  stats(): PoisonStats;
}

const TRANSIENT_CODES = new Set([
  'ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EMFILE', 'ENFILE', 'ENOMEM',
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PROTOCOL', 'SQLITE_INTERRUPT',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);
const TRANSIENT_NAMES = new Set(['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError', 'KafkaJSConnectionError', 'KafkaJSNumberOfRetriesExceeded', 'KafkaJSRequestTimeoutError', 'AbortError']);

/** True when the error says the backend is away or overloaded, not that the record is bad. */
export function isTransientError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as { code?: unknown; name?: unknown; statusCode?: unknown; meta?: { statusCode?: unknown }; transient?: unknown; retriable?: unknown; cause?: unknown };
  if (err.transient === true || err.retriable === true) return true;
  if (err.transient === false) return false;
  const code = typeof err.code === 'string' ? err.code : '';
  if (TRANSIENT_CODES.has(code) || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_BUSY')) return true;
  if (typeof err.name === 'string' && TRANSIENT_NAMES.has(err.name)) return true;
  const status = typeof err.statusCode === 'number' ? err.statusCode : typeof err.meta?.statusCode === 'number' ? err.meta.statusCode : 0;
  if (status === 408 || status === 429 || status >= 500) return true;
  return err.cause !== undefined && err.cause !== e && isTransientError(err.cause);
}

const keyOf = (m: BusMessage<unknown>) => `${m.topic}/${m.partition}/${m.offset}`;
const MAX_TRACKED = 10_000;

/** Wraps a batch handler so that records it cannot handle are quarantined instead of blocking the topic. */
export function isolatePoison<T>(opts: PoisonOptions<T>): PoisonGuard<T> {
  const transient = opts.isTransient ?? isTransientError;
  const maxAttempts = opts.maxAttempts ?? 3;
  const attempts = new Map<string, number>(); // lone failures per record, while nothing told backend from record
  const stats: PoisonStats = { quarantined: 0, lastReason: null };

  /** The records that fail alone, with their errors; throws when the backend is away. */
  async function failing(msgs: BusMessage<T>[]): Promise<[BusMessage<T>, unknown][]> {
    try {
      await opts.handler(msgs);
      return [];
    } catch (e) {
      if (transient(e)) throw e;
      if (msgs.length === 1) return [[msgs[0], e]];
      const mid = msgs.length >> 1;
      return [...(await failing(msgs.slice(0, mid))), ...(await failing(msgs.slice(mid)))];
    }
  }

  async function backendAnswers(): Promise<boolean | null> {
    if (!opts.probe) return null;
    try {
      await opts.probe();
      return true;
    } catch {
      return false;
    }
  }

  /** A record the bus could not decode (Kafka: not JSON, prototype keys, too deep) never reaches the stage. */
  async function setAsideUndecodable(batch: BusMessage<T>[]): Promise<BusMessage<T>[]> {
    const undecodable = batch.filter((m) => isRecordDecodeError(m.value));
    for (const m of undecodable) await setAside(m, `${opts.stage}: ${(m.value as Error).message}`);
    return undecodable.length ? batch.filter((m) => !isRecordDecodeError(m.value)) : batch;
  }

  async function setAside(m: BusMessage<T>, reason: string): Promise<void> {
    await opts.quarantine(m, reason);
    stats.quarantined++;
    stats.lastReason = reason;
    opts.logger.error({ stage: opts.stage, topic: m.topic, partition: m.partition, offset: m.offset, reason }, 'a record the stage cannot handle was set aside as a dead letter; the rest of its batch goes on');
  }

  const handler: BatchHandler<T> = async (all) => {
    const batch = await setAsideUndecodable(all);
    if (batch.length === 0) return;
    let first: unknown;
    try {
      await opts.handler(batch);
      return;
    } catch (e) {
      if (transient(e)) throw e;
      first = e;
    }
    const bad = await failing(batch);
    if (bad.length === 0) return; // it went through on the second try: nothing to isolate
    // when every record fails alone, the stage itself may be broken: ask the backend before blaming the data
    const blameRecords = bad.length < batch.length || (await backendAnswers());
    if (blameRecords === false) throw first;
    let retry = false;
    for (const [m, err] of bad) {
      const key = keyOf(m);
      const n = (attempts.get(key) ?? 0) + 1;
      if (blameRecords !== true && n < maxAttempts) {
        if (attempts.size >= MAX_TRACKED) attempts.clear();
        attempts.set(key, n);
        retry = true;
        continue;
      }
      attempts.delete(key);
      await setAside(m, `${opts.stage}: ${describe(err)}`);
    }
    if (retry) throw first;
  };
  return { handler, stats: () => ({ ...stats }) };
}

function describe(e: unknown): string {
  const msg = e instanceof Error ? `${e.name === 'Error' ? '' : e.name + ': '}${e.message}` : String(e);
  return msg.length > 500 ? msg.slice(0, 500) + '…' : msg;
}
