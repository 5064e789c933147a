/** The per-rule hit counts (Rules view, dashboard) survive a restart of the correlator: saved in the store, restored at start. */
import type { Bus } from '../core/bus/bus';
import { silentLogger } from '../core/log';
import { createSqliteStore } from '../core/store/sqlite';
import type { Store } from '../core/store/store';
import { AlertGate, RULES_STATE_KEY, type RuleStatus } from './detection-alerts';
import { createEvaluator, loadRulesFromText } from './sigma';

const RULES = `title: SSH login failed
id: 11111111-2222-4333-8444-555555555555
logsource: {product: linux, service: sshd}
detection: {sel: {event.action: ssh_login, event.outcome: failure}, condition: sel}
level: medium
---
title: Root login
id: 11111111-2222-4333-8444-666666666666
logsource: {product: linux, service: sshd}
detection: {sel: {user.name: root}, condition: sel}
level: high
`;
const bus = { kind: 'embedded', publish: async () => undefined, close: async () => undefined } as unknown as Bus;
const event = (user: string) => ({ '@timestamp': new Date().toISOString(), event: { id: `e-${user}`, action: 'ssh_login', outcome: 'failure' }, user: { name: user }, organization: { id: 'so-a' }, host: { os: { type: 'linux' } }, process: { name: 'sshd' } });

async function run(store: Store, rulesText: string, users: string[]): Promise<RuleStatus[]> {
  const { ruleset } = loadRulesFromText(rulesText, 'r.yml');
  const gate = new AlertGate(bus, store, silentLogger, ruleset.rules, []);
  await gate.start();
  const evaluator = createEvaluator(ruleset);
  for (const u of users) for (const d of evaluator.match(event(u)).detections) gate.toAlert(d, event(u));
  await gate.stop();
  return (JSON.parse((await store.getState(RULES_STATE_KEY))!) as { rules: RuleStatus[] }).rules;
}

test("a restart keeps each rule's hit count and last hit; a rule no longer loaded is dropped", async () => {
  const store = createSqliteStore({ path: ':memory:' });
  await store.init();
  const first = await run(store, RULES, ['an', 'root', 'binh']);
  const hits = (rs: RuleStatus[]) => Object.fromEntries(rs.map((r) => [r.rule.title, r.hits]));
  expect(hits(first)).toEqual({ 'SSH login failed': 3, 'Root login': 1 });
  const lastRoot = first.find((r) => r.rule.title === 'Root login')!.last_hit;

  const second = await run(store, RULES, ['chi']); // the next start, one more failed login
  expect(hits(second)).toEqual({ 'SSH login failed': 4, 'Root login': 1 });
  expect(second.find((r) => r.rule.title === 'Root login')!.last_hit).toBe(lastRoot);

  const third = await run(store, RULES.split('---')[0], []); // the root rule removed from the rule folder
  expect(hits(third)).toEqual({ 'SSH login failed': 4 });
  await store.close();
});

test('saved statistics that cannot be read do not keep detection from starting', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  await store.init();
  await store.putState(RULES_STATE_KEY, '{"rules": [{"rule": {"id": "11111111-2222-4333-8444-555555555555"}, "hits": "many"}]');
  const after = await run(store, RULES, ['an']);
  expect(after.map((r) => r.hits).sort()).toEqual([0, 1]);
  await store.close();
});
