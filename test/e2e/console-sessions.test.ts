/**
 * Sessions and WebSockets end when access ends (#11 H4 and "sessions survive a password
 * reset"): logout, a revoked API token, a disabled, deleted or re-scoped user, a new
 * password or a second-factor reset. Changes made through this console close the sockets
 * before the request answers; changes made by another process (another connection to the
 * store: the CLI, another console) are caught by the hub's periodic re-check.
 */
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../core/store/sqlite';
import type { Store } from '../../core/store/store';
import { spawn } from 'node:child_process';
import { userRecoveryCli } from '../../console/server/cli';
import { baseEnv, BIN } from '../helpers/canhgac';
import { CLOSE_ACCESS_ENDED } from '../../console/server/push';
import { totp } from '../../console/server/totp';
import { closeOf, PASSWORD, sessionIdOf, startConsole, until, type ConsoleFixture, type Session, type Watcher } from './console-fixture';

const USERS: [string, 'admin' | 'analyst' | 'responder' | 'auditor' | 'viewer', string[]][] = [
  ['admin', 'admin', []], ['an', 'analyst', []], ['binh', 'analyst', []], ['chi', 'responder', []], ['dung', 'auditor', []], ['giang', 'analyst', []], ['hai', 'responder', []], ['khoa', 'analyst', []],
];
/** The canhgac command in its own process, without blocking this one (the console under test runs here). */
function cliAsync(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: dataDir, env: baseEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const isOpen = (w: Watcher) => w.ws.readyState === w.ws.OPEN;
const me = (c: ConsoleFixture, s: Session) => c.as(s, 'GET', '/api/auth/me');

describe('changes made through this console close the sockets at once', () => {
  let c: ConsoleFixture;
  let admin: Session;
  beforeAll(async () => {
    c = await startConsole({ users: USERS, revalidateSeconds: 3600 }); // no periodic check here: only the immediate path can close them
    admin = await c.session('admin');
  });
  afterAll(() => c?.close());

  test('logout closes the socket of that session, not the other sessions of the user', async () => {
    const [s1, s2] = [await c.session('an'), await c.session('an')];
    const [w1, w2] = [await c.watch({ session: s1 }), await c.watch({ session: s2 })];
    expect((await c.as(s1, 'POST', '/api/auth/logout')).status).toBe(200);
    expect(await closeOf(w1)).toEqual({ code: CLOSE_ACCESS_ENDED, reason: 'session ended: logged out or expired' });
    await c.publishIncident('inc-1', 'so-a');
    await until('the notice on the other session', () => w2.incidents.length === 1);
    expect(isOpen(w2)).toBe(true);
  });

  test('revoking an API token closes the socket opened with it', async () => {
    const binh = await c.session('binh');
    const token = (await c.as(binh, 'POST', '/api/tokens', { label: 'wallboard' })).body;
    const w = await c.watch({ token: token.secret });
    expect((await c.as(binh, 'POST', `/api/tokens/${token.token.id}/revoke`)).status).toBe(200);
    expect(await closeOf(w)).toEqual({ code: CLOSE_ACCESS_ENDED, reason: 'API token revoked or unknown' });
  });

  test('disabling a user closes its sockets and ends its sessions for good: enabling it again does not bring them back', async () => {
    const chi = await c.session('chi');
    const token = (await c.as(chi, 'POST', '/api/tokens', {})).body.secret as string;
    const [ws, wt] = [await c.watch({ session: chi }), await c.watch({ token })];
    expect((await c.as(admin, 'PATCH', '/api/users/chi', { disabled: true })).status).toBe(200);
    expect(await closeOf(ws)).toEqual({ code: CLOSE_ACCESS_ENDED, reason: 'account disabled' });
    expect(await closeOf(wt)).toEqual({ code: CLOSE_ACCESS_ENDED, reason: 'account disabled' });
    expect((await me(c, chi)).status).toBe(401);
    await c.as(admin, 'PATCH', '/api/users/chi', { disabled: false });
    expect((await me(c, chi)).status).toBe(401);
    expect((await c.login('chi')).status).toBe(200);
  });

  test("an admin's password reset ends the user's sessions and closes their sockets", async () => {
    const s = await c.session('dung');
    const w = await c.watch({ session: s });
    expect((await c.as(admin, 'PATCH', '/api/users/dung', { password: 'a-new-password-456' })).status).toBe(200);
    expect(await closeOf(w)).toEqual({ code: CLOSE_ACCESS_ENDED, reason: 'session ended: password, second factor or account changed' });
    expect((await me(c, s)).status).toBe(401);
    expect((await c.login('dung', { password: 'a-new-password-456' })).status).toBe(200);
  });

  test('changing your own password keeps the session you did it from and ends the others', async () => {
    const other = await c.session('admin');
    const [wHere, wOther] = [await c.watch({ session: admin }), await c.watch({ session: other })];
    expect((await c.as(admin, 'PATCH', '/api/users/admin', { password: 'admin-new-password-1' })).status).toBe(200);
    expect(await closeOf(wOther)).toMatchObject({ code: CLOSE_ACCESS_ENDED });
    expect((await me(c, other)).status).toBe(401);
    expect((await me(c, admin)).status).toBe(200);
    await c.publishIncident('inc-2', 'so-b');
    await until('the notice on the kept session', () => wHere.incidents.includes('inc-2'));
    expect(isOpen(wHere)).toBe(true);
  });

  test('a user changing their own password keeps the session they did it from and ends the others', async () => {
    const [s1, s2] = [await c.session('khoa'), await c.session('khoa')];
    const [w1, w2] = [await c.watch({ session: s1 }), await c.watch({ session: s2 })];
    expect((await c.as(s1, 'POST', '/api/auth/password', { current: 'not-my-password', password: 'khoa-new-password-1' })).body.error).toBe('body/current: not your current password');
    expect((await me(c, s2)).status).toBe(200);
    expect((await c.as(s1, 'POST', '/api/auth/password', { current: PASSWORD, password: 'khoa-new-password-1' })).body).toEqual({ ok: true });
    expect(await closeOf(w2)).toEqual({ code: CLOSE_ACCESS_ENDED, reason: 'session ended: password, second factor or account changed' });
    expect([(await me(c, s1)).status, (await me(c, s2)).status]).toEqual([200, 401]);
    await c.publishIncident('inc-k', 'so-a');
    await until('the notice on the kept session', () => w1.incidents.includes('inc-k'));
    expect([(await c.login('khoa')).status, (await c.login('khoa', { password: 'khoa-new-password-1' })).status]).toEqual([401, 200]);
  });

  test('guessing the current password in parallel is refused after 5, the right one included', async () => {
    const s = await c.session('an');
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => c.as(s, 'POST', '/api/auth/password', { current: `guess-${i}-password`, password: 'an-new-password-12' })));
    expect(guesses.filter((g) => g.status === 400).length).toBeLessThanOrEqual(5);
    expect(guesses.every((g) => g.status === 400 || g.status === 429)).toBe(true);
    expect((await c.as(s, 'POST', '/api/auth/password', { current: PASSWORD, password: 'an-new-password-12' })).status).toBe(429);
  });

  test("an admin's second-factor reset ends the user's sessions", async () => {
    const s = await c.session('giang');
    const w = await c.watch({ session: s });
    const setup = await c.as(s, 'POST', '/api/auth/totp/setup');
    await c.as(s, 'POST', '/api/auth/totp/enable', { code: totp(setup.body.secret) });
    expect((await c.as(admin, 'PATCH', '/api/users/giang', { totp: false })).status).toBe(200);
    expect(await closeOf(w)).toMatchObject({ code: CLOSE_ACCESS_ENDED });
    expect((await me(c, s)).status).toBe(401);
  });

  test('a new agency scope applies to an open socket at once', async () => {
    const s = await c.session('hai');
    const w = await c.watch({ session: s });
    expect((await c.as(admin, 'PATCH', '/api/users/hai', { agencies: ['so-a'] })).status).toBe(200);
    await until('the new scope on the socket', () => w.messages.some((m) => m.type === 'access'));
    expect(w.messages.find((m) => m.type === 'access')).toEqual({ type: 'access', user: 'hai', role: 'responder', agencies: ['so-a'] });
    await c.publishIncident('inc-b', 'so-b');
    await c.publishIncident('inc-a', 'so-a');
    await until('the so-a notice', () => w.incidents.includes('inc-a'));
    expect(w.incidents).toEqual(['inc-a']);
    expect(isOpen(w)).toBe(true);
  });
});

describe('changes made by another process are caught by the periodic re-check', () => {
  let c: ConsoleFixture;
  let other: Store; // another connection to the same database, as the CLI or another console has
  beforeAll(async () => {
    c = await startConsole({ users: USERS, revalidateSeconds: 0.2 });
    other = createSqliteStore({ path: c.dbPath });
  });
  afterAll(async () => {
    await other?.close();
    await c?.close();
  });

  test('a user disabled elsewhere: its socket closes', async () => {
    const w = await c.watch({ session: await c.session('an') });
    await other.putUser({ ...(await other.getUser('an'))!, disabled: true });
    expect(await closeOf(w)).toEqual({ code: CLOSE_ACCESS_ENDED, reason: 'account disabled' });
  });

  test('a user deleted elsewhere: its socket closes', async () => {
    const w = await c.watch({ session: await c.session('binh') });
    const db = new Database(c.dbPath);
    db.prepare('DELETE FROM users WHERE username = ?').run('binh');
    db.close();
    expect(await closeOf(w)).toEqual({ code: CLOSE_ACCESS_ENDED, reason: 'account deleted' });
  });

  test('a token revoked with the CLI: its socket closes', async () => {
    const chi = await c.session('chi');
    const token = (await c.as(chi, 'POST', '/api/tokens', {})).body;
    const w = await c.watch({ token: token.secret });
    const rec = (await other.listTokens({ kind: 'api', subject: 'chi' })).find((t) => t.id === token.token.id)!;
    await other.putToken({ ...rec, revoked: new Date().toISOString() });
    expect(await closeOf(w)).toEqual({ code: CLOSE_ACCESS_ENDED, reason: 'API token revoked or unknown' });
  });

  test('an expired session: its socket closes', async () => {
    const s = await c.session('dung');
    const w = await c.watch({ session: s });
    const rec = (await other.getSession(sessionIdOf(s)))!;
    await other.putSession({ ...rec, expires: new Date(Date.now() - 1000).toISOString() });
    expect(await closeOf(w)).toEqual({ code: CLOSE_ACCESS_ENDED, reason: 'session ended: logged out or expired' });
  });

  test('canhgac user totp-reset: the sessions end and the socket closes', async () => {
    const s = await c.session('giang');
    const w = await c.watch({ session: s });
    const setup = await c.as(s, 'POST', '/api/auth/totp/setup');
    await c.as(s, 'POST', '/api/auth/totp/enable', { code: totp(setup.body.secret) });
    const out: string[] = [];
    expect(await userRecoveryCli(other, ['totp-reset', 'giang'], { stdout: (l) => out.push(l), stderr: (l) => out.push(l) })).toBe(0);
    expect(out).toEqual(['second factor of giang turned off and their sessions ended; they log in with the password and can set up TOTP again']);
    expect(await closeOf(w)).toMatchObject({ code: CLOSE_ACCESS_ENDED });
    expect((await me(c, s)).status).toBe(401);
    expect((await c.login('giang')).status).toBe(200);
  });

  test('canhgac token revoke, the real command in its own process: the socket opened with the token closes', async () => {
    const s = await c.session('hai');
    const token = (await c.as(s, 'POST', '/api/tokens', { label: 'wall screen' })).body;
    const w = await c.watch({ token: token.secret });
    const revoked = await cliAsync(c.dir, ['token', 'revoke', token.token.id]);
    expect(revoked).toMatchObject({ code: 0, stdout: `token ${token.token.id} revoked\n` }); // on failure the diff shows its stderr
    expect(await closeOf(w)).toEqual({ code: CLOSE_ACCESS_ENDED, reason: 'API token revoked or unknown' });
  });

  test('a scope changed elsewhere applies to the open socket within the re-check', async () => {
    const w = await c.watch({ session: await c.session('khoa') });
    await other.putUser({ ...(await other.getUser('khoa'))!, agencies: ['so-b'] });
    await until('the new scope on the socket', () => w.messages.some((m) => m.type === 'access'));
    await c.publishIncident('inc-a', 'so-a');
    await c.publishIncident('inc-b', 'so-b');
    await until('the so-b notice', () => w.incidents.includes('inc-b'));
    expect(w.incidents).toEqual(['inc-b']);
  });
});
