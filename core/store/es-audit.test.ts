/**
 * An audit log written before the agency fields were indexed (a store upgraded in place), on real
 * Elasticsearch and OpenSearch nodes: the next start indexes its entries' agencies, so an agency's
 * reader sees its older entries too, and the hash chain still holds.
 */
import { searchNodeForTests } from '../../test/helpers/search-node';
import { startElasticsearch, startOpenSearch } from '../../test/infra/servers';
import { auditHash, GENESIS_HASH, verifyAuditChain } from '../audit';
import type { AuditEntry } from '../model';
import { createElasticsearchStore } from './elasticsearch';

jest.setTimeout(120_000);

async function call(url: string, method: string, body?: unknown): Promise<void> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${await res.text()}`);
}

/** The audit index as the store created it before: seq and unindexed details, entries chained. */
async function writeOldAuditLog(nodeUrl: string, index: string, agencies: (string[] | null)[]): Promise<void> {
  await call(`${nodeUrl}/${index}`, 'PUT', { mappings: { properties: { seq: { type: 'long' }, details: { type: 'object', enabled: false } } } });
  let prevHash = GENESIS_HASH;
  for (const [i, a] of agencies.entries()) {
    const e: AuditEntry = { seq: i + 1, at: `2026-01-01T00:00:0${i}.000Z`, actor: 'u', action: `old${i}`, details: a ? { agencies: a } : { n: i }, prevHash };
    e.hash = auditHash(prevHash, e);
    prevHash = e.hash;
    await call(`${nodeUrl}/${index}/_doc/${e.seq}?refresh=true`, 'PUT', e);
  }
}

for (const [name, start] of [['elasticsearch', startElasticsearch], ['opensearch', startOpenSearch]] as const) {
  describe(`audit log upgraded in place on ${name}`, () => {
    const { node } = searchNodeForTests(`au${name[0]}`, start);

    test("an agency's reader sees the entries written before their agencies were indexed, and the chain holds", async () => {
      const prefix = `${node.run}-old`;
      node.prefixes.push(prefix);
      await writeOldAuditLog(node.url, `${prefix}-audit`, [['so-a'], ['so-b'], null, ['so-a', 'so-b'], ['so-a']]);
      const store = createElasticsearchStore({ url: node.url, indexPrefix: prefix });
      await store.init();
      try {
        expect((await store.listAudit({ agencies: ['so-a'] })).map((e) => e.action)).toEqual(['old0', 'old4']);
        await store.appendAudit({ at: '2026-01-01T00:01:00.000Z', actor: 'u', action: 'new', details: { agencies: ['so-a'] } });
        expect((await store.listAudit({ agencies: ['so-a'], afterSeq: 1 })).map((e) => e.action)).toEqual(['old4', 'new']);
        expect((await store.listAudit({ agencies: ['so-b', 'so-a'] })).map((e) => e.action)).toEqual(['old0', 'old1', 'old3', 'old4', 'new']);
        expect(await verifyAuditChain(store)).toEqual({ intact: true, entries: 6 });
      } finally {
        await store.close();
      }
    });

    test('an audit index whose fields cannot take the agency copy stops the start, naming the index and the fields', async () => {
      const prefix = `${node.run}-clash`;
      node.prefixes.push(prefix);
      await call(`${node.url}/${prefix}-audit`, 'PUT', { mappings: { properties: { seq: { type: 'long' }, reader_agency_count: { type: 'keyword' } } } });
      const store = createElasticsearchStore({ url: node.url, indexPrefix: prefix });
      const err = await store.init().then(() => null, (e: Error) => e);
      await store.close();
      expect(err?.message).toMatch(new RegExp(`^store: cannot add the agency fields \\(reader_agencies, reader_agency_count\\) to ${prefix}-audit, which agency readers of the audit log need: `));
    });
  });
}
