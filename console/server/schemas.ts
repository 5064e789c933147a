/**
 * JSON schemas shared by the console's routes (app.addSchema, referenced as { $ref: 'Name#' }):
 * what a route answers is declared, and fastify's serializer sends only the declared fields,
 * so a handler that builds too much never discloses it. Their TypeScript side is apitypes.ts,
 * which the web app imports instead of keeping its own copies.
 */
import type { FastifyInstance } from 'fastify';

export const ROLE_NAMES = ['admin', 'analyst', 'responder', 'auditor', 'viewer'] as const;

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const strings = { type: 'array', items: { type: 'string' } } as const;

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
  { $id: 'Event', type: 'object', additionalProperties: true, description: 'an ECS event as stored: its fields are the source\'s' },
  { $id: 'RuleRef', type: 'object', properties: { id: str, title: str, level: str, author: str, description: str, tags: strings, references: strings } },
  {
    $id: 'Summary',
    type: 'object',
    properties: { host: str, source_ip: str, user: str, destination_ip: str, asset: str, asset_criticality: str },
  },
  {
    $id: 'Incident',
    type: 'object',
    required: ['id', 'tenant', 'status', 'severity'],
    properties: {
      id: str, tenant: str, rule: { $ref: 'RuleRef#' }, severity: str, status: str, groupKey: str, title: str, summary: { $ref: 'Summary#' }, count: { type: 'integer' },
      first_seen: str, last_seen: str, created: str, updated: str, assignee: nullableStr, resolution: nullableStr, version: { type: 'integer' },
      rules: { type: 'array', items: { type: 'object', properties: { id: str, title: str, severity: str, tags: strings, count: { type: 'integer' }, first_seen: str, last_seen: str } } },
      entities: { type: 'object', additionalProperties: strings }, entityKeys: strings, tactics: strings, mergedInto: nullableStr,
    },
  },
  {
    $id: 'Alert',
    type: 'object',
    required: ['id', 'tenant'],
    properties: {
      id: str, '@timestamp': str, created: str, tenant: str, rule: { $ref: 'RuleRef#' }, kind: str, severity: str, groupKey: str,
      groupBy: { type: ['object', 'null'], additionalProperties: str }, eventIds: strings, summary: { $ref: 'Summary#' }, incidentId: str,
    },
  },
  { $id: 'IncidentChange', type: 'object', properties: { id: str, incidentId: str, tenant: str, at: str, actor: str, action: str, from: nullableStr, to: nullableStr, comment: nullableStr } },
  {
    $id: 'Sla',
    type: 'object',
    properties: {
      target: { type: 'object', properties: { acknowledge_minutes: { type: 'number' }, resolve_minutes: { type: 'number' } } },
      acknowledged_at: nullableStr, time_to_acknowledge_ms: { type: 'number' }, acknowledge_breached: { type: 'boolean' }, closed_at: nullableStr, time_open_ms: { type: 'number' }, resolve_breached: { type: 'boolean' },
    },
  },
  { $id: 'SavedSearch', type: 'object', properties: { id: str, owner: str, name: str, q: str, range: nullableStr, columns: strings, created: str } },
  { $id: 'RuleSetting', type: 'object', properties: { ruleId: str, disabledFor: strings, exception: nullableStr, updated: str, by: str } },
  { $id: 'DeadLetter', type: 'object', properties: { id: str, at: str, tenant: nullableStr, listener: str, source: nullableStr, reason: str, original: str, size: { type: 'integer' } } },
  {
    $id: 'Notification',
    type: 'object',
    properties: {
      id: str, incidentId: nullableStr, tenant: nullableStr, route: str, channel: str, recipient: str, reason: str, subject: str, status: str, attempts: { type: 'integer' },
      nextAttemptAt: str, lastError: nullableStr, providerMessageId: nullableStr, created: str, sentAt: nullableStr,
    },
  },
  { $id: 'Count', type: 'object', properties: { value: str, count: { type: 'integer' } } },
] as const;

export function addSharedSchemas(app: FastifyInstance): void {
  for (const s of SHARED_SCHEMAS) app.addSchema(s);
}

/** A response schema: the 200 body, and { error } for every refusal. */
export const answers = (ok: object) => ({ 200: ok, '4xx': { $ref: 'Error#' }, '5xx': { $ref: 'Error#' } });
/** A file download (CSV or JSON attachment): streamed as written, declared so the route still has a response schema. */
export const fileAnswer = () => answers({ type: 'string', description: 'an attachment: CSV (UTF-8 with BOM) or JSON' });
/** An object whose keys are names (agencies, listeners) and whose values are free-form counters. */
export const mapOf = (value: object = { type: 'object', additionalProperties: true }) => ({ type: 'object', additionalProperties: value });
export const ref = (name: (typeof SHARED_SCHEMAS)[number]['$id']) => ({ $ref: `${name}#` });
export const itemsOf = (item: object) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } });

export type * from './apitypes'; // the TypeScript side of these schemas, which the web app imports

export const pageOf = (item: object) => ({ type: 'object', required: ['items', 'total'], properties: { items: { type: 'array', items: item }, total: { type: 'integer' } } });
const num = { type: 'number' } as const;
const free = { type: 'object', additionalProperties: true } as const;

export const INCIDENT_DETAIL = {
  type: 'object',
  properties: {
    incident: ref('Incident'),
    alerts: { type: 'array', items: ref('Alert') },
    changes: { type: 'array', items: ref('IncidentChange') },
    events: { type: 'array', items: ref('Event') },
    related: { type: 'array', items: ref('Incident') },
    agency: { type: 'object', properties: { id: str, name: str } },
    sla: ref('Sla'),
  },
};

/** The correlator's rule status (its own document: rule, hits, last hit) cut to the caller's scope, with the settings. */
export const RULES_STATE = {
  type: 'object',
  properties: {
    at: str,
    rules: { type: 'array', items: { type: 'object', properties: { rule: free, hits: { type: 'integer' }, last_hit: nullableStr } } },
    report: { type: 'array', items: free },
    settings: { type: 'array', items: ref('RuleSetting') },
  },
};

export const RULE_TEST = {
  type: 'object',
  properties: {
    rules: { type: 'array', items: { type: 'object', properties: { id: str, title: str, level: str, kind: str } } },
    warnings: { type: 'array', items: str },
    results: {
      type: 'array',
      items: { type: 'object', properties: { index: { type: 'integer' }, detections: { type: 'array', items: { type: 'object', properties: { rule: str, title: str, kind: str, level: str, groupBy: { type: ['object', 'null'], additionalProperties: str } } } } } },
    },
  },
};

const byValue = { type: 'array', items: { type: 'object', properties: { t: str, value: str, count: { type: 'integer' } } } } as const;
export const DASHBOARD = {
  type: 'object',
  properties: {
    from: str,
    intervalMs: { type: 'integer' },
    eventsByAgency: byValue,
    eventsBySource: byValue,
    alerts: {
      type: 'object',
      properties: {
        bySeverity: { type: 'array', items: { type: 'object', properties: { severity: str, count: { type: 'integer' } } } },
        byRule: { type: 'array', items: { type: 'object', properties: { ruleId: str, title: str, count: { type: 'integer' }, last: str } } },
        histogram: { type: 'array', items: { type: 'object', properties: { t: str, severity: str, count: { type: 'integer' } } } },
      },
    },
    topSources: { type: 'array', items: ref('Count') },
    listeners: { type: ['object', 'null'], properties: { at: nullableStr, pending: { type: 'integer' }, items: free } },
    attack: {
      type: ['object', 'null'],
      properties: { tactics: { type: 'array', items: { type: 'object', properties: { tactic: str, techniques: { type: 'array', items: { type: 'object', properties: { id: str, rules: { type: 'integer' }, hits: { type: 'integer' } } } } } } } },
    },
  },
};

const agencyCounters = { type: 'object', properties: { tenant: str, received: { type: 'integer' }, parsed: { type: 'integer' }, failed: { type: 'integer' }, dropped: { type: 'integer' }, last_seen: nullableStr, failure_rate: num, silent: { type: 'boolean' } } } as const;
export const SOURCES = {
  type: 'object',
  properties: {
    items: { type: 'array', items: { type: 'object', properties: { tenant: str, source: str, dataset: nullableStr, last_seen: str, per_minute: num, failure_rate: num, events_2d: { type: 'integer' }, silent: { type: 'boolean' } } } },
    agencies: { type: 'array', items: agencyCounters },
  },
};
