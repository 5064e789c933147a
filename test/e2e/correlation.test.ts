/**
 * Detection in two stages on the embedded bus: matching publishes arrivals on `correlation`, the
 * window stage feeds them into checkpointed windows. Alerts are the ones evaluate() gives on the same
 * stream; a restart resumes open windows; redelivered arrivals never count twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bus, BusMessage, Subscription } from '../../core/bus/bus';
import { TOPICS } from '../../core/bus/bus';
import { createEmbeddedBus } from '../../core/bus/embedded';
import { silentLogger } from '../../core/log';
import type { Alert } from '../../core/model';
import { createSqliteStore } from '../../core/store/sqlite';
import type { Store } from '../../core/store/store';
import { detectionToAlert } from '../../correlator/alert';
import { LEGACY_CHECKPOINT_KEY, MATCH_GROUP, startDetection, WINDOWS_STATE_PREFIX, type DetectionLoop } from '../../correlator/detection';
import { createEvaluator, loadRules } from '../../correlator/sigma';

const ROOT = path.resolve(__dirname, '..', '..');
const T0 = Date.parse('2026-11-28T01:00:00Z');
const BRUTE_FORCE = 'SSH Brute Force';

function sshFailure(i: number, ip: string, host: string, tenant = 'so-tttt', user = 'root', outcome = 'failure'): Record<string, unknown> {
  return {
    '@timestamp': new Date(T0 + i * 2000).toISOString(),
    event: { id: `ev-${ip}-${i}`, category: ['authentication'], outcome, action: 'ssh_login', dataset: 'system.auth' },
    source: { ip, port: 40000 + i },
    user: { name: user },
    process: { name: 'sshd' },
    host: { hostname: host },
    organization: { id: tenant },
  };
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`waited ${ms} ms for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Rig {
  bus: Bus;
  store: Store;
  alerts: Alert[];
  alertSub: Subscription;
  start(opts?: { bus?: Bus; store?: Store }): Promise<DetectionLoop>;
  send(events: Array<Record<string, unknown>>): Promise<void>;
  settle(det: DetectionLoop): Promise<void>;
  close(): Promise<void>;
}

async function rig(): Promise<Rig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-correlation-'));
  const bus = createEmbeddedBus({ dir: path.join(dir, 'bus') });
  const store = createSqliteStore({ path: path.join(dir, 'store.db') });
  await store.init();
  const alerts: Alert[] = [];
  const alertSub = await bus.subscribe<Alert>({ topic: TOPICS.alerts, group: 'test-alerts', handler: async (b: BusMessage<Alert>[]) => void alerts.push(...b.map((m) => m.value)) });
  const r: Rig = {
    bus,
    store,
    alerts,
    alertSub,
    start: (o) => startDetection({ bus: o?.bus ?? bus, store: o?.store ?? store, logger: silentLogger, rulePaths: ['rules/sigma'], baseDir: ROOT }),
    send: (events) => bus.publish(TOPICS.events, events.map((e) => ({ key: `${(e.organization as { id: string }).id}/${(e.host as { hostname: string }).hostname}`, value: e }))),
    async settle(det) {
      await until('the correlator and the alert reader caught up', async () => (await det.lag()) === 0 && (await alertSub.lag()) === 0);
    },
    async close() {
      await bus.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return r;
}

const bruteForces = (alerts: Alert[]) => alerts.filter((a) => a.rule.title === BRUTE_FORCE);

test('matching and windows on the bus give the alerts evaluate() gives on the same stream', async () => {
  const { ruleset } = loadRules({ paths: [path.join(ROOT, 'rules', 'sigma')] });
  const events: Array<Record<string, unknown>> = [];
  // several attackers, many hosts and users, two agencies; failures mostly, some successes
  for (let i = 0; i < 600; i++) {
    const ip = `203.0.113.${i % 7}`;
    const host = `srv-${(i * 5) % 11}`;
    const user = ['root', 'admin', 'deploy', 'an', 'binh', 'chi'][(i * 7) % 6];
    events.push(sshFailure(i, ip, host, i < 300 ? 'so-tttt' : 'so-yte', user, i % 9 === 0 ? 'success' : 'failure'));
  }
  const ev = createEvaluator(ruleset);
  const expected = events.flatMap((e) => ev.evaluate(e).map((d) => detectionToAlert(d, e)));
  const r = await rig();
  try {
    const det = await r.start();
    for (let i = 0; i < events.length; i += 50) await r.send(events.slice(i, i + 50));
    await r.settle(det);
    const strip = (a: Alert): Omit<Alert, 'created'> => {
      const { created: _created, ...rest } = a;
      return rest;
    };
    const byId = (x: { id: string }, y: { id: string }) => x.id.localeCompare(y.id);
    expect(r.alerts.map(strip).sort(byId)).toEqual(expected.map(strip).sort(byId));
    const titles = new Set(r.alerts.map((a) => a.rule.title));
    for (const t of ['SSH Brute Force', 'SSH Login Success After Brute Force', 'SSH Password Spraying']) expect(titles).toContain(t);
    await det.stop();
  } finally {
    await r.close();
  }
});

test('a restart resumes the open window: three attempts before, the fifth fires, and redelivered arrivals never count twice', async () => {
  const r = await rig();
  try {
    const ip = '198.51.100.23';
    const attempts = [1, 2, 3, 4, 5].map((i) => sshFailure(i, ip, `host-${i}`));
    const det1 = await r.start();
    await r.send(attempts.slice(0, 3));
    await r.settle(det1);
    await det1.stop();
    const saved = JSON.parse((await r.store.getState(`${WINDOWS_STATE_PREFIX}0`))!) as { offset: number };
    expect(saved.offset).toBeGreaterThanOrEqual(2); // three events' arrivals are in the checkpoint

    // the next run stumbles once in each stage, after its write and before its commit, so both stages get batches again
    let republished = 0;
    let checkpointsLost = 0;
    const flakyBus: Bus = {
      ...r.bus,
      kind: r.bus.kind,
      async publish(topic, records) {
        await r.bus.publish(topic, records);
        if (topic === TOPICS.correlation && republished++ === 0) throw new Error('connection reset after the write');
      },
      subscribe: (o) => r.bus.subscribe(o),
      close: () => r.bus.close(),
    };
    const flakyStore = new Proxy(r.store, {
      get(target, k, recv) {
        if (k === 'putState')
          return async (key: string, value: string) => {
            await target.putState(key, value);
            if (key.startsWith(WINDOWS_STATE_PREFIX) && checkpointsLost++ === 0) throw new Error('disk went away after the write');
          };
        return Reflect.get(target, k, recv);
      },
    });
    const det2 = await r.start({ bus: flakyBus, store: flakyStore });
    await r.send([attempts[3]]);
    await until('both stages retried', () => republished >= 2 && checkpointsLost >= 2);
    await r.settle(det2);
    expect(bruteForces(r.alerts)).toEqual([]); // four attempts, each counted once
    expect(det2.windows().duplicates).toBeGreaterThan(0); // the matching stage's second publish was recognised

    await r.send([attempts[4]]);
    await r.settle(det2);
    const fired = bruteForces(r.alerts);
    expect(fired).toHaveLength(1);
    expect(fired[0].eventIds).toEqual(attempts.map((a) => (a.event as { id: string }).id));
    expect(fired[0].summary.source_ip).toBe(ip);
    expect(fired[0].tenant).toBe('so-tttt');
    await det2.stop();
  } finally {
    await r.close();
  }
});

test('upgrading from the one-stage correlator keeps its open windows, and an event it counted but had not committed counts once', async () => {
  const r = await rig();
  try {
    const ip = '198.51.100.41';
    const attempts = [1, 2, 3, 4, 5].map((i) => sshFailure(i, ip, `host-${i}`));
    // the old correlator counted three attempts but committed only two of them before it stopped
    await r.send(attempts.slice(0, 2));
    const old = await r.bus.subscribe({ topic: TOPICS.events, group: MATCH_GROUP, handler: async () => undefined });
    await until('the old correlator committed two events', async () => (await old.lag()) === 0);
    await old.close();
    await r.send([attempts[2]]);
    const { ruleset } = loadRules({ paths: [path.join(ROOT, 'rules', 'sigma')] });
    const ev = createEvaluator(ruleset);
    for (const a of attempts.slice(0, 3)) ev.evaluate(a);
    await r.store.putState(LEGACY_CHECKPOINT_KEY, JSON.stringify({ at: new Date().toISOString(), offsets: { 0: 2 }, state: ev.checkpoint() }));

    const det = await r.start();
    await r.send([attempts[3]]);
    await r.settle(det);
    expect(bruteForces(r.alerts)).toEqual([]);
    await r.send([attempts[4]]);
    await r.settle(det);
    const fired = bruteForces(r.alerts);
    expect(fired).toHaveLength(1);
    expect(fired[0].eventIds).toEqual(attempts.map((a) => (a.event as { id: string }).id));
    await det.stop();
  } finally {
    await r.close();
  }
});
