/**
 * An analyst's correction of the grouping: merge one incident into another (its alerts move,
 * it is closed as a duplicate pointing at the other), or split chosen alerts off into a new
 * incident. Both are recorded in each incident's history; the console audits who did it.
 */
import type { Bus } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import { newId } from '../core/event';
import type { Alert, Incident, IncidentChange } from '../core/model';
import { OPEN_STATUSES } from '../core/model';
import type { Store, TenantScope } from '../core/store/store';
import { ENTITY_KINDS } from '../core/model';
import { lookupKey } from './grouping';
import { foldInto, openIncident, WorkflowError, type IncidentNotice } from './incidents';

type Deps = { store: Store; bus: Bus };
const MAX_ALERTS = 10_000;
const byTime = (a: Alert, b: Alert) => (a['@timestamp'] < b['@timestamp'] ? -1 : a['@timestamp'] > b['@timestamp'] ? 1 : 0);

async function load(deps: Deps, id: string, scope: TenantScope): Promise<Incident> {
  const inc = await deps.store.getIncident(id, scope);
  if (!inc) throw new WorkflowError(`incident ${id} does not exist or is not visible to you`, 404);
  if (!OPEN_STATUSES.includes(inc.status)) throw new WorkflowError(`incident ${id} is ${inc.status}: reopen it first`, 409);
  return inc;
}

function change(inc: Incident, actor: string, action: 'merge' | 'split', from: string, to: string, comment: string | null): IncidentChange {
  return { id: newId(), incidentId: inc.id, tenant: inc.tenant, at: new Date().toISOString(), actor, action, from, to, comment };
}

async function announce(deps: Deps, incidents: Incident[]): Promise<void> {
  await deps.bus.publish<IncidentNotice>(TOPICS.incidents, incidents.map((incident) => ({ key: incident.id, value: { type: 'incident.updated', incident } })));
}

/** Folds alerts (oldest first) into an incident built from the first; `base` keeps identity and workflow fields. */
function rebuild(alerts: Alert[], now: string, base?: Incident): Incident {
  const sorted = [...alerts].sort(byTime);
  let inc = openIncident(sorted[0], lookupKey(sorted[0], ENTITY_KINDS), now);
  for (const a of sorted.slice(1)) inc = foldInto(inc, a, now);
  if (!base) return inc;
  return { ...inc, id: base.id, status: base.status, assignee: base.assignee ?? null, resolution: base.resolution ?? null, created: base.created, rule: base.rule, version: base.version + 1, updated: now };
}

/** Moves every alert of `sourceId` into `targetId`; the source is closed as a duplicate of the target. */
export async function mergeIncidents(deps: Deps, sourceId: string, targetId: string, scope: TenantScope, actor: string): Promise<{ target: Incident; source: Incident }> {
  if (sourceId === targetId) throw new WorkflowError('an incident cannot be merged into itself', 400);
  const [source, target] = [await load(deps, sourceId, scope), await load(deps, targetId, scope)];
  if (source.tenant !== target.tenant) throw new WorkflowError(`incidents of two agencies (${source.tenant}, ${target.tenant}) cannot be merged`, 409);
  const alerts = (await deps.store.listAlerts({ incidentId: source.id, tenants: null, limit: MAX_ALERTS })).sort(byTime);
  const now = new Date().toISOString();
  let merged = target;
  for (const a of alerts) merged = foldInto(merged, a, now);
  merged = { ...merged, count: target.count + source.count, version: target.version + 1 };
  const closed: Incident = { ...source, status: 'duplicate', resolution: `merged into ${target.id}`, mergedInto: target.id, updated: now, version: source.version + 1 };
  await deps.store.saveIncident(merged, target.version);
  await deps.store.putAlerts(alerts.map((a) => ({ ...a, incidentId: target.id })));
  await deps.store.saveIncident(closed, source.version);
  for (const inc of [merged, closed]) await deps.store.addIncidentChange(change(inc, actor, 'merge', source.id, target.id, `${alerts.length} alerts moved`));
  await announce(deps, [merged, closed]);
  return { target: merged, source: closed };
}

/** Moves the chosen alerts of an incident into a new incident; the rest stay. */
export async function splitIncident(deps: Deps, id: string, alertIds: string[], scope: TenantScope, actor: string): Promise<{ original: Incident; split: Incident }> {
  const inc = await load(deps, id, scope);
  const alerts = await deps.store.listAlerts({ incidentId: inc.id, tenants: null, limit: MAX_ALERTS });
  const wanted = new Set(alertIds);
  const chosen = alerts.filter((a) => wanted.has(a.id));
  const missing = alertIds.filter((a) => !chosen.some((c) => c.id === a));
  if (missing.length) throw new WorkflowError(`alerts/${missing[0]}: not an alert of incident ${id}`, 400);
  const rest = alerts.filter((a) => !wanted.has(a.id));
  if (rest.length === 0) throw new WorkflowError('a split must leave at least one alert in the incident', 409);
  const now = new Date().toISOString();
  const split = rebuild(chosen, now);
  const original = { ...rebuild(rest, now, inc), count: Math.max(rest.length, inc.count - chosen.length) };
  await deps.store.saveIncident(original, inc.version);
  await deps.store.saveIncident(split, null);
  await deps.store.putAlerts(chosen.map((a) => ({ ...a, incidentId: split.id })));
  for (const x of [original, split]) await deps.store.addIncidentChange(change(x, actor, 'split', inc.id, split.id, `${chosen.length} alerts moved`));
  await announce(deps, [original, split]);
  return { original, split };
}
