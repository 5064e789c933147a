/**
 * The intake's assembly stage: in a parsed batch, auditd records of a serial are taken out and held in
 * the assembler; what else the batch holds is published at once. A held record's batch is durable (and so
 * acknowledged) only once the event of its serial is, whichever later batch or timer flushed it.
 */
import type { PublishRecord } from '../../core/bus/bus';
import type { Logger } from '../../core/log';
import type { Enricher } from '../enrich';
import { eventKey, stampEvent, type IntakeItem } from '../stamp';
import { AuditdAssembler, auditRecordOf, joinedItem, type AssemblerConfig, type Flushed, type Waiter } from './assembler';

export interface AssemblyStageOptions extends AssemblerConfig {
  timezone: string;
  enricher?: Enricher;
  logger: Logger;
  /** Publishes flushed events in the intake's order, until durable; used for flushes no batch carried (timeout, stop). */
  publish(records: PublishRecord[]): Promise<void>;
}

export interface RoutedBatch {
  /** What to publish now: the batch without its held records, and the serials this batch completed. */
  records: PublishRecord[];
  /** Call with the publish of `records`: settles the batches whose serials it carried. */
  published(durable: Promise<void>): void;
  /** Resolves once every record this batch held is in a durable event. */
  held: Promise<void>;
}

export class AssemblyStage {
  readonly assembler: AuditdAssembler;
  private readonly timer: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly opts: AssemblyStageOptions) {
    this.assembler = new AuditdAssembler(opts);
    this.timer = setInterval(() => this.flushLater(this.assembler.expire()), Math.min(250, this.assembler.timeoutMs / 4));
    this.timer.unref();
  }

  /** `failed(i)`: item i became a pipeline error (it is published as it is). */
  route(listener: string, items: IntakeItem[], records: PublishRecord[], failed: (i: number) => boolean, receivedAt: Date, ids: string[]): RoutedBatch {
    // once stopped nothing would flush what is held: records pass as they are
    if (this.stopped) return { records, published: () => undefined, held: Promise.resolve() };
    const now = Date.now();
    const out: PublishRecord[] = [];
    const waits: Promise<void>[] = [];
    const flushed: Flushed[] = [];
    for (let i = 0; i < items.length; i++) {
      const rec = failed(i) ? null : auditRecordOf(items[i].raw);
      const key = records[i].key;
      if (!rec || typeof key !== 'string') {
        out.push(records[i]);
        continue;
      }
      const hostKey = `${key}|${rec.host}`; // agency/sender of the parsed event, and the host the record names
      const waiter = deferred();
      waits.push(waiter.promise);
      const held = { listener, item: items[i], receivedAt, id: ids[i], hostKey, text: rec.text, type: rec.type, epochMs: rec.epochMs, serial: rec.serial };
      flushed.push(...this.assembler.add(held, waiter, now));
    }
    for (const f of flushed) out.push(this.eventOf(f));
    return {
      records: out,
      published: (durable) => settle(flushed, durable),
      held: waits.length ? Promise.all(waits).then(() => undefined) : Promise.resolve(),
    };
  }

  /** Flushes every open serial (the collector stops, its listeners closed); resolves once they are published or refused. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.flushLater(this.assembler.expire(Date.now(), true));
  }

  private flushLater(flushed: Flushed[]): Promise<void> {
    if (!flushed.length) return Promise.resolve();
    const durable = this.opts.publish(flushed.map((f) => this.eventOf(f)));
    settle(flushed, durable);
    return durable.catch(() => undefined);
  }

  private lastFullWarning = 0;

  /** At most one line per 10 s under a flood; the count is in the assembler's stats. */
  private warnFull(host: string): void {
    const now = Date.now();
    if (now - this.lastFullWarning < 10_000) return;
    this.lastFullWarning = now;
    const { flushed } = this.assembler.stats;
    this.opts.logger.warn({ host, open: this.assembler.maxOpen, flushed_full: flushed.full }, 'collector: too many open auditd serials (collector.auditd_assembly.max_open); the oldest are flushed before their EOE');
  }

  /** The joined records read as one event by the auditd parser, stamped as the serial's first record was. */
  private eventOf(f: Flushed): PublishRecord {
    const { first, item } = joinedItem(f);
    const ev = stampEvent(first.listener, item, first.receivedAt, this.opts.timezone, this.opts.enricher, first.id);
    if (f.reason === 'full') this.warnFull(first.hostKey);
    return { key: eventKey(ev), value: ev };
  }
}

function settle(flushed: Flushed[], durable: Promise<void>): void {
  if (!flushed.length) return;
  durable.then(
    () => flushed.forEach((f) => f.waiters.forEach((w) => w.resolve())),
    (e: unknown) => flushed.forEach((f) => f.waiters.forEach((w) => w.reject(e))),
  );
}

function deferred(): Waiter & { promise: Promise<void> } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // awaited through `held`; a rejection is not unhandled meanwhile
  return { promise, resolve, reject };
}
