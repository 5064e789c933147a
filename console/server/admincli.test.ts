/** The admin commands run the admin service: the same refusals as the API, one audit entry per change. */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../../core/store/sqlite';
import type { Store } from '../../core/store/store';
import { createToken } from '../../core/tokens';
import { ensureAdmin } from './admin';
import { adminCli } from './admincli';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-admincli-'));
  store = createSqliteStore({ path: path.join(dir, 'canhgac.db') });
  await store.putTenant({ id: 'so-yte', name: 'Sở Y tế', created: new Date().toISOString() });
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = async (cmd: string, positionals: string[], extra: Record<string, unknown> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await adminCli(store, cmd, { positionals, ...extra }, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), readPassword: async () => 'cli-password-123' });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

test('canhgac token revoke twice: the second is refused (exit 1) and audited once, like the API', async () => {
  const { record } = await createToken(store, 'ingest', 'so-yte');
  expect(await run('token', ['revoke', record.id])).toMatchObject({ code: 0, out: `token ${record.id} revoked` });
  const again = await run('token', ['revoke', record.id]);
  expect(again.code).toBe(1);
  expect(again.err).toMatch(new RegExp(`token revoke: token ${record.id} is revoked already`));
  expect((await store.listAudit({ limit: 100 })).filter((e) => e.action === 'token.revoke')).toHaveLength(1);
});

test('canhgac user add keeps the agency of every role, and says so', async () => {
  const r = await run('user', ['add', 'lan'], { role: 'analyst', agency: ['so-yte'] });
  expect(r).toMatchObject({ code: 0, out: 'user lan (analyst of so-yte) created' });
  expect((await store.getUser('lan'))!.agencies).toEqual(['so-yte']);
  expect((await run('user', ['add', 'lan'], { role: 'analyst' })).code).toBe(1);
  expect((await run('user', ['add', 'x'], { role: 'analyst', agency: ['so-none'] })).err).toMatch(/agency: no agency "so-none"/);
  expect((await run('user', ['add', 'x'], { role: 'boss' })).code).toBe(2);
});

test('canhgac tenant add: a taken id is refused with exit 1, a bad one with 2', async () => {
  expect((await run('tenant', ['add', 'so-gd'], { name: 'Sở Giáo dục' })).code).toBe(0);
  expect((await run('tenant', ['add', 'so-gd'], { name: 'again' })).code).toBe(1);
  expect((await run('tenant', ['add', 'Bad Id'], { name: 'x' })).code).toBe(2);
  expect((await run('tenant', ['list'])).out).toMatch(/so-gd\tSở Giáo dục/);
});

describe('the admin account at start', () => {
  const gen = () => 'generated-password-1';
  test('a user added with the CLI before the first start no longer suppresses admin when CANHGAC_ADMIN_PASSWORD is given', async () => {
    await run('user', ['add', 'lan'], { role: 'analyst', agency: ['so-yte'] });
    expect(await ensureAdmin(store, { CANHGAC_ADMIN_PASSWORD: 'chosen-password-1' }, gen)).toEqual({ created: true, generated: false });
    expect((await store.getUser('admin'))!.role).toBe('admin');
    expect(await ensureAdmin(store, { CANHGAC_ADMIN_PASSWORD: 'chosen-password-1' }, gen)).toEqual({ created: false, reason: 'log in with an existing admin account (admin)' });
  });

  test('without the password, users but no admin: nothing is created and the reason says what to do', async () => {
    await run('user', ['add', 'lan'], { role: 'analyst', agency: ['so-yte'] });
    const r = await ensureAdmin(store, {}, gen);
    expect(r).toMatchObject({ created: false, reason: expect.stringMatching(/set CANHGAC_ADMIN_PASSWORD and start again/) });
    expect(await store.getUser('admin')).toBeNull();
  });

  test('an empty store gets admin with a generated password; a too short CANHGAC_ADMIN_PASSWORD is refused, not used', async () => {
    expect(await ensureAdmin(store, { CANHGAC_ADMIN_PASSWORD: 'short' }, gen)).toMatchObject({ created: false, reason: expect.stringMatching(/CANHGAC_ADMIN_PASSWORD is refused: a password needs at least 10/) });
    expect(await ensureAdmin(store, {}, gen)).toEqual({ created: true, generated: true, password: 'generated-password-1' });
  });

  test('an agency-scoped admin is not a provincial admin: admin is created beside it', async () => {
    await run('user', ['add', 'boss'], { role: 'admin', agency: ['so-yte'] });
    expect(await ensureAdmin(store, { CANHGAC_ADMIN_PASSWORD: 'chosen-password-1' }, gen)).toEqual({ created: true, generated: false });
  });
});
