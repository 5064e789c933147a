/**
 * Website watch through the real binary: sites added with `canhgac website add`, checked by the
 * running center, their events turned into incidents by the shipped rules — a dead site opens
 * Website Down, a site that gets a gambling block opens Website Spam Content Injected, and a site
 * whose dates, counters and news change legitimately opens nothing.
 */
import { ApiClient, cli, startCanhgac, tempDataDir, waitFor, type Running } from '../helpers/canhgac';
import { portalPage, serveHttp, type TestSite } from '../../website/testkit';

jest.setTimeout(180_000);
// the same settings for the CLI and the running center (baseEnv passes this process's environment on)
const WEBSITE_ENV = { CANHGAC_WEBSITE_MIN_INTERVAL_S: '10', CANHGAC_WEBSITE_REFRESH_S: '1', CANHGAC_WEBSITE_TIMEOUT_MS: '2000' };
Object.assign(process.env, WEBSITE_ENV);

let canhgac: Running | undefined;
const sites: TestSite[] = [];
afterAll(async () => {
  await canhgac?.stop();
  for (const s of sites) await s.close();
});

test('a dead site and an injected gambling block each open their incident; legitimate changes open none', async () => {
  let legitN = 0;
  const legit = await serveHttp((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(/Googlebot|iPhone/.test(String(req.headers['user-agent'])) ? legitN : ++legitN)));
  let spamN = 0;
  const spam = await serveHttp((req, res) => {
    const n = /Googlebot|iPhone/.test(String(req.headers['user-agent'])) ? spamN : ++spamN;
    res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(n, n > 3 ? '<p>Nhà cái uy tín: tài xỉu, nổ hũ, cá cược bóng đá</p>' : ''));
  });
  const dead = await serveHttp(() => undefined);
  sites.push(legit, spam);
  await dead.close();

  const dataDir = tempDataDir();
  expect(cli(dataDir, ['tenant', 'add', 'so-tttt', '--name', 'Sở Thông tin và Truyền thông']).code).toBe(0);
  for (const s of [legit, spam, dead]) {
    const r = cli(dataDir, ['website', 'add', s.url, '--tenant', 'so-tttt', '--interval', '10s']);
    // stderr may carry a store warning; what matters is that the site was added
    expect({ code: r.code, stdout: r.stdout, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stdout: expect.stringMatching(/^watching /), stderr: '' });
  }
  expect(cli(dataDir, ['website', 'add', 'http://127.0.0.1:9/', '--tenant', 'so-tttt', '--interval', '2s']).stderr).toMatch(/below the floor of 10 s/);

  canhgac = await startCanhgac({ dataDir, env: WEBSITE_ENV });
  const api = await ApiClient.login(canhgac.consoleUrl);
  type Inc = { title: string; tenant: string };
  const titles = async () => (await api.get<{ items: Inc[] }>('/api/incidents?limit=100')).body.items.map((i) => `${i.tenant}:${i.title}`).sort();
  await waitFor('both incidents', async () => (await titles()).length >= 2, 150_000);
  // by now the legitimate site was checked as often as the others: it must have opened nothing
  expect(await titles()).toEqual(['so-tttt:Website Down', 'so-tttt:Website Spam Content Injected']);
  expect(legitN).toBeGreaterThanOrEqual(4);

  const listed = await api.get<{ items: { url: string; state: string; lastChange: { kinds: string[] } | null }[] }>('/api/websites');
  const byUrl = new Map(listed.body.items.map((w) => [w.url, w]));
  expect(byUrl.get(dead.url)?.state).toBe('down');
  expect(byUrl.get(legit.url)?.state).toBe('up');
  expect(byUrl.get(spam.url)?.lastChange?.kinds).toContain('spam');
  for (const q of [...legit.requests, ...spam.requests]) expect(q.userAgent).toMatch(/canhgac-website-monitor/);
});
