// Builds dist/ once so tests that spawn the real `canhgac` binary run the current code,
// and starts real Kafka, Elasticsearch and OpenSearch on 127.0.0.1 (deploy/local) for the tests that use them.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const infra = require('./infra/servers');

module.exports = async () => {
  execFileSync(process.execPath, [path.join(__dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(__dirname, '..', 'tsconfig.build.json')], { stdio: 'inherit' });
  await infra.startKafka(); // sets CANHGAC_TEST_KAFKA_BROKERS for the workers
  await infra.startElasticsearch(); // sets CANHGAC_TEST_ELASTICSEARCH_URL
  await infra.startOpenSearch(); // sets CANHGAC_TEST_OPENSEARCH_URL (the store runs on OpenSearch too)
  await infra.startOpenSearch3(); // sets CANHGAC_TEST_OPENSEARCH3_URL (and on OpenSearch 3, on Java 21+)
};
