/**
 * Threat intelligence in the real binary and a real browser: an indicator file dropped into the
 * feed folder is imported on schedule; a FortiGate log to that address, sent over HTTP ingest,
 * opens an incident for the machine whose stored event carries threat.enrichments; a responder
 * opens the incident and blocks the address with "Block it" (reason, expiry); the agency's
 * firewall then pulls it from the blocklist feed with the feed token, and the audit log names the
 * responder, the reason and the incident.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LINES } from '../../intel/testkit';
import { ADMIN_PASSWORD, ApiClient, cli, startCanhgac, tempDataDir, waitFor, type Running } from '../helpers/canhgac';
import { buildWeb, launchBrowser, login, WAIT, type Browser } from './browser-kit';

jest.setTimeout(300_000);

const C2 = '203.0.113.80';
const MACHINE = '10.10.5.23';
const RESPONDER_PASSWORD = 'responder-password-2026';

interface Incident { id: string; tenant: string; title: string; rule: { id: string }; summary: { host?: string } }

let canhgac: Running;
let browser: Browser;
let api: ApiClient;
let ingestToken: string;
let incident: Incident; // opened by the first test, blocked from by the second

beforeAll(async () => {
  buildWeb();
  const dataDir = tempDataDir();
  // the operator's drop: the default feed folder under the data directory
  fs.mkdirSync(path.join(dataDir, 'feeds'));
  fs.writeFileSync(path.join(dataDir, 'feeds', 'vncert-c2.csv'), `type,value,confidence,description\nipv4,${C2},90,C2 of the outbreak\n`);
  fs.writeFileSync(path.join(dataDir, 'feeds', 'broken.csv'), 'type,value\nipv4,203.0.113.999\n');
  canhgac = await startCanhgac({ dataDir, env: { CANHGAC_INTEL_FEEDS_INTERVAL_SECONDS: '5' } });
  api = await ApiClient.login(canhgac.consoleUrl);
  const tenant = cli(dataDir, ['tenant', 'add', 'so-yte', '--name', 'Sở Y tế']);
  expect(tenant.code).toBe(0);
  ingestToken = /ingest token \(shown once\): (\S+)/.exec(tenant.stdout)![1];
  expect(cli(dataDir, ['user', 'add', 'resp', '--role', 'responder', '--agency', 'so-yte'], `${RESPONDER_PASSWORD}\n`).code).toBe(0);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await canhgac?.stop();
});

test('a dropped feed file is imported on schedule and a broken one is reported; a log to its address opens an incident whose event carries threat.enrichments', async () => {
  const feeds = await waitFor('the feed folder scanned', async () => {
    const r = await api.get<{ items: { name: string; status: string; error: string | null; indicators: number }[] }>('/api/intel/feeds');
    return r.body.items.length === 2 ? r.body.items : null;
  }, WAIT);
  expect(feeds.map((f) => [f.name, f.status, f.indicators])).toEqual([['broken.csv', 'failed', 0], ['vncert-c2.csv', 'imported', 1]]);
  expect(feeds[0].error).toMatch(/line 2: "203.0.113.999" is not an IPV4 address/);
  expect((await api.get<{ items: { value: string; source: string }[] }>('/api/iocs?type=ipv4')).body.items).toEqual([expect.objectContaining({ value: C2, source: 'feeds/vncert-c2.csv' })]);

  // the consumer reloads within seconds of the import; until then a log would match nothing, so send until one matches
  const inc = await waitFor('the intel incident of the machine', async () => {
    const res = await fetch(canhgac.ingestUrl, { method: 'POST', headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ message: LINES.firewall(MACHINE, C2) }) });
    expect(res.status).toBe(202);
    const list = await api.get<{ items: Incident[] }>('/api/incidents?limit=100');
    return list.body.items.find((i) => i.tenant === 'so-yte' && i.summary.host === MACHINE);
  }, WAIT);
  const enriched = await waitFor('the stored event enriched', async () => {
    const r = await api.get<{ items: { threat?: { enrichments?: { matched: { atomic: string } }[] } }[] }>(`/api/events?q=${encodeURIComponent(`destination.ip:${C2} AND threat.enrichments:*`)}`);
    return r.body.items?.[0]?.threat?.enrichments;
  }, WAIT);
  expect(enriched[0].matched.atomic).toBe(C2);
  incident = inc;
});

test('a responder blocks the address from the incident page; the firewall pulls it from the feed and the audit log names who, why and the incident', async () => {
  const inc = incident;
  const { page } = browser;
  await login(browser.page, canhgac.consoleUrl, 'resp', RESPONDER_PASSWORD);
  await page.goto(`${canhgac.consoleUrl}/#/incident/${inc.id}`);
  const panel = page.locator('#block-it');
  await panel.waitFor({ timeout: WAIT });
  // the address the indicator matched is offered first
  expect(await panel.locator('input[name=value]').inputValue()).toBe(C2);
  await panel.locator('button.tag', { hasText: MACHINE }).click();
  expect(await panel.locator('input[name=value]').inputValue()).toBe(MACHINE);
  await panel.locator('button.tag', { hasText: C2 }).click();
  await panel.locator('input[name=reason]').fill('C2 of the outbreak, seen from 10.10.5.23');
  await panel.locator('select[name=ttl]').selectOption('30d');
  await panel.locator('button[type=submit]').click();
  await panel.locator('#block-done', { hasText: C2 }).waitFor({ timeout: WAIT });
  // the event's detail on the same page shows the enrichment
  await page.locator('details.ev').first().click();
  await page.locator('details.ev td', { hasText: 'threat.enrichments' }).first().waitFor({ timeout: WAIT });

  const token = /feed token for so-yte \(shown only now\): (\S+)/.exec(cli(canhgac.dataDir, ['blocklist', 'token', 'so-yte']).stdout)![1];
  const feed = execFileSync('curl', ['-sS', '--max-time', '20', '-H', `Authorization: Bearer ${token}`, `${canhgac.consoleUrl}/api/blocklists/so-yte`], { encoding: 'utf8' });
  expect(feed).toBe(`${C2}\n`);
  const entry = (await api.get<{ items: { actor: string; action: string; target: string | null; details: Record<string, unknown> }[] }>('/api/audit?limit=1000')).body.items.find((a) => a.action === 'blocklist.add');
  expect(entry).toMatchObject({ actor: 'resp', target: `so-yte:${C2}`, details: { reason: 'C2 of the outbreak, seen from 10.10.5.23', incidentId: inc.id } });
  expect(browser.errors).toEqual([]);
});

test('the infected-machines view shows the machine, the feed folder with the refused file and why, and imports an indicator file from the analyst\'s machine', async () => {
  const { page } = browser;
  await browser.context.clearCookies(); // the responder's session ends
  await login(browser.page, canhgac.consoleUrl, 'admin', ADMIN_PASSWORD);
  await page.goto(`${canhgac.consoleUrl}/#/infected`);
  await page.locator('#infected-hosts td', { hasText: MACHINE }).waitFor({ timeout: WAIT });
  const refused = page.locator('#intel-feeds tr[data-feed="broken.csv"]');
  await refused.waitFor({ timeout: WAIT });
  expect(await refused.locator('.feed-error').textContent()).toMatch(/line 2: "203.0.113.999" is not an IPV4 address/);
  expect(await page.locator('#intel-feeds tr[data-feed="vncert-c2.csv"] td').nth(4).textContent()).toBe('1');

  const form = page.locator('#ioc-import');
  await form.locator('select[name=tenant]').selectOption('so-yte');
  await form.locator('input[name=file]').setInputFiles({ name: 'bulletin.csv', mimeType: 'text/csv', buffer: Buffer.from('type,value,description\ndomain,c2.bulletin.example,VNCERT bulletin 12\n') });
  await form.locator('button[type=submit]').click();
  await page.locator('#ioc-imported', { hasText: '+1' }).waitFor({ timeout: WAIT });
  const iocs = (await api.get<{ items: { value: string; tenant: string | null; source: string }[] }>('/api/iocs?type=domain')).body.items;
  expect(iocs).toEqual([expect.objectContaining({ value: 'c2.bulletin.example', tenant: 'so-yte', source: 'console upload by admin' })]);
  expect(browser.errors).toEqual([]);
});
