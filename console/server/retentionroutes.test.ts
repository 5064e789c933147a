/**
 * Security levels and retention through the console API: an agency admin sets its own agency's
 * level and override (never below the minimum without a reason), each change is audited with
 * who, from, to and why, and GET /api/retention shows each agency what it keeps against what it must.
 */
import { startKit, type Caller, type Kit } from './testkit';

let kit: Kit;
const who = (u: string): Caller => kit.callers.find((c) => c.username === u)!;
const patch = (u: string, id: string, body: unknown) => kit.call(who(u), 'PATCH', `/api/tenants/${id}`, body);
const retention = async (u: string) => (await kit.call(who(u), 'GET', '/api/retention')).body.items as { tenant: string; warnings: { code: string; message: string }[] }[];
beforeAll(async () => {
  kit = await startKit();
});
afterAll(() => kit.close());

test("an agency admin sets its agency's level; the view shows the level's minimum with its source, and the change is audited", async () => {
  const r = await patch('admin-a', 'so-a', { security_level: 4 });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ id: 'so-a', securityLevel: 4 });
  const mine = await retention('viewer-a');
  expect(mine.map((x) => x.tenant)).toEqual(['so-a']);
  expect(mine[0]).toMatchObject({ security_level: 4, minimum_days: 184, minimum_source: expect.stringContaining('TCVN 14423:2026'), retention_days: 184, retention_source: 'level', oldest_event: expect.any(String), kept_days: 0 });
  expect(mine[0].warnings).toEqual([{ code: 'short_history', message: expect.stringMatching(/^not enough history yet: the oldest event kept is 0 days old .* the minimum is 184 days$/) }]);
  const entry = (await kit.store.listAudit({ limit: 500 })).filter((e) => e.action === 'tenant.change').pop()!;
  expect(entry).toMatchObject({ actor: 'admin-a', target: 'so-a', details: { security_level: { from: null, to: 4 }, effective_days: { from: null, to: 184 }, agencies: ['so-a'] } });
});

test('an override below the minimum is refused without a reason and kept with one; the view warns with the reason', async () => {
  const refused = await patch('admin-a', 'so-a', { retention_days: 30 });
  expect(refused.status).toBe(400);
  expect(refused.body.error).toMatch(/^body\/retention_days: 30 days is below level 4's minimum of 184 days .*give body\/retention_reason/);
  const ok = await patch('admin-a', 'so-a', { retention_days: 30, retention_reason: 'the old server has 200 GB; new disk in March' });
  expect(ok.status).toBe(200);
  const [a] = await retention('admin-a');
  expect(a).toMatchObject({ retention_days: 30, retention_source: 'override', retention_reason: 'the old server has 200 GB; new disk in March' });
  expect(a.warnings.map((w) => w.code)).toEqual(['below_minimum']);
  const entry = (await kit.store.listAudit({ limit: 500 })).filter((e) => e.action === 'tenant.change').pop()!;
  expect(entry.details).toMatchObject({ retention_days: { from: null, to: 30 }, effective_days: { from: 184, to: 30 }, minimum_days: 184, reason: 'the old server has 200 GB; new disk in March' });
  expect((await patch('admin-a', 'so-a', { retention_days: null })).body).not.toHaveProperty('retentionReason');
});

test("an agency admin cannot touch another agency's level, an analyst none, and a bad level is named", async () => {
  expect((await patch('admin-a', 'so-b', { security_level: 1 })).status).toBe(404);
  expect((await kit.store.getTenant('so-b'))!.securityLevel).toBeUndefined();
  const analyst = await patch('analyst-prov', 'so-b', { security_level: 1 });
  expect(analyst.status).toBe(403);
  const bad = await patch('admin-prov', 'so-b', { security_level: 6 });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toMatch(/security_level/);
  expect((await patch('admin-prov', 'so-b', { security_level: 5 })).status).toBe(200);
  expect((await retention('analyst-prov')).map((x) => x.tenant)).toEqual(['so-a', 'so-b']);
});
