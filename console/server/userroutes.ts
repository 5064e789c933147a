/**
 * Users (a fastify plugin): the list (a scoped caller sees the users of its agencies only),
 * creating and changing them through the admin service (an agency admin manages only its
 * own agencies' users and never grants more than it has).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Role } from '../../core/model';
import type { Store } from '../../core/store/store';
import { ADMIN, SOC } from './routeaccess';
import { managesUser, userView, type AdminService, type UserChange } from './admin';
import { answers, itemsOf, ref, ROLE_NAMES } from './schemas';
import { actorOf } from './tenantroutes';
import { totpEnabled } from './totp';

const agencies = { type: 'array', maxItems: 200, items: { type: 'string', maxLength: 64 } } as const;

export const userRoutes: FastifyPluginAsync<{ admin: AdminService; store: Store }> = async (app, { admin, store }) => {
  app.get('/api/users', { config: { access: { roles: SOC, scope: 'agency' } }, schema: { response: answers(itemsOf(ref('User'))) } }, async (req) => {
    const actor = actorOf(req);
    const users = await admin.listUsers(actor);
    // an admin also sees who has a second factor and who is locked out, of the users it manages
    const items = await Promise.all(
      users.map(async (u) => ({
        ...userView(u),
        ...(managesUser(actor, u) ? { totp: await totpEnabled(store, u.username), locked: !!u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() } : {}),
      })),
    );
    return { items };
  });

  app.post<{ Body: { username: string; password: string; role: Role; agencies?: string[] } }>(
    '/api/users',
    {
      config: { access: { roles: ADMIN, scope: 'agency' } },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password', 'role'],
          properties: { username: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' }, password: { type: 'string', minLength: 1, maxLength: 256 }, role: { type: 'string', enum: ROLE_NAMES }, agencies },
        },
        response: answers(ref('User')),
      },
    },
    async (req) => admin.createUser(actorOf(req), req.body),
  );

  app.patch<{ Params: { username: string }; Body: UserChange }>(
    '/api/users/:username',
    {
      config: { access: { roles: ADMIN, scope: 'agency' } },
      schema: {
        params: { type: 'object', required: ['username'], additionalProperties: false, properties: { username: { type: 'string', minLength: 1, maxLength: 100 } } },
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            role: { type: 'string', enum: ROLE_NAMES },
            agencies,
            disabled: { type: 'boolean' },
            password: { type: 'string', minLength: 1, maxLength: 256 },
            totp: { type: 'boolean', const: false }, // an admin turns off a user's second factor (a lost phone)
          },
        },
        response: answers(ref('User')),
      },
    },
    async (req) => admin.changeUser(actorOf(req), req.params.username, req.body),
  );
};
