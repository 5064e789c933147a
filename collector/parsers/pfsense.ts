/**
 * pfSense / OPNsense: `filterlog` CSV (IPv4 and IPv6, TCP/UDP/ICMP), Snort alerts, and web GUI /
 * sshguard authentication failures. filterlog's positional layout depends on IP version and protocol.
 */
import type { Parser } from './types';
import { Doc, IANA_NUMBERS, ParseFailure, excerpt, fillCommunityId, get, set, setEndpoint, toInt } from './util';
import { parseFastAlert } from './snort';

function filterlog(doc: Doc, csv: string): void {
  const f = csv.split(',');
  if (f.length < 9) throw new ParseFailure(`filterlog needs at least 9 comma-separated fields, got ${f.length} at ${excerpt(csv)}`);
  const [ruleNum, subRule, anchor, tracker, iface, reason, action, dir, ipVersion] = f;
  set(doc, 'rule.id', tracker || undefined);
  set(doc, 'pfsense.rule_number', ruleNum || undefined);
  set(doc, 'pfsense.sub_rule', subRule || undefined);
  set(doc, 'pfsense.anchor', anchor || undefined);
  set(doc, 'observer.ingress.interface.name', iface);
  set(doc, 'event.reason', reason);
  set(doc, 'event.action', action);
  set(doc, 'network.direction', dir === 'in' ? 'inbound' : dir === 'out' ? 'outbound' : undefined);
  set(doc, 'event.category', ['network']);
  set(doc, 'event.type', ['connection', action === 'pass' ? 'allowed' : 'denied']);
  let i: number;
  let proto: string;
  if (ipVersion === '4') {
    const [tos, ecn, ttl, id, offset, flags, , protoText, length, src, dst] = f.slice(9, 20);
    set(doc, 'network.type', 'ipv4');
    set(doc, 'pfsense.ip.tos', tos || undefined);
    set(doc, 'pfsense.ip.ecn', ecn || undefined);
    set(doc, 'pfsense.ip.ttl', toInt(ttl));
    set(doc, 'pfsense.ip.id', toInt(id));
    set(doc, 'pfsense.ip.offset', toInt(offset));
    set(doc, 'pfsense.ip.flags', flags || undefined);
    proto = (protoText ?? '').toLowerCase();
    set(doc, 'network.bytes', toInt(length));
    setEndpoint(doc, 'source', src);
    setEndpoint(doc, 'destination', dst);
    i = 20;
  } else if (ipVersion === '6') {
    const [cls, flow, hop, protoText, , length, src, dst] = f.slice(9, 17);
    set(doc, 'network.type', 'ipv6');
    set(doc, 'pfsense.ip.tos', cls || undefined);
    set(doc, 'pfsense.ip.flow_label', flow || undefined);
    set(doc, 'pfsense.ip.flags', hop || undefined);
    proto = (protoText ?? '').toLowerCase();
    set(doc, 'network.bytes', toInt(length));
    setEndpoint(doc, 'source', src);
    setEndpoint(doc, 'destination', dst);
    i = 17;
  } else throw new ParseFailure(`filterlog IP version must be 4 or 6, got ${JSON.stringify(ipVersion)} at ${excerpt(csv)}`);
  if (proto) {
    set(doc, 'network.transport', proto);
    set(doc, 'network.iana_number', IANA_NUMBERS[proto] ?? f[ipVersion === '4' ? 15 : 13]);
  }
  if (proto === 'tcp' || proto === 'udp') {
    const sport = toInt(f[i]);
    const dport = toInt(f[i + 1]);
    if (sport !== undefined) set(doc, 'source.port', sport);
    if (dport !== undefined) set(doc, 'destination.port', dport);
    set(doc, 'pfsense.udp.length', proto === 'udp' ? toInt(f[i + 2]) : undefined);
    if (proto === 'tcp') {
      set(doc, 'pfsense.tcp.length', toInt(f[i + 2]));
      set(doc, 'pfsense.tcp.flags', f[i + 3] || undefined);
    }
  } else if (proto === 'ipv6-icmp' || proto === 'icmp') {
    const dl = /datalength=(\d+)/.exec(f.slice(i).join(','));
    if (dl) {
      set(doc, 'network.bytes', Number(dl[1]));
      set(doc, 'network.packets', Number(dl[1]));
    }
    set(doc, 'pfsense.icmp.type', f[i] && !f[i].includes('=') ? f[i] : undefined);
  }
  fillCommunityId(doc);
}

export const pfsense: Parser = {
  name: 'pfsense',
  dataset: 'pfsense.log',
  observer: { vendor: 'netgate', type: 'firewall' },
  detect: (_line, h) => h.appname === 'filterlog' || (h.appname === 'php-fpm' && /webConfigurator authentication error/.test(h.message)) || h.appname === 'sshguard',
  parseLine(doc, line, h) {
    set(doc, 'observer.vendor', 'netgate');
    set(doc, 'observer.type', 'firewall');
    if (h.hostname) set(doc, 'observer.name', h.hostname);
    delete doc.host;
    set(doc, 'event.provider', h.appname);
    const msg = h.message;
    if (h.appname === 'filterlog') return filterlog(doc, msg);
    if (h.appname === 'snort' || /^\[\d+:\d+:\d+\]/.test(msg)) {
      if (!parseFastAlert(doc, msg)) throw new ParseFailure(`not a Snort fast alert at ${excerpt(msg)}`);
      // pfSense's package names the alert parts differently from the snort package: keep both spellings
      // the ids lead the message, or (a relayed or damaged line) come later and were read by parseFastAlert
      const m = /^\[(\d+):(\d+):(\d+)\]/.exec(msg);
      if (m) {
        set(doc, 'snort.generator_id', m[1]);
        set(doc, 'snort.signature_id', m[2]);
        set(doc, 'snort.signature_revision', m[3]);
      }
      set(doc, 'snort.alert_message', get(doc, 'rule.description'));
      set(doc, 'snort.classification', get(doc, 'rule.category'));
      set(doc, 'snort.priority', get(doc, 'event.severity'));
      set(doc, 'network.protocol', get(doc, 'network.transport'));
      set(doc, 'message', msg);
      return;
    }
    const gui = /webConfigurator authentication error for user '([^']*)' from:? ([0-9a-fA-F:.]+)/.exec(msg);
    if (gui) {
      set(doc, 'user.name', gui[1]);
      setEndpoint(doc, 'source', gui[2]);
      set(doc, 'event.action', 'logon-failed');
      set(doc, 'event.category', ['authentication']);
      set(doc, 'event.type', ['start']);
      set(doc, 'event.outcome', 'failure');
      return;
    }
    const guard = /(?:Attack from|Blocking) "?([0-9a-fA-F:.]+)/.exec(msg);
    if (guard) {
      setEndpoint(doc, 'source', guard[1]);
      set(doc, 'event.action', 'attacker-blocked');
      set(doc, 'event.category', ['network', 'intrusion_detection']);
      set(doc, 'event.type', ['denied']);
      return;
    }
    set(doc, 'message', msg || line);
  },
};
