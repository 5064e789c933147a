/** IPv4/IPv6 networks for the `cidr` modifier, compared as 128-bit integers (IPv4 is mapped into ::ffff:0:0/96). */
import { isIPv4, isIPv6 } from 'node:net';

export interface Cidr {
  base: bigint;
  mask: bigint;
}

const FULL = (1n << 128n) - 1n;

export function ipToBigInt(ip: string): bigint | undefined {
  let s = ip.trim();
  const pct = s.indexOf('%'); // zone id
  if (pct >= 0) s = s.slice(0, pct);
  if (isIPv4(s)) {
    const p = s.split('.').map(Number);
    return 0xffff00000000n + BigInt(((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3]);
  }
  if (!isIPv6(s)) return undefined;
  let tail4: bigint | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = ipToBigInt(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail4 = v4 & 0xffffffffn;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return undefined;
  let n = 0n;
  for (const g of groups) n = (n << 16n) + BigInt(parseInt(g || '0', 16));
  if (tail4 !== undefined) n = (n & ~0xffffffffn) | tail4;
  return n;
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const base = ipToBigInt(addr);
  if (base === undefined) return undefined;
  const v4 = isIPv4(addr.trim());
  const maxBits = v4 ? 32 : 128;
  const bits = slash < 0 ? maxBits : Number(text.slice(slash + 1));
  if (!Number.isInteger(bits) || bits < 0 || bits > maxBits) return undefined;
  const prefix = v4 ? 96 + bits : bits;
  const mask = prefix === 0 ? 0n : (FULL << BigInt(128 - prefix)) & FULL;
  return { base: base & mask, mask };
}

export function cidrContains(c: Cidr, ip: string): boolean {
  const n = ipToBigInt(ip);
  return n !== undefined && (n & c.mask) === c.base;
}
