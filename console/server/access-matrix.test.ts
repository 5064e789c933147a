/**
 * The access matrix, generated from the routes' declarations (config.access): every route ×
 * every role × provincial / scoped to so-a × session / API token is called through
 * app.inject(), and what it answers must follow the declaration; a scoped caller's answers
 * never carry so-b's data (OTHER), and asking for so-b's things by name is refused. A route
 * added without a sample request below fails the first test.
 */
import { createLogger } from '../../core/log';
import { ROLES } from '../../core/model';
import { buildConsole } from './app';
import { OTHER, startKit, type Caller, type Kit } from './testkit';

interface Req {
  url: string;
  body?: unknown;
}
interface Sample {
  own: Req;
  other?: Req & { status: number[] }; // the same asked for so-b's thing: refused with one of these statuses
  seen?: boolean; // a provincial caller's answer shows so-b (so the leak check above it is not vacuous)
}

// so-b's data itself (the request for it names so-b, which an answer may echo)
const OTHER_DATA = /host-bbbb|user-bbbb|bbbb secret|bbbb-value|bbbb_only|bbbb raw|bbbb\.auth|incident bbbb|10\.9\.9\.9|"tenant":"so-b"/;
const RULE = 'title: t\nid: 00000000-0000-0000-0000-000000000001\nlogsource: { product: linux }\ndetection: { sel: { event.action: login }, condition: sel }\nlevel: low\n';
let n = 0;
const SAMPLES: Record<string, (k: Kit) => Sample> = {
  'GET /api/auth/me': () => ({ own: { url: '/api/auth/me' } }),
  'POST /api/auth/logout': () => ({ own: { url: '/api/auth/logout' } }),
  'POST /api/auth/password': () => ({ own: { url: '/api/auth/password', body: { current: 'not-the-password-1', password: 'new-password-12345' } } }),
  'POST /api/auth/totp/setup': () => ({ own: { url: '/api/auth/totp/setup' } }),
  'POST /api/auth/totp/:op': () => ({ own: { url: '/api/auth/totp/enable', body: { code: '000000' } } }),
  'GET /api/incidents': () => ({ own: { url: '/api/incidents' }, other: { url: '/api/incidents?agency=so-b', status: [200] }, seen: true }),
  'GET /api/incidents/:id': () => ({ own: { url: '/api/incidents/inc-so-a' }, other: { url: '/api/incidents/inc-so-b', status: [404] } }),
  'POST /api/incidents/:id/actions': () => ({ own: { url: '/api/incidents/inc-so-a/actions', body: { action: 'comment', comment: 'seen' } }, other: { url: '/api/incidents/inc-so-b/actions', body: { action: 'comment', comment: 'x' }, status: [404] } }),
  'GET /api/incidents/export': () => ({ own: { url: '/api/incidents/export?format=csv' }, other: { url: '/api/incidents/export?format=json&agency=so-b', status: [200] }, seen: true }),
  'GET /api/events': () => ({ own: { url: '/api/events' }, other: { url: '/api/events?q=organization.id:so-b', status: [200] }, seen: true }),
  'GET /api/events/histogram': () => ({ own: { url: '/api/events/histogram?q=bbbb_only.field:*' } }),
  'GET /api/events/top': () => ({ own: { url: '/api/events/top?field=organization.id' }, other: { url: '/api/events/top?field=bbbb_only.field', status: [200] }, seen: true }),
  'GET /api/events/export': () => ({ own: { url: '/api/events/export?format=json' }, other: { url: '/api/events/export?format=csv&columns=message,host.name', status: [200] }, seen: true }),
  'GET /api/fields': () => ({ own: { url: '/api/fields' }, other: { url: '/api/fields?prefix=bbbb_o', status: [200] }, seen: true }),
  'GET /api/alerts': () => ({ own: { url: '/api/alerts' }, seen: true }),
  'GET /api/collector/stats': () => ({ own: { url: '/api/collector/stats' }, seen: true }),
  'GET /api/rules': () => ({ own: { url: '/api/rules' }, seen: true }),
  'PUT /api/rules/:id/settings': () => ({ own: { url: '/api/rules/not-loaded/settings', body: { disabledFor: ['so-a'] } }, other: { url: '/api/rules/rule-x/settings', body: { disabledFor: ['so-a', 'so-b'] }, status: [403] } }),
  'POST /api/rules/test': () => ({ own: { url: '/api/rules/test', body: { rule: RULE, events: '{"event":{"action":"login"}}' } } }),
  'GET /api/dead-letters': () => ({ own: { url: '/api/dead-letters' }, seen: true }),
  'GET /api/notifications': () => ({ own: { url: '/api/notifications' }, other: { url: '/api/notifications?incident=inc-so-b', status: [200] }, seen: true }),
  'GET /api/dashboard': () => ({ own: { url: '/api/dashboard?range=24h' }, seen: true }),
  'GET /api/sources': () => ({ own: { url: '/api/sources' }, seen: true }),
  'GET /api/searches': () => ({ own: { url: '/api/searches' } }),
  'POST /api/searches': () => ({ own: { url: '/api/searches', body: { name: 'mine', q: 'host.name:host-a' } } }),
  'DELETE /api/searches/:id': () => ({ own: { url: '/api/searches/none-such' } }),
  'GET /api/tenants': () => ({ own: { url: '/api/tenants' }, seen: true }),
  'POST /api/tenants': () => ({ own: { url: '/api/tenants', body: { id: `so-new-${++n}`, name: 'New agency' } } }),
  'GET /api/tenants/:id/tokens': () => ({ own: { url: '/api/tenants/so-a/tokens' }, other: { url: '/api/tenants/so-b/tokens', status: [404] } }),
  'POST /api/tenants/:id/tokens': () => ({ own: { url: '/api/tenants/so-a/tokens', body: { label: 'more' } }, other: { url: '/api/tenants/so-b/tokens', body: {}, status: [404] } }),
  'GET /api/tokens': () => ({ own: { url: '/api/tokens?all=true' } }),
  'POST /api/tokens': () => ({ own: { url: '/api/tokens', body: { label: 'script' } } }),
  'POST /api/tokens/:id/revoke': (k) => ({ own: { url: '/api/tokens/none-such/revoke' }, other: { url: `/api/tokens/${k.ingestTokenB}/revoke`, status: [404] } }),
  'POST /api/tokens/:id/rotate': (k) => ({ own: { url: '/api/tokens/none-such/rotate' }, other: { url: `/api/tokens/${k.ingestTokenB}/rotate`, status: [404] } }),
  'GET /api/users': () => ({ own: { url: '/api/users' }, seen: true }),
  'POST /api/users': () => ({ own: { url: '/api/users', body: { username: `new-a-${++n}`, password: 'long-password-123', role: 'analyst', agencies: ['so-a'] } }, other: { url: '/api/users', body: { username: `new-x-${++n}`, password: 'long-password-123', role: 'analyst', agencies: ['so-b'] }, status: [403] } }),
  'PATCH /api/users/:username': () => ({ own: { url: '/api/users/viewer-a', body: { disabled: false } }, other: { url: '/api/users/analyst-bbbb', body: { disabled: false }, status: [404] } }),
  'GET /api/audit': () => ({ own: { url: '/api/audit' }, seen: true }),
  'GET /api/audit/export': () => ({ own: { url: '/api/audit/export?format=json' }, seen: true }),
  'GET /api/audit/verify': () => ({ own: { url: '/api/audit/verify' } }),
};

let kit: Kit;
beforeAll(async () => {
  kit = await startKit();
});
afterAll(() => kit.close());

const guarded = () => kit.app.routeTable.filter((r) => !r.public && r.method !== 'HEAD');
const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

function allowed(r: ReturnType<typeof guarded>[number], c: Caller, via: 'session' | 'token'): boolean {
  const a = r.access!;
  return a.roles.includes(c.role) && (a.scope !== 'province' || c.agencies.length === 0) && (!a.session || via === 'session');
}

const fresh = (c: Caller) => kit.session(c.username); // logout and password changes end the session they use

test('every route declares its access and has a sample request in the matrix', () => {
  const routes = guarded();
  expect(routes.length).toBeGreaterThanOrEqual(40);
  for (const r of routes) expect({ route: key(r), access: !!r.access }).toEqual({ route: key(r), access: true });
  expect(routes.map(key).filter((k) => !SAMPLES[k])).toEqual([]);
  expect(Object.keys(SAMPLES).filter((k) => !routes.some((r) => key(r) === k))).toEqual([]);
});

test('a route without a declaration cannot be registered', async () => {
  const app = await buildConsole({ store: kit.store, bus: kit.bus, logger: createLogger({ level: 'silent' }), sessionHours: 1, secureCookies: false });
  expect(() => app.get('/api/undeclared', async () => ({ secret: 1 }))).toThrow(/declares no access/);
  await app.close();
});

describe.each(['session', 'token'] as const)('via %s', (via) => {
  test.each(ROLES.flatMap((role) => [[role, 'prov'], [role, 'a']] as const))('role %s (%s): allowed exactly what the declarations say, and scoped answers carry nothing of so-b', async (role, where) => {
    const problems: string[] = [];
    for (const r of guarded()) {
      const caller = await fresh(kit.callers.find((c) => c.username === `${role}-${where}`)!);
      const sample = SAMPLES[key(r)](kit);
      const res = await kit.call(caller, r.method, sample.own.url, sample.own.body, via);
      const refusedByAccess = res.status === 403 && String(res.body.error).startsWith('access:');
      const ok = allowed(r, caller, via);
      if (ok === refusedByAccess) problems.push(`${key(r)}: ${ok ? 'refused' : 'allowed'} (${res.status} ${res.text.slice(0, 120)})`);
      if (!ok) continue;
      if (res.status >= 500) problems.push(`${key(r)}: ${res.status} ${res.text.slice(0, 200)}`);
      const mine = res.text.replace(/"q":"[^"]*"/g, ''); // the searches so-a users typed themselves are in the audit log
      if (where === 'a' && OTHER.test(mine)) problems.push(`${key(r)}: shows so-b to a so-a user: ${res.text.match(/.{0,80}(so-b|bbbb).{0,80}/)?.[0]}`);
      if (where === 'prov' && role !== 'viewer' && sample.seen && res.status === 200 && !OTHER.test(res.text)) problems.push(`${key(r)}: a provincial ${role} does not see so-b (the seed is wrong?)`);
      if (where === 'a' && sample.other) {
        const o = await kit.call(await fresh(caller), r.method, sample.other.url, sample.other.body, via);
        if (!sample.other.status.includes(o.status)) problems.push(`${key(r)} for so-b: ${o.status}, expected ${sample.other.status.join('/')} (${o.text.slice(0, 120)})`);
        if (o.status === 200 && OTHER_DATA.test(o.text)) problems.push(`${key(r)} for so-b: answers so-b's data: ${o.text.slice(0, 160)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

test('a request without a session or token is refused on every guarded route', async () => {
  const problems: string[] = [];
  for (const r of guarded()) {
    const sample = SAMPLES[key(r)](kit);
    const res = await kit.call(null, r.method, sample.own.url, sample.own.body);
    if (res.status !== 401) problems.push(`${key(r)}: ${res.status}`);
  }
  expect(problems).toEqual([]);
});
