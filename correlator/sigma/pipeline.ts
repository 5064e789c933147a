/**
 * The processing pipeline (pySigma's ProcessingPipeline): placeholders, the field mapping of each
 * rule's logsource, filters ANDed onto the rules they name, logsource gates, correlations linked to
 * the rules they count, and the rule index over rules and gates.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SigmaCorrelationModel, SigmaDocument, SigmaFilterModel } from './model';
import { SigmaError } from './model';
import { parseYamlDocuments } from './yaml';
import { compileCondition, compileDetection, fieldGetter, FieldContext, Pred } from './compile';
import { defaultMappingsDir, fieldMapFor, gateEntry, gatesFor, logsourceContains, Mapping } from './mapping';
import { buildIndex, IndexEntry, RuleIndex } from './rule-index';
import { Doc, infoOf, where } from './collection';
import type { CompiledCorrelation, CompiledRule, LoadOptions, LoadReport, RuleInfo } from './ruleset';

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

/** The placeholder values: rules/placeholders.yml (next to the mappings) merged with the load options. */
export function loadPlaceholders(opts: LoadOptions, report: LoadReport[]): Record<string, string[]> {
  try {
    return { ...loadPlaceholderFile(opts.mappingsDir ? path.resolve(opts.mappingsDir, '..', 'placeholders.yml') : DEFAULT_PLACEHOLDERS_FILE()), ...(opts.placeholders ?? {}) };
  } catch (e) {
    report.push({ path: 'placeholders', ok: false, error: (e as Error).message, warnings: [] });
    return { ...(opts.placeholders ?? {}) };
  }
}

/** Compiles the base rules under their logsource's field mapping and gates; a rule missing a placeholder loads disabled. */
export function compileRules(alive: Doc[], mapping: Mapping, placeholders: Record<string, string[]>): { base: CompiledRule[]; baseByDoc: Map<SigmaDocument, CompiledRule> } {
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

  return { base, baseByDoc };
}

/** Filters AND their condition onto the rules they name (never onto correlations). */
export function applyFilters(alive: Doc[], base: CompiledRule[], byRef: Map<string, Doc>): RuleInfo[] {
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

  return filterInfos;
}

/** Compiles the resolved correlations (group-by and value getters) and links each to the rules and correlations it counts. */
export function compileCorrelations(corrDocs: Array<{ m: SigmaCorrelationModel; rep: LoadReport }>, ok: Set<SigmaCorrelationModel>, byRef: Map<string, Doc>, base: CompiledRule[], baseByDoc: Map<SigmaDocument, CompiledRule>): CompiledCorrelation[] {
  const corrs: CompiledCorrelation[] = [];
  const corrByDoc = new Map<SigmaDocument, CompiledCorrelation>();
  // the field context of a referenced rule (a correlation uses the first base rule it reaches)
  const ctxOf = (ref: string): FieldContext => {
    const t = byRef.get(ref)!;
    if (t.m.kind === 'rule') return baseByDoc.get(t.m)!.ctx;
    return ctxOf((t.m as SigmaCorrelationModel).rules[0]);
  };
  for (const d of corrDocs) {
    if (!ok.has(d.m)) continue;
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

  return corrs;
}

/** The rule index over the base rules and, after them, the logsource gates (one pass finds both). */
export function buildRuleIndex(base: CompiledRule[], mapping: Mapping, enabled = true): RuleIndex {
  return buildIndex([...base.map(ruleEntry), ...mapping.gates.map((g) => gateEntry(mapping, g))], enabled, mapping.rawContainers, base.length);
}

/** A base rule as the rule index sees it; its keyword literals are scanned only for events passing its first gate. */
export function ruleEntry(r: CompiledRule): IndexEntry {
  return { enabled: r.info.enabled, detections: r.model.detections, conditions: r.model.conditions, map: r.ctx.map, placeholders: r.ctx.placeholders, keywordGate: r.gates[0] ?? -1, gates: r.gates };
}
