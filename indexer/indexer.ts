/** The indexer component: events and dead letters from the bus into the store, idempotently by id. */
import type { Bus, BusMessage, Subscription } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import { isolatePoison, type PoisonStats } from '../core/bus/poison';
import type { EcsEvent } from '../core/event';
import type { Logger } from '../core/log';
import type { DeadLetter } from '../core/model';
import type { DeadLetterRepository, EventRepository, StateRepository } from '../core/store/store';
import { deadLetterOf, reducedDeadLetter } from '../core/bus/quarantine';

export interface Indexer {
  stop(): Promise<void>;
  lag(): Promise<number>;
  /** Records the store refused and that were set aside as dead letters instead of blocking the topic. */
  quarantined(): { events: PoisonStats; deadLetters: PoisonStats };
}

export async function startIndexer(deps: { bus: Bus; store: Pick<EventRepository, 'putEvents'> & DeadLetterRepository & StateRepository; logger: Logger; maxBatch?: number }): Promise<Indexer> {
  const logger = deps.logger.child({ component: 'indexer' });
  const { bus, store } = deps;
  // the store answers at all: then a record it refuses alone is at fault, not the store
  const probe = async () => void (await store.getState('indexer.probe'));
  const events = isolatePoison<EcsEvent>({
    stage: 'indexer',
    logger,
    probe,
    // a failure other than a refused record throws: the bus keeps the batch and delivers it again (back-off, nothing lost)
    handler: async (batch) => store.putEvents(batch.map((m) => m.value)),
    quarantine: async (m, reason) => {
      const dl = deadLetterOf(m as BusMessage<unknown>, reason, 'indexer');
      await bus.publish(TOPICS.dlq, [{ key: dl.tenant ?? '', value: dl }]);
    },
  });
  const deadLetters = isolatePoison<DeadLetter>({
    stage: 'indexer (dead letters)',
    logger,
    probe,
    handler: async (batch) => store.putDeadLetters(batch.map((m) => m.value)),
    // a dead letter the store refuses is kept in its plainest form: text only, bounded
    quarantine: async (m, reason) => store.putDeadLetters([reducedDeadLetter(m as BusMessage<unknown>, reason)]),
  });
  const subs: Subscription[] = [];
  subs.push(await bus.subscribe<EcsEvent>({ topic: TOPICS.events, group: 'indexer', maxBatch: deps.maxBatch ?? 2000, handler: events.handler }));
  subs.push(await bus.subscribe<DeadLetter>({ topic: TOPICS.dlq, group: 'indexer-dlq', handler: deadLetters.handler }));
  logger.info('indexer: writing events and dead letters to the store');
  return {
    async stop() {
      await Promise.all(subs.map((s) => s.close()));
    },
    async lag() {
      return (await subs[0].lag()) + (await subs[1].lag());
    },
    quarantined: () => ({ events: events.stats(), deadLetters: deadLetters.stats() }),
  };
}
