/**
 * The Elasticsearch Store against a real node (deploy/local/infra.sh, started through test/infra
 * when none runs on 127.0.0.1:9200 and CANHGAC_TEST_ELASTICSEARCH_URL is unset).
 */
import net from 'node:net';
import { startElasticsearch } from '../../test/infra/servers';
import { newId } from '../event';
import { createElasticsearchStore } from './elasticsearch';
import { describeStoreContract } from './store.contract';

jest.setTimeout(120_000);

let url = '';
// Each test gets its own index prefix, so a node reused across runs starts clean for us.
const run = `t${Date.now().toString(36)}${process.pid}`;
let n = 0;
const prefixes: string[] = [];

beforeAll(async () => {
  url = await startElasticsearch();
}, 15 * 60_000);

afterAll(async () => {
  if (!url) return;
  // wildcard deletes are refused by default (action.destructive_requires_name), so delete by name
  for (const p of prefixes) {
    const names = Object.keys((await (await fetch(`${url}/${p}-*`)).json()) as object);
    if (names.length) await fetch(`${url}/${names.join(',')}`, { method: 'DELETE' });
  }
  await fetch(`${url}/_index_template/${run}-*`, { method: 'DELETE' }).catch(() => undefined);
});

const open = (extra: Partial<Parameters<typeof createElasticsearchStore>[0]> = {}) => {
  const indexPrefix = `${run}-${++n}`;
  prefixes.push(indexPrefix);
  return createElasticsearchStore({ url, indexPrefix, ...extra });
};

describeStoreContract('elasticsearch', () => open());

describe('Elasticsearch store', () => {
  test('rejects a config without a URL or with a bad index prefix, naming the field', () => {
    expect(() => createElasticsearchStore({ url: 'localhost:9200' })).toThrow(/store\.elasticsearch\.url: "localhost:9200" is not an http\(s\) URL/);
    expect(() => createElasticsearchStore({ url: 'http://127.0.0.1:9200', indexPrefix: 'Canhgac' })).toThrow(/store\.elasticsearch\.index_prefix/);
  });

  test('events land in daily indices by @timestamp, and retention deletes whole days past the limit', async () => {
    const store = open({ retentionDays: 30 });
    await store.init();
    const ev = (ts: string) => ({ '@timestamp': ts, organization: { id: 'a' }, event: { id: newId(), kind: 'event' }, message: 'x' });
    await store.putEvents([ev('2026-03-01T10:00:00.000Z'), ev('2026-03-02T10:00:00.000Z'), ev('2026-04-15T10:00:00.000Z')]);
    const prefix = prefixes[prefixes.length - 1];
    const names = async () => Object.keys((await (await fetch(`${url}/${prefix}-events-*`)).json()) as object).sort();
    expect(await names()).toEqual([`${prefix}-events-2026.03.01`, `${prefix}-events-2026.03.02`, `${prefix}-events-2026.04.15`]);
    const deleted = await store.applyRetention(Date.parse('2026-04-01T12:00:00.000Z'));
    expect(deleted.sort()).toEqual([`${prefix}-events-2026.03.01`]);
    expect(await store.countEvents(null)).toBe(2);
    await store.close();
  });

  test('an event whose shape clashes with the mapping is kept as a dead letter with the reason, not dropped', async () => {
    const store = open();
    await store.init();
    const ok = { '@timestamp': '2026-01-01T00:00:00.000Z', organization: { id: 'a' }, event: { id: newId() }, user: { name: 'root' } };
    const clash = { '@timestamp': '2026-01-01T00:00:01.000Z', organization: { id: 'a' }, event: { id: newId() }, user: 'root' };
    await store.putEvents([ok]);
    await store.putEvents([clash]);
    expect(await store.countEvents(null)).toBe(1);
    const dead = await store.listDeadLetters({ tenants: ['a'] });
    expect(dead).toHaveLength(1);
    expect(dead[0].reason).toMatch(/Elasticsearch refused the event: .*user/);
    expect(JSON.parse(dead[0].original).event.id).toBe(clash.event.id);
    await store.close();
  });

  test('a word where numbers were seen first is still stored and found by free text', async () => {
    const store = open();
    await store.init();
    await store.putEvents([
      { '@timestamp': '2026-01-01T00:00:00.000Z', organization: { id: 'a' }, event: { id: newId() }, winlog: { event_id: 4625 } },
      { '@timestamp': '2026-01-01T00:00:01.000Z', organization: { id: 'a' }, event: { id: newId() }, winlog: { event_id: 'logon-failed' } },
    ]);
    expect((await store.searchEvents({ q: 'winlog.event_id:>=4000', tenants: null })).total).toBe(1);
    expect((await store.searchEvents({ q: 'winlog.event_id:logon*', tenants: null })).total).toBe(1);
    expect((await store.searchEvents({ q: 'logon', tenants: null })).total).toBe(1);
    await store.close();
  });
});

/** A TCP relay to the real node that can be cut and restored, so the store sees Elasticsearch go away and come back. */
function relay(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server!.close(() => resolve());
    });
  return { up, down, url: () => `http://127.0.0.1:${port}` };
}

test('a write during an Elasticsearch outage waits, and lands exactly once when it is back', async () => {
  const r = relay(new URL(url));
  await r.up();
  const store = open({ url: r.url(), maxRetries: 12 });
  await store.init();
  const events = Array.from({ length: 50 }, (_, i) => ({ '@timestamp': '2026-02-01T00:00:00.000Z', organization: { id: 'a' }, event: { id: newId() }, message: `e${i}` }));
  await store.putEvents(events.slice(0, 10));
  await r.down();
  let settled = false;
  const write = store.putEvents(events).finally(() => (settled = true));
  await new Promise((res) => setTimeout(res, 2000));
  expect(settled).toBe(false);
  await r.up();
  await write;
  expect(await store.countEvents(['a'])).toBe(50);
  await store.close();
  await r.down();
});
