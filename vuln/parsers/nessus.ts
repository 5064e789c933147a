/**
 * Nessus v2 (.nessus): NessusClientData_v2 / Report / ReportHost name=… with HostProperties (tag name=host-ip,
 * host-fqdn, operating-system) and ReportItem port= svc_name= protocol= severity=0..4 pluginID= pluginName=,
 * whose children give cve, cvss3_base_score / cvss_base_score, their vectors, solution and risk_factor.
 */
import type { Readable } from 'node:stream';
import { cvesIn, normalizeAddress, severityOfScore, type ScanHost, type VulnSeverity } from '../finding';
import { childText, streamRecords, type XNode } from '../xml';
import type { ScanSink } from './sink';

const LEVELS: VulnSeverity[] = ['info', 'low', 'medium', 'high', 'critical'];

interface HostInfo { address: string; hostname: string | null; os: string | null }

function hostProperties(n: XNode, name: string): HostInfo {
  const tags = new Map(n.children.filter((c) => c.name === 'tag').map((c) => [c.attrs.name, c.text.trim()]));
  const address = normalizeAddress(tags.get('host-ip') ?? '') ?? normalizeAddress(name);
  if (!address) throw new Error(`ReportHost "${name}" has no IP address (HostProperties host-ip)`);
  return { address, hostname: tags.get('host-fqdn') || tags.get('hostname') || tags.get('netbios-name') || (normalizeAddress(name) ? null : name) || null, os: tags.get('operating-system') || null };
}

function number(s: string | null): number | null {
  const n = s === null ? NaN : Number(s);
  return Number.isFinite(n) ? n : null;
}

export async function parseNessus(input: Readable, file: string, sink: ScanSink): Promise<void> {
  const hosts = new Map<string, HostInfo & { services: ScanHost['services']; told: boolean }>();
  const hostOf = (name: string) => {
    let h = hosts.get(name);
    if (!h) {
      const address = normalizeAddress(name);
      if (!address) throw new Error(`ReportHost "${name}" has no IP address: HostProperties with host-ip must come first`);
      h = { address, hostname: null, os: null, services: [], told: false };
      hosts.set(name, h);
    }
    return h;
  };
  await streamRecords(input, file, {
    roots: ['NessusClientData_v2'],
    isRecord: (name, parent) => (name === 'HostProperties' || name === 'ReportItem') && parent === 'ReportHost',
    onRecord: async (n, ancestors) => {
      const name = ancestors.find((a) => a.name === 'ReportHost')?.attrs.name;
      if (!name) throw new Error('<ReportHost> without a name attribute');
      if (n.name === 'HostProperties') {
        hosts.set(name, { ...hostProperties(n, name), services: hosts.get(name)?.services ?? [], told: false });
        return;
      }
      const h = hostOf(name);
      const port = Number(n.attrs.port ?? 0);
      const protocol = (n.attrs.protocol ?? 'tcp').toLowerCase();
      const service = n.attrs.svc_name && n.attrs.svc_name !== 'general' ? n.attrs.svc_name.replace(/\?$/, '') : null;
      if (port > 0 && !h.services.some((s) => s.port === port && s.protocol === protocol)) h.services.push({ port, protocol, service, product: null });
      if (!n.attrs.pluginID) throw new Error('<ReportItem> without a pluginID attribute');
      const level = Number(n.attrs.severity ?? 0);
      const cvss = number(childText(n, 'cvss3_base_score')) ?? number(childText(n, 'cvss_base_score'));
      const cves = [...new Set(n.children.filter((c) => c.name === 'cve').flatMap((c) => cvesIn(c.text)))];
      await sink.finding({
        host: h.address, hostname: h.hostname, port: port > 0 ? port : null, protocol, service, product: null,
        pluginId: n.attrs.pluginID, name: n.attrs.pluginName ?? childText(n, 'plugin_name') ?? `plugin ${n.attrs.pluginID}`,
        cves, cvss, cvssVector: childText(n, 'cvss3_vector') ?? childText(n, 'cvss_vector'),
        severity: cvss !== null && level > 0 ? severityOfScore(cvss) : (LEVELS[level] ?? 'info'),
        solution: childText(n, 'solution'),
      });
    },
  });
  for (const h of hosts.values()) await sink.host({ address: h.address, hostname: h.hostname, os: h.os, services: h.services });
}
