/** The case repository contract on SQLite, Elasticsearch, OpenSearch 2 and OpenSearch 3 (real nodes, reused when running). */
import { searchNodeForTests } from '../../test/helpers/search-node';
import { startElasticsearch, startOpenSearch, startOpenSearch3 } from '../../test/infra/servers';
import { describeCaseContract } from './cases.contract';
import { createSqliteStore } from './sqlite';

jest.setTimeout(120_000);

describeCaseContract('sqlite', () => createSqliteStore({ path: ':memory:' }));

for (const [tag, start] of [['ces', startElasticsearch], ['cos2-', startOpenSearch], ['cos3-', startOpenSearch3]] as const) {
  describe(tag, () => {
    const { open } = searchNodeForTests(tag, start);
    describeCaseContract(`search store (${tag})`, () => open());
  });
}
