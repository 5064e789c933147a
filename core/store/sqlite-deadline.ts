/**
 * A time limit and a cancel flag that truly stop an SQLite statement: every heavy read puts
 * `canhgac_deadline()` in its WHERE clause; SQLite calls it for each row it looks at, and it
 * throws once the limit has passed or the caller gave up, which aborts the statement.
 */
import type Database from 'better-sqlite3';

/** An HTTP-shaped refusal: fastify answers `statusCode` with the message. */
export class ReadRefusedError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = 'ReadRefusedError';
  }
}

export const STOP_TIMEOUT = 1;
export const STOP_CANCEL = 2;

export interface ReadDeadline {
  /** Epoch ms after which the statement stops. */
  until: number;
  limitMs: number;
  /** Set to STOP_CANCEL (by another thread) to stop the statement now. */
  flags?: Int32Array;
  slot?: number;
}

/** The message a user sees when a search ran out of time. */
export function timeLimitMessage(limitMs: number): string {
  return `the search was stopped after ${Math.round(limitMs / 1000)} s (store.sqlite.query_timeout_seconds); narrow it: a shorter time range, a field:value term instead of free-text wildcards, or one agency`;
}

export const CANCELLED_MESSAGE = 'the search was cancelled by the client';

/** Registers canhgac_deadline() on a connection; the returned function sets (or clears) the limit for the next statements. */
export function installDeadline(db: Database.Database): (d: ReadDeadline | null) => void {
  let current: ReadDeadline | null = null;
  let calls = 0;
  // not deterministic: SQLite must call it for every row instead of once per statement
  db.function('canhgac_deadline', { deterministic: false, varargs: false }, () => {
    const d = current;
    if (!d) return 1;
    if (d.flags && d.slot !== undefined && Atomics.load(d.flags, d.slot) === STOP_CANCEL) throw new ReadRefusedError(CANCELLED_MESSAGE, 499);
    if ((++calls & 63) === 0 && Date.now() > d.until) throw new ReadRefusedError(timeLimitMessage(d.limitMs), 503);
    return 1;
  });
  return (d) => {
    current = d;
    calls = 0;
  };
}

/** Runs `read` under a deadline; JavaScript work between statements is checked too. */
export function withDeadline<T>(setDeadline: (d: ReadDeadline | null) => void, d: ReadDeadline, read: () => T): T {
  setDeadline(d);
  try {
    return read();
  } finally {
    setDeadline(null);
  }
}
