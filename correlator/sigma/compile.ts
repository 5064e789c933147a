/**
 * Compiles the rule model into plain predicate closures over an EventView. Field names go through
 * the field mapping here; regexes run on re2js (linear time, so no rule can stall the pipeline).
 */
import { RE2JS } from 're2js';
import type { Atom, CondNode, Detection, DetectionItem, SValue } from './model';
import { SigmaError } from './model';
import { EventView, FieldVal, lows } from './event-view';
import { compileGlob, literalShape, LiteralSet, lowerAtoms, StrTest } from './matchers';
import { parseCidr, cidrContains } from './cidr';
import { resolvePattern } from './condition';
import { parseSigmaString, normalizeAtoms } from './strings';

export type Pred = (v: EventView) => boolean;

/** How a rule reads fields: its mapping (Sigma name → ECS paths) and a cache-key prefix. */
export interface FieldContext {
  key: string;
  map: Readonly<Record<string, readonly string[]>>;
  placeholders: Readonly<Record<string, string[]>>;
}

export type FieldGetter = (v: EventView) => FieldVal;

/** The per-event cache key of a field lookup: rules whose mappings resolve a field alike share it. */
export function lookupKey(field: string, mapped: readonly string[] | undefined): string {
  return mapped && mapped.length ? field + '\u0000' + mapped.join('\u0000') : field;
}

export function fieldGetter(ctx: FieldContext, field: string): FieldGetter {
  const mapped = ctx.map[field];
  const key = lookupKey(field, mapped);
  return (v) => v.get(key, field, mapped);
}

/** Replaces %name% atoms by each configured value (parsed as Sigma strings): one alternative per combination. */
function expandPlaceholders(atoms: Atom[], ph: Readonly<Record<string, string[]>>): Atom[][] {
  let variants: Atom[][] = [[]];
  for (const a of atoms) {
    if (a.t !== 'ph') {
      variants = variants.map((x) => [...x, a]);
      continue;
    }
    const vals = ph[a.name];
    if (!vals || vals.length === 0) throw new SigmaError(`placeholder %${a.name}% has no configured value`);
    const next: Atom[][] = [];
    for (const x of variants) for (const val of vals) next.push([...x, ...parseSigmaString(val)]);
    variants = next;
    if (variants.length > 100_000) throw new SigmaError(`placeholder expansion of %${a.name}% gives more than 100000 variants`);
  }
  return variants.map(normalizeAtoms);
}

/** Flattens alternatives so that OR-ed string values can share one literal set. */
function flattenAlt(v: SValue, ph: Readonly<Record<string, string[]>>): SValue[] {
  if (v.k === 'alt') return v.options.flatMap((o) => flattenAlt(o, ph));
  if (v.k === 'str' && v.atoms.some((a) => a.t === 'ph')) return expandPlaceholders(v.atoms, ph).map((atoms) => ({ k: 'str', atoms, bytes: v.bytes }));
  return [v];
}

function compileRegex(v: Extract<SValue, { k: 're' }>): RE2JS {
  let flags = 0;
  if (v.i) flags |= RE2JS.CASE_INSENSITIVE;
  if (v.m) flags |= RE2JS.MULTILINE;
  if (v.s) flags |= RE2JS.DOTALL;
  try {
    return RE2JS.compile(v.source, flags);
  } catch (e) {
    throw new SigmaError(`regular expression ${JSON.stringify(v.source)} is not supported by the linear-time engine: ${(e as Error).message}`);
  }
}

/** A test on one field value; `all` items need each value to pass, others any. */
type ValTest = (f: FieldVal, v: EventView) => boolean;

/** OR of many string values: literals go to one Aho-Corasick set, the rest are globs. */
/** Tests a field's strings; lowercased copies are made on demand (some tests never need them). */
type StrsTest = (f: FieldVal) => boolean;

function stringsTest(values: Extract<SValue, { k: 'str' }>[], cased: boolean): StrsTest {
  const set = new LiteralSet(cased);
  let setUsed = 0;
  const globs: StrTest[] = [];
  const eqs = new Set<string>();
  for (const val of values) {
    const atoms = cased ? val.atoms : lowerAtoms(val.atoms);
    const shape = literalShape(atoms);
    if (shape && shape.mode === 'eq') eqs.add(shape.lit);
    else if (shape && values.length >= 4) {
      set.add(shape.lit, shape.mode);
      setUsed++;
    } else globs.push(compileGlob(atoms));
  }
  const useSet = setUsed > 0;
  const nG = globs.length;
  const useEq = eqs.size > 0;
  if (useSet && !useEq && nG === 0 && !cased && set.usesRaw()) {
    // a long list of literals only: one case-folded DFA pass over the raw value
    return (f) => {
      const strs = f.strs;
      for (let i = 0; i < strs.length; i++) if (set.testRaw(strs[i])) return true;
      return false;
    };
  }
  return (f) => {
    const arr = cased ? f.strs : lows(f);
    for (let i = 0; i < arr.length; i++) {
      const s = arr[i];
      if (useEq && eqs.has(s)) return true;
      if (useSet && set.test(s)) return true;
      for (let g = 0; g < nG; g++) if (globs[g](s)) return true;
    }
    return false;
  };
}

function num(s: string): number {
  const t = s.trim();
  if (t === '') return NaN;
  return Number(t);
}

function timePart(d: Date, part: string): number {
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
    default: {
      // ISO week number
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const day = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - day);
      const y0 = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
      return Math.ceil(((t.getTime() - y0.getTime()) / 86400000 + 1) / 7);
    }
  }
}

/** One non-string value kind as a test on a field value. */
function singleTest(val: SValue, ctx: FieldContext, cased: boolean): ValTest {
  switch (val.k) {
    case 'null':
      return (f) => f.isNull;
    case 'exists':
      return val.want ? (f) => f.present : (f) => !f.present;
    case 'bool': {
      const s = val.v ? 'true' : 'false';
      return (f) => lows(f).includes(s);
    }
    case 'cmp': {
      const { op, n } = val;
      const cmp = op === 'gt' ? (x: number) => x > n : op === 'gte' ? (x: number) => x >= n : op === 'lt' ? (x: number) => x < n : (x: number) => x <= n;
      return (f) => f.strs.some((s) => {
        const x = num(s);
        return !Number.isNaN(x) && cmp(x);
      });
    }
    case 'cidr': {
      const c = parseCidr(val.cidr)!;
      return (f) => f.strs.some((s) => cidrContains(c, s));
    }
    case 're': {
      const re = compileRegex(val);
      return (f) => {
        for (const s of f.strs) if (re.test(s)) return true;
        return false;
      };
    }
    case 'fieldref': {
      const other = fieldGetter(ctx, val.field);
      const mode = val.mode;
      return (f, v) => {
        const o = other(v);
        const a = cased ? f.strs : lows(f);
        const b = cased ? o.strs : lows(o);
        for (const x of a)
          for (const y of b) {
            if (mode === 'eq' ? x === y : mode === 'contains' ? x.includes(y) : mode === 'startswith' ? x.startsWith(y) : x.endsWith(y)) return true;
          }
        return false;
      };
    }
    case 'time': {
      const { part, n } = val;
      return (f) => f.strs.some((s) => {
        const t = Date.parse(s);
        return !Number.isNaN(t) && timePart(new Date(t), part) === n;
      });
    }
    case 'str': {
      const t = stringsTest([val], cased);
      return t;
    }
    case 'alt': {
      const parts = flattenAlt(val, ctx.placeholders).map((o) => singleTest(o, ctx, cased));
      return (f, v) => parts.some((p) => p(f, v));
    }
  }
}

/** The values of one item combined: OR (default) or AND (|all); expansions stay OR-ed inside each value. */
function valuesTest(item: DetectionItem, ctx: FieldContext): ValTest {
  const { cased } = item;
  if (item.all) {
    const tests = item.values.map((val) => {
      const opts = flattenAlt(val, ctx.placeholders);
      return orTest(opts, ctx, cased);
    });
    return (f, v) => tests.every((t) => t(f, v));
  }
  const opts = item.values.flatMap((val) => flattenAlt(val, ctx.placeholders));
  return orTest(opts, ctx, cased);
}

function orTest(opts: SValue[], ctx: FieldContext, cased: boolean): ValTest {
  const strs = opts.filter((o): o is Extract<SValue, { k: 'str' }> => o.k === 'str');
  const others = opts.filter((o) => o.k !== 'str').map((o) => singleTest(o, ctx, cased));
  const st = strs.length ? stringsTest(strs, cased) : null;
  if (st && others.length === 0) return (f) => f.strs.length > 0 && st(f);
  return (f, v) => {
    if (st && f.strs.length > 0 && st(f)) return true;
    for (const o of others) if (o(f, v)) return true;
    return false;
  };
}

/** Keywords: each value is searched as a substring of the haystack (pySigma full-text terms). */
function keywordItem(item: DetectionItem, ctx: FieldContext): Pred {
  const wrap = (val: SValue): SValue => {
    if (val.k === 'alt') return { k: 'alt', options: val.options.map(wrap) };
    if (val.k !== 'str') throw new SigmaError(`keyword searches support plain strings only (found a ${val.k} value)`);
    let atoms = val.atoms;
    if (atoms[0]?.t !== 'any') atoms = [{ t: 'any' }, ...atoms];
    if (atoms[atoms.length - 1]?.t !== 'any') atoms = [...atoms, { t: 'any' }];
    return { k: 'str', atoms, bytes: val.bytes };
  };
  const wrapped: DetectionItem = { ...item, cased: false, values: item.values.map(wrap) };
  const tests = wrapped.all ? wrapped.values.map((val) => stringsTest(flattenAlt(val, ctx.placeholders) as Extract<SValue, { k: 'str' }>[], false)) : [stringsTest(wrapped.values.flatMap((val) => flattenAlt(val, ctx.placeholders)) as Extract<SValue, { k: 'str' }>[], false)];
  const p: Pred = (v) => {
    const hay = v.haystack();
    const f: FieldVal = { present: true, isNull: false, strs: hay, lows: hay, raw: hay };
    return tests.every((t) => t(f));
  };
  return item.negated ? (v) => !p(v) : p;
}

export function compileItem(item: DetectionItem, ctx: FieldContext): Pred {
  if (item.field === null) return keywordItem(item, ctx);
  const get = fieldGetter(ctx, item.field);
  const test = valuesTest(item, ctx);
  if (item.negated) return (v) => !test(get(v), v);
  return (v) => test(get(v), v);
}

export function compileDetection(d: Detection, ctx: FieldContext): Pred {
  if (d.k === 'and') {
    const ps = d.items.map((it) => compileItem(it, ctx));
    if (ps.length === 1) return ps[0];
    if (ps.length === 2) {
      const [a, b] = ps;
      return (v) => a(v) && b(v);
    }
    return (v) => {
      for (const p of ps) if (!p(v)) return false;
      return true;
    };
  }
  const ps = d.parts.map((p) => compileDetection(p, ctx));
  return (v) => {
    for (const p of ps) if (p(v)) return true;
    return false;
  };
}

export function compileCondition(node: CondNode, preds: Map<string, Pred>): Pred {
  switch (node.k) {
    case 'const':
      return () => node.v;
    case 'id': {
      const p = preds.get(node.name);
      if (!p) throw new SigmaError(`condition refers to unknown search identifier '${node.name}'`);
      return p;
    }
    case 'of': {
      const names = resolvePattern(node.pattern, [...preds.keys()]);
      const ps = names.map((n) => preds.get(n)!);
      if (ps.length === 0) throw new SigmaError(`condition pattern '${node.pattern}' matches no search identifier`);
      if (node.quant === 'all') return (v) => ps.every((p) => p(v));
      return (v) => ps.some((p) => p(v));
    }
    case 'and': {
      const a = compileCondition(node.a, preds);
      const b = compileCondition(node.b, preds);
      return (v) => a(v) && b(v);
    }
    case 'or': {
      const a = compileCondition(node.a, preds);
      const b = compileCondition(node.b, preds);
      return (v) => a(v) || b(v);
    }
    case 'not': {
      const a = compileCondition(node.a, preds);
      return (v) => !a(v);
    }
  }
}
