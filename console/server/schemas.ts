/**
 * JSON schemas shared by the console's routes (app.addSchema, referenced as { $ref: 'Name#' }):
 * what a route answers is declared, and fastify's serializer sends only the declared fields,
 * so a handler that builds too much never discloses it. Their TypeScript side, apitypes.ts, is
 * computed from these constants (schematype.ts), and the web app imports it: a field renamed
 * here fails the type check of the server and of console/web wherever the old name is used.
 * No imports, so the web build can read this file.
 */

export const ROLE_NAMES = ['admin', 'analyst', 'responder', 'auditor', 'viewer'] as const;
const SEVERITY = { type: 'string', enum: ['informational', 'low', 'medium', 'high', 'critical'] } as const;
const STATUS = { type: 'string', enum: ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive', 'duplicate'] } as const;

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const strings = { type: 'array', items: { type: 'string' } } as const;

export const SHARED_SCHEMAS = [
  { $id: 'Error', type: 'object', required: ['error'], properties: { error: str } },
  { $id: 'Ok', type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } },
  { $id: 'Tenant', type: 'object', required: ['id', 'name', 'created'], properties: { id: str, name: str, created: str, securityLevel: { type: 'integer' }, retentionDays: { type: 'integer' }, retentionReason: str,
    sharing: { type: 'object', required: ['enabled', 'tlp', 'observedData'], properties: { enabled: { type: 'boolean' }, tlp: str, observedData: { type: 'boolean' } } } } },
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
    required: ['seq', 'at', 'actor', 'action', 'prevHash', 'hash'],
    properties: { seq: { type: 'integer' }, at: str, actor: str, action: str, target: nullableStr, ip: nullableStr, details: { type: ['object', 'null'], additionalProperties: true }, prevHash: str, hash: str },
  },
  { $id: 'Event', type: 'object', additionalProperties: true, description: 'an ECS event as stored: its fields are the source\'s' },
  { $id: 'RuleRef', type: 'object', required: ['id', 'title', 'level', 'tags', 'references'], properties: { id: str, title: str, level: str, author: str, description: str, tags: strings, references: strings } },
  {
    $id: 'Summary',
    type: 'object',
    properties: { host: str, source_ip: str, user: str, destination_ip: str, asset: str, asset_criticality: str, malware: str },
  },
  {
    $id: 'Incident',
    type: 'object',
    required: ['id', 'tenant', 'rule', 'severity', 'status', 'groupKey', 'title', 'summary', 'count', 'first_seen', 'last_seen', 'created', 'updated', 'version'],
    properties: {
      id: str, tenant: str, rule: { $ref: 'RuleRef#' }, severity: SEVERITY, status: STATUS, groupKey: str, title: str, summary: { $ref: 'Summary#' }, count: { type: 'integer' },
      first_seen: str, last_seen: str, created: str, updated: str, assignee: nullableStr, resolution: nullableStr, version: { type: 'integer' },
      rules: { type: 'array', items: { type: 'object', required: ['id', 'title', 'severity', 'tags', 'count', 'first_seen', 'last_seen'], properties: { id: str, title: str, severity: SEVERITY, tags: strings, count: { type: 'integer' }, first_seen: str, last_seen: str } } },
      entities: { type: 'object', additionalProperties: strings }, entityKeys: strings, tactics: strings, mergedInto: nullableStr,
      weaknesses: { type: 'array', items: { type: 'object', required: ['findingId', 'host', 'port', 'name', 'cves', 'cvss', 'severity', 'reason'], properties: { findingId: str, host: str, port: { type: ['integer', 'null'] }, name: str, cves: strings, cvss: { type: ['number', 'null'] }, severity: str, reason: { type: 'string', enum: ['cve', 'port'] } } } },
    },
  },
  {
    $id: 'Alert',
    type: 'object',
    required: ['id', '@timestamp', 'created', 'tenant', 'rule', 'kind', 'severity', 'groupKey', 'groupBy', 'eventIds', 'summary'],
    properties: {
      id: str, '@timestamp': str, created: str, tenant: str, rule: { $ref: 'RuleRef#' }, kind: { type: 'string', enum: ['rule', 'correlation'] }, severity: SEVERITY, groupKey: str,
      groupBy: { type: ['object', 'null'], additionalProperties: str }, eventIds: strings, summary: { $ref: 'Summary#' }, incidentId: str,
    },
  },
  { $id: 'IncidentChange', type: 'object', required: ['id', 'incidentId', 'tenant', 'at', 'actor', 'action'], properties: { id: str, incidentId: str, tenant: str, at: str, actor: str, action: { type: 'string', enum: ['created', 'alert_added', 'status', 'assign', 'comment', 'merge', 'split', 'severity', 'report_sent'] }, from: nullableStr, to: nullableStr, comment: nullableStr } },
  {
    $id: 'Sla',
    type: 'object',
    required: ['target', 'acknowledged_at', 'time_to_acknowledge_ms', 'acknowledge_breached', 'closed_at', 'time_open_ms', 'resolve_breached'],
    properties: {
      target: { type: 'object', required: ['acknowledge_minutes', 'resolve_minutes'], properties: { acknowledge_minutes: { type: 'number' }, resolve_minutes: { type: 'number' } } },
      acknowledged_at: nullableStr, time_to_acknowledge_ms: { type: 'number' }, acknowledge_breached: { type: 'boolean' }, closed_at: nullableStr, time_open_ms: { type: 'number' }, resolve_breached: { type: 'boolean' },
    },
  },
  {
    $id: 'Reporting',
    type: 'object',
    required: ['required', 'since', 'deadlines', 'source'],
    properties: {
      required: { type: 'boolean' }, not_required: { type: 'string', enum: ['severity', 'closed_not_incident'] }, since: nullableStr, source: str,
      deadlines: {
        type: 'array',
        items: {
          type: 'object',
          required: ['kind', 'hours', 'due', 'sent_at', 'sent_by', 'reference', 'remaining_ms', 'state'],
          properties: {
            kind: { type: 'string', enum: ['initial', 'final'] }, hours: { type: 'number' }, due: str, sent_at: nullableStr, sent_by: nullableStr, reference: nullableStr,
            remaining_ms: { type: 'number' }, state: { type: 'string', enum: ['open', 'due_soon', 'overdue', 'sent', 'sent_late'] },
          },
        },
      },
    },
  },
  { $id: 'SavedSearch', type: 'object', required: ['id', 'name', 'q', 'columns'], properties: { id: str, owner: str, name: str, q: str, range: nullableStr, columns: strings, created: str } },
  { $id: 'RuleSetting', type: 'object', required: ['ruleId', 'disabledFor', 'updated', 'by'], properties: { ruleId: str, disabledFor: strings, exception: nullableStr, updated: str, by: str } },
  { $id: 'DeadLetter', type: 'object', required: ['id', 'at', 'tenant', 'listener', 'source', 'reason', 'size'], properties: { id: str, at: str, tenant: nullableStr, listener: str, source: nullableStr, reason: str, original: str, size: { type: 'integer' } } },
  {
    $id: 'Notification',
    type: 'object',
    properties: {
      id: str, incidentId: nullableStr, tenant: nullableStr, route: str, channel: str, recipient: str, reason: str, subject: str, status: str, attempts: { type: 'integer' },
      nextAttemptAt: str, lastError: nullableStr, providerMessageId: nullableStr, created: str, sentAt: nullableStr,
    },
  },
  { $id: 'Count', type: 'object', required: ['value', 'count'], properties: { value: str, count: { type: 'integer' } } },
  {
    $id: 'Me',
    type: 'object',
    required: ['username', 'role', 'agencies', 'csrf'],
    properties: { username: str, role: { type: 'string', enum: ROLE_NAMES }, agencies: strings, csrf: nullableStr, totp: { type: 'boolean' }, via: { type: 'string', enum: ['session', 'token'] } },
  },
  { $id: 'LoginRefusal', type: 'object', required: ['error'], properties: { error: str, totp_required: { type: 'boolean' } } },
  { $id: 'NewToken', type: 'object', required: ['token', 'secret'], properties: { token: { $ref: 'Token#' }, secret: str } },
  { $id: 'NewTenant', type: 'object', required: ['tenant', 'token'], properties: { tenant: { $ref: 'Tenant#' }, token: { type: 'object', required: ['id', 'secret'], properties: { id: str, secret: str } } } },
] as const;

export type SchemaId = (typeof SHARED_SCHEMAS)[number]['$id'];

export function addSharedSchemas(app: { addSchema(schema: object): unknown }): void {
  for (const s of SHARED_SCHEMAS) app.addSchema(s);
}

/** A response schema: the 200 body, and { error } for every refusal. */
export const answers = (ok: object) => ({ 200: ok, '4xx': { $ref: 'Error#' }, '5xx': { $ref: 'Error#' } });
/** A file download (CSV or JSON attachment): streamed as written, declared so the route still has a response schema. */
export const fileAnswer = () => answers({ type: 'string', description: 'an attachment: CSV (UTF-8 with BOM) or JSON' });
/** An object whose keys are names (agencies, listeners) and whose values are free-form counters. */
export const mapOf = (value: object = { type: 'object', additionalProperties: true }) => ({ type: 'object', additionalProperties: value });
export const ref = <N extends SchemaId>(name: N) => ({ $ref: `${name}#` as `${N}#` });
export const itemsOf = <I extends object>(item: I) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } }) as const;

export type * from './apitypes'; // the TypeScript side of these schemas, which the web app imports

export const pageOf = <I extends object>(item: I) => ({ type: 'object', required: ['items', 'total'], properties: { items: { type: 'array', items: item }, total: { type: 'integer' } } }) as const;
const num = { type: 'number' } as const;
const free = { type: 'object', additionalProperties: true } as const;

export const INCIDENT_DETAIL = {
  type: 'object',
  required: ['incident', 'alerts', 'changes', 'events', 'related', 'agency', 'sla', 'reporting'],
  properties: {
    incident: ref('Incident'),
    alerts: { type: 'array', items: ref('Alert') },
    changes: { type: 'array', items: ref('IncidentChange') },
    events: { type: 'array', items: ref('Event') },
    related: { type: 'array', items: ref('Incident') },
    agency: { type: 'object', required: ['id', 'name'], properties: { id: str, name: str } },
    sla: ref('Sla'),
    reporting: ref('Reporting'),
  },
} as const;

/** A loaded rule as the correlator describes it. */
const RULE_INFO = {
  type: 'object',
  required: ['id', 'title', 'level', 'tags'],
  properties: {
    id: str, title: str, level: str, status: str, author: str, description: str, tags: strings, references: strings, falsepositives: strings, path: str,
    kind: { type: 'string', enum: ['rule', 'correlation', 'filter'] }, logsource: { type: 'object', properties: { product: str, category: str, service: str } }, enabled: { type: 'boolean' }, name: str,
  },
} as const;

/** The correlator's rule status (its own document: rule, hits, last hit) cut to the caller's scope, with the settings; hits counted from the caller's agencies' alerts. */
export const RULES_STATE = {
  type: 'object',
  required: ['rules', 'settings'],
  properties: {
    at: str,
    rules: { type: 'array', items: { type: 'object', required: ['rule', 'hits', 'last_hit'], properties: { rule: RULE_INFO, hits: { type: 'integer' }, last_hit: nullableStr } } },
    report: { type: 'array', items: { type: 'object', required: ['path', 'ok'], properties: { path: str, ruleId: str, title: str, ok: { type: 'boolean' }, error: str, warnings: strings } } },
    settings: { type: 'array', items: ref('RuleSetting') },
  },
} as const;

export const RULE_TEST = {
  type: 'object',
  required: ['rules', 'warnings', 'results'],
  properties: {
    rules: { type: 'array', items: { type: 'object', required: ['id', 'title'], properties: { id: str, title: str, level: str, kind: str } } },
    warnings: { type: 'array', items: str },
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'detections'],
        properties: { index: { type: 'integer' }, detections: { type: 'array', items: { type: 'object', required: ['rule', 'title', 'kind'], properties: { rule: str, title: str, kind: str, level: str, groupBy: { type: ['object', 'null'], additionalProperties: str } } } } },
      },
    },
  },
} as const;

const byValue = { type: 'array', items: { type: 'object', required: ['t', 'value', 'count'], properties: { t: str, value: str, count: { type: 'integer' } } } } as const;
const listenerCounters = { type: 'object', properties: { received: { type: 'integer' }, parsed: { type: 'integer' }, failed: { type: 'integer' }, dropped: { type: 'integer' }, bytes: { type: 'integer' }, last_seen: nullableStr }, additionalProperties: true } as const;
export const DASHBOARD = {
  type: 'object',
  required: ['from', 'intervalMs', 'eventsByAgency', 'eventsBySource', 'alerts', 'topSources', 'listeners', 'attack'],
  properties: {
    from: str,
    intervalMs: { type: 'integer' },
    eventsByAgency: byValue,
    eventsBySource: byValue,
    alerts: {
      type: 'object',
      required: ['bySeverity', 'byRule', 'histogram'],
      properties: {
        bySeverity: { type: 'array', items: { type: 'object', required: ['severity', 'count'], properties: { severity: str, count: { type: 'integer' } } } },
        byRule: { type: 'array', items: { type: 'object', required: ['ruleId', 'title', 'count', 'last'], properties: { ruleId: str, title: str, count: { type: 'integer' }, last: str } } },
        histogram: { type: 'array', items: { type: 'object', required: ['t', 'severity', 'count'], properties: { t: str, severity: str, count: { type: 'integer' } } } },
      },
    },
    topSources: { type: 'array', items: ref('Count') },
    // provincial users only
    listeners: { type: ['object', 'null'], required: ['at', 'pending', 'items'], properties: { at: nullableStr, pending: { type: 'integer' }, items: { type: 'object', additionalProperties: listenerCounters } } },
    // techniques by tactic; name is ATT&CK's (rules/attack/enterprise.json), null for an id the table lacks and for "—" (a rule with tactics only)
    attack: {
      type: ['object', 'null'],
      required: ['tactics'],
      properties: { tactics: { type: 'array', items: { type: 'object', required: ['tactic', 'techniques'], properties: { tactic: str, techniques: { type: 'array', items: { type: 'object', required: ['id', 'name', 'rules', 'hits'], properties: { id: str, name: nullableStr, rules: { type: 'integer' }, hits: { type: 'integer' } } } } } } } },
    },
  },
} as const;

const agencyCounters = {
  type: 'object',
  required: ['tenant', 'received', 'parsed', 'failed', 'dropped', 'last_seen', 'failure_rate', 'silent'],
  properties: { tenant: str, received: { type: 'integer' }, parsed: { type: 'integer' }, failed: { type: 'integer' }, dropped: { type: 'integer' }, last_seen: nullableStr, failure_rate: num, silent: { type: 'boolean' } },
} as const;
const sourceActivity = {
  type: 'object',
  required: ['tenant', 'source', 'dataset', 'last_seen', 'per_minute', 'failure_rate', 'events_2d', 'silent'],
  properties: { tenant: str, source: str, dataset: nullableStr, last_seen: str, per_minute: num, failure_rate: num, events_2d: { type: 'integer' }, silent: { type: 'boolean' } },
} as const;
export const SOURCES = { type: 'object', required: ['items', 'agencies'], properties: { items: { type: 'array', items: sourceActivity }, agencies: { type: 'array', items: agencyCounters } } } as const;

/** Where an open incident stands against its SLA (triageroutes.ts queueSla). */
const QUEUE_SLA = {
  type: 'object',
  required: ['stage', 'due', 'left_ms', 'breached'],
  properties: { stage: { type: 'string', enum: ['acknowledge', 'resolve', 'closed'] }, due: nullableStr, left_ms: { type: ['number', 'null'] }, breached: { type: 'boolean' } },
} as const;
/** GET /api/incidents/queue: the open incidents in triage order, each with its SLA. */
export const TRIAGE_QUEUE = {
  type: 'object',
  required: ['items', 'total'],
  properties: { items: { type: 'array', items: { type: 'object', required: ['incident', 'sla'], properties: { incident: ref('Incident'), sla: QUEUE_SLA } } }, total: { type: 'integer' }, breached: { type: 'integer' } },
} as const;

/** POST /api/incidents/:id/actions: the incident as the action left it. */
export const INCIDENT_CHANGED = { type: 'object', required: ['incident'], properties: { incident: ref('Incident') } } as const;
/** POST /api/incidents/:id/merge: the incident merged into (target) and the one merged (source), as they are now. */
export const MERGE_ANSWER = { type: 'object', required: ['target', 'source'], properties: { target: ref('Incident'), source: ref('Incident') } } as const;
/** POST /api/incidents/:id/split: the incident the alerts left (original) and the new one they make (split). */
export const SPLIT_ANSWER = { type: 'object', required: ['original', 'split'], properties: { original: ref('Incident'), split: ref('Incident') } } as const;

/** GET /api/audit/verify: whether every entry's hash follows from the one before it, and the first that does not. */
export const AUDIT_VERIFY = {
  type: 'object',
  required: ['intact', 'entries'],
  properties: { intact: { type: 'boolean' }, entries: { type: 'integer' }, alteredAt: { type: 'object', required: ['seq', 'at', 'actor', 'action'], properties: { seq: { type: 'integer' }, at: str, actor: str, action: str } } },
} as const;

/** What the WebSocket /ws sends: an incident opened or changed (the incident as GET /api/incidents/:id declares it)… */
export const WS_INCIDENT_NOTICE = {
  type: 'object',
  required: ['type', 'incident'],
  properties: { type: { type: 'string', enum: ['incident.created', 'incident.updated'] }, incident: ref('Incident') },
} as const;
/** …who the socket is for, on opening (hello) and when the user's role or agencies change (access). */
export const WS_ACCESS = {
  type: 'object',
  required: ['type', 'user', 'role', 'agencies'],
  properties: { type: { type: 'string', enum: ['hello', 'access'] }, user: str, role: { type: 'string', enum: ROLE_NAMES }, agencies: strings },
} as const;
