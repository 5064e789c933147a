/**
 * The Sigma engine's public API: load rules (files, directories or text) into a Ruleset, then
 * evaluate events one at a time with an Evaluator that keeps correlation windows, or split the
 * work: Evaluator.match (stateless) emits arrivals that a WindowEvaluator feeds into windows.
 */
import type { SigmaCorrelationModel, LogSource } from './model';
import { defaultMappingsDir, loadMapping } from './mapping';
import type { EventView } from './event-view';
import { createWindows, MISSING_GROUP_BY, MISSING_VALUE, type Input, type InputOf, type WindowOptions } from './window-engine';
import { createMatchEngine } from './match-engine';
import { collect, readRuleFiles, resolveCorrelations } from './collection';
import { applyFilters, buildRuleIndex, compileCorrelations, compileRules, loadPlaceholders } from './pipeline';
import type { CompiledCorrelation, Detection, LoadOptions, LoadReport, RuleInfo, Ruleset, Source } from './ruleset';

export type { CompiledCorrelation, CompiledRule, Detection, LoadOptions, LoadReport, RuleInfo, Ruleset } from './ruleset';

export function loadRules(opts: LoadOptions): { ruleset: Ruleset; report: LoadReport[] } {
  const { sources, report } = readRuleFiles(opts.paths);
  const res = build(sources, opts);
  return { ruleset: res.ruleset, report: [...report, ...res.report] };
}

export function loadRulesFromText(yamlText: string, sourceName: string, opts?: Partial<LoadOptions>): { ruleset: Ruleset; report: LoadReport[] } {
  return build([{ path: sourceName, text: yamlText }], { paths: [], ...opts });
}

export interface Evaluator {
  /** Matches the event and feeds the correlation windows this evaluator keeps: both stages in one. */
  evaluate(event: Record<string, unknown>): Detection[];
  /** Matches the event only: single-rule detections, and the arrivals for a WindowEvaluator (windows here are untouched). */
  match(event: Record<string, unknown>): MatchResult;
  /** Judges the frames of quiet groups by the wall clock (upper-bounded and absence conditions) and drops idle groups. */
  /** now: the wall clock to judge by (default the evaluator's clock); Infinity at the end of the input judges every open frame. */
  tick(now?: number): Detection[];
  checkpoint(): unknown;
  restore(state: unknown): void;
  stats(): { groups: number; evictedGroups?: number; lateEntries?: number; missingGroupBy?: number; ruleErrors?: number };
}

/** Collection, then pipeline, then the index: the stages pySigma keeps apart. */
function build(sources: Source[], opts: LoadOptions): { ruleset: Ruleset; report: LoadReport[] } {
  const report: LoadReport[] = [];
  const mapping = loadMapping(opts.mappingsDir ?? defaultMappingsDir());
  const placeholders = loadPlaceholders(opts, report);
  const { alive, byRef } = collect(sources, report);
  const { base, baseByDoc } = compileRules(alive, mapping, placeholders);
  const filterInfos = applyFilters(alive, base, byRef);
  const corrDocs = alive.filter((d) => d.m.kind === 'correlation') as Array<{ m: SigmaCorrelationModel; rep: LoadReport }>;
  const ok = resolveCorrelations(corrDocs, byRef, (m) => m.kind === 'rule' && baseByDoc.has(m));
  const corrs = compileCorrelations(corrDocs, ok, byRef, base, baseByDoc);
  const gates = mapping.gates.map((g) => g.pred);
  const index = buildRuleIndex(base, mapping);
  const rules: RuleInfo[] = [...base.map((b) => b.info), ...corrs.map((c) => c.info), ...filterInfos];
  return { ruleset: { rules, compiled: { base, correlations: corrs, gates, index, mapping } }, report };
}

function groupKeyOf(c: CompiledCorrelation, groupBy: Record<string, string> | null): string {
  return c.model.groupBy.length && groupBy ? '\u0001' + c.model.groupBy.map((g) => groupBy[g]).join('\u0001') : '';
}

function readInput(c: CompiledCorrelation, r: number, view: EventView): Input {
  let groupBy: Record<string, string> | null = null;
  if (c.model.groupBy.length) {
    groupBy = {};
    const getters = c.groupGetters[r];
    for (let i = 0; i < getters.length; i++) {
      const f = getters[i](view);
      if (!f.strs.length) return MISSING_GROUP_BY;
      groupBy[c.model.groupBy[i]] = f.strs.join(',');
    }
  }
  const vg = c.valueGetters[r];
  let v: string | number | null | undefined;
  if (vg) {
    const f = vg(view);
    if (!f.strs.length) return MISSING_VALUE; // a value_* correlation counts only events that have the field
    v = typeof f.raw === 'number' ? f.raw : f.strs[0];
  }
  return { skip: 0, groupBy, key: groupKeyOf(c, groupBy), v };
}

/**
 * What one event brings to one correlation window, as the matching stage publishes it on the
 * `correlation` topic for the window stage (JSON). One arrival per (correlation, group-by values).
 */
export interface Arrival {
  corr: string; // the correlation's id (else its name)
  /** partition key: tenant, correlation and group-by values (of the outermost correlation of a chain) */
  route: string;
  tenant: string;
  groupBy: Record<string, string> | null;
  t: number; // event time, ms
  id: string; // event id
  entries: Array<{ r: number; v?: string | number | null }>; // referenced rules that matched (index in `rules`), with the value_* field value
  /** for correlations of correlations: what this event brings to each correlation above, by `<corr>#<r>` */
  chain?: Record<string, ChainInput>;
}

export interface ChainInput {
  groupBy: Record<string, string> | null;
  v?: string | number | null;
  skip?: 1 | 2; // 1: a group-by field is missing, 2: the value_* field is missing
}

export interface MatchResult {
  /** detections of single rules (correlations fire only where arrivals are fed into windows) */
  detections: Detection[];
  arrivals: Arrival[];
}

export interface WindowEvaluator {
  /** Feeds one arrival into its correlation window; returns the correlations that fired (chains included). */
  feed(arrival: Omit<Arrival, 'route'> & { route?: string }): Detection[];
  /** Judges the frames of quiet groups by the wall clock (upper-bounded and absence conditions) and drops idle groups. */
  /** now: the wall clock to judge by (default the evaluator's clock); Infinity at the end of the input judges every open frame. */
  tick(now?: number): Detection[];
  checkpoint(): unknown;
  restore(state: unknown): void;
  stats(): { groups: number; evictedGroups: number; lateEntries: number; ruleErrors: number; unknownCorrelations: number; rejectedArrivals: number };
}

export interface EvaluatorOptions extends WindowOptions {
  /** false: try every rule on every event (the naive peer in bench/sigma) */
  useIndex?: boolean;
}

/** The chain of correlations above `c` through their first parent, outermost last. */
function chainOf(c: CompiledCorrelation): Array<{ corr: CompiledCorrelation; r: number }> {
  const path: Array<{ corr: CompiledCorrelation; r: number }> = [];
  let cur = c;
  while (cur.parents.length) {
    const p = cur.parents[0];
    path.push(p);
    cur = p.corr;
  }
  return path;
}

function routeOf(tenant: string, corr: string, c: CompiledCorrelation, groupBy: Record<string, string> | null): string {
  return JSON.stringify([tenant, corr, ...(groupBy ? c.model.groupBy.map((g) => groupBy[g]) : [])]);
}

export function createEvaluator(ruleset: Ruleset, opts?: EvaluatorOptions): Evaluator {
  const naive = opts?.useIndex === false;
  const w = createWindows(ruleset, opts);
  let evaluated = 0;
  const scan = createMatchEngine(ruleset, naive, w);

  /** What this event brings to every correlation above `c` (they are fed where `c` fires). */
  const chainInputs = (c: CompiledCorrelation, view: EventView, into: Record<string, ChainInput>): Record<string, ChainInput> => {
    for (const p of c.parents) {
      const k = `${p.corr.key}#${p.r}`;
      if (k in into) continue;
      const inp = readInput(p.corr, p.r, view);
      into[k] = inp.skip ? { groupBy: null, skip: inp.skip } : inp.v === undefined ? { groupBy: inp.groupBy } : { groupBy: inp.groupBy, v: inp.v };
      chainInputs(p.corr, view, into);
    }
    return into;
  };
  const chains = new Map<CompiledCorrelation, Array<{ corr: CompiledCorrelation; r: number }>>();
  for (const c of ruleset.compiled.correlations) chains.set(c, chainOf(c));

  return {
    evaluate(event) {
      const s = scan(event);
      if (!s) return [];
      if (s.arrivals) {
        const view = s.view;
        const inputOf: InputOf = (c, r) => readInput(c, r, view);
        const u = ++w.seq;
        for (const [c, rs] of s.arrivals) {
          try {
            w.feed(c, rs, inputOf, s.t, s.tenant, s.ids, u, s.out);
          } catch {
            // a correlation must never take the pipeline down either: count it and go on
            w.ruleErrors++;
          }
        }
      }
      if (++evaluated % 4096 === 0) w.sweep(s.out);
      return s.out;
    },
    match(event) {
      const s = scan(event);
      if (!s) return { detections: [], arrivals: [] };
      const arrivals: Arrival[] = [];
      if (s.arrivals) {
        for (const [c, rs] of s.arrivals) {
          try {
            const byKey = new Map<string, Arrival>();
            for (const r of rs) {
              const inp = readInput(c, r, s.view);
              if (inp.skip === 2) continue;
              if (inp.skip === 1) {
                w.missingGroupBy++;
                continue;
              }
              let a = byKey.get(inp.key);
              if (!a) {
                a = { corr: c.key, route: '', tenant: s.tenant, groupBy: inp.groupBy, t: s.t, id: s.ids, entries: [] };
                byKey.set(inp.key, a);
              }
              a.entries.push(inp.v === undefined ? { r } : { r, v: inp.v });
            }
            if (!byKey.size) continue;
            const chain = c.parents.length ? chainInputs(c, s.view, {}) : undefined;
            // a chain's windows live together: route by the outermost correlation's group-by when the event has it
            const path = chains.get(c)!;
            const root = path.length ? path[path.length - 1] : null;
            const rootIn = root ? chain![`${root.corr.key}#${root.r}`] : undefined;
            for (const a of byKey.values()) {
              if (chain) a.chain = chain;
              a.route = root && rootIn && rootIn.skip !== 1 ? routeOf(s.tenant, root.corr.key, root.corr, rootIn.groupBy) : routeOf(s.tenant, c.key, c, a.groupBy);
              arrivals.push(a);
            }
          } catch {
            w.ruleErrors++;
          }
        }
      }
      return { detections: s.out, arrivals };
    },
    tick(now?: number) {
      const out: Detection[] = [];
      w.sweep(out, now);
      return out;
    },
    checkpoint: () => w.checkpoint(),
    restore: (state) => w.restore(state),
    stats() {
      return { groups: w.groups(), evictedGroups: w.evicted, lateEntries: w.late, missingGroupBy: w.missingGroupBy, ruleErrors: w.ruleErrors };
    },
  };
}

const isValue = (v: unknown): boolean => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const isStringMap = (o: unknown): boolean => !!o && typeof o === 'object' && !Array.isArray(o) && Object.values(o).every((x) => typeof x === 'string');

/** Why `x` is not an arrival (the field at fault), or null when it is one. */
export function checkArrival(x: unknown): string | null {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return 'not an object';
  const a = x as Record<string, unknown>;
  if (typeof a.corr !== 'string' || !a.corr) return 'corr: expected the correlation id';
  if (typeof a.tenant !== 'string') return 'tenant: expected a string';
  if (a.groupBy !== null && !isStringMap(a.groupBy)) return 'groupBy: expected null or an object of strings';
  if (typeof a.t !== 'number' || !Number.isFinite(a.t)) return 't: expected the event time in ms';
  if (typeof a.id !== 'string') return 'id: expected the event id';
  if (!Array.isArray(a.entries) || !a.entries.length) return 'entries: expected a non-empty array';
  for (const e of a.entries as unknown[]) {
    const o = e as Record<string, unknown> | null;
    if (!o || typeof o !== 'object' || !Number.isInteger(o.r) || (o.r as number) < 0) return 'entries: each needs r, the index of a referenced rule';
    if (o.v !== undefined && !isValue(o.v)) return 'entries: v must be a string, a number or null';
  }
  if (a.chain !== undefined) {
    if (!a.chain || typeof a.chain !== 'object' || Array.isArray(a.chain)) return 'chain: expected an object';
    for (const c of Object.values(a.chain)) {
      const o = c as Record<string, unknown> | null;
      if (!o || typeof o !== 'object' || (o.groupBy !== null && !isStringMap(o.groupBy)) || (o.v !== undefined && !isValue(o.v))) return 'chain: each needs groupBy (null or strings) and an optional value';
    }
  }
  return null;
}

/**
 * The window stage: correlation windows fed by arrivals (see Evaluator.match), with no rule
 * matching. Correlations of correlations are fed here too, from the arrival's `chain`.
 */
export function createWindowEvaluator(ruleset: Ruleset, opts?: Omit<EvaluatorOptions, 'useIndex'>): WindowEvaluator {
  const w = createWindows(ruleset, opts);
  const byKey = new Map<string, CompiledCorrelation>(ruleset.compiled.correlations.map((c) => [c.key, c]));
  let fed = 0;
  let unknown = 0;
  let rejected = 0;
  return {
    feed(arrival) {
      const out: Detection[] = [];
      if (checkArrival(arrival) !== null) {
        rejected++;
        return out;
      }
      const c = byKey.get(arrival.corr);
      if (!c) {
        unknown++; // published by a correlator with other rules loaded
        return out;
      }
      if (arrival.entries.some((e) => e.r >= c.model.rules.length) || (c.model.groupBy.length && !c.model.groupBy.every((g) => typeof arrival.groupBy?.[g] === 'string'))) {
        rejected++;
        return out;
      }
      const own: Input = { skip: 0, groupBy: c.model.groupBy.length ? arrival.groupBy : null, key: groupKeyOf(c, arrival.groupBy), v: undefined };
      const values = new Map(arrival.entries.map((e) => [e.r, e.v]));
      const inputOf: InputOf = (cc, r) => {
        if (cc === c) return values.has(r) ? { ...own, v: values.get(r) } : undefined;
        const ci = arrival.chain?.[`${cc.key}#${r}`];
        if (!ci) return undefined;
        if (ci.skip === 1) return MISSING_GROUP_BY;
        if (ci.skip === 2) return MISSING_VALUE;
        const groupBy = cc.model.groupBy.length ? ci.groupBy : null;
        if (cc.model.groupBy.length && !cc.model.groupBy.every((g) => typeof groupBy?.[g] === 'string')) return MISSING_GROUP_BY;
        return { skip: 0, groupBy, key: groupKeyOf(cc, groupBy), v: ci.v };
      };
      try {
        w.feed(c, arrival.entries.map((e) => e.r), inputOf, arrival.t, arrival.tenant, arrival.id, ++w.seq, out);
      } catch {
        w.ruleErrors++;
      }
      if (++fed % 4096 === 0) w.sweep(out);
      return out;
    },
    tick(now?: number) {
      const out: Detection[] = [];
      w.sweep(out, now);
      return out;
    },
    checkpoint: () => w.checkpoint(),
    restore: (state) => w.restore(state),
    stats() {
      return { groups: w.groups(), evictedGroups: w.evicted, lateEntries: w.late, ruleErrors: w.ruleErrors, unknownCorrelations: unknown, rejectedArrivals: rejected };
    },
  };
}

export type { LogSource };
