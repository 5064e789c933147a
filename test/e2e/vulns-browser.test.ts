/**
 * Vulnerabilities in the real binary and a real browser: an agency analyst uploads a Greenbone/OpenVAS
 * report from the Vulnerabilities view, sees the open findings by severity, the most exposed asset and the
 * findings; a later scan without one finding marks it fixed; the CSV export downloads the agency's findings;
 * a viewer of the agency sees them but is offered no upload.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openvasReport } from '../../vuln/testkit';
import { cli, startCanhgac, tempDataDir, type Running } from '../helpers/canhgac';
import { buildWeb, launchBrowser, login, WAIT, type Browser } from './browser-kit';

jest.setTimeout(300_000);

const ANALYST_PASSWORD = 'analyst-password-2026';
const VIEWER_PASSWORD = 'viewer-password-2026';

let canhgac: Running;
let browser: Browser;
let dataDir: string;

const scan = (withSsh: boolean) => openvasReport([
  { host: '10.20.0.5', port: '443/tcp', oid: '1.3.6.1.4.1.25623.1.0.117711', name: 'Apache HTTP Server 2.4.49 Path Traversal', cves: ['CVE-2021-41773'], cvss: 9.8, threat: 'High', solution: 'Update to 2.4.51' },
  ...(withSsh ? [{ host: '10.20.0.5', port: '22/tcp', oid: '1.3.6.1.4.1.25623.1.0.150713', name: 'Weak SSH key exchange algorithms', cvss: 5.3, threat: 'Medium' }] : []),
  { host: '10.20.0.9', port: '80/tcp', oid: '1.3.6.1.4.1.25623.1.0.108440', name: 'Cleartext transmission of credentials', cvss: 4.8, threat: 'Medium' },
], [{ ip: '10.20.0.5', os: 'Ubuntu 20.04', hostname: 'portal.soyte.example' }]);

beforeAll(async () => {
  buildWeb();
  dataDir = tempDataDir();
  canhgac = await startCanhgac({ dataDir });
  expect(cli(dataDir, ['tenant', 'add', 'so-yte', '--name', 'Sở Y tế']).code).toBe(0);
  expect(cli(dataDir, ['user', 'add', 'lan', '--role', 'analyst', '--agency', 'so-yte'], `${ANALYST_PASSWORD}\n`).code).toBe(0);
  expect(cli(dataDir, ['user', 'add', 'xem', '--role', 'viewer', '--agency', 'so-yte'], `${VIEWER_PASSWORD}\n`).code).toBe(0);
  fs.writeFileSync(path.join(dataDir, 'scan-1.xml'), scan(true));
  fs.writeFileSync(path.join(dataDir, 'scan-2.xml'), scan(false));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await canhgac?.stop();
});

test('an analyst uploads a scan and sees the findings by severity, the most exposed asset, and what a later scan fixed', async () => {
  const { page } = browser;
  await login(page, canhgac.consoleUrl, 'lan', ANALYST_PASSWORD);
  await page.click('[data-nav=vulns]');
  await page.locator('#vuln-import').waitFor();
  await page.locator('#vuln-findings .empty').waitFor(); // nothing yet, said so
  await page.setInputFiles('#vuln-import input[type=file]', path.join(dataDir, 'scan-1.xml'));
  await page.click('#vuln-import button[type=submit]');
  await page.locator('#vuln-imported', { hasText: 'Đã nhập 3 điểm yếu: 3 mới' }).waitFor({ timeout: WAIT });
  await page.locator('#vuln-counters [data-sev=critical] .n', { hasText: /^1$/ }).waitFor();
  expect(await page.locator('#vuln-counters [data-sev=medium] .n').textContent()).toBe('2');
  const worst = page.locator('#vuln-exposed tbody tr').first();
  await expect(worst.textContent()).resolves.toContain('10.20.0.5');
  await expect(worst.textContent()).resolves.toContain('Ubuntu 20.04');
  const apache = page.locator('#vuln-findings tbody tr', { hasText: 'CVE-2021-41773' });
  await expect(apache.textContent()).resolves.toMatch(/443\/tcp.*9\.8.*Nghiêm trọng.*Chưa khắc phục/);

  await page.setInputFiles('#vuln-import input[type=file]', path.join(dataDir, 'scan-2.xml'));
  await page.click('#vuln-import button[type=submit]');
  await page.locator('#vuln-imported', { hasText: '1 đã khắc phục' }).waitFor({ timeout: WAIT });
  await page.locator('#vuln-trend tbody tr').nth(1).waitFor();
  await page.selectOption('#vuln-findings select[name=status]', 'closed');
  await page.locator('#vuln-findings tbody tr', { hasText: 'Weak SSH key exchange algorithms' }).waitFor();
  expect(await page.locator('#vuln-findings tbody tr').count()).toBe(1);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#vuln-export')]);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv).toContain('CVE-2021-41773');
  expect(csv.trim().split('\r\n')).toHaveLength(4); // the header and the agency's three findings, the fixed one too
  expect(browser.errors).toEqual([]);
});

test('a broken report is refused in the view with where and why; a viewer sees the findings and no upload', async () => {
  const { page } = browser;
  fs.writeFileSync(path.join(dataDir, 'broken.xml'), scan(true).slice(0, 900));
  await page.selectOption('#vuln-findings select[name=status]', 'open');
  await page.setInputFiles('#vuln-import input[type=file]', path.join(dataDir, 'broken.xml'));
  await page.click('#vuln-import button[type=submit]');
  await page.locator('#vuln-import .error', { hasText: 'broken.xml:' }).waitFor({ timeout: WAIT });
  expect(await page.locator('#vuln-findings tbody tr').count()).toBe(2);

  await browser.context.clearCookies();
  await login(page, canhgac.consoleUrl, 'xem', VIEWER_PASSWORD);
  await page.click('[data-nav=vulns]');
  await page.locator('#vuln-findings tbody tr', { hasText: 'CVE-2021-41773' }).waitFor();
  expect(await page.locator('#vuln-import').count()).toBe(0);
});
