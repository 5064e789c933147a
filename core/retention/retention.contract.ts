/**
 * What retention does on any store (SQLite, Elasticsearch, OpenSearch): exactly the events past
 * their agency's retention go, oldest first in committed batches; a run stopped mid-way leaves
 * the rest for the next, which finishes; both are in the audit log, whose chain stays intact.
 */
import { verifyAuditChain } from '../audit';
import { newId, type EcsEvent } from '../event';
import type { Store } from '../store/store';
import { retentionConfigSchema } from './config-schema';
import { runRetention } from './run';
import { retentionStatus } from './status';

const DAY = 86_400_000;
const NOW = new Date(Date.UTC(2026, 11, 4, 12, 0, 0));
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const ev = (tenant: string, ts: string, n: number | string): EcsEvent => ({ '@timestamp': ts, organization: { id: tenant }, event: { id: newId(), kind: 'event' }, message: String(n) }) as EcsEvent;

async function messages(store: Store, tenant: string): Promise<string[]> {
  const page = await store.searchEvents({ tenants: [tenant], limit: 1000, order: 'asc' });
  return page.items.map((e) => String((e as { message?: string }).message));
}

export function describeRetentionContract(name: string, factory: () => Promise<Store> | Store): void {
  describe(`retention on ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory();
      await store.init();
    });
    afterEach(async () => {
      await store.close();
    });

    test('two agencies at levels 2 and 4 lose exactly their events past 31 and 184 days; an agency without a level keeps all; the run is audited', async () => {
      await store.putTenant({ id: 'a', name: 'A', created: ago(0), securityLevel: 2 });
      await store.putTenant({ id: 'b', name: 'B', created: ago(0), securityLevel: 4 });
      await store.putEvents([
        ev('a', ago(400 * DAY), 'a-400d'), ev('a', ago(31 * DAY + 60_000), 'a-31d+1m'), ev('a', ago(31 * DAY - 3_600_000), 'a-31d-1h'), ev('a', ago(DAY), 'a-1d'),
        ev('b', ago(200 * DAY), 'b-200d'), ev('b', ago(184 * DAY + 60_000), 'b-184d+1m'), ev('b', ago(184 * DAY - 3_600_000), 'b-184d-1h'), ev('b', ago(10 * DAY), 'b-10d'),
        ev('c', ago(900 * DAY), 'c-900d'), ev('c', ago(0), 'c-now'),
      ]);
      const cfg = retentionConfigSchema.parse({});
      const runs = await runRetention(store, cfg, { now: NOW, actor: 'cli' });
      expect(runs.map((r) => [r.tenant, r.days, r.due, r.deleted])).toEqual([['a', 31, 2, 2], ['b', 184, 2, 2]]);
      expect(await messages(store, 'a')).toEqual(['a-31d-1h', 'a-1d']);
      expect(await messages(store, 'b')).toEqual(['b-184d-1h', 'b-10d']);
      expect(await messages(store, 'c')).toEqual(['c-900d', 'c-now']);

      const audit = (await store.listAudit({ limit: 100 })).filter((e) => e.action.startsWith('retention.'));
      expect(audit.map((e) => [e.actor, e.action, e.target, e.details?.due ?? e.details?.deleted])).toEqual([
        ['cli', 'retention.due', 'a', 2], ['cli', 'retention.delete', 'a', 2], ['cli', 'retention.due', 'b', 2], ['cli', 'retention.delete', 'b', 2],
      ]);
      expect(audit[0].details).toMatchObject({ before: ago(31 * DAY), days: 31, security_level: 2, minimum_days: 31, agencies: ['a'], minimum_from: expect.stringContaining('TCVN 14423:2026') });
      expect(await verifyAuditChain(store)).toMatchObject({ intact: true });

      // nothing more is due: a second run deletes and audits nothing
      expect(await runRetention(store, cfg, { now: NOW })).toEqual([]);
      expect((await store.listAudit({ limit: 100 })).filter((e) => e.action.startsWith('retention.'))).toHaveLength(4);

      const status = await retentionStatus(store, { config: cfg }, await store.listTenants(), NOW);
      expect(status.map((s) => [s.tenant, s.security_level, s.minimum_days, s.retention_days, s.oldest_event, s.kept_days])).toEqual([
        ['a', 2, 31, 31, ago(31 * DAY - 3_600_000), 30],
        ['b', 4, 184, 184, ago(184 * DAY - 3_600_000), 183],
      ]);
    });

    test('an override below the minimum (with its reason) is what runs, and the reason is in the audit log', async () => {
      await store.putTenant({ id: 'a', name: 'A', created: ago(0), securityLevel: 3, retentionDays: 10, retentionReason: 'old disk until March' });
      await store.putEvents([ev('a', ago(50 * DAY), 'a-50d'), ev('a', ago(5 * DAY), 'a-5d'), ev('z', ago(0), 'z-now')]);
      const runs = await runRetention(store, retentionConfigSchema.parse({}), { now: NOW });
      expect(runs.map((r) => [r.tenant, r.days, r.deleted])).toEqual([['a', 10, 1]]);
      expect(await messages(store, 'a')).toEqual(['a-5d']);
      const due = (await store.listAudit({ limit: 100 })).find((e) => e.action === 'retention.due')!;
      expect(due.details).toMatchObject({ source: 'override', days: 10, minimum_days: 92, reason: 'old disk until March' });
    });

    test('a run stopped after two committed batches leaves a consistent store, and the next run finishes and audits the rest', async () => {
      await store.putTenant({ id: 'a', name: 'A', created: ago(0), securityLevel: 2 });
      const old = Array.from({ length: 35 }, (_, i) => ev('a', ago(100 * DAY + i * 60_000), `old-${i}`));
      await store.putEvents([...old, ev('a', ago(DAY), 'recent'), ev('z', ago(0), 'z-now')]);
      const cfg = retentionConfigSchema.parse({ batch_size: 10 });
      let batches = 0;
      const stopped = runRetention(store, cfg, {
        now: NOW,
        onBatch: () => {
          if (++batches === 2) throw new Error('killed');
        },
      });
      await expect(stopped).rejects.toThrow('killed');
      expect((await messages(store, 'a')).length).toBe(16); // 35 - 2 × 10 old ones left, and the recent one
      expect((await messages(store, 'a'))[0]).toBe('old-14'); // oldest first: old-34 … old-15 went
      const runs = await runRetention(store, cfg, { now: NOW });
      expect(runs.map((r) => [r.due, r.deleted])).toEqual([[15, 15]]);
      expect(await messages(store, 'a')).toEqual(['recent']);
      const audit = (await store.listAudit({ limit: 100 })).filter((e) => e.action.startsWith('retention.'));
      expect(audit.map((e) => [e.action, e.details?.due ?? e.details?.deleted])).toEqual([['retention.due', 35], ['retention.due', 15], ['retention.delete', 15]]);
      expect(await verifyAuditChain(store)).toMatchObject({ intact: true });
    });
  });
}
