/** The website routes through inject: scoped by agency, admin-only changes, bad input named, snapshots of a site. */
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
  expect((await kit.call(who('viewer-a'), 'GET', `/api/websites/${a.body.id}/snapshots`)).body).toEqual({ baseline: null, changes: [] });
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
