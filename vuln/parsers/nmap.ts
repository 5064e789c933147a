/**
 * Nmap XML (-oX): nmaprun / host with status state=, address addr= addrtype=ipv4|ipv6|mac, hostnames/hostname,
 * ports/port protocol= portid= with state state= and service name= product= version= extrainfo= and cpe, and
 * os/osmatch name=. Each open port is a finding of its own (an exposure, severity info) carrying the service
 * and product; CVE ids a script (vulners, vulscan) printed on the port come with it.
 */
import type { Readable } from 'node:stream';
import { cvesIn, normalizeAddress, type AssetService, type ScanFinding } from '../finding';
import { child, streamRecords, type XNode } from '../xml';
import type { ScanSink } from './sink';

function productOf(svc: XNode | undefined): string | null {
  if (!svc) return null;
  const text = [svc.attrs.product, svc.attrs.version, svc.attrs.extrainfo ? `(${svc.attrs.extrainfo})` : undefined].filter(Boolean).join(' ');
  return text || child(svc, 'cpe')?.text.trim() || null;
}

function portOf(p: XNode, host: { address: string; hostname: string | null }): { service: AssetService; finding: ScanFinding } | null {
  if (child(p, 'state')?.attrs.state !== 'open') return null;
  const port = Number(p.attrs.portid);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`<port portid="${p.attrs.portid}"> is not a port number`);
  const protocol = (p.attrs.protocol ?? 'tcp').toLowerCase();
  const svc = child(p, 'service');
  const service = svc?.attrs.name ?? null;
  const product = productOf(svc);
  const scripts = p.children.filter((c) => c.name === 'script').map((s) => `${s.attrs.output ?? ''} ${s.text}`).join(' ');
  const cves = cvesIn(scripts);
  return {
    service: { port, protocol, service, product },
    finding: {
      host: host.address, hostname: host.hostname, port, protocol, service, product, pluginId: 'open-port', name: `open ${protocol} port ${port}${service ? ` (${service})` : ''}${product ? `: ${product}` : ''}`,
      cves, cvss: null, cvssVector: null, severity: 'info', solution: null,
    },
  };
}

async function hostOf(n: XNode, sink: ScanSink) {
  if (child(n, 'status')?.attrs.state === 'down') return;
  const addrs = n.children.filter((c) => c.name === 'address' && c.attrs.addrtype !== 'mac');
  const address = addrs.map((a) => normalizeAddress(a.attrs.addr ?? '')).find((a) => a);
  if (!address) throw new Error('<host> has no IPv4 or IPv6 <address>');
  const names = child(n, 'hostnames')?.children.filter((h) => h.name === 'hostname') ?? [];
  const hostname = (names.find((h) => h.attrs.type === 'user') ?? names[0])?.attrs.name ?? null;
  const os = child(n, 'os')?.children.find((o) => o.name === 'osmatch')?.attrs.name ?? null;
  const services: AssetService[] = [];
  for (const p of child(n, 'ports')?.children.filter((c) => c.name === 'port') ?? []) {
    const r = portOf(p, { address, hostname });
    if (!r) continue;
    services.push(r.service);
    await sink.finding(r.finding);
  }
  await sink.host({ address, hostname, os, services });
}

export async function parseNmap(input: Readable, file: string, sink: ScanSink): Promise<void> {
  await streamRecords(input, file, {
    roots: ['nmaprun'],
    isRecord: (name, parent) => name === 'host' && parent === 'nmaprun',
    onRecord: (n) => hostOf(n, sink),
  });
}
