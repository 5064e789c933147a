/**
 * Agencies and tokens (a fastify plugin): agencies and their ingest tokens, and API tokens.
 * What an admin may do is the admin service's (admin.ts): a provincial admin creates
 * agencies; an agency admin sees and issues only its own agencies' ingest tokens; anyone
 * manages their own API tokens, an admin also those of the users it manages.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ADMIN, ANY_ROLE } from './routeaccess';
import { type Actor, type AdminService } from './admin';
import { answers, itemsOf, ref } from './schemas';

const ID = { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' } as const;
const params = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: ID } } as const;
const label = { type: 'object', additionalProperties: false, properties: { label: { type: 'string', maxLength: 200 } } } as const;
const newToken = ref('NewToken');

export const actorOf = (req: FastifyRequest): Actor => ({ ...req.principal!, ip: req.ip });

export const tenantRoutes: FastifyPluginAsync<{ admin: AdminService }> = async (app, { admin }) => {
  app.get('/api/tenants', { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { response: answers(itemsOf(ref('Tenant'))) } }, async (req) => ({ items: await admin.listTenants(req.principal!) }));

  app.post<{ Body: { id: string; name: string } }>(
    '/api/tenants',
    {
      config: { access: { roles: ADMIN, scope: 'province' } },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name'],
          properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' }, name: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: answers(ref('NewTenant')),
      },
    },
    async (req) => admin.createTenant(actorOf(req), req.body),
  );

  // an agency's security level and retention override (core/retention/policy.ts): its admins, never below the minimum without a reason
  // and its sharing choice with the national centre (sharing/choice.ts): TLP level, raw observations or not, on or off
  app.patch<{ Params: { id: string }; Body: { security_level?: number; retention_days?: number | null; retention_reason?: string; share_tlp?: string; share_observed?: boolean; share_enabled?: boolean } }>(
    '/api/tenants/:id',
    {
      config: { access: { roles: ADMIN, scope: 'agency' } },
      schema: {
        params,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            security_level: { type: 'integer', minimum: 1, maximum: 5 },
            retention_days: { type: ['integer', 'null'], minimum: 1, maximum: 36500 },
            retention_reason: { type: 'string', minLength: 1, maxLength: 500 },
            share_tlp: { type: 'string', maxLength: 20 }, // checked by applySharing, whose refusal lists the TLP levels
            share_observed: { type: 'boolean' },
            share_enabled: { type: 'boolean' },
          },
        },
        response: answers(ref('Tenant')),
      },
    },
    async (req) => admin.changeTenant(actorOf(req), req.params.id, {
      securityLevel: req.body.security_level, retentionDays: req.body.retention_days, retentionReason: req.body.retention_reason,
      shareTlp: req.body.share_tlp, shareObserved: req.body.share_observed, shareEnabled: req.body.share_enabled,
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/tenants/:id/tokens',
    { config: { access: { roles: ADMIN, scope: 'agency' } }, schema: { params, response: answers(itemsOf(ref('Token'))) } },
    async (req) => ({ items: await admin.listIngestTokens(actorOf(req), req.params.id) }),
  );

  app.post<{ Params: { id: string }; Body: { label?: string } | undefined }>(
    '/api/tenants/:id/tokens',
    { config: { access: { roles: ADMIN, scope: 'agency' } }, schema: { params, body: label, response: answers(newToken) } },
    async (req) => admin.issueIngestToken(actorOf(req), req.params.id, req.body?.label),
  );

  app.get<{ Querystring: { all?: boolean } }>(
    '/api/tokens',
    { config: { access: { roles: ANY_ROLE, scope: 'own' } }, schema: { querystring: { type: 'object', additionalProperties: false, properties: { all: { type: 'boolean' } } }, response: answers(itemsOf(ref('Token'))) } },
    async (req) => ({ items: await admin.listApiTokens(actorOf(req), req.query.all === true) }),
  );

  app.post<{ Body: { label?: string } | undefined }>(
    '/api/tokens',
    { config: { access: { roles: ANY_ROLE, scope: 'own', session: true } }, schema: { body: label, response: answers(newToken) } },
    async (req) => admin.createApiToken(actorOf(req), req.principal!.username, req.body?.label),
  );

  const changed = { type: 'object', required: ['revoked'], properties: { revoked: { type: 'string' }, token: ref('Token'), secret: { type: 'string' } } };
  for (const op of ['revoke', 'rotate'] as const) {
    app.post<{ Params: { id: string } }>(
      `/api/tokens/:id/${op}`,
      { config: { access: { roles: ANY_ROLE, scope: 'own', session: true } }, schema: { params, response: answers(changed) } },
      async (req) => admin.changeToken(actorOf(req), req.params.id, op === 'rotate'),
    );
  }
};
