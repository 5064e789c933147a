/**
 * The auth plugin: every route needs a principal (a session or an API token) unless it is
 * declared `config: { public: true }`; changes through a session need the CSRF header. The
 * decision is made on the route fastify matched (req.routeOptions), never on the raw URL:
 * "/%61pi/auth/logout" is routed to /api/auth/logout and is protected like it. The route's
 * declared roles, scope and session need (config.access, routeaccess.ts) are checked here
 * too, before its schema or handler runs.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Store } from '../../core/store/store';
import { authenticate, cookieValue, csrfMatches, SESSION_COOKIE, type Principal } from './auth';
import { refusal, type RouteAccess } from './routeaccess';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    public?: boolean; // answers without a session or token (health, login, the web app's files)
    access?: RouteAccess; // who may call the route and what it answers (routeaccess.ts); every non-public route has one
    streamedBody?: boolean; // the handler reads the request body as a stream (an uploaded scan report); strictinput lets it through
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const plugin: FastifyPluginAsync<{ store: Store }> = async (app: FastifyInstance, opts) => {
  app.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.config?.public === true) return;
    const principal = await authenticate(opts.store, req.headers, cookieValue(req.headers.cookie, SESSION_COOKIE));
    if (!principal) return reply.code(401).send({ error: 'login required: POST /api/auth/login, or Authorization: Bearer <api token>' });
    if (principal.via === 'session' && !SAFE_METHODS.has(req.method) && !csrfMatches(principal.csrf, req.headers['x-csrf-token'] as string | undefined)) {
      return reply.code(403).send({ error: 'missing or wrong X-CSRF-Token header (GET /api/auth/me returns it)' });
    }
    const access = req.routeOptions.config?.access;
    if (!access && req.routeOptions.url === undefined) return void (req.principal = principal); // no such route: the not-found handler says so
    if (!access) return reply.code(403).send({ error: 'access: this route declares no access and answers nobody' }); // fail closed
    const why = refusal(access, principal);
    if (why) return reply.code(403).send({ error: `access: ${why}` });
    req.principal = principal;
  });
};
// not encapsulated (what fastify-plugin does): the hook covers every route of the console
(plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export const authPlugin = plugin;
