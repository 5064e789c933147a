/**
 * Shared helpers for parsers: time with a per-source time zone, key=value splitting,
 * ECS value normalization (ports, MACs, related.*), IP checks and the network community id.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { addRelated, safeKey, setPath } from '../../core/event';

export type Doc = Record<string, unknown>;

/** A parse failure with a reason that names what and where; caught in index.ts, never escapes `parse`. */
export class ParseFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParseFailure';
  }
}

export const DEFAULT_TIMEZONE = 'Asia/Ho_Chi_Minh';

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

export function monthIndex(name: string): number | undefined {
  return MONTHS[name.slice(0, 3).toLowerCase()];
}

const FIXED_OFFSET = /^(?:UTC|GMT|Z)?([+-])(\d{1,2}):?(\d{2})?$/i;
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(tz: string): Intl.DateTimeFormat | null {
  let f = formatters.get(tz);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      f = null;
    }
    if (formatters.size < 1000) formatters.set(tz, f);
  }
  return f;
}

/** True when `tz` is an IANA zone name or a fixed offset such as "+07:00", "-0400", "UTC". */
export function isValidTimezone(tz: string): boolean {
  if (/^(UTC|GMT|Z)$/i.test(tz) || FIXED_OFFSET.test(tz)) return true;
  return formatterFor(tz) !== null;
}

/** Offset of `tz` from UTC in minutes at the instant `utcMs`; undefined for an unknown zone. */
export function zoneOffsetMinutes(tz: string, utcMs: number): number | undefined {
  if (/^(UTC|GMT|Z)$/i.test(tz)) return 0;
  const m = FIXED_OFFSET.exec(tz);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  // zone offsets change at most on quarter hours: remember them per zone and quarter hour
  const key = `${tz}|${Math.floor(utcMs / 900000)}`;
  const known = OFFSET_CACHE.get(key);
  if (known !== undefined) return known;
  const f = formatterFor(tz);
  if (!f) return undefined;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour === 24 ? 0 : p.hour, p.minute, p.second);
  const offset = Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
  if (OFFSET_CACHE.size > 20000) OFFSET_CACHE.clear();
  OFFSET_CACHE.set(key, offset);
  return offset;
}
const OFFSET_CACHE = new Map<string, number>();

/** Converts a wall-clock time in `tz` to epoch milliseconds (two passes handle DST edges). */
export function localToEpoch(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, tz: string): number {
  const naive = Date.UTC(y, mo, d, h, mi, s, ms);
  const off1 = zoneOffsetMinutes(tz, naive) ?? 0;
  const guess = naive - off1 * 60000;
  const off2 = zoneOffsetMinutes(tz, guess) ?? off1;
  return naive - off2 * 60000;
}

export interface TimePolicy {
  receivedAt: Date;
  timezone: string;
}

function fracToMs(frac: string | undefined): number {
  if (!frac) return 0;
  return Number((frac + '000').slice(0, 3));
}

function offsetMinutes(z: string): number {
  if (z === 'Z' || z === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s?(Z|z|[+-]\d{2}:?\d{2})?$/;
const BSD = /^([A-Za-z]{3})\s+(\d{1,2})(?:\s+(\d{4}))?\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:\s+(\d{4}))?(?:\s*(Z)|\s+(Z|UTC|GMT|[+-]\d{2}:?\d{2}))?$/;

/**
 * Parses the timestamps devices send: ISO 8601 (with or without offset) and BSD
 * "Mmm dd [YYYY] hh:mm:ss[.fff] [YYYY]". Year-less times take the year that puts them nearest
 * before the time of receipt, or up to a week after it (a device clock running ahead): see nearestYear.
 * Times without an offset are read in the source's time zone. Returns ISO text or undefined.
 */
export function parseTimestamp(text: string, policy: TimePolicy): string | undefined {
  const t = text.trim();
  let m = ISO.exec(t);
  if (m) {
    const [, y, mo, d, h, mi, s, frac, z] = m;
    let ms: number;
    if (z) {
      ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +(s ?? 0), fracToMs(frac)) - offsetMinutes(z) * 60000;
    } else {
      ms = localToEpoch(+y, +mo - 1, +d, +h, +mi, +(s ?? 0), fracToMs(frac), policy.timezone);
    }
    return Number.isFinite(ms) && +mo >= 1 && +mo <= 12 && +d >= 1 && +d <= 31 ? new Date(ms).toISOString() : undefined;
  }
  m = BSD.exec(t);
  if (m) {
    const [, mon, d, y1, h, mi, s, frac, y2, z1, z2] = m;
    const z = z1 ?? z2;
    const mo = monthIndex(mon);
    if (mo === undefined || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 60) return undefined;
    const explicitYear = y1 ?? y2;
    const compute = (year: number): number =>
      z ? Date.UTC(year, mo, +d, +h, +mi, +s, fracToMs(frac)) - offsetMinutes(z === 'UTC' || z === 'GMT' ? 'Z' : z) * 60000
        : localToEpoch(year, mo, +d, +h, +mi, +s, fracToMs(frac), policy.timezone);
    const ms = explicitYear ? compute(+explicitYear) : nearestYear(compute, policy.receivedAt.getTime());
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  }
  return undefined;
}

/** How far ahead of the receive time a device clock may run before a year-less date is read as last year's. */
const CLOCK_AHEAD_MS = 7 * 86400000;

/**
 * The instant of a year-less date: of the previous, the same and the next year (around the receive
 * time), the latest that is not more than CLOCK_AHEAD_MS after receipt. "Jan  1 00:30" received at
 * 00:30 on 1 January in Vietnam (still 31 December in UTC) is this new year's, not last year's.
 */
function nearestYear(compute: (year: number) => number, receivedMs: number): number {
  const year = new Date(receivedMs).getUTCFullYear();
  let best = Number.NaN;
  for (const y of [year - 1, year, year + 1]) {
    const ms = compute(y);
    if (ms <= receivedMs + CLOCK_AHEAD_MS && !(ms <= best)) best = ms;
  }
  return best;
}

/** Epoch seconds, milliseconds, microseconds or nanoseconds (guessed by magnitude) to ISO text. */
export function epochToIso(value: string | number): string | undefined {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  let ms: number;
  if (n > 1e17) ms = n / 1e6;
  else if (n > 1e14) ms = n / 1e3;
  else if (n > 1e11) ms = n;
  else ms = n * 1000;
  const d = new Date(Math.floor(ms));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Date and time fields of devices that log "2019-05-10" + "11:37:47" in local time. */
export function dateTimeToIso(date: string, time: string, tz: string): string | undefined {
  const dm = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(date.trim());
  const tm = /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(time.trim());
  if (!dm || !tm) return undefined;
  const ms = localToEpoch(+dm[1], +dm[2] - 1, +dm[3], +tm[1], +tm[2], +tm[3], fracToMs(tm[4]), tz);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * Splits `k=v k2="v w" k3=v,with,commas` pairs. Values run until the next ` key=`; quotes may be
 * unbalanced (the rest of the line becomes the value). Backslash escapes inside quotes are kept literal
 * except for \" and \\.
 */
export function parseKeyValues(text: string, opts: { separator?: string } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const sep = opts.separator ?? '=';
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === ',')) i++;
    const keyStart = i;
    while (i < n && text[i] !== sep && text[i] !== ' ') i++;
    if (i >= n || text[i] !== sep) {
      // a word without "=": skip it
      while (i < n && text[i] !== ' ') i++;
      continue;
    }
    const key = text.slice(keyStart, i);
    i++;
    let value: string;
    if (text[i] === '"') {
      i++;
      let v = '';
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          v += text[i + 1];
          i += 2;
        } else v += text[i++];
      }
      i++;
      value = v;
    } else {
      const start = i;
      while (i < n && text[i] !== ' ') i++;
      value = text.slice(start, i);
    }
    if (key) out[safeKey(key)] = value;
  }
  return out;
}

export function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v !== 'string' || !/^-?\d+$/.test(v.trim())) return undefined;
  const n = Number(v.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : undefined;
}

export function isIpAddress(v: unknown): v is string {
  return typeof v === 'string' && isIP(v) !== 0;
}

/** Strips an IPv6 zone and brackets; returns undefined when not an address. */
export function cleanIp(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  let s = v.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (s.startsWith('::ffff:') && isIP(s.slice(7)) === 4) s = s.slice(7);
  return isIP(s) ? s : undefined;
}

/** ECS MAC form: upper case, dash separated. */
export function normalizeMac(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const hex = v.replace(/[^0-9a-fA-F]/g, '');
  if (hex.length !== 12) return undefined;
  return hex.toUpperCase().match(/.{2}/g)!.join('-');
}

export function set(doc: Doc, path: string, value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  setPath(doc, path, value);
}

const SPLIT_CACHE = new Map<string, string[]>();

/** Reads a nested path; the hot-path twin of core's getPath for documents the parsers build (no dotted keys). */
export function get(doc: Doc, path: string): unknown {
  let parts = SPLIT_CACHE.get(path);
  if (!parts) {
    parts = path.split('.');
    if (SPLIT_CACHE.size < 4096) SPLIT_CACHE.set(path, parts);
  }
  let cur: unknown = doc;
  for (const k of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Doc)[k];
  }
  return cur;
}

/** Appends to an array field without duplicates. */
export function append(doc: Doc, path: string, ...values: string[]): void {
  const cur = get(doc, path);
  const list = Array.isArray(cur) ? (cur as unknown[]) : [];
  for (const v of values) if (!list.includes(v)) list.push(v);
  setPath(doc, path, list);
}

/** Sets `<side>.ip/address/port` and related.ip; a non-IP address becomes `<side>.domain`. */
export function setEndpoint(doc: Doc, side: string, address: unknown, port?: unknown): void {
  if (typeof address === 'string' && address !== '') {
    const ip = cleanIp(address);
    set(doc, `${side}.address`, address);
    if (ip) {
      set(doc, `${side}.ip`, ip);
      addRelated(doc, 'ip', ip);
    } else set(doc, `${side}.domain`, address);
  }
  const p = toInt(port);
  if (p !== undefined && p >= 0 && p <= 65535) set(doc, `${side}.port`, p);
}

export function related(doc: Doc, kind: 'ip' | 'user' | 'hosts' | 'hash', value: unknown): void {
  if (typeof value !== 'string' || value === '' || value === '-') return;
  addRelated(doc, kind, value);
}

/** A user name the parser already listed in another spelling (Check Point's lower-cased user.name next to the logged one) is not listed twice. */
function relatedUser(doc: Doc, value: unknown): void {
  if (typeof value !== 'string') return;
  const listed = get(doc, 'related.user');
  if (Array.isArray(listed) && listed.some((u) => typeof u === 'string' && u !== value && u.toLowerCase() === value.toLowerCase())) return;
  related(doc, 'user', value);
}

/** Fills related.* from the ECS fields that name an ip, user or host, in ECS order. */
export function fillRelated(doc: Doc): void {
  for (const p of ['source.ip', 'destination.ip', 'source.nat.ip', 'destination.nat.ip', 'client.ip', 'server.ip', 'host.ip', 'observer.ip']) {
    const v = get(doc, p);
    if (Array.isArray(v)) v.forEach((x) => related(doc, 'ip', x));
    else related(doc, 'ip', v);
  }
  for (const p of ['user.name', 'user.effective.name', 'user.target.name', 'source.user.name', 'destination.user.name']) relatedUser(doc, get(doc, p));
  for (const p of ['host.hostname', 'observer.hostname']) related(doc, 'hosts', get(doc, p));
  for (const p of ['file.hash.md5', 'file.hash.sha1', 'file.hash.sha256', 'process.hash.sha256']) related(doc, 'hash', get(doc, p));
}

/** A constant lookup table without a prototype: a key taken from input ("constructor", "__proto__") finds nothing. */
export function lookupTable<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

export const IANA_NUMBERS: Record<string, string> = lookupTable({
  icmp: '1', igmp: '2', tcp: '6', udp: '17', gre: '47', esp: '50', ah: '51', 'ipv6-icmp': '58', icmpv6: '58', sctp: '132',
});
export const TRANSPORT_BY_NUMBER: Record<string, string> = lookupTable(Object.fromEntries(
  Object.entries(IANA_NUMBERS).filter(([k]) => k !== 'icmpv6').map(([k, v]) => [v, k]),
));

function ipBytes(ip: string): Buffer | undefined {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  if (isIP(ip) !== 6) return undefined;
  let [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const expand = (parts: string[]): number[] => {
    const out: number[] = [];
    for (const p of parts) {
      if (p.includes('.')) {
        const b = p.split('.').map(Number);
        out.push((b[0] << 8) | b[1], (b[2] << 8) | b[3]);
      } else out.push(parseInt(p, 16));
    }
    return out;
  };
  const hw = expand(h);
  const tw = expand(t);
  const words = tail === undefined ? hw : [...hw, ...new Array(8 - hw.length - tw.length).fill(0), ...tw];
  const buf = Buffer.alloc(16);
  words.forEach((w, i) => buf.writeUInt16BE(w & 0xffff, i * 2));
  return buf;
}

const ICMP4_PAIRS: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 10: 9, 9: 10, 17: 18, 18: 17 };
const ICMP6_PAIRS: Record<number, number> = { 128: 129, 129: 128, 133: 134, 134: 133, 135: 136, 136: 135, 130: 131, 131: 130, 144: 145, 145: 144 };

/**
 * Community ID v1 (corelight spec). For ICMP the "ports" are type and code; request/reply types are
 * paired so both directions hash alike, other types are one-way. Type/code default to 0 when unknown.
 */
export function communityId(srcIp: string, srcPort: number | undefined, dstIp: string, dstPort: number | undefined, proto: number, seed = 0): string | undefined {
  const s = ipBytes(srcIp);
  const d = ipBytes(dstIp);
  if (!s || !d || s.length !== d.length) return undefined;
  const icmp = proto === 1 || proto === 58;
  const hasPorts = proto === 6 || proto === 17 || proto === 132 || icmp;
  let sp = hasPorts ? srcPort ?? 0 : 0;
  let dp = hasPorts ? dstPort ?? 0 : 0;
  let oneWay = false;
  if (icmp) {
    const pairs = proto === 1 ? ICMP4_PAIRS : ICMP6_PAIRS;
    if (pairs[sp] !== undefined) dp = pairs[sp];
    else oneWay = true;
  }
  let a = s;
  let b = d;
  const cmp = Buffer.compare(s, d);
  if (!oneWay && (cmp > 0 || (cmp === 0 && sp > dp))) {
    a = d;
    b = s;
    [sp, dp] = [dp, sp];
  }
  const seedBuf = Buffer.alloc(2);
  seedBuf.writeUInt16BE(seed);
  const parts = [seedBuf, a, b, Buffer.from([proto, 0])];
  if (hasPorts) {
    const ports = Buffer.alloc(4);
    ports.writeUInt16BE(sp & 0xffff, 0);
    ports.writeUInt16BE(dp & 0xffff, 2);
    parts.push(ports);
  }
  return '1:' + createHash('sha1').update(Buffer.concat(parts)).digest('base64');
}

/** Sets network.community_id from source/destination/transport when all are known. */
export function fillCommunityId(doc: Doc, icmpType?: number, icmpCode?: number): void {
  const src = get(doc, 'source.ip');
  const dst = get(doc, 'destination.ip');
  const transport = get(doc, 'network.transport');
  const proto = typeof transport === 'string' ? Number(IANA_NUMBERS[transport.toLowerCase()]) : NaN;
  if (typeof src !== 'string' || typeof dst !== 'string' || !Number.isFinite(proto)) return;
  if ((proto === 6 || proto === 17) && (get(doc, 'source.port') === undefined || get(doc, 'destination.port') === undefined)) return;
  const icmp = proto === 1 || proto === 58;
  const id = communityId(src, icmp ? icmpType : (get(doc, 'source.port') as number | undefined), dst, icmp ? icmpCode : (get(doc, 'destination.port') as number | undefined), proto);
  if (id) set(doc, 'network.community_id', id);
}

/** Syslog severity names (RFC 5424 order) and ECS log.level words. */
export const SEVERITY_NAMES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];
export const LOG_LEVELS = ['emergency', 'alert', 'critical', 'error', 'warning', 'notification', 'informational', 'debugging'];
export const FACILITY_NAMES = [
  'kernel', 'user-level', 'mail', 'daemon', 'security/authorization', 'syslogd', 'line printer', 'network news',
  'UUCP', 'clock', 'security/authorization', 'FTP daemon', 'NTP', 'log audit', 'log alert', 'clock',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

/** Bounded-length excerpt for error messages (never the whole line). */
export function excerpt(s: string, max = 60): string {
  const one = s.replace(/[\r\n\t]/g, ' ');
  return one.length > max ? JSON.stringify(one.slice(0, max)) + '…' : JSON.stringify(one);
}
