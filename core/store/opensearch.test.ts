/**
 * The same Elasticsearch store against real OpenSearch 2.19 and 3.x nodes (deploy/local/infra.sh up os,
 * started through test/infra when CANHGAC_TEST_OPENSEARCH_URL / CANHGAC_TEST_OPENSEARCH3_URL are unset): many government clusters run OpenSearch
 * for its Apache licence, and the store must behave there exactly as on Elasticsearch.
 */
import { tlsFront } from '../../test/helpers/pki';
import { searchNodeForTests } from '../../test/helpers/search-node';
import { OS3_VERSION, startOpenSearch, startOpenSearch3 } from '../../test/infra/servers';
import { newId } from '../event';
import { createSearchClient, detectFlavor } from './search-client';
import { describeSearchStoreHardening } from './es-hardening.contract';
import { describeStoreContract } from './store.contract';

jest.setTimeout(120_000);

function onOpenSearch(line: string, start: () => Promise<string>): void {
  const { node, open } = searchNodeForTests(`o${line}-`, start);
  let url = '';
  beforeAll(() => {
    url = node.url;
  });

  describeStoreContract(`opensearch ${line}`, () => open());
  describeSearchStoreHardening(`opensearch ${line}`, () => open());

  describe(`Elasticsearch store on OpenSearch ${line}`, () => {
    test('the cluster is recognised as OpenSearch from GET /, and a flavor set by hand is honoured', async () => {
      expect(await detectFlavor({ url })).toBe('opensearch');
      const auto = createSearchClient({ url, flavor: 'auto' });
      expect(await auto.flavor()).toBe('opensearch');
      const health = await auto.cluster.health({ wait_for_status: 'yellow', timeout: '10s' });
      expect(['green', 'yellow']).toContain(health.status);
      await auto.close();
      expect(() => open({ flavor: 'solr' as never })).toThrow(/store\.elasticsearch\.flavor: "solr" is not one of auto, elasticsearch, opensearch/);
    });

    test('https with a private CA (store.elasticsearch.ca) and a username: verified and sent; an API key is refused by name', async () => {
      const front = await tlsFront(url);
      const { heads, url: httpsUrl } = front;
      try {
        const store = open({ url: httpsUrl, caFile: front.ca, username: 'canhgac', password: 'pw-42' });
        await store.init();
        await store.putEvents([{ '@timestamp': '2026-01-01T00:00:00.000Z', organization: { id: 'a' }, event: { id: newId() }, message: 'qua TLS' }]);
        expect((await store.searchEvents({ q: 'TLS', tenants: null })).total).toBe(1);
        await store.close();
        const basic = Buffer.from('canhgac:pw-42').toString('base64');
        expect(heads.length).toBeGreaterThan(1);
        expect(heads.every((h) => new RegExp(`^authorization: Basic ${basic}$`, 'im').test(h))).toBe(true);
        const keyed = open({ url: httpsUrl, caFile: front.ca, apiKey: 'a2V5OnNlY3JldA==' });
        await expect(keyed.init()).rejects.toThrow(/store\.elasticsearch\.api_key: OpenSearch takes no Elasticsearch API key/);
        await keyed.close();
      } finally {
        await front.close();
      }
    });

    test('events land in daily indices and retention deletes whole days past the limit', async () => {
      const store = open({ retentionDays: 30 });
      await store.init();
      const ev = (ts: string) => ({ '@timestamp': ts, organization: { id: 'a' }, event: { id: newId(), kind: 'event' }, message: 'x' });
      await store.putEvents([ev('2026-03-01T10:00:00.000Z'), ev('2026-03-02T10:00:00.000Z'), ev('2026-04-15T10:00:00.000Z')]);
      const prefix = node.prefixes[node.prefixes.length - 1];
      const names = async () => Object.keys((await (await fetch(`${url}/${prefix}-events-*`)).json()) as object).sort();
      expect(await names()).toEqual([`${prefix}-events-2026.03.01`, `${prefix}-events-2026.03.02`, `${prefix}-events-2026.04.15`]);
      expect((await store.applyRetention(Date.parse('2026-04-01T12:00:00.000Z'))).sort()).toEqual([`${prefix}-events-2026.03.01`]);
      expect(await store.countEvents(null)).toBe(2);
      await store.close();
    });

    test('free text finds Vietnamese words with or without diacritics, and a number field compares as a number', async () => {
      const store = open();
      await store.init();
      await store.putEvents([
        { '@timestamp': '2026-01-01T00:00:00.000Z', organization: { id: 'a' }, event: { id: newId() }, message: 'Đăng nhập thất bại: sai mật khẩu', winlog: { event_id: 4625 } },
        { '@timestamp': '2026-01-01T00:00:01.000Z', organization: { id: 'a' }, event: { id: newId() }, message: 'Đăng nhập thành công', winlog: { event_id: 4624 } },
      ]);
      const hits = async (q: string) => (await store.searchEvents({ q, tenants: null })).items.map((e) => e.message);
      expect(await hits('"mat khau"')).toEqual(['Đăng nhập thất bại: sai mật khẩu']);
      expect(await hits('dang nhap')).toHaveLength(2);
      expect(await hits('winlog.event_id:>4624')).toEqual(['Đăng nhập thất bại: sai mật khẩu']);
      await store.close();
    });
  });
}

// 2.19 runs on the machine's Java 17; 3.x needs Java 21+ (the Temurin 25 JDK): both lines are in use.
describe('OpenSearch 2', () => onOpenSearch('2', startOpenSearch));
describe(`OpenSearch ${OS3_VERSION}`, () => onOpenSearch('3', startOpenSearch3));
