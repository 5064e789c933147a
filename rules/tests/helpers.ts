/** Helpers for starter-pack rule tests: load the shipped rules once, feed events, list what fired. */
import * as path from 'node:path';
import { loadRules, createEvaluator, Evaluator, Ruleset } from '../../correlator/sigma/index';

let cached: Ruleset | null = null;

export function shippedRules(): Ruleset {
  if (cached) return cached;
  const { ruleset, report } = loadRules({ paths: [path.resolve(__dirname, '..', 'sigma')] });
  const bad = report.filter((r) => !r.ok);
  if (bad.length) throw new Error('shipped rules failed to load:\n' + bad.map((b) => b.error).join('\n'));
  cached = ruleset;
  return ruleset;
}

/** Feeds events in order; returns the titles that fired, as "index:title". */
export function run(events: Array<Record<string, unknown>>, ev: Evaluator = createEvaluator(shippedRules())): string[] {
  const out: string[] = [];
  events.forEach((e, i) => {
    for (const d of ev.evaluate(e)) out.push(`${i}:${d.rule.title}`);
  });
  return out;
}

export const iso = (base: string, plusSec: number): string => new Date(Date.parse(base) + plusSec * 1000).toISOString();
