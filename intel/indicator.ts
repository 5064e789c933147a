/**
 * The indicator model: what a CERT shares (an address, a range, a domain, a URL, a file hash),
 * with where it came from, how sure, when seen, when it stops counting and who it is shared
 * with (every agency, or one). One value of one type for one scope is one indicator: importing
 * it again updates it, keeping the first import's first_seen.
 */
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

export const INDICATOR_TYPES = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export interface Indicator {
  id: string; // sha256 of scope, type and value: a re-import lands on the same record
  type: IndicatorType;
  value: string; // normalized: lower-case domain and hash, canonical address (a range keeps its /prefix), URL with lower-case scheme and host
  tenant: string | null; // null: shared with every agency
  source: string; // feed or organisation it came from
  confidence: number; // 0–100
  first_seen: string;
  last_seen: string;
  expires: string | null; // after this it matches nothing
  tags: string[];
  description: string | null;
  created: string;
  updated: string;
}

/** What an importer read, before it is stored: everything but the bookkeeping. */
export type IndicatorInput = Pick<Indicator, 'type' | 'value'> & Partial<Pick<Indicator, 'confidence' | 'first_seen' | 'last_seen' | 'expires' | 'tags' | 'description' | 'source'>>;

/** One address or domain on an agency's blocklist, served to its firewalls. */
export interface BlocklistEntry {
  id: string; // sha256 of agency and value
  tenant: string;
  type: 'ip' | 'domain' | 'url';
  value: string;
  reason: string;
  expires: string | null;
  added_by: string;
  created: string;
  incidentId?: string | null;
}

export const indicatorId = (tenant: string | null, type: string, value: string): string =>
  createHash('sha256').update(`${tenant ?? '*'}\n${type}\n${value}`).digest('hex').slice(0, 32);

const HASH_LENGTHS: Record<number, IndicatorType> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
const DOMAIN = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{2,63}$/;

/** The canonical spelling of an address, or null; a range keeps its /prefix with the host bits cleared. */
export function canonicalIp(raw: string): { type: 'ipv4' | 'ipv6'; value: string } | null {
  const [addr, prefix, extra] = raw.trim().split('/');
  if (extra !== undefined) return null;
  const v4 = isIPv4(addr);
  if (!v4 && !isIPv6(addr)) return null;
  const bits = v4 ? 32 : 128;
  const value = v4 ? addr : ipv6ToBigInt(addr) !== null ? bigIntToIpv6(ipv6ToBigInt(addr)!) : null;
  if (value === null) return null;
  if (prefix === undefined) return { type: v4 ? 'ipv4' : 'ipv6', value };
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) return null;
  const n = Number(prefix);
  if (n === bits) return { type: v4 ? 'ipv4' : 'ipv6', value };
  if (v4) return { type: 'ipv4', value: `${intToIpv4(maskIpv4(ipv4ToInt(addr)!, n))}/${n}` };
  return { type: 'ipv6', value: `${bigIntToIpv6(maskIpv6(ipv6ToBigInt(addr)!, n))}/${n}` };
}

export function ipv4ToInt(s: string): number | null {
  const p = s.split('.');
  if (p.length !== 4) return null;
  let n = 0;
  for (const x of p) {
    if (!/^\d{1,3}$/.test(x) || Number(x) > 255) return null;
    n = n * 256 + Number(x);
  }
  return n;
}
export const intToIpv4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
export const maskIpv4 = (n: number, prefix: number): number => (prefix === 0 ? 0 : (n & (~0 << (32 - prefix))) >>> 0);

export function ipv6ToBigInt(s: string): bigint | null {
  let addr = s.toLowerCase();
  const v4tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (v4tail) {
    const n = ipv4ToInt(v4tail[1]);
    if (n === null) return null;
    addr = addr.slice(0, -v4tail[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = addr.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}
export function bigIntToIpv6(n: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  // RFC 5952: the longest run of two or more zero groups becomes "::"
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
export const maskIpv6 = (n: bigint, prefix: number): bigint => (prefix === 0 ? 0n : (n >> BigInt(128 - prefix)) << BigInt(128 - prefix));

export function canonicalDomain(raw: string): string | null {
  const d = raw.trim().toLowerCase().replace(/\.$/, '');
  return DOMAIN.test(d) ? d : null;
}

/** A URL compared as a firewall or proxy logs it: scheme and host lower-case, default port and fragment dropped. */
export function canonicalUrl(raw: string): string | null {
  const s = raw.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return null;
  try {
    const u = new URL(s);
    if (!u.hostname) return null;
    u.hash = '';
    return u.toString();
  } catch {
    return null;
  }
}

/** Checks and normalizes one value of a declared type; the error says what is wrong with it. */
export function normalizeValue(type: string, raw: string): { type: IndicatorType; value: string } {
  const t = type.trim().toLowerCase();
  const v = raw.trim();
  if (t === 'ipv4' || t === 'ipv6' || t === 'ip') {
    const ip = canonicalIp(v);
    if (!ip || (t !== 'ip' && ip.type !== t)) throw new Error(`"${v}" is not an ${t === 'ip' ? 'IP' : t.toUpperCase()} address or range`);
    return ip;
  }
  if (t === 'domain') {
    const d = canonicalDomain(v);
    if (!d) throw new Error(`"${v}" is not a domain name`);
    return { type: 'domain', value: d };
  }
  if (t === 'url') {
    const u = canonicalUrl(v);
    if (!u) throw new Error(`"${v}" is not an absolute URL (scheme://host/...)`);
    return { type: 'url', value: u };
  }
  if (t === 'md5' || t === 'sha1' || t === 'sha256' || t === 'hash') {
    const h = v.toLowerCase();
    const kind = /^[0-9a-f]+$/.test(h) ? HASH_LENGTHS[h.length] : undefined;
    if (!kind || (t !== 'hash' && kind !== t)) throw new Error(`"${v}" is not ${t === 'hash' ? 'an MD5, SHA-1 or SHA-256' : `a ${t.toUpperCase()}`} hash in hex`);
    return { type: kind, value: h };
  }
  throw new Error(`unknown indicator type "${type}" (expected one of ${INDICATOR_TYPES.join(', ')})`);
}

/** The type of a bare value in a plain list: an address, a URL, a hash or a domain, in that order. */
export function inferType(raw: string): { type: IndicatorType; value: string } {
  const v = raw.trim();
  if (canonicalIp(v)) return canonicalIp(v)!;
  if (/^[0-9a-f]{32}$|^[0-9a-f]{40}$|^[0-9a-f]{64}$/i.test(v)) return normalizeValue('hash', v);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return normalizeValue('url', v);
  const d = canonicalDomain(v);
  if (d) return { type: 'domain', value: d };
  throw new Error(`"${v}" is neither an address, a domain, a URL nor an MD5/SHA-1/SHA-256 hash`);
}

export interface ImportOptions {
  tenant: string | null;
  source: string;
  ttlMs: number | null; // expiry for indicators that carry none
  now: Date;
}

/** Parses "30d", "12h", "90m", "never". */
export function parseTtl(s: string): number | null {
  if (s === 'never' || s === '0') return null;
  const m = /^(\d+)\s*([dhm])$/.exec(s.trim());
  if (!m) throw new Error(`--ttl "${s}": expected a number and a unit, e.g. 30d, 12h, 90m, or "never"`);
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
}

/** The stored indicator for an imported one; `known` is the stored record of the same id, if any. */
export function toIndicator(input: IndicatorInput, opts: ImportOptions, known?: Indicator | null): Indicator {
  const now = opts.now.toISOString();
  const id = indicatorId(opts.tenant, input.type, input.value);
  const expires = input.expires ?? (opts.ttlMs === null ? null : new Date(opts.now.getTime() + opts.ttlMs).toISOString());
  return {
    id,
    type: input.type,
    value: input.value,
    tenant: opts.tenant,
    source: input.source ?? opts.source,
    confidence: clampConfidence(input.confidence),
    first_seen: known?.first_seen && (!input.first_seen || known.first_seen < input.first_seen) ? known.first_seen : (input.first_seen ?? now),
    last_seen: input.last_seen ?? now,
    expires,
    tags: [...new Set(input.tags ?? [])],
    description: input.description ?? null,
    created: known?.created ?? now,
    updated: now,
  };
}

const clampConfidence = (c: number | undefined): number => (c === undefined || Number.isNaN(c) ? 50 : Math.max(0, Math.min(100, Math.round(c))));

export const isLive = (ind: Pick<Indicator, 'expires'>, nowMs: number): boolean => ind.expires === null || Date.parse(ind.expires) > nowMs;

/** An ISO time from a feed's date, or an error naming the field. */
export function isoTime(v: unknown, field: string): string {
  const ms = typeof v === 'number' ? (v < 1e12 ? v * 1000 : v) : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(String(v));
  if (Number.isNaN(ms)) throw new Error(`${field}: "${String(v)}" is not a date`);
  return new Date(ms).toISOString();
}

export class ImportError extends Error {
  constructor(readonly where: string, readonly reason: string) {
    super(`${where}: ${reason}; nothing was imported`);
    this.name = 'ImportError';
  }
}
