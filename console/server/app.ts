/**
 * The console API (fastify), composed of one plugin per resource: auth, incidents and
 * alerts, events, saved searches, rules, dashboards, agencies and tokens, users, the audit
 * log and operations (…routes.ts). Every route declares its access (routeaccess.ts) and
 * schemas and goes through the auth plugin; only /api/health, /api/auth/login and the web
 * app's files are public. A user scoped to agencies (any role) sees only their data; a
 * user without a scope sees all.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import type { Bus } from '../../core/bus/bus';
import type { Logger } from '../../core/log';
import { createAuditWriter } from './audit-writer';
import { QuerySyntaxError } from '../../core/query';
import type { Store } from '../../core/store/store';
import { WorkflowError } from '../../alerting/incidents';
import { authPlugin } from './authplugin';
import { declaredRoutes, type DeclaredRoute } from './routeaccess';
import { registerLogin } from './loginroute';
import type { RouteContext } from './routekit';
import { authRoutes } from './authroutes';
import { auditRoutes } from './auditroutes';
import { dashboardRoutes } from './dashboardroutes';
import { eventRoutes } from './eventroutes';
import { incidentRoutes } from './incidentroutes';
import { triageRoutes } from './triageroutes';
import { caseRoutes } from './caseroutes';
import { opsRoutes } from './opsroutes';
import { ruleRoutes } from './ruleroutes';
import { searchRoutes } from './searchroutes';
import { sharingRoutes } from './sharingroutes';
import { RuleScopeError } from './rulescope';
import { AdminError, createAdminService } from './admin';
import { addSharedSchemas } from './schemas';
import { lenientSerializers } from './lenient-serializer';
import { consoleErrorHandler, withErrorCode } from './errors';
import { noStrayBodies, schemaErrorFormatter, STRICT_AJV, strictQueries } from './strictinput';
import { tenantRoutes } from './tenantroutes';
import { retentionRoutes } from './retentionroutes';
import { DEFAULT_RETENTION } from '../../core/retention/config-schema';
import type { RetentionContext } from '../../core/retention/status';
import { userRoutes } from './userroutes';
import { websiteRoutes } from './websiteroutes';
import { intelRoutes } from './intelroutes';
import { vulnRoutes } from './vulnroutes';
import { reportRoutes } from './reportroutes';
import { periodicRoutes } from './periodicroutes';
import { DEFAULT_REPORTING, type ReportingSettings } from '../../reports/deadlines';
import type { VulnSeverity } from '../../vuln/finding';
import { DEFAULT_SLA, type SlaTargets } from './sla';
import { createSecretBox, loadSecretKey } from './secretbox';
import { sealClearTotpSecrets } from './totp';

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
  reporting?: ReportingSettings; // serious severities and report deadlines (reporting: in canhgac.yml); default DEFAULT_REPORTING
  loginLimit?: { maxFailures: number; windowSeconds: number }; // failed logins per address; default 20 per 5 minutes
  remediationDays?: Record<VulnSeverity, number>; // days an open scan finding of each severity may stay open; default REMEDIATION_DAYS
  rulesMappingsDir?: string; // field mappings for "test this rule"; default the engine's
  env?: NodeJS.ProcessEnv; // CANHGAC_SECRET_KEY; default process.env
  dataDir?: string; // where secret.key (encrypting TOTP secrets at rest) lives unless CANHGAC_SECRET_KEY is set
  https?: { cert: Buffer; key: Buffer; minVersion: 'TLSv1.2' }; // serve HTTPS and WSS (console.tls); session cookies are then Secure
  retention?: RetentionContext; // security levels' minimums and where the store's disk is (core/retention); default the shipped levels
}

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
  // over HTTPS the server is an https.Server, which the routes and the push attach to the same way
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, trustProxy: false, ajv: STRICT_AJV, schemaErrorFormatter, schemaController: { compilersFactory: { buildSerializer: lenientSerializers() } }, ...(opts.https ? { https: opts.https } : {}) }) as unknown as FastifyInstance;
  const secureCookies = opts.secureCookies || !!opts.https;
  addSharedSchemas(app);
  app.decorate('routeTable', declaredRoutes(app)); // every route's access declaration, as registered (a route without one is refused)
  strictQueries(app);
  noStrayBodies(app);

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
    return withErrorCode(reply.statusCode, payload, reply.getHeader('retry-after')); // the console says it in the user's language
  });

  app.get('/api/health', { config: { public: true }, schema: { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));

  registerLogin(app, { store, secrets, sessionHours: opts.sessionHours, secureCookies, loginLimit: opts.loginLimit });
  const sla = { ...DEFAULT_SLA, ...(opts.sla ?? {}) };

  const retention = opts.retention ?? { config: DEFAULT_RETENTION };
  const admin = createAdminService(store, { retention: retention.config });
  await app.register(tenantRoutes, { admin });
  await app.register(retentionRoutes, { admin, store, retention });
  await app.register(userRoutes, { admin, store });
  await app.register(websiteRoutes, { store, audit });
  await app.register(intelRoutes, { store, audit });
  await app.register(vulnRoutes, { store, audit, remediationDays: opts.remediationDays });
  const ctx: RouteContext = { store, bus, logger, audit, sla, reporting: opts.reporting ?? DEFAULT_REPORTING, secrets, secureCookies, rulesMappingsDir: opts.rulesMappingsDir };
  for (const plugin of [authRoutes, incidentRoutes, triageRoutes, caseRoutes, eventRoutes, searchRoutes, ruleRoutes, dashboardRoutes, auditRoutes, opsRoutes, reportRoutes, periodicRoutes, sharingRoutes]) await app.register(plugin, ctx);

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
