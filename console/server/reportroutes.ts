/**
 * Incident reports (a fastify plugin): the initial report and the report at the end of the
 * response, in the Vietnamese forms (reports/incident.ts), as PDF or DOCX, prefilled from the
 * incident; POST the same path with field overrides to export what the responder edited.
 * Within the caller's agencies, as the incident routes are.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { renderReportDocx } from '../../reports/docx';
import { applyOverrides, buildIncidentReport, REPORT_KINDS, reportFileName, type ReportKind } from '../../reports/incident';
import { renderReportPdf } from '../../reports/pdf';
import { scopeOf } from './auth';
import { ANY_ROLE } from './routeaccess';
import { attachment, principal, type RouteContext } from './routekit';
import { answers } from './schemas';

export type ReportFormat = 'pdf' | 'docx' | 'json';
export const REPORT_FORMATS: ReportFormat[] = ['pdf', 'docx', 'json'];
interface Query { kind: ReportKind; format: ReportFormat }
interface Params { id: string }
interface Body { fields: Record<string, string> }

const TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  json: 'application/json; charset=utf-8',
};

const PARAMS = { type: 'object', properties: { id: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } } } as const;
const QUERY = {
  type: 'object', additionalProperties: false, required: ['kind', 'format'],
  properties: { kind: { type: 'string', enum: REPORT_KINDS }, format: { type: 'string', enum: REPORT_FORMATS } },
} as const;
const BODY = {
  type: 'object', additionalProperties: false, required: ['fields'],
  properties: { fields: { type: 'object', maxProperties: 100, additionalProperties: { type: 'string', maxLength: 20000 } } },
} as const;
const ANSWER = answers({ type: 'string', description: 'the report: a PDF or DOCX attachment, or with format=json its prefilled fields (what POST overrides)' });

export const reportRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, audit } = ctx;

  async function report(req: FastifyRequest<{ Params: Params; Querystring: Query }>, reply: FastifyReply, overrides: Record<string, string>) {
    const p = principal(req);
    const scope = scopeOf(p);
    const incident = await store.getIncident(req.params.id, scope);
    if (!incident) return reply.code(404).send({ error: `incident ${req.params.id} does not exist or is not visible to you` });
    const [tenant, changes, alerts] = await Promise.all([store.getTenant(incident.tenant), store.listIncidentChanges(incident.id), store.listAlerts({ incidentId: incident.id, tenants: scope, limit: 200 })]);
    const { kind, format } = req.query;
    const built = applyOverrides(buildIncidentReport({ kind, incident, tenant, changes, alerts, reporter: p.username, deadlineHours: { initial: ctx.reporting.initialHours, final: ctx.reporting.finalHours } }), overrides);
    if ('problem' in built) return reply.code(400).send({ error: `body/${built.problem}` });
    const r = built.report;
    await audit(req, 'incident.report', incident.id, { kind, format, edited: Object.keys(overrides), agencies: [incident.tenant] });
    if (format === 'json') {
      reply.type(TYPES.json);
      return reply.send(JSON.stringify(r));
    }
    const file = format === 'pdf' ? await renderReportPdf(r) : await renderReportDocx(r);
    attachment(reply, reportFileName(r, format), TYPES[format]);
    return reply.send(file);
  }

  app.get<{ Params: Params; Querystring: Query }>(
    '/api/incidents/:id/report',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { params: PARAMS, querystring: QUERY, response: ANSWER } },
    async (req, reply) => report(req, reply, {}),
  );

  app.post<{ Params: Params; Querystring: Query; Body: Body }>(
    '/api/incidents/:id/report',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { params: PARAMS, querystring: QUERY, body: BODY, response: ANSWER } },
    async (req, reply) => report(req, reply, req.body.fields),
  );
};
