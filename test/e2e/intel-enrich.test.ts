/**
 * A match enriches the stored event: through the embedded bus, the indexer and the intel
 * consumer, an event that matched an indicator (live or by retro-hunt) is found in the store with
 * ECS threat.enrichments — by search and in the event's detail — on SQLite, Elasticsearch and
 * OpenSearch; an event that matched nothing carries none, and free-text search still finds the
 * rewritten document.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOPICS, type Bus } from '../../core/bus/bus';
import { createEmbeddedBus } from '../../core/bus/embedded';
import { silentLogger } from '../../core/log';
import { createSqliteStore } from '../../core/store/sqlite';
import type { Store } from '../../core/store/store';
import { startIndexer, type Indexer } from '../../indexer/indexer';
import { startIntel, type IntelConsumer } from '../../intel/consumer';
import { storeIndicators } from '../../intel/importer';
import { importCsv } from '../../intel/importers/csv';
import { LINES, SHA, stampedEvent, sysmon } from '../../intel/testkit';
import { waitFor } from '../helpers/canhgac';
import { searchNodeForTests } from '../helpers/search-node';
import { startElasticsearch, startOpenSearch } from '../infra/servers';

jest.setTimeout(180_000);

const es = searchNodeForTests('ie', startElasticsearch);
const os = searchNodeForTests('io', startOpenSearch);
const STORES: [string, () => Store][] = [
  ['sqlite', () => createSqliteStore({ path: path.join(mkdtempSync(path.join(tmpdir(), 'canhgac-intel-enrich-')), 'store.db') })],
  ['elasticsearch', () => es.open()],
  ['opensearch', () => os.open()],
];

type Stored = Record<string, unknown> & { threat?: { enrichments?: { matched: { field: string; atomic: string }; indicator: { type: string; description?: string } }[] } };

describe.each(STORES)('on %s', (_name, open) => {
  let store: Store;
  let bus: Bus;
  let indexer: Indexer;
  let intel: IntelConsumer;
  const publish = async (ev: Record<string, unknown>) => bus.publish(TOPICS.events, [{ key: 'so-a/x', value: ev }]);
  const stored = async (id: string) => (await store.getEvents([id], ['so-a']))[0] as Stored | undefined;

  beforeAll(async () => {
    store = open();
    await store.init();
    bus = createEmbeddedBus({ dir: mkdtempSync(path.join(tmpdir(), 'canhgac-intel-bus-')) });
    indexer = await startIndexer({ bus, store, logger: silentLogger });
    await storeIndicators(store, importCsv(`type,value,description\nipv4,203.0.113.80,C2 of the outbreak\nsha256,${SHA},Emotet loader\n`), { tenant: null, source: 'VNCERT', ttlMs: 86_400_000, now: new Date() });
    intel = await startIntel({ bus, store, logger: silentLogger, reloadMs: 200, enrichMs: 100 });
  });
  afterAll(async () => {
    await intel?.stop();
    await indexer?.stop();
    await bus?.close();
    await store?.close();
  });

  test('the stored event that matched carries threat.enrichments, found by search and in its detail; one that matched nothing carries none', async () => {
    const hit = stampedEvent('so-a', LINES.firewall('10.10.5.23', '203.0.113.80'));
    const av = stampedEvent('so-a', sysmon('WS-042.so-a.local', SHA));
    const clean = stampedEvent('so-a', LINES.firewall('10.10.5.24', '198.51.100.1'));
    for (const ev of [hit, av, clean]) await publish(ev);

    const fw = await waitFor('the firewall event enriched', async () => (await stored(hit.event.id))?.threat?.enrichments);
    expect(fw.map((e) => [e.matched.field, e.matched.atomic, e.indicator.type, e.indicator.description])).toEqual([['destination.ip', '203.0.113.80', 'ipv4-addr', 'C2 of the outbreak']]);
    const file = await waitFor('the Sysmon event enriched', async () => (await stored(av.event.id))?.threat?.enrichments);
    expect(file[0].matched).toMatchObject({ field: 'process.hash.sha256', atomic: SHA });
    await waitFor('the clean event stored', () => stored(clean.event.id));
    expect((await stored(clean.event.id))?.threat).toBeUndefined();

    // search: the enriched ones by field, and the rewritten document still by its own words
    const page = await store.searchEvents({ q: 'threat.enrichments:*', tenants: ['so-a'] });
    expect(page.items.map((e) => e.event.id).sort()).toEqual([hit.event.id, av.event.id].sort());
    expect((await store.searchEvents({ q: 'FG100F AND 10.10.5.23', tenants: ['so-a'] })).items.map((e) => e.event.id)).toEqual([hit.event.id]);
    // the event as sent is kept beside the enrichment, and it is the same as the alert's
    expect(await stored(hit.event.id)).toMatchObject({ destination: { ip: '203.0.113.80' }, organization: { id: 'so-a' } });
    expect(intel.enrichment).toMatchObject({ enriched: 2, givenUp: 0 });
  });

  test('an event found by retro-hunt is enriched too, and a match seen again is not added twice', async () => {
    const late = stampedEvent('so-a', LINES.dns('10.10.7.8', 'cdn.late.example'));
    await publish(late);
    await waitFor('the DNS event stored', () => stored(late.event.id));
    await waitFor('the DNS event searchable', async () => (await store.searchEvents({ q: 'dns.question.name:"cdn.late.example"', tenants: ['so-a'] })).total === 1);
    await storeIndicators(store, importCsv('type,value\ndomain,late.example\n'), { tenant: null, source: 'VNCERT', ttlMs: 86_400_000, now: new Date() });
    await intel.refresh();
    const got = await waitFor('the DNS event enriched', async () => (await stored(late.event.id))?.threat?.enrichments);
    expect(got.map((e) => [e.matched.field, e.matched.atomic])).toEqual([['dns.question.name', 'cdn.late.example']]);
    // the same event again on the topic (a redelivery): still one enrichment
    const before = intel.enrichment.enriched;
    await publish(late);
    await waitFor('the redelivered match written', () => intel.enrichment.enriched > before);
    expect((await stored(late.event.id))?.threat?.enrichments).toHaveLength(1);
  });
});
