import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEmbeddedBus } from '../core/bus/embedded';
import { silentLogger } from '../core/log';
import { createSqliteStore } from '../core/store/sqlite';
import type { Alert, Severity } from '../core/model';
import { applyAlert, WorkflowError, type IncidentServiceOptions } from './incidents';
import { mergeIncidents, splitIncident } from './regroup';

function setup(): IncidentServiceOptions {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-regroup-'));
  return { store: createSqliteStore({ path: ':memory:' }), bus: createEmbeddedBus({ dir }), logger: silentLogger, windowMinutes: 60 };
}

let n = 0;
function alert(rule: string, severity: Severity, summary: Alert['summary'], tenant = 'so-a'): Alert {
  n++;
  return {
    id: `x${n}`, '@timestamp': new Date(Date.parse('2026-11-28T01:00:00.000Z') + n * 1000).toISOString(), created: '2026-11-28T01:00:00.000Z', tenant,
    rule: { id: `r-${rule}`, title: `Rule ${rule}`, level: severity, tags: [], references: [] }, kind: 'rule', severity, groupKey: 'k', groupBy: null, eventIds: [`e${n}`], summary,
  };
}

test('merging moves the alerts, sums the counts, closes the source as a duplicate pointing at the target, and records it in both histories', async () => {
  const o = setup();
  const a = (await applyAlert(o, alert('scan', 'medium', { source_ip: '198.51.100.77' })))!.incident;
  const b = (await applyAlert(o, alert('web', 'high', { source_ip: '198.51.100.78' })))!.incident;
  await applyAlert(o, alert('web', 'high', { source_ip: '198.51.100.78' }));
  const { target, source } = await mergeIncidents(o, b.id, a.id, null, 'an');
  expect(target).toMatchObject({ id: a.id, count: 3, severity: 'high' });
  expect(target.rules!.map((r) => r.id)).toEqual(['r-scan', 'r-web']);
  expect(target.entities!.source_ip).toEqual(['198.51.100.77', '198.51.100.78']);
  expect(source).toMatchObject({ status: 'duplicate', mergedInto: a.id });
  expect((await o.store.listAlerts({ incidentId: a.id, tenants: null })).length).toBe(3);
  expect((await o.store.listIncidentChanges(b.id)).map((c) => [c.action, c.actor, c.to])).toContainEqual(['merge', 'an', a.id]);
  // a later alert of the merged address joins the target
  expect((await applyAlert(o, alert('web', 'high', { source_ip: '198.51.100.78' })))!.incident.id).toBe(a.id);
});

test('merge refuses itself, another agency, a closed incident and what the caller cannot see', async () => {
  const o = setup();
  const a = (await applyAlert(o, alert('scan', 'medium', { source_ip: '192.0.2.1' })))!.incident;
  const other = (await applyAlert(o, alert('scan', 'medium', { source_ip: '192.0.2.1' }, 'so-b')))!.incident;
  await expect(mergeIncidents(o, a.id, a.id, null, 'an')).rejects.toThrow(/into itself/);
  await expect(mergeIncidents(o, other.id, a.id, null, 'an')).rejects.toThrow(/two agencies/);
  await expect(mergeIncidents(o, other.id, a.id, ['so-a'], 'an')).rejects.toMatchObject({ status: 404 });
  const c = (await applyAlert(o, alert('scan', 'medium', { source_ip: '192.0.2.9' })))!.incident;
  await mergeIncidents(o, c.id, a.id, null, 'an');
  await expect(mergeIncidents(o, c.id, a.id, null, 'an')).rejects.toBeInstanceOf(WorkflowError);
});

test('splitting moves the chosen alerts into a new incident; both are rebuilt from their alerts; a split that empties the incident is refused', async () => {
  const o = setup();
  const ip = '203.0.113.9';
  const first = (await applyAlert(o, alert('bf', 'high', { source_ip: ip, host: 'web-01' })))!.incident;
  const av = alert('av', 'critical', { source_ip: ip, user: 'deploy' });
  await applyAlert(o, av);
  const { original, split } = await splitIncident(o, first.id, [av.id], null, 'binh');
  expect(original).toMatchObject({ id: first.id, count: 1, severity: 'high' });
  expect(original.rules!.map((r) => r.id)).toEqual(['r-bf']);
  expect(split).toMatchObject({ count: 1, severity: 'critical', status: 'new' });
  expect((await o.store.getAlert(av.id))!.incidentId).toBe(split.id);
  expect((await o.store.listIncidentChanges(split.id)).map((c) => [c.action, c.actor, c.from])).toEqual([['split', 'binh', first.id]]);
  await expect(splitIncident(o, first.id, ['nope'], null, 'binh')).rejects.toThrow(/alerts\/nope: not an alert/);
  const only = (await o.store.listAlerts({ incidentId: first.id, tenants: null }))[0];
  await expect(splitIncident(o, first.id, [only.id], null, 'binh')).rejects.toThrow(/at least one alert/);
});
