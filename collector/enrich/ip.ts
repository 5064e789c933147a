/**
 * IP arithmetic for enrichment: addresses as BigInt, CIDR parsing and the IANA special-purpose
 * ranges (private, loopback, link-local, shared, documentation, multicast, reserved).
 */
import { isIP } from 'node:net';

export interface Cidr {
  version: 4 | 6;
  /** network address as an integer, already masked */
  network: bigint;
  prefix: number;
}

export function ipToBigInt(ip: string): { version: 4 | 6; value: bigint } | undefined {
  const v = isIP(ip);
  if (v === 4) {
    const p = ip.split('.').map(Number);
    return { version: 4, value: BigInt(((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3]) };
  }
  if (v !== 6) return undefined;
  let s = ip;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // IPv4-mapped/embedded tail (::ffff:1.2.3.4)
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const p = tail[1].split('.').map(Number);
    s = s.slice(0, -tail[1].length) + ((p[0] << 8) | p[1]).toString(16) + ':' + ((p[2] << 8) | p[3]).toString(16);
  }
  const [head, rest] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const words = rest === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t];
  let value = 0n;
  for (const w of words) value = (value << 16n) | BigInt(parseInt(w || '0', 16));
  return { version: 6, value };
}

/** "10.0.0.0/8", "2001:db8::/32" or a bare address (a /32 or /128). Undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const ip = ipToBigInt(addr);
  if (!ip) return undefined;
  const bits = ip.version === 4 ? 32 : 128;
  const prefix = len === undefined ? bits : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  return { version: ip.version, network: mask(ip.value, prefix, bits), prefix };
}

export function mask(value: bigint, prefix: number, bits: number): bigint {
  if (prefix === 0) return 0n;
  const shift = BigInt(bits - prefix);
  return (value >> shift) << shift;
}

export type IpScope = 'private' | 'loopback' | 'link_local' | 'shared' | 'documentation' | 'multicast' | 'reserved' | 'unspecified' | 'public';

const SPECIAL: Array<[string, IpScope]> = [
  ['0.0.0.0/8', 'unspecified'], ['10.0.0.0/8', 'private'], ['100.64.0.0/10', 'shared'], ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link_local'], ['172.16.0.0/12', 'private'], ['192.0.0.0/24', 'reserved'], ['192.0.2.0/24', 'documentation'],
  ['192.168.0.0/16', 'private'], ['198.18.0.0/15', 'reserved'], ['198.51.100.0/24', 'documentation'], ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'], ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'], ['::1/128', 'loopback'], ['fc00::/7', 'private'], ['fe80::/10', 'link_local'], ['ff00::/8', 'multicast'],
  ['2001:db8::/32', 'documentation'], ['100::/64', 'reserved'], ['2001::/23', 'reserved'],
].map(([c, s]) => [c, s as IpScope]);
const SPECIAL_CIDRS = SPECIAL.map(([c, s]) => ({ cidr: parseCidr(c)!, scope: s })).sort((a, b) => b.cidr.prefix - a.cidr.prefix);

/** Which special-purpose range an address belongs to; 'public' for the rest; undefined when not an IP. */
export function ipScope(ip: string): IpScope | undefined {
  let parsed = ipToBigInt(ip);
  if (!parsed) return undefined;
  // ::ffff:a.b.c.d is the IPv4 address
  if (parsed.version === 6 && parsed.value >> 32n === 0xffffn) parsed = { version: 4, value: parsed.value & 0xffffffffn };
  const bits = parsed.version === 4 ? 32 : 128;
  for (const { cidr, scope } of SPECIAL_CIDRS) {
    if (cidr.version === parsed.version && mask(parsed.value, cidr.prefix, bits) === cidr.network) return scope;
  }
  if (parsed.version === 4 && parsed.value === 0xffffffffn) return 'reserved';
  return 'public';
}
