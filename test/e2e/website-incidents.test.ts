/**
 * Website watch through the real binary, one agency per local test site: each compromise opens
 * exactly its incident (a gambling block, a hidden link, a new script, a cloaked page for crawlers,
 * a redirect to another site, a link to a new domain, a defacement, a silent server, a certificate
 * about to expire), and a site that changes legitimately, or fails twice and comes back again and
 * again, opens none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiClient, cli, startCanhgac, tempDataDir, waitFor, type Running } from '../helpers/canhgac';
import { makePki, portalPage, serveHttp, serveHttps, serveSilence, type Handler, type TestSite } from '../../website/testkit';

jest.setTimeout(300_000);
const WAIT = 200_000; // generous: eleven sites, three learning checks 10 s apart, on a loaded 2-core machine

// the same settings for the CLI and the running center (baseEnv passes this process's environment on)
const WEBSITE_ENV = { CANHGAC_WEBSITE_MIN_INTERVAL_S: '10', CANHGAC_WEBSITE_REFRESH_S: '1', CANHGAC_WEBSITE_TIMEOUT_MS: '2000', CANHGAC_WEBSITE_CONCURRENCY: '6' };
Object.assign(process.env, WEBSITE_ENV);

let canhgac: Running | undefined;
const open: TestSite[] = [];
afterAll(async () => {
  await canhgac?.stop();
  for (const s of open) await s.close();
});

const isOther = (req: Parameters<Handler>[0]) => /Googlebot|iPhone/.test(String(req.headers['user-agent']));
/** A portal that changes legitimately on every check; from the fifth check (after learning) on, `after(n)`. The counter is the browser's fetches. */
function portal(after: ((n: number) => string) | null, counter: { n: number }): Handler {
  return (req, res) => {
    const n = isOther(req) ? counter.n : ++counter.n;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(after && n > 4 ? after(n) : portalPage(n));
  };
}

test('each local test site opens exactly its incident; legitimate changes and a flapping site open none', async () => {
  const pki = makePki(5);
  const dataDir = tempDataDir();
  const caFile = path.join(dataDir, 'test-ca.pem');
  fs.writeFileSync(caFile, pki.ca);
  const counters: Record<string, { n: number }> = {};
  const c = (k: string) => (counters[k] = { n: 0 });
  const elsewhere = await serveHttp((_req, res) => res.end('elsewhere'));
  open.push(elsewhere);
  const flap = c('so-flap');
  const cases: [string, Promise<TestSite>, string[]][] = [
    ['so-legit', serveHttp(portal(null, c('so-legit'))), []],
    ['so-spam', serveHttp(portal((n) => portalPage(n, '<p>Nhà cái uy tín: kèo nhà cái, tài xỉu, nổ hũ đổi thưởng</p>'), c('so-spam'))), ['Website Spam Content Injected']],
    ['so-hidden', serveHttp(portal((n) => portalPage(n, '<div style="position:absolute;left:-9999px"><a href="https://bet88-win.example/">xem thêm</a></div>'), c('so-hidden'))), ['Website Spam Content Injected']],
    ['so-script', serveHttp(portal((n) => portalPage(n, '<script src="https://cdn-stats.example.net/m.js"></script>'), c('so-script'))), ['Website Foreign Script Or Iframe Injected']],
    ['so-links', serveHttp(portal((n) => portalPage(n, '<p>Xem thêm tại <a href="https://tin-nong-24h.example/">đây</a></p>'), c('so-links'))), ['Website Links To New Domains']],
    ['so-deface', serveHttp(portal(() => '<html><body><h1>Hacked by Someone</h1><p>Your security is zero</p></body></html>', c('so-deface'))), ['Website Defacement']],
    [
      'so-cloak',
      serveHttp((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(1, /Googlebot/.test(String(req.headers['user-agent'])) ? '<p>Cá cược bóng đá, lô đề online</p>' : ''))),
      ['Website Cloaking For Search Engines'],
    ],
    [
      'so-redirect',
      serveHttp((req, res) => {
        const r = counters['so-redirect'] ?? c('so-redirect');
        const n = isOther(req) ? r.n : ++r.n;
        if (n > 4) return void res.writeHead(302, { location: `${elsewhere.url}landing` }).end();
        res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(n));
      }),
      ['Website Redirect Injected'],
    ],
    ['so-silent', serveSilence('http'), ['Website Down']],
    ['so-cert', serveHttps(portal(null, c('so-cert')), pki), ['Website Certificate Expiring Within 14 Days']],
    [
      'so-flap',
      // down, down, up, down, down, up…: never three failures in a row
      serveHttp((req, res) => {
        const n = isOther(req) ? flap.n : ++flap.n;
        if (n % 3 === 0) return void res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(n));
        res.writeHead(503).end('busy');
      }),
      [],
    ],
  ];
  const sites = await Promise.all(cases.map(([, s]) => s));
  open.push(...sites);
  for (const [i, [tenant]] of cases.entries()) {
    expect(cli(dataDir, ['tenant', 'add', tenant, '--name', tenant]).code).toBe(0);
    const r = cli(dataDir, ['website', 'add', sites[i].url, '--tenant', tenant, '--interval', '10s']);
    expect({ tenant, code: r.code, out: r.stdout }).toEqual({ tenant, code: 0, out: expect.stringMatching(/^watching /) });
  }

  canhgac = await startCanhgac({ dataDir, env: { ...WEBSITE_ENV, CANHGAC_WEBSITE_CA: caFile } });
  const api = await ApiClient.login(canhgac.consoleUrl);
  type Inc = { title: string; tenant: string };
  const byTenant = async () => {
    const items = (await api.get<{ items: Inc[] }>('/api/incidents?limit=200')).body.items;
    return Object.fromEntries(cases.map(([t]) => [t, items.filter((i) => i.tenant === t).map((i) => i.title).sort()]));
  };
  const expected = Object.fromEntries(cases.map(([t, , titles]) => [t, titles]));
  const wanted = cases.filter(([, , t]) => t.length).map(([t]) => t);
  await waitFor('every expected incident', async () => {
    const now = await byTenant();
    return wanted.every((t) => now[t].length > 0);
  }, WAIT);
  // the quiet sites were checked at least as often as the changed ones, past the change and past three failures
  await waitFor('seven checks of the legitimate and the flapping site', () => counters['so-legit'].n >= 7 && flap.n >= 7, WAIT);
  expect(await byTenant()).toEqual(expected);
  expect(elsewhere.requests).toEqual([]);
  for (const s of sites) for (const q of s.requests) expect(q.userAgent).toMatch(/canhgac-website-monitor/);
});
