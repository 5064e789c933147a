/**
 * What a periodic monitoring report reads from the store, for one scope (an agency, several, or the
 * whole province) over [from, to): only the Store's existing reads (histograms, top values, alert
 * statistics, incidents and their changes, source activity, the vulnerability repository), so the
 * report is the same on SQLite and on Elasticsearch/OpenSearch. reports/periodic.ts turns it into figures.
 */
import type { Incident, IncidentChange, Tenant } from '../core/model';
import type { HistogramBucket, SourceActivity, Store, TenantScope, TopValue } from '../core/store/store';
import type { Asset, Finding } from '../core/store/vulns';

export const HOUR_MS = 3600e3; // series are read by the hour: whole hours are whole Vietnam hours too (UTC+7)
const INCIDENT_PAGE = 1000;
export const MAX_INCIDENTS = 10_000; // a search store pages no further (index.max_result_window)
const CHANGE_READS = 8; // incident histories read at once

export interface PeriodicQuery {
  tenants: TenantScope; // null: every agency (the province)
  from: string; // ISO, inclusive
  to: string; // ISO, exclusive
}

export interface PeriodicData {
  query: PeriodicQuery;
  tenants: Tenant[]; // the agencies of the scope
  sources: SourceActivity[]; // sources that sent logs since the start of the period
  events: { hourly: HistogramBucket[]; bySeverity: TopValue[]; byDataset: TopValue[]; byAgency: TopValue[] };
  alerts: { t: string; severity: string; count: number }[]; // per hour and severity, within the period
  alertsByAgency: Map<string, number>; // when the scope holds more than one agency
  incidents: { incident: Incident; changes: IncidentChange[] }[]; // created within the period
  incidentsTruncated: boolean; // more incidents in the scope than MAX_INCIDENTS were looked at
  vulns: { open: Finding[]; assets: Asset[] } | null; // null: the store keeps no scan findings
}

const inPeriod = (iso: string, q: PeriodicQuery) => iso >= q.from && iso < q.to;

/** Every incident of the scope created in the period, each with its history. */
async function incidentsOf(store: Store, q: PeriodicQuery): Promise<{ items: PeriodicData['incidents']; truncated: boolean }> {
  const found: Incident[] = [];
  let offset = 0;
  let total = 0;
  for (;;) {
    const page = await store.listIncidents({ tenants: q.tenants, limit: INCIDENT_PAGE, offset });
    total = page.total;
    // created is an ISO string in every store: compare as instants, not as text of another offset
    found.push(...page.items.filter((i) => inPeriod(new Date(i.created).toISOString(), q)));
    offset += page.items.length;
    if (page.items.length < INCIDENT_PAGE || offset >= total || offset >= MAX_INCIDENTS) break;
  }
  const items: PeriodicData['incidents'] = [];
  for (let i = 0; i < found.length; i += CHANGE_READS) {
    const batch = found.slice(i, i + CHANGE_READS);
    const changes = await Promise.all(batch.map((inc) => store.listIncidentChanges(inc.id)));
    batch.forEach((incident, k) => items.push({ incident, changes: changes[k] }));
  }
  return { items, truncated: total > offset };
}

export async function readPeriodic(store: Store, q: PeriodicQuery): Promise<PeriodicData> {
  const events = { from: q.from, to: q.to, tenants: q.tenants };
  const [all, sources, hourly, bySeverity, byDataset, byAgency, alertStats, incidents, vulns] = await Promise.all([
    store.listTenants(),
    store.sourceActivity({ tenants: q.tenants, since: q.from }),
    store.histogram(events, HOUR_MS),
    store.topValues(events, 'event.severity', 20),
    store.topValues(events, 'event.dataset', 20),
    store.topValues(events, 'organization.id', 1000),
    store.alertStats({ tenants: q.tenants, from: q.from, intervalMs: HOUR_MS, topRules: 1 }),
    incidentsOf(store, q),
    store.vulns ? Promise.all([store.vulns.listFindings({ tenants: q.tenants, status: ['open'], limit: 100_000 }), store.vulns.listAssets(q.tenants)]) : Promise.resolve(null),
  ]);
  const visible = (t: string) => q.tenants === null || q.tenants.includes(t);
  const tenants = all.filter((t) => visible(t.id)).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const within = (h: { t: string }[]) => h.filter((x) => x.t < q.to) as { t: string; severity: string; count: number }[];
  const alerts = within(alertStats.histogram);
  const alertsByAgency = new Map<string, number>();
  if (tenants.length > 1) {
    for (const t of tenants) alertsByAgency.set(t.id, within((await store.alertStats({ tenants: [t.id], from: q.from, intervalMs: HOUR_MS, topRules: 1 })).histogram).reduce((n, h) => n + h.count, 0));
  } else if (tenants.length === 1) alertsByAgency.set(tenants[0].id, alerts.reduce((n, h) => n + h.count, 0));
  return {
    query: q,
    tenants,
    sources: sources.filter((s) => visible(s.tenant)),
    events: { hourly, bySeverity, byDataset, byAgency: byAgency.filter((v) => visible(v.value)) },
    alerts, // alertStats has no end: the hours from the end of the period on are left out
    alertsByAgency,
    incidents: incidents.items.filter(({ incident }) => visible(incident.tenant)),
    incidentsTruncated: incidents.truncated,
    vulns: vulns ? { open: vulns[0].items.filter((f) => visible(f.tenant)), assets: vulns[1].filter((a) => visible(a.tenant)) } : null,
  };
}
