/**
 * Where every listener hands what it received: parse, stamp (id, tenant, times),
 * publish to the bus. submit() resolves once the events are durable, so a listener
 * acknowledges (HTTP 202, Beats ACK) only then. What cannot become an event goes to
 * the dead-letter topic with the reason. `busy` tells stream listeners to pause reading.
 *
 * When the bus refuses a publish (a full disk, a broker away), `unavailable` turns on:
 * stream listeners pause and their batches are retried with back-off until the bus takes
 * them (`untilDurable`); the others (HTTP, UDP) get a PublishError at once and refuse or
 * count. The first publish that succeeds turns it off and the listeners resume.
 */
import { EventEmitter } from 'node:events';
import type { Bus, PublishRecord } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import { RecordsRefusedError } from '../core/bus/errors';
import { newId } from '../core/event';
import type { Logger } from '../core/log';
import type { DeadLetter } from '../core/model';
import { AssemblyStage } from './assemble/stage';
import type { AssemblerConfig } from './assemble/assembler';
import type { Counters } from './counters';
import type { Enricher } from './enrich';
import type { ParsePool } from './parse-pool';
import { eventKey, stampEvent, unparsedEvent, type IntakeItem } from './stamp';

export type { IntakeItem } from './stamp';

export interface IntakeOptions {
  bus: Bus;
  counters: Counters;
  logger: Logger;
  timezone: string;
  enricher?: Enricher;
  /** Parse workers; without them (or for batches under `poolMinBatch`) the intake parses in its own thread. */
  pool?: ParsePool;
  poolMinBatch?: number; // default 8: a tiny batch costs more to hand over than to parse
  maxInflight?: number; // events accepted but not yet durable before listeners pause; default 20000
  /** auditd records sent one per message are merged into their serial's event (collector/assemble); false: each stays an event. */
  assembly?: AssemblerConfig | false;
}

/** The bus did not take a publish: nothing of the batch is known to be durable. */
export class PublishError extends Error {
  readonly code: string | undefined;
  constructor(
    readonly topic: string,
    cause: unknown,
  ) {
    const err = cause as NodeJS.ErrnoException;
    super(`the bus did not take the ${topic} records: ${err?.message ?? String(cause)}`);
    this.name = 'PublishError';
    this.code = err?.code;
  }
}

export interface SubmitOptions {
  /** Retry with back-off until the bus takes the batch (stream listeners, which have paused reading meanwhile). */
  untilDurable?: boolean;
}

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5000;

export class Intake extends EventEmitter {
  private inflight = 0;
  private failingSince: number | null = null;
  private stopped = false;
  private retrying = 0; // stream batches waiting for the bus, retried one after the other in retryChain
  private retryChain: Promise<void> = Promise.resolve();
  private readonly sleepers = new Set<() => void>();
  readonly maxInflight: number;
  // Batches are published in the order they were submitted, wherever they were parsed: one host's events keep their order.
  private tail: Promise<void> = Promise.resolve();
  readonly assembly: AssemblyStage | null;

  constructor(private readonly opts: IntakeOptions) {
    super();
    this.maxInflight = opts.maxInflight ?? 20000;
    this.setMaxListeners(0); // every paused connection waits for 'drain'
    const publish = (records: PublishRecord[]) => this.inTurn(() => this.deliver('auditd-assembly', TOPICS.events, records, true));
    this.assembly = opts.assembly === false ? null : new AssemblyStage({ ...opts.assembly, timezone: opts.timezone, enricher: opts.enricher, logger: opts.logger, publish });
  }

  /** Once the listeners are closed: the batches submitted so far reach the assembler, then its open serials are published as they are. */
  async stopAssembly(): Promise<void> {
    await this.tail;
    await this.assembly?.stop();
  }

  /** Publishes after the batches already submitted, so one host's events keep their order. */
  private inTurn(publish: () => Promise<void>): Promise<void> {
    const turn = this.tail.then(() => ({ durable: publish() }));
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn.then((t) => t.durable);
  }

  get busy(): boolean {
    return this.inflight >= this.maxInflight || this.failingSince !== null;
  }

  /** The bus refused the last publish and has not taken one since. */
  get unavailable(): boolean {
    return this.failingSince !== null;
  }

  get counters(): Counters {
    return this.opts.counters;
  }

  /** Ends the retries: batches still waiting for the bus reject with a PublishError. */
  stop(): void {
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
  }

  get pending(): number {
    return this.inflight;
  }

  /** Parses, counts and publishes a batch; resolves with the event ids once the events are durable. */
  async submit(listener: string, items: IntakeItem[], opts: SubmitOptions = {}): Promise<{ accepted: number; failed: number; ids: string[] }> {
    const n = items.length;
    if (n === 0) return { accepted: 0, failed: 0, ids: [] };
    const now = new Date();
    const ids = items.map(() => newId(now.getTime()));
    this.inflight += n;
    try {
      const pool = this.opts.pool;
      const parsed = pool && n >= (this.opts.poolMinBatch ?? 8) ? pool.parse({ listener, receivedAt: now.getTime(), items, ids }) : null;
      const turn = this.tail.then(async () => {
        const result = parsed ? await parsed : null;
        let records: PublishRecord[];
        let failedAt: (i: number) => boolean;
        if (result === 'timeout') {
          // a worker stuck on this batch (pathological input): keep every line, unparsed, with the reason
          const events = items.map((it, i) => unparsedEvent(listener, it, now, ids[i], `parsing this batch took longer than the parse workers' limit; kept unparsed`));
          records = events.map((ev) => ({ key: eventKey(ev), value: ev }));
          failedAt = () => true;
        } else if (result) {
          records = result.keys.map((key, i) => ({ key, json: result.jsons[i] }));
          failedAt = (i) => result.failed[i] === 1;
        } else {
          const events = items.map((it, i) => stampEvent(listener, it, now, this.opts.timezone, this.opts.enricher, ids[i]));
          records = events.map((ev) => ({ key: eventKey(ev), value: ev }));
          failedAt = (i) => events[i].event.kind === 'pipeline_error';
        }
        let failed = 0;
        for (let i = 0; i < n; i++) {
          const raw = items[i].raw;
          const tenant = items[i].tenant;
          this.opts.counters.add(listener, tenant, 'received');
          this.opts.counters.add(listener, tenant, 'bytes', typeof raw === 'string' || Buffer.isBuffer(raw) ? raw.length : 0);
          if (failedAt(i)) {
            failed++;
            this.opts.counters.add(listener, tenant, 'failed');
          } else this.opts.counters.add(listener, tenant, 'parsed');
        }
        // auditd records of a serial wait in the assembler: this batch is durable once their event is
        const routed = this.assembly?.route(listener, items, records, failedAt, now, ids);
        // started here, in turn; awaited outside, so the next batch can be written while this one is synced
        const written = this.deliver(listener, TOPICS.events, routed ? routed.records : records, opts.untilDurable === true);
        routed?.published(written);
        return { durable: routed ? Promise.all([written, routed.held]) : written, failed };
      });
      this.tail = turn.then(
        () => undefined,
        () => undefined,
      );
      const { durable, failed } = await turn;
      await durable;
      return { accepted: n, failed, ids };
    } finally {
      this.release(n);
    }
  }

  /** Keeps what could not be read, with the reason; counted as failed. */
  async deadLetter(listener: string, tenant: string | null, source: string | undefined, reason: string, data: Buffer | string, size?: number, opts: SubmitOptions = {}): Promise<void> {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    const text = buf.toString('utf8');
    const printable = !text.includes('\uFFFD') && !buf.includes(0);
    const dl: DeadLetter = {
      id: newId(),
      at: new Date().toISOString(),
      tenant,
      listener,
      source: source ?? null,
      reason,
      original: printable ? text.slice(0, 8192) : 'base64:' + buf.subarray(0, 6144).toString('base64'),
      size: size ?? buf.length,
    };
    this.opts.counters.add(listener, tenant, 'received');
    this.opts.counters.add(listener, tenant, 'failed');
    this.opts.logger.warn({ listener, tenant, source, reason, size: dl.size }, 'collector: sent to the dead-letter topic');
    this.inflight += 1;
    try {
      await this.deliver(listener, TOPICS.dlq, [{ key: tenant ?? '', value: dl }], opts.untilDurable === true);
    } finally {
      this.release(1);
    }
  }

  /** Publishes; on refusal marks the bus unavailable and, when `retry`, queues the records to be retried until the bus takes them. */
  private async deliver(listener: string, topic: string, records: PublishRecord[], retry: boolean): Promise<void> {
    // while earlier batches wait for the bus, a stream batch queues behind them rather than overtake them
    if (!retry || (this.failingSince === null && this.retrying === 0)) {
      const refusal = await this.publishOnce(listener, topic, records);
      if (refusal === null) return;
      if (!retry || this.stopped) throw new PublishError(topic, refusal);
    }
    this.retrying++;
    const turn = this.retryChain.then(() => this.retryUntilTaken(listener, topic, records));
    this.retryChain = turn.catch(() => undefined);
    try {
      await turn;
    } finally {
      this.retrying--;
    }
  }

  /** In the order the batches were refused: back-off while the bus refuses, at once when it takes events again. */
  private async retryUntilTaken(listener: string, topic: string, records: PublishRecord[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (this.failingSince !== null && !this.stopped) await this.sleep(Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(attempt, 10)));
      if (this.stopped) throw new PublishError(topic, new Error('the collector stopped while the bus refused events'));
      if ((await this.publishOnce(listener, topic, records)) === null) return;
    }
  }

  /** One publish: null when the bus took the records (or refused some alone, now dead letters), else why it refused them all. */
  private async publishOnce(listener: string, topic: string, records: PublishRecord[]): Promise<unknown> {
    try {
      await this.opts.bus.publish(topic, records);
      this.recovered();
      return null;
    } catch (e) {
      if (e instanceof RecordsRefusedError) {
        await this.refusedRecords(listener, records, e);
        return null;
      }
      this.failing(e);
      return e ?? new Error('the bus refused the publish');
    }
  }

  /**
   * The bus took every record but these (too large for the topic, not encodable): retrying cannot
   * help, so each becomes a dead letter with the bus's reason, counted as failed, and the rest stands.
   */
  private async refusedRecords(listener: string, records: PublishRecord[], err: RecordsRefusedError): Promise<void> {
    this.recovered();
    if (err.topic === TOPICS.dlq) {
      // a dead letter the bus refuses cannot become another one: say so loudly, with what it was about
      for (const r of err.refused) this.opts.logger.error({ listener, reason: r.message, bytes: r.bytes }, 'collector: the bus refused a dead letter; it is only in this log');
      return;
    }
    const letters = err.refused.map((r) => refusedDeadLetter(listener, records[r.index], r.message, r.bytes));
    for (const dl of letters) {
      this.opts.counters.add(listener, dl.tenant, 'failed');
      this.opts.logger.warn({ listener, tenant: dl.tenant, reason: dl.reason, size: dl.size }, 'collector: the bus refused an event; kept as a dead letter');
    }
    try {
      await this.opts.bus.publish(TOPICS.dlq, letters.map((dl) => ({ key: dl.tenant ?? '', value: dl })));
    } catch (e) {
      this.opts.logger.error({ listener, err: (e as Error).message, letters }, 'collector: the bus refused the dead letters of refused events; they are only in this log');
    }
  }

  private failing(e: unknown): void {
    if (this.failingSince !== null) return;
    this.failingSince = Date.now();
    const err = e as NodeJS.ErrnoException;
    this.opts.logger.error({ err: err?.message, code: err?.code }, 'collector: the bus refuses events; stream listeners pause and retry, HTTP answers 503, UDP datagrams are counted as dropped');
  }

  private recovered(): void {
    if (this.failingSince === null) return;
    this.opts.logger.warn({ after_ms: Date.now() - this.failingSince }, 'collector: the bus takes events again; listeners resume');
    this.failingSince = null;
    if (this.inflight < this.maxInflight / 2) this.emit('drain');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** Events no longer in flight; listeners paused at the limit resume once half of it is free. */
  private release(n: number): void {
    this.inflight -= n;
    if (this.inflight < this.maxInflight / 2 && this.failingSince === null) this.emit('drain');
  }
}

/** The dead letter of an event record the bus refused: its agency, its sender and its text, bounded. */
function refusedDeadLetter(listener: string, record: PublishRecord | undefined, reason: string, bytes?: number): DeadLetter {
  let value: unknown = record?.value;
  if (value === undefined && typeof record?.json === 'string') {
    try {
      value = JSON.parse(record.json);
    } catch {
      value = undefined;
    }
  }
  const ev = (value ?? {}) as { organization?: { id?: unknown }; event?: { original?: unknown }; log?: { source?: { address?: unknown } } };
  const original = typeof ev.event?.original === 'string' ? ev.event.original : (record?.json ?? '');
  return {
    id: newId(),
    at: new Date().toISOString(),
    tenant: typeof ev.organization?.id === 'string' ? ev.organization.id : null,
    listener,
    source: typeof ev.log?.source?.address === 'string' ? ev.log.source.address : null,
    reason,
    original: original.slice(0, 8192),
    size: bytes ?? original.length,
  };
}
