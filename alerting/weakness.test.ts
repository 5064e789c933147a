/** Attacks meet weaknesses: an IDS alert naming a CVE against a host whose scan shows it raises the incident; elsewhere it does not. */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createEmbeddedBus } from '../core/bus/embedded';
import type { EcsEvent } from '../core/event';
import { silentLogger } from '../core/log';
import type { Alert } from '../core/model';
import { createSqliteStore } from '../core/store/sqlite';
import { importScan } from '../vuln/importer';
import { openvasReport } from '../vuln/testkit';
import { applyAlert, type IncidentServiceOptions } from './incidents';

async function setup(): Promise<IncidentServiceOptions> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-weak-'));
  const store = createSqliteStore({ path: ':memory:' });
  for (const id of ['so-a', 'so-b']) await store.putTenant({ id, name: id, created: '2026-12-01T00:00:00.000Z' });
  const report = openvasReport([
    { host: '10.1.0.5', port: '443/tcp', name: 'Apache HTTP Server 2.4.49 Path Traversal', cves: ['CVE-2021-41773'], cvss: 9.8 },
    { host: '10.1.0.7', port: '8080/tcp', name: 'Apache Tomcat default credentials', cvss: 7.5 },
    { host: '10.1.0.8', port: '22/tcp', name: 'Weak SSH MAC', cvss: 2.6, threat: 'Low' },
  ], [{ ip: '10.1.0.6' }]);
  await importScan(store, { tenant: 'so-a', format: 'openvas', file: 'so-a.xml', input: Readable.from([report]), by: 'test' });
  return { store, bus: createEmbeddedBus({ dir }), logger: silentLogger, windowMinutes: 60 };
}

let n = 0;
async function idsAlert(o: IncidentServiceOptions, tenant: string, target: string, port: number, signature: string): Promise<Alert> {
  n++;
  const ev = {
    '@timestamp': '2026-12-04T01:00:00.000Z', event: { id: `ev-${n}`, kind: 'alert', category: ['intrusion_detection'] }, organization: { id: tenant },
    source: { ip: `203.0.113.${n}` }, destination: { ip: target, port }, rule: { name: signature }, message: signature,
  } as unknown as EcsEvent;
  await o.store.putEvents([ev]);
  return {
    id: `al-${n}`, '@timestamp': '2026-12-04T01:00:00.000Z', created: '2026-12-04T01:00:01.000Z', tenant,
    rule: { id: 'ids-alert', title: 'IDS alert', level: 'high', tags: ['attack.initial_access'], references: [] },
    kind: 'rule', severity: 'high', groupKey: `source.ip=203.0.113.${n}`, groupBy: null, eventIds: [`ev-${n}`], summary: { source_ip: `203.0.113.${n}`, destination_ip: target },
  };
}

const SIG = 'ET EXPLOIT Apache HTTP Server 2.4.49 Path Traversal Attempt (CVE-2021-41773)';

test('an IDS alert naming a CVE against a host whose scan shows that CVE raises the incident and shows the finding beside it', async () => {
  const o = await setup();
  const r = (await applyAlert(o, await idsAlert(o, 'so-a', '10.1.0.5', 443, SIG)))!;
  expect(r.incident.severity).toBe('critical');
  expect(r.incident.weaknesses).toEqual([expect.objectContaining({ host: '10.1.0.5', port: 443, cves: ['CVE-2021-41773'], cvss: 9.8, severity: 'critical', reason: 'cve', name: 'Apache HTTP Server 2.4.49 Path Traversal' })]);
  expect((await o.store.getIncident(r.incident.id, ['so-a']))?.weaknesses).toHaveLength(1);
  const changes = await o.store.listIncidentChanges(r.incident.id);
  expect(changes.find((c) => c.action === 'severity')).toMatchObject({ from: 'high', to: 'critical', comment: 'open finding on 10.1.0.5:443: Apache HTTP Server 2.4.49 Path Traversal (CVE-2021-41773)' });
});

test('the same alert against a scanned host without that finding, or against the host of another agency, does not', async () => {
  const o = await setup();
  for (const [tenant, host] of [['so-a', '10.1.0.6'], ['so-a', '10.1.0.99'], ['so-b', '10.1.0.5']] as const) {
    const r = (await applyAlert(o, await idsAlert(o, tenant, host, 443, SIG)))!;
    expect([tenant, host, r.incident.severity, r.incident.weaknesses ?? []]).toEqual([tenant, host, 'high', []]);
  }
});

test('an attack on the port of a medium-or-worse finding fits it; a low finding, or a finding closed by a later scan, does not', async () => {
  const o = await setup();
  const tomcat = (await applyAlert(o, await idsAlert(o, 'so-a', '10.1.0.7', 8080, 'ET WEB_SERVER Tomcat manager login brute force')))!;
  expect([tomcat.incident.severity, tomcat.incident.weaknesses?.map((w) => w.reason)]).toEqual(['critical', ['port']]);
  const ssh = (await applyAlert(o, await idsAlert(o, 'so-a', '10.1.0.8', 22, 'ET SCAN SSH brute force')))!;
  expect(ssh.incident.severity).toBe('high');
  await importScan(o.store, { tenant: 'so-a', format: 'openvas', file: 'rescan.xml', input: Readable.from([openvasReport([], [{ ip: '10.1.0.5' }])]), by: 'test' });
  const patched = (await applyAlert(o, await idsAlert(o, 'so-a', '10.1.0.5', 443, SIG)))!;
  expect([patched.incident.severity, patched.incident.weaknesses ?? []]).toEqual(['high', []]);
});
