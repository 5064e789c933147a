/**
 * Cases (a fastify plugin): list and open an agency's cases, create one (from incidents or
 * empty), edit it, link and unlink incidents, add and remove observables (or take them from a
 * linked incident), comment. Within the caller's agencies; every change is audited and is in the
 * case's own history.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Incident } from '../../core/model';
import {
  addComment, addObservable, createCase, getCase, linkIncident, observablesFromIncident, removeObservable, unlinkIncident, updateCase,
  type CasePatch, type NewCase, type NewObservable,
} from '../../alerting/cases';
import type { Case, CaseStatus } from '../../alerting/cases-model';
import { ANY_ROLE, CHANGE_INCIDENTS } from './routeaccess';
import { scopeOf } from './auth';
import { answers } from './schemas';
import { CASE_CHANGED, CASE_DETAIL, CASE_LIST, CASE_STATUS_ENUM, OBSERVABLE_TYPE_ENUM, TLP_ENUM } from './caseschemas';
import { ID, type RouteContext } from './routekit';

const SEVERITY = { type: 'string', enum: ['informational', 'low', 'medium', 'high', 'critical'] } as const;
const TEXT = (max: number) => ({ type: 'string', maxLength: max }) as const;
const params = (...names: string[]) => ({ type: 'object', required: names, additionalProperties: false, properties: Object.fromEntries(names.map((n) => [n, ID])) });
const body = (properties: Record<string, object>, required: string[] = []) => ({ type: 'object', required, additionalProperties: false, properties });
const READ = { access: { roles: ANY_ROLE, scope: 'agency' as const } };
const WRITE = { access: { roles: CHANGE_INCIDENTS, scope: 'agency' as const } };

const row = (c: Case) => ({ ...c, observable_count: c.observables.length, comment_count: c.comments.length });

export const caseRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store } = ctx;
  const d = { store };
  const scope = (req: FastifyRequest) => scopeOf(req.principal!);
  const who = (req: FastifyRequest) => req.principal!.username;
  /** Audits a change of a case with its agency, and answers the case as it is now. */
  const changed = async (req: FastifyRequest, action: string, c: Case, details: Record<string, unknown> = {}) => {
    await ctx.audit(req, `case.${action}`, c.id, { ...details, agencies: [c.tenant] });
    return { case: c };
  };

  app.get<{ Querystring: { status?: string; agency?: string; incident?: string; assignee?: string; limit: number; offset: number } }>(
    '/api/cases',
    {
      config: READ,
      schema: {
        querystring: {
          type: 'object', additionalProperties: false,
          properties: {
            status: { type: 'string', pattern: `^((${CASE_STATUS_ENUM.join('|')}|open),?)*$` }, agency: ID, incident: ID, assignee: TEXT(100),
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, offset: { type: 'integer', minimum: 0, maximum: 100000, default: 0 },
          },
        },
        response: answers(CASE_LIST),
      },
    },
    async (req) => {
      const q = req.query;
      const s = scope(req);
      const tenants = q.agency ? (s === null || s.includes(q.agency) ? [q.agency] : []) : s;
      const status = q.status?.split(',').filter(Boolean).flatMap((x) => (x === 'open' ? ['new', 'in_progress'] : [x])) as CaseStatus[] | undefined;
      const r = await store.cases.listCases({ tenants, status, incidentId: q.incident, assignee: q.assignee, limit: q.limit, offset: q.offset });
      return { items: r.items.map(row), total: r.total };
    },
  );

  app.post<{ Body: NewCase }>(
    '/api/cases',
    {
      config: WRITE,
      schema: {
        body: body({
          tenant: ID, title: { type: 'string', minLength: 1, maxLength: 300, pattern: '\\S' }, description: TEXT(20000), severity: SEVERITY, tlp: { type: 'string', enum: TLP_ENUM },
          assignee: { type: ['string', 'null'], maxLength: 100 }, incidents: { type: 'array', maxItems: 1000, uniqueItems: true, items: ID },
        }, ['title']),
        response: answers(CASE_CHANGED),
      },
    },
    async (req) => {
      const c = await createCase(d, req.body, scope(req), who(req));
      return changed(req, 'create', c, { title: c.title, incidents: c.incidents, tlp: c.tlp });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/cases/:id',
    { config: READ, schema: { params: params('id'), response: answers(CASE_DETAIL) } },
    async (req) => {
      const c = await getCase(d, req.params.id, scope(req));
      const incidents: Incident[] = [];
      for (const id of c.incidents) {
        const inc = await store.getIncident(id, [c.tenant]);
        if (inc) incidents.push(inc);
      }
      return { case: c, incidents };
    },
  );

  app.patch<{ Params: { id: string }; Body: CasePatch }>(
    '/api/cases/:id',
    {
      config: WRITE,
      schema: {
        params: params('id'),
        body: {
          ...body({
            title: { type: 'string', minLength: 1, maxLength: 300, pattern: '\\S' }, description: TEXT(20000), assignee: { type: ['string', 'null'], maxLength: 100 },
            status: { type: 'string', enum: CASE_STATUS_ENUM }, resolution: { type: ['string', 'null'], maxLength: 5000 }, severity: SEVERITY, tlp: { type: 'string', enum: TLP_ENUM },
          }),
          minProperties: 1,
        },
        response: answers(CASE_CHANGED),
      },
    },
    async (req) => {
      const c = await updateCase(d, req.params.id, scope(req), who(req), req.body);
      return changed(req, 'update', c, { fields: Object.keys(req.body).sort(), status: c.status });
    },
  );

  app.post<{ Params: { id: string }; Body: { incident: string } }>(
    '/api/cases/:id/incidents',
    { config: WRITE, schema: { params: params('id'), body: body({ incident: ID }, ['incident']), response: answers(CASE_CHANGED) } },
    async (req) => changed(req, 'incident.link', await linkIncident(d, req.params.id, req.body.incident, scope(req), who(req)), { incident: req.body.incident }),
  );

  app.delete<{ Params: { id: string; incident: string } }>(
    '/api/cases/:id/incidents/:incident',
    { config: WRITE, schema: { params: params('id', 'incident'), response: answers(CASE_CHANGED) } },
    async (req) => changed(req, 'incident.unlink', await unlinkIncident(d, req.params.id, req.params.incident, scope(req), who(req)), { incident: req.params.incident }),
  );

  app.post<{ Params: { id: string }; Body: NewObservable }>(
    '/api/cases/:id/observables',
    {
      config: WRITE,
      schema: {
        params: params('id'),
        body: body({ type: { type: 'string', enum: OBSERVABLE_TYPE_ENUM }, value: { type: 'string', minLength: 1, maxLength: 4096 }, note: { type: ['string', 'null'], maxLength: 5000 }, tags: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 100 } } }, ['type', 'value']),
        response: answers(CASE_CHANGED),
      },
    },
    async (req) => changed(req, 'observable.add', await addObservable(d, req.params.id, req.body, scope(req), who(req)), { type: req.body.type }),
  );

  app.post<{ Params: { id: string }; Body: { incident: string } }>(
    '/api/cases/:id/observables/from-incident',
    { config: WRITE, schema: { params: params('id'), body: body({ incident: ID }, ['incident']), response: answers(CASE_CHANGED) } },
    async (req) => {
      const r = await observablesFromIncident(d, req.params.id, req.body.incident, scope(req), who(req));
      return { ...(await changed(req, 'observable.from_incident', r.case, { incident: req.body.incident, added: r.added, skipped: r.skipped })), added: r.added, skipped: r.skipped };
    },
  );

  app.delete<{ Params: { id: string; observable: string } }>(
    '/api/cases/:id/observables/:observable',
    { config: WRITE, schema: { params: params('id', 'observable'), response: answers(CASE_CHANGED) } },
    async (req) => changed(req, 'observable.remove', await removeObservable(d, req.params.id, req.params.observable, scope(req), who(req)), { observable: req.params.observable }),
  );

  app.post<{ Params: { id: string }; Body: { text: string } }>(
    '/api/cases/:id/comments',
    { config: WRITE, schema: { params: params('id'), body: body({ text: { type: 'string', minLength: 1, maxLength: 20000 } }, ['text']), response: answers(CASE_CHANGED) } },
    async (req) => changed(req, 'comment', await addComment(d, req.params.id, req.body.text, scope(req), who(req))),
  );
};
