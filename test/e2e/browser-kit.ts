/**
 * What a console browser test needs, as test/e2e/browser.test.ts sets it up: the web sources built,
 * Debian's Chromium driven by playwright-core (headless, no sandbox, no background networking),
 * a login, and the page's script errors collected.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../helpers/canhgac';

export const WAIT = 90_000; // generous: a loaded 2-core machine

/** The browser must run the current web sources. */
export function buildWeb(): void {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', path.join(ROOT, 'console', 'web')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`vite build failed: ${build.stderr}`);
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  errors: string[];
  /** Logs in on this browser's page. */
  login(consoleUrl: string, username: string, password: string): Promise<void>;
  close(): Promise<void>;
}
export type BrowserKit = Browser;

/** `timeoutMs`: the page's default wait (WAIT unless given). */
export async function launchBrowser(timeoutMs = WAIT): Promise<Browser> {
  const userDataDir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width: 1440, height: 900 },
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(timeoutMs);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) errors.push(m.text());
  });
  return {
    context,
    page,
    errors,
    login: (consoleUrl, username, password) => login(page, consoleUrl, username, password),
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function login(page: Page, consoleUrl: string, username: string, password: string): Promise<void> {
  await page.goto(consoleUrl + '/');
  await page.locator('#login-form').waitFor({ timeout: WAIT });
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.locator('.shell').waitFor({ timeout: WAIT });
}
