/**
 * Writes each match into the stored event as ECS `threat.enrichments`. The intel consumer and the
 * indexer read the events topic side by side, so a matched event may not be stored yet: what the
 * store does not have is asked again at the next flush, up to `maxTries` times; what is still
 * missing then (the event was a dead letter, or the indexer is far behind) is counted and logged.
 */
import type { Logger } from '../core/log';
import type { EventEnrichment } from '../core/store/enrichment';
import type { Store } from '../core/store/store';
import type { IntelAlert } from './alert';

export interface EnricherOptions {
  store: Store;
  logger: Logger;
  /** Flushes before an event that is still not stored is given up; default 600 (10 minutes at the consumer's one flush a second). */
  maxTries?: number;
  /** Events waiting at most; beyond, the oldest is given up (counted). Default 100 000. */
  maxWaiting?: number;
}

export interface Enricher {
  readonly counts: { enriched: number; waiting: number; givenUp: number };
  add(alerts: IntelAlert[]): void;
  flush(): Promise<void>;
}

export const enrichmentsOf = (alerts: IntelAlert[]): EventEnrichment[] =>
  alerts.flatMap((a) => a.eventIds.map((id) => ({ id, enrichments: a.summary.threat.enrichments as unknown as EventEnrichment['enrichments'] })));

export function createEnricher(opts: EnricherOptions): Enricher {
  const log = opts.logger.child({ component: 'intel' });
  const maxTries = opts.maxTries ?? 600;
  const maxWaiting = opts.maxWaiting ?? 100_000;
  const waiting = new Map<string, { item: EventEnrichment; tries: number }>();
  const counts = { enriched: 0, waiting: 0, givenUp: 0 };
  let flushing: Promise<void> | null = null;

  const giveUp = (id: string, why: string) => {
    waiting.delete(id);
    counts.givenUp++;
    log.warn({ eventId: id, givenUp: counts.givenUp }, `intel: threat.enrichments not written to event ${id}: ${why}; the alert carries them`);
  };

  function add(alerts: IntelAlert[]): void {
    for (const item of enrichmentsOf(alerts)) {
      const prev = waiting.get(item.id);
      waiting.set(item.id, { item: prev ? { id: item.id, enrichments: [...prev.item.enrichments, ...item.enrichments] } : item, tries: prev?.tries ?? 0 });
    }
    while (waiting.size > maxWaiting) giveUp(waiting.keys().next().value!, `more than ${maxWaiting} events wait to be stored`);
    counts.waiting = waiting.size;
  }

  async function once(): Promise<void> {
    if (!waiting.size) return;
    const batch = [...waiting.values()].slice(0, 1000);
    // a store that is away throws here: everything waits for the next flush, no try is counted
    const missing = new Set(await opts.store.enrichEvents(batch.map((w) => w.item)));
    for (const w of batch) {
      if (!missing.has(w.item.id)) {
        waiting.delete(w.item.id);
        counts.enriched++;
      } else if (++w.tries >= maxTries) giveUp(w.item.id, `the event is still not stored after ${maxTries} tries (a dead letter, or the indexer far behind)`);
    }
    counts.waiting = waiting.size;
  }

  return {
    counts,
    add,
    flush: () => {
      flushing ??= once()
        .catch((e: Error) => log.warn({ err: e.message, waiting: waiting.size }, 'intel: could not write threat.enrichments to stored events; trying again'))
        .finally(() => (flushing = null));
      return flushing;
    },
  };
}
