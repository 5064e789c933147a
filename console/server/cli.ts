/**
 * Account recovery from the command line, for when no admin can log in: turn off a user's
 * second factor (a lost phone) or lift a lockout. Wired in bin/canhgac.ts as
 * `canhgac user totp-reset|unlock <name>`; each change is audited as done by "cli".
 */
import type { Store } from '../../core/store/store';
import { endSessions } from './auth';
import { clearTotp, totpEnabled } from './totp';

export async function userRecoveryCli(store: Store, args: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number> {
  const [op, username] = args;
  if ((op !== 'totp-reset' && op !== 'unlock') || !username) {
    io.stderr('usage: canhgac user totp-reset <name> | canhgac user unlock <name>');
    return 2;
  }
  const user = await store.getUser(username);
  if (!user) {
    io.stderr(`user ${op}: no user "${username}" (the users are listed in the console, Users view)`);
    return 2;
  }
  const now = new Date().toISOString();
  if (op === 'totp-reset') {
    if (!(await totpEnabled(store, username))) {
      io.stdout(`user ${username} has no second factor; nothing to do`);
      return 0;
    }
    await clearTotp(store, username);
    await store.putUser(await endSessions(store, user)); // their sessions end; a running console closes their WebSockets within seconds
    await store.appendAudit({ at: now, actor: 'cli', action: 'user.change', target: username, details: { totp: 'reset', sessions: 'ended' } });
    io.stdout(`second factor of ${username} turned off and their sessions ended; they log in with the password and can set up TOTP again`);
    return 0;
  }
  await store.putUser({ ...user, failedLogins: 0, lockedUntil: null });
  await store.appendAudit({ at: now, actor: 'cli', action: 'user.unlock', target: username });
  io.stdout(`user ${username} unlocked`);
  return 0;
}
