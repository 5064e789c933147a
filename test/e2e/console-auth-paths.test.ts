/**
 * The auth plugin decides on the route fastify matched, not on the raw URL (#11 medium: the
 * hook was bypassed by "/%61pi/...", so a page could log a user out without the CSRF header).
 * Every spelling of a path either reaches the route through the same checks or reaches none.
 */
import { startConsole, type ConsoleFixture, type Session } from './console-fixture';

let c: ConsoleFixture;
let lan: Session;

beforeAll(async () => {
  c = await startConsole({ users: [['admin', 'admin', []], ['lan', 'analyst', []]] });
  lan = await c.session('lan');
});
afterAll(() => c?.close());

const SPELLINGS = (p: string) => [
  p.replace('/api/', '/%61pi/'),
  p.replace('/api/', '/%61%70%69/'),
  p.slice(0, -1) + `%${p.charCodeAt(p.length - 1).toString(16)}`,
  p.replace('/api/', '/api/../api/'),
  p.replace('/api/', '//api/'),
  p.replace('/api/', '/API/'),
  p.toUpperCase(),
  p + '/',
  p.replace('/api/', '/%61pi/') + '?x=1',
];

test('logout without the CSRF header is refused however the path is spelled; the session goes on', async () => {
  for (const url of SPELLINGS('/api/auth/logout')) {
    const res = await c.raw('POST', url, { headers: { cookie: lan.cookie } });
    expect([url, [403, 404].includes(res.status)]).toEqual([url, true]);
    expect([url, (await c.as(lan, 'GET', '/api/auth/me')).status]).toEqual([url, 200]);
  }
  expect((await c.raw('POST', '/%61pi/auth/logout', { headers: { cookie: lan.cookie } })).status).toBe(403);
  expect((await c.raw('POST', '/%61pi/auth/logout', { headers: { cookie: lan.cookie, 'x-csrf-token': lan.csrf } })).status).toBe(200); // with the header it is an ordinary logout
  expect((await c.as(lan, 'GET', '/api/auth/me')).status).toBe(401);
  lan = await c.session('lan');
});

test('without a session or token, no spelling of a protected route answers with data', async () => {
  for (const [method, path] of [['GET', '/api/incidents'], ['GET', '/api/users'], ['GET', '/api/audit'], ['GET', '/api/auth/me'], ['POST', '/api/tenants'], ['POST', '/api/tokens'], ['POST', '/api/auth/logout']]) {
    for (const url of SPELLINGS(path)) {
      const res = await c.raw(method, url, { body: method === 'POST' ? { id: 'so-x', name: 'X' } : undefined });
      // 401 where fastify routes the spelling to the API route, 404 (or the web app's page) where it routes it nowhere
      expect([method, url, res.status === 401 || res.status === 404 || (method === 'GET' && res.status === 200 && !res.text.startsWith('{'))]).toEqual([method, url, true]);
    }
    expect([method, path, (await c.raw(method, path.replace('/api/', '/%61pi/'))).status]).toEqual([method, path, 401]);
  }
  expect(await c.store.getTenant('so-x')).toBeNull();
});

test('a session without the CSRF header changes nothing through an encoded path; GETs still work through it', async () => {
  const url = '/%61pi/tokens';
  expect((await c.raw('POST', url, { headers: { cookie: lan.cookie }, body: { label: 'x' } })).status).toBe(403);
  expect((await c.as(lan, 'GET', '/api/tokens')).body.items).toEqual([]);
  const viaEncoded = await c.raw('GET', '/%61pi/incidents', { headers: { cookie: lan.cookie } });
  expect([viaEncoded.status, viaEncoded.headers['cache-control']]).toEqual([200, 'no-store']);
});

test('the public routes stay public', async () => {
  expect((await c.raw('GET', '/api/health')).body).toEqual({ status: 'ok' });
  expect((await c.raw('GET', '/%61pi/health')).body).toEqual({ status: 'ok' });
  expect((await c.raw('HEAD', '/api/health')).status).toBe(200);
  expect((await c.raw('GET', '/')).status).not.toBe(401); // the web app's files (its login page) need no session
  expect((await c.raw('HEAD', '/index.html')).status).not.toBe(401);
  expect((await c.raw('POST', '/api/auth/login', { body: { username: 'lan', password: 'wrong-password' } })).status).toBe(401);
});
