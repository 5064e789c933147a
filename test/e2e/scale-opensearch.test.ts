/**
 * Scale-out with OpenSearch as the store: the same `canhgac` components on Kafka, with the
 * Elasticsearch store pointed at a real OpenSearch 2 node (deploy/local/infra.sh up os). A brute force
 * sent with util-linux `logger` becomes one incident in the console API, and its events are in
 * OpenSearch, asked directly and through /api/events.
 */
import { ApiClient, sh, waitFor } from '../helpers/canhgac';
import { Cluster, EsView, uniqueName, type Component } from '../helpers/cluster';
import { startKafka, startOpenSearch } from '../infra/servers';

jest.setTimeout(15 * 60_000);

const BRUTE_FORCE = 'f7ec3089-33cd-4c21-8fb9-db54507dc7aa';
const ATTACKER = '198.51.100.77';

let cluster: Cluster;
let os: EsView;
let osUrl: string;
let collector: Component;
let consoleProc: Component;

beforeAll(async () => {
  const brokers = await startKafka();
  osUrl = await startOpenSearch();
  cluster = new Cluster({ brokers, esUrl: osUrl, name: uniqueName('opensearch'), partitions: 2 });
  os = new EsView(osUrl, cluster.indexPrefix);
  consoleProc = await cluster.start('console');
  await cluster.start('indexer');
  await cluster.start('correlator');
  await cluster.start('alerting'); // folds alerts into incidents
  collector = await cluster.start('collector');
}, 15 * 60_000);

afterAll(async () => {
  await cluster?.close();
});

test('a brute force over syslog becomes an incident, and its events are stored in OpenSearch', async () => {
  const info = (await (await fetch(`${osUrl}/`)).json()) as { version: { distribution?: string } };
  expect(info.version.distribution).toBe('opensearch');

  const port = String(collector.addresses.syslogTcpPort);
  for (let i = 0; i < 6; i++) sh('logger', ['--tcp', '-P', port, '-n', '127.0.0.1', '-t', 'sshd', `Failed password for admin from ${ATTACKER} port ${42000 + i} ssh2`]);

  const api = await ApiClient.login(consoleProc.addresses.console!);
  const incident = await waitFor(
    'the brute-force incident in the console API',
    async () => {
      const r = await api.get<{ items: { id: string; rule: { id: string }; rules?: { id: string }[]; summary: { source_ip?: string }; severity: string }[] }>('/api/incidents?status=open&limit=100');
      return r.body.items.find((i) => (i.rules ?? [i.rule]).some((r) => r.id === BRUTE_FORCE) && i.summary.source_ip === ATTACKER);
    },
    180_000,
  );
  expect(incident.severity).toBe('high');

  const direct = await waitFor(
    'the six events in OpenSearch',
    async () => {
      const r = await os.searchEvents<{ event: { id: string; outcome: string }; user: { name: string } }>({ term: { 'source.ip': ATTACKER } });
      return r.total >= 6 ? r : null;
    },
    180_000,
  );
  expect(direct.total).toBe(6);
  expect(direct.hits.every((h) => h.event.outcome === 'failure' && h.user.name === 'admin')).toBe(true);

  const viaApi = await api.get<{ total: number; items: { event: { id: string } }[] }>(`/api/events?q=${encodeURIComponent(`source.ip:${ATTACKER}`)}&limit=100`);
  expect(viaApi.body.total).toBe(6);
  expect(new Set(viaApi.body.items.map((e) => e.event.id))).toEqual(new Set(direct.hits.map((h) => h.event.id)));

  // the incident itself lives in OpenSearch too
  const stored = await os.request<{ _source: { id: string } }>('GET', `/${cluster.indexPrefix}-incidents/_doc/${incident.id}`);
  expect(stored.body._source.id).toBe(incident.id);
});
