/**
 * The review's bad-input attacks (issue #11) on the Kafka bus, against the real binary with
 * bus.kind kafka: an event that ECS normalization inflates past Kafka's default 1 MiB, records
 * carrying __proto__/constructor keys, deep nesting, and a flood; the pipeline keeps storing and
 * detecting for everyone.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { ApiClient, cli, sh, startCanhgac, waitFor, type Running } from '../helpers/canhgac';
import { startKafka } from '../infra/servers';

jest.setTimeout(10 * 60_000);

const BRUTE_FORCE = 'f7ec3089-33cd-4c21-8fb9-db54507dc7aa';

let canhgac: Running;
let api: ApiClient;
let token: string;

beforeAll(async () => {
  const brokers = await startKafka();
  canhgac = await startCanhgac({
    env: {
      CANHGAC_BUS: 'kafka',
      CANHGAC_KAFKA_BROKERS: brokers.join(','),
      CANHGAC_KAFKA_TOPIC_PREFIX: `e2e-hostile-${Date.now().toString(36)}-${process.pid}.`,
      CANHGAC_KAFKA_PARTITIONS: '2',
      CANHGAC_MAX_MESSAGE_BYTES: String(1024 * 1024),
    },
  });
  token = /ingest token \(shown once\): (\S+)/.exec(cli(canhgac.dataDir, ['tenant', 'add', 'so-a', '--name', 'Sở A']).stdout)![1];
  api = await ApiClient.login(canhgac.consoleUrl);
}, 5 * 60_000);

afterAll(async () => {
  await canhgac?.stop();
});

const tcpLines = (lines: string[]) =>
  new Promise<void>((resolve, reject) => {
    const s = net.connect(canhgac.syslogTcpPort, '127.0.0.1', () => s.end(lines.map((l) => `${l}\n`).join('')));
    s.on('error', reject);
    s.on('close', () => resolve());
  });

const ingest = (body: string) => fetch(canhgac.ingestUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body });

const eventsOf = async (q: string) => (await api.get<{ items: { message?: string; host?: { name?: string } }[]; total?: number }>(`/api/events?q=${encodeURIComponent(q)}&limit=10`)).body.items;

test('a line within collector.max_message_bytes that normalizes to more than 1 MiB is stored whole, and the events after it too', async () => {
  // 1 MB of random text, in message and in event.original: a 2 MB event that gzip cannot bring under 1 MiB
  const big = `<13>Dec  3 10:00:00 big-host app: ${randomBytes(750_000).toString('base64')}`;
  await tcpLines([big, '<13>Dec  3 10:00:01 after-big app: the line after the big one']);
  const after = await waitFor('the line after the big one', async () => (await eventsOf('host.hostname:after-big OR host.name:after-big'))[0], 120_000);
  expect(after).toBeDefined();
  const stored = await waitFor('the big event', async () => (await eventsOf('host.hostname:big-host OR host.name:big-host'))[0], 60_000);
  expect(stored.message?.length).toBeGreaterThanOrEqual(1_000_000);
});

test('events carrying __proto__/constructor keys or 3,000 levels of nesting, then a flood, leave storage and detection working for everyone', async () => {
  const deep = '{"a":'.repeat(3000) + '1' + '}'.repeat(3000);
  const hostile = [
    '{"__proto__":{"disabled":true,"format":"x"},"message":"proto-1","host":{"name":"hostile-1"}}',
    '{"constructor":{"prototype":{"disabled":true}},"message":"proto-2","host":{"name":"hostile-2"}}',
    deep,
  ];
  expect((await ingest(hostile.join('\n'))).status).toBe(202);
  const flood = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ message: `flood line ${i}`, host: { name: `flood-${i % 50}` } })).join('\n');
  for (let i = 0; i < 4; i++) expect((await ingest(flood)).status).toBe(202);
  const attacker = '198.51.100.77';
  for (let i = 0; i < 6; i++) sh('logger', ['--tcp', '-P', String(canhgac.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', `Failed password for root from ${attacker} port ${42000 + i} ssh2`]);
  await waitFor('the brute force after the hostile records opens an incident', async () => {
    const r = await api.get<{ items: { rule: { id: string }; rules?: { id: string }[]; summary: { source_ip?: string } }[] }>('/api/incidents?status=open&limit=200');
    return r.body.items.find((i) => (i.rules ?? [i.rule]).some((r) => r.id === BRUTE_FORCE) && i.summary.source_ip === attacker);
  }, 180_000);
  await waitFor('all 20,000 flood events stored', async () => {
    const r = await api.get<{ total: number }>(`/api/events?q=${encodeURIComponent('"flood line"')}&limit=1`);
    return r.body.total >= 20_000 ? true : null;
  }, 180_000);
  // a polluted prototype ('disabled') would answer 401 here; a poison record would have stopped the flood from being stored
  expect((await api.get('/api/events?limit=5')).status).toBe(200);
});
