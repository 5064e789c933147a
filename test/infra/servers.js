/**
 * Real Kafka and Elasticsearch for tests: started through deploy/local/infra.sh (Maven Central jars,
 * 127.0.0.1 only), reused when one already runs on the port, stopped at the end only if a test run
 * started it. Plain CommonJS so jest's globalSetup/globalTeardown can require it untranspiled;
 * types in servers.d.ts.
 */
'use strict';
const { execFile } = require('node:child_process');
const { existsSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const INFRA_SH = path.join(REPO, 'deploy', 'local', 'infra.sh');
const ENV_KAFKA_BROKERS = 'CANHGAC_TEST_KAFKA_BROKERS';
const ENV_ELASTICSEARCH_URL = 'CANHGAC_TEST_ELASTICSEARCH_URL';
const ENV_OPENSEARCH_URL = 'CANHGAC_TEST_OPENSEARCH_URL';
const ENV_OPENSEARCH3_URL = 'CANHGAC_TEST_OPENSEARCH3_URL';
// OpenSearch 3 beside 2.19: the newest line, which needs Java 21+ (the machine's Temurin 25 JDK).
const OS3_VERSION = '3.9.0';
const OS3_PORT = process.env.CANHGAC_TEST_OS3_PORT || '9202';

/** A Java 21+ home for OpenSearch 3: CANHGAC_JAVA21_HOME, else the Temurin 25 JDK of these machines. */
function java21Home() {
  const home = process.env.CANHGAC_JAVA21_HOME || '/usr/lib/jvm/temurin-25-jdk-amd64';
  if (!existsSync(path.join(home, 'bin', 'java'))) throw new Error(`OpenSearch ${OS3_VERSION} needs Java 21 or later: no JDK at ${home}; set CANHGAC_JAVA21_HOME`);
  return home;
}

/** Extra environment for infra.sh per server; os3 is the `os` server at another version, port and Java. */
const serverEnv = (server) =>
  server === 'os3' ? { CANHGAC_OS_VERSION: OS3_VERSION, CANHGAC_OS_PORT: OS3_PORT, CANHGAC_OS_TRANSPORT_PORT: String(Number(OS3_PORT) + 100), JAVA_HOME: java21Home() } : {};
const infraName = (server) => (server === 'os3' ? 'os' : server);

function runDir(server) {
  const base = process.env.CANHGAC_INFRA_DIR || path.join(REPO, 'deploy', 'local', '.cache');
  if (server === 'os3') return path.join(base, 'run', `os-${OS3_PORT}`);
  const port =
    server === 'kafka' ? process.env.CANHGAC_KAFKA_PORT || '9092' : server === 'os' ? process.env.CANHGAC_OS_PORT || '9201' : process.env.CANHGAC_ES_PORT || '9200';
  return path.join(base, 'run', `${server}-${port}`);
}

/** The marker says "a test run started this server, so a test run stops it". */
const markerFile = (server) => path.join(runDir(server), 'started-by-tests');

function infra(args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    // The first run downloads from Maven Central; later runs start in seconds.
    execFile('bash', [INFRA_SH, ...args], { env: { ...process.env, ...extraEnv }, timeout: 15 * 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (stderr.trim()) process.stderr.write(stderr.endsWith('\n') ? stderr : `${stderr}\n`);
      if (err) reject(new Error(`deploy/local/infra.sh ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

async function start(server, label) {
  const out = await infra(['up', infraName(server)], serverEnv(server));
  const line = out.split('\n').find((l) => l.startsWith(`${label}: `));
  if (!line) throw new Error(`deploy/local/infra.sh up ${server} printed no address for ${label}: ${out.trim()}`);
  const reused = line.includes('(already running') || line.includes('(something else');
  if (!reused) writeFileSync(markerFile(server), `${process.pid}\n`);
  return line.slice(label.length + 2).split(' ')[0];
}

/**
 * Starts (or reuses) a server once per test run: its address goes into `envName` for the jest workers, so
 * later calls (and other workers) reuse it.
 */
async function ensure(server, label, envName) {
  const known = process.env[envName];
  if (known) return known;
  const address = await start(server, label);
  process.env[envName] = address;
  return address;
}

/** Kafka on 127.0.0.1; the broker list (CANHGAC_TEST_KAFKA_BROKERS). */
const startKafka = async () => (await ensure('kafka', 'kafka', ENV_KAFKA_BROKERS)).split(',');
/** Elasticsearch on 127.0.0.1; its URL (CANHGAC_TEST_ELASTICSEARCH_URL). */
const startElasticsearch = () => ensure('es', 'elasticsearch', ENV_ELASTICSEARCH_URL);
/** OpenSearch 2 on 127.0.0.1; its URL (CANHGAC_TEST_OPENSEARCH_URL). */
const startOpenSearch = () => ensure('os', 'opensearch', ENV_OPENSEARCH_URL);
/** OpenSearch 3 on 127.0.0.1 with Java 21+; its URL (CANHGAC_TEST_OPENSEARCH3_URL). */
const startOpenSearch3 = () => ensure('os3', 'opensearch', ENV_OPENSEARCH3_URL);

/** Stops the servers a test run started; leaves alone those a developer started with `npm run infra:up`. */
async function stopTestServers() {
  for (const server of ['os3', 'os', 'es', 'kafka']) {
    if (!existsSync(markerFile(server))) continue;
    await infra(['down', infraName(server)], server === 'os3' ? { CANHGAC_OS_PORT: OS3_PORT } : {});
    rmSync(markerFile(server), { force: true });
  }
  for (const name of [ENV_KAFKA_BROKERS, ENV_ELASTICSEARCH_URL, ENV_OPENSEARCH_URL, ENV_OPENSEARCH3_URL]) delete process.env[name];
}

module.exports = { ENV_KAFKA_BROKERS, ENV_ELASTICSEARCH_URL, ENV_OPENSEARCH_URL, ENV_OPENSEARCH3_URL, OS3_VERSION, startKafka, startElasticsearch, startOpenSearch, startOpenSearch3, stopTestServers };
