/**
 * The Website watch view in a real browser (Debian's Chromium driven by playwright-core) against the
 * real running binary: a watched https site is listed with its state, uptime over 24 h and 30 d,
 * latency, certificate expiry and last change; its last change (an injected gambling block) is shown
 * beside the baseline with the differing line marked; an admin adds a site from the console.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/canhgac';
import { ADMIN_PASSWORD, ApiClient, cli, startCanhgac, tempDataDir, waitFor, type Running } from '../helpers/canhgac';
import { makePki, portalPage, serveHttp, serveHttps, type TestSite } from '../../website/testkit';
import { buildWeb, launchBrowser, login, type Browser } from './browser-kit';

jest.setTimeout(300_000);
const WAIT = 120_000; // generous: a loaded 2-core machine
const SPAM = 'Nhà cái uy tín: tài xỉu, nổ hũ đổi thưởng';

interface SiteView { id: string; url: string; state: string; lastChange: { kinds: string[] } | null; latencyMs: number | null; certificateDaysLeft: number | null }

let canhgac: Running | undefined;
let browser: Browser | undefined;
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
async function shot(name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await browser!.page.waitForTimeout(300); // let the last frame paint
  await browser!.page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}
const sites: TestSite[] = [];
afterAll(async () => {
  await browser?.close();
  await canhgac?.stop();
  for (const s of sites) await s.close();
});

test('a site listed with state, uptime, latency, certificate and last change; its change beside the baseline; a site added from the console', async () => {
  buildWeb();
  const pki = makePki(5);
  const dataDir = tempDataDir();
  const caFile = path.join(dataDir, 'test-ca.pem');
  fs.writeFileSync(caFile, pki.ca);
  // the browser's fetch counts the checks; from the fifth on, the page carries a gambling block
  let n = 0;
  const portal = await serveHttps((req, res) => {
    const i = /Googlebot|iPhone/.test(String(req.headers['user-agent'])) ? n : ++n;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(portalPage(i, i > 4 ? `<p>${SPAM}</p>` : ''));
  }, pki);
  const added = await serveHttp((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(1)));
  sites.push(portal, added);

  expect(cli(dataDir, ['tenant', 'add', 'so-yte', '--name', 'Sở Y tế']).code).toBe(0);
  canhgac = await startCanhgac({ dataDir, env: { CANHGAC_WEBSITE_MIN_INTERVAL_S: '10', CANHGAC_WEBSITE_REFRESH_S: '1', CANHGAC_WEBSITE_TIMEOUT_MS: '3000', CANHGAC_WEBSITE_CA: caFile } });
  const api = await ApiClient.login(canhgac.consoleUrl);
  expect((await api.post('/api/websites', { url: portal.url, tenant: 'so-yte', interval: 10 })).status).toBe(200);
  const list = async () => (await api.get<{ items: SiteView[] }>('/api/websites')).body.items;
  const site = await waitFor('the injected block reported as the last change', async () => (await list()).find((w) => w.url === portal.url && w.lastChange?.kinds.includes('spam')), WAIT);

  browser = await launchBrowser();
  const { page } = browser;
  page.setDefaultTimeout(WAIT);
  await login(page, canhgac.consoleUrl, 'admin', ADMIN_PASSWORD);
  await page.goto(`${canhgac.consoleUrl}/#/websites`);
  const row = page.locator(`#websites tr[data-site="${site.id}"]`);
  await row.waitFor();
  const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
  // agency, URL, state, uptime 24 h, uptime 30 d, latency, certificate, last check, last change
  expect(cells[0]).toContain('Sở Y tế');
  expect(cells[1]).toBe(portal.url);
  expect(cells[2]).toBe('Hoạt động');
  expect(cells.slice(3, 5)).toEqual(['100.0%', '100.0%']);
  expect(cells[5]).toMatch(/^\d+ ms$/);
  expect(cells[6]).toMatch(new RegExp(`\\((${site.certificateDaysLeft}|4|5) ngày\\)$`));
  expect(await row.locator('td').nth(6).getAttribute('class')).toBe('warn'); // fewer than 14 days
  expect(cells[8]).toMatch(/spam/);
  await shot('websites');

  await row.locator('td').nth(8).locator('button').click();
  const diff = page.locator('#website-snapshots #website-diff');
  await diff.waitFor();
  const marked = diff.locator('tbody tr[data-mark="added"], tbody tr[data-mark="changed"], tbody tr[data-mark="removed"]');
  await expect(marked.count()).resolves.toBe(1);
  await expect(marked.first().locator('td[data-side="changed"]').textContent()).resolves.toBe(SPAM);
  await expect(marked.first().getAttribute('data-mark')).resolves.toBe('added');
  // the heading and the date line (other digits) are the same on both sides, unmarked
  const heading = diff.locator('tbody tr', { hasText: 'Sở Thông tin và Truyền thông tỉnh' });
  await expect(heading.getAttribute('data-mark')).resolves.toBe('same');
  await expect(heading.locator('td[data-side="baseline"]').textContent()).resolves.toBe('Sở Thông tin và Truyền thông tỉnh');
  await expect(diff.locator('tbody tr', { hasText: 'Hôm nay: ngày' }).getAttribute('data-mark')).resolves.toBe('same');
  await expect(page.locator('#website-diff-summary [data-count="added"]').textContent()).resolves.toBe('1');
  await expect(page.locator('#website-diff-summary').textContent()).resolves.toContain('tài xỉu');
  await shot('website-change');

  // an admin adds a site from the console
  const form = page.locator('#website-add');
  await form.locator('input[type=url]').fill(added.url);
  await form.locator('select').selectOption('so-yte');
  await form.locator('input[inputmode=numeric]').fill('60');
  await form.locator('button[type=submit]').click();
  const newRow = page.locator('#websites tbody tr', { hasText: added.url });
  await newRow.waitFor();
  expect((await list()).find((w) => w.url === added.url)).toMatchObject({ url: added.url });
  await waitFor('the added site checked by the running center', () => added.requests.length > 0, WAIT);
  expect(added.requests.every((q) => /canhgac-website-monitor/.test(q.userAgent))).toBe(true);
  expect(browser.errors).toEqual([]);
});
