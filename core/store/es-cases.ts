/** Cases in Elasticsearch/OpenSearch: one index, the case as one document by id; a write checks the version it read (if_seq_no). */
import type { Case } from '../../alerting/cases-model';
import type { CaseQuery, CaseRepository } from './cases';
import type { Dsl } from './es-query';
import { statusOf, type SearchClient } from './search-client';
import { ConflictError } from './store';

// only what cases are found by is indexed; their texts, observables, comments and history are kept, not searched
export const CASE_MAPPINGS: Record<string, Dsl> = {
  cases: {
    dynamic: false,
    properties: {
      id: { type: 'keyword' }, tenant: { type: 'keyword' }, status: { type: 'keyword' }, assignee: { type: 'keyword' },
      incidents: { type: 'keyword' }, updated: { type: 'date' }, created: { type: 'date' }, version: { type: 'long' },
    },
  },
};

function filterOf(q: CaseQuery): Dsl[] {
  const f: Dsl[] = [];
  if (q.tenants !== null) f.push(q.tenants.length ? { terms: { tenant: q.tenants } } : { match_none: {} });
  if (q.status?.length) f.push({ terms: { status: q.status } });
  if (q.assignee) f.push({ term: { assignee: q.assignee } });
  if (q.incidentId) f.push({ term: { incidents: q.incidentId } });
  return f;
}

export function esCaseRepository(client: SearchClient, prefix: string): CaseRepository {
  const index = `${prefix}-cases`;
  const conflict = (e: unknown, id: string) => {
    if (statusOf(e) === 409 || statusOf(e) === 404) return new ConflictError(`case ${id}`);
    return e;
  };
  return {
    async saveCase(c, expectedVersion) {
      if (expectedVersion === null) {
        await client.index({ index, id: c.id, document: c, op_type: 'create', refresh: true }).catch((e: unknown) => { throw conflict(e, c.id); });
        return;
      }
      const current = await client.get<Case>({ index, id: c.id }).catch((e: unknown) => { throw conflict(e, c.id); });
      if (!current.found || current._source?.version !== expectedVersion || current._source?.tenant !== c.tenant) throw new ConflictError(`case ${c.id}`);
      // if_seq_no: a write by someone else between our read and this write is a conflict, not a lost update
      await client.index({ index, id: c.id, document: c, if_seq_no: current._seq_no, if_primary_term: current._primary_term, refresh: true }).catch((e: unknown) => { throw conflict(e, c.id); });
    },
    async getCase(id, tenants) {
      const r = await client.get<Case>({ index, id }).catch((e: unknown) => {
        if (statusOf(e) === 404) return null;
        throw e;
      });
      const c = r?.found ? (r._source as Case) : null;
      return c && (tenants === null || tenants.includes(c.tenant)) ? c : null;
    },
    async listCases(q) {
      const r = await client.search<Case>({
        index, query: { bool: { filter: filterOf(q) } }, size: q.limit ?? 100, from: q.offset ?? 0, track_total_hits: true, ignore_unavailable: true, allow_no_indices: true,
        sort: [{ updated: { order: 'desc', unmapped_type: 'date' } }, { id: { order: 'asc', unmapped_type: 'keyword' } }] as never,
      });
      const total = typeof r.hits.total === 'number' ? r.hits.total : (r.hits.total?.value ?? 0);
      return { items: r.hits.hits.map((h) => h._source as Case), total };
    },
  };
}
