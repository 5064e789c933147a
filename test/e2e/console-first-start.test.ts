/**
 * The real commands before and at the first start: a user added with the CLI before the first
 * start no longer suppresses the admin account (the banner says it was created), and revoking
 * a token twice with `canhgac token revoke` is refused the second time, audited once.
 */
import path from 'node:path';
import { createSqliteStore } from '../../core/store/sqlite';
import { ADMIN_PASSWORD, ApiClient, cli, startCanhgac, tempDataDir } from '../helpers/canhgac';

test('a user added before the first start: admin is still created with CANHGAC_ADMIN_PASSWORD, and the banner says so', async () => {
  const dir = tempDataDir();
  expect(cli(dir, ['tenant', 'add', 'so-yte', '--name', 'Sở Y tế']).code).toBe(0);
  expect(cli(dir, ['user', 'add', 'lan', '--role', 'analyst', '--agency', 'so-yte'], 'lan-password-123\n').code).toBe(0);
  const c = await startCanhgac({ dataDir: dir });
  try {
    expect(c.stdout()).toMatch(/login\s+admin \/ the password in CANHGAC_ADMIN_PASSWORD\s+\(no admin existed: "admin" was created now\)/);
    const admin = await ApiClient.login(c.consoleUrl, 'admin', ADMIN_PASSWORD);
    expect((await admin.get<{ role: string; agencies: string[] }>('/api/auth/me')).body).toMatchObject({ role: 'admin', agencies: [] });
  } finally {
    await c.stop();
  }
  const again = await startCanhgac({ dataDir: dir });
  try {
    expect(again.stdout()).toMatch(/login\s+log in with an existing admin account \(admin\)/);
  } finally {
    await again.stop();
  }
});

test('canhgac token revoke twice: exit 1 the second time, one audit entry', async () => {
  const dir = tempDataDir();
  expect(cli(dir, ['tenant', 'add', 'so-yte', '--name', 'Sở Y tế']).code).toBe(0);
  const store = createSqliteStore({ path: path.join(dir, 'canhgac.db') });
  const id = (await store.listTokens({ kind: 'ingest', subject: 'so-yte' }))[0].id;
  await store.close();
  expect(cli(dir, ['token', 'revoke', id])).toMatchObject({ code: 0, stdout: `token ${id} revoked\n` });
  const second = cli(dir, ['token', 'revoke', id]);
  expect(second.code).toBe(1);
  expect(second.stderr).toMatch(new RegExp(`token revoke: token ${id} is revoked already`));
  const after = createSqliteStore({ path: path.join(dir, 'canhgac.db') });
  try {
    expect((await after.listAudit({ limit: 100 })).filter((e) => e.action === 'token.revoke')).toHaveLength(1);
  } finally {
    await after.close();
  }
});
