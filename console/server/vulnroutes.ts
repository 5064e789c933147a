/**
 * Vulnerability findings (a fastify plugin): the agencies' findings with host, port, CVE ids, CVSS, severity,
 * status and first/last seen; a summary per agency; a CSV export per agency; and a scan report uploaded as
 * XML, streamed into the importer. Scoped by agency like every route.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { Store } from '../../core/store/store';
import type { FindingStatus } from '../../core/store/vulns';
import { findingsCsv } from '../../vuln/export';
import { SCAN_FORMATS, VULN_SEVERITIES, type VulnSeverity } from '../../vuln/finding';
import { importScan, VulnImportError, vulnsOf } from '../../vuln/importer';
import { summarize } from '../../vuln/summary';
import { ScanFileError } from '../../vuln/xml';
import { scopeOf } from './auth';
import { ANY_ROLE, EDIT_RULES } from './routeaccess';
import { askedScope, attachment, inScope } from './routekit';
import { answers, fileAnswer } from './schemas';
import { VULN_IMPORT, VULN_LIST, VULN_SUMMARY } from './vulnschemas';

const agency = { type: 'string', maxLength: 64 } as const;
const listQuery = {
  type: 'object', additionalProperties: false,
  properties: { agency, host: { type: 'string', maxLength: 64 }, severity: { type: 'string', pattern: `^(${VULN_SEVERITIES.join('|')})(,(${VULN_SEVERITIES.join('|')}))*$` }, status: { type: 'string', enum: ['open', 'closed'] }, limit: { type: 'integer', minimum: 1, maximum: 1000 }, offset: { type: 'integer', minimum: 0 } },
} as const;
const agencyQuery = { type: 'object', additionalProperties: false, required: ['agency'], properties: { agency } } as const;
const importQuery = { type: 'object', additionalProperties: false, required: ['agency', 'format'], properties: { agency, format: { type: 'string', enum: SCAN_FORMATS }, file: { type: 'string', maxLength: 200 } } } as const;


export interface VulnRouteOptions {
  store: Store;
  audit(req: FastifyRequest, action: string, target?: string | null, details?: Record<string, unknown>): Promise<void>;
  remediationDays?: Record<VulnSeverity, number>; // console.remediation_days, defaults filled in
}

export const vulnRoutes: FastifyPluginAsync<VulnRouteOptions> = async (app, { store, audit, remediationDays }) => {
  // an uploaded report reaches the importer as the request stream, never as one buffer
  app.addContentTypeParser(['application/xml', 'text/xml'], { bodyLimit: 2 * 1024 ** 3 }, (_req, payload, done) => done(null, payload));
  const unavailable = () => ({ error: `this store (${store.kind}) keeps no vulnerability findings` });

  app.get<{ Querystring: { agency?: string; host?: string; severity?: string; status?: FindingStatus; limit?: number; offset?: number } }>(
    '/api/vulnerabilities', { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { querystring: listQuery, response: answers(VULN_LIST) } },
    async (req, reply) => {
      if (!store.vulns) return reply.code(503).send(unavailable());
      const q = req.query;
      return store.vulns.listFindings({ tenants: askedScope(scopeOf(req.principal!), q.agency), host: q.host, severity: q.severity?.split(',') as VulnSeverity[] | undefined, status: q.status ? [q.status] : undefined, limit: q.limit ?? 100, offset: q.offset ?? 0 });
    },
  );

  app.get<{ Querystring: { agency: string } }>('/api/vulnerabilities/summary', { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { querystring: agencyQuery, response: answers(VULN_SUMMARY) } }, async (req, reply) => {
    if (!store.vulns) return reply.code(503).send(unavailable());
    const a = req.query.agency;
    if (!inScope(scopeOf(req.principal!), a)) return reply.code(404).send({ error: `agency ${a}: not one of your agencies` });
    const open = await store.vulns.listFindings({ tenants: [a], status: ['open'], limit: 100_000 });
    return summarize(a, open.items, await store.vulns.listAssets([a]), await store.vulns.listImports([a]), Date.now(), remediationDays);
  });

  app.get<{ Querystring: { agency: string } }>('/api/vulnerabilities/export.csv', { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { querystring: agencyQuery, response: fileAnswer() } }, async (req, reply) => {
    if (!store.vulns) return reply.code(503).send(unavailable());
    const a = req.query.agency;
    if (!inScope(scopeOf(req.principal!), a)) return reply.code(404).send({ error: `agency ${a}: not one of your agencies` });
    const page = await store.vulns.listFindings({ tenants: [a], limit: 1_000_000 });
    await audit(req, 'vulnerabilities.export', a, { agencies: [a], findings: page.total });
    attachment(reply, `vulnerabilities-${a}.csv`, 'text/csv; charset=utf-8');
    return `\ufeff${findingsCsv(page.items)}`;
  });

  app.post<{ Querystring: { agency: string; format: string; file?: string } }>('/api/vulnerabilities/import', { config: { access: { roles: EDIT_RULES, scope: 'agency' }, streamedBody: true }, schema: { querystring: importQuery, response: answers(VULN_IMPORT) } }, async (req, reply) => {
    const { agency: a, format } = req.query;
    if (!inScope(scopeOf(req.principal!), a)) return reply.code(404).send({ error: `agency ${a}: not one of your agencies` });
    const body = req.body as Readable | undefined;
    if (!body || typeof (body as Readable).pipe !== 'function') return reply.code(415).send({ error: 'body: send the scan report itself as application/xml' });
    try {
      vulnsOf(store);
      const r = await importScan(store, { tenant: a, format, file: req.query.file ?? `upload.${format}.xml`, input: body, by: req.principal!.username });
      await audit(req, 'vulnerabilities.import', r.id, { agencies: [a], format, file: r.file, findings: r.findings, closed: r.closed });
      return r;
    } catch (e) {
      if (e instanceof ScanFileError || e instanceof VulnImportError) return reply.code(400).send({ error: `${e.message}; nothing was imported` });
      throw e;
    }
  });
};
