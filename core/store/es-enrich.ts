/**
 * threat.enrichments written into stored events in Elasticsearch/OpenSearch: the document is
 * found by id in the daily event indices and indexed again whole in its own index (the free-text
 * field is not in _source, so a partial update would lose it; it is computed again, enrichments
 * included). A document kept with its fields unindexed stays so.
 */
import type { EcsEvent } from '../event';
import { withEnrichments, type EventEnrichment } from './enrichment';
import { FIELDS_TAG, fromEsDocument, toEsDocument } from './es-document';
import { fold, TEXT_FIELD } from './es-query';
import type { SearchClient } from './search-client';
import { searchableText } from './text';

export interface EsEnrichDeps {
  client: SearchClient;
  events: string; // the event indices' pattern
  fresh: () => Promise<void>; // this process's writes made visible first
  written: () => void; // and the rewritten documents marked as not yet visible
}

export function esEnrichEvents(deps: EsEnrichDeps): (items: EventEnrichment[]) => Promise<string[]> {
  return async (items) => {
    if (!items.length) return [];
    await deps.fresh();
    const ids = [...new Set(items.map((i) => i.id))];
    const r = await deps.client.search<Record<string, unknown>>({ index: deps.events, query: { ids: { values: ids } }, size: ids.length, ignore_unavailable: true, allow_no_indices: true });
    const found = new Map<string, { index: string; ev: EcsEvent }>(r.hits.hits.map((h) => [h._id!, { index: h._index, ev: fromEsDocument<EcsEvent>(h._source) }]));
    const ops: object[] = [];
    for (const it of items) {
      const hit = found.get(it.id);
      const merged = hit && withEnrichments(hit.ev, it.enrichments);
      if (!hit || !merged) continue;
      hit.ev = merged; // two entries for one event add up
      const tags = Array.isArray(merged.tags) ? (merged.tags as unknown[]) : [];
      const unindexed = tags.includes(FIELDS_TAG);
      const doc = unindexed ? { ...merged, tags: tags.filter((t) => t !== FIELDS_TAG) } : merged; // the tag is added again when kept unindexed
      ops.push({ index: { _index: hit.index, _id: it.id } }, toEsDocument(doc, { field: TEXT_FIELD, value: fold(searchableText(doc)) }, unindexed));
    }
    if (ops.length) {
      const res = await deps.client.bulk({ operations: ops });
      const bad = res.items.find((x) => x.index?.error);
      if (bad) throw new Error(`store: Elasticsearch refused threat.enrichments of event ${bad.index?._id}: ${bad.index?.error?.type}: ${bad.index?.error?.reason ?? ''}`);
      deps.written();
    }
    return ids.filter((id) => !found.has(id));
  };
}
