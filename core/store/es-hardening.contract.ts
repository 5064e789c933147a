/**
 * What an agency's payload must not be able to do to the Elasticsearch/OpenSearch store (#11, "not yet
 * tried"): put its events into another agency's searches through a literal "organization.id" key, or
 * make documents be refused (too deep, poison keys, a mapping explosion) — for itself or for others.
 */
import { newId, type EcsEvent } from '../event';
import { FIELDS_TAG } from './es-document';
import { manyFields, nested } from './hostile-docs.contract';
import { DEPTH_TAG } from './json-depth';
import type { Store } from './store';

const ev = (tenant: string, second: number, fields: Record<string, unknown>): EcsEvent =>
  ({ '@timestamp': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(), organization: { id: tenant }, event: { id: newId(), kind: 'event', dataset: 'x' }, ...fields }) as EcsEvent;

const userName = (e: EcsEvent) => (e as { user?: { name?: string } }).user?.name;

export function describeSearchStoreHardening(name: string, open: () => Store): void {
  describe(`hostile payloads on ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = open();
      await store.init();
    });
    afterEach(async () => {
      await store.close();
    });

    test('a payload\'s "organization.id" look-alike keys never put its event in another agency\'s searches', async () => {
      const own = ev('a', 1, { message: 'of agency a', source: { ip: '1.1.1.1' } });
      const forged = ev('b', 2, {
        'organization.id': 'a',
        'organization.id.keyword': 'a',
        'organization.name': 'Sở A',
        message: 'of agency b, claiming a',
        source: { ip: '2.2.2.2' },
      }) as EcsEvent & Record<string, unknown>;
      forged.organization = { id: 'b', 'id.keyword': 'a' } as never;
      await store.putEvents([own, forged]);
      const a = { tenants: ['a'] };
      expect((await store.searchEvents(a)).items.map((e) => e.message)).toEqual(['of agency a']);
      expect(await store.countEvents(['a'])).toBe(1);
      expect(await store.topValues(a, 'source.ip', 10)).toEqual([{ value: '1.1.1.1', count: 1 }]);
      expect((await store.histogram(a, 60_000)).reduce((n, b) => n + b.count, 0)).toBe(1);
      expect((await store.searchEvents({ tenants: null, q: 'organization.id:a' })).total).toBe(1);
      expect((await store.sourceActivity({ tenants: null, since: '2025-01-01T00:00:00.000Z' })).map((s) => [s.tenant, s.count]).sort()).toEqual([['a', 1], ['b', 1]]);
      // agency b still sees its event as it was sent
      const [back] = (await store.searchEvents({ tenants: ['b'] })).items as (EcsEvent & Record<string, unknown>)[];
      expect(back.organization).toEqual({ id: 'b', 'id.keyword': 'a' });
      expect(back['organization.id']).toBe('a');
      expect(back['organization.name']).toBe('Sở A');
    });

    test('an event nested 3000 deep is stored and found, tagged; the agency\'s searches still answer', async () => {
      await store.putEvents([ev('a', 1, { user: { name: 'root' } }), ev('a', 2, { payload: nested(3000), user: { name: 'deep' } })]);
      expect(await store.countEvents(['a'])).toBe(2);
      expect((await store.searchEvents({ tenants: ['a'], q: `tags:${DEPTH_TAG}` })).items.map((e) => userName(e))).toEqual(['deep']);
      expect((await store.topValues({ tenants: ['a'] }, 'user.name', 10)).length).toBe(2);
      expect((await store.eventFields(['a'], 10)).map((f) => f.field)).toContain('user.name');
    });

    test('"__proto__" and "constructor" keys are stored and read back without failing any search', async () => {
      const evil = JSON.parse('{"x":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}},"user":{"name":"evil"}}') as Record<string, unknown>;
      await store.putEvents([ev('a', 1, { user: { name: 'plain' } }), ev('a', 2, evil)]);
      const page = await store.searchEvents({ tenants: ['a'] });
      expect(page.items.map((e) => userName(e))).toEqual(['evil', 'plain']);
      const back = page.items[0] as unknown as { x: Record<string, unknown> };
      expect(Object.keys(back.x)).toEqual(['__proto__', 'constructor']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await store.searchEvents({ tenants: ['a'], q: 'user.name:evil' })).total).toBe(1);
    });

    test('one agency\'s event with thousands of field names is stored, and other agencies\' new fields are still indexed', async () => {
      await store.putEvents([ev('b', 1, { explosion: manyFields(6000), message: 'boom' })]);
      await store.putEvents([ev('b', 2, { more: manyFields(4000) })]);
      await store.putEvents([ev('a', 3, { fresh: { field: 'value-a' } })]);
      expect(await store.countEvents(['b'])).toBe(2);
      const [boom] = (await store.searchEvents({ tenants: ['b'], q: 'boom' })).items as unknown as { explosion: Record<string, string>; tags: string[] }[];
      expect(Object.keys(boom.explosion)).toHaveLength(6000);
      expect(boom.tags).toContain(FIELDS_TAG);
      expect((await store.searchEvents({ tenants: ['a'], q: 'fresh.field:value-a' })).total).toBe(1);
    });

    test('a search, count or dashboard read whose client gave up is abandoned (the request is aborted, so the cluster cancels it)', async () => {
      await store.putEvents([ev('a', 1, { user: { name: 'root' } })]);
      const gone = new AbortController();
      gone.abort();
      const q = { tenants: ['a'] };
      await expect(store.searchEvents(q, { signal: gone.signal })).rejects.toThrow(/abort/i);
      await expect(store.countEvents(['a'], { signal: gone.signal })).rejects.toThrow(/abort/i);
      await expect(store.histogram(q, 60_000, { signal: gone.signal })).rejects.toThrow(/abort/i);
      const leaving = new AbortController();
      const pending = store.topValues(q, 'user.name', 5, { signal: leaving.signal });
      leaving.abort();
      await expect(pending).rejects.toThrow(/abort/i);
      expect(await store.topValues(q, 'user.name', 5)).toEqual([{ value: 'root', count: 1 }]);
    });

    test('an event whose shape clashes with the mapping is stored with its fields unindexed, not dropped', async () => {
      await store.putEvents([ev('a', 1, { user: { name: 'root' } })]);
      await store.putEvents([ev('a', 2, { user: 'root-as-text' })]);
      expect(await store.countEvents(['a'])).toBe(2);
      const [clash] = (await store.searchEvents({ tenants: ['a'], q: `tags:${FIELDS_TAG}` })).items;
      expect(clash.user).toBe('root-as-text');
      expect(await store.listDeadLetters({ tenants: ['a'] })).toEqual([]);
    });
  });
}
