/** The warnings of the retention view, each true of the store as it is. */
import { newId, type EcsEvent } from '../event';
import { createSqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';
import { DEFAULT_RETENTION } from './config-schema';
import { retentionStatus } from './status';

const DAY = 86_400_000;
const NOW = new Date(Date.UTC(2026, 11, 4, 12));
const ev = (tenant: string, ms: number): EcsEvent => ({ '@timestamp': new Date(NOW.getTime() - ms).toISOString(), organization: { id: tenant }, event: { id: newId(), kind: 'event' } }) as EcsEvent;
let store: Store;
beforeEach(async () => {
  store = createSqliteStore({ path: ':memory:' });
  await store.putTenant({ id: 'so-a', name: 'A', created: '', securityLevel: 3 });
  await store.putEvents([ev('so-a', 200 * DAY), ev('so-a', 0)]);
});
afterEach(() => store.close());

test('a disk under retention.disk_min_free_percent warns that the level minimum may not be kept; enough free space does not', async () => {
  const low = await retentionStatus(store, { config: DEFAULT_RETENTION, diskPath: '/data', freeDisk: () => ({ freePercent: 4.2 }) }, await store.listTenants(), NOW);
  expect(low[0].warnings).toEqual([{ code: 'disk', message: "the store's disk has 4.2% free (warning under 10%, retention.disk_min_free_percent): it may not keep the 92 days level 3 requires" }]);
  const fine = await retentionStatus(store, { config: DEFAULT_RETENTION, diskPath: '/data', freeDisk: () => ({ freePercent: 40 }) }, await store.listTenants(), NOW);
  expect(fine[0]).toMatchObject({ oldest_event: new Date(NOW.getTime() - 200 * DAY).toISOString(), kept_days: 200, warnings: [] });
});

test("a store that deletes every event younger than the level's minimum (Elasticsearch retention_days) says so and what to raise it to", async () => {
  const capped = { ...store, retention: { ...store.retention, capDays: 90 } } as Store;
  const [a] = await retentionStatus(capped, { config: DEFAULT_RETENTION }, await store.listTenants(), NOW);
  expect(a.warnings).toEqual([{ code: 'store_limit', message: 'the store deletes every event older than 90 days (store.elasticsearch.retention_days), below the 92-day minimum of level 3; raise it to at least 92' }]);
});
