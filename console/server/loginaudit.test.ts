import type { AuditEntry } from '../../core/model';
import { createLoginAudit } from './loginaudit';

const T0 = Date.parse('2026-12-03T10:00:00Z');

function setup(extra: { maxFirstPerWindow?: number; maxKeys?: number } = {}) {
  const log: AuditEntry[] = [];
  const audit = createLoginAudit({ append: async (e) => log.push(e), windowSeconds: 60, ...extra });
  return { log, audit };
}

test('the first failure per address and user name is written at once, the rest of the minute as one count', async () => {
  const { log, audit } = setup();
  for (let i = 0; i < 500; i++) await audit.refused('login.failed', 'admin', '203.0.113.7', T0 + i * 10);
  await audit.refused('login.failed', 'lan', '203.0.113.7', T0 + 100);
  expect(log.map((e) => [e.action, e.actor, e.ip])).toEqual([['login.failed', 'admin', '203.0.113.7'], ['login.failed', 'lan', '203.0.113.7']]);
  await audit.flush({ now: T0 + 30_000 }); // the window has not ended
  expect(log).toHaveLength(2);
  await audit.flush({ now: T0 + 60_000 });
  expect(log[2]).toEqual({ at: new Date(T0 + 4990).toISOString(), actor: 'admin', action: 'login.failed', ip: '203.0.113.7', details: { repeated: 499, since: new Date(T0).toISOString(), until: new Date(T0 + 4990).toISOString() } });
  expect(log).toHaveLength(3); // lan failed once: nothing more to say
  await audit.refused('login.failed', 'admin', '203.0.113.7', T0 + 61_000); // a new window starts with a new first entry
  expect(log).toHaveLength(4);
  await audit.close();
});

test('a rate-limited address is one entry per window whatever names it tries; a failure after the window settles the old count first', async () => {
  const { log, audit } = setup();
  for (let i = 0; i < 100; i++) await audit.refused('login.rate_limited', `user-${i}`, '198.51.100.1', T0 + i);
  expect(log).toHaveLength(1);
  await audit.refused('login.rate_limited', 'x', '198.51.100.1', T0 + 60_000);
  expect(log.map((e) => e.details?.repeated)).toEqual([undefined, 99, undefined]);
  expect((log[1].details!.users as string[]).length).toBe(20);
  await audit.close();
  expect(log).toHaveLength(3);
});

test('many distinct addresses are folded into one entry per kind once a window has its share of first entries', async () => {
  const { log, audit } = setup({ maxFirstPerWindow: 10 });
  for (let i = 0; i < 1000; i++) await audit.refused('login.failed', `u${i}`, `10.0.${i >> 8}.${i & 255}`, T0 + i);
  expect(log).toHaveLength(10);
  await audit.close();
  expect(log).toHaveLength(11);
  expect(log[10]).toMatchObject({ actor: 'anonymous', ip: null, action: 'login.failed', details: { repeated: 990 } });
});

test('the pending table is bounded: the oldest key is written out to make room', async () => {
  const { log, audit } = setup({ maxKeys: 2 });
  await audit.refused('login.failed', 'a', '10.0.0.1', T0);
  await audit.refused('login.failed', 'a', '10.0.0.1', T0 + 1);
  await audit.refused('login.failed', 'b', '10.0.0.2', T0 + 2);
  await audit.refused('login.failed', 'c', '10.0.0.3', T0 + 3); // evicts a, with its count
  expect(log.map((e) => [e.actor, e.details?.repeated])).toEqual([['a', undefined], ['b', undefined], ['a', 1], ['c', undefined]]);
  await audit.close();
});
