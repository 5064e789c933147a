/** Test fixture for correlation rules: base rules, an evaluator on a clock the test moves, hand-written event streams. */
import { loadRulesFromText, createEvaluator, Evaluator, Detection, EvaluatorOptions } from './index';

export const T0 = Date.UTC(2026, 10, 28, 1, 0, 0);
export const T = (sec: number): string => new Date(T0 + sec * 1000).toISOString();

export const BASE = `---
title: login failed
name: failed
logsource: {category: test}
detection:
  sel: {action: fail}
  condition: sel
---
title: login ok
name: ok
logsource: {category: test}
detection:
  sel: {action: ok}
  condition: sel
---
title: recon
name: recon
logsource: {category: test}
detection:
  sel: {action: recon}
  condition: sel
---
title: mfa passed
name: mfa
logsource: {category: test}
detection:
  sel: {action: mfa}
  condition: sel
`;

/** A wall clock the test moves by hand. */
export interface Clock {
  now: number;
}

export function evaluator(corr: string, opts?: EvaluatorOptions, clock: Clock = { now: T0 }): Evaluator {
  const { ruleset, report } = loadRulesFromText(corr + BASE, 'c.yml');
  const bad = report.filter((r) => !r.ok);
  if (bad.length) throw new Error(bad.map((b) => b.error).join('\n'));
  return createEvaluator(ruleset, { now: () => clock.now, ...opts });
}

export type E = { s: number; action: string; user?: string; ip?: string; dst?: string; bytes?: number; tenant?: string; id?: string };
export const mk = (e: E): Record<string, unknown> => ({
  '@timestamp': T(e.s),
  event: { id: e.id ?? `${e.action}-${e.s}` },
  action: e.action,
  user: e.user,
  ip: e.ip,
  dst: e.dst,
  bytes: e.bytes,
  organization: { id: e.tenant ?? 'org1' },
});

/** Indices of events where the correlation fired, with the detection. */
export function feed(ev: Evaluator, events: E[]): Array<[number, Detection]> {
  const out: Array<[number, Detection]> = [];
  events.forEach((e, i) => ev.evaluate(mk(e)).forEach((d) => out.push([i, d])));
  return out;
}

/** Feeds the events, then lets a day of wall-clock time pass (frames close); detections at the close have index -1. */
export function feedAndClose(ev: Evaluator, events: E[], clock: Clock): Array<[number, Detection]> {
  const out = feed(ev, events);
  clock.now += 86_400_000;
  for (const d of ev.tick()) out.push([-1, d]);
  return out;
}

export const corr = (type: string, rules: string[], extra: string, groupBy = '[user]', timespan = '10m'): string =>
  `title: C\nid: c0000000-0000-0000-0000-000000000001\ncorrelation:\n  type: ${type}\n  rules: [${rules.join(', ')}]\n  group-by: ${groupBy}\n  timespan: ${timespan}\n${extra}level: high\n`;
