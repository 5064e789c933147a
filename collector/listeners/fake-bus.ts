/** A bus for listener tests: keeps what it takes in memory, and refuses publishes (as a full disk does) while told to. */
import type { Bus, PublishRecord } from '../../core/bus/bus';

export interface FakeBus extends Bus {
  /** Records the bus took, in order, with their topic. */
  readonly taken: { topic: string; value: unknown }[];
  /** Publish calls, refused ones included. */
  attempts: number;
  refused: number;
  /** While set, every publish rejects with this error. */
  failWith(err: Error | null): void;
  of<T>(topic: string): T[];
}

export function diskFull(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

/** `publishDelayMs`: every publish takes this long, as a slow journal disk does. */
export function fakeBus(opts: { publishDelayMs?: number } = {}): FakeBus {
  let failure: Error | null = null;
  const bus: FakeBus = {
    kind: 'embedded',
    taken: [],
    attempts: 0,
    refused: 0,
    failWith(err) {
      failure = err;
    },
    of<T>(topic: string) {
      return bus.taken.filter((t) => t.topic === topic).map((t) => t.value as T);
    },
    async publish<T>(topic: string, records: PublishRecord<T>[]) {
      bus.attempts++;
      await new Promise((r) => (opts.publishDelayMs ? setTimeout(r, opts.publishDelayMs) : setImmediate(r)));
      if (failure) {
        bus.refused++;
        throw failure;
      }
      for (const r of records) bus.taken.push({ topic, value: r.json !== undefined ? JSON.parse(r.json) : r.value });
    },
    async subscribe() {
      throw new Error('fakeBus: subscribe is not supported; read bus.taken');
    },
    async close() {},
  };
  return bus;
}
