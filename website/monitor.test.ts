/** The monitor on a real embedded store and a bus stand-in: a bounded pool, the interval floor, a stalled site not holding up the others. */
import type { Bus, PublishRecord } from '../core/bus/bus';
import type { EcsEvent } from '../core/event';
import { createLogger } from '../core/log';
import { createSqliteStore } from '../core/store/sqlite';
import { addSite } from './admin';
import { startWebsiteMonitor } from './monitor';
import { Scheduler } from './scheduler';
import { DEFAULTS } from './settings';
import { createSite, SiteError } from './sites';
import { portalPage, serveHttp, serveSilence, type TestSite } from './testkit';

function fakeBus(): Bus & { events: EcsEvent[] } {
  const events: EcsEvent[] = [];
  return {
    kind: 'embedded',
    events,
    async publish<T>(_topic: string, records: PublishRecord<T>[]) {
      for (const r of records) events.push(r.value as unknown as EcsEvent);
    },
    subscribe: async () => ({ close: async () => undefined, lag: async () => 0 }),
    close: async () => undefined,
  };
}

test('intervals have a floor: a site asking for less is refused, and the scheduler never goes below it', async () => {
  expect(() => createSite({ url: 'https://a.example/', tenant: 'so-a', interval: '5s', by: 't' }, 30)).toThrow(new SiteError('interval: 5 s is below the floor of 30 s (no site is checked more often)'));
  let t = 0;
  let runs = 0;
  const s = new Scheduler({ concurrency: 1, floorS: 30, now: () => t, run: async () => void runs++ });
  s.setItems([{ id: 'x', intervalS: 1 }]);
  for (t = 0; t < 60_000; t += 1000) {
    s.tick();
    await s.idle();
  }
  expect(runs).toBe(2); // at 0 s and 30 s, not every second
});

test('many sites are checked through a bounded pool; a silent server, a stalled TLS handshake and a 50 MB page do not stall the others', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  await store.putTenant({ id: 'so-a', name: 'A', created: 'x' });
  const sites: TestSite[] = [];
  const silent = await serveSilence('http');
  const stalledTls = await serveSilence('https');
  // a 50 MB page, sent as fast as the checker reads it
  const huge = await serveHttp((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const more = () => {
      while (sent < 50) {
        sent++;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end();
    };
    res.on('close', () => (sent = 50));
    more();
  });
  sites.push(silent, stalledTls, huge);
  for (let i = 0; i < 9; i++) sites.push(await serveHttp((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(i))));
  for (const s of sites) await addSite(store, { url: s.url, tenant: 'so-a', interval: 60, by: 't' }, 30, null);
  const bus = fakeBus();
  const mon = await startWebsiteMonitor({ store, bus, logger: createLogger({ level: 'silent' }), settings: { ...DEFAULTS, concurrency: 3, timeoutMs: 1500 }, timers: false });
  await mon.scheduler.idle();
  const checks = bus.events.filter((e) => e.event.action === 'website-check');
  expect(checks.length).toBe(12);
  expect(mon.scheduler.stats.maxRunning).toBe(3);
  expect(checks.filter((e) => e.event.outcome === 'success').length).toBe(10); // nine portals and the 50 MB page, read up to the cap
  const reasonOf = (u: string) => String(checks.find((e) => (e.url as { full: string }).full === u)!.event.reason);
  expect(reasonOf(huge.url)).toContain(`larger than ${DEFAULTS.maxBytes} bytes`);
  expect(reasonOf(stalledTls.url)).toMatch(/^timeout: /);
  const stalled = checks.find((e) => e.event.outcome === 'failure' && (e.url as { full: string }).full === silent.url)!;
  expect(stalled.url).toMatchObject({ full: silent.url });
  expect(stalled.organization).toEqual({ id: 'so-a' });
  expect(stalled.event.dataset).toBe('canhgac.website');
  // the state is kept: the next check of a site starts from what was learned
  const state = await store.getWebsiteState((await store.listWebsites(null))[0].id);
  expect(state?.doc).toMatchObject({ baseline: { checks: expect.any(Number) } });
  await mon.stop();
  for (const s of sites) await s.close();
  await store.close();
});
