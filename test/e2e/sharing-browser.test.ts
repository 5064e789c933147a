/**
 * "Xuất STIX 2.1" on an incident's page, in a real browser against the real binary: an SSH brute
 * force from 203.0.113.91 downloads as a STIX 2.1 bundle whose indicator is that address and
 * whose marking is the agency's TLP set with `canhgac tenant set`; once the agency turns sharing
 * off, the button says so on the page in Vietnamese instead of downloading, and the export is audited.
 */
import fs from 'node:fs';
import { ADMIN_PASSWORD, ApiClient, cli, startCanhgac, waitFor, type Running } from '../helpers/canhgac';
import { buildWeb, launchBrowser, WAIT, type Browser } from './browser-kit';

jest.setTimeout(300_000);
let canhgac: Running | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await canhgac?.stop();
});

test('the incident page exports the incident as STIX 2.1 with the agency\'s TLP, and says so when the agency shares nothing', async () => {
  buildWeb();
  canhgac = await startCanhgac();
  const added = cli(canhgac.dataDir, ['tenant', 'add', 'so-yte', '--name', 'Sở Y tế']);
  expect(added.code).toBe(0);
  const token = /ingest token \(shown once\): (\S+)/.exec(added.stdout)![1];
  const set = cli(canhgac.dataDir, ['tenant', 'set', 'so-yte', '--share-tlp', 'green']);
  expect(set.stdout).toContain('agency so-yte: shares with the national centre: TLP:GREEN, indicators only, no observed data');
  expect(cli(canhgac.dataDir, ['tenant', 'set', 'so-yte', '--share-tlp', 'purple']).stderr).toContain('--share-tlp: "purple" must be one of clear, green, amber, amber+strict, red');
  const api = await ApiClient.login(canhgac.consoleUrl);
  const d = new Date();
  const stamp = `${d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 16)}`;
  const body = Array.from({ length: 6 }, (_, i) => JSON.stringify({ message: `<38>${stamp}:0${i} web-01 sshd[77]: Failed password for root from 203.0.113.91 port ${5000 + i} ssh2` })).join('\n');
  expect((await fetch(canhgac.ingestUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body })).status).toBe(202);
  const inc = await waitFor('the brute-force incident', async () => (await api.get<{ items: { id: string; tenant: string; summary: { source_ip?: string } }[] }>('/api/incidents?limit=100')).body.items.find((i) => i.summary.source_ip === '203.0.113.91'), WAIT);

  browser = await launchBrowser();
  const { page } = browser;
  await browser.login(canhgac.consoleUrl, 'admin', ADMIN_PASSWORD);
  await page.goto(`${canhgac.consoleUrl}/#/incident/${inc.id}`);
  const button = page.locator('#inc-reports button[data-export="stix"]');
  expect(await button.innerText()).toBe('Xuất STIX 2.1');
  expect(await page.locator('#inc-stix').innerText()).toContain('Chia sẻ với trung tâm quốc gia');
  const [dl] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(dl.suggestedFilename()).toBe(`stix-${inc.id}.json`);
  const bundle = JSON.parse(fs.readFileSync((await dl.path())!, 'utf8')) as { type: string; objects: { type: string; id: string; pattern?: string }[] };
  expect(bundle.type).toBe('bundle');
  expect(bundle.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern)).toEqual(["[ipv4-addr:value = '203.0.113.91']"]);
  expect(bundle.objects.filter((o) => o.type === 'marking-definition').map((o) => o.id)).toEqual(['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb']);
  expect(bundle.objects.some((o) => o.type === 'observed-data')).toBe(false);

  expect(cli(canhgac.dataDir, ['tenant', 'set', 'so-yte', '--share-enabled', 'no']).code).toBe(0);
  await button.click();
  await page.locator('#inc-reports [role="alert"]', { hasText: 'Cơ quan này đã tắt chia sẻ với trung tâm quốc gia' }).waitFor();
  await page.goto(`${canhgac.consoleUrl}/#/audit`);
  await page.locator('#audit tbody tr td[title="sharing.stix"]', { hasText: 'Xuất STIX 2.1 cho trung tâm quốc gia' }).first().waitFor();
  const audit = (await api.get<{ items: { action: string; target: string }[] }>('/api/audit?limit=100')).body.items;
  expect(audit.filter((e) => e.action === 'sharing.stix').map((e) => e.target)).toEqual([inc.id]);
  expect(browser.errors.filter((e) => !/status of 409/.test(e))).toEqual([]); // the refused export is the one 409
});
