/**
 * The audit log's agency filter on Elasticsearch/OpenSearch. An entry's agencies live in its
 * details, which are stored unindexed (free-form, hashed as written), so each audit document
 * also carries them as indexed fields beside the chained ones: `reader_agencies` (the distinct
 * names) and `reader_agency_count`. A scoped reader's query is then "at least one agency, and
 * as many of them in the reader's scope as the entry has" (terms_set), so the cluster pages
 * over that agency's entries alone. The hash chain does not cover these fields: they are read
 * from the details it does cover.
 */
import { auditAgencies } from '../audit';
import type { AuditEntry } from '../model';
import type { SearchClient } from './search-client';

type Dsl = Record<string, unknown>;

export const AUDIT_READER_PROPERTIES = { reader_agencies: { type: 'keyword' }, reader_agency_count: { type: 'integer' } } as const;

export interface AuditReaderFields { reader_agencies: string[]; reader_agency_count: number }

/** The indexed copy of the agencies an entry concerns (auditAgencies, deduplicated). */
export function auditReaderFields(e: Pick<AuditEntry, 'details'>): AuditReaderFields {
  const names = [...new Set(auditAgencies(e))];
  return { reader_agencies: names, reader_agency_count: names.length };
}

/** The entries a reader of these agencies may see (as auditVisible): none for an empty scope. */
export function auditScopeQuery(agencies: string[]): Dsl {
  if (!agencies.length) return { match_none: {} };
  return {
    bool: {
      filter: [
        { range: { reader_agency_count: { gte: 1 } } },
        { terms_set: { reader_agencies: { terms: agencies, minimum_should_match_field: 'reader_agency_count' } } },
      ],
    },
  };
}

/** An audit document as read back: the chained entry without its indexed copy of the agencies. */
export function auditEntryOf(doc: AuditEntry & Partial<AuditReaderFields>): AuditEntry {
  const { reader_agencies: _names, reader_agency_count: _count, ...entry } = doc;
  return entry;
}

/**
 * Gives the entries written before the indexed fields existed their copy, so a scoped reader
 * still sees its agency's older entries. Pages of 1000 until none is left; returns how many.
 */
export async function backfillAuditReaders(client: SearchClient, index: string): Promise<number> {
  await client.indices.putMapping({ index, properties: AUDIT_READER_PROPERTIES } as never).catch((e: Error) => {
    throw new Error(`store: cannot add the agency fields (reader_agencies, reader_agency_count) to ${index}, which agency readers of the audit log need: ${e.message}`);
  });
  let updated = 0;
  for (;;) {
    const r = await client.search<AuditEntry>({ index, query: { bool: { must_not: { exists: { field: 'reader_agency_count' } } } }, size: 1000, _source: ['details'] });
    const hits = r.hits.hits;
    if (!hits.length) return updated;
    const operations = hits.flatMap((h) => [{ update: { _index: h._index, _id: h._id!, retry_on_conflict: 3 } }, { doc: auditReaderFields(h._source ?? {}) }]);
    const res = await client.bulk({ refresh: true, operations });
    if (res.errors) throw new Error(`store: could not index the agencies of ${hits.length} older audit entries in ${index}: ${JSON.stringify(res.items.find((i) => i.update?.error)?.update?.error ?? {})}`);
    updated += hits.length;
  }
}
