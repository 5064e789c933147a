import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEmbeddedBus } from '../core/bus/embedded';
import { silentLogger } from '../core/log';
import { createSqliteStore } from '../core/store/sqlite';
import { TOPICS } from '../core/bus/bus';
import type { Alert, DeadLetter } from '../core/model';
import { applyAlert, changeIncident, startIncidentService, WorkflowError, type IncidentServiceOptions } from './incidents';

function setup(windowMinutes = 60): IncidentServiceOptions {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-inc-'));
  return { store: createSqliteStore({ path: ':memory:' }), bus: createEmbeddedBus({ dir }), logger: silentLogger, windowMinutes };
}

let n = 0;
function alert(over: Partial<Alert> = {}): Alert {
  n++;
  return {
    id: `a${n}`,
    '@timestamp': '2026-11-28T01:00:00.000Z',
    created: '2026-11-28T01:00:00.000Z',
    tenant: 'so-a',
    rule: { id: 'r-bf', title: 'SSH Brute Force', level: 'high', tags: [], references: [] },
    kind: 'correlation',
    severity: 'high',
    groupKey: 'source.ip=203.0.113.5',
    groupBy: { 'source.ip': '203.0.113.5' },
    eventIds: [`e${n}`],
    summary: { source_ip: '203.0.113.5' },
    ...over,
  };
}

const from = (ip: string): Partial<Alert> => ({ groupKey: `source.ip=${ip}`, groupBy: { 'source.ip': ip }, summary: { source_ip: ip } });

test('the same rule and group key within the window fold into one incident whose count and last_seen grow', async () => {
  const o = setup();
  const a = await applyAlert(o, alert());
  const b = await applyAlert(o, alert({ '@timestamp': '2026-11-28T01:30:00.000Z' }));
  expect(a!.created).toBe(true);
  expect(b!.created).toBe(false);
  expect(b!.incident.id).toBe(a!.incident.id);
  expect(b!.incident.count).toBe(2);
  expect(b!.incident.last_seen).toBe('2026-11-28T01:30:00.000Z');
  expect((await o.store.listAlerts({ incidentId: a!.incident.id, tenants: null })).length).toBe(2);
});

test('another source, another agency, or a gap longer than the window opens a new incident', async () => {
  const o = setup(60);
  const first = await applyAlert(o, alert());
  expect((await applyAlert(o, alert(from('198.51.100.1'))))!.created).toBe(true);
  expect((await applyAlert(o, alert({ tenant: 'so-b' })))!.created).toBe(true);
  const late = await applyAlert(o, alert({ '@timestamp': '2026-11-28T02:00:01.000Z' }));
  expect(late!.created).toBe(true);
  expect(late!.incident.id).not.toBe(first!.incident.id);
});

test('a redelivered alert is not counted twice', async () => {
  const o = setup();
  const a = alert();
  await applyAlert(o, a);
  expect(await applyAlert(o, a)).toMatchObject({ created: false, redelivered: true, incident: { count: 1 } });
  expect((await o.store.listIncidents({ tenants: null })).items[0].count).toBe(1);
});

test('a closed incident is not reopened by a new alert: a new one opens', async () => {
  const o = setup();
  const a = await applyAlert(o, alert());
  await changeIncident(o, a!.incident.id, null, 'an', { action: 'status', status: 'resolved', resolution: 'blocked at the firewall' });
  expect((await applyAlert(o, alert()))!.created).toBe(true);
});

test('workflow: acknowledge, assign, comment, close, with who and when recorded; invalid moves refused', async () => {
  const o = setup();
  const { incident } = (await applyAlert(o, alert()))!;
  const ack = await changeIncident(o, incident.id, null, 'an', { action: 'status', status: 'acknowledged' });
  expect(ack.status).toBe('acknowledged');
  await changeIncident(o, incident.id, null, 'an', { action: 'assign', assignee: 'binh' });
  await changeIncident(o, incident.id, null, 'binh', { action: 'comment', comment: 'IP thuộc botnet, đã chặn' });
  const closed = await changeIncident(o, incident.id, null, 'binh', { action: 'status', status: 'false_positive', resolution: 'quét của đơn vị kiểm thử' });
  expect(closed).toMatchObject({ status: 'false_positive', assignee: 'binh', resolution: 'quét của đơn vị kiểm thử' });
  await expect(changeIncident(o, incident.id, null, 'binh', { action: 'status', status: 'acknowledged' })).rejects.toThrow(/cannot go from false_positive to acknowledged/);
  await expect(changeIncident(o, incident.id, ['so-b'], 'x', { action: 'comment', comment: 'hi' })).rejects.toBeInstanceOf(WorkflowError);
  const history = await o.store.listIncidentChanges(incident.id);
  expect(history.map((c) => [c.action, c.actor, c.to ?? c.comment])).toEqual([
    ['created', 'canhgac', 'new'],
    ['status', 'an', 'acknowledged'],
    ['assign', 'an', 'binh'],
    ['comment', 'binh', 'IP thuộc botnet, đã chặn'],
    ['status', 'binh', 'false_positive'],
  ]);
});

test('an alert that cannot be folded becomes a dead letter and the alerts after it still open incidents', async () => {
  const o = setup();
  const svc = await startIncidentService(o);
  try {
    const broken = { ...alert({ tenant: 'so-a' }), '@timestamp': undefined, rule: undefined } as unknown as Alert;
    await o.bus.publish(TOPICS.alerts, [alert(from('192.0.2.1')), broken, alert(from('192.0.2.2'))].map((value) => ({ key: 'so-a', value })));
    const dlSeen: DeadLetter[] = [];
    const sub = await o.bus.subscribe<DeadLetter>({ topic: TOPICS.dlq, group: 'test-dlq', handler: async (b) => void dlSeen.push(...b.map((m) => m.value)) });
    for (let i = 0; i < 200 && ((await o.store.listIncidents({ tenants: null })).total < 2 || dlSeen.length < 1); i++) await new Promise((r) => setTimeout(r, 50));
    await sub.close();
    expect((await o.store.listIncidents({ tenants: null })).total).toBe(2);
    expect(dlSeen).toHaveLength(1);
    expect(dlSeen[0]).toMatchObject({ tenant: 'so-a', listener: 'alerting' });
    expect(dlSeen[0].reason).toMatch(/^alerting: /);
  } finally {
    await svc.stop();
  }
});
