/**
 * What the case routes (caseroutes.ts) answer, as JSON schemas; the web app's case types are computed
 * from them (ApiOf in apitypes.ts). No imports, so the web build can read this file; the enums are
 * alerting/cases-model.ts's, which caseroutes.test.ts checks.
 */

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const strings = { type: 'array', items: str } as const;
const int = { type: 'integer' } as const;

export const CASE_STATUS_ENUM = ['new', 'in_progress', 'closed'] as const;
export const TLP_ENUM = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export const OBSERVABLE_TYPE_ENUM = ['ip', 'domain', 'url', 'hash', 'user', 'host', 'other'] as const;
const SEVERITY = { type: 'string', enum: ['informational', 'low', 'medium', 'high', 'critical'] } as const;

export const OBSERVABLE = {
  type: 'object',
  required: ['id', 'type', 'value', 'note', 'tags', 'added', 'by', 'incidentId'],
  properties: { id: str, type: { type: 'string', enum: OBSERVABLE_TYPE_ENUM }, value: str, note: nullableStr, tags: strings, added: str, by: str, incidentId: nullableStr },
} as const;

export const CASE_COMMENT = { type: 'object', required: ['id', 'at', 'author', 'text'], properties: { id: str, at: str, author: str, text: str } } as const;

export const CASE_CHANGE = { type: 'object', required: ['at', 'actor', 'action', 'from', 'to'], properties: { at: str, actor: str, action: str, from: nullableStr, to: nullableStr } } as const;

const CASE_FIELDS = {
  id: str, tenant: str, title: str, description: str, assignee: nullableStr, status: { type: 'string', enum: CASE_STATUS_ENUM }, resolution: nullableStr,
  severity: SEVERITY, tlp: { type: 'string', enum: TLP_ENUM }, incidents: strings, created: str, createdBy: str, updated: str, version: int,
} as const;
const CASE_REQUIRED = ['id', 'tenant', 'title', 'description', 'assignee', 'status', 'resolution', 'severity', 'tlp', 'incidents', 'created', 'createdBy', 'updated', 'version'] as const;

/** A case whole: its observables, comments and history. */
export const CASE = {
  type: 'object',
  required: [...CASE_REQUIRED, 'observables', 'comments', 'history'],
  properties: { ...CASE_FIELDS, observables: { type: 'array', items: OBSERVABLE }, comments: { type: 'array', items: CASE_COMMENT }, history: { type: 'array', items: CASE_CHANGE } },
} as const;

/** A row of the cases list: the case without its contents, with how many it holds. */
export const CASE_ROW = {
  type: 'object',
  required: [...CASE_REQUIRED, 'observable_count', 'comment_count'],
  properties: { ...CASE_FIELDS, observable_count: int, comment_count: int },
} as const;

export const CASE_LIST = { type: 'object', required: ['items', 'total'], properties: { items: { type: 'array', items: CASE_ROW }, total: int } } as const;

/** A case and the linked incidents the caller sees (an incident deleted since is listed in case.incidents only). */
export const CASE_DETAIL = {
  type: 'object',
  required: ['case', 'incidents'],
  properties: { case: CASE, incidents: { type: 'array', items: { $ref: 'Incident#' } } },
} as const;

export const CASE_CHANGED = { type: 'object', required: ['case'], properties: { case: CASE, added: int, skipped: int } } as const;
