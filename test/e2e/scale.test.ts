/**
 * Scale-out on the real servers: collector, two correlators, indexer, alerting and console each
 * run as their own `canhgac` process on Kafka + Elasticsearch. A brute force sent with util-linux
 * `logger` over TCP becomes one incident in the console API, and its events are in Elasticsearch
 * (asked directly, and through /api/events).
 */
import { ApiClient, sh, waitFor } from '../helpers/canhgac';
import { Cluster, EsView, uniqueName, type Component } from '../helpers/cluster';
import { startElasticsearch, startKafka } from '../infra/servers';

jest.setTimeout(15 * 60_000);

const BRUTE_FORCE = 'f7ec3089-33cd-4c21-8fb9-db54507dc7aa';
const ATTACKER = '203.0.113.45';

interface Incident {
  id: string;
  tenant: string;
  rule: { id: string; author?: string };
  rules?: { id: string }[];
  severity: string;
  count: number;
  summary: { source_ip?: string };
}

let cluster: Cluster;
let es: EsView;
let collector: Component;
let consoleProc: Component;

beforeAll(async () => {
  const brokers = await startKafka();
  const esUrl = await startElasticsearch();
  cluster = new Cluster({ brokers, esUrl, name: uniqueName('pipeline') });
  es = new EsView(esUrl, cluster.indexPrefix);
  // the console first: it creates the admin account (CANHGAC_ADMIN_PASSWORD, set by the helper)
  consoleProc = await cluster.start('console');
  await cluster.start('indexer');
  await cluster.start('correlator', 'correlator-a');
  await cluster.start('correlator', 'correlator-b');
  await cluster.start('alerting');
  collector = await cluster.start('collector');
}, 15 * 60_000);

afterAll(async () => {
  await cluster?.close();
});

test('each component runs alone: the processes report their role and only the console listens for analysts', () => {
  for (const c of cluster.components) expect(c.stdout()).toMatch(new RegExp(`is running \\(${c.name}; bus: kafka, store: elasticsearch`));
  expect(consoleProc.addresses.console).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(collector.addresses.syslogTcpPort).toBeGreaterThan(0);
  expect(collector.addresses.ingestUrl).toBeDefined();
  for (const c of cluster.components.filter((x) => x.name !== 'console')) expect(c.addresses.console).toBeUndefined();
  for (const c of cluster.components.filter((x) => x.name !== 'collector')) expect(c.addresses.syslogTcpPort).toBeUndefined();
});

test('a brute force sent with logger --tcp to the collector opens one incident in the console, and its events are in Elasticsearch', async () => {
  const port = String(collector.addresses.syslogTcpPort);
  for (let i = 0; i < 6; i++) sh('logger', ['--tcp', '-P', port, '-n', '127.0.0.1', '-t', 'sshd', `Failed password for root from ${ATTACKER} port ${41000 + i} ssh2`]);

  const api = await ApiClient.login(consoleProc.addresses.console!);
  const incident = await waitFor(
    'the brute-force incident in the console API',
    async () => {
      const r = await api.get<{ items: Incident[] }>('/api/incidents?status=open&limit=100');
      return r.body.items.find((i) => (i.rules ?? [i.rule]).some((r) => r.id === BRUTE_FORCE) && i.summary.source_ip === ATTACKER);
    },
    180_000,
  );
  expect(incident.severity).toBe('high');
  expect(incident.tenant).toBe('default');
  // the incident is saved just before its alert: wait for both
  await waitFor('the alert behind the incident', async () => {
    const detail = await api.get<{ alerts: { rule: { id: string } }[] }>(`/api/incidents/${incident.id}`);
    return detail.status === 200 && detail.body.alerts.some((a) => a.rule.id === BRUTE_FORCE);
  }, 30_000);

  // Elasticsearch itself: the six events, normalized, in this cluster's daily index
  const direct = await waitFor(
    'the six events in Elasticsearch',
    async () => {
      const r = await es.searchEvents<{ event: { id: string; outcome: string; category: string[] }; user: { name: string }; organization: { id: string } }>({ term: { 'source.ip': ATTACKER } });
      return r.total >= 6 ? r : null;
    },
    180_000,
  );
  expect(direct.total).toBe(6);
  expect(new Set(direct.hits.map((h) => h.event.id)).size).toBe(6);
  expect(direct.hits.every((h) => h.event.outcome === 'failure' && h.event.category.includes('authentication') && h.user.name === 'root' && h.organization.id === 'default')).toBe(true);
  const indices = await es.request<{ index: string }[]>('GET', `/_cat/indices/${cluster.indexPrefix}-events-*?format=json`);
  expect(indices.body.map((i) => i.index)).toContain(`${cluster.indexPrefix}-events-${new Date().toISOString().slice(0, 10).replace(/-/g, '.')}`);

  // and the same events through the console's search
  const viaApi = await api.get<{ total: number; items: { event: { id: string } }[] }>(`/api/events?q=${encodeURIComponent(`source.ip:${ATTACKER}`)}&limit=100`);
  expect(viaApi.body.total).toBe(6);
  expect(new Set(viaApi.body.items.map((e) => e.event.id))).toEqual(new Set(direct.hits.map((h) => h.event.id)));
});

test('two correlators share the work: both hold partitions of the events topic in one consumer group', async () => {
  const held = await waitFor(
    'both correlators in the matching group',
    async () => {
      const a = await cluster.assignments('correlator', 'events');
      const holders = [...a.entries()].filter(([, parts]) => parts.length > 0);
      return holders.length === 2 ? a : null;
    },
    120_000,
  );
  expect([...held.keys()].sort()).toEqual(['canhgac-correlator-a', 'canhgac-correlator-b']);
  expect([...held.values()].flat().sort()).toEqual([0, 1, 2, 3]);
});
