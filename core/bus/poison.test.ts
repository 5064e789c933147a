import { silentLogger } from '../log';
import type { BusMessage } from './bus';
import { RecordDecodeError } from './errors';
import { isolatePoison, isTransientError } from './poison';

const msgs = (n: number): BusMessage<{ i: number }>[] =>
  Array.from({ length: n }, (_, i) => ({ topic: 'events', partition: 0, offset: String(i), key: null, value: { i }, timestamp: 0 }));

const coded = (code: string) => Object.assign(new Error(`backend: ${code}`), { code });

test('backend errors are told from bad records', () => {
  for (const e of [coded('ECONNREFUSED'), coded('ENOSPC'), coded('SQLITE_FULL'), coded('SQLITE_IOERR_WRITE'), Object.assign(new Error('x'), { name: 'ConnectionError' }), Object.assign(new Error('busy'), { meta: { statusCode: 429 } }), Object.assign(new Error('wrapped'), { cause: coded('ETIMEDOUT') })])
    expect(isTransientError(e)).toBe(true);
  for (const e of [new RangeError('Maximum call stack size exceeded'), new TypeError('x is not iterable'), Object.assign(new Error('mapper_parsing_exception'), { meta: { statusCode: 400 } }), coded('SQLITE_TOOBIG'), 'a string'])
    expect(isTransientError(e)).toBe(false);
});

test('one record the stage refuses is set aside and every other record of its batch goes through', async () => {
  const handled = new Set<number>();
  const quarantined: [number, string][] = [];
  const guard = isolatePoison<{ i: number }>({
    stage: 'indexer',
    logger: silentLogger,
    handler: async (batch) => {
      if (batch.some((m) => m.value.i === 37)) throw new RangeError('Maximum call stack size exceeded');
      for (const m of batch) handled.add(m.value.i);
    },
    quarantine: async (m, reason) => void quarantined.push([m.value.i, reason]),
  });
  await guard.handler(msgs(100));
  expect(quarantined).toEqual([[37, 'indexer: RangeError: Maximum call stack size exceeded']]);
  expect(handled.size).toBe(99);
  expect(handled.has(37)).toBe(false);
  expect(guard.stats().quarantined).toBe(1);
});

test('a backend that is away fails the whole batch, so the bus retries it, and nothing is dead-lettered', async () => {
  const quarantined: number[] = [];
  const guard = isolatePoison<{ i: number }>({
    stage: 'indexer',
    logger: silentLogger,
    handler: async () => {
      throw coded('ECONNREFUSED');
    },
    quarantine: async (m) => void quarantined.push(m.value.i),
  });
  await expect(guard.handler(msgs(10))).rejects.toThrow('ECONNREFUSED');
  expect(quarantined).toEqual([]);
});

test('when every record fails alone with an unknown error, a probe decides between the backend and the records', async () => {
  const quarantined: number[] = [];
  let backendUp = false;
  const guard = isolatePoison<{ i: number }>({
    stage: 'indexer',
    logger: silentLogger,
    probe: async () => {
      if (!backendUp) throw new Error('down');
    },
    handler: async () => {
      throw new Error('something odd');
    },
    quarantine: async (m) => void quarantined.push(m.value.i),
  });
  // the backend does not answer: retried, not blamed on the records
  await expect(guard.handler(msgs(4))).rejects.toThrow('something odd');
  expect(quarantined).toEqual([]);
  // it answers, yet refuses each of these records: they are the poison (ten poison datagrams arriving together)
  backendUp = true;
  await guard.handler(msgs(4));
  expect(quarantined).toEqual([0, 1, 2, 3]);
});

test('without a probe, a lone record that keeps failing is retried a few times, then set aside', async () => {
  const quarantined: number[] = [];
  const guard = isolatePoison<{ i: number }>({
    stage: 'alerting',
    logger: silentLogger,
    maxAttempts: 3,
    handler: async () => {
      throw new TypeError('cannot read properties of undefined');
    },
    quarantine: async (m) => void quarantined.push(m.value.i),
  });
  const one = msgs(1);
  await expect(guard.handler(one)).rejects.toThrow(TypeError);
  await expect(guard.handler(one)).rejects.toThrow(TypeError);
  expect(quarantined).toEqual([]);
  await guard.handler(one);
  expect(quarantined).toEqual([0]);
});

test('a record the bus could not decode is set aside before the stage sees it', async () => {
  const seen: number[] = [];
  const quarantined: string[] = [];
  const guard = isolatePoison<{ i: number }>({
    stage: 'indexer',
    logger: silentLogger,
    handler: async (batch) => void seen.push(...batch.map((m) => m.value.i)),
    quarantine: async (m, reason) => void quarantined.push(reason),
  });
  const batch = msgs(3);
  (batch[1] as BusMessage<unknown>).value = new RecordDecodeError('events', 0, '1', 'not JSON', 5, 'hello');
  await guard.handler(batch);
  expect(seen).toEqual([0, 2]);
  expect(quarantined).toEqual(['indexer: bus: record events/0@1 (5 bytes) cannot be decoded: not JSON']);
});
