/**
 * Snort / Suricata "fast" alert lines: `[gid:sid:rev] (preprocessor) msg [Classification: c] [Priority: n] {PROTO} a:p -> b:q`,
 * as Snort writes them to syslog (alone or on pfSense / OPNsense). Each line is an IDS alert.
 */
import type { Parser } from './types';
import { Doc, IANA_NUMBERS, ParseFailure, excerpt, fillCommunityId, set, setEndpoint } from './util';

const FAST = /\[(\d+):(\d+):(\d+)\]\s+(?:\(([\w-]+)\)\s+)?(.*?)\s*(?:\[Classification: ([^\]]*)\]\s*)?(?:\[Priority: (\d+)\]\s*)?\{([\w-]+)\}\s+([0-9a-fA-F:.]+?)(?::(\d+))?\s+->\s+([0-9a-fA-F:.]+?)(?::(\d+))?\s*$/;

export function parseFastAlert(doc: Doc, text: string): boolean {
  const m = FAST.exec(text);
  if (!m) return false;
  const [, gid, sid, rev, pre, msg, classification, priority, proto, src, sport, dst, dport] = m;
  set(doc, 'event.kind', 'alert');
  set(doc, 'event.category', ['network', 'intrusion_detection']);
  set(doc, 'event.type', ['info']);
  set(doc, 'rule.id', sid);
  set(doc, 'rule.version', rev);
  set(doc, 'rule.description', msg);
  set(doc, 'rule.name', msg);
  set(doc, 'rule.category', classification);
  set(doc, 'snort.gid', Number(gid));
  set(doc, 'snort.preprocessor', pre);
  if (priority) set(doc, 'event.severity', Number(priority));
  // Snort prints IPv6 with the port glued on (2001:db8::5:51000): only TCP/UDP/SCTP lines carry a port
  const ported = /^(tcp|udp|sctp)$/i.test(proto);
  const [sIp, sPort] = !ported && sport !== undefined ? [`${src}:${sport}`, undefined] : [src, sport];
  const [dIp, dPort] = !ported && dport !== undefined ? [`${dst}:${dport}`, undefined] : [dst, dport];
  setEndpoint(doc, 'source', sIp, sPort);
  setEndpoint(doc, 'destination', dIp, dPort);
  const t = proto.toLowerCase();
  set(doc, 'network.transport', t);
  if (IANA_NUMBERS[t]) set(doc, 'network.iana_number', IANA_NUMBERS[t]);
  set(doc, 'network.type', src.includes(':') ? 'ipv6' : 'ipv4');
  set(doc, 'message', msg);
  fillCommunityId(doc);
  return true;
}

export const snort: Parser = {
  name: 'snort',
  dataset: 'snort.log',
  observer: { vendor: 'snort', product: 'ids', type: 'ids' },
  detect: (_line, h) => /^\[\d+:\d+:\d+\] /.test(h.message) && /\{[\w-]+\} /.test(h.message),
  parseLine(doc, line, h) {
    if (!parseFastAlert(doc, h.message) && !parseFastAlert(doc, line)) throw new ParseFailure(`not a Snort fast alert ([gid:sid:rev] msg ... {PROTO} a -> b) at ${excerpt(h.message)}`);
    set(doc, 'observer.vendor', 'snort');
    set(doc, 'observer.product', 'ids');
    set(doc, 'observer.type', 'ids');
    if (h.hostname) {
      set(doc, 'observer.name', h.hostname);
      delete doc.host;
    }
  },
};
