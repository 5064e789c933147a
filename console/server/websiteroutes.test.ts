/** The website routes through inject: scoped by agency, admin-only changes, bad input named, snapshots of a site. */
import { emptyBaseline } from '../../website/baseline';
import type { SiteState } from '../../website/state';
import { startKit, type Kit } from './testkit';

let kit: Kit;
beforeAll(async () => {
  kit = await startKit();
});
afterAll(async () => kit.close());
const who = (u: string) => kit.callers.find((c) => c.username === u)!;

test('an agency admin adds and removes its own agency’s sites only; others see only their agencies’ sites', async () => {
  const b = await kit.call(who('admin-prov'), 'POST', '/api/websites', { url: 'https://sobbbb.example.gov.vn/', tenant: 'so-b', interval: 300 });
  expect(b.status).toBe(200);
  expect(b.body).toMatchObject({ tenant: 'so-b', state: 'unchecked', intervalS: 300 });
  expect((await kit.call(who('admin-a'), 'POST', '/api/websites', { url: 'https://x.example/', tenant: 'so-b' })).status).toBe(403);
  const a = await kit.call(who('admin-a'), 'POST', '/api/websites', { url: 'https://soa.example.gov.vn/', tenant: 'so-a', keywords: ['Cổng thông tin'] });
  expect(a.status).toBe(200);
  expect((await kit.call(who('admin-a'), 'POST', '/api/websites', { url: 'https://soa.example.gov.vn/', tenant: 'so-a' })).status).toBe(409);

  const seenByA = await kit.call(who('viewer-a'), 'GET', '/api/websites');
  expect(seenByA.body.items.map((w: { url: string }) => w.url)).toEqual(['https://soa.example.gov.vn/']);
  expect(seenByA.text).not.toMatch(/bbbb|so-b/);
  const seenByProv = await kit.call(who('analyst-prov'), 'GET', '/api/websites');
  expect(seenByProv.body.items.map((w: { tenant: string }) => w.tenant).sort()).toEqual(['so-a', 'so-b']);

  expect((await kit.call(who('analyst-a'), 'POST', '/api/websites', { url: 'https://y.example/', tenant: 'so-a' })).status).toBe(403);
  expect((await kit.call(who('admin-a'), 'DELETE', `/api/websites/${b.body.id}`)).status).toBe(404);
  expect((await kit.call(who('admin-a'), 'GET', `/api/websites/${b.body.id}/snapshots`)).status).toBe(404);
  expect((await kit.call(who('viewer-a'), 'GET', `/api/websites/${a.body.id}/snapshots`)).body).toEqual({ baseline: null, changes: [], sideBySide: null });
  expect((await kit.call(who('admin-a'), 'POST', `/api/websites/${a.body.id}/pause`)).status).toBe(200);
  expect((await kit.call(who('viewer-a'), 'GET', '/api/websites')).body.items[0].state).toBe('paused');
  expect((await kit.call(who('admin-a'), 'DELETE', `/api/websites/${a.body.id}`)).body).toEqual({ ok: true });
  expect((await kit.call(who('viewer-a'), 'GET', '/api/websites')).body.items).toEqual([]);
});

test('bad input is a 400 that names the field', async () => {
  const bad = async (body: object) => {
    const r = await kit.call(who('admin-prov'), 'POST', '/api/websites', body);
    expect(r.status).toBe(400);
    return String(r.body.error);
  };
  expect(await bad({ url: 'https://z.example/', tenant: 'so-a', interval: 5 })).toMatch(/interval: 5 s is below the floor/);
  expect(await bad({ url: 'gopher://z.example/', tenant: 'so-a' })).toMatch(/^url: .* must be http/);
  expect(await bad({ url: 'https://z.example/', tenant: 'so-none' })).toMatch(/tenant: no agency "so-none"/);
  expect(await bad({ tenant: 'so-a' })).toMatch(/url/);
  expect(await bad({ url: 'https://z.example/', tenant: 'so-a', extra: 1 })).toMatch(/extra/);
});

test('the last change beside the baseline, the differing lines marked, for the site’s own agency only', async () => {
  const a = await kit.call(who('admin-a'), 'POST', '/api/websites', { url: 'https://soyte.example.gov.vn/', tenant: 'so-a' });
  const state: SiteState = {
    baseline: { ...emptyBaseline(), checks: 3, stable: ['sở y tế', 'lịch tiếp công dân'], seen: ['sở y tế', 'lịch tiếp công dân', 'hôm nay: ngày # tháng #'] },
    reported: ['spam:tài xỉu'],
    hours: [],
    snapshot: { at: '2026-12-01T08:00:00.000Z', text: 'Sở Y tế\nHôm nay: ngày 1 tháng 12\nLịch tiếp công dân' },
    changes: [{ at: '2026-12-01T09:00:00.000Z', kinds: ['spam'], details: ['spam vocabulary new on the page: tài xỉu'], text: 'Sở Y tế\nHôm nay: ngày 2 tháng 12\nTài xỉu, nổ hũ đổi thưởng' }],
  };
  await kit.store.putWebsiteState({ siteId: a.body.id, tenant: 'so-a', updated: '2026-12-01T09:00:00.000Z', doc: state as unknown as Record<string, unknown> });
  const r = await kit.call(who('viewer-a'), 'GET', `/api/websites/${a.body.id}/snapshots`);
  expect(r.status).toBe(200);
  expect(r.body.changes[0]).toMatchObject({ kinds: ['spam'], details: ['spam vocabulary new on the page: tài xỉu'] });
  expect(r.body.sideBySide).toEqual({
    rows: [
      { baseline: 'Sở Y tế', changed: 'Sở Y tế', mark: 'same' },
      { baseline: 'Hôm nay: ngày 1 tháng 12', changed: 'Hôm nay: ngày 2 tháng 12', mark: 'same' },
      { baseline: 'Lịch tiếp công dân', changed: 'Tài xỉu, nổ hũ đổi thưởng', mark: 'changed' },
    ],
    added: 1,
    removed: 1,
    truncated: false,
  });
  expect((await kit.call(await kit.session('analyst-bbbb'), 'GET', `/api/websites/${a.body.id}/snapshots`)).status).toBe(404);
  expect((await kit.call(who('analyst-prov'), 'GET', `/api/websites/${a.body.id}/snapshots`)).body.sideBySide.added).toBe(1);
});
