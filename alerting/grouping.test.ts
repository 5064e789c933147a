import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEmbeddedBus } from '../core/bus/embedded';
import { silentLogger } from '../core/log';
import { createSqliteStore } from '../core/store/sqlite';
import type { Alert, Severity } from '../core/model';
import { parseGroupingConfig, tacticsOf } from './grouping';
import { applyAlert, type IncidentServiceOptions } from './incidents';

function setup(grouping?: unknown): IncidentServiceOptions {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-grp-'));
  return { store: createSqliteStore({ path: ':memory:' }), bus: createEmbeddedBus({ dir }), logger: silentLogger, windowMinutes: 60, grouping: parseGroupingConfig(grouping, 60) };
}

let n = 0;
function alert(rule: string, severity: Severity, summary: Alert['summary'], over: Partial<Alert> = {}): Alert {
  n++;
  const tags = { bf: ['attack.credential_access', 'attack.t1110'], success: ['attack.initial-access', 'attack.credential-access'], scan: ['attack.discovery'], av: ['attack.execution'] }[rule] ?? [];
  return {
    id: `g${n}`,
    '@timestamp': new Date(Date.parse('2026-11-28T01:00:00.000Z') + n * 1000).toISOString(),
    created: '2026-11-28T01:00:00.000Z',
    tenant: 'so-a',
    rule: { id: `r-${rule}`, title: `Rule ${rule}`, level: severity, tags, references: [] },
    kind: 'rule',
    severity,
    groupKey: `${summary.host ?? ''}|${summary.source_ip ?? ''}|${summary.user ?? ''}`,
    groupBy: null,
    eventIds: [`e${n}`],
    summary,
    ...over,
  };
}

test('alerts of different rules from one attacking address join one incident: every rule, the highest severity, its entities, tactics in kill-chain order', async () => {
  const o = setup();
  const ip = '203.0.113.45';
  const first = await applyAlert(o, alert('root', 'medium', { source_ip: ip, user: 'root', host: 'web-01' }));
  await applyAlert(o, alert('root', 'medium', { source_ip: ip, user: 'admin', host: 'web-01' }));
  const bf = await applyAlert(o, alert('bf', 'high', { source_ip: ip, host: 'web-01' }));
  const win = await applyAlert(o, alert('success', 'critical', { source_ip: ip, user: 'deploy', host: 'web-01' }));
  expect(first!.created).toBe(true);
  expect(bf).toMatchObject({ created: false, raised: true });
  const inc = win!.incident;
  expect(inc.id).toBe(first!.incident.id);
  expect((await o.store.listIncidents({ tenants: null })).total).toBe(1);
  expect(inc).toMatchObject({ count: 4, severity: 'critical', title: 'Rule success', groupKey: `source_ip=${ip}` });
  expect(inc.rules!.map((r) => [r.id, r.count])).toEqual([['r-root', 2], ['r-bf', 1], ['r-success', 1]]);
  expect(inc.entities).toEqual({ source_ip: [ip], user: ['root', 'admin', 'deploy'], host: ['web-01'] });
  expect(inc.tactics).toEqual(['initial-access', 'credential-access']);
  const history = await o.store.listIncidentChanges(inc.id);
  expect(history.filter((c) => c.action === 'severity').map((c) => [c.from, c.to])).toEqual([['medium', 'high'], ['high', 'critical']]);
});

test('one malware on several hosts is one incident; another address is another incident; another agency too', async () => {
  const o = setup();
  const a = await applyAlert(o, alert('av', 'high', { malware: 'TROJ_EMOTET.SMA', host: 'KT-PC-07' }));
  const b = await applyAlert(o, alert('av', 'high', { malware: 'TROJ_EMOTET.SMA', host: 'KT-PC-09', source_ip: '10.20.3.19' }));
  expect(b!.incident.id).toBe(a!.incident.id);
  expect(b!.incident.entities!.host).toEqual(['KT-PC-07', 'KT-PC-09']);
  expect((await applyAlert(o, alert('scan', 'medium', { source_ip: '198.51.100.77', host: 'KT-PC-07' })))!.created).toBe(true);
  expect((await applyAlert(o, alert('av', 'high', { malware: 'TROJ_EMOTET.SMA' }, { tenant: 'so-b' })))!.created).toBe(true);
});

test('an alert with only a host or user joins the incident that already holds it', async () => {
  const o = setup();
  const a = await applyAlert(o, alert('bf', 'high', { source_ip: '203.0.113.9', user: 'root', host: 'db-01' }));
  expect((await applyAlert(o, alert('sudo', 'medium', { user: 'root', host: 'db-01' })))!.incident.id).toBe(a!.incident.id);
});

test('keys and windows per rule or tag: keys [] groups a rule by itself; a tag may set a shorter window', async () => {
  const o = setup({ rules: { 'r-scan': { keys: [] } }, tags: { 'attack.execution': { window_minutes: 1 } } });
  const ip = '198.51.100.77';
  const scan = await applyAlert(o, alert('scan', 'medium', { source_ip: ip }));
  const other = await applyAlert(o, alert('bf', 'high', { source_ip: ip }));
  expect(other!.incident.id).not.toBe(scan!.incident.id);
  expect((await applyAlert(o, alert('scan', 'medium', { source_ip: ip })))!.incident.id).toBe(scan!.incident.id);
  const av1 = await applyAlert(o, alert('av', 'high', { malware: 'W' }));
  const av2 = await applyAlert(o, alert('av', 'high', { malware: 'W' }, { '@timestamp': '2026-11-28T03:00:00.000Z' }));
  expect(av2!.incident.id).not.toBe(av1!.incident.id);
});

test('bad grouping config names the key', () => {
  expect(() => parseGroupingConfig({ keys: ['ip'] }, 60)).toThrow(/alerting\.grouping\.keys\[0\]/);
  expect(() => parseGroupingConfig({ rules: { x: { window: 5 } } }, 60)).toThrow(/alerting\.grouping\.rules\.x/);
});

test('ATT&CK tactics come in kill-chain order whatever the spelling of the tag', () => {
  expect(tacticsOf(['attack.impact', 'attack.t1110', 'attack.initial_access', 'attack.Discovery'])).toEqual(['initial-access', 'discovery', 'impact']);
});

test('noise: a low per-event alert of an attacker already in an incident opens no incident of its own, and fifty repeats raise the count, not rows', async () => {
  const o = setup();
  const ip = '198.51.100.23';
  const bf = await applyAlert(o, alert('bf', 'high', { source_ip: ip, host: 'mail-gw' }));
  for (let i = 0; i < 50; i++) expect((await applyAlert(o, alert('root', 'low', { source_ip: ip, user: 'root', host: 'mail-gw' })))!.created).toBe(false);
  const { items } = await o.store.listIncidents({ tenants: null });
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ id: bf!.incident.id, count: 51, severity: 'high', title: 'Rule bf' });
  expect(items[0].rules!.map((r) => [r.id, r.count])).toEqual([['r-bf', 1], ['r-root', 50]]);
});
