/**
 * The Kafka Bus against a real Apache Kafka broker (deploy/local/infra.sh, started through
 * test/infra when none runs on 127.0.0.1:9092 and CANHGAC_TEST_KAFKA_BROKERS is unset).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Kafka, KafkaJSNonRetriableError, logLevel, type Consumer } from 'kafkajs';
import { startKafka } from '../../test/infra/servers';
import type { BusMessage } from './bus';
import { describeBusContract } from './bus.contract';
import { RecordDecodeError, RecordsRefusedError } from './errors';
import { createKafkaBus, DEFAULT_MAX_RECORD_BYTES, recordBytesFor } from './kafka';

jest.setTimeout(120_000);

let brokers: string[] = [];
// Each run gets its own topic and group names, so a broker reused across runs starts clean for us.
const run = `test-${Date.now().toString(36)}-${process.pid}.`;
let n = 0;

beforeAll(async () => {
  brokers = await startKafka();
}, 15 * 60_000);

const until = async (cond: () => boolean | Promise<boolean>, what: string, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`waited ${ms} ms for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const admin = async () => {
  const a = new Kafka({ clientId: 'canhgac-test', brokers, logLevel: logLevel.NOTHING }).admin();
  await a.connect();
  return a;
};

describeBusContract('kafka', () => {
  const topicPrefix = `${run}c${++n}.`;
  return { open: () => createKafkaBus({ brokers, topicPrefix, partitions: 3 }), topic: 'events' };
});

describe('Kafka bus', () => {
  test('the record limit follows the collector\'s: four times its largest message plus room, at least 8 MiB, at most 64 MiB', () => {
    expect(recordBytesFor(64 * 1024)).toBe(DEFAULT_MAX_RECORD_BYTES);
    expect(recordBytesFor(4 * 1024 * 1024)).toBe(16 * 1024 * 1024 + 256 * 1024);
    expect(recordBytesFor(16 * 1024 * 1024)).toBe(64 * 1024 * 1024);
    expect(() => createKafkaBus({ brokers, maxRecordBytes: 65 * 1024 * 1024 })).toThrow(/bus\.kafka\.maxRecordBytes: 68157440 is above 64 MiB/);
  });

  test('rejects a config without brokers, or with a broker that is not host:port, naming the field', () => {
    expect(() => createKafkaBus({ brokers: [] })).toThrow(/bus\.kafka\.brokers: at least one broker/);
    expect(() => createKafkaBus({ brokers: ['kafka.example'] })).toThrow(/bus\.kafka\.brokers: "kafka.example" is not host:port/);
    expect(() => createKafkaBus({ brokers, partitions: 0 })).toThrow(/bus\.kafka\.partitions: expected a whole number ≥ 1, got 0/);
  });

  test('asking for more replicas than there are brokers fails with the topic, the numbers and the broker\'s reason', async () => {
    const bus = createKafkaBus({ brokers, topicPrefix: `${run}r.`, replication: 3 });
    await expect(bus.publish('events', [{ value: 1 }])).rejects.toThrow(/could not create Kafka topic ".*r\.events" \(6 partitions, replication 3\):.*[Rr]eplication/);
    await bus.close();
  });

  test('creates topics with the configured partitions and per-topic settings', async () => {
    const topicPrefix = `${run}t.`;
    const bus = createKafkaBus({ brokers, topicPrefix, partitions: 4, topics: { windows: { partitions: 2, config: { 'cleanup.policy': 'compact' } } } });
    await bus.publish('events', [{ key: 'h1', value: 1 }]);
    await bus.publish('windows', [{ key: 'rule-1/10.0.0.1', value: { count: 3 } }]);
    const a = await admin();
    try {
      const meta = await a.fetchTopicMetadata({ topics: [`${topicPrefix}events`, `${topicPrefix}windows`] });
      expect(meta.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual([
        [`${topicPrefix}events`, 4],
        [`${topicPrefix}windows`, 2],
      ]);
      const cfg = await a.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: `${topicPrefix}windows`, configNames: ['cleanup.policy'] }] });
      expect(cfg.resources[0].configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue).toBe('compact');
    } finally {
      await a.disconnect();
      await bus.close();
    }
  });

  test('once publish resolves, every record is on the broker; large publishes are split and all arrive once', async () => {
    const topicPrefix = `${run}p.`;
    const bus = createKafkaBus({ brokers, topicPrefix, partitions: 3, maxBatchBytes: 64 * 1024 });
    const records = Array.from({ length: 1500 }, (_, i) => ({ key: `host-${i % 7}`, value: { i, message: `sshd[${i}]: Failed password for root from 10.0.0.${i % 250} port 22 ssh2`, pad: 'x'.repeat(200) } }));
    await bus.publish('events', records);
    const a = await admin();
    try {
      const offsets = await a.fetchTopicOffsets(`${topicPrefix}events`);
      expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(1500);
    } finally {
      await a.disconnect();
    }
    const got = new Map<number, BusMessage<{ i: number }>>();
    let duplicates = 0;
    const sub = await bus.subscribe<{ i: number }>({ topic: 'events', group: 'reader', maxBatch: 100, handler: async (batch) => {
      for (const m of batch) {
        if (got.has(m.value.i)) duplicates++;
        got.set(m.value.i, m);
      }
    } });
    await until(() => got.size === 1500, 'all 1500 records consumed');
    await sub.close();
    await bus.close();
    expect(duplicates).toBe(0);
    // one key, one partition, in publish order
    const host3 = [...got.values()].filter((m) => m.key === 'host-3');
    expect(new Set(host3.map((m) => m.partition)).size).toBe(1);
    const inOffsetOrder = [...host3].sort((x, y) => Number(BigInt(x.offset) - BigInt(y.offset))).map((m) => m.value.i);
    expect(inOffsetOrder).toEqual(host3.map((m) => m.value.i).sort((x, y) => x - y));
  });

  test('records without a key are spread over the partitions and each stored once', async () => {
    const topicPrefix = `${run}n.`;
    const bus = createKafkaBus({ brokers, topicPrefix, partitions: 3 });
    await bus.publish('dlq', Array.from({ length: 30 }, (_, i) => ({ value: { i } })));
    const a = await admin();
    try {
      const offsets = await a.fetchTopicOffsets(`${topicPrefix}dlq`);
      expect(offsets.map((p) => Number(p.high)).sort()).toEqual([10, 10, 10]);
    } finally {
      await a.disconnect();
      await bus.close();
    }
  });

  test('a handler that keeps failing commits nothing: the next consumer of the group gets every record', async () => {
    const topicPrefix = `${run}f.`;
    const bus = createKafkaBus({ brokers, topicPrefix, partitions: 2 });
    await bus.publish('alerts', [1, 2, 3, 4].map((v) => ({ key: `k${v}`, value: v })));
    let failed = 0;
    const bad = await bus.subscribe<number>({ topic: 'alerts', group: 'alerting', handler: async () => {
      failed++;
      throw new Error('store unavailable');
    } });
    await until(() => failed >= 2, 'the failing handler was called');
    await bad.close();
    expect(await bad.lag()).toBe(4);

    const seen: number[] = [];
    const good = await bus.subscribe<number>({ topic: 'alerts', group: 'alerting', handler: async (b) => void seen.push(...b.map((m) => m.value)) });
    await until(() => seen.length >= 4, 'the records were delivered again');
    await until(async () => (await good.lag()) === 0, 'the group committed everything');
    expect(seen.sort()).toEqual([1, 2, 3, 4]);
    await good.close();
    await bus.close();
  });

  test('a consumer that kafkajs gives up on (a non-retriable error) is relaunched and delivers the rest: the process never sits idle', async () => {
    const topicPrefix = `${run}r.`;
    // Fault injection on the real client: the first offset commit is refused for good, as a broker does when
    // the group's ACL is withdrawn (GROUP_AUTHORIZATION_FAILED); kafkajs then stops the consumer without restart.
    const real = Kafka.prototype.consumer;
    let refused = 0;
    const spy = jest.spyOn(Kafka.prototype, 'consumer').mockImplementation(function (this: Kafka, cfg) {
      const c: Consumer = real.call(this, cfg);
      const commit = c.commitOffsets.bind(c);
      c.commitOffsets = async (offsets) => {
        if (refused++ === 0) throw new KafkaJSNonRetriableError('Not authorized to access group (injected)');
        return commit(offsets);
      };
      return c;
    });
    const errors: string[] = [];
    const log = (_o: object, msg: string) => void errors.push(msg);
    const bus = createKafkaBus({ brokers, topicPrefix, partitions: 1, logger: { info: () => undefined, warn: log, error: log } as never });
    try {
      await bus.publish('alerts', [1, 2, 3].map((v) => ({ key: 'k', value: v })));
      const seen: number[] = [];
      const sub = await bus.subscribe<number>({ topic: 'alerts', group: 'alerting', handler: async (b) => void seen.push(...b.map((m) => m.value)) });
      await until(() => errors.some((m) => /relaunched/.test(m)), 'the consumer was relaunched', 60_000);
      await bus.publish('alerts', [4, 5].map((v) => ({ key: 'k', value: v })));
      await until(() => seen.includes(5), 'records published after the crash were handled', 60_000);
      await until(async () => (await sub.lag()) === 0, 'the group committed everything');
      // at least once: the batch whose commit was refused is handled again, nothing is skipped
      expect([...new Set(seen)].sort()).toEqual([1, 2, 3, 4, 5]);
      expect(errors).toContain('bus: Kafka consumer crashed; relaunching it');
      await sub.close();
    } finally {
      spy.mockRestore();
      await bus.close();
    }
  });

  test('two consumers in one group share the partitions, and together see every record once', async () => {
    const topicPrefix = `${run}g.`;
    const busA = createKafkaBus({ brokers, topicPrefix, partitions: 4 });
    const busB = createKafkaBus({ brokers, topicPrefix, partitions: 4 });
    const gotA: BusMessage<number>[] = [];
    const gotB: BusMessage<number>[] = [];
    const subA = await busA.subscribe<number>({ topic: 'correlation', group: 'correlator', handler: async (b) => void gotA.push(...b) });
    const subB = await busB.subscribe<number>({ topic: 'correlation', group: 'correlator', handler: async (b) => void gotB.push(...b) });
    const a = await admin();
    try {
      // Publish only once the group has settled with both members, so no partition moves mid-test.
      await until(async () => {
        const { groups } = await a.describeGroups([`${topicPrefix}correlator`]);
        return groups[0]?.state === 'Stable' && groups[0].members.length === 2;
      }, 'both consumers joined the group');
    } finally {
      await a.disconnect();
    }
    await busA.publish('correlation', Array.from({ length: 80 }, (_, i) => ({ key: `rule-1/10.0.${i % 40}.1`, value: i })));
    await until(() => gotA.length + gotB.length >= 80, 'all 80 records consumed');
    await new Promise((r) => setTimeout(r, 500));
    const partsA = new Set(gotA.map((m) => m.partition));
    const partsB = new Set(gotB.map((m) => m.partition));
    expect(gotA.length).toBeGreaterThan(0);
    expect(gotB.length).toBeGreaterThan(0);
    expect([...partsA].filter((p) => partsB.has(p))).toEqual([]);
    expect([...gotA, ...gotB].map((m) => m.value).sort((x, y) => x - y)).toEqual(Array.from({ length: 80 }, (_, i) => i));
    await subA.close();
    await subB.close();
    await busA.close();
    await busB.close();
  });

  test('a live (ephemeral) subscription starts at the end and leaves no committed offsets', async () => {
    const topicPrefix = `${run}e.`;
    const bus = createKafkaBus({ brokers, topicPrefix, partitions: 1 });
    await bus.publish('incidents', [{ value: 'old' }]);
    const seen: string[] = [];
    const sub = await bus.subscribe<string>({ topic: 'incidents', group: 'console', ephemeral: true, handler: async (b) => void seen.push(...b.map((m) => m.value)) });
    // the consumer only knows "the end" once it has its assignment, so keep publishing until one arrives
    let i = 0;
    await until(async () => {
      await bus.publish('incidents', [{ value: `new-${i++}` }]);
      return seen.length > 0;
    }, 'a record published after subscribing arrived');
    expect(seen).not.toContain('old');
    await sub.close();
    const a = await admin();
    try {
      const groups = (await a.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`${topicPrefix}console`));
      for (const g of groups) {
        const offsets = await a.fetchOffsets({ groupId: g, topics: [`${topicPrefix}incidents`] });
        expect(offsets[0].partitions.every((p) => p.offset === '-1')).toBe(true);
      }
    } finally {
      await a.disconnect();
    }
    await bus.close();
  });
});

test('records a consumer was handling when it was killed -9 are delivered again to the next member of its group', async () => {
  // the child runs the built bus (test/global-setup.js builds dist/ before the tests)
  const built = path.join(__dirname, '..', '..', 'dist', 'core', 'bus', 'kafka.js');
  expect(existsSync(built)).toBe(true);
  const topicPrefix = `${run}k.`;
  const bus = createKafkaBus({ brokers, topicPrefix, partitions: 2, sessionTimeoutMs: 6000 });
  await bus.publish('events', Array.from({ length: 20 }, (_, i) => ({ key: `host-${i % 4}`, value: i })));
  const script = `
    const { createKafkaBus } = require(${JSON.stringify(built)});
    const bus = createKafkaBus({ brokers: ${JSON.stringify(brokers)}, topicPrefix: ${JSON.stringify(topicPrefix)}, partitions: 2, sessionTimeoutMs: 6000 });
    bus.subscribe({ topic: 'events', group: 'indexer', handler: async (batch) => {
      process.stdout.write('handling ' + batch.length + '\\n');
      await new Promise(() => {}); // stuck mid-batch until killed
    } });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await until(() => out.includes('handling'), 'the child got a batch');
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));

  const seen = new Map<number, number>();
  const sub = await bus.subscribe<number>({ topic: 'events', group: 'indexer', handler: async (b) => {
    for (const m of b) seen.set(m.value, (seen.get(m.value) ?? 0) + 1);
  } });
  await until(() => seen.size === 20, 'every record reached the surviving member', 60_000);
  await until(async () => (await sub.lag()) === 0, 'the group committed everything');
  expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  expect([...seen.values()].every((n) => n === 1)).toBe(true);
  await sub.close();
  await bus.close();
});

test('a publish made while the broker is down waits, and lands once when the broker is back; the consumer resumes', async () => {
  // a broker of its own (ports 9192/9193), so stopping it does not disturb the other tests
  const env = { ...process.env, CANHGAC_KAFKA_PORT: '9192', CANHGAC_KAFKA_CONTROLLER_PORT: '9193' };
  const infraSh = path.join(__dirname, '..', '..', 'deploy', 'local', 'infra.sh');
  const infra = (cmd: string) =>
    new Promise<string>((resolve, reject) => execFile('bash', [infraSh, cmd, 'kafka'], { env }, (err, out, errOut) => (err ? reject(new Error(errOut || err.message)) : resolve(out))));
  await infra('up');
  const bus = createKafkaBus({ brokers: ['127.0.0.1:9192'], topicPrefix: `${run}o.`, partitions: 2, sessionTimeoutMs: 6000 });
  try {
    const seen = new Map<number, number>();
    const sub = await bus.subscribe<number>({ topic: 'events', group: 'indexer', handler: async (b) => {
      for (const m of b) seen.set(m.value, (seen.get(m.value) ?? 0) + 1);
    } });
    await bus.publish('events', [{ key: 'web1', value: 0 }]);
    await until(() => seen.size === 1, 'the first record arrived');
    await infra('down');
    let settled = false;
    const during = bus.publish('events', Array.from({ length: 10 }, (_, i) => ({ key: `web${i % 3}`, value: i + 1 }))).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 3000));
    expect(settled).toBe(false);
    await infra('up');
    await during;
    await until(() => seen.size === 11, 'all 11 records consumed after the broker came back', 60_000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    await sub.close();
  } finally {
    await bus.close();
    await infra('down');
  }
});

describe('hostile records on the Kafka bus', () => {
  const MiB = 1024 * 1024;
  const incompressible = (bytes: number) => randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64').slice(0, bytes);

  test('topics accept the largest record the bus publishes, and such a record (over Kafka\'s default 1 MiB) is consumed intact', async () => {
    const topicPrefix = `${run}big.`;
    const bus = createKafkaBus({ brokers, topicPrefix, partitions: 1, maxRecordBytes: 4 * MiB });
    // an event as the collector makes it from a line of control characters: each one is 6 bytes of JSON, twice (message, event.original)
    const line = '\u0001'.repeat(256 * 1024);
    const event = { message: line, event: { original: line, id: 'big-1' } };
    expect(Buffer.byteLength(JSON.stringify(event))).toBeGreaterThan(3 * MiB);
    await bus.publish<unknown>('events', [{ key: 'h', value: { event: { id: 'small-1' } } }, { key: 'h', value: event }, { key: 'h', value: { event: { id: 'small-2' } } }]);
    const a = await admin();
    try {
      const cfg = await a.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: `${topicPrefix}events`, configNames: ['max.message.bytes'] }] });
      expect(Number(cfg.resources[0].configEntries[0].configValue)).toBeGreaterThanOrEqual(4 * MiB);
    } finally {
      await a.disconnect();
    }
    const got: { id: string; length: number }[] = [];
    const sub = await bus.subscribe<{ event: { id: string }; message?: string }>({ topic: 'events', group: 'indexer', handler: async (b) => void got.push(...b.map((m) => ({ id: m.value.event.id, length: m.value.message?.length ?? 0 }))) });
    await until(() => got.length >= 3, 'the three records consumed');
    expect(got).toEqual([{ id: 'small-1', length: 0 }, { id: 'big-1', length: line.length }, { id: 'small-2', length: 0 }]);
    await sub.close();
    await bus.close();
  });

  test('a record over the bus\'s limit fails only its own publish, naming its size and the limit; the rest of the batch lands and the producer goes on', async () => {
    const topicPrefix = `${run}huge.`;
    const bus = createKafkaBus({ brokers, topicPrefix, partitions: 2, maxRecordBytes: 2 * MiB });
    const records: { key: string; value: { i: number; pad?: string } }[] = [{ key: 'a', value: { i: 0 } }, { key: 'b', value: { i: 1, pad: 'x'.repeat(3 * MiB) } }, { key: 'c', value: { i: 2 } }];
    const err = await bus.publish('events', records).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(RecordsRefusedError);
    const refused = err as RecordsRefusedError;
    expect(refused.refused).toEqual([expect.objectContaining({ index: 1, key: 'b', reason: 'too_large', limit: 2 * MiB, bytes: Buffer.byteLength(JSON.stringify(records[1].value)) + 1 })]);
    expect(refused.message).toMatch(/1 of 3 record\(s\) for topic ".*huge\.events" refused: record 1 \(key "b"\) is 3145\d{3} bytes, over the bus's limit of 2097152 bytes.*the other 2 were published/);
    await bus.publish('events', [{ key: 'd', value: { i: 3 } }]); // the producer is not stuck
    const seen: number[] = [];
    const sub = await bus.subscribe<{ i: number }>({ topic: 'events', group: 'indexer', handler: async (b) => void seen.push(...b.map((m) => m.value.i)) });
    await until(() => seen.length >= 3, 'the published records consumed');
    await until(async () => (await sub.lag()) === 0, 'the group committed everything');
    expect(seen.sort()).toEqual([0, 2, 3]);
    await sub.close();
    await bus.close();
  });

  test('a record the broker refuses (a topic made with Kafka\'s default 1 MiB) fails alone with the topic\'s limit; its neighbours land', async () => {
    const topicPrefix = `${run}old.`;
    const a = await admin();
    try {
      await a.createTopics({ waitForLeaders: true, topics: [{ topic: `${topicPrefix}events`, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(MiB) }] }] });
    } finally {
      await a.disconnect();
    }
    const warnings: string[] = [];
    const bus = createKafkaBus({ brokers, topicPrefix, partitions: 1, logger: { warn: (_o: object, m: string) => void warnings.push(m), error: () => undefined } });
    const big = incompressible(Math.round(1.5 * MiB)); // gzip cannot bring it under 1 MiB
    const err = await bus.publish('events', [{ key: 'h', value: { i: 0 } }, { key: 'h', value: { i: 1, big } }, { key: 'h', value: { i: 2 } }]).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(RecordsRefusedError);
    expect((err as RecordsRefusedError).refused).toEqual([expect.objectContaining({ index: 1, reason: 'too_large', limit: MiB })]);
    expect((err as RecordsRefusedError).message).toMatch(/record 1 \(key "h"\) is 15\d{5} bytes, over the 1048576-byte limit of Kafka topic ".*old\.events" \(max\.message\.bytes\)/);
    expect(warnings.some((w) => /accepts records of at most 1048576 bytes \(max\.message\.bytes\), less than the bus's/.test(w))).toBe(true);
    await bus.publish('events', [{ key: 'h', value: { i: 3 } }]);
    const seen: number[] = [];
    const sub = await bus.subscribe<{ i: number }>({ topic: 'events', group: 'indexer', handler: async (b) => void seen.push(...b.map((m) => m.value.i)) });
    await until(() => seen.length >= 3, 'the published records consumed');
    expect(seen).toEqual([0, 2, 3]); // one key, one partition: in order, the refused one missing
    await sub.close();
    await bus.close();
  });

  test('a value JSON cannot encode (nested beyond the stack) is refused alone', async () => {
    const bus = createKafkaBus({ brokers, topicPrefix: `${run}deep.`, partitions: 1 });
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 100_000; i++) cur = (cur.a = {}) as Record<string, unknown>;
    const err = await bus.publish('events', [{ key: 'h', value: deep }, { key: 'h', value: { ok: true } }]).then(() => null, (e: unknown) => e);
    expect((err as RecordsRefusedError).refused).toEqual([expect.objectContaining({ index: 0, reason: 'not_json', message: expect.stringMatching(/record 0 cannot be encoded as JSON: Maximum call stack/) })]);
    expect((err as RecordsRefusedError).published).toBe(1);
    await bus.close();
  });

  test('records not written by canhgac (not JSON, no value, __proto__ or constructor keys, 100,000 levels deep) reach the handler as RecordDecodeError; the consumer goes on', async () => {
    const topicPrefix = `${run}poison.`;
    const bus = createKafkaBus({ brokers, topicPrefix, partitions: 1 });
    await bus.publish('events', [{ key: 'h', value: { i: 0 } }]); // creates the topic
    const raw = new Kafka({ clientId: 'canhgac-test', brokers, logLevel: logLevel.NOTHING }).producer();
    await raw.connect();
    const poison = ['not json {', null, '{"__proto__":{"disabled":true}}', '{"event":{"constructor":{"prototype":{"format":"x"}}}}', '['.repeat(100_000) + ']'.repeat(100_000)];
    await raw.send({ topic: `${topicPrefix}events`, messages: [...poison.map((value) => ({ key: 'h', value })), { key: 'h', value: JSON.stringify({ i: 1 }) }] });
    await raw.disconnect();
    const values: unknown[] = [];
    const sub = await bus.subscribe({ topic: 'events', group: 'indexer', handler: async (b) => void values.push(...b.map((m) => m.value)) });
    await until(() => values.length >= 7, 'every record handed over');
    await until(async () => (await sub.lag()) === 0, 'the group committed everything');
    expect(values[0]).toEqual({ i: 0 });
    expect(values[6]).toEqual({ i: 1 });
    const errors = values.slice(1, 6) as RecordDecodeError[];
    expect(errors.every((e) => e instanceof RecordDecodeError)).toBe(true);
    expect(errors.map((e) => e.reason)).toEqual([
      expect.stringMatching(/^not JSON/),
      expect.stringMatching(/no value/),
      expect.stringMatching(/key "__proto__"/),
      expect.stringMatching(/key "constructor" at event\.constructor/),
      expect.stringMatching(/nested more than \d+ levels deep/),
    ]);
    expect(errors.map((e) => e.offset)).toEqual(['1', '2', '3', '4', '5']);
    expect(({} as Record<string, unknown>).disabled).toBeUndefined();
    await sub.close();
    await bus.close();
  });

  test('a flood of concurrent publishes with oversized records among them: every other record lands once, each oversized one is refused', async () => {
    const topicPrefix = `${run}flood.`;
    const bus = createKafkaBus({ brokers, topicPrefix, partitions: 3, maxRecordBytes: 256 * 1024 });
    const batches = Array.from({ length: 40 }, (_, b) => Array.from({ length: 500 }, (_, i) => ({ key: `host-${i % 13}`, value: { n: b * 500 + i, pad: i === 250 ? 'x'.repeat(300 * 1024) : 'y'.repeat(100) } })));
    const results = await Promise.allSettled(batches.map((records) => bus.publish('events', records)));
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as RecordsRefusedError).refused.map((x) => x.index) : 'ok'))).toEqual(batches.map(() => [250]));
    const seen = new Map<number, number>();
    const sub = await bus.subscribe<{ n: number }>({ topic: 'events', group: 'indexer', maxBatch: 1000, handler: async (b) => {
      for (const m of b) seen.set(m.value.n, (seen.get(m.value.n) ?? 0) + 1);
    } });
    await until(() => seen.size >= 40 * 499, 'every accepted record consumed', 90_000);
    await until(async () => (await sub.lag()) === 0, 'the group committed everything');
    expect(seen.size).toBe(40 * 499);
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
    expect([...seen.keys()].some((n) => n % 500 === 250)).toBe(false);
    await sub.close();
    await bus.close();
  });
});
