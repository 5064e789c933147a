/** Retro-hunt over stored events: many indicators share a query, and an answer cut at the limit is asked again in halves. */
import { newId } from '../core/event';
import type { Store } from '../core/store/store';
import { huntGroups, retroHunt } from './hunt';
import { importCsv } from './importers/csv';
import { toIndicator, type Indicator } from './indicator';
import { memoryStore } from './testkit';

const list = (csv: string, tenant: string | null = null): Indicator[] => importCsv(csv).indicators.map((i) => toIndicator(i, { tenant, source: 'VNCERT', ttlMs: null, now: new Date() }));
const fw = (tenant: string, src: string, dst: string) => ({ '@timestamp': new Date(Date.now() - 3_600_000).toISOString(), event: { id: newId(), kind: 'event' }, organization: { id: tenant }, source: { ip: src }, destination: { ip: dst } });

/** Counts the searches the hunt asks of the store. */
function counting(store: Store): { store: Store; searches: () => number } {
  let n = 0;
  const wrapped = new Proxy(store, { get: (t, p, r) => (p === 'searchEvents' ? (...a: Parameters<Store['searchEvents']>) => (n++, t.searchEvents(...a)) : Reflect.get(t, p, r)) });
  return { store: wrapped, searches: () => n };
}

test('300 new indicators are hunted with a handful of searches, not one each, and every past match is found', async () => {
  const store = memoryStore();
  const ips = Array.from({ length: 300 }, (_, i) => `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}`);
  const inds = [...list(`type,value\n${ips.map((ip) => `ipv4,${ip}`).join('\n')}\n`), ...list('type,value\ndomain,evil.example\n')];
  await store.putEvents([fw('so-a', '10.0.0.1', ips[0]), fw('so-a', '10.0.0.2', ips[299]), fw('so-b', '10.0.0.3', ips[150]), fw('so-a', '10.0.0.4', '192.0.2.1')] as never);
  const c = counting(store);
  const r = await retroHunt(c.store, inds, { lookbackDays: 30 });
  expect(r.alerts.map((a) => a.summary.host).sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  expect(r.alerts.every((a) => a.retrospective)).toBe(true);
  expect(huntGroups(inds).length).toBeLessThanOrEqual(Math.ceil(inds.length / 20)); // a search for 20 or more indicators, not one each
  expect(c.searches()).toBe(huntGroups(inds).length);
  await store.close();
});

test('an answer cut at the limit is asked again in halves, so no past match is lost; an agency\'s own indicator searches only its events', async () => {
  const store = memoryStore();
  const shared = list('type,value\nipv4,203.0.113.1\nipv4,203.0.113.2\nipv4,203.0.113.3\n');
  const own = list('type,value\nipv4,203.0.113.9\n', 'so-b');
  await store.putEvents([fw('so-a', '10.0.0.1', '203.0.113.1'), fw('so-a', '10.0.0.2', '203.0.113.2'), fw('so-a', '10.0.0.3', '203.0.113.3'), fw('so-a', '10.0.0.9', '203.0.113.9'), fw('so-b', '10.1.0.9', '203.0.113.9')] as never);
  const r = await retroHunt(store, [...shared, ...own], { lookbackDays: 30, maxEventsPerIndicator: 1 });
  expect(r.alerts.map((a) => `${a.tenant} ${a.summary.host}`).sort()).toEqual(['so-a 10.0.0.1', 'so-a 10.0.0.2', 'so-a 10.0.0.3', 'so-b 10.1.0.9']);
  await store.close();
});
