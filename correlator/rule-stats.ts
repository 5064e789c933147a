/**
 * Rule statistics (hit counts, last hits, the load report) as each correlator saves them: under its own
 * instance id, with the list of instances, and their sum under the key the console reads. With two
 * correlators sharing the events' partitions, the console shows the hits of both, not whichever wrote
 * last; and a restart restores only the instance's own hits, so nothing is counted twice.
 */
import type { LoadReport, RuleInfo } from './sigma';

export const RULES_STATE_KEY = 'correlator.rules'; // the sum: what the console reads
export const RULE_STATS_KEYS = {
  instance: (id: string) => `correlator.rules.instance.${id}`,
  instances: 'correlator.rules.instances',
} as const;

export interface RuleStatus {
  rule: RuleInfo;
  hits: number;
  last_hit: string | null;
}

export interface RuleStats {
  at: string;
  rules: RuleStatus[];
  report: LoadReport[];
  instance?: string;
}

type StateStore = { getState(key: string): Promise<string | null>; putState(key: string, value: string): Promise<void> };

const parse = (raw: string | null): RuleStats | null => {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as RuleStats;
    return v && Array.isArray(v.rules) ? v : null;
  } catch {
    return null;
  }
};

/** Adds up instances: hits summed per rule, the latest last hit, each rule as the newest record describes it, the newest load report. */
export function sumRuleStats(all: RuleStats[]): RuleStats | null {
  if (!all.length) return null;
  const newest = [...all].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const byId = new Map<string, RuleStatus>();
  for (const s of newest) {
    for (const r of s.rules) {
      if (!r?.rule?.id || typeof r.hits !== 'number') continue;
      const held = byId.get(r.rule.id);
      if (!held) byId.set(r.rule.id, { rule: r.rule, hits: r.hits, last_hit: r.last_hit ?? null });
      else {
        held.hits += r.hits;
        if (r.last_hit && (!held.last_hit || r.last_hit > held.last_hit)) held.last_hit = r.last_hit;
      }
    }
  }
  // the rules the newest instance has loaded first, in its order; rules only older instances had after them
  const order = newest[0].rules.map((r) => r.rule?.id).filter((id): id is string => !!id);
  const rest = [...byId.keys()].filter((id) => !order.includes(id));
  return { at: newest[0].at, rules: [...order, ...rest].map((id) => byId.get(id)!).filter(Boolean), report: newest[0].report ?? [] };
}

/** This instance's saved statistics; a data dir from before per-instance records (one correlator) gives the shared record once. */
export async function ownRuleStats(store: StateStore, instance: string): Promise<RuleStats | null> {
  const own = parse(await store.getState(RULE_STATS_KEYS.instance(instance)));
  if (own) return own;
  const ids = JSON.parse((await store.getState(RULE_STATS_KEYS.instances)) ?? '[]') as string[];
  return ids.length ? null : parse(await store.getState(RULES_STATE_KEY));
}

export async function saveRuleStats(store: StateStore, instance: string, stats: RuleStats): Promise<void> {
  await store.putState(RULE_STATS_KEYS.instance(instance), JSON.stringify({ ...stats, instance }));
  const ids = JSON.parse((await store.getState(RULE_STATS_KEYS.instances)) ?? '[]') as string[];
  if (!ids.includes(instance)) await store.putState(RULE_STATS_KEYS.instances, JSON.stringify([...ids, instance]));
  const all = (await Promise.all([...new Set([...ids, instance])].map((id) => store.getState(RULE_STATS_KEYS.instance(id))))).map(parse).filter((x): x is RuleStats => !!x);
  const sum = sumRuleStats(all);
  if (sum) await store.putState(RULES_STATE_KEY, JSON.stringify(sum));
}
