/**
 * The periodic report's buttons in the Agencies view, in Chromium against the real binary: the provincial
 * admin downloads an agency's "Báo cáo định kỳ (PDF)" and the province's, each a PDF that pdftotext reads
 * in Vietnamese with the right agency; an agency viewer sees only its own agency's button, no province one,
 * and its download holds nothing of the other agency.
 */
import fs from 'node:fs';
import { pdfText } from '../../reports/readers';
import { ADMIN_PASSWORD, cli, startCanhgac, type Running } from '../helpers/canhgac';
import { buildWeb, launchBrowser, type Browser } from './browser-kit';

jest.setTimeout(300_000);
const PASSWORD = 'viewer-password-2026';
let canhgac: Running;
let browser: Browser;

beforeAll(async () => {
  buildWeb();
  canhgac = await startCanhgac();
  for (const [id, name] of [['so-tc', 'Sở Tài chính'], ['so-yt', 'Sở Y tế']]) expect(cli(canhgac.dataDir, ['tenant', 'add', id, '--name', name]).code).toBe(0);
  expect(cli(canhgac.dataDir, ['user', 'add', 'xem-tc', '--role', 'viewer', '--agency', 'so-tc'], `${PASSWORD}\n`).code).toBe(0);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await canhgac?.stop();
});

/** Clicks a button that downloads, and gives the file's suggested name and its text as pdftotext reads it. */
async function downloaded(selector: string): Promise<{ name: string; text: string }> {
  const { page } = browser;
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: pdfText(fs.readFileSync(file!)).replace(/\s+/g, ' ') };
}

const openAgencies = async () => {
  await browser.page.click('[data-nav=agencies]');
  await browser.page.locator('#agencies').waitFor();
};

test('the provincial admin downloads an agency\'s periodic report and the province\'s from the Agencies view', async () => {
  await browser.login(canhgac.consoleUrl, 'admin', ADMIN_PASSWORD);
  await openAgencies();
  expect(await browser.page.locator('[data-report="periodic.so-tc"]').textContent()).toBe('Báo cáo định kỳ (PDF)');
  const agency = await downloaded('[data-report="periodic.so-tc"]');
  expect(agency.name).toMatch(/^bao-cao-dinh-ky-so-tc-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf$/);
  for (const s of ['BÁO CÁO ĐỊNH KỲ CÔNG TÁC GIÁM SÁT AN TOÀN THÔNG TIN MẠNG', 'SỞ TÀI CHÍNH', 'Đơn vị báo cáo: Sở Tài chính', 'Thông tư 31/2017/TT-BTTTT']) expect({ s, found: agency.text.includes(s) }).toEqual({ s, found: true });
  expect(agency.text).not.toContain('Sở Y tế');
  expect(await browser.page.locator('[data-report="periodic.province"]').textContent()).toBe('Báo cáo định kỳ toàn tỉnh (PDF)');
  const province = await downloaded('[data-report="periodic.province"]');
  expect(province.name).toMatch(/^bao-cao-dinh-ky-toan-tinh-/);
  for (const s of ['Đơn vị báo cáo: Toàn tỉnh', 'Sở Tài chính', 'Sở Y tế']) expect({ s, found: province.text.includes(s) }).toEqual({ s, found: true });
  expect(browser.errors).toEqual([]);
});

test('an agency viewer sees only its own agency\'s button, and no province one', async () => {
  await browser.context.clearCookies();
  await browser.login(canhgac.consoleUrl, 'xem-tc', PASSWORD);
  await openAgencies();
  expect(await browser.page.locator('[data-report^="periodic."]').evaluateAll((els) => els.map((e) => e.getAttribute('data-report')))).toEqual(['periodic.so-tc']);
  const own = await downloaded('[data-report="periodic.so-tc"]');
  expect(own.text).toContain('Đơn vị báo cáo: Sở Tài chính');
  expect(own.text).not.toContain('Sở Y tế');
});
