import { createSqliteStore } from '../../core/store/sqlite';
import { userRecoveryCli } from './cli';
import { createSecretBox } from './secretbox';
import { newTotpSecret, putTotp, totpEnabled } from './totp';

test('user totp-reset and unlock recover an account, audited, and name a missing user', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  const out: string[] = [];
  const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(`ERR ${s}`) };
  await store.putUser({ username: 'an', role: 'analyst', agencies: [], passwordHash: 'h', created: 'x', failedLogins: 0, lockedUntil: new Date(Date.now() + 600000).toISOString() });
  await putTotp(store, 'an', { secret: newTotpSecret(), enabled: true }, createSecretBox(() => ({ key: Buffer.alloc(32, 1), source: 'a test key' })));

  expect(await userRecoveryCli(store, ['totp-reset', 'an'], io)).toBe(0);
  expect(await totpEnabled(store, 'an')).toBe(false);
  expect((await store.getUser('an'))?.sessionEpoch).toBe(1); // their sessions ended
  expect(await userRecoveryCli(store, ['unlock', 'an'], io)).toBe(0);
  expect((await store.getUser('an'))?.lockedUntil).toBeNull();
  expect((await store.listAudit({})).map((e) => [e.actor, e.action, e.target])).toEqual([
    ['cli', 'user.change', 'an'],
    ['cli', 'user.unlock', 'an'],
  ]);
  expect(await userRecoveryCli(store, ['unlock', 'nobody'], io)).toBe(2);
  expect(out.pop()).toBe('ERR user unlock: no user "nobody" (the users are listed in the console, Users view)');
  await store.close();
});
