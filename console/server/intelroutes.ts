/**
 * Threat intelligence (a fastify plugin): the indicators an agency sees, importing a file of
 * them, the infected machines, and the agencies' blocklists — added to by analysts (audited)
 * and pulled by firewalls as a plain-text feed with the agency's feed token. The feed route is
 * public to the session check (a firewall has no session) and checks its own token.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Store } from '../../core/store/store';
import { addBlocklistEntry, blocklistValue, feedText, feedTokenMatches } from '../../intel/blocklist';
import { readFeedsReport } from '../../intel/feeds';
import { infectedHosts } from '../../intel/hosts';
import { FORMATS, parseIndicators, storeIndicators, type Format } from '../../intel/importer';
import { ImportError, INDICATOR_TYPES, parseTtl } from '../../intel/indicator';
import { scopeOf } from './auth';
import { ANY_ROLE, CHANGE_INCIDENTS, EDIT_RULES } from './routeaccess';
import { answers } from './schemas';
import { BLOCKLIST_ENTRY, FEEDS, INDICATOR_PAGE, INFECTED_HOSTS, IOC_IMPORT } from './intelschemas';

type Audit = (req: FastifyRequest, action: string, target?: string | null, details?: Record<string, unknown>) => Promise<void>;

const AGENCY = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' } as const;
const TTL = { type: 'string', pattern: '^(never|\\d+[dhm])$' } as const;
const agencyParams = { type: 'object', required: ['agency'], additionalProperties: false, properties: { agency: AGENCY } } as const;

/** The caller's agency may be named; a provincial caller may name any; a scoped one only its own (else it does not exist for them). */
const mayUse = (req: FastifyRequest, agency: string) => {
  const scope = scopeOf(req.principal!);
  return scope === null || scope.includes(agency);
};

/** The feed token as a firewall sends it: Bearer, HTTP Basic (the password), or ?token= for devices that take only a URL. */
function presentedToken(req: FastifyRequest<{ Querystring: { token?: string } }>): string | undefined {
  const h = req.headers.authorization ?? '';
  if (/^Bearer /i.test(h)) return h.slice(7).trim();
  if (/^Basic /i.test(h)) {
    const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return req.query.token;
}

export const intelRoutes: FastifyPluginAsync<{ store: Store; audit: Audit }> = async (app, { store, audit }) => {
  app.get<{ Querystring: { q?: string; type?: string; limit?: number; offset?: number } }>(
    '/api/iocs',
    {
      config: { access: { roles: ANY_ROLE, scope: 'agency' } },
      schema: {
        querystring: {
          type: 'object', additionalProperties: false,
          properties: { q: { type: 'string', maxLength: 200 }, type: { type: 'string', enum: [...INDICATOR_TYPES] }, limit: { type: 'integer', minimum: 1, maximum: 1000 }, offset: { type: 'integer', minimum: 0 } },
        },
        response: answers(INDICATOR_PAGE),
      },
    },
    async (req) => store.listIndicators({ tenants: scopeOf(req.principal!), q: req.query.q, type: req.query.type, limit: req.query.limit ?? 100, offset: req.query.offset }),
  );

  app.post<{ Body: { format: Format; content: string; tenant?: string | null; source?: string; ttl?: string } }>(
    '/api/iocs/import',
    {
      bodyLimit: 64 * 1024 * 1024,
      config: { access: { roles: EDIT_RULES, scope: 'agency' } },
      schema: {
        body: {
          type: 'object', additionalProperties: false, required: ['format', 'content'],
          properties: { format: { type: 'string', enum: [...FORMATS] }, content: { type: 'string', minLength: 1 }, tenant: { anyOf: [AGENCY, { type: 'null' }] }, source: { type: 'string', maxLength: 200 }, ttl: TTL },
        },
        response: answers(IOC_IMPORT),
      },
    },
    async (req, reply) => {
      const tenant = req.body.tenant ?? null;
      const scope = scopeOf(req.principal!);
      if (tenant === null && scope !== null) return reply.code(403).send({ error: 'tenant: a user scoped to agencies imports for one of them; indicators shared with every agency are imported by a provincial user' });
      if (tenant !== null && (!mayUse(req, tenant) || !(await store.getTenant(tenant)))) return reply.code(404).send({ error: `tenant: no agency "${tenant}" in your scope` });
      let read;
      try {
        read = parseIndicators(req.body.content, req.body.format);
      } catch (e) {
        if (e instanceof ImportError) return reply.code(400).send({ error: `content: ${e.message}` });
        throw e;
      }
      const r = await storeIndicators(store, read, { tenant, source: req.body.source ?? `console upload by ${req.principal!.username}`, ttlMs: parseTtl(req.body.ttl ?? '30d'), now: new Date() });
      await audit(req, 'ioc.import', tenant ?? '*', { format: req.body.format, added: r.added, updated: r.updated, skipped: r.skipped.length, agencies: tenant ? [tenant] : [] });
      return { added: r.added, updated: r.updated, skipped: r.skipped.slice(0, 100) };
    },
  );

  app.get('/api/intel/hosts', { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { response: answers(INFECTED_HOSTS) } }, async (req) => ({ items: await infectedHosts(store, scopeOf(req.principal!)) }));

  // the feed folder's last scan: each file with its status, and why a broken one was refused
  app.get(
    '/api/intel/feeds',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { response: answers(FEEDS) } },
    async (req) => {
      const scope = scopeOf(req.principal!);
      const report = await readFeedsReport(store);
      return { scanned: report?.scanned ?? null, items: (report?.files ?? []).filter((f) => f.tenant === null || scope === null || scope.includes(f.tenant)) };
    },
  );

  app.get<{ Params: { agency: string }; Querystring: { type?: 'ip' | 'domain' | 'url'; token?: string } }>(
    '/api/blocklists/:agency',
    {
      config: { public: true },
      schema: {
        params: agencyParams,
        querystring: { type: 'object', additionalProperties: false, properties: { type: { type: 'string', enum: ['ip', 'domain', 'url'] }, token: { type: 'string', maxLength: 200 } } },
        response: answers({ type: 'string' }),
      },
    },
    async (req, reply) => {
      if (!(await feedTokenMatches(store, req.params.agency, presentedToken(req)))) {
        return reply.code(401).header('WWW-Authenticate', 'Bearer realm="canhgac blocklist"').send({ error: 'blocklist feed: missing or wrong feed token (canhgac blocklist token <agency>)' });
      }
      return reply.type('text/plain; charset=utf-8').send(await feedText(store, req.params.agency, req.query.type));
    },
  );

  app.post<{ Params: { agency: string }; Body: { value: string; reason: string; ttl?: string; incidentId?: string } }>(
    '/api/blocklists/:agency',
    {
      config: { access: { roles: CHANGE_INCIDENTS, scope: 'agency' } },
      schema: {
        params: agencyParams,
        body: {
          type: 'object', additionalProperties: false, required: ['value', 'reason'],
          properties: { value: { type: 'string', minLength: 1, maxLength: 2048 }, reason: { type: 'string', minLength: 1, maxLength: 1000 }, ttl: TTL, incidentId: { type: 'string', maxLength: 64 } },
        },
        response: answers(BLOCKLIST_ENTRY),
      },
    },
    async (req, reply) => {
      const { agency } = req.params;
      if (!mayUse(req, agency) || !(await store.getTenant(agency))) return reply.code(404).send({ error: `agency: no agency "${agency}" in your scope` });
      const incidentId = req.body.incidentId;
      if (incidentId !== undefined) {
        // the audit entry names the incident: it must be one the caller sees, of the agency whose firewalls are told
        const inc = await store.getIncident(incidentId, scopeOf(req.principal!));
        if (!inc) return reply.code(404).send({ error: `incidentId: no incident "${incidentId}" in your scope` });
        if (inc.tenant !== agency) return reply.code(400).send({ error: `incidentId: incident "${incidentId}" is of agency "${inc.tenant}", not "${agency}"; block it on that agency's list` });
      }
      try {
        blocklistValue(req.body.value);
      } catch (e) {
        return reply.code(400).send({ error: `value: ${(e as Error).message}` });
      }
      return addBlocklistEntry(
        store,
        { tenant: agency, value: req.body.value, reason: req.body.reason, ttlMs: parseTtl(req.body.ttl ?? '30d'), actor: req.principal!.username, ip: req.ip, incidentId: req.body.incidentId ?? null },
        (action, target, details) => audit(req, action, target, details),
      );
    },
  );
};
