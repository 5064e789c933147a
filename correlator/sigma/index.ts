/**
 * The Sigma engine's public API: load rules (files, directories or text) into a Ruleset, then
 * evaluate events one at a time with an Evaluator that keeps correlation windows, or split the
 * work: Evaluator.match (stateless) emits arrivals that a WindowEvaluator feeds into windows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getPath } from '../../core/event';
import type { SigmaCorrelationModel, SigmaDocument, SigmaFilterModel, SigmaRuleModel, LogSource } from './model';
import { SigmaError } from './model';
import { parseYamlDocuments } from './yaml';
import { parseDocument } from './parse';
import { compileCondition, compileDetection, fieldGetter, FieldContext, FieldGetter, Pred } from './compile';
import { defaultMappingsDir, fieldMapFor, gateEntry, gatesFor, loadMapping, logsourceContains, Mapping } from './mapping';
import { EventView, eventTimeMs } from './event-view';
import { createWindows, MISSING_GROUP_BY, MISSING_VALUE, type Input, type InputOf, type WindowOptions } from './window-engine';
import { buildIndex, IndexEntry, RuleIndex } from './rule-index';

export interface LoadOptions {
  paths: string[];
  mappingsDir?: string;
  placeholders?: Record<string, string[]>;
}

export interface RuleInfo {
  id: string;
  title: string;
  level: string;
  status?: string;
  author?: string;
  description?: string;
  tags: string[];
  references: string[];
  falsepositives?: string[];
  path: string;
  kind: 'rule' | 'correlation' | 'filter';
  logsource?: { product?: string; category?: string; service?: string };
  enabled: boolean;
  /** the rule's `name`, which correlations and filters may reference */
  name?: string;
}

export interface LoadReport {
  path: string;
  ruleId?: string;
  title?: string;
  ok: boolean;
  error?: string;
  warnings: string[];
}

export interface Detection {
  rule: RuleInfo;
  kind: 'rule' | 'correlation';
  eventIds: string[];
  groupBy: Record<string, string> | null;
  timestamp: string;
  tenant?: string;
}

export interface Evaluator {
  /** Matches the event and feeds the correlation windows this evaluator keeps: both stages in one. */
  evaluate(event: Record<string, unknown>): Detection[];
  /** Matches the event only: single-rule detections, and the arrivals for a WindowEvaluator (windows here are untouched). */
  match(event: Record<string, unknown>): MatchResult;
  /** Judges the frames of quiet groups by the wall clock (upper-bounded and absence conditions) and drops idle groups. */
  tick(): Detection[];
  checkpoint(): unknown;
  restore(state: unknown): void;
  stats(): { groups: number; evictedGroups?: number; lateEntries?: number; missingGroupBy?: number; ruleErrors?: number };
}

/** @internal a compiled base rule */
export interface CompiledRule {
  info: RuleInfo;
  model: SigmaRuleModel;
  pred: Pred;
  gates: number[];
  emit: boolean;
  corrs: Array<{ corr: CompiledCorrelation; r: number }>;
  ctx: FieldContext;
}

/** @internal a compiled correlation rule */
export interface CompiledCorrelation {
  info: RuleInfo;
  model: SigmaCorrelationModel;
  key: string;
  emit: boolean;
  parents: Array<{ corr: CompiledCorrelation; r: number }>;
  groupGetters: FieldGetter[][]; // per referenced rule, per group-by field
  valueGetters: Array<FieldGetter | null>;
}

export interface Ruleset {
  rules: RuleInfo[];
  /** @internal */
  compiled: { base: CompiledRule[]; correlations: CompiledCorrelation[]; gates: Pred[]; index: RuleIndex; mapping: Mapping };
}

interface Source {
  path: string;
  text: string;
}

function listRuleFiles(p: string, out: string[]): void {
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) {
      if (name.startsWith('.')) continue;
      const full = path.join(p, name);
      const s = fs.statSync(full);
      if (s.isDirectory()) listRuleFiles(full, out);
      else if (/\.ya?ml$/i.test(name)) out.push(full);
    }
  } else out.push(p);
}

const DEFAULT_PLACEHOLDERS_FILE = (): string => path.resolve(defaultMappingsDir(), '..', 'placeholders.yml');

function loadPlaceholderFile(file: string): Record<string, string[]> {
  if (!fs.existsSync(file)) return {};
  const d = parseYamlDocuments(fs.readFileSync(file, 'utf8'))[0];
  if (!d || d.error) throw new SigmaError(`${file}:${d?.error?.line ?? 1}: ${d?.error?.message ?? 'empty'}`);
  const out: Record<string, string[]> = {};
  const o = (d.value ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === undefined) continue;
    out[k] = (Array.isArray(v) ? v : [v]).map(String);
  }
  return out;
}

export function loadRules(opts: LoadOptions): { ruleset: Ruleset; report: LoadReport[] } {
  const sources: Source[] = [];
  const report: LoadReport[] = [];
  for (const p of opts.paths) {
    const files: string[] = [];
    try {
      listRuleFiles(p, files);
    } catch (e) {
      report.push({ path: p, ok: false, error: `${p}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, warnings: [] });
      continue;
    }
    for (const f of files) {
      try {
        sources.push({ path: f, text: fs.readFileSync(f, 'utf8') });
      } catch (e) {
        report.push({ path: f, ok: false, error: `${f}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, warnings: [] });
      }
    }
  }
  const res = build(sources, opts);
  return { ruleset: res.ruleset, report: [...report, ...res.report] };
}

export function loadRulesFromText(yamlText: string, sourceName: string, opts?: Partial<LoadOptions>): { ruleset: Ruleset; report: LoadReport[] } {
  return build([{ path: sourceName, text: yamlText }], { paths: [], ...opts });
}

function infoOf(m: SigmaDocument): RuleInfo {
  return {
    id: m.id ?? m.name ?? `${m.path}:${m.line}`,
    title: m.title,
    level: m.level ?? (m.kind === 'filter' ? '' : 'medium'),
    status: m.status,
    author: m.author,
    description: m.description,
    tags: m.tags,
    references: m.references,
    falsepositives: m.falsepositives,
    path: m.path,
    kind: m.kind,
    logsource: m.kind === 'correlation' ? undefined : m.logsource,
    enabled: true,
    name: m.name,
  };
}

const where = (p: string, line: number | undefined): string => `${p}:${line ?? 1}`;

function build(sources: Source[], opts: LoadOptions): { ruleset: Ruleset; report: LoadReport[] } {
  const report: LoadReport[] = [];
  const mapping = loadMapping(opts.mappingsDir ?? defaultMappingsDir());
  let placeholders: Record<string, string[]> = {};
  try {
    placeholders = { ...loadPlaceholderFile(opts.mappingsDir ? path.resolve(opts.mappingsDir, '..', 'placeholders.yml') : DEFAULT_PLACEHOLDERS_FILE()), ...(opts.placeholders ?? {}) };
  } catch (e) {
    report.push({ path: 'placeholders', ok: false, error: (e as Error).message, warnings: [] });
    placeholders = { ...(opts.placeholders ?? {}) };
  }

  // 1. parse every document; a broken one gets its own report and the rest go on
  const docs: Array<{ m: SigmaDocument; rep: LoadReport }> = [];
  for (const src of sources) {
    let ydocs;
    try {
      ydocs = parseYamlDocuments(src.text);
    } catch (e) {
      report.push({ path: src.path, ok: false, error: `${src.path}:1: YAML cannot be read: ${(e as Error).message}`, warnings: [] });
      continue;
    }
    if (ydocs.length === 0) report.push({ path: src.path, ok: false, error: `${src.path}:1: no YAML document in the file`, warnings: [] });
    for (const yd of ydocs) {
      if (yd.error) {
        report.push({ path: src.path, ok: false, error: `${where(src.path, yd.error.line)}: YAML error: ${yd.error.message}`, warnings: [] });
        continue;
      }
      try {
        const m = parseDocument(yd, src.path);
        const rep: LoadReport = { path: src.path, ruleId: m.id ?? m.name, title: m.title, ok: true, warnings: [...m.warnings] };
        docs.push({ m, rep });
        report.push(rep);
      } catch (e) {
        const o = yd.value as Record<string, unknown> | null;
        const title = o && typeof o === 'object' && typeof o.title === 'string' ? o.title : undefined;
        const id = o && typeof o === 'object' && o.id !== undefined ? String(o.id) : undefined;
        const line = e instanceof SigmaError ? e.line : undefined;
        report.push({ path: src.path, ruleId: id, title, ok: false, error: `${where(src.path, line ?? yd.line)}: ${(e as Error).message}`, warnings: [] });
      }
    }
  }

  // 2. duplicate ids/names: the later one is rejected
  const byRef = new Map<string, { m: SigmaDocument; rep: LoadReport }>();
  const alive: Array<{ m: SigmaDocument; rep: LoadReport }> = [];
  for (const d of docs) {
    const refs = [d.m.id, d.m.name].filter((x): x is string => !!x);
    const dup = refs.find((r) => byRef.has(r));
    if (dup) {
      d.rep.ok = false;
      d.rep.error = `${where(d.m.path, d.m.line)}: id or name '${dup}' is already used by ${byRef.get(dup)!.m.path}`;
      continue;
    }
    refs.forEach((r) => byRef.set(r, d));
    alive.push(d);
  }

  // 3. compile base rules
  const base: CompiledRule[] = [];
  const baseByDoc = new Map<SigmaDocument, CompiledRule>();
  for (const d of alive) {
    if (d.m.kind !== 'rule') continue;
    const m = d.m;
    const info = infoOf(m);
    const fm = fieldMapFor(mapping, m.logsource);
    const ctx: FieldContext = { key: fm.key, map: fm.map, placeholders };
    const missing = m.placeholders.filter((p) => !placeholders[p] || placeholders[p].length === 0);
    try {
      let pred: Pred;
      if (missing.length) {
        info.enabled = false;
        d.rep.warnings.push(`placeholder ${missing.map((p) => `%${p}%`).join(', ')} has no configured value (set it in rules/placeholders.yml); the rule is loaded disabled`);
        pred = () => false;
      } else {
        const preds = new Map<string, Pred>();
        for (const [name, det] of m.detections) preds.set(name, compileDetection(det, ctx));
        const conds = m.conditions.map((c) => compileCondition(c, preds));
        pred = conds.length === 1 ? conds[0] : (v) => conds.some((c) => c(v));
      }
      const cr: CompiledRule = { info, model: m, pred, gates: gatesFor(mapping, m.logsource), emit: true, corrs: [], ctx };
      base.push(cr);
      baseByDoc.set(m, cr);
    } catch (e) {
      d.rep.ok = false;
      d.rep.error = `${where(m.path, e instanceof SigmaError && e.line ? e.line : m.line)}: ${(e as Error).message}`;
    }
  }

  // 4. filters: AND their condition onto the rules they name (never onto correlations)
  const filterInfos: RuleInfo[] = [];
  for (const d of alive) {
    if (d.m.kind !== 'filter') continue;
    const f = d.m as SigmaFilterModel;
    const targets = base.filter((r) => logsourceContains(f.logsource, r.model.logsource) && (f.rules === 'any' || f.rules.some((x) => x === r.model.id || x === r.model.name)));
    if (f.rules !== 'any') {
      const unknown = f.rules.filter((x) => !byRef.has(x));
      if (unknown.length) d.rep.warnings.push(`filter names rules that are not loaded: ${unknown.join(', ')}`);
    }
    try {
      for (const r of targets) {
        const preds = new Map<string, Pred>();
        for (const [name, det] of f.detections) preds.set(name, compileDetection(det, r.ctx));
        const fp = compileCondition(f.condition, preds);
        const orig = r.pred;
        r.pred = (v) => orig(v) && fp(v);
      }
      filterInfos.push(infoOf(f));
    } catch (e) {
      d.rep.ok = false;
      d.rep.error = `${where(f.path, e instanceof SigmaError && e.line ? e.line : f.line)}: ${(e as Error).message}`;
    }
  }

  // 5. correlations: resolve references (by id or name), reject unknown refs and cycles
  const corrs: CompiledCorrelation[] = [];
  const corrByDoc = new Map<SigmaDocument, CompiledCorrelation>();
  const corrDocs = alive.filter((d) => d.m.kind === 'correlation') as Array<{ m: SigmaCorrelationModel; rep: LoadReport }>;
  const state = new Map<SigmaCorrelationModel, 'visiting' | 'ok' | string>();
  const resolve = (c: SigmaCorrelationModel): string | undefined => {
    const s = state.get(c);
    if (s === 'visiting') return `correlation '${c.title}' is part of a reference cycle`;
    if (s === 'ok') return undefined;
    if (s !== undefined) return s;
    state.set(c, 'visiting');
    for (const ref of c.rules) {
      const t = byRef.get(ref);
      if (!t) return fail(c, `references rule '${ref}', which is not loaded (no rule has this id or name)`);
      if (t.m.kind === 'filter') return fail(c, `references '${ref}', which is a filter, not a rule`);
      if (t.m.kind === 'rule' && !baseByDoc.has(t.m)) return fail(c, `references rule '${ref}', which did not load: ${t.rep.error ?? ''}`);
      if (t.m.kind === 'correlation') {
        const err = resolve(t.m);
        if (err) return fail(c, `references correlation '${ref}', which did not load: ${err}`);
      }
    }
    state.set(c, 'ok');
    return undefined;
  };
  const fail = (c: SigmaCorrelationModel, msg: string): string => {
    state.set(c, msg);
    return msg;
  };
  for (const d of corrDocs) {
    const err = resolve(d.m);
    if (err) {
      d.rep.ok = false;
      d.rep.error = `${where(d.m.path, d.m.line)}: ${err}`;
    }
  }
  // the field context of a referenced rule (a correlation uses the first base rule it reaches)
  const ctxOf = (ref: string): FieldContext => {
    const t = byRef.get(ref)!;
    if (t.m.kind === 'rule') return baseByDoc.get(t.m)!.ctx;
    return ctxOf((t.m as SigmaCorrelationModel).rules[0]);
  };
  for (const d of corrDocs) {
    if (state.get(d.m) !== 'ok') continue;
    const m = d.m;
    const info = infoOf(m);
    const groupGetters = m.rules.map((ref) => {
      const ctx = ctxOf(ref);
      const t = byRef.get(ref)!.m;
      return m.groupBy.map((g) => {
        const alias = m.aliases[g];
        const field = alias ? (alias[ref] ?? (t.name ? alias[t.name] : undefined) ?? (t.id ? alias[t.id] : undefined) ?? g) : g;
        return fieldGetter(ctx, field);
      });
    });
    const valueGetters = m.rules.map((ref) => (m.field ? fieldGetter(ctxOf(ref), m.field) : null));
    const cc: CompiledCorrelation = { info, model: m, key: m.id ?? m.name ?? `${m.path}#${m.title}`, emit: true, parents: [], groupGetters, valueGetters };
    corrs.push(cc);
    corrByDoc.set(m, cc);
  }
  for (const cc of corrs) {
    cc.model.rules.forEach((ref, r) => {
      const t = byRef.get(ref)!.m;
      const target = t.kind === 'rule' ? baseByDoc.get(t) : corrByDoc.get(t as SigmaCorrelationModel);
      if (!target) return;
      if ('corrs' in target) target.corrs.push({ corr: cc, r });
      else target.parents.push({ corr: cc, r });
    });
  }
  // referenced rules emit only if some correlation that references them says generate: true
  for (const r of base) if (r.corrs.length) r.emit = r.corrs.some((x) => x.corr.model.generate);
  for (const c of corrs) if (c.parents.length) c.emit = c.parents.some((x) => x.corr.model.generate);

  const gates = mapping.gates.map((g) => g.pred);
  // gates are indexed like rules (after them, in one index), so an event only evaluates the gates it could pass
  const index = buildIndex([...base.map(ruleEntry), ...mapping.gates.map((g) => gateEntry(mapping, g))], true, mapping.rawContainers);
  const rules: RuleInfo[] = [...base.map((b) => b.info), ...corrs.map((c) => c.info), ...filterInfos];
  return { ruleset: { rules, compiled: { base, correlations: corrs, gates, index, mapping } }, report };
}

/** A base rule as the rule index sees it; its keyword literals are scanned only for events passing its first gate. */
function ruleEntry(r: CompiledRule): IndexEntry {
  return { enabled: r.info.enabled, detections: r.model.detections, conditions: r.model.conditions, map: r.ctx.map, placeholders: r.ctx.placeholders, keywordGate: r.gates[0] ?? -1 };
}

function tenantOf(doc: Record<string, unknown>): string {
  const t = getPath(doc, 'organization.id');
  return typeof t === 'string' ? t : t === undefined || t === null ? '' : String(t);
}

function eventIdOf(doc: Record<string, unknown>): string {
  const e = doc.event;
  const id = e && typeof e === 'object' ? (e as Record<string, unknown>).id : undefined;
  if (typeof id === 'string' || typeof id === 'number') return String(id);
  const top = doc.id ?? doc._id;
  return typeof top === 'string' || typeof top === 'number' ? String(top) : '';
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
  tick(): Detection[];
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
  const { base, gates } = ruleset.compiled;
  const naive = opts?.useIndex === false;
  const index = naive ? buildIndex(base.map(ruleEntry), false) : ruleset.compiled.index;
  const nBase = base.length;
  const rawContainers = ruleset.compiled.mapping.rawContainers;
  const w = createWindows(ruleset, opts);
  let evaluated = 0;
  const gateCache = new Int8Array(gates.length);
  let curView: EventView | null = null; // the event being evaluated, for the two callbacks below
  const possibleGates = (found: ArrayLike<number>): void => {
    for (let i = 0; i < found.length; i++) if (found[i] >= nBase) gateCache[found[i] - nBase] = 0;
  };
  const passes = (gi: number): boolean => {
    let g = gateCache[gi];
    if (g === 0) {
      let ok = false;
      try {
        ok = gates[gi](curView!);
      } catch {
        ok = false;
      }
      g = ok ? 1 : 2;
      gateCache[gi] = g;
    }
    return g === 1;
  };

  interface Scan {
    view: EventView;
    out: Detection[];
    t: number;
    tenant: string;
    ids: string;
    arrivals: Map<CompiledCorrelation, number[]> | null;
  }
  /** Matches the base rules: single-rule detections, and which correlations the event arrives at. */
  const scan = (event: Record<string, unknown>): Scan | null => {
    if (event === null || typeof event !== 'object') return null;
    let view: EventView;
    try {
      view = new EventView(event, rawContainers);
    } catch {
      w.ruleErrors++;
      return null;
    }
    // naive: every gate is unknown; indexed: only gates the index found possible are (the rest are false)
    gateCache.fill(naive ? 0 : 2);
    curView = view;
    const s: Scan = { view, out: [], t: NaN, tenant: '', ids: '', arrivals: null };
    const candidates = index.candidates(view, passes, possibleGates);
    for (let i = 0; i < candidates.length; i++) {
      if (candidates[i] >= nBase) break; // gates sort after rules
      const r = base[candidates[i]];
      let ok = true;
      for (const gi of r.gates)
        if (!passes(gi)) {
          ok = false;
          break;
        }
      if (!ok) continue;
      let hit = false;
      try {
        hit = r.pred(view);
      } catch {
        // a rule must never take the pipeline down: count it and go on
        w.ruleErrors++;
      }
      if (!hit) continue;
      if (Number.isNaN(s.t)) {
        s.t = eventTimeMs(event, view);
        if (Number.isNaN(s.t)) s.t = Date.now();
        s.tenant = tenantOf(event);
        s.ids = eventIdOf(event);
      }
      if (r.emit) s.out.push({ rule: r.info, kind: 'rule', eventIds: s.ids ? [s.ids] : [], groupBy: null, timestamp: new Date(s.t).toISOString(), tenant: s.tenant || undefined });
      for (const { corr, r: ri } of r.corrs) {
        s.arrivals ??= new Map();
        const list = s.arrivals.get(corr);
        if (list) list.push(ri);
        else s.arrivals.set(corr, [ri]);
      }
    }
    return s;
  };

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
    tick() {
      const out: Detection[] = [];
      w.sweep(out);
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
    tick() {
      const out: Detection[] = [];
      w.sweep(out);
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
