/**
 * Alerts become incidents: the same rule and group key (group-by values, or host /
 * source / user) for the same agency within the window fold into one open incident
 * whose count and last_seen grow, instead of a flood. The workflow (acknowledge,
 * assign, comment, status) records every change with who and when.
 */
import type { Bus, BusMessage, Subscription } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import { isolatePoison } from '../core/bus/poison';
import { newId } from '../core/event';
import type { Logger } from '../core/log';
import type { Alert, Incident, IncidentChange, IncidentStatus } from '../core/model';
import { OPEN_STATUSES, severityRank } from '../core/model';
import { ConflictError, type Store, type TenantScope } from '../core/store/store';
import { deadLetterOf } from '../core/bus/quarantine';
import { markWeaknesses } from './weakness';
import { foldEntities, groupingFor, lookupKey, parseGroupingConfig, titleOf, type GroupingConfig } from './grouping';

export interface IncidentNotice {
  type: 'incident.created' | 'incident.updated';
  incident: Incident;
}

/** 'raised': the incident's severity rose (it was already open). */
export type IncidentListener = (incident: Incident, change: 'created' | 'updated' | 'raised', alert?: Alert) => Promise<void> | void;

export interface IncidentServiceOptions {
  store: Store;
  bus: Bus;
  logger: Logger;
  windowMinutes: number;
  /** `alerting.grouping`, parsed (parseGroupingConfig); by default every entity kind within windowMinutes. */
  grouping?: GroupingConfig & { window_minutes: number };
  onIncident?: IncidentListener;
}

/** Folds one alert into its incident; idempotent by alert id. Returns the incident, whether it is new, and whether its severity rose. */
export async function applyAlert(opts: IncidentServiceOptions, alert: Alert): Promise<FoldResult | null> {
  const { store } = opts;
  const known = await store.getAlert(alert.id);
  if (known?.incidentId) {
    // redelivered after a crash: already folded in; hand the incident on again so a lost notification is recovered
    const incident = await store.getIncident(known.incidentId, null);
    return incident ? { incident, created: false, redelivered: true } : null;
  }
  const grouping = opts.grouping ?? parseGroupingConfig(undefined, opts.windowMinutes);
  const { keys, windowMinutes } = groupingFor(grouping, alert);
  const key = lookupKey(alert, keys);
  for (let attempt = 0; attempt < 5; attempt++) {
    const at = alert['@timestamp'];
    const since = new Date(Date.parse(at) - windowMinutes * 60000).toISOString();
    const open = key ? await store.findOpenIncidentByEntity(alert.tenant, [key], since) : await store.findOpenIncident(alert.tenant, alert.rule.id, alert.groupKey, since);
    const now = new Date().toISOString();
    try {
      const folded = open ? foldInto(open, alert, now) : openIncident(alert, key, now);
      const marked = await markWeaknesses(store, alert, folded);
      const incident = marked.incident;
      await store.saveIncident(incident, open ? open.version : null);
      if (!open) await store.addIncidentChange({ id: newId(), incidentId: incident.id, tenant: incident.tenant, at: now, actor: 'canhgac', action: 'created', to: 'new', comment: null });
      if (open && severityRank(folded.severity) > severityRank(open.severity)) await store.addIncidentChange({ id: newId(), incidentId: incident.id, tenant: incident.tenant, at: now, actor: 'canhgac', action: 'severity', from: open.severity, to: folded.severity, comment: alert.rule.title });
      if (marked.raisedFrom) await store.addIncidentChange({ id: newId(), incidentId: incident.id, tenant: incident.tenant, at: now, actor: 'canhgac', action: 'severity', from: marked.raisedFrom, to: incident.severity, comment: marked.comment });
      const raised = !!open && severityRank(incident.severity) > severityRank(open.severity);
      await store.putAlerts([{ ...alert, incidentId: incident.id }]);
      return { incident, created: !open, raised };
    } catch (e) {
      if (e instanceof ConflictError) continue; // someone changed it meanwhile: reload and fold again
      throw e;
    }
  }
  throw new Error(`incidents: could not fold alert ${alert.id} after 5 conflicting updates`);
}

export interface FoldResult {
  incident: Incident;
  created: boolean;
  redelivered?: boolean;
  /** The alert raised the incident's severity (responders hear about it once more). */
  raised?: boolean;
}

/** A new incident for an alert no open incident holds; `key` is the entity it was looked up by (null: by rule). */
export function openIncident(alert: Alert, key: string | null, now: string): Incident {
  const at = alert['@timestamp'];
  const base: Incident = {
    id: newId(),
    tenant: alert.tenant,
    rule: alert.rule,
    severity: alert.severity,
    status: 'new',
    groupKey: key ?? alert.groupKey,
    title: alert.rule.title,
    summary: alert.summary,
    count: 1,
    first_seen: at,
    last_seen: at,
    created: now,
    updated: now,
    assignee: null,
    resolution: null,
    version: 1,
  };
  const entities = foldEntities({}, alert);
  // an incident grouped by rule keeps no entity keys, so alerts of other rules never join it
  return { ...base, ...entities, entityKeys: key ? entities.entityKeys : [] };
}

/** The incident after one more alert: count, times, highest severity, rules, entities, tactics. */
export function foldInto(open: Incident, alert: Alert, now: string): Incident {
  const at = alert['@timestamp'];
  const entities = foldEntities(open.rules ? open : { ...open, rules: [ruleOf(open)] }, alert);
  return {
    ...open,
    ...entities,
    entityKeys: open.entityKeys?.length ? entities.entityKeys : (open.entityKeys ?? []),
    count: open.count + 1,
    last_seen: at > open.last_seen ? at : open.last_seen,
    first_seen: at < open.first_seen ? at : open.first_seen,
    severity: severityRank(alert.severity) > severityRank(open.severity) ? alert.severity : open.severity,
    title: titleOf(entities.rules, open.title),
    summary: { ...alert.summary, ...Object.fromEntries(Object.entries(open.summary).filter(([, v]) => v)) },
    updated: now,
    version: open.version + 1,
  };
}

/** The rule entry of an incident made before entity grouping (it knew only its one rule). */
function ruleOf(inc: Incident) {
  return { id: inc.rule.id, title: inc.rule.title, severity: inc.severity, tags: inc.rule.tags ?? [], count: inc.count, first_seen: inc.first_seen, last_seen: inc.last_seen };
}

/** Folds a batch of alerts into incidents and announces them. */
async function foldBatch(opts: IncidentServiceOptions, logger: Logger, batch: BusMessage<Alert>[]): Promise<void> {
  const notices: (IncidentNotice & { raised?: boolean; alert: Alert })[] = [];
  for (const m of batch) {
    const r = await applyAlert(opts, m.value);
    if (!r) continue;
    notices.push({ type: r.created ? 'incident.created' : 'incident.updated', incident: r.incident, raised: r.raised, alert: m.value });
    if (r.created) logger.info({ incident: r.incident.id, tenant: r.incident.tenant, rule: r.incident.rule.id, severity: r.incident.severity }, 'incident opened');
  }
  if (notices.length) await opts.bus.publish(TOPICS.incidents, notices.map(({ type, incident }) => ({ key: incident.id, value: { type, incident } })));
  for (const n of notices) {
    try {
      await opts.onIncident?.(n.incident, n.type === 'incident.created' ? 'created' : n.raised ? 'raised' : 'updated', n.alert);
    } catch (e) {
      logger.error({ incident: n.incident.id, err: (e as Error).message }, 'alerting: notifying about an incident failed');
    }
  }
}

export async function startIncidentService(opts: IncidentServiceOptions): Promise<{ stop(): Promise<void> }> {
  const logger = opts.logger.child({ component: 'alerting' });
  const guard = isolatePoison<Alert>({
    stage: 'alerting',
    logger,
    probe: async () => void (await opts.store.getState('alerting.probe')),
    handler: (batch) => foldBatch(opts, logger, batch),
    // an alert that cannot be folded (malformed, or refused by the store) is kept as a dead letter instead of blocking every later incident
    quarantine: async (m, reason) => {
      const dl = deadLetterOf(m as BusMessage<unknown>, reason, 'alerting');
      await opts.bus.publish(TOPICS.dlq, [{ key: dl.tenant ?? '', value: dl }]);
    },
  });
  const sub: Subscription = await opts.bus.subscribe<Alert>({ topic: TOPICS.alerts, group: 'alerting', maxBatch: 200, handler: guard.handler });
  return { stop: () => sub.close() };
}

export type IncidentAction =
  | { action: 'status'; status: IncidentStatus; resolution?: string | null }
  | { action: 'assign'; assignee: string | null }
  | { action: 'comment'; comment: string }
  /** A report to the competent authority (reports/deadlines.ts) was sent; `reference` notes its dispatch number or recipient. */
  | { action: 'report_sent'; kind: 'initial' | 'final'; reference?: string | null };

const TRANSITIONS: Record<IncidentStatus, IncidentStatus[]> = {
  new: ['acknowledged', 'in_progress', 'resolved', 'false_positive', 'duplicate'],
  acknowledged: ['in_progress', 'resolved', 'false_positive', 'duplicate', 'new'],
  in_progress: ['acknowledged', 'resolved', 'false_positive', 'duplicate'],
  resolved: ['new', 'in_progress'],
  false_positive: ['new', 'in_progress'],
  duplicate: ['new', 'in_progress'],
};

export class WorkflowError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** An analyst's change to an incident: validated, versioned, recorded, and pushed to consoles. */
export async function changeIncident(
  deps: { store: Store; bus: Bus },
  id: string,
  scope: TenantScope,
  actor: string,
  change: IncidentAction,
): Promise<Incident> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const inc = await deps.store.getIncident(id, scope);
    if (!inc) throw new WorkflowError(`incident ${id} does not exist or is not visible to you`, 404);
    const now = new Date().toISOString();
    const next: Incident = { ...inc, updated: now, version: inc.version + 1 };
    const record: IncidentChange = { id: newId(), incidentId: id, tenant: inc.tenant, at: now, actor, action: change.action };
    if (change.action === 'status') {
      if (change.status === inc.status) throw new WorkflowError(`incident is already ${inc.status}`, 409);
      if (!TRANSITIONS[inc.status].includes(change.status)) throw new WorkflowError(`status cannot go from ${inc.status} to ${change.status}; allowed: ${TRANSITIONS[inc.status].join(', ')}`, 409);
      next.status = change.status;
      next.resolution = OPEN_STATUSES.includes(change.status) ? null : (change.resolution ?? change.status);
      record.from = inc.status;
      record.to = change.status;
      record.comment = change.resolution ?? null;
    } else if (change.action === 'assign') {
      next.assignee = change.assignee;
      record.from = inc.assignee ?? null;
      record.to = change.assignee;
      if (inc.status === 'new' && change.assignee) {
        next.status = 'acknowledged';
      }
    } else if (change.action === 'report_sent') {
      const changes = await deps.store.listIncidentChanges(id);
      if (changes.some((c) => c.action === 'report_sent' && c.to === change.kind)) throw new WorkflowError(`the ${change.kind} report of this incident is already recorded as sent`, 409);
      record.to = change.kind;
      record.comment = change.reference?.trim() || null;
      next.version = inc.version; // recorded in the history; the incident itself does not change
    } else {
      const text = change.comment.trim();
      if (!text) throw new WorkflowError('comment: an empty comment says nothing', 400);
      if (text.length > 10000) throw new WorkflowError('comment: at most 10000 characters', 400);
      record.comment = text;
      next.version = inc.version; // a comment does not change the incident itself
    }
    try {
      const recordOnly = change.action === 'comment' || change.action === 'report_sent';
      if (!recordOnly) await deps.store.saveIncident(next, inc.version);
      await deps.store.addIncidentChange(record);
      const result = recordOnly ? inc : next;
      await deps.bus.publish<IncidentNotice>(TOPICS.incidents, [{ key: id, value: { type: 'incident.updated', incident: result } }]);
      return result;
    } catch (e) {
      if (e instanceof ConflictError) continue;
      throw e;
    }
  }
  throw new WorkflowError('the incident changes too often right now; retry', 409);
}
