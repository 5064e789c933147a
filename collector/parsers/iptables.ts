/**
 * Linux netfilter LOG / NFLOG lines (iptables, nftables, UFW, firewalld) as the kernel writes them, also as
 * embedded in Ubiquiti EdgeOS/UniFi and other router logs: `[prefix] IN=eth0 OUT= MAC=dst:src:type SRC=… DST=…
 * LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=… DPT=… WINDOW=… RES=0x00 SYN URGP=0`.
 * The prefix is the rule's log-prefix: `[UFW BLOCK]`, `DROP:`, EdgeOS `[WAN_LOCAL-default-D]`/`[LAN_IN-4000-A]`.
 * Fields go under iptables.* as Elastic's iptables package names them.
 */
import type { Parser } from './types';
import { Doc, IANA_NUMBERS, ParseFailure, append, excerpt, fillCommunityId, normalizeMac, set, setEndpoint, toInt } from './util';

const BODY = /\bIN=(\S*) OUT=(\S*) (?:PHYSIN=\S* |PHYSOUT=\S* )*(?:MAC=(\S*) )?SRC=([0-9a-fA-F:.]+) DST=([0-9a-fA-F:.]+) (.*)$/;
/** EdgeOS/VyOS: `[<ruleset>-<rule number or default>-<A|D|R>]` */
const EDGEOS = /\[([A-Za-z0-9_]+)-(\d+|default)-([ADR])\]/;
const FLAGS = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'];

function verdict(prefix: string): 'allowed' | 'denied' | undefined {
  const edge = EDGEOS.exec(prefix);
  if (edge) return edge[3] === 'A' ? 'allowed' : 'denied';
  if (/\b(?:BLOCK|DROP|DENY|DENIED|REJECT|DROPPED|INVALID)\b/i.test(prefix)) return 'denied';
  if (/\b(?:ALLOW|ACCEPT|ACCEPTED|PASS)\b/i.test(prefix)) return 'allowed';
  return undefined;
}

function setMacs(doc: Doc, mac: string | undefined): void {
  // MAC= is destination (6 bytes), source (6 bytes), ethertype (2 bytes)
  const b = mac?.split(':');
  if (!b || b.length < 12) return;
  set(doc, 'destination.mac', normalizeMac(b.slice(0, 6).join(':')));
  set(doc, 'source.mac', normalizeMac(b.slice(6, 12).join(':')));
  if (b.length >= 14) set(doc, 'iptables.ether_type', parseInt(b.slice(12, 14).join(''), 16));
}

function packet(doc: Doc, rest: string): void {
  const kv: Record<string, string> = Object.create(null) as Record<string, string>;
  const words = new Set<string>();
  for (const tok of rest.split(/\s+/)) {
    const eq = tok.indexOf('=');
    if (eq > 0) kv[tok.slice(0, eq)] = tok.slice(eq + 1);
    else if (tok) words.add(tok);
  }
  const proto = kv.PROTO?.toLowerCase();
  if (proto) {
    set(doc, 'network.transport', proto === 'icmpv6' ? 'ipv6-icmp' : proto);
    if (IANA_NUMBERS[proto]) set(doc, 'network.iana_number', IANA_NUMBERS[proto]);
    else if (/^\d+$/.test(proto)) set(doc, 'network.iana_number', proto);
  }
  set(doc, 'source.port', toInt(kv.SPT));
  set(doc, 'destination.port', toInt(kv.DPT));
  set(doc, 'iptables.length', toInt(kv.LEN));
  set(doc, 'iptables.tos', kv.TOS);
  set(doc, 'iptables.precedence_bits', kv.PREC);
  set(doc, 'iptables.ttl', toInt(kv.TTL));
  set(doc, 'iptables.id', toInt(kv.ID));
  set(doc, 'iptables.tcp.window', toInt(kv.WINDOW));
  set(doc, 'iptables.tcp.reserved_bits', kv.RES);
  set(doc, 'iptables.icmp.type', toInt(kv.TYPE));
  set(doc, 'iptables.icmp.code', toInt(kv.CODE));
  if (words.has('DF')) set(doc, 'iptables.fragment_flags', 'DF');
  const flags = FLAGS.filter((f) => words.has(f));
  if (proto === 'tcp' && flags.length) set(doc, 'iptables.tcp.flags', flags);
  set(doc, 'network.bytes', toInt(kv.LEN));
  if (kv.MARK) set(doc, 'iptables.mark', kv.MARK);
}

export const iptables: Parser = {
  name: 'iptables',
  dataset: 'iptables.log',
  observer: { vendor: 'Linux', product: 'netfilter', type: 'firewall' },
  detect: (line) => line.includes(' SRC=') && BODY.test(line),
  parseLine(doc, line, h) {
    const m = BODY.exec(h.message) ?? BODY.exec(line);
    if (!m) throw new ParseFailure(`netfilter line needs IN= OUT= SRC= DST= at ${excerpt(line)}`);
    const [, inIf, outIf, mac, src, dst, rest] = m;
    const msg = m.input;
    // the rule's log-prefix: what stands between the kernel uptime stamp and IN=
    const prefix = msg.slice(0, m.index).replace(/^\s*(?:kernel:\s*)?(?:\[\s*\d+\.\d+\]\s*)?/, '').trim();
    set(doc, 'observer.vendor', 'Linux');
    set(doc, 'observer.product', 'netfilter');
    set(doc, 'observer.type', 'firewall');
    if (inIf) set(doc, 'observer.ingress.interface.name', inIf);
    if (outIf) set(doc, 'observer.egress.interface.name', outIf);
    setEndpoint(doc, 'source', src);
    setEndpoint(doc, 'destination', dst);
    setMacs(doc, mac);
    packet(doc, rest);
    if (prefix) set(doc, 'iptables.prefix', prefix);
    const edge = EDGEOS.exec(prefix);
    if (edge) {
      set(doc, 'rule.ruleset', edge[1]);
      set(doc, 'rule.id', edge[2]);
      set(doc, 'rule.name', `${edge[1]}-${edge[2]}`);
    } else if (prefix) set(doc, 'rule.name', prefix.replace(/^\[|\]$|:$/g, '').trim());
    append(doc, 'event.category', 'network');
    const v = verdict(prefix);
    append(doc, 'event.type', 'connection', ...(v ? [v] : []));
    if (v) {
      set(doc, 'event.action', v === 'allowed' ? 'accept' : 'drop');
      set(doc, 'event.outcome', 'success');
    }
    // INPUT (to the host itself) and OUTPUT (from it) chains, from the observer's side as ECS names them
    if (!inIf && outIf) set(doc, 'network.direction', 'egress');
    else if (inIf && !outIf) set(doc, 'network.direction', 'ingress');
    fillCommunityId(doc);
  },
};
