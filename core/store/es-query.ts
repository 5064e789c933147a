/**
 * Translates the search language (core/query.ts) to Elasticsearch query DSL over the event indices.
 * Every string, number and boolean is indexed as keyword (numbers also as `<field>.num`), so a
 * field:value test matches the whole value case-insensitively, as in the SQLite store; free text
 * searches `canhgac_text`, an analysed, diacritic-folded copy of every value not kept in _source.
 */
import { foldDiacritics, parseQuery, type QueryNode } from '../query';

export type Dsl = Record<string, unknown>;

/** The analysed field free text searches: every string and number of the event, joined. */
export const TEXT_FIELD = 'canhgac_text';

export const fold = foldDiacritics;

const isNumber = (s: string) => /^-?\d+(\.\d+)?$/.test(s);

function field(name: string): string {
  return name === 'tenant' ? 'organization.id' : name;
}

function toDsl(node: QueryNode): Dsl {
  switch (node.type) {
    case 'all':
      return { match_all: {} };
    case 'and':
      return { bool: { filter: node.children.map(toDsl) } };
    case 'or':
      return { bool: { should: node.children.map(toDsl), minimum_should_match: 1 } };
    case 'not':
      return { bool: { must_not: [toDsl(node.child)] } };
    case 'exists':
      return { exists: { field: field(node.field) } };
    case 'range': {
      const bounds = (['gt', 'gte', 'lt', 'lte'] as const).filter((k) => node[k] !== undefined);
      if (node.field === '@timestamp') {
        const range: Record<string, string> = {};
        for (const k of bounds) {
          const ms = Date.parse(node[k]!);
          if (Number.isNaN(ms)) throw new Error(`@timestamp range value "${node[k]}" is not a date`);
          range[k] = new Date(ms).toISOString();
        }
        return bounds.length ? { range: { '@timestamp': range } } : { match_all: {} };
      }
      // numbers compare as numbers (the .num sub-field), anything else as text, like the SQLite store
      const numeric = bounds.every((k) => isNumber(node[k]!));
      const range: Record<string, string | number> = {};
      for (const k of bounds) range[k] = numeric ? Number(node[k]) : node[k]!;
      return { range: { [numeric ? `${field(node.field)}.num` : field(node.field)]: range } };
    }
    case 'term': {
      if (node.field === null) {
        const value = fold(node.value);
        if (node.wildcard) return { wildcard: { [TEXT_FIELD]: { value: value.toLowerCase(), case_insensitive: true } } };
        if (node.phrase) return { match_phrase: { [TEXT_FIELD]: value } };
        return { match: { [TEXT_FIELD]: { query: value, operator: 'and' } } };
      }
      const f = field(node.field);
      if (node.wildcard) return { wildcard: { [f]: { value: node.value, case_insensitive: true } } };
      return { term: { [f]: { value: node.value, case_insensitive: true } } };
    }
  }
}

/** The query DSL for a search-language string; throws QuerySyntaxError naming the character. */
export function queryToDsl(q: string | undefined): Dsl {
  return toDsl(parseQuery(q));
}
