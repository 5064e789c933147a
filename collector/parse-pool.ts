/**
 * Parse workers for the collector: batches go to the least busy worker thread and come back as JSON ready
 * for the bus. A worker that dies hands its batches back unparsed (the intake parses them itself) and is
 * replaced, so a crash costs time, never events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../core/log';
import type { ParseRequest, ParseResult, ParseWorkerData } from './parse-worker';

/** What a batch comes back as: parsed, `null` (no worker took it: parse it here) or `'timeout'` (a worker spent too long on it). */
export type PoolAnswer = ParseResult | null | 'timeout';

interface Slot {
  worker: Worker;
  pending: Map<number, (r: PoolAnswer) => void>;
  timer: NodeJS.Timeout | null;
}

/** Workers to start when the config says nothing: one core stays with the listeners and the journal. */
export function defaultParseWorkers(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(0, Math.min(4, cores - 1));
}

/** The compiled worker script: beside this file when running from dist/, else dist/ of the checkout (tests run the TypeScript). */
export function parseWorkerScript(): string | null {
  for (const p of [path.join(__dirname, 'parse-worker.js'), path.resolve(__dirname, '..', 'dist', 'collector', 'parse-worker.js')]) if (fs.existsSync(p)) return p;
  return null;
}

export class ParsePool {
  private readonly slots: Slot[] = [];
  private seq = 0;
  private closing = false;
  /** Workers replaced after they died. */
  restarts = 0;

  /** Batches a worker gave up on (stuck on pathological input); they are kept as pipeline errors. */
  timeouts = 0;

  constructor(
    readonly size: number,
    private readonly script: string,
    private readonly data: ParseWorkerData,
    private readonly logger?: Logger,
    /** A worker that has not answered its oldest batch in this long is replaced. */
    private readonly timeoutMs = 30_000,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i));
  }

  private spawn(index: number): Slot {
    const worker = new Worker(this.script, { workerData: this.data, name: `canhgac-parse-${index}` });
    const slot: Slot = { worker, pending: new Map(), timer: null };
    worker.on('message', (r: ParseResult) => {
      const done = slot.pending.get(r.seq);
      slot.pending.delete(r.seq);
      this.watch(slot, index);
      done?.(r);
    });
    const fail = (why: string) => {
      if (this.slots[index] !== slot) return;
      if (slot.timer) clearTimeout(slot.timer);
      for (const done of slot.pending.values()) done(null);
      slot.pending.clear();
      if (this.closing) return;
      this.restarts++;
      this.logger?.error({ worker: index, reason: why }, 'collector: a parse worker stopped; its batches are parsed in the listeners\' thread and the worker is replaced');
      this.slots[index] = this.spawn(index);
    };
    worker.on('error', (e) => fail(e.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    return slot;
  }

  /**
   * Times the batch a worker is on (its oldest): past the limit that batch is answered 'timeout', the worker
   * is replaced, and the batches queued behind it go back to the caller unparsed.
   */
  private watch(slot: Slot, index: number): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const oldest = slot.pending.keys().next();
    if (oldest.done) return;
    const seq = oldest.value;
    slot.timer = setTimeout(() => {
      if (this.slots[index] !== slot || !slot.pending.has(seq)) return;
      const done = slot.pending.get(seq)!;
      slot.pending.delete(seq);
      this.timeouts++;
      this.logger?.error({ worker: index, timeoutMs: this.timeoutMs }, 'collector: a parse worker spent too long on one batch; its lines are kept as pipeline errors and the worker is replaced');
      done('timeout');
      void slot.worker.terminate();
    }, this.timeoutMs);
    slot.timer.unref();
  }

  /** The parsed batch; null when no worker could take it (the caller parses it itself); 'timeout' when a worker gave up. */
  parse(req: Omit<ParseRequest, 'seq'>): Promise<PoolAnswer> {
    if (this.closing || this.slots.length === 0) return Promise.resolve(null);
    let slot = this.slots[0];
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const seq = ++this.seq;
    return new Promise((resolve) => {
      slot.pending.set(seq, resolve);
      if (slot.pending.size === 1) this.watch(slot, this.slots.indexOf(slot));
      try {
        slot.worker.postMessage({ ...req, seq } satisfies ParseRequest);
      } catch (e) {
        slot.pending.delete(seq);
        this.logger?.warn({ err: (e as Error).message }, 'collector: a batch could not be handed to a parse worker; parsing it here');
        resolve(null);
      }
    });
  }

  /** Workers for test and shutdown: waits for nothing in flight (their batches resolve as unparsed). */
  async close(): Promise<void> {
    this.closing = true;
    for (const s of this.slots) if (s.timer) clearTimeout(s.timer);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    for (const s of this.slots) {
      for (const done of s.pending.values()) done(null);
      s.pending.clear();
    }
  }

  /** For tests: the worker threads' ids. */
  threadIds(): number[] {
    return this.slots.map((s) => s.worker.threadId);
  }
}
