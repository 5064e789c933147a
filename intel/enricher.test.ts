/** Writing matches into stored events when the indexer is behind, the store away, or the event never stored. */
import { silentLogger } from '../core/log';
import type { Store } from '../core/store/store';
import { intelAlert } from './alert';
import { createEnricher } from './enricher';
import { Matcher } from './matcher';
import { importCsv } from './importers/csv';
import { toIndicator } from './indicator';

const indicators = importCsv('type,value\nipv4,203.0.113.80\n').indicators.map((i) => toIndicator(i, { tenant: null, source: 'VNCERT', ttlMs: null, now: new Date() }));
const event = (id: string) => ({ '@timestamp': new Date().toISOString(), event: { id }, organization: { id: 'so-a' }, source: { ip: '10.0.0.1' }, destination: { ip: '203.0.113.80' } });
const alertFor = (id: string) => intelAlert(event(id), 'so-a', new Matcher(indicators).match(event(id), 'so-a', Date.now()), { retrospective: false });

/** A store that has the events of `stored`, or is away. */
function fakeStore(stored: Set<string>, state: { away: boolean; written: string[] }): Store {
  return {
    enrichEvents: async (items: { id: string }[]) => {
      if (state.away) throw new Error('connect ECONNREFUSED 127.0.0.1:9200');
      state.written.push(...items.filter((i) => stored.has(i.id)).map((i) => i.id));
      return items.filter((i) => !stored.has(i.id)).map((i) => i.id);
    },
  } as unknown as Store;
}

test('an event the indexer stores later is enriched then; one never stored is given up after maxTries and counted; a store that is away costs no try', async () => {
  const stored = new Set<string>();
  const state = { away: false, written: [] as string[] };
  const e = createEnricher({ store: fakeStore(stored, state), logger: silentLogger, maxTries: 3 });
  e.add([alertFor('late'), alertFor('never')]);
  await e.flush();
  expect(e.counts).toEqual({ enriched: 0, waiting: 2, givenUp: 0 });
  stored.add('late');
  state.away = true;
  for (let i = 0; i < 5; i++) await e.flush(); // away: nothing counted, nothing lost
  expect(e.counts).toEqual({ enriched: 0, waiting: 2, givenUp: 0 });
  state.away = false;
  await e.flush();
  expect(e.counts).toEqual({ enriched: 1, waiting: 1, givenUp: 0 });
  expect(state.written).toEqual(['late']);
  await e.flush();
  expect(e.counts).toEqual({ enriched: 1, waiting: 0, givenUp: 1 });
});

test('more events waiting than maxWaiting: the oldest are given up and counted, not kept without bound', async () => {
  const e = createEnricher({ store: fakeStore(new Set(), { away: false, written: [] }), logger: silentLogger, maxWaiting: 2 });
  e.add([alertFor('a'), alertFor('b'), alertFor('c')]);
  expect(e.counts).toEqual({ enriched: 0, waiting: 2, givenUp: 1 });
});
