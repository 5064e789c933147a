import type { Incident, IncidentChange } from '../../core/model';
import { DEFAULT_SLA, slaOf } from './sla';

const created = '2026-11-28T01:00:00.000Z';
const inc = (over: Partial<Incident> = {}): Incident => ({
  id: 'i', tenant: 'a', rule: { id: 'r', title: 'R', level: 'high', tags: [], references: [] }, severity: 'high', status: 'new', groupKey: 'g', title: 'R', summary: {},
  count: 1, first_seen: created, last_seen: created, created, updated: created, version: 1, ...over,
});
const change = (at: string, action: IncidentChange['action'], to: string | null): IncidentChange => ({ id: at, incidentId: 'i', tenant: 'a', at, actor: 'an', action, to });

test('time to acknowledge runs until the first status change or assignment, time open until closing', () => {
  const now = Date.parse('2026-11-28T03:00:00.000Z');
  const waiting = slaOf(inc(), [change(created, 'created', 'new')], DEFAULT_SLA, now);
  expect([waiting.acknowledged_at, waiting.time_to_acknowledge_ms, waiting.acknowledge_breached, waiting.time_open_ms]).toEqual([null, 2 * 3600e3, true, 2 * 3600e3]);
  const assigned = slaOf(inc({ status: 'acknowledged' }), [change('2026-11-28T01:10:00.000Z', 'comment', null), change('2026-11-28T01:20:00.000Z', 'assign', 'an')], DEFAULT_SLA, now);
  expect([assigned.time_to_acknowledge_ms, assigned.acknowledge_breached]).toEqual([20 * 60e3, false]);
  const closed = slaOf(inc({ status: 'resolved' }), [change('2026-11-28T01:05:00.000Z', 'status', 'acknowledged'), change('2026-11-28T02:00:00.000Z', 'status', 'resolved')], DEFAULT_SLA, now);
  expect([closed.closed_at, closed.time_open_ms, closed.resolve_breached]).toEqual(['2026-11-28T02:00:00.000Z', 3600e3, false]);
  const tight = slaOf(inc({ status: 'resolved' }), [change('2026-11-28T02:00:00.000Z', 'status', 'resolved')], { high: { acknowledge_minutes: 5, resolve_minutes: 30 } }, now);
  expect([tight.acknowledge_breached, tight.resolve_breached]).toEqual([true, true]);
});
