/**
 * Every refusal the console sends carries a stable `code` beside its English `error`, so the web app
 * says it in the user's language (Vietnamese by default) and a script still reads the message.
 */
import { startKit, type Kit } from './testkit';

let kit: Kit;
beforeAll(async () => { kit = await startKit(); });
afterAll(() => kit.close());

test('a wrong password, a missing session, an unknown incident or route and a bad field each get their code', async () => {
  const wrong = await kit.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin-prov', password: 'not-it-at-all' } });
  expect([wrong.statusCode, wrong.json()]).toEqual([401, { error: 'wrong username or password', code: 'wrong_password' }]);
  const anon = await kit.app.inject({ method: 'GET', url: '/api/incidents' });
  expect([anon.statusCode, anon.json().code]).toEqual([401, 'login_required']);
  const s = await kit.session('admin-prov');
  const missing = await kit.call(s, 'GET', '/api/incidents/no-such-incident');
  expect([missing.status, missing.body.code]).toEqual([404, 'not_found']);
  const route = await kit.call(s, 'GET', '/api/no-such-route');
  expect([route.status, route.body.code]).toEqual([404, 'not_found']);
  const bad = await kit.call(s, 'GET', '/api/incidents?zzz_unknown=1');
  expect([bad.status, bad.body.code, bad.body.error]).toEqual([400, 'bad_request', expect.stringMatching(/zzz_unknown/)]);
});

test('a refusal that says when to retry gives the seconds, so the console can say it in minutes', async () => {
  let last = { statusCode: 0, json: () => ({}) as Record<string, unknown> };
  for (let i = 0; i < 30 && last.statusCode !== 429; i++) last = await kit.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.20.30.40', payload: { username: 'nobody', password: 'wrong-password-x' } });
  expect(last.statusCode).toBe(429);
  expect(last.json()).toMatchObject({ code: expect.stringMatching(/^(login_locked|rate_limited)$/), retry_after_s: expect.any(Number) });
});
