/**
 * What the website routes (websiteroutes.ts) answer, as JSON schemas; the web app's website types
 * are computed from them (ApiOf in apitypes.ts). No imports, so the web build can read this file.
 */

const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;
const nnum = { type: ['number', 'null'] } as const;
const strings = { type: 'array', items: str } as const;

const change = { type: ['object', 'null'], required: ['at', 'kinds'], properties: { at: str, kinds: strings } } as const;
/** A watched site as website/admin.ts viewOf describes it: its settings, state and last figures. */
export const WEBSITE = {
  type: 'object',
  required: ['id', 'tenant', 'url', 'intervalS', 'keywords', 'paused', 'created', 'state', 'lastCheck', 'lastReason', 'latencyMs', 'uptime24h', 'uptime30d', 'certificateExpires', 'certificateDaysLeft', 'lastChange'],
  properties: {
    id: str, tenant: str, url: str, intervalS: { type: 'integer' }, keywords: strings, paused: { type: 'boolean' }, created: str,
    state: { type: 'string', enum: ['learning', 'up', 'down', 'unchecked', 'paused'] }, lastCheck: nstr, lastReason: nstr, latencyMs: nnum,
    uptime24h: nnum, uptime30d: nnum, certificateExpires: nstr, certificateDaysLeft: nnum, lastChange: change,
  },
} as const;
export const WEBSITE_LIST = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: WEBSITE } } } as const;

const snapshot = { type: ['object', 'null'], required: ['at', 'text'], properties: { at: str, text: str } } as const;
const row = { type: 'object', required: ['baseline', 'changed', 'mark'], properties: { baseline: nstr, changed: nstr, mark: { type: 'string', enum: ['same', 'removed', 'added', 'changed', 'volatile'] } } } as const;
const sideBySide = {
  type: ['object', 'null'],
  required: ['rows', 'added', 'removed', 'truncated'],
  properties: { rows: { type: 'array', items: row }, added: { type: 'integer' }, removed: { type: 'integer' }, truncated: { type: 'boolean' } },
} as const;
/** The baseline's text, the last changes, and the baseline beside the last change with the lines that differ marked. */
export const WEBSITE_SNAPSHOTS = {
  type: 'object',
  required: ['baseline', 'changes', 'sideBySide'],
  properties: {
    baseline: snapshot,
    changes: { type: 'array', items: { type: 'object', required: ['at', 'kinds', 'text'], properties: { at: str, kinds: strings, details: strings, text: str } } },
    sideBySide,
  },
} as const;
