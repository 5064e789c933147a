/**
 * The cases of threat intelligence through the real binary (`canhgac start`, embedded): indicators
 * imported with `canhgac ioc import`; a firewall log to a listed address, a DNS query for a listed
 * domain, a proxy log of a listed URL and a Sysmon event with a listed hash, sent over HTTP ingest
 * with the agency's token, each open an incident for the right machine; an expired indicator and
 * another agency's indicator match nothing; an indicator imported after the events finds them by
 * retro-hunt.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LINES, SHA, sysmon } from '../../intel/testkit';
import { ApiClient, cli, startCanhgac, tempDataDir, waitFor, type Running } from '../helpers/canhgac';

jest.setTimeout(300_000);

const WAIT = 90_000;
const RULE = 'canhgac-intel-indicator-match';
interface Incident { id: string; tenant: string; title: string; rule: { id: string }; rules?: { id: string }[]; summary: { host?: string } }

let canhgac: Running;
let api: ApiClient;
const tokens: Record<string, string> = {};

const ingest = async (tenant: string, doc: Record<string, unknown>) => {
  const res = await fetch(canhgac.ingestUrl, { method: 'POST', headers: { authorization: `Bearer ${tokens[tenant]}`, 'content-type': 'application/json' }, body: JSON.stringify(doc) });
  expect(res.status).toBe(202);
};
const intelIncidents = async (tenant: string) => (await api.get<{ items: Incident[] }>('/api/incidents?limit=1000')).body.items.filter((i) => i.tenant === tenant && (i.rule.id === RULE || i.rules?.some((r) => r.id === RULE)));
const incidentOf = (tenant: string, host: string) => waitFor(`the intel incident of ${host}`, async () => (await intelIncidents(tenant)).find((i) => i.summary.host === host), WAIT);
const importFile = (name: string, content: string, ...args: string[]) => {
  const file = path.join(canhgac.dataDir, name);
  fs.writeFileSync(file, content);
  const r = cli(canhgac.dataDir, ['ioc', 'import', file, '--format', 'csv', '--source', 'VNCERT', ...args]);
  expect([r.code, r.stderr.replace(/^canhgac: data directory .*\n/, '')]).toEqual([0, '']);
};

beforeAll(async () => {
  canhgac = await startCanhgac({ dataDir: tempDataDir() });
  api = await ApiClient.login(canhgac.consoleUrl);
  for (const t of ['so-a', 'so-b']) {
    const r = cli(canhgac.dataDir, ['tenant', 'add', t, '--name', t]);
    expect(r.code).toBe(0);
    tokens[t] = /ingest token \(shown once\): (\S+)/.exec(r.stdout)![1];
  }
  importFile('shared.csv', `type,value\nipv4,203.0.113.80\ndomain,evil.example\nurl,http://bad.example/gate.php?id=1\nsha256,${SHA}\n`);
  importFile('old.csv', 'type,value,expires\nipv4,203.0.113.82,2020-01-01T00:00:00Z\n');
  importFile('so-b.csv', 'type,value\nipv4,203.0.113.81\n', '--tenant', 'so-b');
});
afterAll(async () => {
  await canhgac?.stop();
});

test('a firewall log, a DNS query, a proxy log and a Sysmon event each open an incident for the machine', async () => {
  // the consumer loads indicators within seconds of an import: until the first incident appears, send again
  await waitFor('the first match', async () => {
    await ingest('so-a', { message: LINES.firewall('10.10.5.23', '203.0.113.80') });
    return (await intelIncidents('so-a')).find((i) => i.summary.host === '10.10.5.23');
  }, WAIT);
  await ingest('so-a', { message: LINES.dns('10.10.5.24', 'cdn.update.evil.example') });
  await ingest('so-a', { message: LINES.proxy('10.10.5.25', 'bad.example', '/gate.php?id=1') });
  await ingest('so-a', sysmon('WS-042.so-a.local', SHA.toUpperCase()));
  await incidentOf('so-a', '10.10.5.24');
  await incidentOf('so-a', '10.10.5.25');
  expect((await incidentOf('so-a', 'WS-042.so-a.local')).title).toMatch(/file/);
});

test("an expired indicator and another agency's indicator match nothing; that agency's own events match it", async () => {
  await ingest('so-a', { message: LINES.firewall('10.10.6.1', '203.0.113.82') }); // expired
  await ingest('so-a', { message: LINES.firewall('10.10.6.2', '203.0.113.81') }); // so-b's indicator
  await ingest('so-b', { message: LINES.firewall('10.20.6.3', '203.0.113.81') });
  // a control sent last by so-a: once its incident is open, the two before it were matched (one journal, in order)
  await ingest('so-a', { message: LINES.firewall('10.10.6.9', '203.0.113.80') });
  await incidentOf('so-a', '10.10.6.9');
  await incidentOf('so-b', '10.20.6.3');
  const hosts = (await intelIncidents('so-a')).map((i) => i.summary.host);
  expect(hosts).not.toContain('10.10.6.1');
  expect(hosts).not.toContain('10.10.6.2');
});

test('an indicator imported after the events finds them by retro-hunt, marked as such', async () => {
  await ingest('so-a', { message: LINES.dns('10.10.7.8', 'late.example') });
  await waitFor('the DNS event stored', async () => (await api.get<{ total: number }>(`/api/events?q=${encodeURIComponent('dns.question.name:"late.example"')}`)).body.total === 1, WAIT);
  importFile('late.csv', 'type,value\ndomain,late.example\n');
  const inc = await incidentOf('so-a', '10.10.7.8');
  expect(inc.title).toMatch(/^Retro-hunt: /);
});
