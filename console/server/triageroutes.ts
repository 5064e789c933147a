/**
 * The triage queue (a fastify plugin): open incidents sorted by severity, SLA time left, last
 * activity or count, each with its SLA due time and whether it is breached; bulk acknowledge /
 * assign / close; merging and splitting incidents by hand (audited). Within the caller's agencies.
 */
import type { FastifyPluginAsync } from 'fastify';
import { OPEN_STATUSES, severityRank, type Incident, type IncidentStatus } from '../../core/model';
import { changeIncident, type IncidentAction } from '../../alerting/incidents';
import { mergeIncidents, splitIncident } from '../../alerting/regroup';
import { ANY_ROLE, CHANGE_INCIDENTS } from './routeaccess';
import { scopeOf } from './auth';
import { answers, MERGE_ANSWER, SPLIT_ANSWER, TRIAGE_QUEUE } from './schemas';
import { DEFAULT_SLA, type SlaTargets } from './sla';
import { ID, STATUSES, type RouteContext } from './routekit';

export const QUEUE_SORTS = ['severity', 'sla', 'last_activity', 'count'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueSla {
  stage: 'acknowledge' | 'resolve' | 'closed';
  due: string | null;
  left_ms: number | null; // negative once breached
  breached: boolean;
}

/** Where an incident stands against its SLA: a new one against the time to acknowledge, a taken one against the time to resolve. */
export function queueSla(inc: Incident, targets: SlaTargets, now: number): QueueSla {
  if (!OPEN_STATUSES.includes(inc.status)) return { stage: 'closed', due: null, left_ms: null, breached: false };
  const t = targets[inc.severity] ?? DEFAULT_SLA[inc.severity] ?? DEFAULT_SLA.medium;
  const stage = inc.status === 'new' ? 'acknowledge' : 'resolve';
  const due = Date.parse(inc.created) + (stage === 'acknowledge' ? t.acknowledge_minutes : t.resolve_minutes) * 60_000;
  return { stage, due: new Date(due).toISOString(), left_ms: due - now, breached: due < now };
}

const ORDER: Record<QueueSort, (a: { incident: Incident; sla: QueueSla }, b: { incident: Incident; sla: QueueSla }) => number> = {
  severity: (a, b) => severityRank(b.incident.severity) - severityRank(a.incident.severity),
  sla: (a, b) => (a.sla.left_ms ?? Infinity) - (b.sla.left_ms ?? Infinity),
  last_activity: (a, b) => (a.incident.last_seen < b.incident.last_seen ? 1 : a.incident.last_seen > b.incident.last_seen ? -1 : 0),
  count: (a, b) => b.incident.count - a.incident.count,
};

/** Sorts by the chosen key, then by SLA time left and last activity, so ties keep a useful order. */
export function sortQueue<T extends { incident: Incident; sla: QueueSla }>(items: T[], sort: QueueSort): T[] {
  const then: QueueSort[] = [sort, 'sla', 'last_activity'];
  return [...items].sort((a, b) => {
    for (const k of then) {
      const d = ORDER[k](a, b);
      if (d) return d;
    }
    return a.incident.id < b.incident.id ? -1 : 1;
  });
}

const idParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: ID } };
const BULK_ACTIONS = ['acknowledge', 'assign', 'close'] as const;
type BulkBody = { ids: string[]; action: (typeof BULK_ACTIONS)[number]; assignee?: string | null; resolution?: string | null; status?: IncidentStatus };

function bulkChange(b: BulkBody): IncidentAction {
  if (b.action === 'acknowledge') return { action: 'status', status: 'acknowledged' };
  if (b.action === 'assign') return { action: 'assign', assignee: b.assignee ?? null };
  return { action: 'status', status: b.status ?? 'resolved', resolution: b.resolution ?? null };
}

export const triageRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, bus, audit } = ctx;
  const sla = ctx.sla ?? DEFAULT_SLA;

  app.get<{ Querystring: { sort: QueueSort; status?: string; agency?: string; limit: number } }>(
    '/api/incidents/queue',
    {
      config: { access: { roles: ANY_ROLE, scope: 'agency' } },
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            sort: { type: 'string', enum: [...QUEUE_SORTS], default: 'sla' },
            status: { type: 'string', pattern: `^((${STATUSES.join('|')}|open),?)*$` },
            agency: { type: 'string', maxLength: 64 },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
          },
        },
        response: answers(TRIAGE_QUEUE),
      },
    },
    async (req) => {
      const q = req.query;
      const scope = scopeOf(req.principal!);
      const status = (q.status ?? 'open').split(',').filter(Boolean).flatMap((s) => (s === 'open' ? OPEN_STATUSES : [s as IncidentStatus]));
      const tenants = q.agency ? (scope === null || scope.includes(q.agency) ? [q.agency] : []) : scope;
      // the open queue of a SOC is hundreds, not millions: sorted here, where the SLA targets are known
      const { items, total } = await store.listIncidents({ tenants, status, limit: 1000 });
      const now = Date.now();
      const rows = sortQueue(items.map((incident) => ({ incident, sla: queueSla(incident, sla, now) })), q.sort);
      return { items: rows.slice(0, q.limit), total, breached: rows.filter((r) => r.sla.breached).length };
    },
  );

  app.post<{ Body: BulkBody }>(
    '/api/incidents/bulk',
    {
      config: { access: { roles: CHANGE_INCIDENTS, scope: 'agency' } },
      schema: {
        body: {
          type: 'object',
          required: ['ids', 'action'],
          additionalProperties: false,
          properties: {
            ids: { type: 'array', minItems: 1, maxItems: 500, uniqueItems: true, items: ID },
            action: { type: 'string', enum: [...BULK_ACTIONS] },
            assignee: { type: ['string', 'null'], maxLength: 100 },
            status: { type: 'string', enum: ['resolved', 'false_positive', 'duplicate'] },
            resolution: { type: ['string', 'null'], maxLength: 2000 },
          },
        },
        response: answers({
          type: 'object',
          required: ['results'],
          properties: { results: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, ok: { type: 'boolean' }, status: { type: 'string' }, error: { type: 'string' } } } } },
        }),
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const b = req.body;
      if (b.action === 'assign' && b.assignee === undefined) return reply.code(400).send({ error: 'body/assignee is required for action "assign" (null to unassign)' });
      const scope = scopeOf(p);
      const results: { id: string; ok: boolean; status?: string; error?: string }[] = [];
      const agencies = new Set<string>();
      for (const id of b.ids) {
        try {
          const inc = await changeIncident({ store, bus }, id, scope, p.username, bulkChange(b));
          agencies.add(inc.tenant);
          results.push({ id, ok: true, status: inc.status });
        } catch (e) {
          // one refused incident (closed already, not visible) does not stop the others; each says why
          const status = (e as { status?: number }).status;
          if (typeof status !== 'number') throw e;
          results.push({ id, ok: false, error: (e as Error).message });
        }
      }
      const changed = results.filter((r) => r.ok).map((r) => r.id);
      if (changed.length) await audit(req, `incidents.bulk.${b.action}`, null, { ids: changed, assignee: b.assignee ?? null, agencies: [...agencies].sort() });
      return { results };
    },
  );

  app.post<{ Params: { id: string }; Body: { into: string } }>(
    '/api/incidents/:id/merge',
    {
      config: { access: { roles: CHANGE_INCIDENTS, scope: 'agency' } },
      schema: {
        params: idParams,
        body: { type: 'object', required: ['into'], additionalProperties: false, properties: { into: ID } },
        response: answers(MERGE_ANSWER),
      },
    },
    async (req) => {
      const r = await mergeIncidents({ store, bus }, req.params.id, req.body.into, scopeOf(req.principal!), req.principal!.username);
      await audit(req, 'incident.merge', r.target.id, { from: r.source.id, agencies: [r.target.tenant] });
      return r;
    },
  );

  app.post<{ Params: { id: string }; Body: { alerts: string[] } }>(
    '/api/incidents/:id/split',
    {
      config: { access: { roles: CHANGE_INCIDENTS, scope: 'agency' } },
      schema: {
        params: idParams,
        body: { type: 'object', required: ['alerts'], additionalProperties: false, properties: { alerts: { type: 'array', minItems: 1, maxItems: 10000, uniqueItems: true, items: ID } } },
        response: answers(SPLIT_ANSWER),
      },
    },
    async (req) => {
      const r = await splitIncident({ store, bus }, req.params.id, req.body.alerts, scopeOf(req.principal!), req.principal!.username);
      await audit(req, 'incident.split', r.original.id, { into: r.split.id, alerts: req.body.alerts.length, agencies: [r.original.tenant] });
      return r;
    },
  );
};
