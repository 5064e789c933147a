/** Threat-intelligence indicators and agency blocklists in Elasticsearch/OpenSearch (intel/): one index each, documents by id. */
import type { BlocklistEntry, Indicator } from '../../intel/indicator';
import type { Dsl } from './es-query';
import type { SearchClient } from './search-client';
import type { IntelRepository, TenantScope } from './store';

export const INTEL_MAPPINGS: Record<string, Dsl> = {
  indicators: { properties: { tenant: { type: 'keyword' }, value: { type: 'keyword' }, expires: { type: 'date' }, updated: { type: 'date' }, created: { type: 'date' } } },
  blocklist: { properties: { tenant: { type: 'keyword' }, created: { type: 'date' }, expires: { type: 'date' } } },
};


const scopeFilter = (tenants: TenantScope): Dsl[] =>
  tenants === null ? [] : [{ bool: { should: [{ bool: { must_not: { exists: { field: 'tenant' } } } }, ...(tenants.length ? [{ terms: { tenant: tenants } }] : [])], minimum_should_match: 1 } }];

export function esIntelRepository(client: SearchClient, prefix: string): IntelRepository {
  const indicators = `${prefix}-indicators`;
  const blocklist = `${prefix}-blocklist`;
  const opts = { ignore_unavailable: true, allow_no_indices: true };
  return {
    async putIndicators(items) {
      for (let i = 0; i < items.length; i += 5000) {
        const page = items.slice(i, i + 5000);
        const r = await client.bulk({ refresh: true, operations: page.flatMap((d) => [{ index: { _index: indicators, _id: d.id } }, d]) });
        const bad = r.items.find((it) => it.index?.error);
        if (bad) throw new Error(`store: Elasticsearch refused indicator ${bad.index?._id}: ${bad.index?.error?.type}: ${bad.index?.error?.reason ?? ''}`);
      }
    },
    async listIndicators(q) {
      const filter: Dsl[] = [...scopeFilter(q.tenants)];
      if (q.type) filter.push({ term: { type: q.type } });
      if (q.q) filter.push({ wildcard: { value: { value: `*${q.q.toLowerCase().replace(/[*?\\]/g, (c) => `\\${c}`)}*` } } });
      const r = await client.search<Indicator>({
        index: indicators, query: { bool: { filter } }, sort: [{ updated: { order: 'desc', unmapped_type: 'date' } }, { id: { order: 'asc', unmapped_type: 'keyword' } }] as never,
        size: q.limit ?? 100, from: q.offset ?? 0, track_total_hits: true, ...opts,
      });
      const total = typeof r.hits.total === 'number' ? r.hits.total : (r.hits.total?.value ?? 0);
      return { items: r.hits.hits.map((h) => h._source as Indicator), total };
    },
    async loadIndicators(now) {
      const out: Indicator[] = [];
      let after: unknown[] | undefined;
      const query = { bool: { should: [{ bool: { must_not: { exists: { field: 'expires' } } } }, { range: { expires: { gt: now } } }], minimum_should_match: 1 } };
      for (;;) {
        const r = await client.search<Indicator>({ index: indicators, query, sort: [{ id: { order: 'asc', unmapped_type: 'keyword' } }] as never, size: 10_000, ...(after ? { search_after: after as never } : {}), ...opts });
        const hits = r.hits.hits;
        for (const h of hits) out.push(h._source as Indicator);
        if (hits.length < 10_000) return out;
        after = hits[hits.length - 1].sort as unknown[];
      }
    },
    async putBlocklistEntry(e) {
      await client.index({ index: blocklist, id: e.id, document: e, refresh: true });
    },
    async listBlocklist(tenant) {
      const r = await client.search<BlocklistEntry>({ index: blocklist, query: { term: { tenant } }, sort: [{ created: { order: 'asc', unmapped_type: 'date' } }, { id: { order: 'asc', unmapped_type: 'keyword' } }] as never, size: 10_000, ...opts });
      return r.hits.hits.map((h) => h._source as BlocklistEntry);
    },
  };
}
