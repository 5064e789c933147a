/**
 * Cisco ASA / FTD / PIX / FWSM syslog (`%ASA-<level>-<id>: ...`) in the four framings seen in
 * the field (PRI + year header, BSD header, `LOCAL4.WARNING:` relay prefix, bare `host :`), including
 * `message repeated N times: [ ... ]`. Common message ids map to ECS as Elastic's cisco_asa.log does.
 */
import type { Parser, ResolvedContext } from './types';
import type { SyslogHeader } from './syslog';
import {
  Doc, LOG_LEVELS, ParseFailure, append, excerpt, fillCommunityId, get, lookupTable, parseTimestamp, set, setEndpoint, toInt,
} from './util';
import { connectionTimes, isSecurityEvent, mapSecurityEvent } from './cisco_ftd_security';
import { isVpnSession, mapVpnSession, setVpnUser } from './cisco_asa_vpn';
import { aclVerdict, categorize, finishAsa, setIface, setMapped, setTransport, setUserOrSgt } from './cisco_asa_ecs';
import { CATALOGUE, mapCatalogue } from './cisco_asa_catalogue';
import { setUrl } from './web_access';

// `%ASA-6-302013`, `%FTD-auth-6-113039` (FTD 7 names a facility in the tag), `%NGIPS-0-430003` (Firepower sensor)
// a relay that doubles the dash (`%FTD--6-852002`) still names the product, level and message id
const TAG = /%(ASA|FTD|FWSM|PIX|NGIPS)-{1,2}(?:([a-z]{2,12})-)?(\d)-(\d{6}):\s?/;
/** Cisco's level words as Elastic's pipelines write them (7 is `debug`, not syslog's `debugging`) */
const ASA_LEVELS = LOG_LEVELS.map((w, i) => (i === 7 ? 'debug' : w));
const TAGS = new RegExp(TAG.source, 'g');

type Fields = Record<string, string | undefined>;

interface Rule {
  re: RegExp;
  map(doc: Doc, m: RegExpExecArray, id: string): void;
}

/** `outside:10.0.0.1/53`, `v1:outside:10.0.0.1`, `10.0.0.1/137` */
const EP = '(?:(\\S+?):)?((?:[0-9a-fA-F:.]+?|[\\w.-]+?))(?:/(\\d+))?';

function denied(doc: Doc, transport: string | undefined, src: string[], dst: string[], iface?: string, direction?: string): void {
  setEndpoint(doc, 'source', src[1], src[2]);
  setEndpoint(doc, 'destination', dst[1], dst[2]);
  if (src[0]) setIface(doc, 'source', src[0]);
  if (dst[0]) setIface(doc, 'destination', dst[0]);
  if (iface) {
    set(doc, 'cisco.asa.source_interface', iface);
    set(doc, 'observer.ingress.interface.name', iface);
  }
  setTransport(doc, transport);
  if (direction) set(doc, 'network.direction', direction.toLowerCase());
  set(doc, 'event.action', 'firewall-rule');
  append(doc, 'event.category', 'network');
  append(doc, 'event.type', 'connection', 'denied');
  set(doc, 'event.outcome', 'failure');
}

function flow(doc: Doc, start: boolean): void {
  set(doc, 'event.action', start ? 'flow-creation' : 'flow-expiration');
  append(doc, 'event.category', 'network');
  append(doc, 'event.type', 'connection', start ? 'start' : 'end');
  set(doc, 'event.outcome', 'success');
}

/** threat detection's attack classes (Scanning, SYN Attack, DoS...): a drop rate exceeded for one of them is an alert */
const ATTACK_OBJECT = /scanning|syn attack|dos|attack|bad pkts|icmp flood/i;

function threatRate(doc: Doc): void {
  const object = get(doc, 'cisco.asa.burst.object');
  if (typeof object !== 'string' || !ATTACK_OBJECT.test(object)) return;
  set(doc, 'cisco.asa.threat_category', object.toLowerCase());
  set(doc, 'event.kind', 'alert');
  set(doc, 'event.action', 'threat-detected');
  append(doc, 'event.category', 'intrusion_detection');
}

/** After a teardown's bytes: `[reason] [from initiator] [(user)]`, read from the end (no backtracking over the text) */
function teardownTail(doc: Doc, tail: string): void {
  let rest = tail.trim();
  if (rest.endsWith(')')) {
    const open = rest.lastIndexOf('(');
    if (open >= 0) {
      set(doc, 'cisco.asa.termination_user', rest.slice(open + 1, -1));
      rest = rest.slice(0, open).trim();
    }
  }
  const from = rest.lastIndexOf(' from ');
  if (from >= 0 && !rest.slice(from + 6).includes(' ')) {
    set(doc, 'cisco.asa.termination_initiator', rest.slice(from + 6));
    rest = rest.slice(0, from).trim();
  }
  if (rest) {
    set(doc, 'event.reason', rest);
    set(doc, 'cisco.asa.termination_reason', rest);
  }
}

function durationNs(d: string): number | undefined {
  const m = /^(\d+):(\d{2}):(\d{2})$/.exec(d);
  return m ? ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 1e9 : undefined;
}

/** a session that ended at the event's time (`end`) after event.duration */
function sessionTimes(doc: Doc, end: string | undefined): void {
  const ns = get(doc, 'event.duration');
  const t = end ? Date.parse(end) : NaN;
  if (typeof ns !== 'number' || Number.isNaN(t)) return;
  set(doc, 'event.end', new Date(t).toISOString());
  set(doc, 'event.start', new Date(t - ns / 1e6).toISOString());
}

function splitEp(s: string): string[] {
  const m = new RegExp(`^${EP}$`).exec(s);
  return m ? [m[1], m[2], m[3]] : [undefined as unknown as string, s, undefined as unknown as string];
}

const RULES: Record<string, Rule[]> = {};
function rule(ids: string[], re: RegExp, map: Rule['map']): void {
  for (const id of ids) (RULES[id] ??= []).push({ re, map });
}

rule(['106001'], /^(Inbound|Outbound) (TCP|UDP) connection denied from (\S+)\/(\d+) to (\S+)\/(\d+) flags (.*?) on interface (\S+)/, (doc, m) => {
  denied(doc, m[2], ['', m[3], m[4]], ['', m[5], m[6]], m[8], m[1]);
  set(doc, 'cisco.asa.tcp_flags', m[7]);
});
rule(['106006', '106007'], /^Deny (inbound|outbound) (UDP|TCP) from (\S+?)\/(\d+) to (\S+?)\/(\d+)(?: due to .*?)? on interface (\S+)/, (doc, m) => {
  denied(doc, m[2], ['', m[3], m[4]], ['', m[5], m[6]], m[7], m[1]);
});
rule(['106010'], /^Deny (inbound|outbound) (?:protocol )?(\S+) src (\S+) dst (\S+)/, (doc, m) => {
  denied(doc, m[2], splitEp(m[3]), splitEp(m[4]), undefined, m[1]);
});
rule(['106014'], /^Deny (inbound|outbound) icmp src (\S+) dst (\S+?) ?\(type (\d+), code (\d+)\)/, (doc, m) => {
  denied(doc, 'icmp', splitEp(m[2]), splitEp(m[3]), undefined, m[1]);
  set(doc, 'cisco.asa.icmp_type', toInt(m[4]));
  set(doc, 'cisco.asa.icmp_code', toInt(m[5]));
});
rule(['106015'], /^Deny (TCP|UDP) \(no connection\) from (\S+?)\/(\d+) to (\S+?)\/(\d+) flags (.*?)\s+on interface (\S+)/, (doc, m) => {
  denied(doc, m[1], ['', m[2], m[3]], ['', m[4], m[5]], m[7]);
  set(doc, 'cisco.asa.tcp_flags', m[6]);
});
rule(['106017'], /^Deny IP due to Land Attack from (\S+) to (\S+)/, (doc, m) => denied(doc, undefined, ['', m[1], ''], ['', m[2], '']));
rule(['106012'], /^Deny IP from (\S+) to (\S+), (.*)$/, (doc, m) => {
  denied(doc, undefined, ['', m[1], ''], ['', m[2], '']);
  set(doc, 'event.reason', m[3]);
});
rule(['106016'], /^Deny IP spoof from \((\S+)\) to (\S+) on interface (\S+)/, (doc, m) => denied(doc, undefined, ['', m[1], ''], ['', m[2], ''], m[3]));
rule(['106022'], /^Deny (\S+) connection spoof from (\S+) to (\S+) on interface (\S+)/, (doc, m) => denied(doc, m[1], ['', m[2], ''], ['', m[3], ''], m[4]));
rule(['106021'], /^Deny (\S+) reverse path check from (\S+) to (\S+) on interface (\S+)/, (doc, m) => {
  denied(doc, m[1], ['', m[2], ''], ['', m[3], ''], m[4]);
});
// the ICMP type and code in parentheses, or (some releases) bare before a comma
// a user or security group tag may follow either address: `src inside:10.0.0.5/5000(CORP\ana) dst ...`;
// the ICMP type and code in parentheses, or (some releases) bare before a comma
rule(['106023'], /^Deny (?:protocol )?(\S+) src (\S+?)(?:\s*\(([^()]*)\))? dst (\S+?)(?:\(([^()]*)\))?(?: \(type (\d+), code (\d+)\)| type (\d+), code (\d+),)? by access-group "([^"]*)"/, (doc, m) => {
  denied(doc, m[1], splitEp(m[2]), splitEp(m[4]));
  setUserOrSgt(doc, 'source', m[3]);
  setUserOrSgt(doc, 'destination', m[5]);
  const [type, code, acl] = [m[6] ?? m[8], m[7] ?? m[9], m[10]];
  if (acl) {
    set(doc, 'rule.name', acl);
    set(doc, 'cisco.asa.rule_name', acl);
  }
  if (type) {
    set(doc, 'cisco.asa.icmp_type', toInt(type));
    set(doc, 'cisco.asa.icmp_code', toInt(code));
  }
});
rule(['106100'], /^access-list (\S+) (permitted|denied|est-allowed) (\S+) (\S+?)\/((?:[0-9a-fA-F:.]+|[\w.-]+))\((\d+)\)(?:\(.*?\))? -> (\S+?)\/((?:[0-9a-fA-F:.]+|[\w.-]+))\((\d+)\)(?:\(.*?\))? hit-cnt (\d+)/, (doc, m, id) => {
  setEndpoint(doc, 'source', m[5], m[6]);
  setEndpoint(doc, 'destination', m[8], m[9]);
  setIface(doc, 'source', m[4]);
  setIface(doc, 'destination', m[7]);
  setTransport(doc, m[3]);
  set(doc, 'rule.name', m[1]);
  set(doc, 'cisco.asa.rule_name', m[1]);
  categorize(doc, id, aclVerdict(m[2]));
});
// access-list … for user <name>: the connection of an authenticated (cut-through proxy) user
rule(['106102', '106103'], /^access-list (\S+) (permitted|denied) (\S+) for user '?(.*?)'? (\S+?)\/(\S+?)\((\d+)\) -> (\S+?)\/(\S+?)\((\d+)\)/, (doc, m) => {
  setEndpoint(doc, 'source', m[6], m[7]);
  setEndpoint(doc, 'destination', m[9], m[10]);
  setIface(doc, 'source', m[5]);
  setIface(doc, 'destination', m[8]);
  setTransport(doc, m[3]);
  set(doc, 'rule.name', m[1]);
  set(doc, 'cisco.asa.rule_name', m[1]);
  if (m[4]) set(doc, 'user.name', m[4]);
  set(doc, 'event.action', 'firewall-rule');
  append(doc, 'event.category', 'network');
  const ok = m[2] === 'permitted';
  append(doc, 'event.type', 'connection', ok ? 'allowed' : 'denied');
  set(doc, 'event.outcome', ok ? 'success' : 'failure');
});
rule(['313009'], /^Denied invalid ICMP code (\d+), for (\S+?):(\S+?)\/(\d+) \((\S+?)\/(\d+)\) to (\S+?):(\S+?)\/(\d+) \((\S+?)\/(\d+)\)(?:, ICMP id (\d+), ICMP type (\d+))?/, (doc, m) => {
  denied(doc, 'icmp', [m[2], m[3], m[4]], [m[7], m[8], m[9]]);
  set(doc, 'cisco.asa.icmp_code', toInt(m[1]));
  set(doc, 'cisco.asa.mapped_source_ip', m[5]);
  set(doc, 'cisco.asa.mapped_source_port', toInt(m[6]));
  set(doc, 'cisco.asa.mapped_destination_ip', m[10]);
  set(doc, 'cisco.asa.mapped_destination_port', toInt(m[11]));
  if (m[13]) set(doc, 'cisco.asa.icmp_type', toInt(m[13]));
});
// SIP inspection opens a pinhole from the called party back to the caller
rule(['607001'], /^Pre-allocate SIP (.*?) secondary channel for (\S+?):([^\s/]+)(?:\/(\d+))? to (\S+?):([^\s/]+)(?:\/(\d+))? from (\S+) message/, (doc, m) => {
  setEndpoint(doc, 'source', m[6], m[7]);
  setEndpoint(doc, 'destination', m[3], m[4]);
  setIface(doc, 'source', m[5]);
  setIface(doc, 'destination', m[2]);
  setTransport(doc, /\b(UDP|TCP)\b/i.exec(m[1])?.[1]);
  set(doc, 'cisco.asa.connection_type', m[1]);
  set(doc, 'cisco.asa.message', m[8]);
  set(doc, 'event.action', 'firewall-rule');
  append(doc, 'event.category', 'network');
  append(doc, 'event.type', 'info');
});
rule(['302013', '302015', '302017', '302303'], /^Built (inbound|outbound) (\S+) connection (\d+) for (\S+?):((?:[0-9a-fA-F:.]+|[\w.-]+))\/(\d+) \(((?:[0-9a-fA-F:.]+|[\w.-]+))\/(\d+)\)(?:\(([^()]*)\))? to (\S+?):((?:[0-9a-fA-F:.]+|[\w.-]+))\/(\d+) \(((?:[0-9a-fA-F:.]+|[\w.-]+))\/(\d+)\)(?:\(([^()]*)\))?(?: \(([^()]*)\))?/, (doc, m) => {
  const dir = m[1];
  // the first address is the peer on the lower-security side; outbound flows start from the second
  const a = { iface: m[4], ip: m[5], port: m[6], nip: m[7], nport: m[8], user: m[9] };
  const b = { iface: m[10], ip: m[11], port: m[12], nip: m[13], nport: m[14], user: m[15] };
  const [src, dst] = dir === 'outbound' ? [b, a] : [a, b];
  setEndpoint(doc, 'source', src.ip, src.port);
  setEndpoint(doc, 'destination', dst.ip, dst.port);
  // the mapped pair is always logged, translated or not
  setMapped(doc, 'source', src.nip, src.nport);
  setMapped(doc, 'destination', dst.nip, dst.nport);
  setIface(doc, 'source', src.iface);
  setIface(doc, 'destination', dst.iface);
  setUserOrSgt(doc, 'source', src.user);
  setUserOrSgt(doc, 'destination', dst.user);
  if (m[16]) set(doc, 'cisco.asa.termination_user', m[16]);
  setTransport(doc, m[2]);
  set(doc, 'network.direction', dir);
  set(doc, 'cisco.asa.connection_id', m[3]);
  flow(doc, true);
});
// `... duration 0:01:05 bytes 10240 TCP FINs from inside (CORP\ana)`: reason, the side that ended it, the user who did
rule(['302014', '302016', '302018', '302036', '302304', '302306'], /^Teardown (\S+) (?:state-bypass )?connection (\S+) (?:for|from) (\S+?):((?:[0-9a-fA-F:.]+|[\w.-]+))\/(\d+)\s*(?:\(([^()]*)\))? to (\S+?):((?:[0-9a-fA-F:.]+|[\w.-]+))\/(\d+)\s*(?:\(([^()]*)\))? ?duration (\S+) bytes (\d+)(.*)$/, (doc, m) => {
  setEndpoint(doc, 'source', m[4], m[5]);
  setEndpoint(doc, 'destination', m[8], m[9]);
  setIface(doc, 'source', m[3]);
  setIface(doc, 'destination', m[7]);
  setUserOrSgt(doc, 'source', m[6]);
  setUserOrSgt(doc, 'destination', m[10]);
  setTransport(doc, m[1]);
  set(doc, 'cisco.asa.connection_id', m[2]);
  set(doc, 'event.duration', durationNs(m[11]));
  set(doc, 'network.bytes', toInt(m[12]));
  teardownTail(doc, m[13]);
  flow(doc, false);
});
rule(['302020', '302021'], /^(Built|Teardown) (inbound|outbound)? ?(ICMP|ICMPv6) connection for faddr ((?:[0-9a-fA-F:.]+|[\w.-]+))\/(\d+)(?:\(.*?\))? gaddr ((?:[0-9a-fA-F:.]+|[\w.-]+))\/(\d+) laddr ((?:[0-9a-fA-F:.]+|[\w.-]+))\/(\d+)(?:\(.*?\))?(?: type (\d+) code (\d+))?/, (doc, m) => {
  const [, verb, dir, proto, faddr, , gaddr, , laddr] = m;
  // a teardown names no direction: the foreign address is the destination, the local one the source (Elastic's reading)
  if (dir === 'outbound' || !dir) {
    setEndpoint(doc, 'source', laddr);
    setEndpoint(doc, 'destination', faddr);
    setMapped(doc, 'source', gaddr, undefined);
  } else {
    setEndpoint(doc, 'source', faddr);
    setEndpoint(doc, 'destination', laddr);
    setMapped(doc, 'destination', gaddr, undefined);
  }
  if (gaddr) {
    const ips = [get(doc, 'source.ip'), get(doc, 'destination.ip'), gaddr];
    (doc.related as Doc | undefined) ??= {};
    for (const ip of ips) if (typeof ip === 'string') append(doc, 'related.ip', ip);
  }
  if (dir) set(doc, 'network.direction', dir);
  // Elastic reads the protocol word of a Built message as network.type, of a Teardown as network.transport
  if (verb === 'Built') {
    set(doc, 'network.type', proto.toLowerCase());
    set(doc, 'network.protocol', proto.toLowerCase());
  }
  else setTransport(doc, /6/.test(proto) ? 'ipv6-icmp' : 'icmp');
  if (m[10] !== undefined) {
    set(doc, 'cisco.asa.icmp_type', toInt(m[10]));
    set(doc, 'cisco.asa.icmp_code', toInt(m[11]));
  }
  flow(doc, verb === 'Built');
});
// the real address, then (as Elastic reads it) the translated one as destination; source.nat.* says the same as NAT
rule(['305011', '305012'], /^(Built|Teardown) (dynamic|static) (\S+) translation from (\S+?):((?:[0-9a-fA-F:.]+|[\w.-]+))(?:\/(\d+))?(?:\s*\(([^()]*)\))? to (\S+?):((?:[0-9a-fA-F:.]+|[\w.-]+))(?:\/(\d+))?(?: duration (\S+))?/, (doc, m) => {
  setEndpoint(doc, 'source', m[5], m[6]);
  setEndpoint(doc, 'destination', m[9], m[10]);
  set(doc, 'source.nat.ip', m[9]);
  set(doc, 'source.nat.port', toInt(m[10]));
  setUserOrSgt(doc, 'source', m[7]);
  setIface(doc, 'source', m[4]);
  setIface(doc, 'destination', m[8]);
  setTransport(doc, m[3]);
  if (m[11]) set(doc, 'event.duration', durationNs(m[11]));
});
// `[user@]client Accessed [JAVA ]URL server:url`: the last word is the server and the URL
rule(['304001'], /^(?:(\S+)@)?([0-9a-fA-F:.]+)(?:\([^()]*\))? (.*) (\S+)$/, (doc, m) => {
  const target = /^(?:[^@\s]+@)?([\w.-]+):(.+)$/.exec(m[4]);
  if (!target) return;
  if (m[1]) set(doc, 'source.user.name', m[1]);
  setEndpoint(doc, 'source', m[2]);
  setEndpoint(doc, 'destination', target[1]);
  setUrl(doc, target[2]);
});
rule(['434002', '434004'], /^SFR requested (?:\S+ )?to (?:drop|bypass further packet redirection and process) (\S+) (?:packet|flow) from (\S+?):(\S+)\/(\d+) to (\S+?):(\S+)\/(\d+)/, (doc, m) => {
  setEndpoint(doc, 'source', m[3], m[4]);
  setEndpoint(doc, 'destination', m[6], m[7]);
  setIface(doc, 'source', m[2]);
  setIface(doc, 'destination', m[5]);
  setTransport(doc, m[1]);
});
// 313008 is the IPv6 twin: `Denied IPv6-ICMP type=134, code=0 from fe80::1 on interface outside`
rule(['313001', '313008'], /^Denied (ICMP|IPv6-ICMP|ICMPv6) type=(\d+),? (?:code=(\d+),? )?from (\S+) on interface (\S+)/i, (doc, m) => {
  denied(doc, /6/.test(m[1]) ? 'ipv6-icmp' : 'icmp', ['', m[4], ''], ['', '', ''], m[5]);
  set(doc, 'cisco.asa.icmp_type', toInt(m[2]));
  if (m[3]) set(doc, 'cisco.asa.icmp_code', toInt(m[3]));
});
rule(['313004'], /^Denied ICMP type=(\d+), from (?:laddr )?(\S+) on interface (\S+) to (\S+):/, (doc, m) => {
  denied(doc, 'icmp', ['', m[2], ''], ['', m[4], ''], m[3]);
});
rule(['710003'], /^(TCP|UDP) access denied by ACL from (\S+?)\/(\d+) to (\S+?):((?:[0-9a-fA-F:.]+|[\w.-]+))\/(\d+)/, (doc, m) => {
  denied(doc, m[1], ['', m[2], m[3]], [m[4], m[5], m[6]]);
});
rule(['710002', '710005'], /^(TCP|UDP) (?:access permitted|request discarded) from (\S+?)\/(\d+) to (\S+?):((?:[0-9a-fA-F:.]+|[\w.-]+))\/(\S+)/, (doc, m, id) => {
  setEndpoint(doc, 'source', m[2], m[3]);
  setEndpoint(doc, 'destination', m[5], m[6]);
  setIface(doc, 'destination', m[4]);
  setTransport(doc, m[1]);
  append(doc, 'event.category', 'network');
  append(doc, 'event.type', 'connection', id === '710002' ? 'allowed' : 'denied');
});
rule(['113004', '113005', '113015'], /^AAA user (authentication|authorization) (Successful|Rejected)\s*:\s*(?:reason = (.*?) : )?(?:local database : )?server\s*=\s*(\S+)\s*:\s*user\s*=\s*(.*?)(?:\s*:\s*user IP\s*=\s*(\S+))?\s*$/, (doc, m) => {
  const ok = m[2] === 'Successful';
  set(doc, 'cisco.asa.aaa_type', m[1]);
  set(doc, 'event.action', ok ? 'logon-success' : 'logon-failed');
  append(doc, 'event.category', 'authentication');
  append(doc, 'event.type', 'info');
  set(doc, 'event.outcome', ok ? 'success' : 'failure');
  set(doc, 'event.reason', m[3]);
  setEndpoint(doc, 'destination', m[4]);
  set(doc, 'source.user.name', m[5]);
  set(doc, 'user.name', m[5]);
  setEndpoint(doc, 'source', m[6]);
});
// as Elastic reads it: the VPN client's address is the destination (the firewall reports the session it served); client.* names it too
rule(['113019'], /^Group = (.*?), Username = (.*?), IP = (\S+), Session disconnected\. Session Type: (.*?), Duration: (.*?), Bytes xmt: (\d+), Bytes rcv: (\d+), Reason: (.*)$/, (doc, m) => {
  setVpnUser(doc, m[2]);
  setEndpoint(doc, 'destination', m[3]);
  setEndpoint(doc, 'client', m[3]);
  set(doc, 'source.user.group.name', m[1]);
  set(doc, 'cisco.asa.group', m[1]);
  set(doc, 'cisco.asa.session_type', m[4]);
  const d = /^(?:(\d+)d\s*)?(\d+)h:(\d+)m:(\d+)s$/.exec(m[5].trim());
  if (d) set(doc, 'event.duration', (((+(d[1] ?? 0) * 24 + +d[2]) * 60 + +d[3]) * 60 + +d[4]) * 1e9);
  const xmt = toInt(m[6]);
  const rcv = toInt(m[7]);
  set(doc, 'source.bytes', xmt);
  set(doc, 'destination.bytes', rcv);
  if (xmt !== undefined && rcv !== undefined) set(doc, 'network.bytes', xmt + rcv);
  set(doc, 'event.reason', m[8]);
  set(doc, 'event.action', 'client-vpn-disconnected');
  append(doc, 'event.category', 'network');
  append(doc, 'event.type', 'connection', 'end');
});
rule(['605004', '605005'], /^Login (denied|permitted) from (\S+?)\/(\S+) to (\S+?):((?:[0-9a-fA-F:.]+|[\w.-]+))\/(\S+) for user "(.*?)"/, (doc, m) => {
  const ok = m[1] === 'permitted';
  setEndpoint(doc, 'source', m[2], m[3]);
  setEndpoint(doc, 'destination', m[5]);
  set(doc, 'network.protocol', m[6]);
  set(doc, 'user.name', m[7]);
  set(doc, 'source.user.name', m[7]);
  set(doc, 'event.action', ok ? 'logon-success' : 'logon-failed');
  append(doc, 'event.category', 'authentication');
  append(doc, 'event.type', ok ? 'start' : 'info');
  set(doc, 'event.outcome', ok ? 'success' : 'failure');
});
rule(['611101', '611102'], /^User authentication (succeeded|failed): (?:IP address: |Uname: )?(\S+?)\s*(?:,|:).*?Uname: (\S+)/, (doc, m) => {
  const ok = m[1] === 'succeeded';
  setEndpoint(doc, 'source', m[2]);
  set(doc, 'user.name', m[3]);
  set(doc, 'event.action', ok ? 'logon-success' : 'logon-failed');
  append(doc, 'event.category', 'authentication');
  append(doc, 'event.type', 'info');
  set(doc, 'event.outcome', ok ? 'success' : 'failure');
});
rule(['111008', '111010'], /^User '(.*?)'(?:, running '.*?' from IP (\S+),)? executed (?:the )?'(.*?)'/, (doc, m) => {
  set(doc, 'user.name', m[1]);
  setEndpoint(doc, 'source', m[2]);
  set(doc, 'cisco.asa.command_line_arguments', m[3]);
  set(doc, 'event.action', 'command-executed');
  append(doc, 'event.category', 'configuration');
  append(doc, 'event.type', 'change');
});
// as Elastic reads Cisco's IKEv2 family (7500xx, 751025): Local (the firewall) is the source, Remote the destination;
// client.* and server.* say which end is the VPN client
rule(['751025'], /^Local:(\S+):(\d+) Remote:(\S+):(\d+) Username:(\S+)(?: (IKEv[12]))? Group:(\S+) IPv4 Address=(\S+) IPv6 address=(\S+) assigned to session/, (doc, m) => {
  setEndpoint(doc, 'source', m[1], m[2]);
  setEndpoint(doc, 'destination', m[3], m[4]);
  setEndpoint(doc, 'client', m[3], m[4]);
  setEndpoint(doc, 'server', m[1], m[2]);
  setVpnUser(doc, m[5]);
  set(doc, 'cisco.asa.tunnel_group', m[7]);
  set(doc, 'cisco.asa.group_policy', m[7]);
  set(doc, 'network.protocol', m[6]?.toLowerCase());
  if (/^[0-9.]+$/.test(m[8]) && !m[8].startsWith('invalid')) set(doc, 'cisco.asa.assigned_ip', m[8]);
  if (!m[9].startsWith('invalid')) set(doc, 'cisco.asa.assigned_ipv6', m[9]);
  set(doc, 'event.action', 'vpn-address-assigned');
  append(doc, 'event.category', 'network');
  append(doc, 'event.type', 'start');
  set(doc, 'event.outcome', 'success');
});
// `[ Scanning] drop rate-1 exceeded...`: the object is a threat-detection category, a host or a user
rule(['750002', '750003'], /^Local:(\S+):(\d+) Remote:(\S+):(\d+) Username:(\S+) (.*?)(?: ERROR:\s*(.*))?$/, (doc, m) => {
  setEndpoint(doc, 'source', m[1], m[2]);
  setEndpoint(doc, 'destination', m[3], m[4]);
  setEndpoint(doc, 'client', m[3], m[4]);
  setEndpoint(doc, 'server', m[1], m[2]);
  set(doc, 'user.name', m[5]);
  set(doc, 'event.reason', m[7] ? `${m[6]} ${m[7]}` : m[6]);
});
rule(['733100'], /^\[\s*(.*?)\] drop (\S+) exceeded\. Current burst rate is (\d+) per second, max configured rate is (\d+); Current average rate is (\d+) per second, max configured rate is (\d+); Cumulative total count is (\d+)/, (doc, m) => {
  // as Elastic: the rates as logged (strings)
  // rsyslog writes a control character in the object as #ooo (`alice#012`)
  const burst = { object: m[1].replace(/#[0-3][0-7]{2}/g, ' ').trim(), id: m[2], current_rate: m[3], configured_rate: m[4], avg_rate: m[5], configured_avg_rate: m[6], cumulative_count: m[7] };
  for (const [k, v] of Object.entries(burst)) set(doc, `cisco.asa.burst.${k}`, v);
});
rule(['400013', '400014', '400015', '400023', '400032', '400035', '400041', '400044', '400048'], /^IDS:(\d+) (.*?) from (\S+) to (\S+) on interface (\S+)/, (doc, m) => {
  set(doc, 'rule.id', m[1]);
  set(doc, 'rule.name', m[2]);
  setEndpoint(doc, 'source', m[3]);
  setEndpoint(doc, 'destination', m[4]);
  set(doc, 'observer.ingress.interface.name', m[5]);
  set(doc, 'event.kind', 'alert');
  set(doc, 'event.action', 'intrusion-detected');
  append(doc, 'event.category', 'intrusion_detection', 'network');
  append(doc, 'event.type', 'info');
});

// `10.0.0.5 end configuration: OK` / `: FAILED`: a configuration session's outcome
rule(['111004'], /^(\S+) end configuration: (\S+)/, (doc, m) => {
  setEndpoint(doc, 'source', m[1]);
  const ok = m[2].toLowerCase() !== 'failed';
  set(doc, 'event.category', ['configuration']);
  set(doc, 'event.type', [ok ? 'change' : 'info']);
  set(doc, 'event.outcome', ok ? 'success' : 'failure');
  set(doc, 'event.action', 'configuration');
});
// the catalogue's one-pattern messages, after the richer rules above
for (const e of CATALOGUE) {
  rule(e.ids, e.re, (doc, m) => {
    const secs = mapCatalogue(doc, e, m);
    if (secs !== undefined) set(doc, 'event.duration', secs * 1e9);
  });
}

/**
 * A line of a source pinned to cisco_asa/cisco_ftd without a %ASA-n-id tag (a relay that drops it, a message
 * sent before the tag was enabled): the device and product are known, the message id is not, so it is partial.
 */
function untagged(doc: Doc, line: string, h: SyslogHeader, ctx: ResolvedContext): void {
  if (ctx.dataset !== 'cisco_asa.log' && ctx.dataset !== 'cisco_ftd.log') throw new ParseFailure(`no %ASA-<level>-<id>: tag in ${excerpt(line)}`);
  delete doc.process;
  if (h.hostname) set(doc, 'observer.hostname', h.hostname);
  set(doc, 'observer.vendor', 'Cisco');
  set(doc, 'observer.product', ctx.dataset === 'cisco_ftd.log' ? 'ftd' : 'asa');
  set(doc, 'observer.type', ctx.dataset === 'cisco_ftd.log' ? 'idps' : 'firewall');
  set(doc, 'message', (h.message ?? line).replace(/^:\s*/, ''));
  set(doc, 'tags', ['partial', 'cisco_asa_parse_failure']);
  set(doc, 'error.message', `cisco_asa: no %ASA-<level>-<id>: tag, the message id is unknown: ${excerpt(line)}`);
}

/** Elastic's ASA zone words (`[APMCE][SD]T`, UTC) after the device's own date: the US zones, fixed offsets */
const ZONE_OFFSETS: Record<string, string> = lookupTable({
  AST: '-04:00', ADT: '-03:00', EST: '-05:00', EDT: '-04:00', CST: '-06:00', CDT: '-05:00', MST: '-07:00', MDT: '-06:00', PST: '-08:00', PDT: '-07:00', UTC: 'Z',
});
const DEVICE_DATE = /(?:^|\s)((?:[A-Z][a-z]{2} )?[A-Z][a-z]{2} +\d{1,2}(?: \d{4})? \d{1,2}:\d{2}:\d{2}) ([APMCE][SD]T|UTC)$/;

/** `host : Sep 25 15:47:07 EDT: %ASA-...`: the device wrote its own time with a zone word, which wins over the relay's */
function deviceTime(doc: Doc, before: string, ctx: ResolvedContext): void {
  const m = DEVICE_DATE.exec(before.slice(-48));
  if (!m) return;
  const t = parseTimestamp(`${m[1].replace(/^[A-Z][a-z]{2} (?=[A-Z])/, '')} ${ZONE_OFFSETS[m[2]]}`, ctx);
  if (!t) return;
  set(doc, '@timestamp', t);
  set(doc, 'event.timezone', m[2]);
}

export const ciscoAsa: Parser = {
  name: 'cisco_asa',
  dataset: 'cisco_asa.log',
  observer: { vendor: 'Cisco', type: 'firewall' },
  detect: (line) => TAG.test(line),
  parseLine(doc, line, h, ctx) {
    const tags = [...line.matchAll(TAGS)];
    if (!tags.length) return untagged(doc, line, h, ctx);
    const first = tags[0];
    const last = tags[tags.length - 1];
    const product = first[1] === 'NGIPS' ? 'ftd' : first[1].toLowerCase();
    // Elastic's cisco_ftd package keeps vendor fields under cisco.ftd; an FTD line pinned to cisco_asa under cisco.asa
    const ftd = product === 'ftd' && ctx.dataset !== 'cisco_asa.log';
    const level = Number(first[3]);
    const id = first[4];
    if (first[2]) set(doc, 'cisco.asa.suffix', first[2]);
    let msg = line.slice(last.index! + last[0].length);
    // the device name: header hostname, or the word before the tag (`fw-1 %ASA`, `host : %ASA`)
    const before = line.slice(0, first.index!).replace(/\s*:?\s*$/, '');
    deviceTime(doc, before, ctx);
    let host = h.hostname;
    if (!host || h.timestamp === undefined) {
      const prefix = /^(?:[A-Z0-9]+\.[A-Z]+:\s+)?(\S+)$/.exec(before.replace(/^<\d+>/, '').trim());
      if (prefix && !/^[A-Z][a-z]{2}$/.test(prefix[1])) host = prefix[1];
    }
    const facilityPrefix = /^([A-Z0-9]+)\.([A-Z]+):/.exec(line);
    // the %ASA-n-id tag is not an application name; a Firepower sensor's `Alerts` before it is
    const syslog = (doc.log as Doc | undefined)?.syslog as Doc | undefined;
    if (syslog && typeof syslog.appname === 'string' && syslog.appname.startsWith('%')) delete syslog.appname;
    // a relay's program name in the header (`host CiscoASA[999]: %ASA-...`) is the process; the %ASA tag is not
    if (!(h.appname && /^[A-Za-z][\w.-]*$/.test(h.appname) && h.appname !== host)) delete doc.process;
    const sensorProcess = first[1] === 'NGIPS' ? /(?:^|\s)([A-Za-z][\w-]*)$/.exec(before)?.[1] : undefined;
    if (sensorProcess && sensorProcess !== host) set(doc, 'process.name', sensorProcess);
    if (facilityPrefix) set(doc, 'log.syslog.facility.name', facilityPrefix[1].toLowerCase());
    const rep = /^message repeated (\d+) times: \[\s*(.*?)\s*\]\s*$/.exec(msg);
    if (rep) {
      set(doc, 'cisco.asa.message_repeats', Number(rep[1]));
      msg = rep[2];
    }
    set(doc, 'message', msg.trim());
    delete doc.host;
    if (host) {
      set(doc, 'host.hostname', host);
      set(doc, 'observer.hostname', host);
    }
    set(doc, 'observer.vendor', 'Cisco');
    // a source pinned to cisco_asa is an ASA (Elastic's package constant), whatever its software names itself
    const observed = ctx.dataset === 'cisco_asa.log' ? 'asa' : product;
    set(doc, 'observer.product', observed);
    set(doc, 'observer.type', observed === 'ftd' ? 'idps' : 'firewall');
    set(doc, 'event.code', id);
    set(doc, 'event.severity', level);
    set(doc, 'log.level', ASA_LEVELS[level]);
    // ASA messages are short; the field patterns are not run on oversized (hostile) text
    if (isSecurityEvent(id)) {
      if (!mapSecurityEvent(doc, id, msg.trim(), 'cisco.asa')) throw new ParseFailure(`message ${id} holds no "Key: value" field: ${excerpt(msg)}`);
      connectionTimes(doc, 'cisco.asa', h.timestamp ? parseTimestamp(h.timestamp, ctx) : undefined);
    }
    if (isVpnSession(id) && msg.length <= 4096) mapVpnSession(doc, id, msg.trim());
    const rules = msg.length <= 4096 ? RULES[id] ?? [] : [];
    const read = rules.some((r) => {
      const m = r.re.exec(msg.trim());
      if (m) r.map(doc, m, id);
      return m !== null;
    });
    // a message whose documented shape did not match (cut short, another firmware's wording): what the tag says, marked partial
    if (rules.length && !read) {
      set(doc, 'tags', ['partial', 'cisco_asa_parse_failure']);
      set(doc, 'error.message', `cisco_asa: message ${id} is not in the shape Cisco's catalogue gives it, its fields are not read: ${excerpt(msg)}`);
    }
    categorize(doc, id);
    // a flow, translation or session with a duration ended at the event's time
    if (!isSecurityEvent(id) && get(doc, 'event.duration') !== undefined) sessionTimes(doc, h.timestamp ? parseTimestamp(h.timestamp, ctx) : undefined);
    if (id === '733100') threatRate(doc);
    if (get(doc, 'event.outcome') === undefined && /\bdeny|denied\b/i.test(msg)) set(doc, 'event.outcome', 'failure');
    finishAsa(doc);
    fillCommunityId(doc);
    if (ftd) {
      const cisco = doc.cisco as Doc | undefined;
      if (cisco?.asa) {
        cisco.ftd = cisco.asa;
        delete cisco.asa;
      }
      set(doc, 'event.dataset', 'cisco_ftd.log');
    }
  },
};
