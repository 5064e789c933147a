/**
 * Agency scope, case by case (the matrix in access-matrix.test.ts covers every route): counts
 * and aggregations of a scoped user come from its agency only, rule settings and the audit log
 * are cut to its agencies, and an agency admin manages only its own agency.
 */
import { startKit, type Caller, type Kit } from './testkit';

let kit: Kit;
const who = (u: string): Caller => kit.callers.find((c) => c.username === u)!;
const get = (u: string, url: string) => kit.call(who(u), 'GET', url);
beforeAll(async () => {
  kit = await startKit();
});
afterAll(() => kit.close());

describe('counts and aggregations of a user scoped to so-a are so-a alone', () => {
  test('search total, histogram, top values, field names, export rows', async () => {
    expect((await get('analyst-a', '/api/events')).body.total).toBe(3);
    expect((await get('analyst-prov', '/api/events')).body.total).toBe(5);
    const sum = (b: { buckets: { count: number }[] }) => b.buckets.reduce((n, x) => n + x.count, 0);
    expect(sum((await get('analyst-a', '/api/events/histogram')).body)).toBe(3);
    expect(sum((await get('analyst-a', '/api/events/histogram?q=bbbb_only.field:*')).body)).toBe(0);
    expect((await get('analyst-a', '/api/events/top?field=organization.id')).body.values).toEqual([{ value: 'so-a', count: 3 }]);
    expect((await get('analyst-a', '/api/events/top?field=bbbb_only.field')).body.values).toEqual([]);
    const fields = (await get('analyst-a', '/api/fields')).body.items.map((f: { field: string }) => f.field);
    expect(fields).toContain('a_only.field');
    expect(fields.filter((f: string) => f.startsWith('bbbb'))).toEqual([]);
    const rows = JSON.parse((await get('analyst-a', '/api/events/export?format=json')).text);
    expect(rows.map((e: { organization: { id: string } }) => e.organization.id)).toEqual(['so-a', 'so-a', 'so-a']);
  });

  test('dashboard, sources and collector statistics', async () => {
    const d = (await get('viewer-a', '/api/dashboard?range=24h')).body;
    expect([...new Set(d.eventsByAgency.map((x: { value: string }) => x.value))]).toEqual(['so-a']);
    expect(d.listeners).toBeNull();
    const s = (await get('viewer-a', '/api/sources')).body;
    expect(s.agencies.map((a: { tenant: string }) => a.tenant)).toEqual(['so-a']);
    expect(new Set(s.items.map((i: { tenant: string }) => i.tenant))).toEqual(new Set(['so-a']));
    const c = (await get('viewer-a', '/api/collector/stats')).body;
    expect(Object.keys(c.tenants)).toEqual(['so-a']);
    expect(c.listeners).toEqual({});
  });
});

describe('rule settings within a scope', () => {
  test('a scoped analyst sees hits of its own alerts and only its agencies in disabledFor', async () => {
    const mine = (await get('analyst-a', '/api/rules')).body;
    expect(mine.rules[0]).toMatchObject({ rule: { id: 'rule-x' }, hits: 1 });
    expect(mine.settings[0]).toMatchObject({ disabledFor: [], by: 'a user of another agency or of the province' }); // not "analyst-bbbb"
    const all = (await get('analyst-prov', '/api/rules')).body;
    expect(all.rules[0].hits).toBe(7);
    expect(all.settings[0]).toMatchObject({ disabledFor: ['so-b'], by: 'analyst-bbbb' });
  });

  test("turning a rule off for so-a keeps so-b's setting; '*', other agencies and the exception are refused", async () => {
    const put = (body: unknown) => kit.call(who('analyst-a'), 'PUT', '/api/rules/rule-x/settings', body);
    const r = await put({ disabledFor: ['so-a'] });
    expect(r.status).toBe(200);
    expect(r.body.disabledFor).toEqual(['so-a']);
    expect((await kit.store.listRuleSettings()).find((s) => s.ruleId === 'rule-x')!.disabledFor).toEqual(['so-a', 'so-b']);
    expect((await put({ disabledFor: ['*'] })).status).toBe(403);
    expect((await put({ disabledFor: ['so-b'] })).body.error).toMatch(/only for your agencies \(so-a\), not for "so-b"/);
    expect((await put({ disabledFor: [], exception: 'user.name:root' })).body.error).toMatch(/^body\/exception: .*provincial/);
    expect((await put({ disabledFor: [] })).status).toBe(200);
    expect((await kit.store.listRuleSettings()).find((s) => s.ruleId === 'rule-x')!.disabledFor).toEqual(['so-b']);
  });
});

describe('the audit log within a scope', () => {
  test("an agency auditor reads its agency's entries only, and cannot verify the province's chain", async () => {
    await get('analyst-a', '/api/events?q=host.name:host-a');
    await get('analyst-prov', '/api/events?q=host.name:anything');
    const items = (await get('auditor-a', '/api/audit?limit=10000')).body.items as { actor: string; details: { agencies: string[] } }[];
    expect(items.some((e) => e.actor === 'analyst-a')).toBe(true);
    expect(items.filter((e) => e.actor === 'analyst-prov' || e.actor === 'analyst-bbbb')).toEqual([]);
    expect(items.every((e) => e.details.agencies.every((a) => a === 'so-a'))).toBe(true);
    expect((await get('auditor-prov', '/api/audit?limit=10000')).body.items.some((e: { actor: string }) => e.actor === 'analyst-bbbb')).toBe(true);
    expect((await get('auditor-a', '/api/audit/verify')).status).toBe(403);
    expect((await get('auditor-prov', '/api/audit/verify')).body.intact).toBe(true);
  });
});

describe('the audit log of an agency auditor, page by page', () => {
  test("page 2 (?after= the last of page 1) holds the agency's next entries while a provincial user's interleave, and the export holds them all", async () => {
    for (let i = 0; i < 7; i++) {
      await get('analyst-a', `/api/events?q=host.name:page-${i}`);
      await get('analyst-prov', `/api/events?q=host.name:prov-${i}`);
    }
    const all = (await get('auditor-prov', '/api/audit?limit=10000')).body.items as { seq: number; details: { agencies?: string[] } }[];
    const own = all.filter((e) => e.details.agencies?.length && e.details.agencies.every((a) => a === 'so-a')).map((e) => e.seq);
    expect(own.length).toBeGreaterThan(6);
    expect(all.length).toBeGreaterThan(own.length + 4);
    const page1 = (await get('auditor-a', '/api/audit?limit=3')).body.items.map((e: { seq: number }) => e.seq);
    const page2 = (await get('auditor-a', `/api/audit?limit=3&after=${page1[2]}`)).body.items.map((e: { seq: number }) => e.seq);
    expect([page1, page2]).toEqual([own.slice(0, 3), own.slice(3, 6)]);
    const exported = JSON.parse((await get('auditor-a', '/api/audit/export?format=json')).text).map((e: { seq: number }) => e.seq);
    expect(exported.slice(0, own.length)).toEqual(own); // the export's own entry comes last
  });
});

describe('an agency admin manages its own agency only', () => {
  test('sees only users of its agencies, and creates none beyond them', async () => {
    const names = (await get('admin-a', '/api/users')).body.items.map((u: { username: string }) => u.username);
    expect(names).toEqual(expect.arrayContaining(['admin-a', 'analyst-a', 'viewer-a']));
    expect(names.filter((n: string) => n.endsWith('-prov') || n === 'analyst-bbbb')).toEqual([]);
    const create = (body: Record<string, unknown>) => kit.call(who('admin-a'), 'POST', '/api/users', { password: 'long-password-123', ...body });
    expect((await create({ username: 'lan', role: 'analyst', agencies: [] })).body.error).toMatch(/cannot give a provincial scope/);
    expect((await create({ username: 'lan', role: 'analyst', agencies: ['so-a', 'so-b'] })).body.error).toMatch(/cannot grant agencies you do not have: so-b/);
    expect((await create({ username: 'lan', role: 'admin', agencies: ['so-a'] })).body).toEqual({ username: 'lan', role: 'admin', agencies: ['so-a'], disabled: false });
  });

  test("cannot change another agency's user or widen one of its own", async () => {
    const patch = (u: string, body: unknown) => kit.call(who('admin-a'), 'PATCH', `/api/users/${u}`, body);
    expect((await patch('analyst-bbbb', { disabled: true })).status).toBe(404);
    expect((await patch('analyst-prov', { disabled: true })).status).toBe(404);
    expect((await patch('viewer-a', { agencies: ['so-a', 'so-b'] })).status).toBe(403);
    expect((await patch('viewer-a', { role: 'analyst' })).body).toMatchObject({ role: 'analyst', agencies: ['so-a'] });
    expect((await kit.store.getUser('analyst-bbbb'))!.disabled).toBeFalsy();
  });

  test("tokens: its agency's ingest tokens and its users' API tokens, nothing of so-b", async () => {
    expect((await get('admin-a', '/api/tenants/so-b/tokens')).status).toBe(404);
    expect((await kit.call(who('admin-a'), 'POST', '/api/tenants/so-b/tokens', {})).status).toBe(404);
    expect((await kit.call(who('admin-a'), 'POST', `/api/tokens/${kit.ingestTokenB}/revoke`)).status).toBe(404);
    const bToken = (await kit.session('analyst-bbbb')).token;
    expect(bToken).toBeTruthy();
    const subjects = new Set((await get('admin-a', '/api/tokens?all=true')).body.items.map((t: { subject: string }) => t.subject));
    expect(subjects.has('analyst-bbbb')).toBe(false);
    expect(subjects.has('analyst-a')).toBe(true);
    expect((await get('admin-prov', '/api/tokens?all=true')).body.items.some((t: { subject: string }) => t.subject === 'analyst-bbbb')).toBe(true);
    expect((await kit.call(who('admin-a'), 'POST', '/api/tenants', { id: 'so-c', name: 'C' })).status).toBe(403);
  });

  test('revoking a revoked token is a 409 and writes no second audit entry', async () => {
    const mine = (await get('analyst-a', '/api/tokens')).body.items[0];
    expect((await kit.call(who('analyst-a'), 'POST', `/api/tokens/${mine.id}/revoke`)).status).toBe(200);
    const count = async () => (await kit.store.listAudit({ limit: 100000 })).filter((e) => e.action === 'token.revoke' && e.details?.token === mine.id).length;
    expect(await count()).toBe(1);
    const again = await kit.call(who('analyst-a'), 'POST', `/api/tokens/${mine.id}/revoke`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/revoked already/);
    expect(await count()).toBe(1);
  });
});

test("an incident is assigned only to someone who sees its agency, and another agency's user is not confirmed to exist", async () => {
  const assign = (assignee: string) => kit.call(who('analyst-prov'), 'POST', '/api/incidents/inc-so-a/actions', { action: 'assign', assignee });
  const b = await assign('analyst-bbbb');
  expect(b.status).toBe(400);
  expect((await assign('nobody-at-all')).body.error.replace('nobody-at-all', 'X')).toBe(b.body.error.replace('analyst-bbbb', 'X'));
  expect((await assign('analyst-a')).body.incident.assignee).toBe('analyst-a');
});

test("a change of role or scope applies to the user's open session and API token at their next request", async () => {
  const admin = who('admin-prov');
  expect((await kit.call(admin, 'POST', '/api/users', { username: 'mai', password: 'long-password-123', role: 'analyst', agencies: ['so-a'] })).status).toBe(200);
  const mai = await kit.session('mai');
  const comment = (via: 'session' | 'token') => kit.call(mai, 'POST', '/api/incidents/inc-so-a/actions', { action: 'comment', comment: 'seen' }, via);
  expect((await comment('session')).status).toBe(200);
  expect((await kit.call(mai, 'GET', '/api/events')).body.total).toBe(3);
  // demoted to viewer of so-b while both are open
  expect((await kit.call(admin, 'PATCH', '/api/users/mai', { role: 'viewer', agencies: ['so-b'] })).status).toBe(200);
  for (const via of ['session', 'token'] as const) {
    expect((await kit.call(mai, 'GET', '/api/auth/me', undefined, via)).body).toMatchObject({ username: 'mai', role: 'viewer', agencies: ['so-b'] });
    expect((await comment(via)).status).toBe(403);
    expect((await kit.call(mai, 'GET', '/api/incidents/inc-so-a', undefined, via)).status).toBe(404);
    const events = await kit.call(mai, 'GET', '/api/events', undefined, via);
    expect(events.body.items.map((e: { organization: { id: string } }) => e.organization.id)).toEqual(['so-b', 'so-b']);
  }
});
