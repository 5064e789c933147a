/** The retention schedule: daily by default, in Vietnam time; a bad expression stops the start naming the key. */
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { createSqliteStore } from '../store/sqlite';
import { retentionConfigSchema } from './config-schema';
import { startRetentionSchedule } from './schedule';

const logger = createLogger({ level: 'silent' });

test('the default schedule runs next at 02:30 Vietnam time (19:30 UTC), and retention.enabled: false starts none', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  const s = startRetentionSchedule(store, retentionConfigSchema.parse({}), logger)!;
  const next = s.nextRun()!;
  expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([19, 30]);
  expect(next.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
  await s.stop();
  expect(startRetentionSchedule(store, retentionConfigSchema.parse({ enabled: false }), logger)).toBeNull();
  expect(() => startRetentionSchedule(store, { ...retentionConfigSchema.parse({}), schedule: 'every night' }, logger)).toThrow(/^retention\.schedule: "every night" is not a cron expression/);
  expect(() => loadConfig({ file: null, env: {}, overrides: { 'retention.schedule': 'every night' } })).toThrow(/retention\.schedule: "every night" is not allowed: a cron expression/);
  await store.close();
});
