/**
 * Where every listener hands what it received: parse, stamp (id, tenant, times),
 * publish to the bus. submit() resolves once the events are durable, so a listener
 * acknowledges (HTTP 202, Beats ACK) only then. What cannot become an event goes to
 * the dead-letter topic with the reason. `busy` tells stream listeners to pause reading.
 */
import { EventEmitter } from 'node:events';
import type { Bus } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import type { EcsEvent } from '../core/event';
import { newId } from '../core/event';
import type { Logger } from '../core/log';
import type { DeadLetter } from '../core/model';
import type { Counters } from './counters';
import type { Enricher } from './enrich';
import { parse } from './parsers';

export interface IntakeItem {
  raw: Buffer | string | Record<string, unknown>;
  tenant: string;
  sourceIp?: string;
  format?: string;
  dataset?: string;
  timezone?: string;
}

export interface IntakeOptions {
  bus: Bus;
  counters: Counters;
  logger: Logger;
  timezone: string;
  enricher?: Enricher;
  maxInflight?: number; // events accepted but not yet durable before listeners pause; default 20000
}

/** The bus key keeps one host's events in order on one partition. */
function eventKey(ev: EcsEvent): string {
  const host = (ev.host as { hostname?: string; name?: string } | undefined)?.hostname ?? (ev.observer as { hostname?: string } | undefined)?.hostname ?? '';
  return `${ev.organization?.id ?? ''}/${host || ((ev.log as { source?: { address?: string } } | undefined)?.source?.address ?? '')}`;
}

export class Intake extends EventEmitter {
  private inflight = 0;
  readonly maxInflight: number;

  constructor(private readonly opts: IntakeOptions) {
    super();
    this.maxInflight = opts.maxInflight ?? 20000;
  }

  get busy(): boolean {
    return this.inflight >= this.maxInflight;
  }

  get pending(): number {
    return this.inflight;
  }

  /** Turns one received item into a stamped ECS event. Never throws. */
  toEvent(listener: string, item: IntakeItem, receivedAt: Date): EcsEvent {
    const ev = parse(item.raw, { receivedAt, sourceIp: item.sourceIp, format: item.format, dataset: item.dataset, timezone: item.timezone ?? this.opts.timezone });
    // the tenant comes from the credential or the listener, never from the payload
    ev.organization = { id: item.tenant };
    ev.event = { ...ev.event, id: newId(receivedAt.getTime()), created: receivedAt.toISOString() };
    if (item.sourceIp) {
      const log = (ev.log ??= {}) as Record<string, unknown>;
      log.source = { ...((log.source as object) ?? {}), address: item.sourceIp };
    }
    const input = ((ev.input ??= {}) as Record<string, unknown>);
    input.type = listener.split(':')[0];
    return this.opts.enricher ? this.opts.enricher.enrich(ev) : ev;
  }

  async submit(listener: string, items: IntakeItem[]): Promise<{ accepted: number; failed: number; events: EcsEvent[] }> {
    if (items.length === 0) return { accepted: 0, failed: 0, events: [] };
    const now = new Date();
    const events = items.map((it) => this.toEvent(listener, it, now));
    let failed = 0;
    for (let i = 0; i < events.length; i++) {
      const bytes = typeof items[i].raw === 'string' || Buffer.isBuffer(items[i].raw) ? (items[i].raw as string | Buffer).length : 0;
      this.opts.counters.add(listener, items[i].tenant, 'received');
      this.opts.counters.add(listener, items[i].tenant, 'bytes', bytes);
      if (events[i].event.kind === 'pipeline_error') {
        failed++;
        this.opts.counters.add(listener, items[i].tenant, 'failed');
      } else this.opts.counters.add(listener, items[i].tenant, 'parsed');
    }
    await this.publish(TOPICS.events, events.map((ev) => ({ key: eventKey(ev), value: ev })));
    return { accepted: events.length, failed, events };
  }

  /** Keeps what could not be read, with the reason; counted as failed. */
  async deadLetter(listener: string, tenant: string | null, source: string | undefined, reason: string, data: Buffer | string, size?: number): Promise<void> {
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
    await this.publish(TOPICS.dlq, [{ key: tenant ?? '', value: dl }]);
  }

  private async publish(topic: string, records: { key: string; value: unknown }[]): Promise<void> {
    this.inflight += records.length;
    try {
      await this.opts.bus.publish(topic, records);
    } finally {
      this.inflight -= records.length;
      if (this.inflight < this.maxInflight / 2) this.emit('drain');
    }
  }
}
