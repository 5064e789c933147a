/**
 * Retention by security level in a real browser against the real binary: the Agencies view shows
 * each agency's level, the minimum it requires with its source, the retention in force and the
 * oldest event kept with its warnings; an admin sets a level there, and an override below the
 * minimum is refused until a reason is given.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD, ApiClient, cli, ROOT, startCanhgac, tempDataDir, type Running } from '../helpers/canhgac';
import { buildWeb, launchBrowser, type Browser } from './browser-kit';

jest.setTimeout(300_000);
let canhgac: Running | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await canhgac?.stop();
});

test('the Agencies view shows level, minimum, retention and oldest event; an admin sets a level and a reasoned override', async () => {
  buildWeb();
  const dataDir = tempDataDir();
  expect(cli(dataDir, ['tenant', 'add', 'so-yte', '--name', 'Sở Y tế']).code).toBe(0);
  expect(cli(dataDir, ['tenant', 'add', 'so-gd', '--name', 'Sở Giáo dục']).code).toBe(0);
  expect(cli(dataDir, ['tenant', 'set', 'so-yte', '--security-level', '3']).code).toBe(0);
  canhgac = await startCanhgac({ dataDir });
  const api = await ApiClient.login(canhgac.consoleUrl);

  browser = await launchBrowser();
  const { page } = browser;
  await browser.login(canhgac.consoleUrl, 'admin', ADMIN_PASSWORD);
  await page.evaluate(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('canhgac.lang', 'en'));
  await page.goto(`${canhgac.consoleUrl}/#/agencies`);
  await page.reload();
  const yte = page.locator('#retention tr[data-tenant="so-yte"]');
  await yte.waitFor();
  expect(await yte.locator('td').nth(1).innerText()).toBe('3');
  expect(await yte.locator('td').nth(2).innerText()).toMatch(/^92 days\nTCVN 14423:2026/);
  expect(await yte.locator('td').nth(3).innerText()).toBe('92 days');
  expect(await page.locator('#retention tr[data-tenant="so-gd"] td').nth(3).innerText()).toBe('no limit');

  // the admin gives so-gd level 4 with 30 days: refused without a reason, kept with one
  const gd = page.locator('#retention tr[data-tenant="so-gd"]');
  await gd.locator('button', { hasText: 'Set' }).click();
  const form = page.locator('#retention .form-row');
  await form.locator('select').selectOption('4');
  await form.locator('input[type=number]').fill('30');
  await form.locator('button', { hasText: 'Set' }).click();
  await page.locator('#retention', { hasText: "30 days is below level 4's minimum of 184 days" }).waitFor();
  await form.locator('input:not([type])').fill('old server, new disk in March');
  await form.locator('button', { hasText: 'Set' }).click();
  await page.locator('#retention [data-warning="below_minimum"]', { hasText: 'recorded reason: old server, new disk in March' }).waitFor();
  expect(await gd.locator('td').nth(1).innerText()).toBe('4');
  expect(await gd.locator('td').nth(3).innerText()).toBe('30 days');
  const audit = (await api.get<{ items: never[] }>('/api/audit?limit=100')).body.items as { actor: string; action: string; target: string; details: Record<string, unknown> }[];
  expect(audit.filter((e) => e.action === 'tenant.change').map((e) => [e.actor, e.target, e.details.reason])).toEqual([['cli', 'so-yte', undefined], ['admin', 'so-gd', 'old server, new disk in March']]);
  fs.mkdirSync(path.join(ROOT, 'test', 'artifacts'), { recursive: true });
  await page.locator('#retention').screenshot({ path: path.join(ROOT, 'test', 'artifacts', 'retention-agencies.png') });
  expect(browser.errors.filter((e) => !/status of 400/.test(e))).toEqual([]); // the refused override is the one 400
});
