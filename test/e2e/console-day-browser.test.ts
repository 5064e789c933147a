/**
 * An analyst's day in the console (issue #22), in Debian's Chromium against the real binary:
 * the empty list names the syslog port the center really listens on; a network cut drops the
 * WebSocket, an incident created meanwhile appears after the reconnect without a reload and the
 * counters are right; agencies with the same long name are told apart by their code; search runs
 * on Enter, says which query and range produced its results, and says so when nothing matched;
 * slow and failing reads show loading, stale and Retry; `/`, Tab, Enter and Escape get around.
 * The browser reaches the console through a TCP relay the test can cut, as a flaky network would.
 */
import fs from 'node:fs';
import net from 'node:net';
import { buildWeb, launchBrowser, WAIT, type Browser } from './browser-kit';
import { ApiClient, cli, startCanhgac, waitFor, type Running } from '../helpers/canhgac';

// What the callbacks given to page.evaluate use of the browser's DOM, declared here: lib.dom in the server's
// tsconfig would clash with Node's own types (Buffer as a fetch body).
declare const document: { activeElement: HTMLElement | null; querySelector(s: string): HTMLElement | null };
type HTMLElement = { tagName: string; blur(): void; getAttribute(a: string): string | null; [k: string]: any };

jest.setTimeout(420_000);

interface Incident { id: string; tenant: string; severity: string; status: string; summary: { source_ip?: string } }

/** A TCP relay to the console that can be cut (every open connection reset, new ones refused) and restored. */
async function startRelay(target: URL): Promise<{ url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  const open = new Set<net.Socket>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) return void client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    open.add(client);
    open.add(upstream);
    const drop = () => { client.destroy(); upstream.destroy(); open.delete(client); open.delete(upstream); };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() { down = true; for (const s of open) s.destroy(); open.clear(); },
    restore() { down = false; },
    close: () => new Promise<void>((r) => { for (const s of open) s.destroy(); server.close(() => r()); }),
  };
}

let canhgac: Running;
let relay: Awaited<ReturnType<typeof startRelay>>;
let browser: Browser;
let api: ApiClient;
const tokens: Record<string, string> = {};
const AGENCY = 'Sở Thông tin và Truyền thông';

async function bruteForce(tenant: string, attacker: string): Promise<Incident> {
  // stamped now (RFC 3164 has no year or zone), so the events fall in the search's last 24 hours
  const d = new Date();
  const stamp = `${d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 16)}`;
  const body = Array.from({ length: 6 }, (_, i) => JSON.stringify({ message: `<38>${stamp}:0${i} mail-gw sshd[77]: Failed password for root from ${attacker} port ${5000 + i} ssh2` })).join('\n');
  const res = await fetch(canhgac.ingestUrl, { method: 'POST', headers: { authorization: `Bearer ${tokens[tenant]}`, 'content-type': 'application/x-ndjson' }, body });
  expect(res.status).toBe(202);
  return waitFor(`the incident of ${attacker}`, async () => (await api.get<{ items: Incident[] }>('/api/incidents?limit=1000')).body.items.find((i) => i.tenant === tenant && i.summary.source_ip === attacker), WAIT);
}

const openHigh = async () => (await api.get<{ items: Incident[] }>('/api/incidents?limit=1000')).body.items.filter((i) => i.severity === 'high' && ['new', 'acknowledged', 'in_progress'].includes(i.status)).length;
const page = () => browser.page;
const EVENTS = (u: URL) => u.pathname === '/api/events'; // the result page, not the histogram
const setLang = async (l: 'VI' | 'EN') => {
  await page().click(`.top .lang-switch button:has-text("${l}")`);
  await page().locator(`.top .lang-switch button.on:has-text("${l}")`).waitFor();
};

beforeAll(async () => {
  buildWeb();
  canhgac = await startCanhgac();
  api = await ApiClient.login(canhgac.consoleUrl);
  for (const [id, name] of [['so-tttt', AGENCY], ['demo-tttt', `${AGENCY} (demo)`]]) {
    const r = cli(canhgac.dataDir, ['tenant', 'add', id, '--name', name]);
    expect(r.code).toBe(0);
    tokens[id] = /ingest token \(shown once\): (\S+)/.exec(r.stdout)![1];
  }
  relay = await startRelay(new URL(canhgac.consoleUrl));
  browser = await launchBrowser();
  await browser.login(relay.url, 'admin', 'test-admin-password-42');
});

afterAll(async () => {
  await browser?.close();
  await relay?.close();
  await canhgac?.stop();
});

test('the empty list and the start banner name the syslog port the center listens on, not 5514', async () => {
  expect(canhgac.syslogTcpPort).not.toBe(5514);
  expect(canhgac.stdout()).toMatch(new RegExp(`try\\s+logger --tcp -P ${canhgac.syslogTcpPort} -n 127\\.0\\.0\\.1 `));
  const hint = page().locator('#send-to');
  await hint.filter({ hasText: `127.0.0.1:${canhgac.syslogTcpPort}` }).waitFor();
  expect(await hint.textContent()).toContain('Gửi nhật ký syslog tới');
  expect(await hint.textContent()).toContain(`UDP 127.0.0.1:${canhgac.syslogUdpPort}`);
  expect(await page().locator('.incidents-view').textContent()).not.toContain('5514');
  await setLang('EN');
  await page().locator('#send-to', { hasText: `TCP 127.0.0.1:${canhgac.syslogTcpPort}` }).waitFor();
  expect(await page().locator('#send-to').textContent()).toMatch(/^Send syslog to .* or run npm run demo\.$/);
  await setLang('VI');
});

test('an incident created while the WebSocket was cut appears after the reconnect, without a reload, with the counters right', async () => {
  await page().locator('#live.on').waitFor();
  await page().evaluate(() => ((globalThis as unknown as { __noReload: boolean }).__noReload = true));
  relay.cut();
  await page().locator('#live.off').waitFor();
  const inc = await bruteForce('so-tttt', '203.0.113.51');
  const high = await openHigh();
  expect(high).toBeGreaterThanOrEqual(1);
  await page().waitForTimeout(1500); // disconnected for a while: nothing can reach the page now
  expect(await page().locator(`#incidents-table tr[data-id="${inc.id}"]`).count()).toBe(0);
  relay.restore();
  await page().locator('#live.on').waitFor();
  await page().locator(`#incidents-table tr[data-id="${inc.id}"]`).waitFor();
  expect(await page().evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  await page().locator('.counter.c-high .n', { hasText: new RegExp(`^${high}$`) }).waitFor();
  await page().locator('.counter.total .n', { hasText: new RegExp(`^${high}$`) }).waitFor();
  // the reconnects tried while the relay was cut fail, and Chromium logs each: expected here, not elsewhere
  const cut = (e: string) => /WebSocket connection to .*\/ws' failed/.test(e);
  const others = browser.errors.filter((e) => !cut(e));
  browser.errors.splice(0, browser.errors.length, ...others);
});

test('two agencies with the same long name are told apart by their code, the full name on hover', async () => {
  const twin = await bruteForce('demo-tttt', '203.0.113.52');
  const own = (await api.get<{ items: Incident[] }>('/api/incidents?limit=1000')).body.items.find((i) => i.tenant === 'so-tttt')!;
  for (const [inc, id, name] of [[own, 'so-tttt', AGENCY], [twin, 'demo-tttt', `${AGENCY} (demo)`]] as const) {
    const cell = page().locator(`#incidents-table tr[data-id="${inc.id}"] td.agency .ag`);
    await cell.waitFor();
    expect(await cell.locator('.ag-id').textContent()).toBe(id);
    expect(await cell.getAttribute('title')).toBe(`${name} (${id})`);
    // the code is whole and visible even when the name is cut
    const box = (await cell.locator('.ag-id').boundingBox())!;
    const td = (await page().locator(`#incidents-table tr[data-id="${inc.id}"] td.agency`).boundingBox())!;
    expect(box.width).toBeGreaterThan(20);
    expect(box.x + box.width).toBeLessThanOrEqual(td.x + td.width + 1);
  }
});

test('Tab reaches an incident row, Enter opens it, Escape comes back to the same row and scroll', async () => {
  await setLang('EN');
  await page().setViewportSize({ width: 1440, height: 330 }); // the list scrolls
  await page().locator('#incidents-table tbody tr').nth(1).waitFor();
  await page().evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // Tab through the page until the focus is on an incident row
  const visited: string[] = [];
  let focused: string | null = null;
  for (let i = 0; i < 80 && !focused; i++) {
    await page().keyboard.press('Tab');
    const at = await page().evaluate(() => { const el = document.activeElement; return { tag: el?.tagName ?? '', id: el?.tagName === 'TR' ? el.getAttribute('data-id') : null }; });
    visited.push(at.tag);
    focused = at.id;
  }
  expect([focused !== null, visited.join(' ')]).toEqual([true, expect.any(String)]);
  await page().locator(`#incidents-table tr.sel[data-id="${focused}"]`).waitFor();
  // down to the last row (the list scrolls), open it with Enter, come back with Escape
  const rows = await page().locator('#incidents-table tbody tr').count();
  for (let i = 0; i < rows; i++) await page().keyboard.press('j');
  const last = page().locator('#incidents-table tbody tr').last();
  const id = (await last.getAttribute('data-id'))!;
  await page().locator(`#incidents-table tr.sel[data-id="${id}"]`).waitFor();
  await page().locator('.content').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page().waitForTimeout(200);
  const scrolled = await page().locator('.content').evaluate((el) => el.scrollTop);
  expect(scrolled).toBeGreaterThan(0);
  await page().keyboard.press('Enter');
  await page().locator(`[data-incident="${id}"]`).waitFor();
  await page().keyboard.press('Escape');
  await page().locator(`#incidents-table tr.sel[data-id="${id}"]`).waitFor();
  await waitFor('the scroll back where it was', async () => Math.abs((await page().locator('.content').evaluate((el) => el.scrollTop)) - scrolled) <= 2, 10_000);
  expect(await page().locator('#keys-help').getAttribute('title')).toContain('Esc');
  await page().setViewportSize({ width: 1440, height: 900 });
  await setLang('VI');
});

test('search: / focuses it, Enter searches what was typed, results say which query and range, an empty answer says so', async () => {
  await page().setViewportSize({ width: 1440, height: 900 });
  await page().click('[data-nav=incidents]');
  await page().evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page().keyboard.press('/');
  await page().locator('#query').waitFor();
  await waitFor('the search box focused', () => page().evaluate(() => document.activeElement?.id === 'query'), 10_000);
  await page().locator('#result-of').waitFor();
  // Enter with the suggestions open searches the text as typed
  await page().fill('#query', '');
  await page().locator('#query').pressSequentially('source.i');
  await page().locator('#suggest li', { hasText: /^source\.ip/ }).first().waitFor();
  await page().press('#query', 'Enter');
  await page().locator('#result-of', { hasText: '«source.i»' }).waitFor();
  expect(await page().inputValue('#query')).toBe('source.i');
  await page().locator('#suggest').waitFor({ state: 'detached' });
  expect(await page().locator('#result-of').textContent()).toContain('24 giờ');
  await page().locator('#no-results', { hasText: 'Không có sự kiện nào khớp «source.i» trong 24 giờ' }).waitFor();
  expect(await page().locator('.search-view .empty').textContent()).toContain('khoảng thời gian rộng hơn');
  // the arrow keys move into the list; then Enter takes the suggestion
  await page().fill('#query', '');
  await page().locator('#query').pressSequentially('source.i');
  await page().locator('#suggest li', { hasText: /^source\.ip/ }).first().waitFor();
  await page().press('#query', 'ArrowDown');
  await page().press('#query', 'Enter');
  expect(await page().inputValue('#query')).toBe('source.ip:');
  await page().locator('#query').pressSequentially('203.0.113.51');
  await page().press('#query', 'Escape');
  await page().press('#query', 'Enter');
  await page().locator('#result-of', { hasText: '«source.ip:203.0.113.51»' }).waitFor();
  await page().locator('#total', { hasText: /^6$/ }).waitFor();
  // in English too
  await setLang('EN');
  await page().locator('#query').waitFor();
  await page().fill('#query', 'source.ip:192.0.2.250');
  await page().press('#query', 'Enter');
  await page().locator('#no-results', { hasText: 'No event matches «source.ip:192.0.2.250» in 24 hours' }).waitFor();
  expect(await page().locator('#result-of').textContent()).toContain('for «source.ip:192.0.2.250» in 24 hours');
});

test('search: a slow range change marks the old results stale; a cancelled note goes with the next search', async () => {
  await setLang('EN');
  await page().click('[data-nav=search]');
  await page().fill('#query', 'source.ip:203.0.113.51');
  await page().press('#query', 'Enter');
  await page().locator('#total', { hasText: /^6$/ }).waitFor();
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page().route(EVENTS, async (route) => { await held; await route.continue().catch(() => undefined); });
  await page().selectOption('#range', '7d');
  await page().locator('#stale-note', { hasText: 'Loading new results' }).waitFor();
  await page().locator('#results.stale').waitFor();
  await page().locator('.search-view .loading').waitFor();
  // Cancel leaves a note; the next search clears it
  await page().click('#cancel');
  await page().locator('#search-note', { hasText: 'Query cancelled' }).waitFor();
  release();
  await page().unroute(EVENTS);
  await page().press('#query', 'Enter');
  await page().locator('#result-of', { hasText: 'in 7 days' }).waitFor();
  await page().locator('#results.stale').waitFor({ state: 'detached' });
  expect(await page().locator('#search-note').count()).toBe(0);
  // a newer search replacing a running one leaves no "cancelled" note either
  let release2!: () => void;
  const held2 = new Promise<void>((r) => (release2 = r));
  let first = true;
  await page().route(EVENTS, async (route) => { if (first) { first = false; await held2; } await route.continue().catch(() => undefined); });
  await page().selectOption('#range', '30d');
  await page().locator('#stale-note').waitFor();
  await page().press('#query', 'Enter');
  await page().locator('#result-of', { hasText: 'in 30 days' }).waitFor();
  release2();
  await page().unroute(EVENTS);
  await page().waitForTimeout(500);
  expect(await page().locator('#search-note').count()).toBe(0);
});

test('a failing read shows a clear message in the reader\'s language with Retry; the Agencies view shows loading, not zeros', async () => {
  await setLang('EN'); // English: the server fails
  await page().route('**/api/sources', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"Internal Server Error"}' }));
  await page().click('[data-nav=agencies]');
  const failure = page().locator('.agencies-view .failure');
  await failure.waitFor();
  expect(await failure.textContent()).toContain('Could not load: The server failed to answer (HTTP 500)');
  expect(await page().locator('#agencies').count()).toBe(0);
  // Vietnamese: the network fails (fetch's TypeError), then a slow answer shows loading, not zeros
  await page().unroute('**/api/sources');
  await setLang('VI');
  await page().route('**/api/sources', (route) => route.abort('failed'));
  await page().click('[data-nav=incidents]');
  await page().click('[data-nav=agencies]');
  await page().locator('.agencies-view .failure', { hasText: 'Không tải được dữ liệu: Không kết nối được tới máy chủ' }).waitFor();
  expect(await page().locator('.agencies-view').textContent()).not.toContain('Failed to fetch');
  await page().unroute('**/api/sources');
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page().route('**/api/sources', async (route) => { await held; await route.continue(); });
  await page().click('.agencies-view .failure button.retry');
  await page().locator('.agencies-view .loading', { hasText: 'Đang tải' }).waitFor();
  expect(await page().locator('#agencies').count()).toBe(0);
  release();
  const row = page().locator('#agencies tr', { hasText: 'so-tttt' });
  await row.waitFor();
  await waitFor('the received count', async () => Number((await row.locator('td').nth(2).textContent())?.replace(/\D/g, '')) >= 6, 10_000);
  await page().unroute('**/api/sources');
  expect(browser.errors.filter((e) => !/status of 500|ERR_FAILED|Failed to load resource/.test(e))).toEqual([]);
});

test("pivots: an incident's address opens a search in its agency around its time; an event's value narrows or excludes it", async () => {
  const inc = await bruteForce('demo-tttt', '203.0.113.77');
  await bruteForce('so-tttt', '203.0.113.77'); // the same address in another agency: not part of this incident's pivot
  await page().goto(`${relay.url}/#/incident/${inc.id}`);
  await page().locator('dl.kv dd.mono a', { hasText: '203.0.113.77' }).click(); // the incident's source address
  await page().locator('#total').waitFor();
  const url = new URL(page().url().replace('/#/', '/'));
  expect(url.searchParams.get('range')).toBe('custom');
  expect(url.searchParams.get('q')).toBe('(source.ip:203.0.113.77) AND organization.id:"demo-tttt"');
  expect(Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!)).toBeLessThan(3 * 3600e3); // an hour either side, not 24 h
  await page().locator('#total', { hasText: /^6$/ }).waitFor(); // this agency's six attempts only
  // open an event, exclude one port, then filter for the user
  await page().locator('#results tbody tr').first().click();
  await page().locator('.ev td', { hasText: /^source\.port$/ }).first().waitFor();
  // and back: the opened event names the alert it raised and leads to its incident
  await expect(page().locator('.ev-alerts a.ev-incident').first().getAttribute('href')).resolves.toBe(`#/incident/${inc.id}`);
  await page().locator('.ev tr', { has: page().locator('td', { hasText: /^source\.port$/ }) }).locator('button[aria-label^="Loại trừ"]').click();
  await page().locator('#total', { hasText: /^5$/ }).waitFor();
  expect(await page().locator('#query').inputValue()).toMatch(/^\(\(source\.ip:203\.0\.113\.77\) AND organization\.id:"demo-tttt"\) AND NOT source\.port:"\d+"$/);
  await page().locator('#results tbody tr').first().click();
  await page().locator('.ev tr', { has: page().locator('td', { hasText: /^user\.name$/ }) }).locator('button[aria-label^="Lọc theo"]').click();
  await waitFor('the narrowed query', async () => /AND user\.name:"root"$/.test(await page().locator('#query').inputValue()), 10_000);
  await page().locator('#total', { hasText: /^5$/ }).waitFor();
});

test("an incident's page downloads its initial report as PDF and its final report as DOCX, and the audit view names the export", async () => {
  const inc = await bruteForce('so-tttt', '203.0.113.88');
  await page().goto(`${relay.url}/#/incident/${inc.id}`);
  const get = async (which: string) => {
    const [dl] = await Promise.all([page().waitForEvent('download'), page().click(`#inc-reports button[data-report="${which}"]`)]);
    return { name: dl.suggestedFilename(), bytes: fs.readFileSync((await dl.path())!) };
  };
  const pdf = await get('initial.pdf');
  expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const docx = await get('final.docx');
  expect(docx.bytes.subarray(0, 2).toString()).toBe('PK'); // a zip: Office Open XML
  expect(docx.name).toMatch(/\.docx$/);
  await page().goto(`${relay.url}/#/audit`);
  await page().locator('#audit tbody tr td[title="incident.report"]', { hasText: 'Xuất báo cáo sự cố' }).first().waitFor();
});

test("a serious incident's page counts down to its reporting deadlines, and recording the initial report as sent stops that clock", async () => {
  const inc = await bruteForce('so-tttt', '203.0.113.89');
  expect(['high', 'critical']).toContain(inc.severity);
  await page().goto(`${relay.url}/#/incident/${inc.id}`);
  const initial = page().locator('#rep-clock [data-deadline="initial"]');
  await initial.and(page().locator('[data-state="open"]')).waitFor();
  const left = await initial.innerText();
  expect(left).toContain('Báo cáo ban đầu · hạn 24 giờ từ khi phát hiện');
  expect(left).toMatch(/còn 2[34] giờ/);
  await expect(page().locator('#rep-clock [data-deadline="final"]').innerText()).resolves.toMatch(/hạn 72 giờ từ khi phát hiện[\s\S]*còn (2 ngày|3 ngày|71 giờ)/);
  await initial.locator('input[name="reference"]').fill('Công văn 21/SOC-ATTT');
  await initial.locator('button[type="submit"]').click();
  await page().locator('#rep-clock [data-deadline="initial"][data-state="sent"]', { hasText: 'Công văn 21/SOC-ATTT' }).waitFor();
  expect(await page().locator('#rep-clock [data-deadline="initial"] input').count()).toBe(0); // recorded: nothing more to record
  await page().locator('#rep-clock [data-deadline="final"][data-state="open"] input[name="reference"]').waitFor();
  await page().getByText('ghi nhận đã gửi báo cáo').first().waitFor();
});
