/**
 * The console in Vietnamese shows no English UI string: in a real browser against the real binary
 * with the demo scenario's incidents, every main view is visited in vi and its visible text (and
 * placeholders, tooltips of buttons, options) is checked against a list of English UI words: the
 * English dictionary's own words, the shipped rules' English titles, and the words a server or a
 * duration writes ("created", "stable", "ago", "7m 28s", "Internal Server Error"). Data values
 * (hostnames, addresses, rule ids, field names, raw log lines) are let through by an explicit
 * allow-list of the places that show data.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ADMIN_PASSWORD, ApiClient, ROOT, startCanhgac, waitFor, type Running } from '../helpers/canhgac';
import { dictionaries } from '../../console/web/src/dictionaries';
import { buildWeb, launchBrowser, type Browser } from './browser-kit';

// What the callbacks given to page.evaluate use of the browser's DOM, declared here: lib.dom in the server's
// tsconfig would clash with Node's own types (Buffer as a fetch body).
declare const document: any;
declare const NodeFilter: { SHOW_TEXT: number };
type Element = any;

jest.setTimeout(300_000);

/** Where the console shows data, not UI text: raw log lines, field/value tables, ids, tags, the zone names,
 * the search results and the example query, the data sources' chart legend, the audit entry's actor,
 * the ATT&CK technique names (English, as Vietnamese SOCs read ATT&CK). */
const DATA_PLACES = ['pre', '.ev', '.mono', '.tag', 'code', 'select.tz', '.brand', '.secret', 'textarea', '#audit td:nth-child(3)', '.lang-switch', '#results', '#query', '.suggest', '#chart-source', '.tech-name'];
/** Elements whose own text is data (the signed-in user's name), their children still checked (the role). */
const DATA_OWN_TEXT = ['#who'];
/** Words that are the same in a Vietnamese SOC's screens (acronyms and product names). */
const ALLOWED = new Set(['admin', /* the first account's user name, shown as data in many places */ 'SLA', 'TOTP', 'CSV', 'JSON', 'YAML', 'Sigma', 'ATT&CK', 'IoC', 'URL', 'IP', 'API', 'TLP', 'ID', 'AND', 'OR', 'NOT', 'TO', 'Enter', 'j/k', 'syslog', 'npm', 'run', 'demo', 'canhgac', 'website', 'add', 'tenant', 'SSH', 'IDS', 'DNS', 'Byte', 'Windows', 'Linux', 'Mimikatz', 'PowerShell', 'Emotet', 'Defender']);
/** What servers and duration formatters write, besides the dictionary's words. */
const EXTRA = ['created', 'stable', 'ago', 'minutes', 'minute', 'seconds', 'hours', 'days', 'min', 'Internal', 'Server', 'Error', 'Default', 'agency', 'unmapped', 'sources', 'wrong', 'username', 'password', 'required', 'Loading', 'Search', 'Cancel', 'status', 'comment', 'assign', 'login', 'view', 'logout'];

function englishWords(): Set<string> {
  // the words the Vietnamese texts use themselves (SQL injection, webshell, Certutil.EXE) are a Vietnamese SOC's words too
  const viRules = JSON.parse(fs.readFileSync(path.join(ROOT, 'rules', 'i18n', 'shipped.vi.json'), 'utf8')) as Record<string, { title: string; summary: string }>;
  const viText = [...Object.values(dictionaries.vi), ...Object.values(viRules).flatMap((r) => [r.title, r.summary])].join(' ');
  const vi = new Set(viText.toLowerCase().split(/[^\p{L}&/]+/u));
  const words = new Set<string>();
  const add = (text: string) => {
    for (const w of text.split(/[^\p{L}&/]+/u)) if (w.length >= 3 && !vi.has(w.toLowerCase()) && !ALLOWED.has(w) && /^[A-Za-z]+$/.test(w)) words.add(w.toLowerCase());
  };
  add(Object.values(dictionaries.en).join(' '));
  add(EXTRA.join(' '));
  // the shipped rules' English titles: an incident or rule row in vi must show its Vietnamese title
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : d.name.endsWith('.yml') ? [path.join(dir, d.name)] : []));
  for (const f of walk(path.join(ROOT, 'rules', 'sigma'))) for (const doc of YAML.parseAllDocuments(fs.readFileSync(f, 'utf8'))) add(String((doc.toJS() as { title?: string } | null)?.title ?? ''));
  return words;
}

/** Visible text of the page outside the data places, with placeholders, titles of buttons and option labels. */
async function visibleText(browser: Browser): Promise<string[]> {
  return browser.page.evaluate(([skip, own]: string[][]) => {
    const out: string[] = [];
    const inData = (el: Element | null) => !!el && skip.some((s) => el.closest(s));
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = (n.textContent ?? '').trim();
      if (!text || !el || inData(el) || own.some((s) => el.matches(s))) continue;
      const visible = el.tagName === 'OPTION' || (el.checkVisibility?.() ?? true);
      if (visible) out.push(`${text} ⟨${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ')[0] : ''} in ${el.closest('[id]')?.id ?? ''}⟩`);
    }
    for (const el of document.querySelectorAll('[placeholder], button[title], [aria-label]')) {
      if (inData(el)) continue;
      for (const a of ['placeholder', 'title', 'aria-label']) if (el.getAttribute(a)) out.push(el.getAttribute(a)!);
    }
    return out;
  }, [DATA_PLACES, DATA_OWN_TEXT]);
}

/** The English words (and English durations such as "7m 28s") in these texts, each with the text it was in. */
function findEnglish(texts: string[], words: Set<string>): string[] {
  const found: string[] = [];
  for (const shown of texts) {
    const text = shown.split(' ⟨')[0]; // the ⟨tag#id in parent⟩ suffix names where it was, it is not shown
    const hits = text.split(/[^\p{L}&/]+/u).filter((w) => words.has(w.toLowerCase()) && !ALLOWED.has(w));
    if (/\b\d+(ms|s|m|h|d)\b/.test(text)) hits.push('duration');
    if (hits.length) found.push(`${[...new Set(hits)].join(',')}: "${shown.slice(0, 160)}"`);
  }
  return [...new Set(found)];
}

let canhgac: Running;
let browser: Browser;
let words: Set<string>;
let incidentId: string;

beforeAll(async () => {
  buildWeb();
  words = englishWords();
  canhgac = await startCanhgac({ args: ['--demo'] });
  const api = await ApiClient.login(canhgac.consoleUrl);
  incidentId = await waitFor('the demo incidents (brute force, web attack, scan, malware)', async () => {
    const r = await api.get<{ items: { id: string; rules?: { title: string }[] }[] }>('/api/incidents?limit=100');
    return r.body.items.length >= 4 ? r.body.items.find((i) => (i.rules ?? []).some((x) => x.title === 'SSH Brute Force'))?.id : undefined;
  }, 90_000);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await canhgac?.stop();
});

const VIEWS: [string, string][] = [
  ['incidents', '#incidents-table tbody tr'],
  ['incident/ID', '.incident-view .timeline li'],
  ['cases', '.view'],
  ['search', '.view'],
  ['dashboards', '.view'],
  ['rules', '.view table'],
  ['agencies', '#agencies tbody tr'],
  ['websites', '.view'],
  ['infected', '.view'],
  ['vulns', '.vulns-view #vuln-findings'],
  ['users', '#users tbody tr'],
  ['audit', '#audit tbody tr'],
  ['account', '.view'],
];

test('a wrong password is told in Vietnamese on the login page', async () => {
  await browser.page.goto(canhgac.consoleUrl + '/');
  await browser.page.fill('input[name=username]', 'admin');
  await browser.page.fill('input[name=password]', 'not-the-password');
  await browser.page.click('#login-form button[type=submit]');
  const error = await browser.page.locator('#login-form .error').textContent();
  expect(findEnglish([error ?? ''], words)).toEqual([]);
  expect(error).toMatch(/mật khẩu/i);
});

test('every main view in Vietnamese shows no English UI word', async () => {
  await browser.login(canhgac.consoleUrl, 'admin', ADMIN_PASSWORD);
  const found: string[] = [];
  for (const [view, ready] of VIEWS) {
    await browser.page.goto(`${canhgac.consoleUrl}/#/${view.replace('ID', incidentId)}`);
    await browser.page.locator(ready).first().waitFor();
    await browser.page.waitForFunction(() => !document.body.innerText.includes('Đang tải'), undefined, { timeout: 20_000 }).catch(() => undefined);
    await browser.page.waitForTimeout(800); // the charts and the per-second SLA clocks draw
    for (const f of findEnglish(await visibleText(browser), words)) found.push(`${view.split('/')[0]}: ${f}`);
  }
  expect(found).toEqual([]);
  expect(browser.errors).toEqual([]);
});

test('the audit view names each action in Vietnamese and keeps the code in its tooltip', async () => {
  await browser.page.goto(`${canhgac.consoleUrl}/#/audit`);
  const first = browser.page.locator('#audit tbody tr td:nth-child(4)').first();
  await first.waitFor();
  const cells = await browser.page.locator('#audit tbody tr td:nth-child(4)').evaluateAll((tds) => tds.map((td) => ({ text: td.textContent ?? '', code: td.getAttribute('title') ?? '' })));
  const login = cells.find((c) => c.code === 'login');
  expect(login?.text).toBe('Đăng nhập');
  expect(cells.filter((c) => /^[a-z_.]+$/.test(c.text))).toEqual([]); // no bare code
});
