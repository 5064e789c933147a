import { createSqliteStore } from '../core/store/sqlite';
import type { Store } from '../core/store/store';
import { ZALO_TEXT_LIMIT } from './channels/zalo';
import { createDigest } from './digest';
import { formatTime } from './messages';
import { createOutbox } from './outbox';
import { parseRoutesConfig, type RoutesConfigInput } from './routes';
import { sampleIncident } from './testing';

const channels = {
  email: { url: 'smtp://127.0.0.1:2525', from: 'soc@canhgac.example' },
  zalo: { app_id: '42', secret_key: 'k', refresh_token: 'rt' },
};
const at = new Date('2026-11-28T00:00:00Z'); // 07:00 in Vietnam

describe('daily digest', () => {
  let store: Store;
  const queued = () => store.listNotifications({ tenants: null, limit: 1000 });

  beforeEach(async () => {
    store = createSqliteStore({ path: ':memory:' });
    await store.init();
    await store.putTenant({ id: 'so-x', name: 'Sở X', created: '2026-01-01T00:00:00Z' });
    await store.putTenant({ id: 'so-y', name: 'Sở Y', created: '2026-01-01T00:00:00Z' });
    await store.putTenant({ id: 'so-z', name: 'Sở Z', created: '2026-01-01T00:00:00Z' });
    const inc = (id: string, tenant: string, seen: string, over = {}) =>
      store.saveIncident(sampleIncident({ id, tenant, created: seen, first_seen: seen, last_seen: seen, ...over }), null);
    await inc('x-1', 'so-x', '2026-11-27T10:00:00Z');
    await inc('x-2', 'so-x', '2026-11-27T20:00:00Z', { severity: 'critical', title: 'Mã độc lây lan', count: 40 });
    await inc('x-old', 'so-x', '2026-11-25T10:00:00Z'); // outside the 24 hours
    await inc('x-low', 'so-x', '2026-11-27T11:00:00Z', { severity: 'low' }); // below the route
    await inc('y-1', 'so-y', '2026-11-27T12:00:00Z');
  });
  afterEach(() => store.close());

  function digest(config: RoutesConfigInput) {
    const routes = parseRoutesConfig({ channels, console_url: 'https://soc.tinh.gov.vn', ...config });
    return createDigest({ store, routes, outbox: createOutbox({ store, channels: [] }) });
  }

  test('each agency of a digest route gets its last 24 hours, worst first, in Vietnamese; a rerun sends nothing twice', async () => {
    const d = digest({ routes: [{ name: 'soc', digest: true, notify: [{ channel: 'email', to: ['soc@tinh.gov.vn'] }, { channel: 'zalo', to: ['111'] }] }] });
    expect(await d.runNow(at)).toBe(4); // so-x and so-y, two recipients each; so-z had nothing
    const items = await queued();
    const x = items.find((n) => n.tenant === 'so-x' && n.channel === 'email')!;
    expect(x).toMatchObject({ id: 'digest:2026-11-28:so-x:soc:email:soc@tinh.gov.vn', reason: 'digest', incidentId: null, status: 'pending' });
    expect(x.subject).toBe('[canhgac] Tổng hợp ngày 28/11/2026 — Sở X: 2 sự cố');
    const listed = x.body.split('\n').filter((l) => l.startsWith('- '));
    expect(listed.map((l) => /incidents\/(\S+)/.exec(l)?.[1])).toEqual(['x-2', 'x-1']);
    const zalo = items.find((n) => n.tenant === 'so-x' && n.channel === 'zalo')!;
    expect(zalo.body.split('\n')[0]).toBe(x.subject);
    expect(zalo.body.endsWith('https://soc.tinh.gov.vn/')).toBe(true);
    expect(await d.runNow(at)).toBe(0);
    expect(await queued()).toHaveLength(4);
  });

  test('a route limited to agencies, in English, with empty days sent when asked', async () => {
    const d = digest({
      digest: { send_empty: true },
      routes: [{ name: 'yz', agencies: ['so-y', 'so-z'], language: 'en', digest: true, notify: [{ channel: 'email', to: ['ops@tinh.gov.vn'] }] }],
    });
    expect(await d.runNow(at)).toBe(2);
    const subjects = (await queued()).map((n) => n.subject).sort();
    expect(subjects).toEqual(['[canhgac] Daily digest 2026-11-28 — Sở Y: 1 incident', '[canhgac] Daily digest 2026-11-28 — Sở Z: 0 incidents']);
  });

  test('routes without digest send none; the schedule fires at 07:00 Vietnam time by default', async () => {
    expect(await digest({ routes: [{ name: 'soc', notify: [{ channel: 'email', to: ['soc@tinh.gov.vn'] }] }] }).runNow(at)).toBe(0);
    const d = digest({ routes: [{ name: 'soc', digest: true, notify: [{ channel: 'email', to: ['soc@tinh.gov.vn'] }] }] });
    d.start();
    try {
      const next = d.nextRun();
      expect(next).not.toBeNull();
      expect(formatTime(next!.toISOString(), 'vi').slice(0, 8)).toBe('07:00:00');
    } finally {
      await d.stop();
    }
    expect(d.nextRun()).toBeNull();
  });

  test('a long day still fits one Zalo message that ends with the console link', async () => {
    for (let i = 0; i < 60; i++) await store.saveIncident(sampleIncident({ id: `many-${i}`, tenant: 'so-z', created: '2026-11-27T12:00:00Z', last_seen: '2026-11-27T12:00:00Z', title: 'Dò quét cổng dịch vụ từ nhiều địa chỉ '.repeat(3) }), null);
    const d = digest({ routes: [{ name: 'z', agencies: ['so-z'], digest: true, notify: [{ channel: 'zalo', to: ['111'] }, { channel: 'email', to: ['z@tinh.gov.vn'] }] }] });
    await d.runNow(at);
    const items = await queued();
    const zalo = items.find((n) => n.channel === 'zalo')!;
    expect(Array.from(zalo.body).length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
    expect(zalo.body.endsWith('https://soc.tinh.gov.vn/')).toBe(true);
    expect(zalo.body.split('\n')[0]).toBe('[canhgac] Tổng hợp ngày 28/11/2026 — Sở Z: 60 sự cố');
    // the email lists more
    expect(items.find((n) => n.channel === 'email')!.body).toContain('… và 40 sự cố khác.');
  });

  test('a bad schedule is refused at start naming the field', () => {
    expect(() => parseRoutesConfig({ digest: { schedule: 'every morning' } })).toThrow(/alerting\.digest\.schedule: is not a cron expression/);
  });
});
