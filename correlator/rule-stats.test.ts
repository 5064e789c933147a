/** Rule statistics of two correlators sharing the work: the console sees both instances' hits, and a restart counts nothing twice. */
import { RULES_STATE_KEY, ownRuleStats, saveRuleStats, sumRuleStats, type RuleStats } from './rule-stats';

const rule = (id: string) => ({ id, title: `Rule ${id}`, level: 'high', tags: [], references: [] }) as unknown as RuleStats['rules'][number]['rule'];
const stats = (at: string, hits: Record<string, [number, string | null]>): RuleStats => ({ at, report: [], rules: Object.entries(hits).map(([id, [n, last]]) => ({ rule: rule(id), hits: n, last_hit: last })) });
function memory() {
  const m = new Map<string, string>();
  return { m, getState: async (k: string) => m.get(k) ?? null, putState: async (k: string, v: string) => void m.set(k, v) };
}
const shown = async (s: ReturnType<typeof memory>) => (JSON.parse((await s.getState(RULES_STATE_KEY))!) as RuleStats).rules.map((r) => [r.rule.id, r.hits, r.last_hit]);

test("two correlators' hits add up in what the console reads, whichever saved last", async () => {
  const s = memory();
  await saveRuleStats(s, 'corr-1', stats('2026-12-07T10:00:00Z', { a: [5, '2026-12-07T09:00:00Z'], b: [1, '2026-12-07T08:00:00Z'] }));
  await saveRuleStats(s, 'corr-2', stats('2026-12-07T10:00:05Z', { a: [3, '2026-12-07T09:30:00Z'], b: [0, null] }));
  expect(await shown(s)).toEqual([['a', 8, '2026-12-07T09:30:00Z'], ['b', 1, '2026-12-07T08:00:00Z']]);
  await saveRuleStats(s, 'corr-1', stats('2026-12-07T10:00:10Z', { a: [6, '2026-12-07T10:00:09Z'], b: [1, '2026-12-07T08:00:00Z'] }));
  expect(await shown(s)).toEqual([['a', 9, '2026-12-07T10:00:09Z'], ['b', 1, '2026-12-07T08:00:00Z']]);
});

test('a restart restores its own hits only; a data dir from one correlator before per-instance records keeps its hits once', async () => {
  const s = memory();
  await saveRuleStats(s, 'corr-1', stats('2026-12-07T10:00:00Z', { a: [5, null] }));
  await saveRuleStats(s, 'corr-2', stats('2026-12-07T10:00:01Z', { a: [3, null] }));
  expect((await ownRuleStats(s, 'corr-1'))!.rules[0].hits).toBe(5);
  expect(await ownRuleStats(s, 'corr-3')).toBeNull(); // a new instance starts from zero: the others' hits are theirs
  const old = memory();
  await old.putState(RULES_STATE_KEY, JSON.stringify(stats('2026-12-01T00:00:00Z', { a: [42, null] })));
  expect((await ownRuleStats(old, 'corr-1'))!.rules[0].hits).toBe(42);
  await saveRuleStats(old, 'corr-1', stats('2026-12-07T00:00:00Z', { a: [43, null] }));
  expect(await ownRuleStats(old, 'corr-2')).toBeNull();
  expect(await shown(old)).toEqual([['a', 43, null]]);
});

test('a rule only an older instance loaded still shows with its hits, after the newest instance\'s rules', () => {
  const sum = sumRuleStats([stats('2026-12-07T10:00:00Z', { gone: [2, null], a: [1, null] }), stats('2026-12-07T11:00:00Z', { a: [1, null], b: [0, null] })])!;
  expect(sum.rules.map((r) => [r.rule.id, r.hits])).toEqual([['a', 2], ['b', 0], ['gone', 2]]);
});
