/**
 * What the config schema declares, read from the zod schema itself: every key with its type,
 * default and what is allowed (for the generated reference), and the keys of an input that
 * the schema does not know (refused, with the nearest known key as a suggestion).
 */
import type { z } from 'zod';

export interface KeyInfo {
  key: string; // dotted; [] marks the element of a list
  type: string;
  default?: unknown;
  allowed?: string;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, string>;
  options?: z.ZodType[];
  values?: unknown[];
  checks?: { _zod: { def: { check: string; value?: unknown; inclusive?: boolean } } }[];
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under default/prefault/optional wrappers, with the default found on the way. */
function unwrap(s: z.ZodType): { inner: z.ZodType; default?: unknown } {
  let cur = s;
  let dflt: unknown;
  for (;;) {
    const d = defOf(cur);
    if ((d.type === 'default' || d.type === 'prefault') && d.innerType) {
      if (dflt === undefined && d.type === 'default') dflt = typeof d.defaultValue === 'function' ? (d.defaultValue as () => unknown)() : d.defaultValue;
      cur = d.innerType;
    } else if ((d.type === 'optional' || d.type === 'nullable') && d.innerType) cur = d.innerType;
    else return { inner: cur, default: dflt };
  }
}

function describeType(s: z.ZodType): { type: string; allowed?: string } {
  const d = defOf(s);
  if (d.type === 'enum') return { type: 'enum', allowed: Object.values(d.entries ?? {}).map((v) => JSON.stringify(v)).join(', ') };
  const bounds = (d.checks ?? []).map((c) => c._zod.def).filter((c) => c.check === 'greater_than' || c.check === 'less_than').map((c) => `${c.check === 'greater_than' ? '>' : '<'}${c.inclusive ? '=' : ''} ${String(c.value)}`);
  if (d.type === 'array' && d.element) return { type: `list of ${describeType(unwrap(d.element).inner).type}` };
  if (d.type === 'record') return { type: 'mapping' };
  if (d.type === 'union' && d.options) {
    const values = d.options.flatMap((o) => {
      const od = defOf(o);
      return od.type === 'enum' ? Object.values(od.entries ?? {}) : od.type === 'literal' ? (od.values ?? []) : [undefined];
    });
    if (!values.includes(undefined)) return { type: 'enum', allowed: values.map((v) => JSON.stringify(v)).join(', ') };
  }
  return { type: d.type, allowed: bounds.length ? bounds.join(', ') : undefined };
}

/** Every key the schema declares, depth first, in declaration order. */
export function schemaKeys(schema: z.ZodType, prefix = ''): KeyInfo[] {
  const { inner, default: dflt } = unwrap(schema);
  const d = defOf(inner);
  if (d.type === 'object' && d.shape) return Object.entries(d.shape).flatMap(([k, v]) => schemaKeys(v, prefix ? `${prefix}.${k}` : k));
  if (d.type === 'array' && d.element && defOf(unwrap(d.element).inner).type === 'object') return schemaKeys(d.element, `${prefix}[]`);
  // a mapping of named settings (webhook targets, grouping per rule): its value's keys under <name>
  if (d.type === 'record' && d.valueType && defOf(unwrap(d.valueType).inner).type === 'object') return schemaKeys(d.valueType, `${prefix}.<name>`);
  return [{ key: prefix, ...describeType(inner), ...(dflt !== undefined ? { default: dflt } : {}) }];
}

export interface UnknownKey {
  path: (string | number)[];
  suggestion?: string;
  known: string[]; // the keys allowed there
}

/** Keys of `input` that `schema` does not declare; a record's names are free (webhook targets, agencies), its values are checked. */
export function unknownKeys(schema: z.ZodType, input: unknown, path: (string | number)[] = []): UnknownKey[] {
  const d = defOf(unwrap(schema).inner);
  if (input === null || typeof input !== 'object') return [];
  if (d.type === 'array' && d.element && Array.isArray(input)) return input.flatMap((v, i) => unknownKeys(d.element!, v, [...path, i]));
  if (d.type === 'record' && d.valueType && !Array.isArray(input)) return Object.entries(input as Record<string, unknown>).flatMap(([k, v]) => unknownKeys(d.valueType!, v, [...path, k]));
  if (d.type !== 'object' || !d.shape || Array.isArray(input)) return [];
  const shape = d.shape;
  return Object.entries(input as Record<string, unknown>).flatMap(([k, v]) =>
    Object.prototype.hasOwnProperty.call(shape, k) ? unknownKeys(shape[k], v, [...path, k]) : [{ path: [...path, k], suggestion: nearest(k, Object.keys(shape)), known: Object.keys(shape) }],
  );
}

/** The known key nearest to `word` (edit distance at most a third of its length, at least 2), if any. */
export function nearest(word: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const k of known) {
    const dist = distance(word.toLowerCase(), k.toLowerCase());
    if (dist < bestDistance) [best, bestDistance] = [k, dist];
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
