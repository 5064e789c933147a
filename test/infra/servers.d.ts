/** Types for servers.js: real Kafka, Elasticsearch and OpenSearch for tests (see there). */
export declare const ENV_KAFKA_BROKERS: 'CANHGAC_TEST_KAFKA_BROKERS';
export declare const ENV_ELASTICSEARCH_URL: 'CANHGAC_TEST_ELASTICSEARCH_URL';
export declare const ENV_OPENSEARCH_URL: 'CANHGAC_TEST_OPENSEARCH_URL';
export declare const ENV_OPENSEARCH3_URL: 'CANHGAC_TEST_OPENSEARCH3_URL';
/** The OpenSearch 3 release the tests run beside 2.19 (needs Java 21+). */
export declare const OS3_VERSION: string;
/** Starts (or reuses) Kafka on 127.0.0.1; returns the broker list and sets CANHGAC_TEST_KAFKA_BROKERS. */
export declare function startKafka(): Promise<string[]>;
/** Starts (or reuses) Elasticsearch on 127.0.0.1; returns its URL and sets CANHGAC_TEST_ELASTICSEARCH_URL. */
export declare function startElasticsearch(): Promise<string>;
/** Starts (or reuses) OpenSearch on 127.0.0.1; returns its URL and sets CANHGAC_TEST_OPENSEARCH_URL. */
export declare function startOpenSearch(): Promise<string>;
/** Starts (or reuses) OpenSearch 3 on 127.0.0.1 with Java 21+; returns its URL and sets CANHGAC_TEST_OPENSEARCH3_URL. */
export declare function startOpenSearch3(): Promise<string>;
/** Stops the servers a test run started; leaves alone those a developer started with `npm run infra:up`. */
export declare function stopTestServers(): Promise<void>;
