/**
 * Translates the search language (core/query.ts) to an SQLite WHERE clause over the events table.
 * With the field index (sqlite-field-index.ts) built, field terms, prefixes, `field:*` and ranges on
 * the typed fields read the index; otherwise, and for what the index cannot answer exactly (a leading
 * wildcard, a range on another field), the event's JSON is read.
 */
import { parseQuery, type QueryNode } from '../query';
import { existsTerm, MAX_VALUE, NO_VALUE_TERMS, RANGE_FIELDS, termQuery, valueTerm, type FieldIndexLookup } from './sqlite-field-index';

export interface SqlFragment {
  sql: string;
  params: unknown[];
  /** The rowids of an index lookup every match must be in (a top-level term), to drive the search from: SELECT … */
  narrow?: { sql: string; params: unknown[] };
}

/**
 * The event document for SQLite's JSON functions: a row they cannot read (nested deeper than SQLite's
 * limit of 1000, written before the store bounded depth) counts as an empty object instead of failing
 * the whole query for everyone of that agency.
 */
export const EVENT_JSON = "(CASE WHEN json_valid(e.doc) THEN e.doc ELSE '{}' END)";

export function jsonPath(field: string): string {
  return '$' + field.split('.').map((p) => '."' + p.replace(/"/g, '') + '"').join('');
}

function likePattern(value: string, wildcard: boolean, contains: boolean): string {
  let out = '';
  for (const ch of value) {
    if (ch === '%' || ch === '_' || ch === '\\') out += '\\' + ch;
    else if (wildcard && ch === '*') out += '%';
    else if (wildcard && ch === '?') out += '_';
    else out += ch;
  }
  return contains ? `%${out}%` : out;
}

function ftsPhrase(value: string): string {
  return '"' + value.replace(/"/g, '""') + '"';
}

const isNumber = (s: string) => /^-?\d+(\.\d+)?$/.test(s);

/** An object's `field:*` is the OR of the fields under it, up to this many (more: the JSON check). */
const MAX_EXISTS_OR = 256;
const IN_TERMS = '(e.rowid IN (SELECT rowid FROM event_terms WHERE event_terms MATCH ?))';
const BOUNDS = [['>', 'gt'], ['>=', 'gte'], ['<', 'lt'], ['<=', 'lte']] as const;

/** A field term from the index: exact when the value (or the literal start of a `abc*` pattern) fits in a term. */
function indexedTerm(node: QueryNode & { type: 'term'; field: string }, id: number | null, out: unknown[], scan: () => string): string | null {
  const firstWild = node.wildcard ? node.value.search(/[*?]/) : -1;
  const literal = firstWild < 0 ? node.value : node.value.slice(0, firstWild);
  const purePrefix = firstWild >= 0 && firstWild === node.value.length - 1 && node.value.endsWith('*');
  if (firstWild === 0 || NO_VALUE_TERMS.has(node.field)) return null; // a leading wildcard: no start to look up
  if (id === null) return '0'; // no event has the field
  const fits = literal.length <= MAX_VALUE;
  if (firstWild < 0 && fits) {
    out.push(termQuery(valueTerm(id, literal), false));
    return IN_TERMS;
  }
  if (purePrefix && fits) {
    out.push(termQuery(valueTerm(id, literal).replace(/_zz$/, ''), true));
    return IN_TERMS;
  }
  // a long value, or a pattern with more after its start: the index narrows, the JSON decides
  const start = literal.slice(0, MAX_VALUE);
  out.push(termQuery(valueTerm(id, start).replace(/_zz$/, ''), true));
  return `(${IN_TERMS} AND ${scan()})`;
}

/** A range on a typed field from event_values: numbers with numbers, text with text (as the JSON check). */
function indexedRange(node: QueryNode & { type: 'range' }, id: number | null, out: unknown[]): string | null {
  if (!RANGE_FIELDS.has(node.field)) return null;
  const bounds = BOUNDS.filter(([, k]) => node[k] !== undefined);
  if (!bounds.length) return null;
  const numeric = bounds.every(([, k]) => isNumber(node[k]!));
  if (!numeric && bounds.some(([, k]) => isNumber(node[k]!))) return null;
  if (id === null) return '0';
  const conds = bounds.map(([op, k]) => {
    out.push(numeric ? Number(node[k]) : node[k]);
    return `v ${op} ?`;
  });
  out.splice(out.length - conds.length, 0, id);
  if (numeric) conds.push("v < ''"); // every number sorts before any text
  return `(e.rowid IN (SELECT rid FROM event_values WHERE field = ? AND ${conds.join(' AND ')}))`;
}

function toSql(node: QueryNode, out: unknown[], index: FieldIndexLookup | null): string {
  switch (node.type) {
    case 'all':
      return '1';
    case 'and':
      return '(' + node.children.map((c) => toSql(c, out, index)).join(' AND ') + ')';
    case 'or':
      return '(' + node.children.map((c) => toSql(c, out, index)).join(' OR ') + ')';
    case 'not':
      return '(NOT ' + toSql(node.child, out, index) + ')';
    case 'exists':
      if (index && node.field !== 'organization.id' && node.field !== 'tenant') {
        const id = index.fieldId(node.field);
        if (id === null) return '0';
        const under = index.within(node.field, MAX_EXISTS_OR);
        if (under.length <= MAX_EXISTS_OR) {
          out.push([id, ...under].map((f) => termQuery(existsTerm(f), false)).join(' OR '));
          return IN_TERMS;
        }
      }
      out.push(jsonPath(node.field));
      return `(json_type(${EVENT_JSON}, ?) IS NOT NULL)`;
    case 'range': {
      if (node.field === '@timestamp') {
        const parts: string[] = [];
        for (const [op, key] of [['>', 'gt'], ['>=', 'gte'], ['<', 'lt'], ['<=', 'lte']] as const) {
          const v = node[key];
          if (v === undefined) continue;
          const ms = Date.parse(v);
          if (Number.isNaN(ms)) throw new Error(`@timestamp range value "${v}" is not a date`);
          parts.push(`e.ts ${op} ?`);
          out.push(ms);
        }
        return parts.length ? '(' + parts.join(' AND ') + ')' : '1';
      }
      if (index) {
        const sql = indexedRange(node, index.fieldId(node.field), out);
        if (sql !== null) return sql;
      }
      const conds: string[] = [];
      for (const [op, key] of BOUNDS) {
        const v = node[key];
        if (v === undefined) continue;
        if (isNumber(v)) {
          conds.push(`CAST(j.value AS REAL) ${op} ?`);
          out.push(Number(v));
        } else {
          conds.push(`j.value ${op} ?`);
          out.push(v);
        }
      }
      out.splice(out.length - conds.length, 0, jsonPath(node.field));
      return `EXISTS (SELECT 1 FROM json_each(${EVENT_JSON}, ?) j WHERE ${conds.join(' AND ') || '1'})`;
    }
    case 'term': {
      if (node.field === null) {
        if (!node.wildcard) {
          out.push(ftsPhrase(node.value));
          return '(e.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?))';
        }
        out.push(likePattern(node.value, true, true));
        return "(e.doc LIKE ? ESCAPE '\\')";
      }
      if (node.field === 'organization.id' || node.field === 'tenant') {
        out.push(node.value);
        return '(e.tenant = ?)';
      }
      const field = node.field;
      const scan = () => {
        out.push(jsonPath(field), likePattern(node.value, node.wildcard, false));
        return `EXISTS (SELECT 1 FROM json_each(${EVENT_JSON}, ?) j WHERE j.value LIKE ? ESCAPE '\\')`;
      };
      if (index) {
        const sql = indexedTerm({ ...node, field }, index.fieldId(field), out, scan);
        if (sql !== null) return sql;
      }
      return scan();
    }
  }
}

/**
 * The same WHERE with every full-text lookup (field terms, free text) cut to rowids lo..hi: the span of
 * the agency's time window, so a common term's list is read for the window only, not for all time.
 */
export function withRowidSpan(sql: string, lo: number, hi: number): string {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) throw new Error('store: a rowid span is two integers');
  return sql.split('MATCH ?))').join(`MATCH ? AND rowid BETWEEN ${lo} AND ${hi}))`);
}

/** The WHERE fragment of a search; `index` (fieldIndexLookup) when the field index may answer. */
export function queryToSql(q: string | undefined, index: FieldIndexLookup | null = null): SqlFragment {
  const params: unknown[] = [];
  const node = parseQuery(q);
  const sql = toSql(node, params, index);
  for (const c of index ? (node.type === 'and' ? node.children : [node]) : []) {
    const p: unknown[] = [];
    const m = /^\(e\.rowid IN \((SELECT [^()]*)\)\)$/.exec(toSql(c, p, index));
    if (m) return { sql, params, narrow: { sql: m[1], params: p } };
  }
  return { sql, params };
}
