/**
 * What a console route allows, declared in its route config (`config.access`) and enforced
 * by the auth plugin before the route's schema or handler runs:
 *  - roles: who may call it at all;
 *  - scope: what it answers — 'agency' (data filtered to the caller's agencies; a caller
 *    with no agency sees all), 'own' (the caller's own account: searches, tokens, password),
 *    'province' (province-wide things: only a caller with no agency scope);
 *  - session: only from a console session, never with an API token.
 * A non-public route without a declaration is refused when it is registered, so none can be
 * added unguarded; the access matrix test (access-matrix.test.ts) is generated from these.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { ROLES, type Role } from '../../core/model';
import type { Principal } from './auth';
import { scopeOf } from './auth';

export type AccessScope = 'agency' | 'own' | 'province';

export interface RouteAccess {
  roles: readonly Role[];
  scope: AccessScope;
  session?: true;
}

export const ANY_ROLE: readonly Role[] = ROLES;
export const SOC: readonly Role[] = ['admin', 'analyst', 'responder', 'auditor']; // everyone but the agency viewer
export const CHANGE_INCIDENTS: readonly Role[] = ['admin', 'analyst', 'responder'];
export const EDIT_RULES: readonly Role[] = ['admin', 'analyst'];
export const READ_AUDIT: readonly Role[] = ['admin', 'auditor'];
export const ADMIN: readonly Role[] = ['admin'];

/** The declaration of a route: the data every access check and the matrix test read. */
export interface DeclaredRoute {
  method: string;
  url: string;
  public: boolean;
  access: RouteAccess | null;
  schemas: string[]; // the parts the route declares a schema for: params, querystring, body, response
  answer: unknown; // the schema of its 200 answer, as registered
  bodyLimit: number | null; // the route's own body limit, when it sets one (else the console's)
  streamedBody: boolean; // the handler reads its body as a stream (an uploaded scan report), not as JSON fields
}

/** Why a principal may not call a route, or null when it may. */
export function refusal(access: RouteAccess, p: Principal): string | null {
  if (!access.roles.includes(p.role)) return `role ${p.role} may not do this (allowed: ${access.roles.join(', ')})`;
  if (access.scope === 'province' && scopeOf(p) !== null) return `only a provincial user (no agency scope) may do this; you are scoped to ${p.agencies.join(', ') || 'no agency'}`;
  if (access.session && p.via !== 'session') return 'only from a console session, not with an API token';
  return null;
}

/** Collects every route's declaration as it is registered, and refuses a non-public route that declares nothing. */
export function declaredRoutes(app: FastifyInstance): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const config = (r.config ?? {}) as { public?: boolean; access?: RouteAccess; streamedBody?: boolean };
    for (const method of methods) {
      if (method === 'HEAD' && r.exposeHeadRoute === undefined && routes.some((x) => x.url === r.url && x.method === 'GET')) continue; // fastify's automatic HEAD twin
      if (!config.public && !config.access) throw new Error(`console route ${method} ${r.url} declares no access: add config.access { roles, scope } (routeaccess.ts)`);
      routes.push({
        method, url: r.url, public: config.public === true, access: config.access ?? null, bodyLimit: r.bodyLimit ?? null, streamedBody: config.streamedBody === true,
        get schemas() { // read when asked: later onRoute hooks (strictinput.ts) still add schemas
          const schema = (r.schema ?? {}) as Record<string, unknown>;
          return ['params', 'querystring', 'body', 'response'].filter((k) => schema[k] !== undefined);
        },
        get answer() {
          return ((r.schema ?? {}) as { response?: Record<string, unknown> }).response?.[200];
        },
      });
    }
  });
  return routes;
}
