/**
 * STIX 2.1 bundles (OASIS STIX 2.1, section 4 indicator, section 9 patterning): each
 * `indicator` with pattern_type "stix" whose pattern is one comparison, or comparisons joined
 * by OR, on ipv4-addr / ipv6-addr / domain-name / url values or file hashes. A pattern that is
 * valid but asks more (AND, FOLLOWEDBY, other objects) is passed over and reported; an
 * indicator that breaks the specification rejects the file, naming the object.
 */
import { ImportError, isoTime, normalizeValue, type IndicatorInput } from '../indicator';
import type { ImportResult } from './types';

type Obj = Record<string, unknown>;

const HASH_NAMES: Record<string, string> = { md5: 'md5', 'sha-1': 'sha1', sha1: 'sha1', 'sha-256': 'sha256', sha256: 'sha256' };
const COMPARISON = /^\s*([a-z0-9-]+):([A-Za-z0-9_.'-]+)\s*(=|!=|<=|>=|<|>|LIKE|MATCHES|IN|ISSUBSET|ISSUPERSET)\s*'((?:[^'\\]|\\.)*)'\s*/;

class Unsupported extends Error {}

/** The (type, value) pairs of a pattern; throws Unsupported for a valid pattern canhgac cannot match as one value, Error for a broken one. */
export function parsePattern(pattern: string): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = [];
  let rest = pattern.trim();
  let expectOperand = true;
  let depth = 0;
  while (rest.length) {
    if (expectOperand) {
      if (rest.startsWith('[')) { depth++; rest = rest.slice(1); continue; }
      const m = COMPARISON.exec(rest);
      if (!m) throw new Error(`expected "object:property = 'value'" at "${rest.slice(0, 40)}"`);
      const [, object, path, op, quoted] = m;
      rest = rest.slice(m[0].length);
      if (op !== '=') throw new Unsupported(`operator ${op} is not matched (only =)`);
      out.push(toObservable(object, path, quoted.replace(/\\(.)/g, '$1')));
      expectOperand = false;
      continue;
    }
    if (rest.startsWith(']')) {
      if (depth === 0) throw new Error('a "]" closes no "["');
      depth--;
      rest = rest.slice(1).trimStart();
      continue;
    }
    const op = /^(OR|AND|FOLLOWEDBY|WITHIN|REPEATS|START)\b\s*/.exec(rest);
    if (!op) throw new Error(`expected OR, AND or "]" at "${rest.slice(0, 40)}"`);
    if (op[1] !== 'OR') throw new Unsupported(`${op[1]} patterns are not matched (only comparisons joined by OR)`);
    rest = rest.slice(op[0].length);
    expectOperand = true;
  }
  if (depth !== 0) throw new Error('a "[" is never closed');
  if (expectOperand) throw new Error('the pattern ends where a comparison is expected');
  return out;
}

function toObservable(object: string, path: string, value: string): { type: string; value: string } {
  if ((object === 'ipv4-addr' || object === 'ipv6-addr') && path === 'value') return { type: object.slice(0, 4), value };
  if (object === 'domain-name' && path === 'value') return { type: 'domain', value };
  if (object === 'url' && path === 'value') return { type: 'url', value };
  if (object === 'file' && path.startsWith('hashes.')) {
    const alg = HASH_NAMES[path.slice(7).replace(/'/g, '').toLowerCase()];
    if (alg) return { type: alg, value };
    throw new Unsupported(`file hash ${path.slice(7)} is not matched (MD5, SHA-1, SHA-256 are)`);
  }
  throw new Unsupported(`${object}:${path} is not matched`);
}

const need = (o: Obj, field: string, where: string): string => {
  const v = o[field];
  if (typeof v !== 'string' || !v) throw new ImportError(where, `"${field}" is missing or not a string (required by STIX 2.1)`);
  return v;
};

export function importStix(text: string): ImportResult {
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch (e) {
    throw new ImportError('the file', `is not JSON: ${(e as Error).message}`);
  }
  const b = bundle as Obj;
  if (!b || typeof b !== 'object' || b.type !== 'bundle') throw new ImportError('the file', 'is not a STIX bundle (expected {"type": "bundle", "objects": [...]})');
  if (!Array.isArray(b.objects)) throw new ImportError('the bundle', '"objects" is missing or not an array');
  const objects = b.objects as unknown[];
  const identities = new Map<string, string>();
  for (const o of objects) if (o && typeof o === 'object' && (o as Obj).type === 'identity' && typeof (o as Obj).name === 'string') identities.set(String((o as Obj).id), String((o as Obj).name));
  const indicators: IndicatorInput[] = [];
  const skipped: ImportResult['skipped'] = [];
  objects.forEach((raw, i) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ImportError(`objects[${i}]`, 'is not an object');
    const o = raw as Obj;
    if (o.type !== 'indicator') return;
    const where = `objects[${i}] (${typeof o.id === 'string' ? o.id : 'no id'})`;
    const id = need(o, 'id', where);
    if (!/^indicator--[0-9a-f-]{36}$/i.test(id)) throw new ImportError(where, `id "${id}" is not "indicator--<uuid>"`);
    if (o.spec_version !== undefined && o.spec_version !== '2.1') throw new ImportError(where, `spec_version "${String(o.spec_version)}" is not 2.1`);
    const pattern = need(o, 'pattern', where);
    const patternType = need(o, 'pattern_type', where);
    const validFrom = isoOf(need(o, 'valid_from', where), 'valid_from', where);
    if (patternType !== 'stix') return void skipped.push({ where, reason: `pattern_type ${patternType} is not matched (only stix)` });
    let observables: { type: string; value: string }[];
    try {
      observables = parsePattern(pattern);
    } catch (e) {
      if (e instanceof Unsupported) return void skipped.push({ where, reason: e.message });
      throw new ImportError(where, `pattern ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
    const confidence = o.confidence === undefined ? undefined : Number(o.confidence);
    if (confidence !== undefined && !(Number.isInteger(confidence) && confidence >= 0 && confidence <= 100)) throw new ImportError(where, `confidence ${JSON.stringify(o.confidence)} is not an integer from 0 to 100`);
    const tags = [...strings(o.labels), ...strings(o.indicator_types)];
    const description = [o.name, o.description].filter((s): s is string => typeof s === 'string' && !!s).join(': ') || undefined;
    for (const ob of observables) {
      let typed;
      try {
        typed = normalizeValue(ob.type, ob.value);
      } catch (e) {
        throw new ImportError(where, `pattern ${JSON.stringify(pattern)}: ${(e as Error).message}`);
      }
      indicators.push({
        ...typed,
        confidence,
        tags,
        description,
        first_seen: validFrom,
        last_seen: typeof o.modified === 'string' ? isoOf(o.modified, 'modified', where) : validFrom,
        expires: typeof o.valid_until === 'string' ? isoOf(o.valid_until, 'valid_until', where) : undefined,
        source: typeof o.created_by_ref === 'string' ? identities.get(o.created_by_ref) : undefined,
      });
    }
  });
  if (!indicators.length && !skipped.length) throw new ImportError('the bundle', 'holds no indicator object');
  return { indicators, skipped };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function isoOf(v: string, field: string, where: string): string {
  try {
    return isoTime(v, field);
  } catch (e) {
    throw new ImportError(where, (e as Error).message);
  }
}
