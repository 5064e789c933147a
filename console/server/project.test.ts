import { project } from './project';
import { WS_INCIDENT_NOTICE } from './schemas';

const incident = {
  id: 'inc-1', tenant: 'so-a', rule: { id: 'r1', title: 'SSH brute force', level: 'high', tags: ['attack.t1110'], references: [], internal_note: 'x' },
  severity: 'high', status: 'new', groupKey: 'k', title: 'SSH brute force', summary: { source_ip: '203.0.113.7', malware: 'Emotet' }, count: 3,
  first_seen: 't0', last_seen: 't1', created: 't0', updated: 't1', version: 2, assignee: null,
  entities: { source_ip: ['203.0.113.7'] }, rules: [{ id: 'r1', title: 'SSH brute force', severity: 'high', tags: [], count: 3, first_seen: 't0', last_seen: 't1', debug: 1 }],
  secret_of_the_store: 'must not travel',
};

test('an incident notice keeps the declared fields of the incident, its rule, summary, entities and rules, and drops the rest', () => {
  const out = project(WS_INCIDENT_NOTICE, { type: 'incident.created', incident, extra: 1 }) as { type: string; incident: Record<string, unknown> };
  expect(Object.keys(out)).toEqual(['type', 'incident']);
  expect(out.incident.secret_of_the_store).toBeUndefined();
  expect(out.incident.rule).toEqual({ id: 'r1', title: 'SSH brute force', level: 'high', tags: ['attack.t1110'], references: [] });
  expect(out.incident.rules).toEqual([{ id: 'r1', title: 'SSH brute force', severity: 'high', tags: [], count: 3, first_seen: 't0', last_seen: 't1' }]);
  expect(out.incident.summary).toEqual({ source_ip: '203.0.113.7', malware: 'Emotet' });
  expect(out.incident.entities).toEqual({ source_ip: ['203.0.113.7'] }); // a map: every key kept
  expect(out.incident.assignee).toBeNull();
  const { secret_of_the_store: _dropped, ...declared } = incident;
  expect({ ...out.incident, rule: declared.rule, rules: declared.rules }).toEqual(declared);
});
