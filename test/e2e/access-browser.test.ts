/**
 * Access through the console in a real browser, against the real binary: the provincial admin
 * scopes a new analyst to one agency in the Users view; an agency admin is offered only its own
 * agency there and is told, naming the agency, when it asks for more; an agency auditor's audit
 * view shows its agency's entries, newest first, and nothing of the other agency.
 */
import { ADMIN_PASSWORD, ApiClient, cli, startCanhgac, type Running } from '../helpers/canhgac';
import { buildWeb, launchBrowser, type Browser } from './browser-kit';

jest.setTimeout(300_000);

const PASSWORD = 'agency-password-2026';
let canhgac: Running;
let browser: Browser;
let admin: ApiClient;

beforeAll(async () => {
  buildWeb();
  canhgac = await startCanhgac();
  for (const [id, name] of [['so-a', 'Sở A'], ['so-b', 'Sở B']]) expect(cli(canhgac.dataDir, ['tenant', 'add', id, '--name', name]).code).toBe(0);
  for (const [user, role] of [['admin-a', 'admin'], ['audit-a', 'auditor']]) expect(cli(canhgac.dataDir, ['user', 'add', user, '--role', role, '--agency', 'so-a'], `${PASSWORD}\n`).code).toBe(0);
  admin = await ApiClient.login(canhgac.consoleUrl, 'admin', ADMIN_PASSWORD);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await canhgac?.stop();
});

/** Fills the Users view's form and submits it; `agencies` by their labels. */
async function addUser(username: string, role: string, agencies: string[]): Promise<void> {
  const { page } = browser;
  await page.fill('input[name=new-username]', username);
  await page.fill('input[name=new-password]', PASSWORD);
  await page.selectOption('select[name=new-role]', role);
  await page.selectOption('select[name=new-agencies]', agencies.map((label) => ({ label })));
  await page.click('#user-form button[type=submit]');
}

test('the provincial admin scopes a new analyst to one agency in the Users view', async () => {
  await browser.login(canhgac.consoleUrl, 'admin', ADMIN_PASSWORD);
  await browser.page.goto(`${canhgac.consoleUrl}/#/users`);
  await browser.page.locator('select[name=new-agencies] option', { hasText: 'Sở B' }).waitFor();
  await addUser('lan', 'analyst', ['Sở A']);
  await browser.page.locator('#users td.strong', { hasText: /^lan$/ }).waitFor();
  const lan = (await admin.get<{ items: { username: string; role: string; agencies: string[] }[] }>('/api/users')).body.items.find((u) => u.username === 'lan');
  expect(lan).toMatchObject({ role: 'analyst', agencies: ['so-a'] });
  // and a user of so-b, whose audit entry an so-a auditor must not see
  await addUser('binh', 'viewer', ['Sở B']);
  await browser.page.locator('#users td.strong', { hasText: /^binh$/ }).waitFor();
});

test('an agency admin is offered only its agency, and asking for a provincial scope is refused with the reason', async () => {
  await browser.context.clearCookies();
  await browser.login(canhgac.consoleUrl, 'admin-a', PASSWORD);
  await browser.page.goto(`${canhgac.consoleUrl}/#/users`);
  const options = browser.page.locator('select[name=new-agencies] option');
  await options.first().waitFor();
  expect(await options.allTextContents()).toEqual(['Sở A']);
  expect(await browser.page.locator('#users td.strong').allTextContents()).not.toContain('binh');
  await addUser('minh', 'analyst', []);
  await browser.page.locator('.error', { hasText: 'không thể cấp quyền toàn tỉnh' }).waitFor(); // the server's reason, in the console's Vietnamese
  expect((await admin.get<{ items: { username: string }[] }>('/api/users')).body.items.map((u) => u.username)).not.toContain('minh');
});

test("an agency auditor's audit view shows its agency's entries, newest first, and nothing of the other agency", async () => {
  await browser.context.clearCookies();
  await browser.login(canhgac.consoleUrl, 'audit-a', PASSWORD);
  await browser.page.goto(`${canhgac.consoleUrl}/#/audit`);
  await browser.page.locator('#audit tbody tr').first().waitFor();
  const rows = await browser.page.locator('#audit tbody tr').allTextContents();
  expect(rows.some((r) => r.includes('lan'))).toBe(true); // the so-a user the province added
  expect(rows.filter((r) => /binh|so-b/.test(r))).toEqual([]);
  const seqs = (await browser.page.locator('#audit tbody tr td:first-child').allTextContents()).map(Number);
  expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  expect(browser.errors).toEqual([]);
});
