/**
 * Retention on Elasticsearch and OpenSearch 2 (real nodes: test/infra starts them when none runs
 * on 127.0.0.1:9200 / 9201). The store's own retention_days is set past the oldest test event, so
 * only the agencies' retention deletes.
 */
import { searchNodeForTests } from '../../test/helpers/search-node';
import { startElasticsearch, startOpenSearch } from '../../test/infra/servers';
import { describeRetentionContract } from './retention.contract';

jest.setTimeout(120_000);

const es = searchNodeForTests('r', startElasticsearch);
describeRetentionContract('elasticsearch', () => es.open({ retentionDays: 3650 }));

const os2 = searchNodeForTests('ro', startOpenSearch);
describeRetentionContract('opensearch 2', () => os2.open({ retentionDays: 3650 }));
