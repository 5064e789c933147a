/**
 * Retention on Elasticsearch/OpenSearch: an agency's events older than a time, deleted oldest
 * first in bulk batches, each refreshed before the next is chosen, so a stop mid-run leaves
 * every batch either done or not started. (The store's own retention_days still drops whole
 * daily indices past it, for every agency: capDays.)
 */
import type { SearchClient } from './search-client';
import type { EventRetention } from './store';

export interface EsRetentionDeps {
  client: SearchClient;
  events: string; // the event indices' pattern
  fresh: () => Promise<void>; // this process's writes made visible first
  capDays: number;
}

const where = (tenant: string, before?: string) => ({
  bool: { filter: [{ term: { 'organization.id': tenant } }, ...(before ? [{ range: { '@timestamp': { lt: new Date(before).toISOString() } } }] : [])] },
});
const opts = { ignore_unavailable: true, allow_no_indices: true } as const;

export function esRetention(deps: EsRetentionDeps): EventRetention {
  const { client, events } = deps;
  return {
    capDays: deps.capDays,
    async tenants() {
      await deps.fresh();
      const r = await client.search({ index: events, size: 0, ...opts, aggs: { t: { terms: { field: 'organization.id', size: 10_000 } } } });
      const buckets = (r.aggregations?.t as { buckets: { key: string }[] } | undefined)?.buckets ?? [];
      return buckets.map((b) => String(b.key)).filter(Boolean);
    },
    async oldest(tenant) {
      await deps.fresh();
      const r = await client.search<{ '@timestamp'?: string }>({ index: events, size: 1, ...opts, query: where(tenant), _source: ['@timestamp'], sort: [{ '@timestamp': { order: 'asc', unmapped_type: 'date' } }] as never });
      return r.hits.hits[0]?._source?.['@timestamp'] ?? null;
    },
    async countBefore(tenant, before) {
      await deps.fresh();
      return (await client.count({ index: events, ...opts, query: where(tenant, before) })).count;
    },
    async deleteBefore(tenant, before, limit) {
      await deps.fresh();
      const r = await client.search({ index: events, size: Math.min(limit, 10_000), ...opts, query: where(tenant, before), _source: false, sort: [{ '@timestamp': { order: 'asc', unmapped_type: 'date' } }] as never });
      const hits = r.hits.hits;
      if (!hits.length) return 0;
      const b = await client.bulk({ refresh: true, operations: hits.map((h) => ({ delete: { _index: h._index, _id: h._id! } })) });
      const failed = b.items.filter((i) => i.delete?.error && i.delete.status !== 404);
      if (failed.length) throw new Error(`retention: Elasticsearch refused to delete ${failed.length} event(s) of ${tenant}: ${failed[0].delete!.error!.reason ?? failed[0].delete!.error!.type}`);
      return hits.length - b.items.filter((i) => i.delete?.status === 404).length;
    },
  };
}
