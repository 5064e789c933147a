/**
 * Logins sent in parallel (#11 H6): the account lockout and the per-address limit count every
 * attempt as it arrives, before its password (or authenticator code) is checked, so a burst
 * of guesses cannot get through while argon2 runs.
 */
import { totp } from '../../console/server/totp';
import { PASSWORD, startConsole, type ConsoleFixture } from './console-fixture';

let c: ConsoleFixture;

beforeAll(async () => {
  c = await startConsole({ users: [['admin', 'admin', []], ['lan', 'analyst', []], ['minh', 'responder', []], ['hoa', 'auditor', []], ['tuan', 'responder', []]] });
});
afterAll(() => c?.close());

const statuses = (answers: { status: number }[]) => {
  const count: Record<number, number> = {};
  for (const a of answers) count[a.status] = (count[a.status] ?? 0) + 1;
  return count;
};
const wrongCodes = (secret: string, n: number) => {
  const near = new Set([-30000, 0, 30000, 60000].map((d) => totp(secret, Date.now() + d)));
  return Array.from({ length: n + 10 }, (_, i) => String(100000 + i * 7919)).filter((code) => !near.has(code)).slice(0, n);
};

test('60 parallel wrong passwords from 60 addresses lock the account: the right password is refused afterwards', async () => {
  const guesses = await Promise.all(Array.from({ length: 60 }, (_, i) => c.raw('POST', '/api/auth/login', { body: { username: 'lan', password: `wrong-guess-${i}` }, from: `127.0.1.${i + 1}` })));
  expect(guesses.every((g) => g.status === 401 || g.status === 429)).toBe(true);
  expect(statuses(guesses)[401]).toBeLessThanOrEqual(5); // the lockout comes after 5 wrong passwords, however they arrive
  const right = await c.login('lan', {}, '127.0.1.200');
  expect(right.status).toBe(429);
  expect(right.body.error).toMatch(/too many failed logins; try again in 15 minutes/);
  expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
});

test('50 parallel wrong logins from one address: the per-address limit answers 429 beyond its 20, and then refuses the right password', async () => {
  const guesses = await Promise.all(Array.from({ length: 50 }, (_, i) => c.raw('POST', '/api/auth/login', { body: { username: `nobody-${i}`, password: 'wrong-password!' }, from: '127.0.2.1' })));
  expect(statuses(guesses)).toEqual({ 401: 20, 429: 30 });
  expect(guesses.find((g) => g.status === 429)!.body.error).toMatch(/too many failed logins from 127\.0\.2\.1/);
  const right = await c.login('admin', {}, '127.0.2.1');
  expect(right.status).toBe(429);
  expect((await c.login('admin', {}, '127.0.2.2')).status).toBe(200); // another address is not held up
});

test('60 parallel wrong authenticator codes lock the account: the right code is refused afterwards', async () => {
  const minh = await c.session('minh');
  const setup = await c.as(minh, 'POST', '/api/auth/totp/setup');
  expect((await c.as(minh, 'POST', '/api/auth/totp/enable', { code: totp(setup.body.secret) })).body).toEqual({ totp: true });
  const guesses = await Promise.all(wrongCodes(setup.body.secret, 60).map((code, i) => c.raw('POST', '/api/auth/login', { body: { username: 'minh', password: PASSWORD, totp: code }, from: `127.0.3.${i + 1}` })));
  expect(guesses.every((g) => g.status === 401 || g.status === 429)).toBe(true);
  expect(statuses(guesses)[401]).toBeLessThanOrEqual(5);
  const right = await c.login('minh', { totp: totp(setup.body.secret, Date.now() + 30000) }, '127.0.3.200');
  expect(right.status).toBe(429);
});

test('two parallel logins with the same authenticator code: only one is let in (no replay)', async () => {
  const hoa = await c.session('hoa');
  const setup = await c.as(hoa, 'POST', '/api/auth/totp/setup');
  await c.as(hoa, 'POST', '/api/auth/totp/enable', { code: totp(setup.body.secret) });
  const code = totp(setup.body.secret, Date.now() + 30000);
  const both = await Promise.all([c.login('hoa', { totp: code }, '127.0.4.1'), c.login('hoa', { totp: code }, '127.0.4.2')]);
  expect(both.map((b) => b.status).sort()).toEqual([200, 401]);
});

test('20 parallel wrong codes to turn off the second factor: refused, and the right code after them is refused too', async () => {
  const tuan = await c.session('tuan');
  const setup = await c.as(tuan, 'POST', '/api/auth/totp/setup');
  await c.as(tuan, 'POST', '/api/auth/totp/enable', { code: totp(setup.body.secret) });
  const guesses = await Promise.all(wrongCodes(setup.body.secret, 20).map((code) => c.as(tuan, 'POST', '/api/auth/totp/disable', { code })));
  expect(statuses(guesses)[200]).toBeUndefined();
  expect(statuses(guesses)[400]).toBeLessThanOrEqual(5);
  const right = await c.as(tuan, 'POST', '/api/auth/totp/disable', { code: totp(setup.body.secret, Date.now() + 30000) });
  expect([right.status, right.body.error]).toEqual([429, expect.stringMatching(/too many wrong authenticator codes/)]);
});
