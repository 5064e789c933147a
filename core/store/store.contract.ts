/**
 * The behaviour every Store must have. Run against each backend:
 *   describeStoreContract('sqlite', () => createSqliteStore({ path: ':memory:' }))
 */
import type { EcsEvent } from '../event';
import { newId } from '../event';
import type { Incident } from '../model';
import { ConflictError, type Store } from './store';

function ev(tenant: string, ts: string, fields: Record<string, unknown>): EcsEvent {
  return {
    '@timestamp': ts,
    organization: { id: tenant },
    ...fields,
    event: { id: newId(), kind: 'event', ...(fields.event as object) },
  } as EcsEvent;
}

export function describeStoreContract(name: string, factory: () => Promise<Store> | Store): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory();
      await store.init();
    });
    afterEach(async () => {
      await store.close();
    });

    test('writing the same event twice stores it once', async () => {
      const e = ev('a', '2026-01-01T00:00:00.000Z', { message: 'hello' });
      await store.putEvents([e]);
      await store.putEvents([e, e]);
      expect((await store.searchEvents({ tenants: null })).total).toBe(1);
    });

    test('search by field, wildcard, range, phrase, boolean and free text, newest first', async () => {
      await store.putEvents([
        ev('a', '2026-01-01T00:00:01.000Z', { source: { ip: '10.0.0.5' }, user: { name: 'root' }, event: { category: ['authentication'], outcome: 'failure' }, message: 'Failed password for root' }),
        ev('a', '2026-01-01T00:00:02.000Z', { source: { ip: '10.0.0.6' }, user: { name: 'alice' }, event: { category: ['authentication'], outcome: 'success' }, message: 'Accepted password for alice' }),
        ev('a', '2026-01-01T00:00:03.000Z', { http: { response: { status_code: 404 } }, url: { original: '/etc/passwd' }, message: 'GET /etc/passwd' }),
        ev('a', '2026-01-01T00:00:04.000Z', { http: { response: { status_code: 200 } }, message: 'GET /index.html' }),
      ]);
      const ids = async (q: string) => (await store.searchEvents({ q, tenants: null })).items.map((e) => e['@timestamp'].slice(17, 19));
      expect(await ids('source.ip:10.0.0.5')).toEqual(['01']);
      expect(await ids('user.name:ROOT')).toEqual(['01']);
      expect(await ids('user.name:al*')).toEqual(['02']);
      expect(await ids('event.category:authentication')).toEqual(['02', '01']);
      expect(await ids('event.category:authentication AND NOT event.outcome:success')).toEqual(['01']);
      expect(await ids('event.outcome:success OR http.response.status_code:404')).toEqual(['03', '02']);
      expect(await ids('http.response.status_code:>=400')).toEqual(['03']);
      expect(await ids('http.response.status_code:[100 TO 299]')).toEqual(['04']);
      expect(await ids('"Failed password"')).toEqual(['01']);
      expect(await ids('passwd')).toEqual(['03']);
      expect(await ids('url.original:*')).toEqual(['03']);
      expect(await ids('-http.response.status_code:* user.name:*')).toEqual(['02', '01']);
    });

    test('field queries: odd characters, Vietnamese, case, numbers and strings, arrays, wildcards, IP and port ranges, exists, NOT', async () => {
      await store.putEvents([
        ev('a', '2026-01-01T00:00:01.000Z', {
          source: { ip: '10.0.0.5', port: 51514 }, destination: { ip: '192.168.1.10', port: 22 }, host: { name: 'WEB-01' }, event: { code: '4625', dataset: 'windows.security' },
          user: { name: 'nguyen.van.duc', full_name: 'Nguyễn Văn Đức' }, process: { executable: 'C:\\Windows\\System32\\cmd.exe' }, tags: ['vpn', 'ngoài giờ'], message: 'Đăng nhập thất bại',
        }),
        ev('a', '2026-01-01T00:00:02.000Z', {
          source: { ip: '10.0.1.7', port: 443 }, destination: { ip: '10.0.0.9', port: 3389 }, host: { name: 'web-02' }, event: { code: '4624', dataset: 'windows.security' },
          user: { name: 'tran.thi.mai' }, url: { original: '/tìm kiếm?q=a&b="c d"' }, tags: ['vpn'], message: 'Đăng nhập thành công',
        }),
        ev('a', '2026-01-01T00:00:03.000Z', { source: { ip: '192.168.1.1', port: 1023 }, host: { name: 'db-01' }, http: { response: { status_code: 4625 } }, message: 'other' }),
        ev('b', '2026-01-01T00:00:04.000Z', { source: { ip: '10.0.0.6', port: 60000 }, host: { name: 'web-01' }, user: { full_name: 'Nguyễn Văn Đức' }, message: 'Đăng nhập thất bại' }),
      ]);
      const ids = async (q: string, tenants: string[] | null = ['a']) => (await store.searchEvents({ q, tenants })).items.map((e) => e['@timestamp'].slice(17, 19));
      expect(await ids('process.executable:"C:\\\\Windows\\\\System32\\\\cmd.exe"')).toEqual(['01']);
      expect(await ids('url.original:"/tìm kiếm?q=a&b=\\"c d\\""')).toEqual(['02']);
      expect(await ids('user.full_name:"Nguyễn Văn Đức"', null)).toEqual(['04', '01']);
      expect(await ids('user.full_name:"nGUYễN văN ĐứC"')).toEqual(['01']); // ASCII letters in any case…
      expect(await ids('user.full_name:"nguyễn văn đức"')).toEqual([]); // …other letters (Đ, Ă) as written
      expect(await ids('user.full_name:"Nguyen Van Duc"')).toEqual([]); // a field value is matched whole: diacritics count
      expect(await ids('tags:"ngoài giờ"')).toEqual(['01']);
      expect(await ids('tags:vpn')).toEqual(['02', '01']);
      expect(await ids('host.name:web-01', null)).toEqual(['04', '01']);
      expect(await ids('host.name:web*')).toEqual(['02', '01']);
      expect(await ids('host.name:*-01')).toEqual(['03', '01']);
      expect(await ids('host.name:w?b-0*')).toEqual(['02', '01']);
      expect(await ids('event.code:4625')).toEqual(['01']); // a string code
      expect(await ids('http.response.status_code:4625')).toEqual(['03']); // a number
      expect(await ids('source.port:[1024 TO 65535]')).toEqual(['01']);
      expect(await ids('source.port:<1024')).toEqual(['03', '02']);
      expect(await ids('destination.port:>=3389')).toEqual(['02']);
      // an IP is a keyword in every store: a range compares text, so bounds are written to the same length
      expect(await ids('source.ip:[10.0.0.0 TO 10.0.0.99]', null)).toEqual(['04', '01']);
      expect(await ids('source.ip:10.0.1.7 OR destination.ip:10.0.0.9')).toEqual(['02']);
      expect(await ids('user.full_name:*')).toEqual(['01']);
      expect(await ids('NOT user.name:*')).toEqual(['03']);
      expect(await ids('event.dataset:windows.security -event.code:4624')).toEqual(['01']);
      expect(await ids('nothing.here:*')).toEqual([]);
      expect(await ids('nothing.here:x OR host.name:db-01')).toEqual(['03']);
      // with free text and a time range
      expect(await ids('"thất bại" AND source.port:>1024', null)).toEqual(['04', '01']);
      expect((await store.searchEvents({ q: 'host.name:web*', tenants: null, from: '2026-01-01T00:00:02.000Z', to: '2026-01-01T00:00:04.000Z' })).items.map((e) => e['@timestamp'].slice(17, 19))).toEqual(['02']);
      expect(await store.topValues({ q: 'event.dataset:windows.security', tenants: ['a'] }, 'host.name', 5)).toEqual([
        { value: 'WEB-01', count: 1 },
        { value: 'web-02', count: 1 },
      ]);
      const fields = (await store.eventFields(['a'], 100)).map((f) => f.field);
      expect(fields).toEqual(expect.arrayContaining(['user.full_name', 'process.executable', 'tags', 'source.port']));
      expect(fields).not.toContain('source'); // leaves, not their objects
    });

    test('time range, paging and total', async () => {
      const events = Array.from({ length: 30 }, (_, i) => ev('a', new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), { message: `n${i}` }));
      await store.putEvents(events);
      const page = await store.searchEvents({ tenants: null, from: '2026-01-01T00:00:10.000Z', to: '2026-01-01T00:00:20.000Z', limit: 4, offset: 2 });
      expect(page.total).toBe(10);
      expect(page.items.map((e) => e.message)).toEqual(['n17', 'n16', 'n15', 'n14']);
    });

    test('a tenant scope hides other tenants everywhere', async () => {
      await store.putEvents([ev('a', '2026-01-01T00:00:00.000Z', { message: 'x', source: { ip: '1.1.1.1' } }), ev('b', '2026-01-01T00:00:01.000Z', { message: 'x', source: { ip: '2.2.2.2' } })]);
      expect((await store.searchEvents({ tenants: ['a'] })).items.map((e) => e.organization?.id)).toEqual(['a']);
      expect((await store.searchEvents({ tenants: [] })).total).toBe(0);
      expect(await store.topValues({ tenants: ['b'] }, 'source.ip', 5)).toEqual([{ value: '2.2.2.2', count: 1 }]);
      expect(await store.countEvents(['a'])).toBe(1);
    });

    test('histogram and top values', async () => {
      await store.putEvents([
        ev('a', '2026-01-01T00:00:00.000Z', { source: { ip: '1.1.1.1' } }),
        ev('a', '2026-01-01T00:00:30.000Z', { source: { ip: '1.1.1.1' } }),
        ev('a', '2026-01-01T00:01:10.000Z', { source: { ip: '2.2.2.2' } }),
      ]);
      expect(await store.histogram({ tenants: null }, 60000)).toEqual([
        { t: '2026-01-01T00:00:00.000Z', count: 2 },
        { t: '2026-01-01T00:01:00.000Z', count: 1 },
      ]);
      expect(await store.topValues({ tenants: null }, 'source.ip', 10)).toEqual([
        { value: '1.1.1.1', count: 2 },
        { value: '2.2.2.2', count: 1 },
      ]);
    });

    test('incidents: optimistic versioning, open lookup, scoped listing', async () => {
      const now = '2026-01-01T00:00:00.000Z';
      const inc: Incident = {
        id: 'i1', tenant: 'a', rule: { id: 'r1', title: 'R', level: 'high', tags: [], references: [] }, severity: 'high', status: 'new', groupKey: 'k',
        title: 'R', summary: {}, count: 1, first_seen: now, last_seen: now, created: now, updated: now, version: 1,
      };
      await store.saveIncident(inc, null);
      await expect(store.saveIncident(inc, null)).rejects.toBeInstanceOf(ConflictError);
      await store.saveIncident({ ...inc, count: 2, version: 2 }, 1);
      await expect(store.saveIncident({ ...inc, count: 3, version: 2 }, 1)).rejects.toBeInstanceOf(ConflictError);
      expect((await store.findOpenIncident('a', 'r1', 'k', '2025-12-31T23:00:00.000Z'))?.count).toBe(2);
      expect(await store.findOpenIncident('b', 'r1', 'k', '2025-12-31T23:00:00.000Z')).toBeNull();
      expect(await store.getIncident('i1', ['b'])).toBeNull();
      expect((await store.listIncidents({ tenants: ['a'], status: ['new'] })).total).toBe(1);
      await store.saveIncident({ ...inc, status: 'resolved', version: 3 }, 2);
      expect(await store.findOpenIncident('a', 'r1', 'k', '2025-12-31T23:00:00.000Z')).toBeNull();
    });

    test('incidents: open lookup by a shared entity, within the tenant, the window and open ones only', async () => {
      const now = '2026-01-01T00:00:00.000Z';
      const inc: Incident = {
        id: 'e1', tenant: 'a', rule: { id: 'r1', title: 'R', level: 'high', tags: [], references: [] }, severity: 'high', status: 'new', groupKey: 'source_ip=203.0.113.7',
        title: 'R', summary: {}, count: 1, first_seen: now, last_seen: now, created: now, updated: now, version: 1, entityKeys: ['source_ip=203.0.113.7', 'user=root'],
      };
      await store.saveIncident(inc, null);
      const since = '2025-12-31T23:00:00.000Z';
      expect((await store.findOpenIncidentByEntity('a', ['host=x', 'user=root'], since))?.id).toBe('e1');
      expect((await store.findOpenIncidentByEntity('a', ['source_ip=203.0.113.7'], since))?.id).toBe('e1');
      expect(await store.findOpenIncidentByEntity('a', ['source_ip=203.0.113.8'], since)).toBeNull();
      expect(await store.findOpenIncidentByEntity('a', ['source_ip=203.0.113'], since)).toBeNull();
      expect(await store.findOpenIncidentByEntity('b', ['user=root'], since)).toBeNull();
      expect(await store.findOpenIncidentByEntity('a', ['user=root'], '2026-01-01T00:00:01.000Z')).toBeNull();
      expect(await store.findOpenIncidentByEntity('a', [], since)).toBeNull();
      await store.saveIncident({ ...inc, status: 'resolved', version: 2 }, 1);
      expect(await store.findOpenIncidentByEntity('a', ['user=root'], since)).toBeNull();
    });

    test('audit log chains hashes', async () => {
      const a = await store.appendAudit({ at: '2026-01-01T00:00:00.000Z', actor: 'admin', action: 'login' });
      const b = await store.appendAudit({ at: '2026-01-01T00:00:01.000Z', actor: 'admin', action: 'search', details: { q: 'x' } });
      expect(b.prevHash).toBe(a.hash);
      const all = await store.listAudit({});
      expect(all.map((e) => e.action)).toEqual(['login', 'search']);
      expect(all[1].hash).toBe(b.hash);
    });

    test("an agency reader's audit pages hold its entries alone, in order, however other agencies' interleave", async () => {
      // 20 entries: so-a's own, so-b's, provincial (no agencies), both agencies, and odd shapes of details.agencies
      const shapes: unknown[] = [['so-a'], ['so-b'], undefined, ['so-a', 'so-b'], ['so-a', 'so-a'], 'so-a', [], ['so-a', 5], ['so-b'], ['so-a']];
      for (let i = 0; i < 20; i++) {
        const agencies = shapes[i % shapes.length];
        await store.appendAudit({ at: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`, actor: 'u', action: `act${i}`, details: agencies === undefined ? { n: i } : { n: i, agencies } });
      }
      const actions = (page: { action: string }[]) => page.map((e) => e.action);
      const ownA = ['act0', 'act4', 'act7', 'act9', 'act10', 'act14', 'act17', 'act19'];
      const page1 = await store.listAudit({ agencies: ['so-a'], limit: 3 });
      expect(actions(page1)).toEqual(ownA.slice(0, 3));
      const page2 = await store.listAudit({ agencies: ['so-a'], limit: 3, afterSeq: page1[2].seq });
      expect(actions(page2)).toEqual(ownA.slice(3, 6));
      const page3 = await store.listAudit({ agencies: ['so-a'], limit: 3, afterSeq: page2[2].seq });
      expect(actions(page3)).toEqual(ownA.slice(6));
      expect(await store.listAudit({ agencies: ['so-a'], limit: 3, afterSeq: page3[1].seq })).toEqual([]);
      // an entry read through the filter is the chained entry as written
      const all = await store.listAudit({ limit: 100 });
      expect(all).toHaveLength(20);
      expect(page2[0]).toEqual(all.find((e) => e.action === 'act9'));
      expect(actions(await store.listAudit({ agencies: ['so-b', 'so-a'], limit: 100 }))).toEqual(actions(all.filter((e) => Array.isArray(e.details?.agencies) && (e.details!.agencies as unknown[]).some((a) => typeof a === 'string'))));
      expect(await store.listAudit({ agencies: [], limit: 100 })).toEqual([]);
      // newest first, paging back with beforeSeq: what the console opens on, without reading the log from its start
      const newest = await store.listAudit({ agencies: ['so-a'], limit: 3, order: 'desc' });
      expect(actions(newest)).toEqual(['act19', 'act17', 'act14']);
      expect(actions(await store.listAudit({ agencies: ['so-a'], limit: 3, order: 'desc', beforeSeq: newest[2].seq }))).toEqual(['act10', 'act9', 'act7']);
      expect(actions(await store.listAudit({ limit: 2, order: 'desc' }))).toEqual(['act19', 'act18']);
    });

    test('outbox: enqueue is idempotent and a claimed notification is not claimed twice', async () => {
      const n = {
        id: 'n1', incidentId: 'i1', tenant: 'a', route: 'default', channel: 'email', recipient: 'x@example.org', reason: 'opened', subject: 's', body: 'b',
        status: 'pending' as const, attempts: 0, nextAttemptAt: '2026-01-01T00:00:00.000Z', created: '2026-01-01T00:00:00.000Z',
      };
      expect(await store.enqueueNotification(n)).toBe(true);
      expect(await store.enqueueNotification(n)).toBe(false);
      expect((await store.claimDueNotifications('2026-01-01T00:00:01.000Z', 10)).map((x) => x.id)).toEqual(['n1']);
      expect(await store.claimDueNotifications('2026-01-01T00:00:01.000Z', 10)).toEqual([]);
      expect((await store.listNotifications({ tenants: ['a'] }))[0].status).toBe('sending');
    });

    test('users, tokens, sessions and state round-trip', async () => {
      await store.putTenant({ id: 'a', name: 'Sở A', created: 'x' });
      expect((await store.listTenants()).map((t) => t.name)).toEqual(['Sở A']);
      await store.putUser({ username: 'u', role: 'viewer', agencies: ['a'], passwordHash: 'h', created: 'x' });
      expect((await store.getUser('u'))?.agencies).toEqual(['a']);
      await store.putToken({ id: 't1', kind: 'ingest', subject: 'a', hash: 'abc', created: 'x' });
      expect((await store.findTokenByHash('abc'))?.subject).toBe('a');
      expect(await store.findTokenByHash('nope')).toBeNull();
      const future = new Date(Date.now() + 60000).toISOString();
      await store.putSession({ id: 's1', username: 'u', created: 'x', expires: future, csrf: 'c' });
      expect((await store.getSession('s1'))?.username).toBe('u');
      await store.deleteSession('s1');
      expect(await store.getSession('s1')).toBeNull();
      await store.putState('k', 'v1');
      await store.putState('k', 'v2');
      expect(await store.getState('k')).toBe('v2');
    });

    test('console additions: fields, histogram by value, source activity, alert statistics, related incidents', async () => {
      await store.putEvents([
        ev('a', '2026-01-01T00:00:00.000Z', { source: { ip: '1.1.1.1' }, log: { source: { address: '10.0.0.1' } }, event: { dataset: 'sshd' } }),
        ev('a', '2026-01-01T00:00:30.000Z', { source: { ip: '1.1.1.1' }, log: { source: { address: '10.0.0.1' } }, event: { dataset: 'sshd', kind: 'pipeline_error' } }),
        ev('a', '2026-01-01T00:01:10.000Z', { source: { ip: '2.2.2.2' }, user: { name: 'x' }, input: { type: 'http' } }),
        ev('b', '2026-01-01T00:01:20.000Z', { source: { ip: '3.3.3.3' }, host: { name: 'secret-host' } }),
      ]);
      const fields = await store.eventFields(['a'], 100);
      expect(fields.find((f) => f.field === 'source.ip')?.count).toBe(3);
      expect(fields.map((f) => f.field)).toContain('user.name');
      expect(fields.map((f) => f.field)).not.toContain('host.name');
      expect(await store.histogramBy({ tenants: ['a'] }, 60000, 'source.ip', 1)).toEqual([
        { t: '2026-01-01T00:00:00.000Z', value: '1.1.1.1', count: 2 },
        { t: '2026-01-01T00:01:00.000Z', value: 'other', count: 1 },
      ]);
      const act = await store.sourceActivity({ tenants: ['a'], since: '2025-12-31T00:00:00.000Z' });
      expect(act).toEqual([
        { tenant: 'a', source: '10.0.0.1', dataset: 'sshd', count: 2, failed: 1, last_seen: '2026-01-01T00:00:30.000Z' },
        { tenant: 'a', source: 'http', dataset: null, count: 1, failed: 0, last_seen: '2026-01-01T00:01:10.000Z' },
      ]);

      const now = '2026-01-01T00:00:00.000Z';
      const base = { rule: { id: 'r1', title: 'R', level: 'high', tags: [], references: [] }, severity: 'high' as const, status: 'new' as const, groupKey: 'k', title: 'R', count: 1, first_seen: now, last_seen: now, created: now, updated: now, version: 1 };
      await store.saveIncident({ ...base, id: 'i1', tenant: 'a', summary: { host: 'web1', source_ip: '1.1.1.1' } }, null);
      await store.saveIncident({ ...base, id: 'i2', tenant: 'a', summary: { source_ip: '1.1.1.1' } }, null);
      await store.saveIncident({ ...base, id: 'i3', tenant: 'b', summary: { host: 'web1' } }, null);
      await store.saveIncident({ ...base, id: 'i4', tenant: 'a', summary: { host: 'other' } }, null);
      const i1 = (await store.getIncident('i1', null))!;
      expect((await store.relatedIncidents(i1, ['a'], 10)).map((i) => i.id)).toEqual(['i2']);
      expect((await store.relatedIncidents(i1, null, 10)).map((i) => i.id).sort()).toEqual(['i2', 'i3']);

      const alert = (id: string, tenant: string, severity: 'high' | 'low', ts: string) => ({
        id, '@timestamp': ts, created: ts, tenant, rule: { id: `rule-${severity}`, title: `T ${severity}`, level: severity, tags: [], references: [] }, kind: 'rule' as const,
        severity, groupKey: 'g', groupBy: null, eventIds: [], summary: {},
      });
      await store.putAlerts([alert('a1', 'a', 'high', '2026-01-01T00:00:10.000Z'), alert('a2', 'a', 'high', '2026-01-01T00:01:10.000Z'), alert('a3', 'a', 'low', '2026-01-01T00:01:20.000Z'), alert('a4', 'b', 'low', '2026-01-01T00:01:20.000Z')]);
      const st = await store.alertStats({ tenants: ['a'], intervalMs: 60000, topRules: 5 });
      expect(st.bySeverity).toEqual([{ severity: 'high', count: 2 }, { severity: 'low', count: 1 }]);
      expect(st.byRule[0]).toMatchObject({ ruleId: 'rule-high', title: 'T high', count: 2 });
      expect(st.histogram).toEqual([
        { t: '2026-01-01T00:00:00.000Z', severity: 'high', count: 1 },
        { t: '2026-01-01T00:01:00.000Z', severity: 'high', count: 1 },
        { t: '2026-01-01T00:01:00.000Z', severity: 'low', count: 1 },
      ]);
      const page = await store.listAlertsPage({ tenants: ['b'], limit: 10, offset: 0 });
      expect([page.total, page.items.map((a) => a.id)]).toEqual([1, ['a4']]);
      // from an event back to the alerts raised on it: by exact id (ev-1 is not ev-10), in the caller's scope
      await store.putAlerts([
        { ...alert('a5', 'a', 'high', '2026-01-01T00:02:00.000Z'), eventIds: ['ev-1', 'ev-2'], incidentId: 'i1' },
        { ...alert('a6', 'b', 'low', '2026-01-01T00:02:30.000Z'), eventIds: ['ev-1'] },
        { ...alert('a7', 'a', 'low', '2026-01-01T00:03:00.000Z'), eventIds: ['ev-10'] },
      ]);
      expect((await store.listAlerts({ eventId: 'ev-1', tenants: ['a'] })).map((a) => [a.id, a.incidentId])).toEqual([['a5', 'i1']]);
      expect((await store.listAlerts({ eventId: 'ev-1', tenants: null })).map((a) => a.id)).toEqual(['a6', 'a5']);
      expect((await store.listAlerts({ eventId: 'ev-10', tenants: ['b'] })).map((a) => a.id)).toEqual([]);
      expect(await store.listAlerts({ eventId: 'ev-', tenants: null })).toEqual([]);
    });

    test('saved searches belong to their owner; rule settings round-trip', async () => {
      await store.putSavedSearch({ id: 's1', owner: 'an', name: 'SSH failures', q: 'event.outcome:failure', range: '24h', columns: ['source.ip'], created: 'x' });
      await store.putSavedSearch({ id: 's2', owner: 'binh', name: 'Other', q: '*', columns: [], created: 'x' });
      expect((await store.listSavedSearches('an')).map((s) => s.name)).toEqual(['SSH failures']);
      expect(await store.deleteSavedSearch('s1', 'binh')).toBe(false);
      expect(await store.deleteSavedSearch('s1', 'an')).toBe(true);
      expect(await store.listSavedSearches('an')).toEqual([]);
      await store.putRuleSetting({ ruleId: 'r1', disabledFor: ['a'], exception: 'user.name:svc', updated: 'x', by: 'an' });
      await store.putRuleSetting({ ruleId: 'r1', disabledFor: ['a', 'b'], exception: null, updated: 'y', by: 'an' });
      expect(await store.listRuleSettings()).toEqual([{ ruleId: 'r1', disabledFor: ['a', 'b'], exception: null, updated: 'y', by: 'an' }]);
    });

    test('websites: scoped by agency, replaced by id, deleted with their state', async () => {
      const site = (id: string, tenant: string, url: string) => ({ id, tenant, url, intervalS: 60, keywords: ['Cổng thông tin'], paused: false, created: '2026-01-01T00:00:00.000Z', by: 'an' });
      await store.putWebsite(site('w1', 'a', 'https://a.example/'));
      await store.putWebsite(site('w2', 'b', 'https://b.example/'));
      await store.putWebsite({ ...site('w1', 'a', 'https://a.example/'), paused: true });
      expect((await store.listWebsites(null)).map((w) => [w.id, w.paused])).toEqual([['w1', true], ['w2', false]]);
      expect((await store.listWebsites(['b'])).map((w) => w.id)).toEqual(['w2']);
      expect(await store.getWebsite('w1', ['b'])).toBeNull();
      expect((await store.getWebsite('w1', ['a']))?.keywords).toEqual(['Cổng thông tin']);
      await store.putWebsiteState({ siteId: 'w1', tenant: 'a', updated: 'x', doc: { checks: 3, lines: ['Trang chủ'] } });
      expect((await store.getWebsiteState('w1'))?.doc).toEqual({ checks: 3, lines: ['Trang chủ'] });
      expect(await store.deleteWebsite('w1', ['b'])).toBe(false);
      expect(await store.deleteWebsite('w1', null)).toBe(true);
      expect(await store.getWebsiteState('w1')).toBeNull();
      expect((await store.listWebsites(null)).map((w) => w.id)).toEqual(['w2']);
    });
    test('indicators: a re-import replaces by id, the scope sees shared and its own, expired ones are not loaded; blocklists per agency', async () => {
      const ind = (id: string, tenant: string | null, value: string, expires: string | null, updated = '2026-01-01T00:00:00.000Z') => ({
        id, type: 'ipv4' as const, value, tenant, source: 'cert', confidence: 80, first_seen: updated, last_seen: updated, expires, tags: ['c2'], description: null, created: updated, updated,
      });
      await store.putIndicators([ind('i1', null, '203.0.113.7', null), ind('i2', 'a', '198.51.100.1', '2026-06-01T00:00:00.000Z'), ind('i3', 'b', '192.0.2.9', '2026-01-02T00:00:00.000Z')]);
      await store.putIndicators([ind('i1', null, '203.0.113.7', null, '2026-01-03T00:00:00.000Z')]);
      const seen = async (tenants: string[] | null, extra: { q?: string; type?: string } = {}) => (await store.listIndicators({ tenants, ...extra })).items.map((i) => i.id);
      expect(await seen(null)).toEqual(['i1', 'i2', 'i3']);
      expect(await seen(['a'])).toEqual(['i1', 'i2']);
      expect(await seen(['a'], { q: '51.100' })).toEqual(['i2']);
      expect(await seen(null, { type: 'domain' })).toEqual([]);
      expect((await store.listIndicators({ tenants: null })).total).toBe(3);
      expect((await store.loadIndicators('2026-03-01T00:00:00.000Z')).map((i) => i.id).sort()).toEqual(['i1', 'i2']);
      const entry = (id: string, tenant: string, value: string, created: string) => ({ id, tenant, type: 'ip' as const, value, reason: 'c2', expires: null, added_by: 'an', created });
      await store.putBlocklistEntry(entry('b1', 'a', '203.0.113.7', '2026-01-01T00:00:00.000Z'));
      await store.putBlocklistEntry(entry('b2', 'b', '192.0.2.9', '2026-01-01T00:00:00.000Z'));
      await store.putBlocklistEntry({ ...entry('b1', 'a', '203.0.113.7', '2026-01-01T00:00:00.000Z'), reason: 'C2 of the outbreak' });
      expect(await store.listBlocklist('a')).toEqual([{ ...entry('b1', 'a', '203.0.113.7', '2026-01-01T00:00:00.000Z'), reason: 'C2 of the outbreak' }]);
    });
  });
}
