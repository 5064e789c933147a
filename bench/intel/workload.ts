/** The intel benches' workload: random indicators of the four kinds, and parsed events of which 1 in 100 hits one. */
import { createHash } from 'node:crypto';
import { parse } from '../../collector/parsers';
import { normalizeValue, toIndicator, type Indicator } from '../../intel/indicator';

let seed = 42;
/** mulberry32: a seeded generator with a long period, so a million values do not repeat */
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const ip = () => `${1 + Math.floor(rnd() * 222)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`;
const word = () => Math.floor(rnd() * 36 ** 6).toString(36);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export function indicators(n: number): Indicator[] {
  const opts = { tenant: null, source: 'bench', ttlMs: 30 * 86_400_000, now: new Date() };
  const out: Indicator[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 4;
    const [type, value] = k === 0 ? ['ipv4', ip()] : k === 1 ? ['domain', `${word()}.${word()}.example`] : k === 2 ? ['url', `http://${word()}.example/${word()}.php`] : ['sha256', sha(String(i))];
    out.push(toIndicator(normalizeValue(type, value), opts));
  }
  return out;
}

export function events(n: number, hits: Indicator[]): Record<string, unknown>[] {
  const fg = 'date=2026-03-14 time=10:00:00 devname="FG100F" devid="FG100FTK20001234" level="notice" vd="root"';
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const hit = hits.length && i % 100 === 0 ? hits[i % hits.length] : null;
    const k = i % 4;
    const dst = hit?.type === 'ipv4' ? hit.value : ip();
    const name = hit?.type === 'domain' ? `www.${hit.value}` : `${word()}.${word()}.example`;
    const url = hit?.type === 'url' ? new URL(hit.value) : new URL(`http://${word()}.example/${word()}.php`);
    const hash = hit?.type === 'sha256' ? hit.value : sha(`e${i}`);
    const input: string | Record<string, unknown> =
      k === 0 ? `${fg} logid="0000000013" type="traffic" subtype="forward" srcip=10.1.${i % 250}.7 srcport=5000 dstip=${dst} dstport=443 proto=6 action="accept" policyid=1`
      : k === 1 ? `${fg} logid="1501054802" type="utm" subtype="dns" eventtype="dns-response" srcip=10.1.1.7 srcport=5300 dstip=10.1.1.1 dstport=53 proto=17 qname="${name}" qtype="A" action="pass"`
      : k === 2 ? `${fg} logid="0317013312" type="utm" subtype="webfilter" eventtype="ftgd_allow" srcip=10.1.1.8 srcport=5000 dstip=${ip()} dstport=80 proto=6 hostname="${url.hostname}" url="${url.pathname}" action="passthrough"`
      : { EventTime: '2026-03-14 09:10:11', Hostname: `WS-${i % 500}`, EventID: 1, SourceName: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\x.exe', ProcessId: '1', Hashes: `SHA256=${hash}` };
    out.push({ ...(parse(input, { receivedAt: new Date(), timezone: 'UTC' }) as unknown as Record<string, unknown>), organization: { id: 'so-a' } });
  }
  return out;
}

