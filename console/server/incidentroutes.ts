/**
 * Incidents and alerts (a fastify plugin): lists, one incident with its alerts, events and
 * history, the workflow actions, and the export with SLA figures; all within the caller's agencies.
 */
import { answers, fileAnswer, INCIDENT_CHANGED, INCIDENT_DETAIL, pageOf, ref } from './schemas';
import type { FastifyPluginAsync } from 'fastify';
import { OPEN_STATUSES, type Incident, type IncidentStatus } from '../../core/model';
import { changeIncident, type IncidentAction } from '../../alerting/incidents';
import { ANY_ROLE, CHANGE_INCIDENTS } from './routeaccess';
import { scopeOf } from './auth';
import { csvRow } from './csv';
import { slaOf } from './sla';
import { reportingClock } from '../../reports/deadlines';
import { askedScope, attachment, principal, STATUSES, type RouteContext } from './routekit';

export const incidentRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, bus, audit, sla } = ctx;
  app.get<{ Querystring: { status?: string; severity?: string; rule?: string; assignee?: string; agency?: string; limit?: number; offset?: number } }>(
    '/api/incidents',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: { response: answers(pageOf(ref('Incident'))),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', pattern: `^((${STATUSES.join('|')}|open|closed),?)*$` },
            severity: { type: 'string', pattern: '^((informational|low|medium|high|critical),?)*$' },
            rule: { type: 'string', maxLength: 200 },
            assignee: { type: 'string', maxLength: 100 },
            agency: { type: 'string', maxLength: 64 },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      const status = q.status
        ? q.status
            .split(',')
            .filter(Boolean)
            .flatMap((s) => (s === 'open' ? ['new', 'acknowledged', 'in_progress'] : s === 'closed' ? ['resolved', 'false_positive', 'duplicate'] : [s]))
        : undefined;
      const scope = scopeOf(req.principal!);
      const res = await store.listIncidents({
        tenants: askedScope(scope, q.agency),
        status: status as IncidentStatus[] | undefined,
        severity: q.severity?.split(',').filter(Boolean),
        ruleId: q.rule,
        assignee: q.assignee,
        limit: q.limit,
        offset: q.offset,
      });
      return res;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/incidents/:id',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { response: answers(INCIDENT_DETAIL), params: { type: 'object', properties: { id: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } } } } },
    async (req, reply) => {
      const scope = scopeOf(req.principal!);
      const incident = await store.getIncident(req.params.id, scope);
      if (!incident) return reply.code(404).send({ error: `incident ${req.params.id} does not exist or is not visible to you` });
      const [alerts, changes] = await Promise.all([store.listAlerts({ incidentId: incident.id, tenants: scope, limit: 200 }), store.listIncidentChanges(incident.id)]);
      const eventIds = [...new Set(alerts.flatMap((a) => a.eventIds))].slice(0, 200);
      const [events, related, tenant] = await Promise.all([store.getEvents(eventIds, scope), store.relatedIncidents(incident, scope, 20), store.getTenant(incident.tenant)]);
      await audit(req, 'incident.view', incident.id, { agencies: [incident.tenant] });
      return { incident, alerts, changes, events, related, agency: tenant ? { id: tenant.id, name: tenant.name } : { id: incident.tenant, name: incident.tenant }, sla: slaOf(incident, changes, sla), reporting: reportingClock(incident, changes, ctx.reporting) };
    },
  );

  app.post<{ Params: { id: string }; Body: IncidentAction }>(
    '/api/incidents/:id/actions',
    { config: { access: { roles: CHANGE_INCIDENTS, scope: 'agency' } }, 
      schema: { response: answers(INCIDENT_CHANGED),
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } } },
        body: {
          type: 'object',
          required: ['action'],
          additionalProperties: false,
          properties: {
            action: { type: 'string', enum: ['status', 'assign', 'comment', 'report_sent'] },
            status: { type: 'string', enum: STATUSES },
            resolution: { type: ['string', 'null'], maxLength: 2000 },
            assignee: { type: ['string', 'null'], maxLength: 100 },
            comment: { type: 'string', maxLength: 10000 },
            kind: { type: 'string', enum: ['initial', 'final'] },
            reference: { type: ['string', 'null'], maxLength: 500 },
          },
        },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const b = req.body;
      if (b.action === 'status' && !b.status) return reply.code(400).send({ error: 'body/status is required for action "status"' });
      if (b.action === 'comment' && typeof b.comment !== 'string') return reply.code(400).send({ error: 'body/comment is required for action "comment"' });
      if (b.action === 'report_sent' && !b.kind) return reply.code(400).send({ error: 'body/kind is required for action "report_sent" (initial or final)' });
      if (b.action === 'assign' && b.assignee === undefined) return reply.code(400).send({ error: 'body/assignee is required for action "assign" (null to unassign)' });
      if (b.action === 'assign' && b.assignee) {
        // only someone who sees the incident's agency can be assigned; another agency's users are not even confirmed to exist
        const [u, inc] = await Promise.all([store.getUser(b.assignee), store.getIncident(req.params.id, scopeOf(p))]);
        const sees = u && !u.disabled && inc && (scopeOf(u) === null || scopeOf(u)!.includes(inc.tenant));
        if (inc && !sees) return reply.code(400).send({ error: `body/assignee: no user "${b.assignee}" who sees agency ${inc.tenant}` });
      }
      const incident = await changeIncident({ store, bus }, req.params.id, scopeOf(p), p.username, b);
      await audit(req, `incident.${b.action}`, incident.id, { ...b, agencies: [incident.tenant] });
      return { incident };
    },
  );

  // ---- incidents export (with SLA)

  app.get<{ Querystring: { format: 'csv' | 'json'; status?: string; agency?: string } }>(
    '/api/incidents/export',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: { response: fileAnswer(),
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['format'],
          properties: { format: { type: 'string', enum: ['csv', 'json'] }, status: { type: 'string', pattern: '^(open|closed|new|acknowledged|in_progress|resolved|false_positive|duplicate)?$' }, agency: { type: 'string', maxLength: 64 } },
        },
      },
    },
    async (req, reply) => {
      const scope = scopeOf(principal(req));
      const tenants = askedScope(scope, req.query.agency);
      const st = req.query.status;
      const status: IncidentStatus[] | undefined = !st ? undefined : st === 'open' ? OPEN_STATUSES : st === 'closed' ? ['resolved', 'false_positive', 'duplicate'] : [st as IncidentStatus];
      const items: Incident[] = [];
      for (let offset = 0; offset < 50000; offset += 1000) {
        const page = await store.listIncidents({ tenants, status, limit: 1000, offset });
        items.push(...page.items);
        if (page.items.length < 1000) break;
      }
      const rows = await Promise.all(items.map(async (inc) => ({ inc, sla: slaOf(inc, await store.listIncidentChanges(inc.id), ctx.sla) })));
      await audit(req, 'incidents.export', null, { format: req.query.format, status: st ?? 'all', rows: rows.length });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      if (req.query.format === 'json') {
        attachment(reply, `canhgac-incidents-${stamp}.json`, 'application/json; charset=utf-8');
        return reply.send(JSON.stringify(rows.map((r) => ({ ...r.inc, sla: r.sla })), null, 1));
      }
      attachment(reply, `canhgac-incidents-${stamp}.csv`, 'text/csv; charset=utf-8');
      const head = ['id', 'agency', 'severity', 'status', 'rule', 'title', 'host', 'source_ip', 'user', 'count', 'first_seen', 'last_seen', 'created', 'assignee', 'resolution',
        'acknowledged_at', 'time_to_acknowledge_s', 'acknowledge_target_min', 'acknowledge_breached', 'closed_at', 'time_open_s', 'resolve_target_min', 'resolve_breached'];
      const out = ['\uFEFF' + csvRow(head)];
      for (const { inc, sla } of rows) {
        out.push(csvRow([inc.id, inc.tenant, inc.severity, inc.status, inc.rule.id, inc.title, inc.summary.host, inc.summary.source_ip, inc.summary.user, inc.count, inc.first_seen, inc.last_seen, inc.created,
          inc.assignee, inc.resolution, sla.acknowledged_at, Math.round(sla.time_to_acknowledge_ms / 1000), sla.target.acknowledge_minutes, sla.acknowledge_breached, sla.closed_at,
          Math.round(sla.time_open_ms / 1000), sla.target.resolve_minutes, sla.resolve_breached]));
      }
      return reply.send(out.join(''));
    },
  );

  // ?event=<event.id>: the alerts raised on that event (each with its incident), the search view's way back from an event
  app.get<{ Querystring: { limit?: number; offset?: number; event?: string } }>(
    '/api/alerts',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { response: answers(pageOf(ref('Alert'))), querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, offset: { type: 'integer', minimum: 0, default: 0 }, event: { type: 'string', minLength: 1, maxLength: 128 } } } } },
    async (req) => {
      const tenants = scopeOf(principal(req));
      if (req.query.event === undefined) return store.listAlertsPage({ tenants, limit: req.query.limit ?? 100, offset: req.query.offset ?? 0 });
      const items = await store.listAlerts({ tenants, eventId: req.query.event, limit: req.query.limit ?? 100 });
      return { items, total: items.length };
    },
  );
};
