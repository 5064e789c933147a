/**
 * JSON schemas shared by the console's routes (app.addSchema, referenced as { $ref: 'Name#' }):
 * what a route answers is declared, and fastify's serializer sends only the declared fields,
 * so a handler that builds too much never discloses it. The TypeScript types beside them are
 * what the web app imports (console/web/src/api.ts) instead of keeping its own copies.
 */
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../core/model';

export const ROLE_NAMES = ['admin', 'analyst', 'responder', 'auditor', 'viewer'] as const;

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;

export const SHARED_SCHEMAS = [
  { $id: 'Error', type: 'object', required: ['error'], properties: { error: str } },
  { $id: 'Ok', type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } },
  { $id: 'Tenant', type: 'object', required: ['id', 'name'], properties: { id: str, name: str, created: str } },
  {
    $id: 'Token',
    type: 'object',
    required: ['id', 'kind', 'subject', 'created'],
    properties: { id: str, kind: { type: 'string', enum: ['ingest', 'api'] }, subject: str, created: str, revoked: nullableStr, label: nullableStr },
  },
  {
    $id: 'User',
    type: 'object',
    required: ['username', 'role', 'agencies', 'disabled'],
    properties: { username: str, role: { type: 'string', enum: ROLE_NAMES }, agencies: { type: 'array', items: str }, disabled: { type: 'boolean' }, totp: { type: 'boolean' }, locked: { type: 'boolean' } },
  },
  {
    $id: 'AuditEntry',
    type: 'object',
    properties: { seq: { type: 'integer' }, at: str, actor: str, action: str, target: nullableStr, ip: nullableStr, details: { type: ['object', 'null'], additionalProperties: true }, prevHash: str, hash: str },
  },
] as const;

export function addSharedSchemas(app: FastifyInstance): void {
  for (const s of SHARED_SCHEMAS) app.addSchema(s);
}

/** A response schema: the 200 body, and { error } for every refusal. */
export const answers = (ok: object) => ({ 200: ok, '4xx': { $ref: 'Error#' }, '5xx': { $ref: 'Error#' } });
export const ref = (name: (typeof SHARED_SCHEMAS)[number]['$id']) => ({ $ref: `${name}#` });
export const itemsOf = (item: object) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } });

// the types the web app shares with the server
export interface ApiError { error: string }
export interface ApiTenant { id: string; name: string; created?: string }
export interface ApiToken { id: string; kind: 'ingest' | 'api'; subject: string; created: string; revoked: string | null; label: string | null }
export interface ApiUser { username: string; role: Role; agencies: string[]; disabled: boolean; totp?: boolean; locked?: boolean }
export interface ApiNewToken { token: ApiToken; secret: string }
export interface ApiNewTenant { tenant: ApiTenant; token: { id: string; secret: string } }
