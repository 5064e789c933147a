/** What the vulnerability routes answer (vulnroutes.ts). No imports, so the web build can read this file. */
const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const bySeverity = { type: 'object', required: ['critical', 'high', 'medium', 'low', 'info'], properties: { critical: int, high: int, medium: int, low: int, info: int } } as const;

export const VULN_FINDING = {
  type: 'object',
  required: ['id', 'tenant', 'source', 'host', 'hostname', 'port', 'protocol', 'service', 'name', 'cves', 'cvss', 'cvssVector', 'severity', 'solution', 'status', 'firstSeen', 'lastSeen', 'closedAt', 'reopened'],
  properties: {
    id: str, tenant: str, source: str, host: str, hostname: nullableStr, port: { type: ['integer', 'null'] }, protocol: nullableStr, service: nullableStr, product: nullableStr, name: str,
    cves: { type: 'array', items: str }, cvss: { type: ['number', 'null'] }, cvssVector: nullableStr, severity: str, solution: nullableStr, status: str, firstSeen: str, lastSeen: str, closedAt: nullableStr, reopened: int,
  },
} as const;

export const VULN_LIST = { type: 'object', required: ['items', 'total'], properties: { items: { type: 'array', items: VULN_FINDING }, total: int } } as const;

export const VULN_IMPORT = {
  type: 'object',
  required: ['id', 'tenant', 'source', 'file', 'at', 'hosts', 'findings', 'opened', 'reopened', 'closed', 'openBySeverity'],
  properties: { id: str, tenant: str, source: str, file: str, at: str, by: str, hosts: int, findings: int, opened: int, reopened: int, closed: int, openBySeverity: bySeverity },
} as const;

export const VULN_SUMMARY = {
  type: 'object',
  required: ['tenant', 'open', 'overdue', 'targets', 'oldestOpenDays', 'exposed', 'trend'],
  properties: {
    tenant: str, open: bySeverity, overdue: bySeverity, targets: bySeverity, oldestOpenDays: { type: ['integer', 'null'] },
    exposed: { type: 'array', items: { type: 'object', required: ['address', 'open', 'critical', 'high'], properties: { address: str, hostname: nullableStr, os: nullableStr, open: int, critical: int, high: int, services: int, maxCvss: { type: ['number', 'null'] } } } },
    trend: { type: 'array', items: { type: 'object', required: ['at', 'source', 'open', 'opened', 'closed'], properties: { at: str, source: str, open: bySeverity, opened: int, closed: int } } },
  },
} as const;
