/**
 * GET /api/retention (a fastify plugin): per agency the caller may see, its security level, the
 * minimum the level requires and its source, the retention in force, the oldest event kept and
 * the warnings of core/retention/status.ts.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { RetentionContext } from '../../core/retention/status';
import { retentionStatus } from '../../core/retention/status';
import type { Store } from '../../core/store/store';
import type { AdminService } from './admin';
import { ANY_ROLE } from './routeaccess';
import { AGENCY_RETENTION } from './retentionschemas';
import { answers, itemsOf } from './schemas';

export const retentionRoutes: FastifyPluginAsync<{ admin: AdminService; store: Store; retention: RetentionContext }> = async (app, { admin, store, retention }) => {
  app.get(
    '/api/retention',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { response: answers(itemsOf(AGENCY_RETENTION)) } },
    async (req) => ({ items: await retentionStatus(store, retention, await admin.listTenants(req.principal!)) }),
  );
};
