/**
 * The console API (fastify): every route declares its schema and goes through the auth
 * plugin (authplugin.ts); only /api/health, /api/auth/login and the web app's files are
 * declared public (the login route is loginroute.ts).
 * A user scoped to agencies (any role) sees only their data; a SOC role without a scope sees all.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import type { Bus } from '../../core/bus/bus';
import type { Logger } from '../../core/log';
import type { IncidentStatus } from '../../core/model';
import { createAuditWriter } from './audit-writer';
import { listVisibleAudit } from '../../core/audit';
import { QuerySyntaxError, queryFields } from '../../core/query';
import { parseQuery } from '../../core/query';
import type { Store } from '../../core/store/store';
import { changeIncident, WorkflowError, type IncidentAction } from '../../alerting/incidents';
import { cookieValue, logout, scopeOf, sessionCookie, SESSION_COOKIE } from './auth';
import { authPlugin } from './authplugin';
import { accessNotifier } from './access';
import { declaredRoutes, type DeclaredRoute, ANY_ROLE, CHANGE_INCIDENTS, READ_AUDIT, SOC } from './routeaccess';
import { registerLogin } from './loginroute';
import { registerRoutes } from './routes';
import { RuleScopeError, settingsInScope, statusInScope, type RuleStatus } from './rulescope';
import { AdminError, createAdminService } from './admin';
import { addSharedSchemas } from './schemas';
import { consoleErrorHandler } from './errors';
import { noStrayBodies, schemaErrorFormatter, STRICT_AJV, strictQueries } from './strictinput';
import { tenantRoutes } from './tenantroutes';
import { userRoutes } from './userroutes';
import { DEFAULT_SLA, slaOf, type SlaTargets } from './sla';
import { createSecretBox, loadSecretKey } from './secretbox';
import { sealClearTotpSecrets, totpEnabled } from './totp';

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: DeclaredRoute[];
  }
}

export interface ConsoleOptions {
  store: Store;
  bus: Bus;
  logger: Logger;
  sessionHours: number;
  secureCookies: boolean;
  webDir?: string; // the built web app; default console/web (dist build when present)
  sla?: SlaTargets; // per-severity targets in minutes; default DEFAULT_SLA
  loginLimit?: { maxFailures: number; windowSeconds: number }; // failed logins per address; default 20 per 5 minutes
  rulesMappingsDir?: string; // field mappings for "test this rule"; default the engine's
  env?: NodeJS.ProcessEnv; // CANHGAC_SECRET_KEY; default process.env
  dataDir?: string; // where secret.key (encrypting TOTP secrets at rest) lives unless CANHGAC_SECRET_KEY is set
}

const STATUSES: IncidentStatus[] = ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive', 'duplicate'];

export function findWebDir(): string | null {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    for (const candidate of [path.join(dir, 'console', 'web', 'dist'), path.join(dir, 'console', 'web', 'public')]) {
      if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
    }
    dir = path.dirname(dir);
  }
  return null;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
};

export async function buildConsole(opts: ConsoleOptions): Promise<FastifyInstance> {
  const { store, bus, logger } = opts;
  // TOTP secrets are sealed at rest; the key is loaded (or made) the first time one is sealed or opened
  const secrets = createSecretBox(() => loadSecretKey({ dataDir: opts.dataDir, env: opts.env ?? process.env }));
  const sealed = await sealClearTotpSecrets(store, (await store.listUsers()).map((u) => u.username), secrets);
  if (sealed) logger.info({ users: sealed }, 'console: TOTP secrets stored in clear are now encrypted at rest');
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, trustProxy: false, ajv: STRICT_AJV, schemaErrorFormatter });
  addSharedSchemas(app);
  app.decorate('routeTable', declaredRoutes(app));
  strictQueries(app);
  noStrayBodies(app); // every route's access declaration, as registered (a route without one is refused)

  const auditWriter = createAuditWriter(store, logger); // a full disk delays audit entries instead of failing reads
  app.addHook('onClose', async () => auditWriter.close());
  // each entry names the agencies it concerns (an incident's own, else the caller's scope): an agency auditor reads only those (core/audit.ts)
  const audit = async (req: FastifyRequest, action: string, target?: string | null, details?: Record<string, unknown>) => {
    const agencies = Array.isArray(details?.agencies) ? details.agencies : [...(req.principal?.agencies ?? [])].sort();
    await auditWriter.append({ at: new Date().toISOString(), actor: req.principal?.username ?? 'anonymous', action, target: target ?? null, ip: req.ip, details: { ...(details ?? {}), agencies } });
  };

  app.setErrorHandler(
    consoleErrorHandler(logger, (err) => (err instanceof QuerySyntaxError || err.name === 'QueryTooCostlyError' ? 400 : err instanceof WorkflowError || err instanceof AdminError || err instanceof RuleScopeError ? err.status : null)),
  );
  app.setNotFoundHandler({}, (req, reply) => reply.code(404).send({ error: `no API route ${req.method} ${req.url.split('?')[0].slice(0, 200)}` }));

  await app.register(authPlugin, { store }); // every route below needs a session or token unless its config says public

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.routeOptions.url !== '/*') reply.header('Cache-Control', 'no-store'); // incidents, events, secrets: never kept in a shared or browser cache
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('Content-Security-Policy', "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'");
    return payload;
  });

  app.get('/api/health', { config: { public: true }, schema: { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));

  registerLogin(app, { store, secrets, sessionHours: opts.sessionHours, secureCookies: opts.secureCookies, loginLimit: opts.loginLimit });
  const sla = { ...DEFAULT_SLA, ...(opts.sla ?? {}) };

  app.post('/api/auth/logout', { config: { access: { roles: ANY_ROLE, scope: 'own' } } }, async (req, reply) => {
    await logout(store, cookieValue(req.headers.cookie, SESSION_COOKIE));
    await audit(req, 'logout');
    await accessNotifier(store).changed({ username: req.principal!.username, why: 'logout' }); // its WebSocket closes now
    reply.header('Set-Cookie', sessionCookie('', new Date(0), opts.secureCookies));
    return { ok: true };
  });

  app.get('/api/auth/me', { config: { access: { roles: ANY_ROLE, scope: 'own' } } }, async (req) => {
    const p = req.principal!;
    return { username: p.username, role: p.role, agencies: p.agencies, csrf: p.csrf ?? null, totp: await totpEnabled(store, p.username), via: p.via };
  });

  app.get<{ Querystring: { status?: string; severity?: string; rule?: string; assignee?: string; agency?: string; limit?: number; offset?: number } }>(
    '/api/incidents',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: {
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
        tenants: q.agency ? (scope === null || scope.includes(q.agency) ? [q.agency] : []) : scope,
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
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { params: { type: 'object', properties: { id: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } } } } },
    async (req, reply) => {
      const scope = scopeOf(req.principal!);
      const incident = await store.getIncident(req.params.id, scope);
      if (!incident) return reply.code(404).send({ error: `incident ${req.params.id} does not exist or is not visible to you` });
      const [alerts, changes] = await Promise.all([store.listAlerts({ incidentId: incident.id, tenants: scope, limit: 200 }), store.listIncidentChanges(incident.id)]);
      const eventIds = [...new Set(alerts.flatMap((a) => a.eventIds))].slice(0, 200);
      const [events, related, tenant] = await Promise.all([store.getEvents(eventIds, scope), store.relatedIncidents(incident, scope, 20), store.getTenant(incident.tenant)]);
      await audit(req, 'incident.view', incident.id, { agencies: [incident.tenant] });
      return { incident, alerts, changes, events, related, agency: tenant ? { id: tenant.id, name: tenant.name } : { id: incident.tenant, name: incident.tenant }, sla: slaOf(incident, changes, sla) };
    },
  );

  app.post<{ Params: { id: string }; Body: IncidentAction }>(
    '/api/incidents/:id/actions',
    { config: { access: { roles: CHANGE_INCIDENTS, scope: 'agency' } }, 
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } } },
        body: {
          type: 'object',
          required: ['action'],
          additionalProperties: false,
          properties: {
            action: { type: 'string', enum: ['status', 'assign', 'comment'] },
            status: { type: 'string', enum: STATUSES },
            resolution: { type: ['string', 'null'], maxLength: 2000 },
            assignee: { type: ['string', 'null'], maxLength: 100 },
            comment: { type: 'string', maxLength: 10000 },
          },
        },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const b = req.body;
      if (b.action === 'status' && !b.status) return reply.code(400).send({ error: 'body/status is required for action "status"' });
      if (b.action === 'comment' && typeof b.comment !== 'string') return reply.code(400).send({ error: 'body/comment is required for action "comment"' });
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

  app.get<{ Querystring: { q?: string; from?: string; to?: string; limit?: number; offset?: number; order?: 'asc' | 'desc' } }>(
    '/api/events',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: { type: 'string', maxLength: 4096 },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            limit: { type: 'integer', minimum: 0, maximum: 10000, default: 100 },
            offset: { type: 'integer', minimum: 0, maximum: 1000000, default: 0 },
            order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      const fields = queryFields(parseQuery(q.q)); // a syntax error becomes a 400 naming the position
      const page = await store.searchEvents({ q: q.q, from: q.from, to: q.to, limit: q.limit, offset: q.offset, order: q.order, tenants: scopeOf(req.principal!) });
      await audit(req, 'events.search', null, { q: q.q ?? '', from: q.from, to: q.to, fields, total: page.total });
      return page;
    },
  );

  app.get<{ Querystring: { q?: string; from?: string; to?: string; interval?: number } }>(
    '/api/events/histogram',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { q: { type: 'string', maxLength: 4096 }, from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' }, interval: { type: 'integer', minimum: 1000, default: 60000 } },
        },
      },
    },
    async (req) => ({ buckets: await store.histogram({ q: req.query.q, from: req.query.from, to: req.query.to, tenants: scopeOf(req.principal!) }, req.query.interval ?? 60000) }),
  );

  app.get<{ Querystring: { q?: string; from?: string; to?: string; field: string; size?: number } }>(
    '/api/events/top',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: {
        querystring: {
          type: 'object',
          required: ['field'],
          additionalProperties: false,
          properties: {
            q: { type: 'string', maxLength: 4096 },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            field: { type: 'string', pattern: '^[@A-Za-z_][\\w.@-]*$', maxLength: 200 },
            size: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
          },
        },
      },
    },
    async (req) => ({ values: await store.topValues({ q: req.query.q, from: req.query.from, to: req.query.to, tenants: scopeOf(req.principal!) }, req.query.field, req.query.size ?? 10) }),
  );

  app.get('/api/collector/stats', { config: { access: { roles: ANY_ROLE, scope: 'agency' } } }, async (req) => {
    const scope = scopeOf(req.principal!);
    const raw = await store.getState('collector.counters.main');
    const snap = raw ? (JSON.parse(raw) as { listeners: Record<string, unknown>; tenants: Record<string, unknown>; at: string; pending?: number }) : { listeners: {}, tenants: {}, at: null };
    if (scope === null) return snap;
    return { at: snap.at, listeners: {}, tenants: Object.fromEntries(Object.entries(snap.tenants).filter(([t]) => scope.includes(t))) };
  });

  app.get('/api/rules', { config: { access: { roles: SOC, scope: 'agency' } } }, async (req) => {
    const scope = scopeOf(req.principal!);
    const raw = await store.getState('correlator.rules');
    const state = raw ? (JSON.parse(raw) as { rules?: RuleStatus[] }) : { rules: [], report: [] };
    const rules = state.rules ?? [];
    // a scoped caller: hits from its own alerts, and only its own agencies in each rule's settings
    const byRule = scope === null ? [] : (await store.alertStats({ tenants: scope, intervalMs: 86400e3, topRules: Math.max(1, rules.length) })).byRule;
    return { ...state, rules: statusInScope(scope, rules, byRule), settings: settingsInScope(scope, await store.listRuleSettings()) };
  });

  app.get<{ Querystring: { limit?: number } }>(
    '/api/dead-letters',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } } } } },
    async (req) => ({ items: await store.listDeadLetters({ limit: req.query.limit, tenants: scopeOf(req.principal!) }) }),
  );

  app.get<{ Querystring: { limit?: number; after?: number } }>(
    '/api/audit',
    { config: { access: { roles: READ_AUDIT, scope: 'agency' } }, schema: { querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 10000, default: 500 }, after: { type: 'integer', minimum: 0, default: 0 } } } } },
    async (req, reply) => {
      // an agency auditor or admin reads only the entries of its agencies
      return { items: await listVisibleAudit(store, scopeOf(req.principal!), { limit: req.query.limit ?? 500, afterSeq: req.query.after }) };
    },
  );

  // delivery status of each notification (the outbox): what was sent to whom, when, and why not
  app.get<{ Querystring: { incident?: string; status?: string; limit?: number } }>(
    '/api/notifications',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            incident: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' },
            status: { type: 'string', pattern: '^((pending|sending|sent|failed|held),?)*$' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
      },
    },
    async (req) => {
      const items = await store.listNotifications({
        incidentId: req.query.incident,
        status: req.query.status ? (req.query.status.split(',').filter(Boolean) as ('pending' | 'sending' | 'sent' | 'failed' | 'held')[]) : undefined,
        limit: req.query.limit,
        tenants: scopeOf(req.principal!),
      });
      // the message bodies stay in the store; the API tells delivery, not content
      return {
        items: items.map((n) => ({
          id: n.id, incidentId: n.incidentId, tenant: n.tenant, route: n.route, channel: n.channel, recipient: n.recipient, reason: n.reason, subject: n.subject,
          status: n.status, attempts: n.attempts, nextAttemptAt: n.nextAttemptAt, lastError: n.lastError ?? null, providerMessageId: n.providerMessageId ?? null, created: n.created, sentAt: n.sentAt ?? null,
        })),
      };
    },
  );

  const admin = createAdminService(store);
  await app.register(tenantRoutes, { admin });
  await app.register(userRoutes, { admin, store });
  await registerRoutes(app, { store, bus, logger, audit, sla, secrets, rulesMappingsDir: opts.rulesMappingsDir });

  // the web app: static files, index.html for the app's own routes
  const webDir = opts.webDir ?? findWebDir();
  app.get('/*', { config: { public: true } }, async (req: FastifyRequest, reply: FastifyReply) => {
    let url: string;
    try {
      url = decodeURIComponent(req.url.split('?')[0]);
    } catch {
      return reply.code(400).send({ error: 'the path is not valid percent-encoding' });
    }
    if (url.startsWith('/api/')) return reply.code(404).send({ error: `no API route ${req.method} ${url}` });
    if (!webDir) return reply.code(404).type('text/plain').send('the console web app is not built');
    let file = path.normalize(path.join(webDir, url));
    if (!file.startsWith(webDir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(webDir, 'index.html');
    const ext = path.extname(file);
    reply.header('Cache-Control', ext === '.html' ? 'no-cache' : 'public, max-age=3600');
    return reply.type(MIME[ext] ?? 'application/octet-stream').send(fs.createReadStream(file));
  });

  return app;
}
