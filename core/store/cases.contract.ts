/**
 * The behaviour every case repository must have, run on each store:
 *   describeCaseContract('sqlite', () => createSqliteStore({ path: ':memory:' }))
 */
import type { Case } from '../../alerting/cases-model';
import { ConflictError, type Store } from './store';

export function caseOf(id: string, tenant: string, over: Partial<Case> = {}): Case {
  const at = over.updated ?? '2026-12-01T10:00:00.000Z';
  return {
    id, tenant, title: `case ${id}`, description: '', assignee: null, status: 'new', resolution: null, severity: 'high', tlp: 'AMBER',
    incidents: [], observables: [], comments: [], history: [{ at, actor: 'an', action: 'created', from: null, to: id }],
    created: at, createdBy: 'an', updated: at, version: 1, ...over,
  };
}

export function describeCaseContract(name: string, factory: () => Promise<Store> | Store): void {
  describe(`Case repository contract: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await factory();
      await store.init();
    });
    afterAll(async () => {
      await store.close();
    });

    test('a case is stored whole and read back only within its agency', async () => {
      const c = caseOf('c-whole', 'so-a', {
        incidents: ['inc-1', 'inc-2'],
        observables: [{ id: 'o1', type: 'ip', value: '203.0.113.7', note: 'the attacker', tags: ['c2'], added: '2026-12-01T10:00:00.000Z', by: 'an', incidentId: 'inc-1' }],
        comments: [{ id: 'm1', at: '2026-12-01T10:01:00.000Z', author: 'an', text: 'Đã chặn trên tường lửa' }],
      });
      await store.cases.saveCase(c, null);
      expect(await store.cases.getCase('c-whole', null)).toEqual(c);
      expect(await store.cases.getCase('c-whole', ['so-a'])).toEqual(c);
      expect(await store.cases.getCase('c-whole', ['so-b'])).toBeNull();
      expect(await store.cases.getCase('c-whole', [])).toBeNull();
      expect(await store.cases.getCase('c-none', null)).toBeNull();
    });

    test('creating an id twice, or saving over a version someone else changed, is a conflict and keeps the stored case', async () => {
      const c = caseOf('c-ver', 'so-a');
      await store.cases.saveCase(c, null);
      await expect(store.cases.saveCase({ ...c, title: 'again' }, null)).rejects.toBeInstanceOf(ConflictError);
      await store.cases.saveCase({ ...c, title: 'second', version: 2 }, 1);
      await expect(store.cases.saveCase({ ...c, title: 'stale', version: 2 }, 1)).rejects.toBeInstanceOf(ConflictError);
      await expect(store.cases.saveCase({ ...caseOf('c-missing', 'so-a'), version: 2 }, 1)).rejects.toBeInstanceOf(ConflictError);
      // a case cannot be moved to another agency by saving it under the other's name
      await expect(store.cases.saveCase({ ...c, tenant: 'so-b', version: 3 }, 2)).rejects.toBeInstanceOf(ConflictError);
      expect(await store.cases.getCase('c-ver', null)).toMatchObject({ title: 'second', version: 2, tenant: 'so-a' });
    });

    test('listing: the scope, status, assignee and linked incident filter; last updated first; paged with the total', async () => {
      const t = (m: number) => `2026-12-02T10:${String(m).padStart(2, '0')}:00.000Z`;
      await store.cases.saveCase(caseOf('l-1', 'so-l', { updated: t(1), status: 'new', incidents: ['inc-x'] }), null);
      await store.cases.saveCase(caseOf('l-2', 'so-l', { updated: t(3), status: 'in_progress', assignee: 'minh', incidents: ['inc-x', 'inc-y'] }), null);
      await store.cases.saveCase(caseOf('l-3', 'so-l', { updated: t(2), status: 'closed', resolution: 'contained' }), null);
      await store.cases.saveCase(caseOf('l-4', 'so-m', { updated: t(4), incidents: ['inc-x'] }), null);
      const ids = (r: { items: Case[] }) => r.items.map((c) => c.id);
      expect(ids(await store.cases.listCases({ tenants: ['so-l'] }))).toEqual(['l-2', 'l-3', 'l-1']);
      expect((await store.cases.listCases({ tenants: ['so-l'] })).total).toBe(3);
      expect(ids(await store.cases.listCases({ tenants: ['so-l', 'so-m'], incidentId: 'inc-x' }))).toEqual(['l-4', 'l-2', 'l-1']);
      expect(ids(await store.cases.listCases({ tenants: ['so-l'], status: ['new', 'in_progress'] }))).toEqual(['l-2', 'l-1']);
      expect(ids(await store.cases.listCases({ tenants: ['so-l'], assignee: 'minh' }))).toEqual(['l-2']);
      const page = await store.cases.listCases({ tenants: ['so-l'], limit: 1, offset: 1 });
      expect([ids(page), page.total]).toEqual([['l-3'], 3]);
      expect(await store.cases.listCases({ tenants: [] })).toEqual({ items: [], total: 0 });
      expect(ids(await store.cases.listCases({ tenants: null, incidentId: 'inc-y' }))).toEqual(['l-2']);
      // a status change is seen by the status filter
      const l1 = (await store.cases.getCase('l-1', null))!;
      await store.cases.saveCase({ ...l1, status: 'closed', version: 2, updated: t(5) }, 1);
      expect(ids(await store.cases.listCases({ tenants: ['so-l'], status: ['closed'] }))).toEqual(['l-1', 'l-3']);
    });
  });
}
