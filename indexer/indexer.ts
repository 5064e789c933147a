/** The indexer component: events and dead letters from the bus into the store, idempotently by id. */
import type { Bus, Subscription } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import type { EcsEvent } from '../core/event';
import type { Logger } from '../core/log';
import type { DeadLetter } from '../core/model';
import type { Store } from '../core/store/store';

export interface Indexer {
  stop(): Promise<void>;
  lag(): Promise<number>;
}

export async function startIndexer(deps: { bus: Bus; store: Store; logger: Logger; maxBatch?: number }): Promise<Indexer> {
  const logger = deps.logger.child({ component: 'indexer' });
  const subs: Subscription[] = [];
  subs.push(
    await deps.bus.subscribe<EcsEvent>({
      topic: TOPICS.events,
      group: 'indexer',
      maxBatch: deps.maxBatch ?? 2000,
      handler: async (batch) => {
        // a failure here throws: the bus keeps the batch and delivers it again (back-off, nothing lost)
        await deps.store.putEvents(batch.map((m) => m.value));
      },
    }),
  );
  subs.push(
    await deps.bus.subscribe<DeadLetter>({
      topic: TOPICS.dlq,
      group: 'indexer-dlq',
      handler: async (batch) => deps.store.putDeadLetters(batch.map((m) => m.value)),
    }),
  );
  logger.info('indexer: writing events and dead letters to the store');
  return {
    async stop() {
      await Promise.all(subs.map((s) => s.close()));
    },
    async lag() {
      return (await subs[0].lag()) + (await subs[1].lag());
    },
  };
}
