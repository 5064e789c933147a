/**
 * Reader threads for the embedded store: heavy reads run on read-only connections in worker threads,
 * never on the thread that carries ingest, detection and the WebSocket push. Each read has a time
 * limit that stops the statement inside SQLite, can be cancelled by an AbortSignal, and at most
 * `readers` run at once with `maxQueued` waiting; beyond that a read is refused with 503.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { QuerySyntaxError } from '../query';
import { CANCELLED_MESSAGE, ReadRefusedError, STOP_CANCEL, timeLimitMessage } from './sqlite-deadline';
import type { ReadAnswer, ReadArgs, ReaderData, ReadName, ReadRequest, ReadResult } from './sqlite-reads';

type LogFn = (obj: object, msg: string) => void;

export interface ReadPoolConfig {
  path: string;
  script: string;
  readers: number;
  timeoutMs: number;
  maxQueued: number;
  logger?: { warn: LogFn; error: LogFn };
}

interface Job {
  seq: number;
  name: ReadName;
  args: unknown[];
  signal?: AbortSignal;
  settle: (err: Error | null, value?: unknown) => void;
  settled: boolean;
}

interface Slot {
  index: number;
  worker: Worker;
  job: Job | null;
  watchdog: NodeJS.Timeout | null;
  /** Terminated after ignoring its time limit; takes no read until replaced. */
  dying: boolean;
}

/** How long past its limit a read may take to stop by itself before its thread is terminated. */
const WATCHDOG_GRACE_MS = 5000;

/** The compiled reader script: beside this file when running from dist/, else dist/ of the checkout (tests run the TypeScript). */
export function readerScript(): string | null {
  for (const p of [path.join(__dirname, 'sqlite-read-worker.js'), path.resolve(__dirname, '..', '..', 'dist', 'core', 'store', 'sqlite-read-worker.js')]) if (fs.existsSync(p)) return p;
  return null;
}

/** An error from a reader thread, as the class the caller would have seen in-process. */
function rebuild(e: Extract<ReadAnswer, { ok: false }>['error']): Error {
  if (e.name === 'QuerySyntaxError') {
    const err = Object.create(QuerySyntaxError.prototype) as QuerySyntaxError;
    return Object.assign(err, { message: e.message, name: e.name, position: e.position ?? 0, stack: `${e.name}: ${e.message}` });
  }
  if (e.statusCode) return new ReadRefusedError(e.message, e.statusCode);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

export interface ReadLoad {
  running: number;
  waiting: number;
  timedOut: number;
  cancelled: number;
  refused: number;
  stoppedByLimit: number;
  stoppedByCancel: number;
  restarts: number;
}

export class ReadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly flags: Int32Array;
  private seq = 0;
  private closing = false;
  /**
   * Reads that ran out of time, cancelled by their caller, refused because too many ran; statements SQLite
   * aborted on the limit or the cancel (as the reader thread reported); reader threads replaced.
   */
  readonly stats = { timedOut: 0, cancelled: 0, refused: 0, stoppedByLimit: 0, stoppedByCancel: 0, restarts: 0 };

  constructor(private readonly config: ReadPoolConfig) {
    if (!Number.isInteger(config.readers) || config.readers < 1) throw new Error(`store.sqlite.readers: expected a whole number ≥ 1, got ${config.readers}`);
    if (!(config.timeoutMs > 0)) throw new Error(`store.sqlite.query_timeout_seconds: expected a positive number of seconds, got ${config.timeoutMs / 1000}`);
    this.flags = new Int32Array(new SharedArrayBuffer(4 * config.readers));
    for (let i = 0; i < config.readers; i++) this.slots.push(this.spawn(i));
  }

  private spawn(index: number): Slot {
    const data: ReaderData = { path: this.config.path, flags: this.flags.buffer as SharedArrayBuffer };
    const worker = new Worker(this.config.script, { workerData: data, name: `canhgac-reader-${index}` });
    worker.unref();
    const slot: Slot = { index, worker, job: null, watchdog: null, dying: false };
    worker.on('message', (a: ReadAnswer) => {
      const job = slot.job;
      if (!job || job.seq !== a.seq) return;
      if (!a.ok && a.error.statusCode === 503) this.stats.stoppedByLimit++;
      if (!a.ok && a.error.statusCode === 499) this.stats.stoppedByCancel++;
      if (a.ok) this.finish(slot, null, a.value);
      else this.finish(slot, rebuild(a.error));
    });
    const died = (why: string) => {
      if (this.slots[index] !== slot) return;
      slot.dying = true;
      if (slot.job) this.finish(slot, new Error(`store: a reader thread stopped (${why}) during ${slot.job.name}`));
      if (this.closing) return;
      this.stats.restarts++;
      this.config.logger?.error({ reader: index, reason: why }, 'store: a reader thread stopped; it is replaced');
      this.slots[index] = this.spawn(index);
      this.pump();
    };
    worker.on('error', (e) => died(e.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    return slot;
  }

  private finish(slot: Slot, err: Error | null, value?: unknown): void {
    const job = slot.job;
    if (slot.watchdog) clearTimeout(slot.watchdog);
    slot.watchdog = null;
    slot.job = null;
    slot.worker.unref();
    if (job) {
      if (err && err instanceof ReadRefusedError && err.statusCode === 503) this.stats.timedOut++;
      job.settle(err, value);
    }
    this.pump();
  }

  /** Runs a read in a reader thread; rejects with statusCode 503 past the time limit or when too many run, 499 when cancelled. */
  run<K extends ReadName>(name: K, args: ReadArgs<K>, signal?: AbortSignal): Promise<ReadResult<K>> {
    if (this.closing) return Promise.reject(new Error('store: closed'));
    if (signal?.aborted) return Promise.reject(new ReadRefusedError(CANCELLED_MESSAGE, 499));
    return new Promise<ReadResult<K>>((resolve, reject) => {
      const job: Job = {
        seq: ++this.seq,
        name,
        args: args as unknown[],
        signal,
        settled: false,
        settle: (err, value) => {
          if (job.settled) return;
          job.settled = true;
          signal?.removeEventListener('abort', onAbort);
          if (err) reject(err);
          else resolve(value as ReadResult<K>);
        },
      };
      const onAbort = () => this.cancel(job);
      signal?.addEventListener('abort', onAbort, { once: true });
      const free = this.slots.find((s) => !s.job && !s.dying);
      if (free) return this.start(free, job);
      if (this.queue.length >= this.config.maxQueued) {
        this.stats.refused++;
        return job.settle(new ReadRefusedError(`too many searches running (${this.slots.length} running, ${this.queue.length} waiting); retry in a few seconds`, 503));
      }
      this.queue.push(job);
    });
  }

  private cancel(job: Job): void {
    this.stats.cancelled++;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.job === job);
    // the statement stops at its next row; the thread stays busy until it has
    if (slot) Atomics.store(this.flags, slot.index, STOP_CANCEL);
    job.settle(new ReadRefusedError(CANCELLED_MESSAGE, 499));
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref(); // a caller awaiting a read keeps the process alive (a CLI command has nothing else)
    Atomics.store(this.flags, slot.index, 0);
    const { timeoutMs } = this.config;
    const req: ReadRequest = { seq: job.seq, name: job.name, args: job.args, until: Date.now() + timeoutMs, limitMs: timeoutMs, slot: slot.index };
    slot.watchdog = setTimeout(() => {
      // the statement did not stop by itself (time spent outside the row loop): end the thread
      if (slot.job !== job) return;
      this.config.logger?.warn({ reader: slot.index, read: job.name, timeoutMs }, 'store: a read ignored its time limit; its reader thread is replaced');
      slot.dying = true;
      this.finish(slot, new ReadRefusedError(timeLimitMessage(timeoutMs), 503));
      // replaced at once: a thread stuck in native code may take long to end, and must not cost a reader meanwhile
      this.stats.restarts++;
      this.slots[slot.index] = this.spawn(slot.index);
      void slot.worker.terminate();
      this.pump();
    }, timeoutMs + WATCHDOG_GRACE_MS);
    slot.watchdog.unref();
    try {
      slot.worker.postMessage(req);
    } catch (e) {
      this.finish(slot, new Error(`store: the read ${job.name} could not be handed to a reader thread: ${(e as Error).message}`));
    }
  }

  private pump(): void {
    for (;;) {
      const free = this.slots.find((s) => !s.job && !s.dying);
      const job = free && this.queue.shift();
      if (!free || !job) return;
      this.start(free, job);
    }
  }

  /** Reads running now and waiting, and what happened to past reads. */
  load(): ReadLoad {
    return { running: this.slots.filter((s) => s.job).length, waiting: this.queue.length, ...this.stats };
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const job of this.queue.splice(0)) job.settle(new Error('store: closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
