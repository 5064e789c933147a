/** An agency's findings as CSV (RFC 4180), for the agency's own remediation tracking. */
import type { Finding } from '../core/store/vulns';

const COLUMNS: [string, (f: Finding) => string | number | null][] = [
  ['agency', (f) => f.tenant], ['host', (f) => f.host], ['hostname', (f) => f.hostname], ['port', (f) => f.port], ['protocol', (f) => f.protocol],
  ['service', (f) => f.service], ['name', (f) => f.name], ['cve', (f) => f.cves.join(' ')], ['cvss', (f) => f.cvss], ['cvss_vector', (f) => f.cvssVector],
  ['severity', (f) => f.severity], ['status', (f) => f.status], ['first_seen', (f) => f.firstSeen], ['last_seen', (f) => f.lastSeen], ['solution', (f) => f.solution], ['scanner', (f) => f.source],
];

const cell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  // a cell a spreadsheet would run as a formula is quoted with a leading apostrophe
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function findingsCsv(items: Finding[]): string {
  return [COLUMNS.map(([h]) => h).join(','), ...items.map((f) => COLUMNS.map(([, get]) => cell(get(f))).join(','))].join('\r\n') + '\r\n';
}
