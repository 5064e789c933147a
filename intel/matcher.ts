/**
 * The matcher: every loaded indicator sits in a hash set of its kind (addresses, domains,
 * URLs, hashes), so checking one event costs a handful of map lookups however many indicators
 * are loaded; address ranges are kept per prefix length (one lookup per length in use). An
 * indicator matches an event of its own agency, or of any agency when it is shared, and only
 * until it expires.
 */
import { canonicalDomain, canonicalIp, canonicalUrl, ipv4ToInt, ipv6ToBigInt, isLive, maskIpv4, maskIpv6, type Indicator } from './indicator';

/** One match in ECS `threat.enrichments` form: the indicator, and which field of the event held it. */
export interface Enrichment {
  indicator: {
    type: 'ipv4-addr' | 'ipv6-addr' | 'domain-name' | 'url' | 'file';
    ip?: string;
    url?: { full?: string; domain?: string };
    file?: { hash: Partial<Record<'md5' | 'sha1' | 'sha256', string>> };
    provider: string;
    confidence: 'Low' | 'Medium' | 'High';
    first_seen: string;
    last_seen: string;
    description?: string;
    tags?: string[];
  };
  matched: { atomic: string; field: string; id: string; type: 'indicator_match_rule' };
}

export interface Match {
  indicator: Indicator;
  field: string; // the event field that held the value
  atomic: string; // the value as the event had it
}

type Doc = Record<string, unknown>;

/** A field and its path split once, grouped by the top-level key: most events lack most groups, so one lookup skips a group. */
type Kind = 'ip' | 'domain' | 'hash' | 'referrer';
type Field = { name: string; keys: string[]; kind: Kind };
const fields = (kind: Kind, ...names: string[]): Field[] => names.map((name) => ({ name, keys: name.split('.'), kind }));
const ALL_FIELDS: Field[] = [
  ...fields('ip', 'source.ip', 'destination.ip', 'client.ip', 'server.ip', 'related.ip'),
  ...fields('domain', 'dns.question.name', 'url.domain', 'tls.server_name', 'tls.client.server_name', 'destination.domain'),
  ...fields('hash', 'file.hash.md5', 'file.hash.sha1', 'file.hash.sha256', 'process.hash.md5', 'process.hash.sha1', 'process.hash.sha256', 'related.hash'),
  ...fields('referrer', 'http.request.referrer'),
];
// related.* last: the same value under its own field (file.hash.sha256, destination.ip) names it better
const TREE: [string, Field[]][] = [...new Set(ALL_FIELDS.map((f) => f.keys[0]))]
  .sort((a, b) => Number(a === 'related') - Number(b === 'related'))
  .map((top) => [top, ALL_FIELDS.filter((f) => f.keys[0] === top)]);
const [URL_FULL, URL_ORIGINAL, URL_DOMAIN, URL_SCHEME] = fields('domain', 'url.full', 'url.original', 'url.domain', 'url.scheme');

function at(doc: Doc, f: Field, from = 0): unknown {
  let cur: unknown = doc;
  for (let i = from; i < f.keys.length; i++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Doc)[f.keys[i]];
  }
  return cur;
}
const strs = (v: unknown): string[] => (typeof v === 'string' && v ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && !!x) : []);

export class Matcher {
  private readonly ips = new Map<string, Indicator[]>();
  private readonly domains = new Map<string, Indicator[]>();
  private readonly urls = new Map<string, Indicator[]>();
  private readonly urlHosts = new Set<string>(); // a URL is parsed only when its host is one of these
  private readonly hashes = new Map<string, Indicator[]>();
  private readonly v4ranges = new Map<number, Map<number, Indicator[]>>();
  private readonly v6ranges = new Map<number, Map<bigint, Indicator[]>>();
  private count = 0;

  constructor(indicators: Iterable<Indicator> = [], nowMs = Date.now()) {
    for (const ind of indicators) if (isLive(ind, nowMs)) this.add(ind);
  }

  get size(): number {
    return this.count;
  }

  add(ind: Indicator): void {
    this.count++;
    const push = <K>(m: Map<K, Indicator[]>, k: K) => {
      const list = m.get(k);
      if (list) list.push(ind);
      else m.set(k, [ind]);
    };
    if (ind.type === 'ipv4' || ind.type === 'ipv6') {
      const slash = ind.value.indexOf('/');
      if (slash < 0) return push(this.ips, ind.value);
      const prefix = Number(ind.value.slice(slash + 1));
      const base = ind.value.slice(0, slash);
      if (ind.type === 'ipv4') return push(mapFor(this.v4ranges, prefix), ipv4ToInt(base)!);
      return push(mapFor(this.v6ranges, prefix), ipv6ToBigInt(base)!);
    }
    if (ind.type === 'domain') return push(this.domains, ind.value);
    if (ind.type === 'url') {
      this.urlHosts.add(new URL(ind.value).hostname);
      return push(this.urls, ind.value);
    }
    push(this.hashes, ind.value);
  }

  /** The indicators an event of `tenant` matches at `nowMs`, one entry per indicator. */
  match(event: Doc, tenant: string, nowMs = Date.now()): Match[] {
    if (this.count === 0) return [];
    const out: Match[] = [];
    const take = (list: Indicator[] | undefined, field: string, atomic: string) => {
      if (!list) return;
      for (const ind of list) {
        if ((ind.tenant !== null && ind.tenant !== tenant) || !isLive(ind, nowMs) || out.some((m) => m.indicator === ind)) continue;
        out.push({ indicator: ind, field, atomic });
      }
    };
    for (const [top, group] of TREE) {
      const o = event[top];
      if (o === null || typeof o !== 'object') continue;
      for (const f of group) {
        const v = at(o as Doc, f, 1);
        if (typeof v === 'string') this.matchValue(f, v, take);
        else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') this.matchValue(f, x, take);
      }
    }
    if (this.urls.size && event.url) for (const [field, u] of urlsOf(event)) this.matchUrl(u, field, take);
    return out;
  }

  private matchValue(f: Field, v: string, take: (l: Indicator[] | undefined, f: string, a: string) => void): void {
    if (!v) return;
    if (f.kind === 'ip') return this.matchIp(v, f.name, take);
    if (f.kind === 'domain') return this.matchDomain(v, f.name, take);
    if (f.kind === 'hash') {
      if (this.hashes.size) take(this.hashes.get(v.toLowerCase()), f.name, v);
      return;
    }
    const host = hostOf(v);
    if (host) this.matchDomain(host, f.name, take);
    this.matchUrl(v, f.name, take);
  }

  private matchIp(raw: string, field: string, take: (l: Indicator[] | undefined, f: string, a: string) => void): void {
    take(this.ips.get(raw), field, raw);
    if (!this.v4ranges.size && !this.v6ranges.size && raw.indexOf(':') < 0) return;
    const ip = canonicalIp(raw);
    if (!ip || ip.value.includes('/')) return;
    if (ip.value !== raw) take(this.ips.get(ip.value), field, raw);
    if (ip.type === 'ipv4') {
      const n = ipv4ToInt(ip.value)!;
      for (const [prefix, m] of this.v4ranges) take(m.get(maskIpv4(n, prefix)), field, raw);
    } else {
      const n = ipv6ToBigInt(ip.value)!;
      for (const [prefix, m] of this.v6ranges) take(m.get(maskIpv6(n, prefix)), field, raw);
    }
  }

  /** The name itself and each parent domain: an indicator evil.example matches a.b.evil.example. */
  private matchDomain(raw: string, field: string, take: (l: Indicator[] | undefined, f: string, a: string) => void): void {
    if (!this.domains.size) return;
    let d = raw.toLowerCase();
    if (d.endsWith('.')) d = d.slice(0, -1);
    for (;;) {
      take(this.domains.get(d), field, raw);
      const dot = d.indexOf('.');
      if (dot < 0) return;
      d = d.slice(dot + 1);
    }
  }

  private matchUrl(raw: string, field: string, take: (l: Indicator[] | undefined, f: string, a: string) => void): void {
    if (!this.urls.size) return;
    const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?([^/?#:]+)/i.exec(raw)?.[1];
    if (!host || !this.urlHosts.has(host.toLowerCase())) return;
    const u = canonicalUrl(raw);
    if (u) take(this.urls.get(u), field, raw);
  }
}

function mapFor<K>(m: Map<number, Map<K, Indicator[]>>, prefix: number): Map<K, Indicator[]> {
  let inner = m.get(prefix);
  if (!inner) m.set(prefix, (inner = new Map()));
  return inner;
}

function hostOf(u: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:@]+@)?([^/?#:]+)/i.exec(u);
  return m ? canonicalDomain(m[2]) : null;
}

/** The URLs an event names: url.full, url.original when absolute, or the domain and path a proxy logged apart. */
function urlsOf(event: Doc): [string, string][] {
  const out: [string, string][] = [];
  const full = strs(at(event, URL_FULL))[0];
  const original = strs(at(event, URL_ORIGINAL))[0];
  if (full) out.push(['url.full', full]);
  if (original && original !== full) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(original)) out.push(['url.original', original]);
    else if (!full && original.startsWith('/')) {
      const domain = strs(at(event, URL_DOMAIN))[0];
      const scheme = strs(at(event, URL_SCHEME))[0];
      if (domain) for (const s of scheme ? [scheme] : ['http', 'https']) out.push(['url.original', `${s}://${domain}${original}`]);
    }
  }
  return out;
}

const ECS_TYPES = { ipv4: 'ipv4-addr', ipv6: 'ipv6-addr', domain: 'domain-name', url: 'url', md5: 'file', sha1: 'file', sha256: 'file' } as const;

/** ECS threat.enrichments entry for one match. */
export function enrichmentOf(m: Match): Enrichment {
  const ind = m.indicator;
  const indicator: Enrichment['indicator'] = {
    type: ECS_TYPES[ind.type],
    provider: ind.source,
    confidence: ind.confidence >= 75 ? 'High' : ind.confidence >= 40 ? 'Medium' : 'Low',
    first_seen: ind.first_seen,
    last_seen: ind.last_seen,
  };
  if (ind.type === 'ipv4' || ind.type === 'ipv6') indicator.ip = ind.value;
  else if (ind.type === 'domain') indicator.url = { domain: ind.value };
  else if (ind.type === 'url') indicator.url = { full: ind.value };
  else indicator.file = { hash: { [ind.type]: ind.value } };
  if (ind.description) indicator.description = ind.description;
  if (ind.tags.length) indicator.tags = ind.tags;
  return { indicator, matched: { atomic: m.atomic, field: m.field, id: ind.id, type: 'indicator_match_rule' } };
}
