/**
 * The checker against local test sites, its events fed to the shipped Sigma rules: each case raises
 * exactly the expected rule (what becomes the incident), legitimate changes raise none.
 */
import { createEvaluator } from '../correlator/sigma/index';
import type { EcsEvent } from '../core/event';
import type { WebsiteSite } from '../core/store/store';
import { shippedRules } from '../rules/tests/helpers';
import { checkSite, type CheckContext } from './check';
import type { DnsResolver } from './dns';
import { createDispatcher } from './fetch';
import { createSite } from './sites';
import type { SiteState } from './state';
import { makePki, portalPage, serveHttp, serveHttps, serveSilence, type Handler, type TestSite } from './testkit';
import { loadVocabulary } from './vocabulary';

const T0 = Date.parse('2026-12-01T08:00:00Z');
const noDns: DnsResolver = { resolve: async () => [] };
const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const o of open) await o.close();
});

function context(over: Partial<CheckContext> = {}): CheckContext & { tick(): void } {
  let t = T0;
  const dispatcher = createDispatcher({ timeoutMs: over.timeoutMs ?? 3000, ca: over.ca });
  open.push(dispatcher);
  return { dispatcher, resolver: noDns, vocabulary: loadVocabulary(), timeoutMs: 3000, maxBytes: 512 * 1024, maxRedirects: 5, now: () => new Date(t), tick: () => void (t += 60_000), ...over };
}

async function site(handler: Handler): Promise<TestSite> {
  const s = await serveHttp(handler);
  open.push(s);
  return s;
}

/** Checks `n` times (a minute apart); returns every event and the titles of the rules they raise, once each. */
async function watch(s: { url: string }, n: number, ctx: CheckContext & { tick(): void }, keywords: string[] = []): Promise<{ events: EcsEvent[]; rules: string[]; state: SiteState | null }> {
  const w: WebsiteSite = createSite({ url: s.url, tenant: 'so-tttt', interval: 60, keywords, by: 'test' }, 30);
  const ev = createEvaluator(shippedRules());
  const events: EcsEvent[] = [];
  const rules = new Set<string>();
  let state: SiteState | null = null;
  for (let i = 0; i < n; i++) {
    const out = await checkSite(w, state, ctx);
    state = out.state;
    for (const e of out.events) {
      events.push(e);
      for (const d of ev.evaluate(e as unknown as Record<string, unknown>)) rules.add(d.rule.title);
    }
    ctx.tick();
  }
  return { events, rules: [...rules].sort(), state };
}

/** A portal that changes legitimately on every request and, from check `from` on, serves `after(n)`. */
function changingPortal(from: number, after: (n: number, req: Parameters<Handler>[0]) => string): Handler {
  let n = 0;
  return (req, res) => {
    // the browser's fetch comes first in each check; the crawler and the phone see the same page
    if (!/Googlebot|iPhone/.test(String(req.headers['user-agent']))) n++;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(n > from ? after(n, req) : portalPage(n));
  };
}

describe('legitimate changes raise nothing', () => {
  test('dates, counters and a rotating news list over ten checks: up every time, no rule', async () => {
    const s = await site(changingPortal(Infinity, portalPage));
    const r = await watch(s, 10, context());
    expect(r.rules).toEqual([]);
    expect(r.events.filter((e) => e.event.action === 'website-check').map((e) => e.event.outcome)).toEqual(Array(10).fill('success'));
    expect(r.events.filter((e) => e.event.action === 'website-finding')).toEqual([]);
  });
});

describe('each compromise raises exactly its rule', () => {
  const cases: [string, (n: number, req: Parameters<Handler>[0]) => string, string][] = [
    ['a gambling block', (n) => portalPage(n, '<div class="ads"><a href="/tin/1">Nhà cái uy tín - kèo nhà cái, tài xỉu, nổ hũ đổi thưởng</a></div>'), 'Website Spam Content Injected'],
    ['a hidden link', (n) => portalPage(n, '<div style="position:absolute;left:-9999px"><a href="https://bet88-win.example/">xem thêm</a></div>'), 'Website Spam Content Injected'],
    ['a new script', (n) => portalPage(n, '<script src="https://cdn-stats.example.net/m.js"></script>'), 'Website Foreign Script Or Iframe Injected'],
    ['a new iframe', (n) => portalPage(n, '<iframe src="https://ads.example.org/frame" width="1" height="1"></iframe>'), 'Website Foreign Script Or Iframe Injected'],
    ['a JavaScript redirect', (n) => portalPage(n, '<script>if (/Android|iPhone/.test(navigator.userAgent)) window.location.href = "https://m-bet.example/";</script>'), 'Website Redirect Injected'],
    ['a meta refresh', (n) => portalPage(n).replace('<head>', '<head><meta http-equiv="refresh" content="0; url=https://m-bet.example/">'), 'Website Redirect Injected'],
    ['a visible link to a new domain', (n) => portalPage(n, '<p>Xem thêm tại <a href="https://tin-nong-24h.example/">đây</a></p>'), 'Website Links To New Domains'],
    ['defacement', () => '<html><body style="background:black"><h1>Hacked by Someone</h1><p>Your security is zero</p></body></html>', 'Website Defacement'],
  ];
  test.each(cases)('%s', async (_name, after, rule) => {
    const s = await site(changingPortal(4, after));
    const r = await watch(s, 7, context());
    expect(r.rules).toEqual([rule]);
    // reported once, when it appeared, not on every check after
    expect(r.events.filter((e) => e.event.action === 'website-finding').length).toBe(1);
  });

  test('a change is recorded when it appears, with its text snapshot, not again on every check while it stays', async () => {
    const s = await site(changingPortal(4, (n) => portalPage(n, '<p>Nhà cái uy tín: tài xỉu, nổ hũ</p>')));
    const r = await watch(s, 8, context());
    const appeared = new Date(T0 + 4 * 60_000).toISOString(); // the fifth check, a minute apart
    expect(r.state!.lastChange).toEqual({ at: appeared, kinds: ['spam'] });
    expect(r.state!.changes).toEqual([{ at: appeared, kinds: ['spam'], details: [expect.stringMatching(/^spam vocabulary new on the page: .*tài xỉu/)], text: expect.stringContaining('Nhà cái uy tín') }]);
    expect(r.state!.snapshot!.text).not.toContain('Nhà cái');
  });

  test('a new link domain keeps its snapshot too', async () => {
    const s = await site(changingPortal(3, (n) => portalPage(n, '<p><a href="https://tin-nong-24h.example/">Tin nóng</a></p>')));
    const r = await watch(s, 5, context());
    expect(r.state!.changes.map((c) => c.kinds)).toEqual([['link-domain']]);
    expect(r.state!.changes[0].text).toContain('Tin nóng');
  });

  test('a cloaked page for a search-engine crawler: only the crawler sees the spam', async () => {
    const s = await site((req, res) => {
      const crawler = /Googlebot/.test(String(req.headers['user-agent']));
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(portalPage(1, crawler ? '<p>Cá cược bóng đá, lô đề online, vay tiền nhanh</p><a href="https://nhacai-top.example/">nhà cái</a>' : ''));
    });
    const r = await watch(s, 5, context());
    expect(r.rules).toEqual(['Website Cloaking For Search Engines']);
    expect(s.requests.some((q) => /Googlebot/.test(q.userAgent))).toBe(true);
  });

  test('a redirect for phones only (server side): cloaking, and the target is never asked', async () => {
    const other = await site((_req, res) => res.end('other'));
    const s = await site((req, res) => {
      if (/iPhone|Android/.test(String(req.headers['user-agent']))) return void res.writeHead(302, { location: `${other.url}m` }).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(1));
    });
    const r = await watch(s, 4, context());
    expect(r.rules).toEqual(['Website Cloaking For Search Engines']);
    expect(String(r.events.find((e) => e.event.action === 'website-finding')!.event.reason)).toMatch(/^a phone is served another page than a browser: redirect http 127\.0\.0\.1:\d+/);
    expect(other.requests).toEqual([]);
  });

  test('a required phrase that disappears is a defacement, and the changed text is kept beside the baseline', async () => {
    const s = await site(changingPortal(4, (n) => portalPage(n).replace('Sở Thông tin và Truyền thông tỉnh', 'Trang tạm ngừng')));
    const r = await watch(s, 6, context(), ['Sở Thông tin và Truyền thông tỉnh']);
    expect(r.rules).toEqual(['Website Defacement']);
    expect(String(r.events.find((e) => e.event.action === 'website-finding')!.event.reason)).toBe('required text missing: "Sở Thông tin và Truyền thông tỉnh"');
    expect(r.state!.snapshot!.text).toContain('Sở Thông tin và Truyền thông tỉnh');
    expect(r.state!.changes[0]).toMatchObject({ kinds: ['defacement'], text: expect.stringContaining('Trang tạm ngừng') });
  });

  test('a redirect to another site: reported, and the other site is never asked', async () => {
    const other = await site((_req, res) => res.end('other'));
    let n = 0;
    const s = await site((req, res) => {
      if (!/Googlebot|iPhone/.test(String(req.headers['user-agent']))) n++;
      if (n > 3) return void res.writeHead(302, { location: `${other.url}landing` }).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(n));
    });
    const r = await watch(s, 6, context());
    expect(r.rules).toEqual(['Website Redirect Injected']);
    expect(other.requests).toEqual([]);
  });

  test('a dead server that comes back between failures: no Website Down until three failures in a row', async () => {
    let n = 0;
    // the browser's fetch decides each check: down, down, up, down, down, up, down, down, down
    const plan = [false, false, true, false, false, true, false, false, false];
    const s = await site((req, res) => {
      const i = /Googlebot|iPhone/.test(String(req.headers['user-agent'])) ? n - 1 : n++;
      if (plan[i]) return void res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(i));
      res.writeHead(503).end('down');
    });
    const r = await watch(s, plan.length, context());
    const checks = r.events.filter((e) => e.event.action === 'website-check');
    expect(checks.map((e) => (e.canhgac as { website: { failures_in_row: number } }).website.failures_in_row)).toEqual([1, 2, 0, 1, 2, 0, 1, 2, 3]);
    expect(r.rules).toEqual(['Website Down']);
    expect(r.state!.failuresInRow).toBe(3);
  });

  test('a dead server: down on every check, Website Down after the third', async () => {
    const s = await site(() => undefined);
    await s.close();
    const r = await watch(s, 3, context());
    expect(r.rules).toEqual(['Website Down']);
    const checks = r.events.filter((e) => e.event.action === 'website-check');
    expect(checks.map((e) => e.event.outcome)).toEqual(['failure', 'failure', 'failure']);
    expect(String(checks[0].event.reason)).toMatch(/connection: .*ECONNREFUSED/);
    expect((await watch(s, 2, context())).rules).toEqual([]);
  });

  test('a server that answers HTTP 503 three times is down', async () => {
    const s = await site((_req, res) => res.writeHead(503).end('maintenance'));
    const r = await watch(s, 3, context());
    expect(r.rules).toEqual(['Website Down']);
    expect(r.events[0].http).toMatchObject({ response: { status_code: 503 } });
  });

  test('a certificate that expires in 5 days: Website Certificate Expiring Within 14 Days only', async () => {
    const pki = makePki(5);
    const s = await serveHttps((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(1)), pki);
    open.push(s);
    const r = await watch(s, 4, context({ ca: pki.ca }));
    expect(r.rules).toEqual(['Website Certificate Expiring Within 14 Days']);
    const check = r.events[0];
    expect(check.tls).toMatchObject({ server: { not_after: expect.any(String) } });
    expect((check.canhgac as { website: { cert_days_left: number } }).website.cert_days_left).toBeLessThan(14);
  });

  test('a certificate nobody trusts: the check fails with a TLS error and the certificate is reported invalid', async () => {
    const pki = makePki(90);
    const s = await serveHttps((_req, res) => res.writeHead(200).end(portalPage(1)), pki);
    open.push(s);
    const r = await watch(s, 1, context()); // the throwaway CA is not given to the checker
    expect(r.rules).toEqual(['Website Certificate Invalid Or Replaced']);
    expect(String(r.events[0].event.reason)).toMatch(/^tls: /);
    expect(String(r.events[1].event.reason)).toMatch(/^the certificate is not trusted/);
  });

  test('a certificate replaced by one with another key is reported once', async () => {
    const [p1, p2] = [makePki(90), makePki(90)];
    const s1 = await serveHttps((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(1)), p1);
    const s2 = await serveHttps((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(1)), p2);
    open.push(s1, s2);
    const ctx = context({ ca: p1.ca + p2.ca });
    const before = await checkSite(createSite({ url: s1.url, tenant: 'so-tttt', interval: 60, by: 't' }, 30), null, ctx);
    // the same site's state, now answered with the other certificate
    const after = await checkSite(createSite({ url: s2.url, tenant: 'so-tttt', interval: 60, by: 't' }, 30), before.state, ctx);
    const f = after.events.filter((e) => e.event.action === 'website-finding');
    expect(f.map((e) => String(e.event.reason))).toEqual(['the certificate changed: a new key']); // both test CAs have one name: the key tells them apart
  });

  test('a healthy https site with a 90-day certificate raises nothing', async () => {
    const pki = makePki(90);
    const s = await serveHttps(changingPortal(Infinity, portalPage), pki);
    open.push(s);
    const r = await watch(s, 5, context({ ca: pki.ca }));
    expect(r.rules).toEqual([]);
    expect(r.events[0].event.outcome).toBe('success');
  });

  test('DNS answers that change (a stub resolver): Website DNS Answers Changed, once', async () => {
    let a = ['203.0.113.10'];
    const resolver: DnsResolver = { resolve: async (_n, type) => (type === 'A' ? a : type === 'NS' ? ['ns1.example.vn'] : []) };
    const s = await site(changingPortal(Infinity, portalPage));
    const ctx = context({ resolver });
    // the site's name resolves through the stub; the request itself goes to the local server
    const w = { url: s.url.replace('127.0.0.1', 'portal.localtest'), real: s.url };
    const checks: EcsEvent[] = [];
    const ev = createEvaluator(shippedRules());
    const rules = new Set<string>();
    const site1 = createSite({ url: w.url, tenant: 'so-tttt', interval: 60, by: 't' }, 30);
    let state: SiteState | null = null;
    for (let i = 0; i < 4; i++) {
      if (i === 2) a = ['198.51.100.66'];
      const out = await checkSite(site1, state, ctx);
      state = out.state;
      checks.push(...out.events);
      for (const e of out.events) for (const d of ev.evaluate(e as unknown as Record<string, unknown>)) rules.add(d.rule.title);
      ctx.tick();
    }
    expect([...rules].filter((t) => t !== 'Website Down')).toEqual(['Website DNS Answers Changed']);
    const change = checks.find((e) => (e.canhgac as { website: { finding?: string } }).website.finding === 'dns-change')!;
    expect(String(change.event.reason)).toContain('+A 198.51.100.66');
    expect(checks[0].dns).toMatchObject({ answers: expect.arrayContaining([{ type: 'A', data: '203.0.113.10' }]) });
  });
});

describe('hostile and broken sites give a clear event and never stall the checker', () => {
  test('a server that never answers: a timeout event within the bound', async () => {
    const s = await serveSilence('http');
    open.push(s);
    const ctx = context({ timeoutMs: 500 });
    const r = await watch(s, 1, ctx);
    const check = r.events[0];
    expect(check.event.outcome).toBe('failure');
    expect(String(check.event.reason)).toMatch(/^timeout: no complete answer within 500 ms/);
    expect(check.event.duration as number).toBeLessThan(20_000 * 1e6);
  });

  test('a TLS handshake that stalls: a timeout event naming the handshake', async () => {
    const s = await serveSilence('https');
    open.push(s);
    const r = await watch(s, 1, context({ timeoutMs: 500 }));
    const check = r.events[0];
    expect(check.event.outcome).toBe('failure');
    expect(String(check.event.reason)).toMatch(/^timeout/);
    expect((check.canhgac as { website: { cert_error: string } }).website.cert_error).toMatch(/no TLS handshake .* within 500 ms/);
  });

  test('a redirect loop: an event that says so, after a bounded number of requests', async () => {
    const s = await site((req, res) => res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' }).end());
    const r = await watch(s, 1, context());
    expect(r.events[0].event.outcome).toBe('failure');
    expect(String(r.events[0].event.reason)).toMatch(/^redirect-loop: redirect loop: .*\/a → .*\/b → .*\/a/);
    expect(s.requests.length).toBeLessThanOrEqual(4);
  });

  test('a 50 MB page: only the size cap is read, and the event says the page was larger', async () => {
    let sent = 0;
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const s = await site((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const more = () => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => (sent = Math.max(sent, 0)));
      more();
    });
    const r = await watch(s, 1, context({ maxBytes: 256 * 1024 }));
    const check = r.events[0];
    expect(check.event.outcome).toBe('success');
    expect(check.http).toMatchObject({ response: { bytes: 256 * 1024 } });
    expect(String(check.event.reason)).toContain(`larger than ${256 * 1024} bytes`);
    expect((check.canhgac as { website: { truncated: boolean } }).website.truncated).toBe(true);
  });

  test('invalid HTML and binary garbage are read without failing, and the event says it is not HTML', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const broken = '<html><head><title>Sở Y tế<body><div <p>unclosed "quote <a href=\'x>link</b></i></div></div></div><script>var x = "</scr';
    for (const body of [garbage, Buffer.from(broken)]) {
      const s = await site((_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body));
      const r = await watch(s, 4, context());
      expect(r.events[0].event.outcome).toBe('success');
      expect(r.rules).toEqual([]);
      if (body === garbage) expect(String(r.events[0].event.reason)).toMatch(/not HTML/);
    }
  });
});

describe('requests', () => {
  test('scripts, iframes, links and redirect targets on the page are read, never fetched', async () => {
    const other = await site((_req, res) => res.end('other'));
    const refs = `<script src="${other.url}s.js"></script><iframe src="${other.url}f"></iframe><a href="${other.url}a">a</a><img src="${other.url}i.png"><link rel="stylesheet" href="${other.url}c.css">`;
    const s = await site(changingPortal(3, (n) => portalPage(n, refs).replace('<head>', `<head><meta http-equiv="refresh" content="5; url=${other.url}r">`)));
    const r = await watch(s, 5, context());
    expect(r.rules).toEqual(['Website Foreign Script Or Iframe Injected', 'Website Links To New Domains', 'Website Redirect Injected']);
    expect(other.requests).toEqual([]);
  });

  test('go only to the configured site, each with the identifying user agent', async () => {
    const s = await site(changingPortal(Infinity, portalPage));
    await watch(s, 2, context());
    expect(s.requests.length).toBe(6); // a browser's, a crawler's and a phone's fetch per check
    for (const q of s.requests) expect(q.userAgent).toMatch(/canhgac-website-monitor\/\d/);
  });
});
