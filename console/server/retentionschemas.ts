/** What GET /api/retention answers per agency (core/retention/status.ts), without imports so the web app's types are computed from it (apitypes.ts). */
const str = { type: 'string' } as const;
const nullable = <T extends 'string' | 'integer'>(type: T) => ({ type: [type, 'null'] }) as const;
export const AGENCY_RETENTION = {
  type: 'object',
  required: ['tenant', 'name', 'security_level', 'minimum_days', 'retention_days', 'retention_source', 'oldest_event', 'warnings'],
  properties: {
    tenant: str, name: str, security_level: nullable('integer'), minimum_days: nullable('integer'), minimum_source: nullable('string'),
    retention_days: nullable('integer'), retention_source: { type: 'string', enum: ['override', 'level', 'none'] }, retention_reason: nullable('string'),
    oldest_event: nullable('string'), kept_days: nullable('integer'),
    warnings: { type: 'array', items: { type: 'object', required: ['code', 'message'], properties: { code: str, message: str } } },
  },
} as const;

