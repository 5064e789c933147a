/** Translates the search language (core/query.ts) to an SQLite WHERE clause over the events table. */
import { parseQuery, type QueryNode } from '../query';

export interface SqlFragment {
  sql: string;
  params: unknown[];
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

function toSql(node: QueryNode, out: unknown[]): string {
  switch (node.type) {
    case 'all':
      return '1';
    case 'and':
      return '(' + node.children.map((c) => toSql(c, out)).join(' AND ') + ')';
    case 'or':
      return '(' + node.children.map((c) => toSql(c, out)).join(' OR ') + ')';
    case 'not':
      return '(NOT ' + toSql(node.child, out) + ')';
    case 'exists':
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
      const conds: string[] = [];
      for (const [op, key] of [['>', 'gt'], ['>=', 'gte'], ['<', 'lt'], ['<=', 'lte']] as const) {
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
      out.push(jsonPath(node.field), likePattern(node.value, node.wildcard, false));
      return `EXISTS (SELECT 1 FROM json_each(${EVENT_JSON}, ?) j WHERE j.value LIKE ? ESCAPE '\\')`;
    }
  }
}

export function queryToSql(q: string | undefined): SqlFragment {
  const params: unknown[] = [];
  const sql = toSql(parseQuery(q), params);
  return { sql, params };
}
