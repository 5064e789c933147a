/**
 * Vulnerability findings, assets and scan imports in Elasticsearch/OpenSearch: four indices, documents by
 * deterministic id (findingId, tenant|address, import id), so a re-import updates instead of duplicating.
 * A search store has no transaction: staged findings sit in their own index, invisible to every read, and a
 * commit writes findings, closes, assets and the import record in bulk; commits of this process run one
 * at a time, as the embedded store's transactions do.
 */
import type { ScanHost, VulnSeverity } from '../../vuln/finding';
import type { Dsl } from './es-query';
import type { SearchClient } from './search-client';
import type { TenantScope } from './store';
import { assetAfter, closedBy, emptyBySeverity, seenAgain, type Asset, type Finding, type ScanImport, type StagedFinding, type VulnRepository } from './vulns';

// only what findings, assets and imports are found and sorted by is indexed; the rest is kept, not searched
export const VULN_MAPPINGS: Record<string, Dsl> = {
  'vuln-staging': { dynamic: false, properties: { importId: { type: 'keyword' }, id: { type: 'keyword' }, finding: { type: 'object', enabled: false } } },
  'vuln-findings': {
    dynamic: false,
    properties: {
      id: { type: 'keyword' }, tenant: { type: 'keyword' }, source: { type: 'keyword' }, host: { type: 'keyword' }, status: { type: 'keyword' },
      severity: { type: 'keyword' }, cvss: { type: 'double' }, importId: { type: 'keyword' }, lastSeen: { type: 'date' },
    },
  },
  'vuln-assets': { dynamic: false, properties: { id: { type: 'keyword' }, tenant: { type: 'keyword' }, address: { type: 'keyword' }, lastScan: { type: 'date' } } },
  'vuln-imports': { dynamic: false, properties: { id: { type: 'keyword' }, tenant: { type: 'keyword' }, source: { type: 'keyword' }, at: { type: 'date' } } },
};

interface StagedDoc {
  importId: string;
  id: string;
  finding: StagedFinding;
}

const PAGE = 1000;
const WINDOW = 10_000; // index.max_result_window: from + size beyond it needs search_after
const OPTS = { ignore_unavailable: true, allow_no_indices: true } as const;

const scope = (tenants: TenantScope): Dsl[] => (tenants === null ? [] : [tenants.length ? { terms: { tenant: tenants } } : { match_none: {} }]);
const chunks = <T>(items: T[], n: number): T[][] => Array.from({ length: Math.ceil(items.length / n) }, (_, i) => items.slice(i * n, (i + 1) * n));
// cvss missing sorts as -1, as the embedded store's coalesce(cvss, -1) does; the id makes every sort total, for search_after
const FINDING_SORT: Dsl[] = [
  { cvss: { order: 'desc', missing: -1, unmapped_type: 'double' } }, { tenant: { order: 'asc', unmapped_type: 'keyword' } },
  { host: { order: 'asc', unmapped_type: 'keyword' } }, { id: { order: 'asc', unmapped_type: 'keyword' } },
];
const BY_ID: Dsl[] = [{ id: { order: 'asc', unmapped_type: 'keyword' } }];

export function esVulnRepository(client: SearchClient, prefix: string): VulnRepository {
  const staging = `${prefix}-vuln-staging`;
  const findings = `${prefix}-vuln-findings`;
  const assets = `${prefix}-vuln-assets`;
  const imports = `${prefix}-vuln-imports`;
  let commits: Promise<unknown> = Promise.resolve();

  /** Bulk index by id, visible at the next refresh; any item refused fails the whole call with the document and the reason. */
  async function putAll(index: string, docs: { id: string }[]): Promise<void> {
    for (const page of chunks(docs, PAGE)) {
      const r = await client.bulk({ operations: page.flatMap((d) => [{ index: { _index: index, _id: d.id } }, d]) });
      const bad = r.items.find((it) => it.index?.error);
      if (bad) throw new Error(`store: ${index} refused document ${bad.index?._id}: ${bad.index?.error?.type}: ${bad.index?.error?.reason ?? ''}`);
    }
  }

  /** The documents a query matches in `sort` order, `skip` of them left out and at most `take` kept (only `fields` of them if given); with the total. */
  async function scan<T>(index: string, query: Dsl, sort: Dsl[], take = Infinity, skip = 0, fields?: string[]): Promise<{ items: T[]; total: number }> {
    const items: T[] = [];
    let total = 0;
    let after: unknown[] | undefined;
    for (let seen = 0, first = true; first || items.length < take; first = false) {
      const size = first && skip + take <= WINDOW ? skip + take : WINDOW;
      const r = await client.search<T>({ index, query, sort: sort as never, size, ...(after ? { search_after: after as never } : {}), ...(fields ? { _source: fields } : {}), track_total_hits: first, ...OPTS });
      if (first) total = typeof r.hits.total === 'number' ? r.hits.total : (r.hits.total?.value ?? 0);
      const hits = r.hits.hits;
      for (const h of hits) if (seen++ >= skip && items.length < take) items.push(h._source as T);
      if (hits.length < size || !hits.length) break;
      after = hits[hits.length - 1].sort as unknown[];
    }
    return { items, total };
  }

  const refresh = (...index: string[]) => client.indices.refresh({ index: index.join(','), ...OPTS });

  /** The stored documents of one agency with these ids. */
  async function byIds<T extends { id: string }>(index: string, tenant: string, ids: string[]): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    for (const page of chunks(ids, PAGE)) {
      const { items } = await scan<T>(index, { bool: { filter: [{ term: { tenant } }, { terms: { id: page } }] } }, BY_ID, page.length);
      for (const d of items) out.set(d.id, d);
    }
    return out;
  }

  async function discard(importId: string): Promise<void> {
    await refresh(staging);
    const { items } = await scan<{ id: string }>(staging, { term: { importId } }, BY_ID, Infinity, 0, ['id']);
    for (const page of chunks(items, PAGE)) {
      const r = await client.bulk({ operations: page.map((d) => ({ delete: { _index: staging, _id: d.id } })) });
      const bad = r.items.find((it) => it.delete?.error);
      if (bad) throw new Error(`store: ${staging} kept staged finding ${bad.delete?._id}: ${bad.delete?.error?.type}: ${bad.delete?.error?.reason ?? ''}`);
    }
    await refresh(staging);
  }

  async function commit(imp: Parameters<VulnRepository['commitImport']>[0], hosts: ScanHost[]): Promise<ScanImport> {
    const counts = { findings: 0, opened: 0, reopened: 0, closed: 0 };
    await refresh(staging);
    for (let after: unknown[] | undefined; ; ) {
      const r = await client.search<StagedDoc>({ index: staging, query: { term: { importId: imp.id } }, sort: BY_ID as never, size: PAGE, ...(after ? { search_after: after as never } : {}), ...OPTS });
      const hits = r.hits.hits;
      const staged = hits.map((h) => (h._source as StagedDoc).finding);
      const prev = await byIds<Finding>(findings, imp.tenant, staged.map((s) => s.id));
      const next = staged.map((s) => {
        const { next, change } = seenAgain(prev.get(s.id) ?? null, s, imp.tenant, imp.source, imp.id, imp.at);
        counts.findings++;
        if (change !== 'seen') counts[change]++;
        return next;
      });
      await putAll(findings, next);
      if (hits.length < PAGE) break;
      after = hits[hits.length - 1].sort as unknown[];
    }
    // what this import saw must be visible before asking what it no longer found
    await refresh(findings);
    for (const page of chunks(hosts, PAGE)) {
      const addresses = page.map((h) => h.address);
      const stale = {
        bool: {
          filter: [{ term: { tenant: imp.tenant } }, { term: { source: imp.source } }, { term: { status: 'open' } }, { terms: { host: addresses } }],
          must_not: [{ term: { importId: imp.id } }],
        },
      };
      const { items } = await scan<Finding>(findings, stale, BY_ID);
      await putAll(findings, items.map((f) => closedBy(f, imp.at)));
      counts.closed += items.length;
      const known = await byIds<Asset>(assets, imp.tenant, addresses.map((a) => `${imp.tenant}|${a}`));
      await putAll(assets, page.map((h) => assetAfter(known.get(`${imp.tenant}|${h.address}`) ?? null, imp.tenant, imp.source, h, imp.at)));
    }
    await refresh(findings, assets);
    const r = await client.search({
      index: findings, size: 0, query: { bool: { filter: [{ term: { tenant: imp.tenant } }, { term: { status: 'open' } }] } },
      aggs: { severity: { terms: { field: 'severity', size: 10 } } }, ...OPTS,
    });
    const openBySeverity = emptyBySeverity();
    for (const b of (r.aggregations?.severity as { buckets: { key: VulnSeverity; doc_count: number }[] } | undefined)?.buckets ?? []) openBySeverity[b.key] = b.doc_count;
    const done: ScanImport = { ...imp, hosts: hosts.length, ...counts, openBySeverity };
    await client.index({ index: imports, id: done.id, document: done, refresh: true });
    await discard(imp.id);
    return done;
  }

  return {
    async stageFindings(importId, items) {
      await putAll(staging, items.map((s): StagedDoc & { id: string } => ({ importId, id: `${importId}|${s.id}`, finding: s })));
    },
    async discardImport(importId) {
      await discard(importId);
    },
    commitImport(imp, hosts) {
      const done = commits.then(() => commit(imp, hosts));
      commits = done.catch(() => undefined);
      return done;
    },
    async listFindings(q) {
      const filter: Dsl[] = [...scope(q.tenants)];
      if (q.host) filter.push({ term: { host: q.host } });
      if (q.severity?.length) filter.push({ terms: { severity: q.severity } });
      if (q.status?.length) filter.push({ terms: { status: q.status } });
      return scan<Finding>(findings, { bool: { filter } }, FINDING_SORT, q.limit ?? 100, q.offset ?? 0);
    },
    async openFindingsOn(tenant, addresses) {
      const out: Finding[] = [];
      for (const page of chunks(addresses, PAGE)) {
        out.push(...(await scan<Finding>(findings, { bool: { filter: [{ term: { tenant } }, { term: { status: 'open' } }, { terms: { host: page } }] } }, BY_ID)).items);
      }
      return out;
    },
    async listAssets(tenants) {
      const sort = [{ tenant: { order: 'asc', unmapped_type: 'keyword' } }, { address: { order: 'asc', unmapped_type: 'keyword' } }, ...BY_ID];
      return (await scan<Asset>(assets, { bool: { filter: scope(tenants) } }, sort)).items;
    },
    async listImports(tenants) {
      const sort = [{ at: { order: 'asc', unmapped_type: 'date' } }, ...BY_ID];
      return (await scan<ScanImport>(imports, { bool: { filter: scope(tenants) } }, sort)).items;
    },
  };
}
