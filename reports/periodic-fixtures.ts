/**
 * For tests: six months of monitoring of two agencies, with figures known in advance — events, alerts,
 * incidents acknowledged and resolved at set times, scan findings — and a little before and after the
 * period, which a report of the period must leave out. Agency B's names, addresses and hosts all say "bbbb".
 */
import { Readable } from 'node:stream';
import type { EcsEvent } from '../core/event';
import type { Alert, Incident, IncidentChange } from '../core/model';
import type { Store } from '../core/store/store';
import { importScan } from '../vuln/importer';
import { openvasReport } from '../vuln/testkit';

// the period: 1 June to 1 December 2026, Vietnam time
export const FROM = '2026-06-01';
export const TO = '2026-12-01';
export const FROM_ISO = '2026-05-31T17:00:00.000Z';
export const TO_ISO = '2026-11-30T17:00:00.000Z';

export const B_SECRETS = ['Sở Y tế bbbb', 'host-bbbb', 'srv-bbbb', '192.0.2.99', '10.9.9.9', '10.9.9.20', 'bbbb'];
const MIN = 60e3;

function event(tenant: string, id: string, at: string, dataset: string, severity: number, b: boolean): EcsEvent {
  return {
    '@timestamp': at, organization: { id: tenant },
    event: { id, kind: 'event', dataset, severity, action: 'login' },
    log: { source: { address: b ? '10.9.9.9' : dataset === 'linux.auth' ? '10.1.1.5' : '10.1.1.254' } },
    host: { name: b ? 'host-bbbb' : 'portal-01' }, source: { ip: b ? '192.0.2.99' : '203.0.113.7' }, message: b ? 'bbbb line' : 'a line',
  } as EcsEvent;
}

function alert(tenant: string, id: string, at: string, severity: Alert['severity'], incidentId: string): Alert {
  return {
    id, '@timestamp': at, created: at, tenant, rule: { id: 'ssh-brute', title: 'SSH Brute Force', level: severity, tags: [], references: [] }, kind: 'rule', severity,
    groupKey: id, groupBy: null, eventIds: [], summary: { host: tenant === 'so-b' ? 'host-bbbb' : 'portal-01' }, incidentId,
  };
}

interface Spec { id: string; tenant: string; created: string; status: Incident['status']; count: number; sources: string[]; hosts: string[]; tactics?: string[]; malware?: string; steps: [number, IncidentChange['action'], string][] }

function incident(s: Spec): Incident {
  return {
    id: s.id, tenant: s.tenant, severity: 'high', status: s.status, groupKey: s.id, title: `Sự cố ${s.id}`,
    rule: { id: 'ssh-brute', title: 'SSH Brute Force', level: 'high', tags: (s.tactics ?? []).map((t) => `attack.${t}`), references: [] },
    summary: { host: s.hosts[0], source_ip: s.sources[0], ...(s.malware ? { malware: s.malware } : {}) },
    entities: { source_ip: s.sources, host: s.hosts, ...(s.malware ? { malware: [s.malware] } : {}) }, tactics: s.tactics ?? [],
    count: s.count, first_seen: s.created, last_seen: s.created, created: s.created, updated: s.created, assignee: null, resolution: null, version: 1,
  };
}

// so-a: acknowledged after 10, 30 and 60 minutes; resolved after 4 hours and closed as a false alarm after 60 minutes
export const INCIDENTS: Spec[] = [
  { id: 'inc-p-a1', tenant: 'so-a', created: '2026-07-10T01:00:00.000Z', status: 'resolved', count: 5, sources: ['203.0.113.7'], hosts: ['portal-01'], tactics: ['credential_access'], steps: [[10, 'assign', 'responder-a'], [240, 'status', 'resolved']] },
  { id: 'inc-p-a2', tenant: 'so-a', created: '2026-08-05T02:00:00.000Z', status: 'acknowledged', count: 2, sources: ['203.0.113.7', '198.51.100.23'], hosts: ['pc-12'], malware: 'Emotet', steps: [[30, 'status', 'acknowledged']] },
  { id: 'inc-p-a3', tenant: 'so-a', created: '2026-09-01T00:00:00.000Z', status: 'false_positive', count: 1, sources: ['198.51.100.23'], hosts: ['portal-01'], tactics: ['impact'], steps: [[60, 'status', 'false_positive']] },
  { id: 'inc-p-a0', tenant: 'so-a', created: '2026-05-20T00:00:00.000Z', status: 'new', count: 9, sources: ['203.0.113.250'], hosts: ['old-host'], steps: [] }, // before the period
  { id: 'inc-p-b1', tenant: 'so-b', created: '2026-08-01T00:00:00.000Z', status: 'resolved', count: 4, sources: ['192.0.2.99'], hosts: ['host-bbbb', 'srv-bbbb'], tactics: ['discovery'], steps: [[5, 'assign', 'bbbb-responder'], [20, 'status', 'resolved']] },
];

export async function seedPeriodic(store: Store, opts: { tenants?: boolean } = {}): Promise<void> {
  if (opts.tenants) {
    await store.putTenant({ id: 'so-a', name: 'Sở Tài chính tỉnh A', created: FROM_ISO, securityLevel: 3 });
    await store.putTenant({ id: 'so-b', name: 'Sở Y tế bbbb', created: FROM_ISO, securityLevel: 2 });
  } else {
    for (const [id, name, level] of [['so-a', 'Sở Tài chính tỉnh A', 3], ['so-b', 'Sở Y tế bbbb', 2]] as const) await store.putTenant({ ...(await store.getTenant(id))!, name, securityLevel: level });
  }
  // so-a: 3 events in July, 2 in September (severity 3 and 5; two datasets); one in May and one in December are outside
  await store.putEvents([
    event('so-a', 'pa-1', '2026-07-02T03:00:00.000Z', 'linux.auth', 3, false),
    event('so-a', 'pa-2', '2026-07-02T04:00:00.000Z', 'linux.auth', 3, false),
    event('so-a', 'pa-3', '2026-07-20T05:00:00.000Z', 'fortinet.firewall', 5, false),
    event('so-a', 'pa-4', '2026-09-10T06:00:00.000Z', 'linux.auth', 5, false),
    event('so-a', 'pa-5', '2026-09-11T06:00:00.000Z', 'fortinet.firewall', 3, false),
    event('so-a', 'pa-0', '2026-05-10T06:00:00.000Z', 'linux.auth', 3, false),
    event('so-a', 'pa-9', '2026-12-02T06:00:00.000Z', 'linux.auth', 3, false),
    event('so-b', 'pb-1', '2026-08-01T00:00:00.000Z', 'bbbb.auth', 7, true),
    event('so-b', 'pb-2', '2026-08-02T00:00:00.000Z', 'bbbb.auth', 7, true),
  ]);
  // so-a: 2 high alerts in July and a critical one in October; one before and one after the period
  await store.putAlerts([
    alert('so-a', 'pal-1', '2026-07-10T01:00:00.000Z', 'high', 'inc-p-a1'),
    alert('so-a', 'pal-2', '2026-07-10T01:05:00.000Z', 'high', 'inc-p-a1'),
    alert('so-a', 'pal-3', '2026-10-03T08:00:00.000Z', 'critical', 'inc-p-a2'),
    alert('so-a', 'pal-0', '2026-05-20T00:00:00.000Z', 'low', 'inc-p-a0'),
    alert('so-a', 'pal-9', '2026-12-03T00:00:00.000Z', 'low', 'inc-p-a1'),
    alert('so-b', 'pbl-1', '2026-08-01T00:00:00.000Z', 'medium', 'inc-p-b1'),
  ]);
  for (const s of INCIDENTS) {
    await store.saveIncident(incident(s), null);
    const t0 = Date.parse(s.created);
    await store.addIncidentChange({ id: `${s.id}-c0`, incidentId: s.id, tenant: s.tenant, at: s.created, actor: 'system', action: 'created', to: 'new' });
    for (const [i, [min, action, to]] of s.steps.entries()) await store.addIncidentChange({ id: `${s.id}-c${i + 1}`, incidentId: s.id, tenant: s.tenant, at: new Date(t0 + min * MIN).toISOString(), actor: 'analyst', action, from: null, to });
  }
  if (!store.vulns) return;
  for (const [t, vulns] of [
    ['so-a', [{ host: '10.1.1.20', port: '22/tcp', name: 'OpenSSH weak of a', cvss: 7.5, threat: 'High' }, { host: '10.1.1.20', port: '80/tcp', name: 'Cleartext HTTP of a', cvss: 5.0, threat: 'Medium' }]],
    ['so-b', [{ host: '10.9.9.20', port: '443/tcp', name: 'bbbb weakness', cvss: 9.8, threat: 'High' }]],
  ] as const) {
    await importScan(store, { tenant: t, format: 'openvas', file: `periodic-${t}.xml`, input: Readable.from([openvasReport([...vulns])]), by: 'seed' });
  }
}
