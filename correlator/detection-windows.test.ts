/**
 * The window stage's tick: a quiet group's frame (an absence condition) fires by the wall clock, is
 * published and checkpointed; a partition another correlator has checkpointed past is let go instead of
 * being overwritten with older windows.
 */
import type { Bus, BusMessage, PublishRecord, SubscribeOptions } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import { silentLogger } from '../core/log';
import type { Store } from '../core/store/store';
import { AlertGate } from './detection-alerts';
import { createEvaluator, loadRulesFromText } from './sigma';
import type { ArrivalRecord } from './detection-match';
import { WindowStage, WINDOWS_STATE_PREFIX } from './detection-windows';

const rules = (timespan: string): string => `title: Login without MFA
id: 7d3f0c52-8d8e-4d53-9a53-2f6b7a0e0002
correlation: {type: temporal, rules: [login_ok, mfa_passed], group-by: [user.name], timespan: ${timespan}, condition: 'login_ok and not mfa_passed'}
level: high
---
title: login ok
name: login_ok
logsource: {category: unit_auth}
detection: {sel: {event.action: login}, condition: sel}
---
title: mfa passed
name: mfa_passed
logsource: {category: unit_auth}
detection: {sel: {event.action: mfa}, condition: sel}
`;

function rig(timespan = '1s') {
  const { ruleset } = loadRulesFromText(rules(timespan), 'r.yml');
  const state = new Map<string, string>();
  const store = { listRuleSettings: async () => [], getState: async (k: string) => state.get(k) ?? null, putState: async (k: string, v: string) => void state.set(k, v) } as unknown as Store;
  const published: Array<{ topic: string; records: PublishRecord<unknown>[] }> = [];
  let handler: ((b: BusMessage<ArrivalRecord>[]) => Promise<void>) | null = null;
  const bus = {
    kind: 'kafka',
    publish: async (topic: string, records: PublishRecord<unknown>[]) => void published.push({ topic, records }),
    subscribe: async (o: SubscribeOptions<ArrivalRecord>) => {
      handler = o.handler as typeof handler;
      return { close: async () => undefined, lag: async () => 0 };
    },
    close: async () => undefined,
  } as unknown as Bus;
  const gate = new AlertGate(bus, store, silentLogger, ruleset.rules, []);
  const stage = new WindowStage(ruleset, bus, store, gate, silentLogger, { allowedLatenessMs: 0, tickMs: 20 });
  // the arrival the match stage would publish for a login of alice now
  const { arrivals } = createEvaluator(ruleset).match({ '@timestamp': new Date().toISOString(), event: { id: 'a1', action: 'login' }, user: { name: 'alice' }, organization: { id: 'so-a' } });
  const msg = (offset: number): BusMessage<ArrivalRecord> => {
    const { route, ...a } = arrivals[0];
    return { topic: TOPICS.correlation, partition: 0, offset: String(offset), key: route, timestamp: Date.now(), value: { ...a, src: { p: 0, o: offset, n: 0 }, ctx: {} } };
  };
  const alerts = () => published.filter((p) => p.topic === TOPICS.alerts).flatMap((p) => p.records.map((r) => r.value as { rule: { title: string }; groupBy: unknown }));
  return { stage, state, msg, alerts, handle: (b: BusMessage<ArrivalRecord>[]) => handler!(b) };
}

const until = async (what: string, cond: () => boolean, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`waited ${ms} ms for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

test('a quiet login without MFA fires on the tick, then the partition is checkpointed without the window', async () => {
  const r = rig();
  await r.stage.start();
  try {
    await r.handle([r.msg(0)]);
    expect(r.stage.windows().groups).toBe(1);
    await until('the alert', () => r.alerts().length > 0);
    expect(r.alerts().map((a) => [a.rule.title, a.groupBy])).toEqual([['Login without MFA', { 'user.name': 'alice' }]]);
    await until('the checkpoint without the window', () => JSON.parse(r.state.get(`${WINDOWS_STATE_PREFIX}0`) ?? '{}').state?.corr?.['7d3f0c52-8d8e-4d53-9a53-2f6b7a0e0002'] === undefined);
    expect(JSON.parse(r.state.get(`${WINDOWS_STATE_PREFIX}0`)!).offset).toBe(0);
  } finally {
    await r.stage.stop();
  }
});

test('a partition checkpointed further by another correlator is let go, not overwritten', async () => {
  const r = rig('1h');
  await r.stage.start();
  try {
    await r.handle([r.msg(0)]);
    // another correlator took the partition over and checkpointed up to offset 7 (no windows left)
    const theirs = JSON.stringify({ v: 1, at: new Date().toISOString(), offset: 7, src: {}, state: { v: 2, seq: 0, corr: {} } });
    r.state.set(`${WINDOWS_STATE_PREFIX}0`, theirs);
    await until('the partition let go', () => r.stage.windows().partitions.length === 0);
    expect(r.state.get(`${WINDOWS_STATE_PREFIX}0`)).toBe(theirs);
    expect(r.alerts()).toEqual([]);
  } finally {
    await r.stage.stop();
  }
});
