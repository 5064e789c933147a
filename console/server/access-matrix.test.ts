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
import { OTHER, OTHER_DATA, SAMPLES, startKit, type Caller, type Kit } from './testkit';

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
});

test('every route declares what it answers (a response schema), and a params schema when its path has parameters', () => {
  const problems = guarded().flatMap((r) => [
    ...(r.schemas.includes('response') ? [] : [`${key(r)}: no response schema`]),
    ...(r.url.includes(':') && !r.schemas.includes('params') ? [`${key(r)}: no params schema`] : []),
    ...(r.schemas.includes('querystring') ? [] : [`${key(r)}: no querystring schema`]),
  ]);
  expect(problems).toEqual([]);
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
      // the searches so-a users typed themselves are in the audit log, and its hex hashes may spell "bbbb" by chance
      const mine = res.text.replace(/"q":"[^"]*"/g, '').replace(/\b[0-9a-f]{64}\b/g, '');
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
