/**
 * The vulnerability routes on the real console (buildConsole over SQLite, the kit's two agencies): findings
 * scoped by agency, a scan report uploaded as a stream over HTTP, what a later scan closes, a broken report
 * refused whole, the CSV export and the per-agency summary against the remediation targets.
 */
import { Readable } from 'node:stream';
import { consoleConfigSchema, consoleOptions } from './config-schema';
import { startKit, type Caller, type Kit } from './testkit';
import { importScan } from '../../vuln/importer';
import { openvasReport } from '../../vuln/testkit';
import { summarize } from '../../vuln/summary';

let kit: Kit;
let base: string;
const caller = (u: string): Caller => kit.callers.find((c) => c.username === u)!;

beforeAll(async () => {
  kit = await startKit();
  await kit.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(kit.app.server.address() as { port: number }).port}`;
});
afterAll(() => kit?.close());

const hosts = (r: { body: { items: { host: string; tenant: string }[] } }) => [...new Set(r.body.items.map((f) => `${f.tenant}/${f.host}`))].sort();

/** Uploads a report over HTTP in small chunks, as a browser or curl streams a file. */
async function upload(c: Caller, agency: string, xml: string, format = 'openvas'): Promise<{ status: number; body: any }> {
  const chunks = xml.match(/[\s\S]{1,512}/g) ?? [];
  const body = new ReadableStream({ pull(ctl) { const next = chunks.shift(); if (next === undefined) ctl.close(); else ctl.enqueue(new TextEncoder().encode(next)); } });
  const res = await fetch(`${base}/api/vulnerabilities/import?agency=${agency}&format=${format}&file=scan-${agency}.xml`, {
    method: 'POST', body, duplex: 'half', headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/xml' },
  } as RequestInit);
  return { status: res.status, body: await res.json() };
}

test('each caller lists only its agencies\' findings; a provincial analyst sees both, and filters by host, severity and status', async () => {
  expect(hosts(await kit.call(caller('analyst-prov'), 'GET', '/api/vulnerabilities'))).toEqual(['so-a/10.1.1.1', 'so-b/10.9.9.9']);
  expect(hosts(await kit.call(caller('analyst-a'), 'GET', '/api/vulnerabilities'))).toEqual(['so-a/10.1.1.1']);
  const asked = await kit.call(caller('viewer-a'), 'GET', '/api/vulnerabilities?agency=so-b');
  expect([asked.status, asked.body.total]).toEqual([200, 0]);
  const one = await kit.call(caller('analyst-prov'), 'GET', '/api/vulnerabilities?host=10.9.9.9&severity=critical,high&status=open');
  expect(one.body.items.map((f: { tenant: string; cves: string[]; cvss: number }) => [f.tenant, f.cves, f.cvss])).toEqual([['so-b', ['CVE-2021-41773'], 9.8]]);
  expect((await kit.call(caller('analyst-prov'), 'GET', '/api/vulnerabilities?severity=low')).body.total).toBe(0);
  expect((await kit.call(caller('analyst-prov'), 'GET', '/api/vulnerabilities?severity=urgent')).status).toBe(400);
});

test('an uploaded report is imported as it streams; a later scan closes what it no longer finds; both are audited', async () => {
  const first = openvasReport([
    { host: '10.1.1.5', port: '443/tcp', oid: '1.3.6.1.4.1.25623.1.0.117711', name: 'Apache HTTP Server path traversal', cves: ['CVE-2021-41773', 'CVE-2021-42013'], cvss: 9.8, threat: 'High' },
    { host: '10.1.1.5', port: '22/tcp', oid: '1.3.6.1.4.1.25623.1.0.150713', name: 'Weak SSH key exchange', cvss: 5.3, threat: 'Medium' }, // no CVE
    { host: '2001:db8::15', port: '80/tcp', oid: '1.3.6.1.4.1.25623.1.0.108440', name: 'Cleartext login form', cvss: 4.8, threat: 'Medium' },
  ]);
  const r1 = await upload(caller('analyst-a'), 'so-a', first);
  expect(r1.status).toBe(200);
  expect(r1.body).toMatchObject({ tenant: 'so-a', findings: 3, opened: 3, closed: 0, hosts: 2 });
  const ports = (await kit.call(caller('analyst-a'), 'GET', '/api/vulnerabilities?host=10.1.1.5')).body.items.map((f: { port: number }) => f.port).sort();
  expect(ports).toEqual([22, 443]);
  expect((await kit.call(caller('analyst-a'), 'GET', '/api/vulnerabilities?host=2001:db8::15')).body.total).toBe(1);

  const second = openvasReport([
    { host: '10.1.1.5', port: '443/tcp', oid: '1.3.6.1.4.1.25623.1.0.117711', name: 'Apache HTTP Server path traversal', cves: ['CVE-2021-41773', 'CVE-2021-42013'], cvss: 9.8, threat: 'High' },
    { host: '2001:db8::15', port: '80/tcp', oid: '1.3.6.1.4.1.25623.1.0.108440', name: 'Cleartext login form', cvss: 4.8, threat: 'Medium' },
  ]);
  const r2 = await upload(caller('analyst-a'), 'so-a', second);
  expect(r2.body).toMatchObject({ findings: 2, opened: 0, closed: 1 });
  const closed = await kit.call(caller('analyst-a'), 'GET', '/api/vulnerabilities?status=closed');
  expect(closed.body.items.map((f: { name: string; closedAt: string | null }) => [f.name, typeof f.closedAt])).toEqual([['Weak SSH key exchange', 'string']]);
  const audit = await kit.call(caller('admin-prov'), 'GET', '/api/audit?limit=200');
  expect(audit.body.items.filter((e: { action: string }) => e.action === 'vulnerabilities.import').map((e: { actor: string; details: { closed: number } }) => [e.actor, e.details.closed])).toEqual(expect.arrayContaining([['analyst-a', 0], ['analyst-a', 1]]));
});

test('a viewer cannot upload, nor an agency analyst for another agency; neither touches a finding', async () => {
  const report = openvasReport([{ host: '10.9.9.50', port: '80/tcp', name: 'Planted', cvss: 7.5 }]);
  const before = (await kit.call(caller('analyst-prov'), 'GET', '/api/vulnerabilities?limit=1000')).body.total;
  expect((await upload(caller('viewer-a'), 'so-a', report)).status).toBe(403);
  const other = await upload(caller('analyst-a'), 'so-b', report);
  expect(other.status).toBe(404);
  expect(other.body.error).toMatch(/so-b: not one of your agencies/);
  expect((await kit.call(caller('analyst-prov'), 'GET', '/api/vulnerabilities?limit=1000')).body.total).toBe(before);
});

test('a broken report is refused with where and why, and nothing of it is kept', async () => {
  const before = (await kit.call(caller('analyst-a'), 'GET', '/api/vulnerabilities?limit=1000')).body.total;
  const good = openvasReport([{ host: '10.1.1.77', port: '443/tcp', name: 'Half a report', cvss: 9.1 }, { host: '10.1.1.78', port: '443/tcp', name: 'Other half', cvss: 9.1 }]);
  const cut = good.slice(0, good.indexOf('Other half'));
  const r = await upload(caller('analyst-a'), 'so-a', cut);
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/^scan-so-a\.xml:\d+: not well-formed XML/); // the file and its line
  expect(r.body.error).toMatch(/nothing was imported/);
  expect((await upload(caller('analyst-a'), 'so-a', '<nmaprun><host>', 'nessus')).status).toBe(400);
  const after = await kit.call(caller('analyst-a'), 'GET', '/api/vulnerabilities?host=10.1.1.77');
  expect(after.body.total).toBe(0);
  expect((await kit.call(caller('analyst-a'), 'GET', '/api/vulnerabilities?limit=1000')).body.total).toBe(before);
});

test("the CSV export holds one agency's findings only, and another agency's is refused", async () => {
  const csv = await kit.call(caller('analyst-a'), 'GET', '/api/vulnerabilities/export.csv?agency=so-a');
  expect(csv.status).toBe(200);
  expect(csv.text.startsWith('\ufeff')).toBe(true); // Excel reads the Vietnamese as UTF-8
  const lines = csv.text.slice(1).trim().split('\r\n');
  expect(lines[0]).toMatch(/host/i);
  expect(lines.some((l) => l.includes('10.1.1.5') && l.includes('CVE-2021-41773'))).toBe(true);
  expect(csv.text).not.toMatch(/10\.9\.9\.9|bbbb/);
  expect((await kit.call(caller('analyst-a'), 'GET', '/api/vulnerabilities/export.csv?agency=so-b')).status).toBe(404);
});

test('the summary counts open findings by severity, the most exposed assets, and what is past its remediation target', async () => {
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString();
  await kit.store.putTenant({ id: 'so-c', name: 'Agency c', created: tenDaysAgo });
  const old = openvasReport([
    { host: '10.3.3.3', port: '443/tcp', name: 'Old critical', cves: ['CVE-2024-0001'], cvss: 9.8, threat: 'High' },
    { host: '10.3.3.4', port: '80/tcp', name: 'Old medium', cvss: 5.0, threat: 'Medium' },
  ]);
  await importScan(kit.store, { tenant: 'so-c', format: 'openvas', file: 'old.xml', input: Readable.from([old]), by: 'test', at: tenDaysAgo });
  const s = await kit.call(caller('analyst-prov'), 'GET', '/api/vulnerabilities/summary?agency=so-c');
  expect(s.status).toBe(200);
  expect(s.body.open).toMatchObject({ critical: 1, medium: 1 }); // CVSS 9.8 is critical whatever OpenVAS's threat word
  expect(s.body.targets).toEqual({ critical: 7, high: 30, medium: 90, low: 180, info: 365 });
  expect(s.body.oldestOpenDays).toBe(10);
  expect(s.body.exposed[0].address).toBe('10.3.3.3'); // the worst asset first
  expect(s.body.trend).toHaveLength(1);
  // ten days open: past the 7-day target of a critical, within the medium's 90
  expect(s.body.overdue).toMatchObject({ critical: 1, medium: 0 });
  // console.remediation_days moves the targets: 30 days for a critical, 5 for a medium
  const findings = (await kit.store.vulns!.listFindings({ tenants: ['so-c'], status: ['open'], limit: 100 })).items;
  const targets = consoleOptions(consoleConfigSchema.parse({ remediation_days: { critical: 30, medium: 5 } })).remediationDays!;
  expect(targets).toMatchObject({ critical: 30, high: 30, medium: 5 });
  expect(summarize('so-c', findings, [], [], Date.now(), targets).overdue).toMatchObject({ critical: 0, medium: 1 });
  expect((await kit.call(caller('analyst-a'), 'GET', '/api/vulnerabilities/summary?agency=so-c')).status).toBe(404);
});

test('a misspelt remediation severity or a zero target is a config error naming the key', () => {
  expect(() => consoleConfigSchema.parse({ remediation_days: { urgent: 3 } })).toThrow(/urgent/);
  expect(() => consoleConfigSchema.parse({ remediation_days: { critical: 0 } })).toThrow();
});
