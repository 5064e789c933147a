/** YAML document → typed rule model (rule, correlation or filter), with errors that name the line. */
import type { YamlDoc } from './yaml';
import type { CondNode, CorrExpr, CorrelationType, CountCondition, Detection, DetectionItem, LogSource, MetaInfo, SigmaCorrelationModel, SigmaDocument, SigmaFilterModel, SigmaRuleModel } from './model';
import { SigmaError } from './model';
import { applyModifiers } from './modifiers';
import { parseCondition, checkCondition } from './condition';
import { conditionRules, parseCorrelationCondition } from './correlation-condition';

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function str(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => String(x)).join(', ');
  return undefined;
}

function strList(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map((x) => String(x));
  return [String(v)];
}

function meta(doc: YamlDoc, o: Record<string, unknown>, path: string): MetaInfo {
  const title = o.title;
  if (typeof title !== 'string' || title.trim() === '') throw new SigmaError("missing 'title' (a non-empty string)", doc.keyLine(o, 'title') ?? doc.line);
  const fp = o.falsepositives;
  return {
    id: str(o.id),
    name: str(o.name),
    title,
    status: str(o.status),
    description: str(o.description),
    author: str(o.author),
    level: str(o.level),
    tags: strList(o.tags),
    references: strList(o.references),
    falsepositives: fp === undefined || fp === null ? undefined : strList(fp),
    path,
    line: doc.line,
  };
}

function logsource(doc: YamlDoc, o: Record<string, unknown>, required: boolean): LogSource {
  const ls = o.logsource;
  if (ls === undefined || ls === null) {
    if (required) throw new SigmaError("missing 'logsource'", doc.line);
    return {};
  }
  if (!isObj(ls)) throw new SigmaError("'logsource' must be a map of product/category/service", doc.keyLine(o, 'logsource'));
  const out: LogSource = {};
  for (const k of ['product', 'category', 'service'] as const) {
    const v = ls[k];
    if (v !== undefined && v !== null) out[k] = String(v);
  }
  return out;
}

function parseItem(doc: YamlDoc, parent: object, key: string, value: unknown, placeholders: Set<string>): DetectionItem {
  const line = doc.keyLine(parent, key);
  const parts = key.split('|');
  const field = parts[0] === '' ? null : parts[0];
  const mods = parts.slice(1);
  if (mods.some((m) => m === '')) throw new SigmaError(`'${key}': empty modifier`, line);
  let raws: unknown[];
  if (Array.isArray(value)) {
    if (value.length === 0) raws = [null]; // `Field: []` means the field is null
    else raws = value;
  } else raws = [value];
  for (const r of raws) {
    if (!isScalar(r)) throw new SigmaError(`'${key}': values must be scalars, found a ${Array.isArray(r) ? 'list' : 'map'}`, line);
  }
  try {
    const res = applyModifiers(field, mods, raws);
    res.placeholders.forEach((p) => placeholders.add(p));
    return { field, modifiers: mods, values: res.values, all: res.all, cased: res.cased, negated: res.negated, line };
  } catch (e) {
    if (e instanceof SigmaError) throw new SigmaError(`'${key}': ${e.message}`, e.line ?? line);
    throw e;
  }
}

function parseDetectionValue(doc: YamlDoc, parent: object, name: string, v: unknown, placeholders: Set<string>, depth = 0): Detection {
  const line = doc.keyLine(parent, name) ?? doc.nodeLine(parent);
  if (depth > 8) throw new SigmaError(`search identifier '${name}' nests lists too deeply`, line);
  if (isObj(v)) {
    const items = Object.keys(v).map((k) => parseItem(doc, v, k, v[k], placeholders));
    if (items.length === 0) throw new SigmaError(`search identifier '${name}' is an empty map`, line);
    return { k: 'and', items };
  }
  if (Array.isArray(v)) {
    if (v.length === 0) throw new SigmaError(`search identifier '${name}' is an empty list`, line);
    if (v.every(isScalar)) {
      return { k: 'and', items: [parseItem(doc, { [name]: v }, '', v, placeholders)].map((it) => ({ ...it, line })) };
    }
    // a list of maps (or nested lists): ORed; plain values among them are keywords
    const parts: Detection[] = [];
    const kw: unknown[] = [];
    for (const x of v) {
      if (isScalar(x)) kw.push(x);
      else parts.push(parseDetectionValue(doc, parent, name, x, placeholders, depth + 1));
    }
    if (kw.length) parts.push({ k: 'and', items: [{ ...parseItem(doc, {}, '', kw, placeholders), line }] });
    return { k: 'or', parts };
  }
  if (isScalar(v) && v !== null) return { k: 'and', items: [{ ...parseItem(doc, {}, '', [v], placeholders), line }] };
  throw new SigmaError(`search identifier '${name}' has no value`, line);
}

function parseDetections(doc: YamlDoc, det: Record<string, unknown>, placeholders: Set<string>, warnings: string[]): Map<string, Detection> {
  const out = new Map<string, Detection>();
  for (const [k, v] of Object.entries(det)) {
    if (k === 'condition') continue;
    if (k === 'timeframe') {
      warnings.push(`line ${doc.keyLine(det, k) ?? '?'}: 'timeframe' is deprecated and ignored; use a correlation rule's timespan`);
      continue;
    }
    out.set(k, parseDetectionValue(doc, det, k, v, placeholders));
  }
  return out;
}

function parseConditions(doc: YamlDoc, det: Record<string, unknown>, names: string[]): CondNode[] {
  const line = doc.keyLine(det, 'condition') ?? doc.nodeLine(det);
  const c = det.condition;
  if (c === undefined || c === null) throw new SigmaError("detection has no 'condition'", line);
  const list = Array.isArray(c) ? c : [c];
  if (list.length === 0) throw new SigmaError("detection 'condition' is an empty list", line);
  return list.map((text) => {
    if (typeof text !== 'string') throw new SigmaError(`condition must be a string, got ${JSON.stringify(text)}`, line);
    try {
      const node = parseCondition(text);
      const bad = checkCondition(node, names);
      if (bad) throw new SigmaError(bad);
      return node;
    } catch (e) {
      if (e instanceof SigmaError) throw new SigmaError(e.message, line);
      throw e;
    }
  });
}

const TIME_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_629_746_000, y: 31_556_952_000 };

export function parseTimespan(v: unknown): number | undefined {
  const m = /^\s*(\d+)\s*([smhdwMy])\s*$/.exec(String(v ?? ''));
  if (!m) return undefined;
  const n = Number(m[1]) * TIME_UNITS[m[2]];
  return n > 0 ? n : undefined;
}

const CORR_TYPES: CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile', 'value_median'];
const OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;

function parseCorrelation(doc: YamlDoc, o: Record<string, unknown>, path: string): SigmaCorrelationModel {
  const m = meta(doc, o, path);
  const c = o.correlation;
  const cl = (k: string): number | undefined => (isObj(c) ? doc.keyLine(c, k) : undefined) ?? doc.keyLine(o, 'correlation');
  if (!isObj(c)) throw new SigmaError("'correlation' must be a map with type, rules, timespan", doc.keyLine(o, 'correlation'));
  const type = c.type as CorrelationType;
  if (!CORR_TYPES.includes(type)) throw new SigmaError(`correlation type ${JSON.stringify(c.type)} is not one of ${CORR_TYPES.join(', ')}`, cl('type'));
  const rules = strList(c.rules);
  if (rules.length === 0 && !(typeof c.condition === 'string' && (type === 'temporal' || type === 'temporal_ordered'))) throw new SigmaError("correlation 'rules' must list at least one rule id or name", cl('rules'));
  const groupBy = strList(c['group-by']);
  const timespanMs = parseTimespan(c.timespan);
  if (timespanMs === undefined) throw new SigmaError(`correlation 'timespan' ${JSON.stringify(c.timespan)} is not like 30s, 5m, 1h, 7d`, cl('timespan'));
  const warnings: string[] = [];
  let condition: CountCondition | null = null;
  let field: string | null = null;
  let percentile: number | undefined;
  let expr: CorrExpr | null = null;
  const cond = c.condition;
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  if (cond === undefined || cond === null) {
    if (!temporal) throw new SigmaError(`correlation type ${type} needs a 'condition' such as {gte: 10}`, cl('type'));
  } else if (typeof cond === 'string' && temporal) {
    expr = parseCorrelationCondition(cond, cl('condition'));
    if (rules.length === 0) rules.push(...conditionRules(expr));
    const unknown = conditionRules(expr).filter((r) => !rules.includes(r));
    if (unknown.length) throw new SigmaError(`correlation condition names ${unknown.join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} not in 'rules'`, cl('condition'));
    const unused = rules.filter((r) => !conditionRules(expr!).includes(r));
    if (unused.length) throw new SigmaError(`correlation 'rules' lists ${unused.join(', ')}, which the condition does not use (pySigma rejects this too)`, cl('condition'));
  } else if (!isObj(cond)) {
    throw new SigmaError(`correlation 'condition' must be a map such as {gte: 10}`, cl('condition'));
  } else {
    condition = {};
    for (const [k, v] of Object.entries(cond)) {
      if (k === 'field') {
        const f = Array.isArray(v) ? v : [v];
        if (f.length !== 1 || typeof f[0] !== 'string') throw new SigmaError(`correlation condition 'field' must name one field`, cl('condition'));
        field = f[0];
      } else if (k === 'percentile') {
        percentile = typeof v === 'number' ? v : Number(v);
        if (!Number.isFinite(percentile) || percentile < 0 || percentile > 100) throw new SigmaError(`correlation condition 'percentile' must be a number from 0 to 100, got ${JSON.stringify(v)}`, cl('condition'));
      } else if ((OPS as readonly string[]).includes(k)) {
        const n = typeof v === 'number' ? v : Number(v);
        if (!Number.isFinite(n)) throw new SigmaError(`correlation condition '${k}' needs a number, got ${JSON.stringify(v)}`, cl('condition'));
        condition[k as (typeof OPS)[number]] = n;
      } else throw new SigmaError(`correlation condition has unknown key '${k}' (known: ${OPS.join(', ')}, field)`, cl('condition'));
    }
    if (!OPS.some((op) => condition![op] !== undefined)) throw new SigmaError(`correlation condition needs one of ${OPS.join(', ')}`, cl('condition'));
  }
  if (type.startsWith('value_') && !field) throw new SigmaError(`correlation type ${type} needs 'condition.field'`, cl('condition'));
  const aliases: Record<string, Record<string, string>> = {};
  if (c.aliases !== undefined && c.aliases !== null) {
    if (!isObj(c.aliases)) throw new SigmaError(`correlation 'aliases' must be a map alias -> {rule: field}`, cl('aliases'));
    for (const [alias, map] of Object.entries(c.aliases)) {
      if (!isObj(map)) throw new SigmaError(`correlation alias '${alias}' must map rule names to fields`, cl('aliases'));
      aliases[alias] = Object.fromEntries(Object.entries(map).map(([r, f]) => [r, String(f)]));
    }
  }
  const gen = c.generate ?? o.generate;
  if (gen !== undefined && typeof gen !== 'boolean') throw new SigmaError(`correlation 'generate' must be true or false`, cl('generate'));
  return { ...m, kind: 'correlation', type, rules, groupBy, timespanMs, condition, expr, field, percentile, aliases, generate: gen === true, warnings };
}

function parseFilter(doc: YamlDoc, o: Record<string, unknown>, path: string): SigmaFilterModel {
  const m = meta(doc, o, path);
  const f = o.filter as Record<string, unknown>;
  if (!isObj(f)) throw new SigmaError("'filter' must be a map with rules, search identifiers and condition", doc.keyLine(o, 'filter'));
  const ls = logsource(doc, o, true);
  const rulesV = f.rules;
  // as pySigma: a filter names the rules it tunes (a list of ids or names, or `any`)
  if (rulesV === undefined || rulesV === null) throw new SigmaError("a filter needs 'rules': the ids or names of the rules it applies to, or 'any'", doc.keyLine(o, 'filter'));
  const rules: string[] | 'any' = rulesV === 'any' || (Array.isArray(rulesV) && rulesV.length === 0) ? 'any' : strList(rulesV);
  const warnings: string[] = [];
  const det: Record<string, unknown> = { ...f };
  delete det.rules;
  const ph = new Set<string>();
  const detections = parseDetections(doc, det, ph, warnings);
  if (ph.size) throw new SigmaError(`filters cannot use |expand placeholders`, doc.keyLine(o, 'filter'));
  const conds = parseConditions(doc, f, [...detections.keys()]);
  if (conds.length !== 1) throw new SigmaError('a filter has exactly one condition', doc.keyLine(f, 'condition'));
  return { ...m, kind: 'filter', logsource: ls, rules, detections, condition: conds[0], warnings };
}

function parseRule(doc: YamlDoc, o: Record<string, unknown>, path: string): SigmaRuleModel {
  const m = meta(doc, o, path);
  const ls = logsource(doc, o, true);
  const det = o.detection;
  if (!isObj(det)) throw new SigmaError("missing 'detection' (a map of search identifiers and a condition)", doc.keyLine(o, 'detection') ?? doc.line);
  const warnings: string[] = [];
  const ph = new Set<string>();
  const detections = parseDetections(doc, det, ph, warnings);
  const conditions = parseConditions(doc, det, [...detections.keys()]);
  return { ...m, kind: 'rule', logsource: ls, detections, conditions, placeholders: [...ph], warnings };
}

export function parseDocument(doc: YamlDoc, path: string): SigmaDocument {
  const o = doc.value;
  if (!isObj(o)) throw new SigmaError('a Sigma document must be a YAML map', doc.line);
  if ('action' in o) throw new SigmaError(`'action: ${String(o.action)}' multi-document collections are deprecated; write each rule as its own document`, doc.keyLine(o, 'action'));
  if ('correlation' in o) return parseCorrelation(doc, o, path);
  if ('filter' in o && !('detection' in o)) return parseFilter(doc, o, path);
  return parseRule(doc, o, path);
}
