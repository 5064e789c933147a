/**
 * Cases in the real binary and a real browser (Debian's Chromium through playwright-core): a brute
 * force sent with `logger --tcp` opens an incident; an analyst opens a case from the incident page
 * ("Add to case"), which links the incident and takes its attacking address as an observable; adds
 * a domain observable with a note and a comment on the case page, and sees each step in the case's
 * history, the case in the Cases list and on the incident page, and in the audit log.
 */
import { ADMIN_PASSWORD, ApiClient, startCanhgac, sh, waitFor, type Running } from '../helpers/canhgac';
import { buildWeb, launchBrowser, WAIT, type Browser } from './browser-kit';

jest.setTimeout(300_000);

const ATTACKER = '203.0.113.77';

interface Incident { id: string; title: string; summary: { source_ip?: string } }
interface AuditEntry { actor: string; action: string; target: string | null }

let canhgac: Running;
let browser: Browser;
let api: ApiClient;

beforeAll(async () => {
  buildWeb();
  canhgac = await startCanhgac();
  api = await ApiClient.login(canhgac.consoleUrl);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await canhgac?.stop();
});

test('an analyst opens a case from an incident, adds an observable and a comment, and sees them in the history', async () => {
  for (let i = 0; i < 6; i++) sh('logger', ['--tcp', '-P', String(canhgac.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', `Failed password for root from ${ATTACKER} port ${42000 + i} ssh2`]);
  const inc = await waitFor('the brute-force incident', async () => (await api.get<{ items: Incident[] }>('/api/incidents?limit=100')).body.items.find((i) => i.summary.source_ip === ATTACKER && i.title === 'SSH Brute Force'), WAIT);
  const { page } = browser;
  await browser.login(canhgac.consoleUrl, 'admin', ADMIN_PASSWORD);
  await page.goto(`${canhgac.consoleUrl}/#/incident/${inc.id}`);
  await page.locator('#add-to-case').waitFor();

  // "Add to case": a new case from this incident, which opens the case page
  await page.click('#case-create-from-incident');
  await page.locator('.case-view').waitFor();
  const caseId = (await page.locator('.case-view').getAttribute('data-case'))!;
  expect(caseId).toMatch(/^case-/);
  expect(await page.locator('#case-title').textContent()).toBe(inc.title);
  await page.locator(`#case-incidents tr[data-id="${inc.id}"]`).waitFor();
  await page.locator('#case-observables td', { hasText: ATTACKER }).waitFor(); // taken from the incident's entities

  // an observable of its own, with a note and tags
  await page.selectOption('#observable-add select[name=type]', 'domain');
  await page.fill('#observable-add input[name=value]', 'C2.Evil.example');
  await page.fill('#observable-add input[name=note]', 'tên miền điều khiển');
  await page.fill('#observable-add input[name=tags]', 'c2, phishing');
  await page.click('#observable-add button[type=submit]');
  const row = page.locator('#case-observables tr', { hasText: 'c2.evil.example' });
  await row.waitFor();
  expect(await row.textContent()).toContain('tên miền điều khiển');
  const observables = await page.locator('#case-observables tr[data-observable]').allTextContents();
  expect(observables.some((o) => o.includes('root'))).toBe(true); // the user tried, from the incident too

  // a comment
  await page.fill('#case-comment', 'Đã chặn địa chỉ trên tường lửa biên');
  await page.click('#case-comment-post');
  await page.locator('#case-comments .comment', { hasText: 'Đã chặn địa chỉ trên tường lửa biên' }).waitFor();

  // the history, newest first: each step by admin
  await page.locator('#case-history li[data-action=comment]').waitFor();
  const history = await page.locator('#case-history li').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-action')}|${li.textContent}`));
  const actions = history.map((h) => h.split('|')[0]);
  expect(actions[0]).toBe('comment');
  expect(actions[1]).toBe('observable_added');
  expect(history[1]).toContain('domain:c2.evil.example');
  expect(actions.slice(-2)).toEqual(['incident_linked', 'created']);
  expect(history[history.length - 2]).toContain(inc.id);
  expect(history.some((h) => h.startsWith('observable_added') && h.includes(`ip:${ATTACKER}`))).toBe(true);
  expect(history.every((h) => h.includes('admin'))).toBe(true);

  // the Cases list and the incident page show the case
  await page.click('nav a[data-nav=cases]');
  await page.locator(`#cases-table tr[data-id="${caseId}"]`).waitFor();
  expect(await page.locator(`#cases-table tr[data-id="${caseId}"] td.mono`).textContent()).toBe(`1 / ${observables.length} / 1`);
  await page.goto(`${canhgac.consoleUrl}/#/incident/${inc.id}`);
  await page.locator(`#add-to-case a[data-case="${caseId}"]`).waitFor();

  // and the audit log names each change of the case
  const audited = await waitFor('the audit entries of the case', async () => {
    const entries = (await api.get<{ items: AuditEntry[] }>('/api/audit?limit=10000')).body.items.filter((e) => e.target === caseId);
    return entries.length >= 4 && entries;
  }, WAIT);
  expect(audited.map((e) => `${e.actor} ${e.action}`).sort()).toEqual(['admin case.comment', 'admin case.create', 'admin case.observable.add', 'admin case.observable.from_incident']);
  expect(browser.errors).toEqual([]);
});
