/**
 * The agency scope on the Elasticsearch store (the SQLite one is tenancy.test.ts and the
 * matrix): a user scoped to so-a sees none of so-b's events, counts, top values, field names,
 * export rows, dashboard series, sources, alerts, incidents, notifications or dead letters.
 */
import { searchNodeForTests } from '../../test/helpers/search-node';
import { startElasticsearch } from '../../test/infra/servers';
import { OTHER, SAMPLES, startKit, type Caller, type Kit } from './testkit';

jest.setTimeout(120_000);
const { open } = searchNodeForTests('scope', startElasticsearch);

let kit: Kit;
const who = (u: string): Caller => kit.callers.find((c) => c.username === u)!;
beforeAll(async () => {
  kit = await startKit(() => open());
});
afterAll(() => kit?.close());

const READS = ['GET /api/incidents', 'GET /api/incidents/export', 'GET /api/events', 'GET /api/events/histogram', 'GET /api/events/top', 'GET /api/events/export', 'GET /api/fields', 'GET /api/alerts', 'GET /api/dead-letters', 'GET /api/notifications', 'GET /api/dashboard', 'GET /api/sources'];

test('every read of a so-a analyst carries nothing of so-b; a provincial analyst sees so-b', async () => {
  const problems: string[] = [];
  for (const route of READS) {
    const { url } = SAMPLES[route](kit).own;
    const mine = await kit.call(who('analyst-a'), 'GET', url);
    if (mine.status !== 200) problems.push(`${route}: ${mine.status} ${mine.text.slice(0, 120)}`);
    if (OTHER.test(mine.text)) problems.push(`${route}: shows so-b to so-a: ${mine.text.match(/.{0,60}(so-b|bbbb).{0,60}/)?.[0]}`);
  }
  expect(problems).toEqual([]);
  expect((await kit.call(who('analyst-prov'), 'GET', '/api/events')).body.total).toBe(5);
});

test('counts and suggestions of a so-a analyst are so-a alone', async () => {
  const get = (url: string) => kit.call(who('analyst-a'), 'GET', url);
  expect((await get('/api/events')).body.total).toBe(3);
  const sum = (b: { buckets: { count: number }[] }) => b.buckets.reduce((n, x) => n + x.count, 0);
  expect(sum((await get('/api/events/histogram')).body)).toBe(3);
  expect((await get('/api/events/top?field=organization.id')).body.values).toEqual([{ value: 'so-a', count: 3 }]);
  expect((await get('/api/events/top?field=bbbb_only.field')).body.values).toEqual([]);
  expect((await get('/api/fields?prefix=bbbb')).body.items).toEqual([]);
  expect(JSON.parse((await get('/api/events/export?format=json')).text)).toHaveLength(3);
});

test("what Elasticsearch refuses (counting a text field, a page past its result window) is a 400 without the cluster's index names", async () => {
  for (const url of ['/api/events/top?field=canhgac_text', '/api/events?offset=19990&limit=100']) {
    const r = await kit.call(who('analyst-a'), 'GET', url);
    expect([r.status, r.body.error]).toEqual([400, expect.stringMatching(/: the search cluster cannot run this request as asked \(illegal argument exception\); narrow/)]);
    expect(r.text).not.toMatch(/-events-|Caused by|exception:/);
  }
});
