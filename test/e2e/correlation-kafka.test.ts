/**
 * Two correlators in one Kafka group (real broker, 4 partitions): a brute force from one address
 * against five hosts spreads over the `events` partitions, yet its attempts meet in one window on
 * `correlation` and it fires exactly once — also when the correlator holding that window dies after
 * its checkpoint and before its commit, and the other one takes the partition over.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AssignerProtocol, Kafka, logLevel, type Admin } from 'kafkajs';
import type { Bus, BusMessage, Subscription } from '../../core/bus/bus';
import { TOPICS } from '../../core/bus/bus';
import { createKafkaBus } from '../../core/bus/kafka';
import { silentLogger } from '../../core/log';
import type { Alert } from '../../core/model';
import { createSqliteStore } from '../../core/store/sqlite';
import type { Store } from '../../core/store/store';
import { MATCH_GROUP, startDetection, WINDOWS_GROUP, WINDOWS_STATE_PREFIX, type DetectionLoop } from '../../correlator/detection';
import { startKafka } from '../infra/servers';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..', '..');
const T0 = Date.parse('2026-11-28T01:00:00Z');
const BRUTE_FORCE_ID = 'f7ec3089-33cd-4c21-8fb9-db54507dc7aa';
const PARTITIONS = 4;
const run = `corr-${Date.now().toString(36)}-${process.pid}.`;
let brokers: string[] = [];

beforeAll(async () => {
  brokers = await startKafka();
}, 15 * 60_000);

function attempt(i: number, ip: string): Record<string, unknown> {
  return {
    '@timestamp': new Date(T0 + i * 10_000).toISOString(),
    event: { id: `ev-${ip}-${i}`, category: ['authentication'], outcome: 'failure', action: 'ssh_login', dataset: 'system.auth' },
    source: { ip, port: 40000 + i },
    user: { name: 'root' },
    process: { name: 'sshd' },
    host: { hostname: `may-chu-${i}` },
    organization: { id: 'so-tttt' },
  };
}

/** Polls until cond holds; a failed poll counts as "not yet" (kafkajs's fetchTopicOffsets fails now and then, tulios/kafkajs#461). */
async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  let last = '';
  for (;;) {
    try {
      if (await cond()) return;
    } catch (e) {
      last = ` (last poll failed: ${(e as Error).message})`;
    }
    if (Date.now() > end) throw new Error(`waited ${ms} ms for: ${what}${last}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A store that can "die": from then on, a windows checkpoint is written and then the write fails, and reads fail. */
function mortal(store: Store) {
  const s = { dead: false, writtenWhileDying: new Set<string>() };
  const proxy = new Proxy(store, {
    get(target, k, recv) {
      if (k === 'putState')
        return async (key: string, value: string) => {
          await target.putState(key, value);
          if (s.dead && key.startsWith(WINDOWS_STATE_PREFIX)) {
            s.writtenWhileDying.add(key);
            throw new Error('killed after the checkpoint, before the commit');
          }
        };
      if (k === 'getState')
        return async (key: string) => {
          if (s.dead && key.startsWith(WINDOWS_STATE_PREFIX)) throw new Error('killed');
          return target.getState(key);
        };
      return Reflect.get(target, k, recv);
    },
  });
  return Object.assign(s, { store: proxy });
}

interface Correlator {
  bus: Bus;
  det: DetectionLoop;
  life: ReturnType<typeof mortal>;
}

interface Cluster {
  prefix: string;
  store: Store;
  feed: Bus;
  alerts: Alert[];
  alertSub: Subscription;
  correlators: Correlator[];
  admin: Admin;
  close(): Promise<void>;
}

async function cluster(name: string): Promise<Cluster> {
  const prefix = `${run}${name}.`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-correlation-kafka-'));
  const store = createSqliteStore({ path: path.join(dir, 'store.db') });
  await store.init();
  const open = () => createKafkaBus({ brokers, topicPrefix: prefix, partitions: PARTITIONS, sessionTimeoutMs: 10_000 });
  const feed = open();
  const alerts: Alert[] = [];
  const alertSub = await feed.subscribe<Alert>({ topic: TOPICS.alerts, group: 'test-alerts', handler: async (b: BusMessage<Alert>[]) => void alerts.push(...b.map((m) => m.value)) });
  const correlators: Correlator[] = [];
  for (let i = 0; i < 2; i++) {
    const bus = open();
    const life = mortal(store);
    const det = await startDetection({ bus, store: life.store, logger: silentLogger, rulePaths: ['rules/sigma'], baseDir: ROOT });
    correlators.push({ bus, det, life });
  }
  const admin = new Kafka({ clientId: 'canhgac-test', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  // send only once both groups have settled with both correlators, so no partition moves mid-stream
  for (const g of [MATCH_GROUP, WINDOWS_GROUP]) {
    await until(`both correlators joined ${g}`, async () => {
      const { groups } = await admin.describeGroups([prefix + g]);
      return groups[0]?.state === 'Stable' && groups[0].members.length === 2;
    });
  }
  return {
    prefix,
    store,
    feed,
    alerts,
    alertSub,
    correlators,
    admin,
    async close() {
      for (const c of correlators) {
        await c.det.stop().catch(() => undefined);
        await c.bus.close().catch(() => undefined);
      }
      await alertSub.close();
      await feed.close();
      await admin.disconnect();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const send = (c: Cluster, events: Array<Record<string, unknown>>) =>
  c.feed.publish(TOPICS.events, events.map((e) => ({ key: `so-tttt/${(e.host as { hostname: string }).hostname}`, value: e })));

async function settled(c: Cluster, live: Correlator[]): Promise<void> {
  await until('the correlators and the alert reader caught up', async () => {
    for (const x of live) if ((await x.det.lag()) !== 0) return false;
    return (await c.alertSub.lag()) === 0;
  });
}

const bruteForces = (alerts: Alert[]) => alerts.filter((a) => a.rule.id === BRUTE_FORCE_ID);
const ids = (events: Array<Record<string, unknown>>) => events.map((e) => (e.event as { id: string }).id);

/** Partitions of `correlation` whose checkpointed windows have a brute force window (open, or fired and emptied). */
async function windowPartitions(store: Store, open: boolean): Promise<number[]> {
  const out: number[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const raw = await store.getState(`${WINDOWS_STATE_PREFIX}${p}`);
    const groups = raw ? ((JSON.parse(raw) as { state: { corr: Record<string, Array<[string, { entries: unknown[] }]>> } }).state.corr[BRUTE_FORCE_ID] ?? []) : [];
    if (groups.some(([, g]) => !open || g.entries.length > 0)) out.push(p);
  }
  return out;
}

test('two correlators in one group: a brute force from one address against five hosts fires exactly once', async () => {
  const c = await cluster('five-hosts');
  try {
    const attempts = [1, 2, 3, 4, 5].map((i) => attempt(i, '203.0.113.50'));
    await send(c, attempts);
    await until('the brute force alert', () => bruteForces(c.alerts).length > 0);
    await settled(c, c.correlators);
    // the five hosts' events landed on partitions of `events` that both correlators own: each matched some attempts
    const withEvents = new Set((await c.admin.fetchTopicOffsets(`${c.prefix}${TOPICS.events}`)).filter((o) => Number(o.high) > 0).map((o) => o.partition));
    const { groups } = await c.admin.describeGroups([c.prefix + MATCH_GROUP]);
    const owned = groups[0].members.map((m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[`${c.prefix}${TOPICS.events}`] ?? []);
    expect(owned).toHaveLength(2);
    for (const parts of owned) expect(parts.some((x) => withEvents.has(x))).toBe(true);
    const fired = bruteForces(c.alerts);
    expect(fired).toHaveLength(1);
    expect(fired[0].eventIds).toEqual(ids(attempts));
    expect(fired[0].summary.source_ip).toBe('203.0.113.50');
    // all five attempts met in one partition's windows, held by one correlator
    const parts = await windowPartitions(c.store, false);
    expect(parts).toHaveLength(1);
    expect(c.correlators.filter((x) => x.det.windows().partitions.includes(parts[0]))).toHaveLength(1);
  } finally {
    await c.close();
  }
});

test('the correlator holding the window dies after its checkpoint, before its commit: the other resumes it and it fires exactly once', async () => {
  const c = await cluster('kill');
  try {
    const attempts = [1, 2, 3, 4, 5].map((i) => attempt(i, '198.51.100.77'));
    await send(c, attempts.slice(0, 3));
    await settled(c, c.correlators);
    const [p] = await windowPartitions(c.store, true);
    expect(p).toBeDefined();
    const victim = c.correlators.find((x) => x.det.windows().partitions.includes(p))!;
    const survivor = c.correlators.find((x) => x !== victim)!;
    expect(survivor.det.windows().partitions).not.toContain(p);

    // the fourth attempt: the victim counts it, writes the checkpoint, and dies before committing
    victim.life.dead = true;
    await send(c, [attempts[3]]);
    await until('the victim wrote the checkpoint with the fourth attempt', () => victim.life.writtenWhileDying.has(`${WINDOWS_STATE_PREFIX}${p}`));
    await victim.det.stop();
    await victim.bus.close();
    const committed = (await c.admin.fetchOffsets({ groupId: c.prefix + WINDOWS_GROUP, topics: [`${c.prefix}${TOPICS.correlation}`] }))[0].partitions.find((x) => x.partition === p)!;
    const checkpoint = JSON.parse((await c.store.getState(`${WINDOWS_STATE_PREFIX}${p}`))!) as { offset: number };
    expect(Number(committed.offset)).toBeLessThanOrEqual(checkpoint.offset); // the record with the fourth attempt is not committed

    await send(c, [attempts[4]]);
    await until('the brute force alert', () => bruteForces(c.alerts).length > 0);
    await settled(c, [survivor]);
    const fired = bruteForces(c.alerts);
    expect(fired).toHaveLength(1);
    expect(fired[0].eventIds).toEqual(ids(attempts)); // each attempt once: the fourth was not counted again
    expect(survivor.det.windows().partitions).toContain(p);
    expect(survivor.det.windows().redelivered).toBeGreaterThan(0); // it did get the uncommitted record again
  } finally {
    await c.close();
  }
});
