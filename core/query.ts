/**
 * The search language shared by the console and both stores:
 *   field:value  field:"a phrase"  field:wild*card?  field:[10 TO 20]  field:>=400
 *   free text  "a phrase"  a AND b  a OR b  NOT a  -a  (grouping)
 * Adjacent terms are ANDed. Matching is case-insensitive. The stores translate the AST.
 */

import { compileWildcard, foldCase, WorkBudget, type Wildcard } from './wildcard';

export { QueryTooCostlyError } from './wildcard';

export type QueryNode =
  | { type: 'and'; children: QueryNode[] }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  | { type: 'term'; field: string | null; value: string; phrase: boolean; wildcard: boolean }
  | { type: 'exists'; field: string }
  | { type: 'range'; field: string; gt?: string; gte?: string; lt?: string; lte?: string }
  | { type: 'all' };

export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`query syntax error at character ${position + 1}: ${message}`);
    this.name = 'QuerySyntaxError';
  }
}

/** A bound of an @timestamp range must be a date (the stores compare times, not text): refused here with its position. */
function timeBound(field: string, value: string, pos: number): string {
  if (field === '@timestamp' && Number.isNaN(Date.parse(value))) throw new QuerySyntaxError(`@timestamp value "${value}" is not a date (write 2026-12-03 or 2026-12-03T08:00:00+07:00)`, pos);
  return value;
}

type Token =
  | { kind: 'word'; text: string; pos: number; quoted: boolean }
  | { kind: 'lparen' | 'rparen' | 'colon' | 'minus'; pos: number }
  | { kind: 'range'; text: string; pos: number; inclusiveLow: boolean; inclusiveHigh: boolean }
  | { kind: 'cmp'; op: '>' | '>=' | '<' | '<='; pos: number };

const MAX_QUERY = 4096;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      out.push({ kind: 'lparen', pos: i++ });
      continue;
    }
    if (c === ')') {
      out.push({ kind: 'rparen', pos: i++ });
      continue;
    }
    if (c === ':') {
      out.push({ kind: 'colon', pos: i++ });
      continue;
    }
    if (c === '-' && (out.length === 0 || out[out.length - 1].kind !== 'colon')) {
      out.push({ kind: 'minus', pos: i++ });
      continue;
    }
    if ((c === '>' || c === '<') && out.length > 0 && out[out.length - 1].kind === 'colon') {
      const op = src[i + 1] === '=' ? (`${c}=` as '>=' | '<=') : (c as '>' | '<');
      out.push({ kind: 'cmp', op, pos: i });
      i += op.length;
      continue;
    }
    if (c === '[' || c === '{') {
      const close = src.slice(i + 1).search(/[\]}]/);
      if (close < 0) throw new QuerySyntaxError(`range opened with "${c}" is never closed`, i);
      const end = i + 1 + close;
      out.push({ kind: 'range', text: src.slice(i + 1, end), pos: i, inclusiveLow: c === '[', inclusiveHigh: src[end] === ']' });
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        text += src[j++];
      }
      if (j >= src.length) throw new QuerySyntaxError('phrase opened with " is never closed', i);
      out.push({ kind: 'word', text, pos: i, quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    let text = '';
    while (j < src.length && !/[\s():"]/.test(src[j])) {
      if (src[j] === '\\' && j + 1 < src.length) {
        text += src[j + 1];
        j += 2;
        continue;
      }
      text += src[j++];
    }
    // a colon inside a value such as an IPv6 address or a time: keep it when no field came before
    out.push({ kind: 'word', text, pos: i, quoted: false });
    i = j;
  }
  return out;
}

export function parseQuery(src: string | undefined | null): QueryNode {
  const text = (src ?? '').trim();
  if (text === '' || text === '*') return { type: 'all' };
  if (text.length > MAX_QUERY) throw new QuerySyntaxError(`query is longer than ${MAX_QUERY} characters`, MAX_QUERY);
  const tokens = tokenize(text);
  let p = 0;
  const peek = () => tokens[p];
  const isOp = (t: Token | undefined, op: string) => t?.kind === 'word' && !t.quoted && t.text === op;

  function parseOr(): QueryNode {
    const children = [parseAnd()];
    while (isOp(peek(), 'OR')) {
      p++;
      children.push(parseAnd());
    }
    return children.length === 1 ? children[0] : { type: 'or', children };
  }
  function parseAnd(): QueryNode {
    const children = [parseNot()];
    for (;;) {
      const t = peek();
      if (!t || t.kind === 'rparen' || isOp(t, 'OR')) break;
      if (isOp(t, 'AND')) p++;
      children.push(parseNot());
    }
    return children.length === 1 ? children[0] : { type: 'and', children };
  }
  function parseNot(): QueryNode {
    const t = peek();
    if (isOp(t, 'NOT') || t?.kind === 'minus') {
      p++;
      return { type: 'not', child: parseNot() };
    }
    return parsePrimary();
  }
  function parsePrimary(): QueryNode {
    const t = peek();
    if (!t) throw new QuerySyntaxError('the query ends where a term was expected', text.length);
    if (t.kind === 'lparen') {
      p++;
      const inner = parseOr();
      const close = peek();
      if (!close || close.kind !== 'rparen') throw new QuerySyntaxError('missing ")"', close ? close.pos : text.length);
      p++;
      return inner;
    }
    if (t.kind !== 'word') throw new QuerySyntaxError(`unexpected "${text.slice(t.pos, t.pos + 1)}"`, t.pos);
    p++;
    const next = peek();
    if (!t.quoted && next?.kind === 'colon') {
      p++;
      const field = t.text;
      if (!/^[@A-Za-z_][\w.@-]*$/.test(field)) throw new QuerySyntaxError(`"${field}" is not a field name`, t.pos);
      const v = peek();
      if (!v) throw new QuerySyntaxError(`field "${field}" has no value`, text.length);
      p++;
      if (v.kind === 'range') {
        const m = /^\s*(\S+)\s+TO\s+(\S+)\s*$/.exec(v.text);
        if (!m) throw new QuerySyntaxError('a range is written [low TO high]', v.pos);
        const node: QueryNode = { type: 'range', field };
        if (m[1] !== '*') node[v.inclusiveLow ? 'gte' : 'gt'] = timeBound(field, m[1], v.pos);
        if (m[2] !== '*') node[v.inclusiveHigh ? 'lte' : 'lt'] = timeBound(field, m[2], v.pos);
        return node;
      }
      if (v.kind === 'cmp') {
        const w = peek();
        if (!w || w.kind !== 'word') throw new QuerySyntaxError(`"${v.op}" needs a value`, v.pos);
        p++;
        const key = ({ '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' } as const)[v.op];
        return { type: 'range', field, [key]: timeBound(field, w.text, w.pos) };
      }
      if (v.kind !== 'word') throw new QuerySyntaxError(`field "${field}" has no value`, v.pos);
      let value = v.text;
      // values that contain colons (IPv6, times) arrive split: glue unquoted pieces back
      while (!v.quoted && peek()?.kind === 'colon' && tokens[p + 1]?.kind === 'word') {
        value += ':' + (tokens[p + 1] as { text: string }).text;
        p += 2;
      }
      if (!v.quoted && value === '*') return { type: 'exists', field };
      return { type: 'term', field, value, phrase: v.quoted, wildcard: !v.quoted && /[*?]/.test(value) };
    }
    return { type: 'term', field: null, value: t.text, phrase: t.quoted, wildcard: !t.quoted && /[*?]/.test(t.text) };
  }

  const node = parseOr();
  if (p < tokens.length) throw new QuerySyntaxError('unexpected ")"', tokens[p].pos);
  return node;
}

/** Fields a query names, for audit and autocompletion. */
export function queryFields(node: QueryNode): string[] {
  switch (node.type) {
    case 'and':
    case 'or':
      return [...new Set(node.children.flatMap(queryFields))];
    case 'not':
      return queryFields(node.child);
    case 'term':
      return node.field ? [node.field] : [];
    case 'exists':
    case 'range':
      return [node.field];
    default:
      return [];
  }
}

/** Folds diacritics ("mật khẩu" → "mat khau") so free text matches with or without them, as SQLite's FTS does. */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** Lower case, diacritics folded: how the in-memory matcher compares free text. */
export function foldText(s: string): string {
  return foldDiacritics(s).toLowerCase();
}

function leafValues(v: unknown, out: unknown[] = [], depth = 0): unknown[] {
  if (depth > 10 || v === undefined || v === null) return out;
  if (Array.isArray(v)) v.forEach((x) => leafValues(x, out, depth + 1));
  else if (typeof v === 'object') Object.values(v as object).forEach((x) => leafValues(x, out, depth + 1));
  else out.push(v);
  return out;
}

function fieldValues(doc: Record<string, unknown>, field: string): unknown[] {
  let cur: unknown[] = [doc];
  for (const part of field.split('.')) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (c === null || typeof c !== 'object') continue;
      const v = (c as Record<string, unknown>)[part];
      if (Array.isArray(v)) next.push(...v);
      else if (v !== undefined) next.push(v);
    }
    cur = next;
    if (!cur.length) {
      const flat = (doc as Record<string, unknown>)[field]; // a literal dotted key
      return flat === undefined ? [] : Array.isArray(flat) ? flat : [flat];
    }
  }
  return cur.filter((v) => v === null || typeof v !== 'object');
}

/** Work allowed for one query on one document: ~0.1–0.5 s of scanning at worst, far above any real exception. */
export const DEFAULT_QUERY_BUDGET = 50_000_000;

/** What one evaluation computes at most once however many terms need it: texts folded, field values, compiled wildcards. */
interface Evaluation {
  doc: Record<string, unknown>;
  budget: WorkBudget;
  text?: string; // free text: every leaf value, diacritics folded, lower case
  textFolded?: string; // the same, case-folded for wildcards
  tokens?: string[];
  fields: Map<string, { values: string[]; lower?: string[]; folded?: string[] }>;
}

const compiled = new WeakMap<QueryNode, Wildcard>();

function wildcardOf(node: QueryNode & { type: 'term' }): Wildcard {
  let w = compiled.get(node);
  if (!w) {
    w = compileWildcard(node.field === null ? `*${foldText(node.value)}*` : node.value);
    compiled.set(node, w);
  }
  return w;
}

function fieldOf(ev: Evaluation, field: string): { values: string[]; lower?: string[]; folded?: string[] } {
  let f = ev.fields.get(field);
  if (!f) {
    f = { values: fieldValues(ev.doc, field).map((v) => String(v)) };
    ev.fields.set(field, f);
  }
  return f;
}

function freeText(ev: Evaluation): string {
  if (ev.text === undefined) {
    ev.text = foldText(leafValues(ev.doc).map(String).join(' '));
    ev.budget.spend(ev.text.length);
  }
  return ev.text;
}

function termMatches(node: QueryNode & { type: 'term' }, ev: Evaluation): boolean {
  if (node.field !== null) {
    const f = fieldOf(ev, node.field);
    if (node.wildcard) {
      const w = wildcardOf(node);
      f.folded ??= f.values.map(foldCase);
      return f.folded.some((v) => w.testFolded(v, ev.budget));
    }
    const want = node.value.toLowerCase();
    f.lower ??= f.values.map((v) => v.toLowerCase());
    ev.budget.spend(f.lower.length);
    return f.lower.includes(want);
  }
  if (node.wildcard) {
    ev.textFolded ??= foldCase(freeText(ev));
    return wildcardOf(node).testFolded(ev.textFolded, ev.budget);
  }
  const words = foldText(node.value).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (!words.length) return true;
  ev.tokens ??= freeText(ev).split(/[^\p{L}\p{N}]+/u);
  const tokens = ev.tokens;
  // a phrase: its words in order; a single word: anywhere
  for (let i = 0; i + words.length <= tokens.length; i++) {
    if (tokens[i] !== words[0]) continue;
    ev.budget.spend(words.length);
    if (words.every((w, j) => tokens[i + j] === w)) return true;
  }
  ev.budget.spend(tokens.length);
  return false;
}

function evaluate(node: QueryNode, ev: Evaluation): boolean {
  ev.budget.spend(1);
  switch (node.type) {
    case 'all':
      return true;
    case 'and':
      return node.children.every((c) => evaluate(c, ev));
    case 'or':
      return node.children.some((c) => evaluate(c, ev));
    case 'not':
      return !evaluate(node.child, ev);
    case 'exists':
      return fieldOf(ev, node.field).values.length > 0;
    case 'range':
      return fieldValues(ev.doc, node.field).some((v) => {
        const n = typeof v === 'number' ? v : Number(v);
        const numeric = [node.gt, node.gte, node.lt, node.lte].every((b) => b === undefined || /^-?\d+(\.\d+)?$/.test(b)) && !Number.isNaN(n);
        const cmp = (b: string) => (numeric ? n - Number(b) : String(v).localeCompare(b));
        return (node.gt === undefined || cmp(node.gt) > 0) && (node.gte === undefined || cmp(node.gte) >= 0) && (node.lt === undefined || cmp(node.lt) < 0) && (node.lte === undefined || cmp(node.lte) <= 0);
      });
    case 'term':
      return termMatches(node, ev);
  }
}

/**
 * Evaluates a parsed query against one document in memory, with the stores' semantics:
 * field terms match any value of the field case-insensitively (wildcards * ?), free text
 * finds the words in any value (diacritics folded), ranges compare numbers or text.
 * Throws QueryTooCostlyError when the work passes `budget` steps (characters compared).
 */
export function matchesQuery(node: QueryNode, doc: Record<string, unknown>, opts: { budget?: number } = {}): boolean {
  return evaluate(node, { doc, budget: new WorkBudget(opts.budget ?? DEFAULT_QUERY_BUDGET), fields: new Map() });
}
