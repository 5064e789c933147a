/**
 * What an incident shares: the malicious values (indicators: the attacking public addresses,
 * what threat intelligence matched, the files of a malware detection) and the raw observations
 * of the agency (its addresses, hosts, users, connections), which leave only when the agency's
 * choice allows. Built on the case observables (alerting/case-observables.ts) and the incident's
 * events; values are normalized as the intel importer does, so a re-import finds the same ones.
 */
import net from 'node:net';
import type { EcsEvent } from '../core/event';
import type { Incident } from '../core/model';
import { incidentObservables } from '../alerting/case-observables';
import { normalizeValue, type IndicatorType } from '../intel/indicator';

export interface SharedIndicator {
  type: IndicatorType;
  value: string;
  why: string; // one line for the indicator's description, in Vietnamese as the incident's
}

export interface Connection {
  src: string;
  dst: string;
  dstPort?: number; // the source port is left out: one attack is one connection shape, not one per ephemeral port
  protocols: string[];
}

export interface Observations {
  ips: string[];
  domains: string[];
  urls: string[];
  files: { hashes: Partial<Record<'MD5' | 'SHA-1' | 'SHA-256', string>>; name?: string }[];
  users: string[];
  hosts: string[];
  connections: Connection[];
}

type Doc = Record<string, unknown>;
const at = (doc: unknown, path: string): unknown => path.split('.').reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Doc)[k] : undefined), doc);
const str = (doc: unknown, path: string): string | undefined => {
  const v = at(doc, path);
  return typeof v === 'string' && v ? v : undefined;
};
const MAX = 200; // per kind: an incident of a long scan holds thousands of events, the centre needs the pattern

/** Private, loopback, link-local, CGNAT and unique-local addresses: the agency's own network, never an indicator for others. */
export function isInternal(ip: string): boolean {
  const kind = net.isIP(ip);
  if (kind === 4) {
    const [a, b] = ip.split('.').map(Number);
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (kind === 6) {
    const l = ip.toLowerCase();
    return l === '::1' || l === '::' || /^f[cd]/.test(l) || /^fe[89ab]/.test(l) || (l.startsWith('::ffff:') && isInternal(l.slice(7)));
  }
  return false;
}

function adder<T>(list: T[], same: (a: T, b: T) => boolean) {
  return (v: T | undefined) => {
    if (v !== undefined && list.length < MAX && !list.some((x) => same(x, v))) list.push(v);
  };
}

/** A value as the intel importer stores it, or undefined when it is not of its type. */
function normalized(type: string, raw: string): { type: IndicatorType; value: string } | undefined {
  try {
    return normalizeValue(type, raw);
  } catch {
    return undefined;
  }
}

const HASH_KEYS = [['md5', 'MD5'], ['sha1', 'SHA-1'], ['sha256', 'SHA-256']] as const;

/** The indicators of an incident: what an analyst elsewhere may block or hunt for. */
export function incidentIndicators(inc: Incident, events: EcsEvent[]): SharedIndicator[] {
  const out: SharedIndicator[] = [];
  const add = (type: string, raw: string | undefined, why: string) => {
    const n = raw ? normalized(type, raw) : undefined;
    if (n && out.length < MAX && !out.some((o) => o.type === n.type && o.value === n.value)) out.push({ ...n, why });
  };
  for (const o of incidentObservables(inc)) {
    if (o.type === 'ip' && o.tags.includes('source') && !isInternal(o.value)) add('ip', o.value, `địa chỉ tấn công trong "${inc.rule.title}"`);
  }
  const malware = !!(inc.summary.malware || inc.entities?.malware?.length);
  for (const e of events) {
    const enrichments = at(e, 'threat.enrichments');
    for (const en of Array.isArray(enrichments) ? enrichments : []) {
      const ind = at(en, 'indicator');
      const why = `khớp chỉ dấu tình báo mối đe dọa của ${str(ind, 'provider') ?? 'danh sách chỉ dấu'}`;
      const ip = str(ind, 'ip');
      if (ip && !isInternal(ip)) add('ip', ip, why);
      add('url', str(ind, 'url.full'), why);
      add('domain', str(ind, 'url.domain'), why);
      for (const [k] of HASH_KEYS) add(k, str(ind, `file.hash.${k}`), why);
    }
    if (malware) for (const [k] of HASH_KEYS) add(k, str(e, `file.hash.${k}`), `tệp mã độc ${inc.summary.malware ?? inc.entities?.malware?.[0] ?? ''} được phát hiện`.replace('  ', ' '));
  }
  return out;
}

/** The agency's raw observations in the incident: sent only when its sharing choice says so. */
export function incidentObservations(inc: Incident, events: EcsEvent[]): Observations {
  const o: Observations = { ips: [], domains: [], urls: [], files: [], users: [], hosts: [], connections: [] };
  const ip = adder(o.ips, (a, b) => a === b);
  const domain = adder(o.domains, (a, b) => a === b);
  const url = adder(o.urls, (a, b) => a === b);
  const user = adder(o.users, (a, b) => a === b);
  const host = adder(o.hosts, (a, b) => a === b);
  const file = adder(o.files, (a, b) => JSON.stringify(a) === JSON.stringify(b));
  const conn = adder(o.connections, (a, b) => JSON.stringify(a) === JSON.stringify(b));
  const canon = (v: string | undefined) => (v && net.isIP(v) ? normalized('ip', v)?.value : undefined);
  for (const c of incidentObservables(inc)) {
    if (c.type === 'ip') ip(canon(c.value));
    if (c.type === 'user') user(c.value);
    if (c.type === 'host') host(c.value);
  }
  for (const e of events) {
    const src = canon(str(e, 'source.ip'));
    const dst = canon(str(e, 'destination.ip'));
    ip(src);
    ip(dst);
    for (const d of [str(e, 'dns.question.name'), str(e, 'url.domain'), str(e, 'destination.domain')]) domain(d ? normalized('domain', d)?.value : undefined);
    const u = str(e, 'url.full') ?? str(e, 'url.original');
    const nu = u ? normalized('url', u)?.value : undefined;
    url(nu);
    if (nu && !net.isIP(new URL(nu).hostname.replace(/^\[|\]$/g, ''))) domain(normalized('domain', new URL(nu).hostname)?.value); // the host the URL was asked of
    user(str(e, 'user.name'));
    host(str(e, 'host.name') ?? str(e, 'host.hostname'));
    const hashes: Observations['files'][number]['hashes'] = {};
    for (const [k, stixName] of HASH_KEYS) {
      const h = str(e, `file.hash.${k}`);
      const n = h ? normalized(k, h) : undefined;
      if (n) hashes[stixName] = n.value;
    }
    if (Object.keys(hashes).length) file({ hashes, ...(str(e, 'file.name') ? { name: str(e, 'file.name') } : {}) });
    if (src && dst) {
      const port = (p: string) => (typeof at(e, p) === 'number' && Number.isInteger(at(e, p)) && (at(e, p) as number) >= 0 && (at(e, p) as number) <= 65535 ? (at(e, p) as number) : undefined);
      const transport = str(e, 'network.transport')?.toLowerCase();
      conn({ src, dst, ...(port('destination.port') !== undefined ? { dstPort: port('destination.port') } : {}), protocols: ['ipv4', 'ipv6'].filter((p) => net.isIP(src) === (p === 'ipv4' ? 4 : 6)).concat(transport ? [transport] : []) });
    }
  }
  return o;
}
