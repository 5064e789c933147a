/**
 * Nothing lost in scale-out, on the real servers, with every component its own process:
 *  - SIGKILL a correlator (one holding open correlation windows) and the indexer in the middle of
 *    an HTTP ingest stream and restart them: every acknowledged event is in Elasticsearch exactly
 *    once, every brute force raises exactly one alert, and the windows open at the kill still fire;
 *  - stop Elasticsearch under load (a private node of this test, so other test files keep theirs)
 *    and keep ingesting: the collector still acknowledges (Kafka holds the backlog), the indexer
 *    backs off, and when Elasticsearch is back the backlog drains with nothing lost.
 */
import net from 'node:net';
import { waitFor } from '../helpers/canhgac';
import { Cluster, EsView, PrivateElasticsearch, uniqueName, type Component } from '../helpers/cluster';
import { TOPICS } from '../../core/bus/bus';
import { startKafka } from '../infra/servers';

jest.setTimeout(30 * 60_000);

const BRUTE_FORCE = 'f7ec3089-33cd-4c21-8fb9-db54507dc7aa';
const TENANT = 'so-tc';
const T0 = Date.now() - 60_000; // event time of the attack: every attempt falls within the rule's 5 minutes
const WINDOWS_GROUP = 'correlator-windows'; // the correlator's window stage, as an operator sees it in Kafka

let es: PrivateElasticsearch;
let cluster: Cluster;
let view: EsView;
let token: string;
let collector: Component;
const acked = new Set<string>(); // every event id the collector acknowledged with 202

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** One failed SSH login as sshd writes it (RFC 5424, so its event time is exact). */
function attempt(attacker: string, n: number): Record<string, unknown> {
  const at = new Date(T0 + n * 1000).toISOString();
  return { message: `<38>1 ${at} bastion-01 sshd ${1000 + n} - - Failed password for root from ${attacker} port ${40000 + n} ssh2` };
}

function background(batch: number, size: number): Record<string, unknown>[] {
  return Array.from({ length: size }, (_, i) => ({ '@timestamp': new Date(T0).toISOString(), message: `ledger sync ${batch}-${i} done`, labels: { batch: String(batch), seq: String(i) } }));
}

/** Sends one NDJSON batch; resolves with the acknowledged ids (the 202 comes only once Kafka has them). */
async function ingest(docs: Record<string, unknown>[]): Promise<string[]> {
  const res = await fetch(collector.addresses.ingestUrl!, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    body: docs.map((d) => JSON.stringify(d)).join('\n'),
  });
  const body = (await res.json()) as { accepted?: number; ids?: string[]; error?: string };
  if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(body)}`);
  expect(body.accepted).toBe(docs.length);
  body.ids!.forEach((id) => acked.add(id));
  return body.ids!;
}

/** Events of this test's agency in Elasticsearch, each id with how many documents carry it. */
const storedIds = () => view.eventIdCounts({ term: { 'organization.id': TENANT } });

async function bruteForceAlerts(): Promise<Map<string, number>> {
  const alerts = await view.entities<{ id: string; rule: { id: string }; summary: { source_ip?: string } }>('alerts', { term: { 'rule.id': BRUTE_FORCE } });
  const per = new Map<string, number>();
  for (const a of alerts) per.set(a.summary.source_ip ?? '?', (per.get(a.summary.source_ip ?? '?') ?? 0) + 1);
  return per;
}

beforeAll(async () => {
  const brokers = await startKafka();
  es = new PrivateElasticsearch(await freePort(), await freePort());
  es.up(true);
  cluster = new Cluster({ brokers, esUrl: es.url, name: uniqueName('crash'), partitions: 4 });
  view = new EsView(es.url, cluster.indexPrefix);
  token = cluster.addTenant(TENANT, 'Sở Tài chính');
  await cluster.start('indexer');
  await cluster.start('correlator', 'correlator-a');
  await cluster.start('correlator', 'correlator-b');
  await cluster.start('alerting');
  collector = await cluster.start('collector');
}, 20 * 60_000);

afterAll(async () => {
  await cluster?.close();
  try {
    es?.remove();
  } catch {
    // already stopped by a failed test
  }
});

test('SIGKILL of a correlator holding open windows and of the indexer mid-stream loses nothing, duplicates nothing, and the open windows still fire', async () => {
  // windows opened before the kill: three attempts from each of six addresses (the rule fires at five)
  const open = ['198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14', '198.51.100.15', '198.51.100.16'];
  let batch = 0;
  for (const ip of open) await ingest([...background(batch++, 100), attempt(ip, 0), attempt(ip, 1), attempt(ip, 2)]);
  await waitFor(
    'the correlators to count the first attempts (window stage caught up)',
    async () => (await cluster.partitionsWithRecords(TOPICS.correlation)).length > 0 && (await cluster.groupLag('correlator', TOPICS.events)) === 0 && (await cluster.groupLag(WINDOWS_GROUP, TOPICS.correlation)) === 0,
    180_000,
  );
  expect(await bruteForceAlerts()).toEqual(new Map()); // three of five: nothing yet

  // the victim: a correlator whose partitions of `correlation` hold those open windows
  const withWindows = await cluster.partitionsWithRecords(TOPICS.correlation);
  const victimId = await waitFor(
    'the window stage group to show who holds those partitions',
    async () => [...(await cluster.assignments(WINDOWS_GROUP, TOPICS.correlation)).entries()].find(([, parts]) => parts.some((p) => withWindows.includes(p)))?.[0],
    120_000,
  );
  expect(victimId).toMatch(/^canhgac-correlator-[ab]$/);
  const victim = cluster.components.find((c) => `canhgac-${c.label}` === victimId && !c.exited())!;
  const indexer = cluster.components.find((c) => c.name === 'indexer' && !c.exited())!;

  // a stream of a fixed size in two lanes, so the test's load is the same on a fast or a slow machine
  const stream = (batches: number) => {
    let left = batches;
    return Promise.all(
      [0, 1].map(async () => {
        while (left-- > 0) await ingest(background(batch++, 100));
      }),
    );
  };
  const first = stream(40);
  await waitFor('the stream to be under way', () => acked.size >= 2000, 120_000);
  await victim.kill9();
  await indexer.kill9();
  await first; // the collector keeps acknowledging: Kafka holds what nobody consumes now
  // a whole brute force while they are down: it must fire once, whoever ends up with its window
  const during = ['203.0.113.21', '203.0.113.22'];
  for (const ip of during) await ingest([0, 1, 2, 3, 4].map((n) => attempt(ip, n)));

  const second = stream(20);
  await Promise.all([cluster.start('indexer'), cluster.start('correlator', victim.label), second]);
  // the last two attempts of each window opened before the kill
  for (const ip of open) await ingest([attempt(ip, 3), attempt(ip, 4)]);

  const counts = await waitFor(
    'every acknowledged event in Elasticsearch',
    async () => {
      const c = await storedIds();
      return c.size >= acked.size ? c : null;
    },
    600_000,
  );
  const missing = [...acked].filter((id) => !counts.has(id));
  const twice = [...counts.entries()].filter(([, n]) => n > 1);
  expect(missing).toEqual([]);
  expect(twice).toEqual([]);
  expect(counts.size).toBe(acked.size);

  const alerts = await waitFor(
    'one brute-force alert per attacker',
    async () => {
      const a = await bruteForceAlerts();
      return [...open, ...during].every((ip) => a.has(ip)) ? a : null;
    },
    600_000,
  );
  // settle: a duplicate alert would come from a redelivered batch, which is done once the groups have no lag
  await waitFor('the correlators and alerting to catch up', async () => (await cluster.groupLag(WINDOWS_GROUP, TOPICS.correlation)) === 0 && (await cluster.groupLag('alerting', TOPICS.alerts)) === 0, 120_000).catch(() => undefined);
  const settled = await bruteForceAlerts();
  expect(Object.fromEntries(settled)).toEqual(Object.fromEntries([...open, ...during].map((ip) => [ip, 1])));
  expect(alerts.size).toBe(open.length + during.length);
});

test('Elasticsearch stopped under load: ingest is still acknowledged, the indexer backs off, and the backlog drains when it is back', async () => {
  const before = acked.size;
  const burst = async (n: number) => {
    for (let i = 0; i < n; i++) await ingest(background(10_000 + acked.size, 200));
  };
  await burst(5);
  es.down();
  const down = acked.size;
  // Kafka holds what the collector acknowledges while the store is away
  await burst(10);
  expect(acked.size).toBe(down + 2000);
  // and the indexer is behind (it cannot write): the backlog is in Kafka, not lost
  expect(await cluster.groupLag('indexer', TOPICS.events)).toBeGreaterThan(0);
  const indexer = cluster.components.filter((c) => c.name === 'indexer' && !c.exited());
  expect(indexer).toHaveLength(1);

  es.up();
  const counts = await waitFor(
    'the backlog in Elasticsearch',
    async () => {
      const c = await storedIds();
      return c.size >= acked.size ? c : null;
    },
    600_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}\nindexer log (last 3000 characters):\n${indexer[0].stderr().slice(-3000)}`);
  });
  expect([...acked].filter((id) => !counts.has(id))).toEqual([]);
  expect([...counts.entries()].filter(([, n]) => n > 1)).toEqual([]);
  expect(counts.size).toBe(acked.size);
  expect(acked.size).toBeGreaterThan(before);
  await waitFor('the indexer to have drained its backlog', async () => (await cluster.groupLag('indexer', TOPICS.events)) === 0, 300_000);
  // the indexer said why it waited, without giving up
  expect(indexer[0].exited()).toBe(false);
  expect(indexer[0].stderr()).toMatch(/Elasticsearch busy or unreachable|handler failed; the batch will be delivered again/);
});
