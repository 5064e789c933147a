import { detectionToAlert } from './alert';
import type { Detection } from './sigma';

const rule = { id: 'r1', title: 'SSH Brute Force', level: 'high', author: 'canhgac', tags: ['attack.t1110'], references: [], path: 'x.yml', kind: 'correlation' as const, enabled: true };

function det(over: Partial<Detection> = {}): Detection {
  return { rule, kind: 'correlation', eventIds: ['e1', 'e2'], groupBy: { 'source.ip': '203.0.113.5' }, timestamp: '2026-11-28T01:00:00Z', tenant: 'so-a', ...over };
}

const event = { '@timestamp': '2026-11-28T01:00:00Z', organization: { id: 'so-a' }, host: { hostname: 'web-01' }, user: { name: 'root' }, source: { ip: '203.0.113.5' }, event: { id: 'e2' } };

test('an alert carries the rule (with its author), the agency, a group key from group-by and a summary', () => {
  const a = detectionToAlert(det(), event);
  expect(a).toMatchObject({ tenant: 'so-a', severity: 'high', groupKey: 'source.ip=203.0.113.5', '@timestamp': '2026-11-28T01:00:00.000Z', eventIds: ['e1', 'e2'] });
  expect(a.rule).toMatchObject({ id: 'r1', author: 'canhgac', tags: ['attack.t1110'] });
  expect(a.summary).toMatchObject({ host: 'web-01', source_ip: '203.0.113.5', user: 'root' });
});

test('the same detection gives the same alert id (redelivery never duplicates); other events give another', () => {
  expect(detectionToAlert(det(), event).id).toBe(detectionToAlert(det(), event).id);
  expect(detectionToAlert(det({ eventIds: ['e3'] }), event).id).not.toBe(detectionToAlert(det(), event).id);
});

test('a single-event rule groups by host, source and user', () => {
  expect(detectionToAlert(det({ kind: 'rule', groupBy: null }), event).groupKey).toBe('web-01|203.0.113.5|root');
});

test('a critical asset raises the severity one level; unknown levels become medium', () => {
  expect(detectionToAlert(det(), { ...event, asset: { name: 'payment-db', criticality: 'critical' } }).severity).toBe('critical');
  expect(detectionToAlert(det({ rule: { ...rule, level: 'low' } }), { ...event, asset: { name: 'x', criticality: 'critical' } }).severity).toBe('medium');
  expect(detectionToAlert(det({ rule: { ...rule, level: 'bogus' } }), event).severity).toBe('medium');
  expect(detectionToAlert(det(), { ...event, asset: { name: 'kiosk', criticality: 'low' } }).severity).toBe('high');
});

test('an antivirus alert names the malware, from the event or from the group-by of an outbreak', () => {
  const av = { ...event, threat: { software: { name: 'TROJ_EMOTET.SMA' } } };
  expect(detectionToAlert(det({ kind: 'rule', groupBy: null }), av).summary.malware).toBe('TROJ_EMOTET.SMA');
  expect(detectionToAlert(det({ groupBy: { 'threat.software.name': 'WORM_X' } }), event).summary.malware).toBe('WORM_X');
});
