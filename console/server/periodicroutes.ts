/**
 * The periodic monitoring report (a fastify plugin): `GET /api/reports/periodic?tenant=&from=&to=&format=pdf|json`
 * for one agency, or for the province (`tenant=*`, or no tenant for a provincial caller), over [from, to)
 * (the 6 months ending now by default), as a Vietnamese PDF (reports/periodic-pdf.ts) or its figures as JSON.
 * Any role, within the caller's agencies: another agency is not found, the province only for a provincial caller.
 */
import type { FastifyPluginAsync } from 'fastify';
import { buildPeriodicReport, periodicFileName, PERIODIC_FORM } from '../../reports/periodic';
import { renderPeriodicPdf } from '../../reports/periodic-pdf';
import { readPeriodic } from '../../reports/periodic-read';
import { defaultPeriod } from '../../reports/periodic-stats';
import { scopeOf } from './auth';
import { parsePeriod, PROVINCE } from './periodicroutes-query';
import { ANY_ROLE } from './routeaccess';
import { attachment, inScope, principal, type RouteContext } from './routekit';
import { answers } from './schemas';

type Format = 'pdf' | 'json';
interface Query { tenant?: string; from?: string; to?: string; format?: Format }

const QUERY = {
  type: 'object', additionalProperties: false,
  properties: {
    tenant: { type: 'string', maxLength: 64, pattern: '^(\\*|[A-Za-z0-9_.@-]+)$', description: 'an agency, or * for the province' },
    from: { type: 'string', maxLength: 40, description: 'YYYY-MM-DD (start of that day, Vietnam time) or an ISO date-time with offset; inclusive' },
    to: { type: 'string', maxLength: 40, description: 'as from; exclusive' },
    format: { type: 'string', enum: ['pdf', 'json'] },
  },
} as const;
const ANSWER = answers({ type: 'string', description: 'the report: a PDF attachment, or with format=json its figures' });

export const periodicRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, audit } = ctx;

  app.get<{ Querystring: Query }>(
    '/api/reports/periodic',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { querystring: QUERY, response: ANSWER } },
    async (req, reply) => {
      const p = principal(req);
      const scope = scopeOf(p);
      const { tenant, format = 'pdf' } = req.query;
      const period = parsePeriod(req.query.from, req.query.to, defaultPeriod(new Date(), PERIODIC_FORM.periodMonths));
      if ('problem' in period) return reply.code(400).send({ error: `querystring/${period.problem}` });

      const province = tenant === PROVINCE || (tenant === undefined && scope === null);
      if (province && scope !== null) return reply.code(403).send({ error: `tenant: the province's report is only for a provincial user; you are scoped to ${p.agencies.join(', ') || 'no agency'}` });
      if (tenant !== undefined && !province && !inScope(scope, tenant)) return reply.code(404).send({ error: `agency ${tenant}: not one of your agencies` });
      if (tenant !== undefined && !province && !(await store.getTenant(tenant))) return reply.code(404).send({ error: `agency ${tenant} does not exist` });
      const tenants = province ? null : tenant !== undefined ? [tenant] : scope!;
      if (tenants !== null && !tenants.length) return reply.code(404).send({ error: 'tenant: you are given no agency, so there is nothing to report' });

      const data = await readPeriodic(store, { tenants, ...period });
      const report = buildPeriodicReport(data, { scope: province ? 'province' : 'agency', reporter: p.username });
      await audit(req, 'report.periodic', province ? 'province' : tenants!.join(','), { from: period.from, to: period.to, format, ...(province ? {} : { agencies: [...tenants!].sort() }) });
      if (format === 'json') {
        reply.type('application/json; charset=utf-8');
        return reply.send(JSON.stringify(report));
      }
      attachment(reply, periodicFileName(report, province ? null : tenants!.join('_'), 'pdf'), 'application/pdf');
      return reply.send(await renderPeriodicPdf(report));
    },
  );
};
