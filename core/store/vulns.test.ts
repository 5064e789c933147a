/** The vulnerability findings repository contract on SQLite, Elasticsearch, OpenSearch 2 and OpenSearch 3 (real nodes, reused when running). */
import { searchNodeForTests } from '../../test/helpers/search-node';
import { startElasticsearch, startOpenSearch, startOpenSearch3 } from '../../test/infra/servers';
import { createSqliteStore } from './sqlite';
import { describeVulnContract } from './vulns.contract';

jest.setTimeout(120_000);

describeVulnContract('sqlite', () => createSqliteStore({ path: ':memory:' }));

for (const [tag, start] of [['ves', startElasticsearch], ['vos2-', startOpenSearch], ['vos3-', startOpenSearch3]] as const) {
  describe(tag, () => {
    const { open } = searchNodeForTests(tag, start);
    describeVulnContract(`search store (${tag})`, () => open());
  });
}
