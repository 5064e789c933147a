/** The triage queue through app.inject(): sorting, SLA breach in the list, bulk actions, merge and split with their audit entries. */
import type { Incident, Severity } from '../../core/model';
import { incidentOf, startKit, type Kit } from './testkit';
import { queueSla, sortQueue } from './triageroutes';
import { DEFAULT_SLA } from './sla';

let kit: Kit;
beforeAll(async () => {
  kit = await startKit();
  const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
  const add = (id: string, severity: Severity, createdMin: number, count: number, lastMin: number) =>
    kit.store.saveIncident({ ...incidentOf(id, 'so-a'), severity, created: ago(createdMin), first_seen: ago(createdMin), last_seen: ago(lastMin), count }, null);
  await add('q-crit-fresh', 'critical', 5, 3, 4); // 10 min left to acknowledge
  await add('q-high-late', 'high', 45, 1, 40); // 30 min to acknowledge: breached
  await add('q-med-busy', 'medium', 10, 90, 1); // busiest, newest activity
});
afterAll(() => kit.close());

const admin = () => kit.callers.find((c) => c.username === 'analyst-prov')!;
const ids = (body: { items: { incident: Incident }[] }) => body.items.map((i) => i.incident.id).filter((id) => id.startsWith('q-'));

test('the queue sorts by SLA time left, severity, last activity or count, and shows the breach', async () => {
  const bySla = await kit.call(admin(), 'GET', '/api/incidents/queue?sort=sla&agency=so-a');
  expect(bySla.status).toBe(200);
  expect(ids(bySla.body)).toEqual(['q-high-late', 'q-crit-fresh', 'q-med-busy']);
  expect(bySla.body.items.find((i: { incident: Incident }) => i.incident.id === 'q-high-late').sla).toMatchObject({ stage: 'acknowledge', breached: true });
  expect(bySla.body.breached).toBeGreaterThanOrEqual(1);
  expect(ids((await kit.call(admin(), 'GET', '/api/incidents/queue?sort=severity&agency=so-a')).body)).toEqual(['q-crit-fresh', 'q-high-late', 'q-med-busy']);
  expect(ids((await kit.call(admin(), 'GET', '/api/incidents/queue?sort=count&agency=so-a')).body)).toEqual(['q-med-busy', 'q-crit-fresh', 'q-high-late']);
  expect(ids((await kit.call(admin(), 'GET', '/api/incidents/queue?sort=last_activity&agency=so-a')).body)).toEqual(['q-med-busy', 'q-crit-fresh', 'q-high-late']);
  expect((await kit.call(admin(), 'GET', '/api/incidents/queue?sort=age')).body.error).toMatch(/querystring\/sort/);
});

test('an acknowledged incident is measured against the time to resolve; a closed one has no SLA left', () => {
  const inc = { ...incidentOf('x', 'so-a'), severity: 'high' as const, created: new Date(0).toISOString() };
  expect(queueSla({ ...inc, status: 'acknowledged' }, DEFAULT_SLA, 60 * 60_000)).toMatchObject({ stage: 'resolve', left_ms: 7 * 3600_000, breached: false });
  expect(queueSla({ ...inc, status: 'resolved' }, DEFAULT_SLA, 0)).toEqual({ stage: 'closed', due: null, left_ms: null, breached: false });
  const rows = [{ incident: inc, sla: queueSla({ ...inc, status: 'resolved' }, DEFAULT_SLA, 0) }, { incident: { ...inc, id: 'y' }, sla: queueSla(inc, DEFAULT_SLA, 0) }];
  expect(sortQueue(rows, 'sla').map((r) => r.incident.id)).toEqual(['y', 'x']);
});

test('bulk acknowledge, assign and close change each incident, say which could not be changed, and are audited once', async () => {
  const ack = await kit.call(admin(), 'POST', '/api/incidents/bulk', { ids: ['q-crit-fresh', 'q-high-late', 'inc-missing'], action: 'acknowledge' });
  expect(ack.status).toBe(200);
  expect(ack.body.results).toEqual([
    { id: 'q-crit-fresh', ok: true, status: 'acknowledged' },
    { id: 'q-high-late', ok: true, status: 'acknowledged' },
    { id: 'inc-missing', ok: false, error: 'incident inc-missing does not exist or is not visible to you' },
  ]);
  const assign = await kit.call(admin(), 'POST', '/api/incidents/bulk', { ids: ['q-crit-fresh', 'q-high-late'], action: 'assign', assignee: 'analyst-a' });
  expect(assign.body.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
  expect((await kit.store.getIncident('q-high-late', null))!.assignee).toBe('analyst-a');
  const close = await kit.call(admin(), 'POST', '/api/incidents/bulk', { ids: ['q-high-late'], action: 'close', status: 'false_positive', resolution: 'the SOC scanner' });
  expect(close.body.results).toEqual([{ id: 'q-high-late', ok: true, status: 'false_positive' }]);
  expect((await kit.call(admin(), 'POST', '/api/incidents/bulk', { ids: ['q-crit-fresh'], action: 'assign' })).status).toBe(400);
  // a viewer may not
  expect((await kit.call(kit.callers.find((c) => c.username === 'viewer-a')!, 'POST', '/api/incidents/bulk', { ids: ['q-crit-fresh'], action: 'acknowledge' })).status).toBe(403);
  const audited = async (action: string) => {
    for (let i = 0; i < 100; i++) {
      const found = (await kit.store.listAudit({ limit: 10000 })).filter((e) => e.action === action);
      if (found.length) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    return [];
  };
  expect((await audited('incidents.bulk.acknowledge')).map((e) => [e.actor, e.details?.ids])).toEqual([['analyst-prov', ['q-crit-fresh', 'q-high-late']]]);
});

test('merge and split through the API, audited; another agency’s incident is not found', async () => {
  await kit.store.saveIncident({ ...incidentOf('m-a', 'so-a'), entityKeys: ['source_ip=192.0.2.1'] }, null);
  await kit.store.putAlerts([
    { id: 'm-al-1', '@timestamp': new Date().toISOString(), created: new Date().toISOString(), tenant: 'so-a', rule: { id: 'r1', title: 'R1', level: 'high', tags: [], references: [] }, kind: 'rule', severity: 'high', groupKey: 'k', groupBy: null, eventIds: [], summary: { source_ip: '192.0.2.1' }, incidentId: 'm-a' },
    { id: 'm-al-2', '@timestamp': new Date().toISOString(), created: new Date().toISOString(), tenant: 'so-a', rule: { id: 'r2', title: 'R2', level: 'low', tags: [], references: [] }, kind: 'rule', severity: 'low', groupKey: 'k', groupBy: null, eventIds: [], summary: { user: 'bob' }, incidentId: 'm-a' },
  ]);
  const split = await kit.call(admin(), 'POST', '/api/incidents/m-a/split', { alerts: ['m-al-2'] });
  expect(split.status).toBe(200);
  expect(split.body.split).toMatchObject({ count: 1, severity: 'low' });
  const merged = await kit.call(admin(), 'POST', `/api/incidents/${split.body.split.id}/merge`, { into: 'm-a' });
  expect(merged.status).toBe(200);
  expect(merged.body.source).toMatchObject({ status: 'duplicate', mergedInto: 'm-a' });
  expect(merged.body.target).toMatchObject({ id: 'm-a', count: 2 });
  expect((await kit.call(admin(), 'POST', '/api/incidents/inc-so-b/merge', { into: 'm-a' })).status).toBe(409);
  expect((await kit.call(kit.callers.find((c) => c.username === 'analyst-a')!, 'POST', '/api/incidents/inc-so-b/merge', { into: 'm-a' })).status).toBe(404);
  for (const action of ['incident.split', 'incident.merge']) {
    let entries: { actor: string; target?: string | null }[] = [];
    for (let i = 0; i < 100 && !entries.length; i++) {
      entries = (await kit.store.listAudit({ limit: 10000 })).filter((e) => e.action === action);
      if (!entries.length) await new Promise((r) => setTimeout(r, 20));
    }
    expect(entries.map((e) => [e.actor, e.target])).toEqual([['analyst-prov', 'm-a']]);
  }
});
