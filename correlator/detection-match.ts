/**
 * Stage 1 of the detection loop (group `correlator` on `events`, stateless): base rules; single-rule
 * detections become alerts; every correlation an event feeds gets an arrival on `correlation`, keyed by
 * tenant, correlation and group-by values (so one key's arrivals share a partition, whatever host sent them).
 */
import type { Bus, BusMessage, PublishRecord, Subscription } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import { isRecordDecodeError } from '../core/bus/errors';
import { getPath, type EcsEvent } from '../core/event';
import type { Logger } from '../core/log';
import type { Alert } from '../core/model';
import type { AlertGate } from './detection-alerts';
import { createEvaluator, type Arrival, type Evaluator, type Ruleset } from './sigma';

export const MATCH_GROUP = 'correlator';

/** An arrival as it travels on `correlation`: where it came from (for deduplication) and what an alert shows. */
export interface ArrivalRecord extends Omit<Arrival, 'route'> {
  /** events partition, offset, and index among that event's arrivals: a redelivered event republishes the same src */
  src: { p: number; o: number; n: number };
  /** the fields of the event an alert summary shows */
  ctx: Record<string, unknown>;
}

const CONTEXT_FIELDS = ['organization.id', 'host.hostname', 'host.name', 'observer.hostname', 'winlog.computer_name', 'source.ip', 'user.name', 'destination.ip', 'asset.name', 'asset.criticality'];

/** The part of an event an alert needs (summary, severity), so the window stage can build alerts without the event. */
export function alertContext(event: Record<string, unknown>): Record<string, unknown> {
  const ctx: Record<string, unknown> = {};
  for (const f of CONTEXT_FIELDS) {
    const v = getPath(event, f);
    if (v === undefined || v === null || typeof v === 'object') continue;
    const [a, b] = f.split('.');
    ((ctx[a] ??= {}) as Record<string, unknown>)[b] = v;
  }
  return ctx;
}

export class MatchStage {
  private readonly evaluator: Evaluator;
  private sub: Subscription | null = null;

  constructor(
    ruleset: Ruleset,
    private readonly bus: Bus,
    private readonly gate: AlertGate,
    private readonly logger: Logger,
    maxGroupsPerRule?: number,
  ) {
    this.evaluator = createEvaluator(ruleset, { maxGroupsPerRule });
  }

  async start(): Promise<Subscription> {
    this.sub = await this.bus.subscribe<EcsEvent>({ topic: TOPICS.events, group: MATCH_GROUP, maxBatch: 1000, handler: (batch) => this.handle(batch) });
    return this.sub;
  }

  /** One batch of events: alerts of single rules, arrivals for the window stage. */
  async handle(batch: BusMessage<EcsEvent>[]): Promise<void> {
    const alerts: Alert[] = [];
    const arrivals: PublishRecord<ArrivalRecord>[] = [];
    for (const m of batch) {
      const ev = m.value as unknown as Record<string, unknown>;
      // a record the bus could not decode is the indexer's dead letter, not an event to match
      if (!ev || typeof ev !== 'object' || isRecordDecodeError(ev) || m.value.event?.kind === 'pipeline_error') continue;
      let res;
      try {
        res = this.evaluator.match(ev);
      } catch (e) {
        this.logger.error({ event: m.value.event?.id, err: (e as Error).message }, 'correlator: evaluating an event failed; it is skipped for detection but still stored');
        continue;
      }
      for (const d of res.detections) {
        const a = this.gate.toAlert(d, ev);
        if (a) alerts.push(a);
      }
      if (!res.arrivals.length) continue;
      const ctx = alertContext(ev);
      const o = Number(m.offset);
      res.arrivals.forEach((a, n) => {
        const { route, ...arrival } = a; // the route travels as the record's key
        arrivals.push({ key: route, value: { ...arrival, src: { p: m.partition, o, n }, ctx } });
      });
    }
    if (arrivals.length) await this.bus.publish(TOPICS.correlation, arrivals);
    if (alerts.length) await this.gate.publish(alerts);
  }
}
