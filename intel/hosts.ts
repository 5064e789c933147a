/** The infected machines of the scope: hosts whose incidents hold indicator matches or malware detections, newest first. */
import type { Incident } from '../core/model';
import type { IncidentRepository, TenantScope } from '../core/store/store';
import { INTEL_RULE_ID } from './alert';

export interface InfectedHost {
  tenant: string;
  host: string;
  last_seen: string;
  first_seen: string;
  indicators: number; // alerts of indicator matches
  malware: string[];
  incidents: { id: string; title: string; severity: string; status: string; last_seen: string }[];
}

const isInfection = (i: Incident) => i.rule.id === INTEL_RULE_ID || !!i.rules?.some((r) => r.id === INTEL_RULE_ID) || !!i.summary.malware || !!i.entities?.malware?.length;

export async function infectedHosts(store: Pick<IncidentRepository, 'listIncidents'>, tenants: TenantScope, limit = 200): Promise<InfectedHost[]> {
  const { items } = await store.listIncidents({ tenants, limit: 1000 });
  const byHost = new Map<string, InfectedHost>();
  for (const inc of items.filter(isInfection)) {
    const host = inc.summary.host ?? inc.entities?.host?.[0];
    if (!host) continue;
    const key = `${inc.tenant}\n${host}`;
    const h = byHost.get(key) ?? { tenant: inc.tenant, host, last_seen: inc.last_seen, first_seen: inc.first_seen, indicators: 0, malware: [], incidents: [] };
    if (inc.last_seen > h.last_seen) h.last_seen = inc.last_seen;
    if (inc.first_seen < h.first_seen) h.first_seen = inc.first_seen;
    h.indicators += inc.rules?.find((r) => r.id === INTEL_RULE_ID)?.count ?? (inc.rule.id === INTEL_RULE_ID ? inc.count : 0);
    for (const m of [inc.summary.malware, ...(inc.entities?.malware ?? [])]) if (m && !h.malware.includes(m)) h.malware.push(m);
    h.incidents.push({ id: inc.id, title: inc.title, severity: inc.severity, status: inc.status, last_seen: inc.last_seen });
    byHost.set(key, h);
  }
  return [...byHost.values()].sort((a, b) => (a.last_seen < b.last_seen ? 1 : -1)).slice(0, limit);
}
