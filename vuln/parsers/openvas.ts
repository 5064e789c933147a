/**
 * Greenbone/OpenVAS XML report (GMP get_reports): report / results / result with host (the address, then
 * hostname), port ("80/tcp", "general/tcp"), nvt oid= (name, cvss_base, tags "cvss_base_vector=…|solution=…",
 * solution, refs/ref type="cve" id=, severities/severity score+value), threat and severity; and report / host
 * (ip, detail name=best_os_txt / hostname) for every host scanned, findings or not.
 */
import type { Readable } from 'node:stream';
import { cvesIn, normalizeAddress, parsePort, severityOfScore, type ScanHost, type VulnSeverity } from '../finding';
import { child, childText, streamRecords, type XNode } from '../xml';
import type { ScanSink } from './sink';

const THREATS: Record<string, VulnSeverity> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', log: 'info', debug: 'info', 'false positive': 'info' };

function tagsOf(nvt: XNode | undefined): Map<string, string> {
  const raw = nvt ? (childText(nvt, 'tags') ?? '') : '';
  return new Map(raw.split('|').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]).filter(([k]) => k));
}

function num(s: string | null | undefined): number | null {
  const n = s === null || s === undefined || s === '' ? NaN : Number(s);
  return Number.isFinite(n) ? n : null;
}

function hostAddress(h: XNode | undefined): { address: string; hostname: string | null } | null {
  if (!h) return null;
  // <host>192.0.2.7<asset asset_id=""/><hostname>www</hostname></host>: the address is the host's own text
  const address = normalizeAddress(h.text) ?? normalizeAddress(childText(h, 'ip') ?? '');
  return address ? { address, hostname: childText(h, 'hostname') } : null;
}

function resultOf(n: XNode, sink: ScanSink) {
  const where = hostAddress(child(n, 'host'));
  if (!where) throw new Error(`<result${n.attrs.id ? ` id="${n.attrs.id}"` : ''}> has no host address`);
  const nvt = child(n, 'nvt');
  const oid = nvt?.attrs.oid;
  if (!oid) throw new Error(`<result${n.attrs.id ? ` id="${n.attrs.id}"` : ''}> has no <nvt oid="…">`);
  const tags = tagsOf(nvt);
  const v3 = nvt ? child(nvt, 'severities')?.children.find((s) => s.name === 'severity') : undefined;
  const cvss = num(childText(n, 'severity')) ?? num(v3 ? childText(v3, 'score') : null) ?? num(childText(nvt!, 'cvss_base'));
  const refs = child(nvt!, 'refs')?.children.filter((r) => r.name === 'ref' && r.attrs.type?.toLowerCase() === 'cve').map((r) => r.attrs.id.toUpperCase()) ?? [];
  const cves = [...new Set([...refs, ...cvesIn(childText(nvt!, 'cve'))])];
  const threat = (childText(n, 'threat') ?? '').toLowerCase();
  const { port, protocol } = parsePort(childText(n, 'port') ?? '');
  const service = /\(([^)]+)\)/.exec(childText(n, 'port') ?? '')?.[1] ?? null;
  return sink.finding({
    host: where.address, hostname: where.hostname, port, protocol, service, product: null,
    pluginId: oid, name: childText(nvt!, 'name') ?? childText(n, 'name') ?? oid, cves, cvss,
    cvssVector: (v3 ? childText(v3, 'value') : null) ?? tags.get('cvss_base_vector') ?? null,
    severity: cvss !== null && cvss > 0 ? severityOfScore(cvss) : (THREATS[threat] ?? 'info'),
    solution: childText(nvt!, 'solution') ?? tags.get('solution') ?? null,
  });
}

function reportHost(n: XNode): ScanHost | null {
  const address = normalizeAddress(childText(n, 'ip') ?? n.text);
  if (!address) return null;
  const details = new Map(n.children.filter((d) => d.name === 'detail').map((d) => [childText(d, 'name') ?? '', childText(d, 'value') ?? '']));
  const services = (details.get('ports') ?? '').split(',').map((p) => parsePort(p)).filter((p): p is { port: number; protocol: string } => p.port !== null && p.protocol !== null);
  return { address, hostname: details.get('hostname') || null, os: details.get('best_os_txt') || details.get('best_os_cpe') || null, services: services.map((p) => ({ ...p, service: null, product: null })) };
}

export async function parseOpenvas(input: Readable, file: string, sink: ScanSink): Promise<void> {
  await streamRecords(input, file, {
    roots: ['report', 'get_reports_response'],
    isRecord: (name, parent) => (name === 'result' && parent === 'results') || (name === 'host' && parent === 'report'),
    onRecord: async (n, ancestors) => {
      if (ancestors.some((a) => a.name === 'delta' || a.name === 'override')) return; // a comparison or override quotes results; they are not findings of this scan
      if (n.name === 'result') return resultOf(n, sink);
      const h = reportHost(n);
      if (h) await sink.host(h);
    },
  });
}
