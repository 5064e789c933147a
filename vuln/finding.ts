/** What a scan report says, in canhgac's words: the hosts it saw and the weaknesses (findings) on them. */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';

export type ScanFormat = 'openvas' | 'nessus' | 'nmap';
export const SCAN_FORMATS: ScanFormat[] = ['openvas', 'nessus', 'nmap'];

export type VulnSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const VULN_SEVERITIES: VulnSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** One service a scan saw listening on a host. */
export interface AssetService {
  port: number;
  protocol: string; // tcp, udp
  service: string | null; // http, ssh
  product: string | null; // "Apache httpd 2.4.49", or a CPE
}

/** A host as one scan saw it. */
export interface ScanHost {
  address: string;
  hostname: string | null;
  os: string | null;
  services: AssetService[];
}

/** One weakness on one host and port, as parsed from a report (before it has a tenant or a status). */
export interface ScanFinding {
  host: string;
  hostname: string | null;
  port: number | null; // null: the host as a whole ("general/tcp")
  protocol: string | null;
  service: string | null;
  product: string | null;
  pluginId: string; // the scanner's check: NVT OID, Nessus pluginID, or "open-port" for Nmap
  name: string;
  cves: string[];
  cvss: number | null;
  cvssVector: string | null;
  severity: VulnSeverity;
  solution: string | null;
}

/** CVSS base score to severity, as NVD bands it (v3: 9.0 critical, 7.0 high, 4.0 medium, 0.1 low). */
export function severityOfScore(score: number): VulnSeverity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/** An address in one spelling (IPv6 compressed and lower-case), so two scans of one host meet; null when it is not an IP address. */
export function normalizeAddress(raw: string): string | null {
  const a = raw.trim();
  const v = isIP(a);
  if (v === 4) return a;
  if (v === 6) return new URL(`http://[${a}]/`).hostname.slice(1, -1);
  return null;
}

const CVE = /CVE-\d{4}-\d{4,}/gi;
/** CVE ids named in a text, upper-case, each once, in order. */
export function cvesIn(text: string | null | undefined): string[] {
  return [...new Set((text ?? '').match(CVE)?.map((c) => c.toUpperCase()) ?? [])];
}

/** The id of a finding: the same check on the same host and port of the same agency by the same scanner is the same finding across scans. */
export function findingId(tenant: string, source: ScanFormat, f: Pick<ScanFinding, 'host' | 'port' | 'protocol' | 'pluginId'>): string {
  return createHash('sha256').update([tenant, source, f.host, f.port ?? '', f.protocol ?? '', f.pluginId].join('\u0000')).digest('hex').slice(0, 32);
}

/** "80/tcp", "general/tcp", "443/tcp (https)" → port and protocol. */
export function parsePort(raw: string): { port: number | null; protocol: string | null } {
  const m = /^\s*(\d+|general|[a-z-]+)?\s*\/\s*([a-z0-9-]+)/i.exec(raw);
  if (!m) return { port: null, protocol: null };
  const n = Number(m[1]);
  return { port: Number.isInteger(n) && n > 0 && n < 65536 ? n : null, protocol: m[2].toLowerCase() };
}
