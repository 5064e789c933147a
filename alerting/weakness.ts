/**
 * Marks an incident with the open scan findings its alert meets on the attacked asset, and raises its
 * severity one step the first time it meets one (a web attack on a server with a known exploitable flaw).
 */
import { SEVERITIES, severityRank, type Alert, type Incident } from '../core/model';
import type { Store } from '../core/store/store';
import { attackedAddresses, weaknessesFor } from '../vuln/match';

export interface Marked {
  incident: Incident;
  /** The severity before the raise, when the findings raised it. */
  raisedFrom: string | null;
  comment: string | null;
}

export async function markWeaknesses(store: Store, alert: Alert, incident: Incident): Promise<Marked> {
  const none = { incident, raisedFrom: null, comment: null };
  if (!store.vulns) return none;
  const events = alert.eventIds.length ? await store.getEvents(alert.eventIds.slice(0, 20), [alert.tenant]) : [];
  const addresses = attackedAddresses(alert, events);
  if (!addresses.length) return none;
  const found = weaknessesFor(alert, events, await store.vulns.openFindingsOn(alert.tenant, addresses));
  const known = new Set((incident.weaknesses ?? []).map((w) => w.findingId));
  const fresh = found.filter((w) => !known.has(w.findingId));
  if (!fresh.length) return none;
  const first = !incident.weaknesses?.length;
  const next: Incident = { ...incident, weaknesses: [...(incident.weaknesses ?? []), ...fresh] };
  const w = fresh[0];
  const comment = `open finding on ${w.host}${w.port ? `:${w.port}` : ''}: ${w.name}${w.cves.length ? ` (${w.cves.join(', ')})` : ''}`;
  if (!first || incident.severity === 'critical') return { incident: next, raisedFrom: null, comment };
  next.severity = SEVERITIES[Math.min(SEVERITIES.length - 1, severityRank(incident.severity) + 1)];
  return { incident: next, raisedFrom: incident.severity, comment };
}
