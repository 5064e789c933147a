/**
 * Through the real embedded pipeline (disk-journal bus, SQLite store, indexer, alerting): real
 * FortiGate and Sysmon lines parsed by canhgac's parsers go on the `events` topic as the
 * collector puts them; the intel consumer matches them and each match opens an incident for
 * the machine concerned. Expired and other agencies' indicators raise nothing; an indicator
 * added after the events finds them by retro-hunt.
 */
import type { RunningNode } from '../bin/node';
import { startNode } from '../bin/node';
import { parse } from '../collector/parsers';
import { TOPICS } from '../core/bus/bus';
import { loadConfig } from '../core/config';
import { newId } from '../core/event';
import { createLogger } from '../core/log';
import type { Incident } from '../core/model';
import { waitFor } from '../test/helpers/canhgac';
import { INTEL_RULE_ID, type IntelAlert } from './alert';
import { startIntel, type IntelConsumer } from './consumer';
import { infectedHosts } from './hosts';
import { storeIndicators } from './importer';
import { importCsv } from './importers/csv';
import { LINES, SHA, sysmon, tempDir } from './testkit';


let node: RunningNode;
let intel: IntelConsumer;
const logger = createLogger({ level: 'silent' });
let published = 0;

async function send(tenant: string, input: string | Record<string, unknown>): Promise<string> {
  const ev = parse(input, { receivedAt: new Date(), timezone: 'UTC' }) as unknown as Record<string, unknown>;
  const id = newId();
  // what the collector stamps: the event id and the agency from the credential
  const stamped = { ...ev, event: { ...(ev.event as object), id }, organization: { id: tenant } };
  await node.bus.publish(TOPICS.events, [{ key: `${tenant}/x`, value: stamped }]);
  published++;
  return id;
}

const importList = (csv: string, tenant: string | null, ttlMs: number | null = 86_400_000) => storeIndicators(node.store, importCsv(csv), { tenant, source: 'VNCERT', ttlMs, now: new Date() });
const incidents = async (tenant: string) => (await node.store.listIncidents({ tenants: [tenant], limit: 100 })).items.filter((i) => i.rule.id === INTEL_RULE_ID || i.rules?.some((r) => r.id === INTEL_RULE_ID));
const incidentOf = (tenant: string, host: string) => waitFor(`the incident of ${host}`, async () => (await incidents(tenant)).find((i) => i.summary.host === host), 30_000);

beforeAll(async () => {
  const dir = tempDir();
  const { config } = loadConfig({ file: null, env: { CANHGAC_DATA_DIR: dir } });
  node = await startNode(config, ['indexer', 'alerting'], { logger, env: {} });
  await importList([
    'type,value,confidence,description',
    'ipv4,203.0.113.80,90,C2 of the outbreak',
    'domain,evil.example,80,',
    'url,http://bad.example/gate.php?id=1,80,',
    `sha256,${SHA},95,Emotet loader`,
  ].join('\n'), null);
  await importList('type,value\nipv4,203.0.113.81\n', 'so-b'); // so-b's own
  await storeIndicators(node.store, importCsv('type,value,expires\nipv4,203.0.113.82,2020-01-01T00:00:00Z\n'), { tenant: null, source: 'old', ttlMs: null, now: new Date() });
  intel = await startIntel({ bus: node.bus, store: node.store, logger, reloadMs: 200 });
});
afterAll(async () => {
  await intel?.stop();
  await node?.stop();
});

test('a firewall log to a listed address, a DNS query for a listed domain, a proxy log of a listed URL and a Sysmon event with a listed hash each open an incident for the right host', async () => {
  await send('so-a', LINES.firewall('10.10.5.23', '203.0.113.80'));
  await send('so-a', LINES.dns('10.10.5.24', 'cdn.update.evil.example'));
  await send('so-a', LINES.proxy('10.10.5.25', 'bad.example', '/gate.php?id=1'));
  await send('so-a', sysmon('WS-042.so-a.local', SHA.toUpperCase()));

  const fw = await incidentOf('so-a', '10.10.5.23');
  expect(fw).toMatchObject({ tenant: 'so-a', status: 'new', severity: 'high' });
  const dns = await incidentOf('so-a', '10.10.5.24');
  const proxy = await incidentOf('so-a', '10.10.5.25');
  const av = await incidentOf('so-a', 'WS-042.so-a.local');
  expect(av.rule.title).toMatch(/file/);
  const alerts = (inc: Incident) => node.store.listAlerts({ incidentId: inc.id, tenants: null }) as Promise<IntelAlert[]>;
  const enrich = async (inc: Incident) => (await alerts(inc))[0].summary.threat.enrichments.map((e) => [e.matched.field, e.matched.atomic, e.indicator.type]);
  expect(await enrich(fw)).toEqual([['destination.ip', '203.0.113.80', 'ipv4-addr']]);
  expect(await enrich(dns)).toEqual([['dns.question.name', 'cdn.update.evil.example', 'domain-name']]);
  expect(await enrich(proxy)).toEqual([['url.original', 'http://bad.example/gate.php?id=1', 'url']]);
  expect((await enrich(av))[0]).toEqual(['process.hash.sha256', SHA, 'file']);
  expect((await alerts(fw))[0]).toMatchObject({ retrospective: false, summary: { threat: { enrichments: [{ indicator: { provider: 'VNCERT', confidence: 'High', description: 'C2 of the outbreak' } }] } } });

  // a second connection of the same machine joins its incident
  await send('so-a', LINES.firewall('10.10.5.23', '203.0.113.80'));
  await waitFor('the second alert in the incident', async () => (await node.store.getIncident(fw.id, null))?.count === 2);

  // the infected machines of so-a: the four, the one with two matches among them; none of so-b's
  const hosts = await infectedHosts(node.store, ['so-a']);
  expect(hosts.map((h) => h.host).sort()).toEqual(['10.10.5.23', '10.10.5.24', '10.10.5.25', 'WS-042.so-a.local']);
  expect(hosts.find((h) => h.host === '10.10.5.23')).toMatchObject({ tenant: 'so-a', indicators: 2, incidents: [{ id: fw.id }] });
  expect(await infectedHosts(node.store, ['so-b'])).toEqual([]);
});

test('an expired indicator matches nothing; an indicator of one agency never matches another agency', async () => {
  const before = intel.counts.alerts;
  await send('so-a', LINES.firewall('10.10.6.1', '203.0.113.82')); // expired
  await send('so-a', LINES.firewall('10.10.6.2', '203.0.113.81')); // so-b's indicator, so-a's event
  await send('so-b', LINES.firewall('10.20.6.3', '203.0.113.81')); // so-b's own: matches
  const target = published;
  await waitFor('the intel consumer to see every event', () => intel.counts.events >= target);
  await incidentOf('so-b', '10.20.6.3');
  expect(intel.counts.alerts - before).toBe(1);
  const hosts = (await incidents('so-a')).map((i) => i.summary.host);
  expect(hosts).not.toContain('10.10.6.1');
  expect(hosts).not.toContain('10.10.6.2');
});

test('an indicator added after the events finds them by retro-hunt, marked retrospective', async () => {
  await send('so-a', LINES.firewall('10.10.7.7', '192.0.2.99'));
  await send('so-a', LINES.dns('10.10.7.8', 'late.example'));
  await waitFor('the events stored', async () => (await node.store.searchEvents({ q: 'destination.ip:192.0.2.99 OR dns.question.name:late.example', tenants: null })).total === 2);
  expect((await incidents('so-a')).find((i) => i.summary.host === '10.10.7.7')).toBeUndefined();
  await importList('type,value\nipv4,192.0.2.99\ndomain,late.example\n', null);
  await intel.refresh();
  const fw = await incidentOf('so-a', '10.10.7.7');
  await incidentOf('so-a', '10.10.7.8');
  const [a] = (await node.store.listAlerts({ incidentId: fw.id, tenants: null })) as IntelAlert[];
  expect(a.retrospective).toBe(true);
  expect(a.rule.title).toMatch(/^Retro-hunt: /);
  // hunted once: a later refresh raises nothing again
  const retro = intel.counts.retrospective;
  await importList('type,value\nipv4,192.0.2.98\n', null);
  await intel.refresh();
  expect(intel.counts.retrospective).toBe(retro);
});
