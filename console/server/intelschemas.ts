/**
 * What the threat-intelligence routes (intelroutes.ts) answer, as JSON schemas; the web app's
 * types for them are computed from these (ApiOf in apitypes.ts). No imports, so the web build can
 * read this file.
 */

const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const strings = { type: 'array', items: str } as const;

/** An indicator as stored (intel/indicator.ts): tenant null is shared with every agency. */
export const INDICATOR = {
  type: 'object',
  required: ['id', 'type', 'value', 'tenant', 'source', 'confidence', 'first_seen', 'last_seen', 'expires', 'tags', 'description', 'updated'],
  properties: { id: str, type: str, value: str, tenant: nstr, source: str, confidence: int, first_seen: str, last_seen: str, expires: nstr, tags: strings, description: nstr, updated: str },
} as const;
export const INDICATOR_PAGE = { type: 'object', required: ['items', 'total'], properties: { items: { type: 'array', items: INDICATOR }, total: int } } as const;

/** What an import added, updated, and skipped (the first 100, each with where and why). */
export const IOC_IMPORT = {
  type: 'object',
  required: ['added', 'updated', 'skipped'],
  properties: { added: int, updated: int, skipped: { type: 'array', items: { type: 'object', required: ['where', 'reason'], properties: { where: str, reason: str } } } },
} as const;

/** A machine with indicator matches or malware detections (intel/hosts.ts), with its incidents. */
const HOST = {
  type: 'object',
  required: ['tenant', 'host', 'first_seen', 'last_seen', 'indicators', 'malware', 'incidents'],
  properties: {
    tenant: str, host: str, first_seen: str, last_seen: str, indicators: int, malware: strings,
    incidents: { type: 'array', items: { type: 'object', required: ['id', 'title', 'severity', 'status', 'last_seen'], properties: { id: str, title: str, severity: str, status: str, last_seen: str } } },
  },
} as const;
export const INFECTED_HOSTS = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: HOST } } } as const;

/** The feed folder's last scan (intel/feeds.ts): each file, its status, and why a refused one was refused. */
const FEED = {
  type: 'object',
  required: ['name', 'tenant', 'format', 'status', 'error', 'indicators', 'imported', 'checked'],
  properties: { name: str, tenant: nstr, format: nstr, status: { type: 'string', enum: ['imported', 'failed', 'removed'] }, error: nstr, indicators: int, imported: nstr, checked: str },
} as const;
export const FEEDS = { type: 'object', required: ['scanned', 'items'], properties: { scanned: nstr, items: { type: 'array', items: FEED } } } as const;

/** An address, domain or URL on an agency's blocklist (intel/indicator.ts BlocklistEntry). */
export const BLOCKLIST_ENTRY = {
  type: 'object',
  required: ['id', 'tenant', 'type', 'value', 'reason', 'expires', 'added_by', 'created'],
  properties: { id: str, tenant: str, type: { type: 'string', enum: ['ip', 'domain', 'url'] }, value: str, reason: str, expires: nstr, added_by: str, created: str, incidentId: nstr },
} as const;
