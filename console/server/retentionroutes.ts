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
import { answers, itemsOf } from './schemas';

const str = { type: 'string' } as const;
const nullable = (type: 'string' | 'integer') => ({ type: [type, 'null'] });
const AGENCY_RETENTION = {
  type: 'object',
  required: ['tenant', 'name', 'security_level', 'minimum_days', 'retention_days', 'retention_source', 'oldest_event', 'warnings'],
  properties: {
    tenant: str, name: str, security_level: nullable('integer'), minimum_days: nullable('integer'), minimum_source: nullable('string'),
    retention_days: nullable('integer'), retention_source: { type: 'string', enum: ['override', 'level', 'none'] }, retention_reason: nullable('string'),
    oldest_event: nullable('string'), kept_days: nullable('integer'),
    warnings: { type: 'array', items: { type: 'object', required: ['code', 'message'], properties: { code: str, message: str } } },
  },
} as const;

export const retentionRoutes: FastifyPluginAsync<{ admin: AdminService; store: Store; retention: RetentionContext }> = async (app, { admin, store, retention }) => {
  app.get(
    '/api/retention',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { response: answers(itemsOf(AGENCY_RETENTION)) } },
    async (req) => ({ items: await retentionStatus(store, retention, await admin.listTenants(req.principal!)) }),
  );
};
