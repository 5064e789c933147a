/**
 * The Sigma engine's public API: load rules (files, directories or text) into a Ruleset, then
 * evaluate events one at a time with an Evaluator that keeps correlation windows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getPath } from '../../core/event';
import type { SigmaCorrelationModel, SigmaDocument, SigmaFilterModel, SigmaRuleModel, LogSource } from './model';
import { SigmaError } from './model';
import { parseYamlDocuments } from './yaml';
import { parseDocument } from './parse';
import { compileCondition, compileDetection, fieldGetter, FieldContext, FieldGetter, Pred } from './compile';
import { defaultMappingsDir, fieldMapFor, gateFieldMap, gatesFor, loadMapping, logsourceContains, Mapping } from './mapping';
import { EventView, eventTimeMs } from './event-view';
import { addAndCheck, clear, compact, Entry, Group, lastTime, MAX_ENTRIES_PER_GROUP, windowIds } from './window';
import { buildIndex, RuleIndex } from './rule-index';

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
  evaluate(event: Record<string, unknown>): Detection[];
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
  const gateRules = mapping.gates.map((g, i) => ({
    info: { enabled: true } as RuleInfo,
    model: { detections: new Map(g.det ? [['match', g.det]] : []), conditions: g.det ? [{ k: 'id', name: 'match' }] : [{ k: 'const', v: true }] } as unknown as SigmaRuleModel,
    pred: gates[i],
    gates: [],
    emit: false,
    corrs: [],
    ctx: { key: 'gate', map: gateFieldMap(mapping), placeholders: {} },
  })) as CompiledRule[];
  const index = buildIndex([...base, ...gateRules], true, mapping.rawContainers);
  const rules: RuleInfo[] = [...base.map((b) => b.info), ...corrs.map((c) => c.info), ...filterInfos];
  return { ruleset: { rules, compiled: { base, correlations: corrs, gates, index, mapping } }, report };
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

interface CorrState {
  groups: Map<string, Group>;
  maxT: number;
}

export function createEvaluator(
  ruleset: Ruleset,
  opts?: {
    maxGroupsPerRule?: number;
    /** entries one correlation window keeps (default 10,000); the oldest go first */
    maxEntriesPerGroup?: number;
    /** false: try every rule on every event (the naive peer in bench/sigma) */
    useIndex?: boolean;
  },
): Evaluator {
  const { base, correlations, gates } = ruleset.compiled;
  const naive = opts?.useIndex === false;
  const index = naive ? buildIndex(base, false) : ruleset.compiled.index;
  const nBase = base.length;
  const rawContainers = ruleset.compiled.mapping.rawContainers;
  const maxGroups = opts?.maxGroupsPerRule ?? 100_000;
  const maxEntries = opts?.maxEntriesPerGroup ?? MAX_ENTRIES_PER_GROUP;
  const states = new Map<CompiledCorrelation, CorrState>();
  for (const c of correlations) states.set(c, { groups: new Map(), maxT: -Infinity });
  let seq = 0;
  let evaluated = 0;
  let evicted = 0;
  let late = 0;
  let missingGroupBy = 0;
  let ruleErrors = 0;
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

  const sweep = (): void => {
    for (const [c, st] of states) {
      const cutoff = st.maxT - c.model.timespanMs;
      for (const [k, g] of st.groups) {
        const last = lastTime(g);
        if (last === undefined || last < cutoff) st.groups.delete(k);
      }
    }
  };

  /** Feeds arrivals (rule indices that matched this event) into a correlation; returns detections. */
  const feed = (c: CompiledCorrelation, rs: number[], view: EventView, t: number, tenant: string, ids: string, u: number, out: Detection[]): void => {
    const st = states.get(c)!;
    if (t > st.maxT) st.maxT = t;
    // one group per distinct group-by tuple among the arriving rules (aliases can differ per rule)
    const byKey = new Map<string, { groupBy: Record<string, string> | null; entries: Entry[] }>();
    for (const r of rs) {
      let groupBy: Record<string, string> | null = null;
      let key = tenant;
      if (c.model.groupBy.length) {
        groupBy = {};
        let missing = false;
        c.groupGetters[r].forEach((get, i) => {
          const f = get(view);
          if (!f.strs.length) missing = true;
          else groupBy![c.model.groupBy[i]] = f.strs.join(',');
        });
        if (missing) {
          missingGroupBy++;
          continue;
        }
        key += '\u0001' + c.model.groupBy.map((g) => groupBy![g]).join('\u0001');
      }
      const vg = c.valueGetters[r];
      let v: string | number | null | undefined;
      if (vg) {
        const f = vg(view);
        if (!f.strs.length) continue; // a value_* correlation counts only events that have the field
        v = typeof f.raw === 'number' ? f.raw : f.strs[0];
      }
      const e: Entry = { t, r, u, id: ids, v };
      const slot = byKey.get(key);
      if (slot) slot.entries.push(e);
      else byKey.set(key, { groupBy, entries: [e] });
    }
    for (const [key, { groupBy, entries }] of byKey) {
      let g = st.groups.get(key);
      if (g) {
        st.groups.delete(key); // re-insert: the Map's order is least-recently-used first
        st.groups.set(key, g);
      } else {
        g = { groupBy, tenant, entries: [] };
        st.groups.set(key, g);
        if (st.groups.size > maxGroups) {
          const oldest = st.groups.keys().next().value as string;
          st.groups.delete(oldest);
          evicted++;
        }
      }
      const m = c.model;
      const fired = addAndCheck(g, entries, m.type, m.timespanMs, m.condition, m.rules.length, maxEntries);
      if (fired === 'late') late++;
      if (fired === null || fired === 'late') continue;
      const eventIds = windowIds(fired);
      clear(g);
      if (c.emit) out.push({ rule: c.info, kind: 'correlation', eventIds, groupBy, timestamp: new Date(t).toISOString(), tenant: tenant || undefined });
      if (c.parents.length) {
        const cu = ++seq;
        for (const p of c.parents) feed(p.corr, [p.r], view, t, tenant, eventIds.join('\n'), cu, out);
      }
    }
  };

  return {
    evaluate(event) {
      const out: Detection[] = [];
      if (event === null || typeof event !== 'object') return out;
      let view: EventView;
      try {
        view = new EventView(event, rawContainers);
      } catch {
        ruleErrors++;
        return out;
      }
      // naive: every gate is unknown; indexed: only gates the index found possible are (the rest are false)
      gateCache.fill(naive ? 0 : 2);
      curView = view;
      let t = NaN;
      let tenant: string | null = null;
      let ids: string | null = null;
      let arrivals: Map<CompiledCorrelation, number[]> | null = null;
      const u = ++seq;
      const candidates = index.candidates(view, passes, possibleGates);
      for (let i = 0; i < candidates.length; i++) {
        if (candidates[i] >= nBase) break; // gates sort after rules
        const r = base[candidates[i]];
        let ok = true;
        for (const gi of r.gates) if (!passes(gi)) {
          ok = false;
          break;
        }
        if (!ok) continue;
        let hit = false;
        try {
          hit = r.pred(view);
        } catch {
          // a rule must never take the pipeline down: count it and go on
          ruleErrors++;
        }
        if (!hit) continue;
        if (Number.isNaN(t)) {
          t = eventTimeMs(event, view);
          if (Number.isNaN(t)) t = Date.now();
          tenant = tenantOf(event);
          ids = eventIdOf(event);
        }
        if (r.emit) out.push({ rule: r.info, kind: 'rule', eventIds: ids ? [ids] : [], groupBy: null, timestamp: new Date(t).toISOString(), tenant: tenant || undefined });
        for (const { corr, r: ri } of r.corrs) {
          arrivals ??= new Map();
          const list = arrivals.get(corr);
          if (list) list.push(ri);
          else arrivals.set(corr, [ri]);
        }
      }
      if (arrivals) {
        for (const [c, rs] of arrivals) {
          try {
            feed(c, rs, view, t, tenant!, ids!, u, out);
          } catch {
            // a correlation must never take the pipeline down either: count it and go on
            ruleErrors++;
          }
        }
      }
      if (++evaluated % 4096 === 0) sweep();
      return out;
    },
    checkpoint() {
      const corr: Record<string, Array<[string, Group]>> = {};
      for (const [c, st] of states) {
        if (!st.groups.size) continue;
        for (const g of st.groups.values()) compact(g);
        corr[c.key] = [...st.groups.entries()].map(([k, g]) => [k, { groupBy: g.groupBy, tenant: g.tenant, entries: g.entries }]);
      }
      return { v: 1, seq, corr };
    },
    restore(state) {
      if (!state || typeof state !== 'object') throw new Error('sigma evaluator restore: the checkpoint is not an object');
      const s = state as { v?: number; seq?: number; corr?: Record<string, Array<[string, Group]>> };
      if (s.v !== 1) throw new Error(`sigma evaluator restore: unknown checkpoint version ${String(s.v)}`);
      seq = Math.max(seq, Number(s.seq) || 0);
      for (const [c, st] of states) {
        const saved = s.corr?.[c.key];
        st.groups.clear();
        st.maxT = -Infinity;
        if (!Array.isArray(saved)) continue;
        for (const item of saved) {
          if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
          const [k, g] = item;
          if (!g || !Array.isArray(g.entries)) continue;
          // keep only well-formed entries, in time order: a checkpoint is data from outside
          const entries = g.entries.filter((e) => e && typeof e.t === 'number' && typeof e.r === 'number' && e.r >= 0 && e.r < c.model.rules.length && typeof e.u === 'number' && typeof e.id === 'string').sort((x, y) => x.t - y.t);
          if (!entries.length) continue;
          st.groups.set(k, { groupBy: g.groupBy ?? null, tenant: typeof g.tenant === 'string' ? g.tenant : '', entries });
          if (st.groups.size > maxGroups) st.groups.delete(st.groups.keys().next().value as string);
          const last = entries[entries.length - 1];
          if (last.t > st.maxT) st.maxT = last.t;
        }
      }
    },
    stats() {
      let groups = 0;
      for (const st of states.values()) groups += st.groups.size;
      return { groups, evictedGroups: evicted, lateEntries: late, missingGroupBy, ruleErrors };
    },
  };
}

export type { LogSource };
