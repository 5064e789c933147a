/**
 * Anonymous failed logins do not flood the audit log (#11 medium): one entry per address and
 * user name per minute plus one count when the minute ends, every lockout written, and the
 * counts still pending written when the console stops.
 */
import type { AuditEntry } from '../../core/model';
import { startConsole, type ConsoleFixture } from './console-fixture';

let c: ConsoleFixture;
beforeAll(async () => {
  c = await startConsole({ users: [['lan', 'analyst', []]], console: { loginLimit: { maxFailures: 30, windowSeconds: 600 } } });
});
afterAll(() => c?.close());

const entries = async (pred: (e: AuditEntry) => boolean) => (await c.store.listAudit({ limit: 100000 })).filter(pred);
const wrong = (username: string, from: string) => c.raw('POST', '/api/auth/login', { body: { username, password: 'not-the-password' }, from });

test('200 failed logins from one address make a handful of audit entries, each lockout among them', async () => {
  for (let i = 0; i < 25; i++) expect((await wrong('nobody', '127.0.6.1')).status).toBe(401);
  const limited = await Promise.all(Array.from({ length: 150 }, (_, i) => wrong(`guess-${i}`, '127.0.6.1')));
  expect(limited.filter((r) => r.status === 429)).toHaveLength(145); // 5 more fit under the limit of 30
  for (let i = 0; i < 25; i++) await wrong('lan', '127.0.6.2');
  const fromThem = (e: AuditEntry) => e.ip === '127.0.6.1' || e.ip === '127.0.6.2';
  const tally = (list: AuditEntry[]) => {
    const t: Record<string, number> = {};
    for (const e of list) t[`${e.action} ${e.actor.startsWith('guess-') ? 'guess-*' : e.actor}`] = (t[`${e.action} ${e.actor.startsWith('guess-') ? 'guess-*' : e.actor}`] ?? 0) + 1;
    return t;
  };
  // the parallel ones finish in any order; what counts is how many entries of each
  expect(tally(await entries(fromThem))).toEqual({
    'login.failed nobody': 1,
    'login.failed guess-*': 5, // five names, each tried once
    'login.rate_limited guess-*': 1,
    'login.failed lan': 1,
    'login.locked lan': 1,
    'login.refused_locked lan': 1,
  });

  await c.stopConsole(); // what was counted but not yet written goes in now
  const after = await entries(fromThem);
  const repeated = (action: string, actor: string) => after.find((e) => e.action === action && e.actor === actor && e.details?.repeated)?.details?.repeated;
  expect([repeated('login.failed', 'nobody'), repeated('login.failed', 'lan'), repeated('login.refused_locked', 'lan')]).toEqual([24, 3, 19]);
  expect(after.find((e) => e.action === 'login.rate_limited' && e.details?.repeated)?.details).toMatchObject({ repeated: 144 });
  expect(after.length).toBeLessThanOrEqual(15);
});
