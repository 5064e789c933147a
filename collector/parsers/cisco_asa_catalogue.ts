/**
 * Cisco ASA/FTD messages of Cisco's syslog catalogue that Elastic's cisco_asa pipeline reads with one pattern
 * each (configuration, AAA, dynamic filter, SSL, IKE/IPsec, WebVPN, IP address assignment, flow offload):
 * a message id, the text's grammar anchored at its start, and the field each part goes to. Categorization is
 * cisco_asa_ecs.ts's table; the richer connection messages stay in cisco_asa.ts.
 */
import { Doc, normalizeMac, set, setEndpoint, toInt } from './util';
import { setIface, setMapped, setTransport, splitUser } from './cisco_asa_ecs';
import { setUrl } from './web_access';

/**
 * What a part of the text is: an endpoint role (src, dst, sport, dport, srcIf, dstIf, srcNat, srcNatPort, dstNat,
 * dstNatPort), a value with its own reading (transport, direction, hms, srcUser, mac, url, tls, dapRecords), `-`
 * (not kept), or an ECS/cisco.asa field path set as written.
 */
type Part = string;

export interface CatalogueEntry {
  ids: string[];
  re: RegExp;
  parts: Part[];
  /** fields every match of this entry sets (`network.transport: tcp` where the message names no protocol) */
  constants?: Record<string, string>;
}

const IFACE_EP = '(\\S+?):([^\\s/]+)\\/(\\d+)';
const EP_PORT = '([^\\s/]+)\\/(\\d+)';
const FLOW = ['srcIf', 'src', 'sport', 'dstIf', 'dst', 'dport'];
const MAPPED_FLOW = ['srcIf', 'src', 'sport', 'srcNat', 'srcNatPort', 'dstIf', 'dst', 'dport', 'dstNat', 'dstNatPort'];
const GROUP_USER_IP = '^Group <([^>]*)> User <([^>]*)> IP <([^>]*)>';

const entry = (ids: string[], re: RegExp, parts: Part[], constants?: Record<string, string>): CatalogueEntry => ({ ids, re, parts, constants });

export const CATALOGUE: readonly CatalogueEntry[] = [
  entry(['106002'], /^(\S+) Connection denied by (inbound|outbound) list (\S+) src (\S+) dest (\S+)/, ['transport', 'direction', 'cisco.asa.rule_name', 'src', 'dst']),
  entry(['106013'], /^Dropping echo request from (\S+) to PAT address (\S+)/, ['src', 'dst'], { 'network.transport': 'icmp', 'network.direction': 'inbound' }),
  entry(['106018'], /^(\S+) packet type (\d+) denied by (inbound|outbound) list (\S+) src (\S+) dest (\S+)/, ['transport', 'cisco.asa.icmp_type', 'direction', 'cisco.asa.rule_name', 'src', 'dst']),
  entry(['106020'], /^Deny IP teardrop fragment \(size = \d+, offset = \d+\) from (\S+) to (\S+)/, ['src', 'dst']),
  entry(['106027'], /^\S+ Deny src (\S+) dst (\S+) by access-group "([^"]*)"/, ['src', 'dst', 'cisco.asa.rule_name']),
  entry(['110002'], new RegExp(`^(.+?) for (\\S+) from ${IFACE_EP} to ${EP_PORT}`), ['event.reason', 'transport', 'srcIf', 'src', 'sport', 'dst', 'dport']),
  entry(['111007'], /^Begin configuration: (\S+) /, ['src']),
  entry(['111009'], /^\S+ '([^']+)' executed \S+ (.+)$/, ['server.user.name', 'cisco.asa.command_line_arguments']),
  entry(['113008'], /^AAA transaction status ACCEPT\s*: user = (.+)$/, ['srcUser']),
  entry(['113009'], /^AAA retrieved default group policy (\S+) for user (.+)$/, ['cisco.asa.group_policy', 'srcUser']),
  entry(['113012'], /^AAA user authentication Successful\s*: local database\s*: [Uu]ser = (.+)$/, ['srcUser']),
  entry(['113021'], /^Attempted console login failed\. User (\S+) did NOT have appropriate Admin Rights/, ['srcUser']),
  entry(['113022', '113023'], /^AAA Marking (\S+) server (\S+) in aaa-server group (\S+)/, ['network.protocol', 'dst', 'cisco.asa.aaa_group']),
  entry(['113040'], new RegExp(`${GROUP_USER_IP} Terminating the VPN connection attempt from <([^>]*)>\\.`), ['source.user.group.name', 'srcUser', 'src', 'cisco.asa.tunnel_group']),
  entry(['113040'], /^Terminating the VPN connection attempt from (\S+)\. Reason:/, ['source.user.group.name']),
  entry(['113029', '113030', '113031', '113032', '113033', '113034', '113035', '113036', '113037', '113038'],
    /^Group\s+<?([^<>\s]+)>?\s+User\s+<?([^<>\s]+)>?\s+IP\s+<?([^<>\s]+)>?/, ['source.user.group.name', 'srcUser', 'src']),
  // cluster stub flows (director, forwarder, backup): the mapped part is one word, sometimes malformed
  entry(['302022', '302024', '302026'], /^Built (?:\S+ +)?stub (\S+) connection for (\S+?):([^\s/]+)\/(\d+) \S+ to (\S+?):([^\s/]+)\/(\d+)/, ['transport', ...FLOW]),
  entry(['302023', '302025', '302027'], /^Teardown stub (\S+) connection for (\S+?):([^\s/]+)\/(\d+) to (\S+?):([^\s/]+)\/(\d+) duration (\S+) forwarded bytes (\d+)(?: (.*))?$/,
    ['transport', ...FLOW, 'hms', 'network.bytes', 'event.reason']),
  entry(['303002'], new RegExp(`^(\\S+) connection from ${IFACE_EP} to ${IFACE_EP}, user (\\S+) \\S+ file (.+)$`), ['network.protocol', ...FLOW, 'client.user.name', 'file.path']),
  // the original packet may be ICMP (its own type/code) or a bare protocol number; a user may follow the ICMP source
  entry(['313005'], /^No matching connection for ICMP error message: (\S+) src (\S+?):\S+ dst (\S+?):\S+ \(type (\d+), code (\d+)\) on \S+ interface\.\s*Original IP payload: \S+(?: \d+)? src ([^\s/]+?)(?:\/(\d+))? dst ([^\s/]+?)(?:\/(\d+))?(?: \(type \d+, code \d+\))?\.?$/,
    ['transport', 'srcIf', 'dstIf', 'cisco.asa.icmp_type', 'cisco.asa.icmp_code', 'src', 'sport', 'dst', 'dport']),
  entry(['315011'], /^SSH session from (\S+) on interface (\S+) for user (\S+) disconnected by SSH server, reason: (.+)$/, ['src', 'srcIf', 'srcUser', 'event.reason']),
  entry(['322001'], /^Deny MAC address (\S+), possible spoof attempt on interface (\S+)/, ['mac', 'srcIf']),
  // the botnet traffic filter: the listed side and the name or address it was resolved from
  entry(['338001', '338002', '338003', '338004', '338005', '338006', '338007', '338008', '338101', '338102', '338103', '338104', '338201', '338202', '338203', '338204'],
    new RegExp(`^Dynamic [Ff]ilter \\S+ (?:black|white|grey)listed (\\S+) traffic from ${IFACE_EP} \\(${EP_PORT}\\) to ${IFACE_EP} \\(${EP_PORT}\\),? (source|destination) \\S+ resolved from (\\S+) list: ([^,\\s]+)(?:, threat-level: (\\S+), category: (.+))?$`),
    ['transport', ...MAPPED_FLOW, 'listedSide', 'cisco.asa.rule_name', 'listedName', 'cisco.asa.threat_level', 'cisco.asa.threat_category']),
  entry(['338301'], new RegExp(`^Intercepted DNS reply for domain (\\S+) from ${IFACE_EP} to ${IFACE_EP}, matched (\\S+)`), ['source.domain', ...FLOW, 'cisco.asa.rule_name'], { dnsReply: '1' }),
  entry(['419002'], new RegExp(`^(.*?) ?from ${IFACE_EP} to ${IFACE_EP} (.*)$`), ['event.reason', ...FLOW, 'reasonTail'], { 'network.transport': 'tcp' }),
  entry(['425005'], /^Interface (\S+) become active in redundant interface (\S+)/, ['cisco.asa.interface_name', 'cisco.asa.redundant_interface_name']),
  entry(['502103'], /^User priv level changed: Uname: (\S+) From: (\d+) To: (\d+)/, ['server.user.name', 'cisco.asa.privilege.old', 'cisco.asa.privilege.new']),
  entry(['507003'], new RegExp(`^(\\S+) flow from ${IFACE_EP} to ${IFACE_EP} terminated by inspection engine, reason - (.+)$`), ['transport', ...FLOW, 'event.reason']),
  entry(['602303', '602304'], /^(\S+): An (inbound|outbound) (.+?) SA \(SPI= \S+\) between (\S+) and (\S+) \(user= ([^)]*)\) has been (?:created|deleted)/,
    ['network.type', 'direction', 'cisco.asa.tunnel_type', 'src', 'dst', 'user.name']),
  entry(['609001'], /^Built local-host (\S+?):(\S+)$/, ['srcIf', 'src']),
  entry(['609002'], /^Teardown local-host (\S+?):(\S+) duration (\S+)/, ['srcIf', 'src', 'hms']),
  entry(['611103'], /^User logged out: Uname: (\S+)/, ['user.name']),
  entry(['710006'], /^(\S+) request discarded from (\S+) to (\S+?):(\S+)$/, ['network.protocol', 'src', 'dstIf', 'dst']),
  entry(['713049'], /^Group = [^,]*, (?:Username = ([^,]+), )?IP = ([^,\s]+), Security negotiation complete/, ['user.name', 'src']),
  entry(['713120'], /^Group = [^,]*, IP = ([^,\s]+), (.+?) \(msgid=\w+\)/, ['src', 'event.reason']),
  entry(['713202'], /^IP = ([^,\s]+), (.+?)\. \S+ packet\./, ['src', 'event.reason']),
  entry(['713901', '713902', '713903', '713904', '713905', '713906'], /^(?:Group = [^,]*, )?(?:IP = ([^,\s]+), )?(.+)$/, ['src', 'event.reason']),
  entry(['716003'], new RegExp(`${GROUP_USER_IP} WebVPN access GRANTED: "?([^"]*)"?$`), ['cisco.asa.webvpn.group_name', 'srcUser', 'src', 'url']),
  entry(['716039'], /^Authentication: rejected, group = (\S+) user = (\S+) , Session Type: (\S+)/, ['source.user.group.name', 'srcUser', 'cisco.asa.session_type']),
  entry(['716039'], new RegExp(`${GROUP_USER_IP} Authentication: rejected, Session Type: ([^.\\s]+)`), ['source.user.group.name', 'srcUser', 'src', 'cisco.asa.session_type']),
  entry(['716058'], new RegExp(GROUP_USER_IP), ['cisco.asa.webvpn.group_name', 'srcUser', 'src']),
  // the address after IP is the firewall side of the resumed session, the one after `from` the client
  entry(['716059'], /^Group <([^>]*)> User(?: <([^>]*)>)? IP <([^>]*)> AnyConnect session resumed(?: connection|\. Connection) from(?: IP)? <([^>]*)>/,
    ['cisco.asa.webvpn.group_name', 'srcUser', 'dst', 'src']),
  // the AnyConnect client's software (`Client Type: Cisco AnyConnect VPN Agent for Windows 4.10.05095`)
  entry(['722055'], new RegExp(`${GROUP_USER_IP} Client Type: (.+)$`), ['source.user.group.name', 'srcUser', 'src', 'user_agent.original']),
  entry(['722055'], /^Group (\S+) User (\S+) IP (\S+) Client Type: (.+)$/, ['source.user.group.name', 'srcUser', 'src', 'user_agent.original']),
  // the connection table's fill: connections in use and the most used since boot
  entry(['302010'], /^(\d+) in use, (\d+) most used/, ['cisco.asa.connections_in_use', 'cisco.asa.connections_most_used']),
  entry(['721016', '721018'], /^\(([^)]*)\) WebVPN session for client user (\S+), IP(?: address)? (\S+) has been (?:created|deleted)/, ['cisco.asa.device_type', 'srcUser', 'dst']),
  entry(['725001'], /^Starting SSL handshake with (\S+) (\S+?):([^\s/]+)\/(\d+)(?: to ([^\s/]+)\/(\d+))? for (\S+) session/, ['cisco.asa.peer_type', ...FLOW.filter((p) => p !== 'dstIf'), 'tls']),
  entry(['725002'], /^Device completed SSL handshake with (\S+) (\S+?):([^\s/]+)\/(\d+) to ([^\s/]+)\/(\d+) for (\S+)/, ['cisco.asa.peer_type', 'srcIf', 'src', 'sport', 'dst', 'dport', 'tls']),
  entry(['725007'], /^SSL session with (\S+) (\S+?):([^\s/]+)\/(\d+) to ([^\s/]+)\/(\d+) terminated/, ['cisco.asa.peer_type', 'srcIf', 'src', 'sport', 'dst', 'dport']),
  entry(['725016'], /^Device selects trust-point (\S+) for (\S+) (\S+?):([^\s/]+)\/(\d+) to ([^\s/]+)\/(\d+)$/, ['cisco.asa.trustpoint', 'cisco.asa.peer_type', 'srcIf', 'src', 'sport', 'dst', 'dport']),
  entry(['734001'], /^DAP: User ([^,]+), Addr ([^,]+), Connection ([^:]+): The following DAP records were selected for this connection: (.+)$/, ['user.email', 'src', 'cisco.asa.connection_type', 'dapRecords']),
  entry(['737003'], /^IPAA: (?:Session=(\S+), )?DHCP configured, no viable servers found for tunnel-group (\S+)$/, ['cisco.asa.session_id', 'cisco.asa.tunnel_group']),
  entry(['737006'], /^IPAA: (?:Session=(\S+), )?Local pool request succeeded for tunnel-group (\S+)$/, ['cisco.asa.session_id', 'cisco.asa.tunnel_group']),
  entry(['737016'], /^IPAA: (?:Session=(\S+), )?Freeing local pool (\S+) address (\S+)$/, ['cisco.asa.session_id', 'cisco.asa.pool_name', 'cisco.asa.pool_address']),
  entry(['737026'], /^IPAA: (?:Session=(\S+), )?Client assigned (\S+) from local pool (\S+)$/, ['cisco.asa.session_id', 'cisco.asa.pool_address', 'cisco.asa.pool_name']),
  entry(['737034'], /^IPAA: (?:Session=(\S+), )?(.+)$/, ['cisco.asa.session_id', 'event.reason']),
  entry(['805001'], new RegExp(`^Offloaded (\\S+) Flow for connection (\\S+) from ${IFACE_EP} \\(${EP_PORT}\\) to ${IFACE_EP} \\(${EP_PORT}\\)`), ['transport', 'cisco.asa.connection_id', ...MAPPED_FLOW]),
  entry(['805002'], new RegExp(`^(\\S+) Flow is no longer offloaded for connection (\\S+) from ${IFACE_EP} \\(${EP_PORT}\\) to ${IFACE_EP} \\(${EP_PORT}\\)`), ['transport', 'cisco.asa.connection_id', ...MAPPED_FLOW]),
];

const NUMERIC = new Set(['cisco.asa.icmp_type', 'cisco.asa.icmp_code', 'network.bytes']);

/** `TLSv1.2` → protocol tls, version 1.2 */
function setTls(doc: Doc, v: string): void {
  const m = /^([A-Za-z]+?)v?([\d.]+)?$/.exec(v);
  if (!m) return;
  set(doc, 'tls.version_protocol', m[1].toLowerCase());
  if (m[2]) set(doc, 'tls.version', m[2]);
}

/** Sets what one part of a matched message says. */
function setPart(doc: Doc, part: Part, v: string, ep: Record<string, string>): void {
  if (part === '-') return;
  if (/^(?:src|dst|sport|dport|srcIf|dstIf|srcNat|srcNatPort|dstNat|dstNatPort|listedSide|listedName|reasonTail)$/.test(part)) ep[part] = v;
  else if (part === 'transport') setTransport(doc, v);
  else if (part === 'direction') set(doc, 'network.direction', v.toLowerCase());
  else if (part === 'hms') ep.hms = v;
  else if (part === 'srcUser') splitUser(doc, 'source', v.trim());
  else if (part === 'mac') set(doc, 'source.mac', normalizeMac(v) ?? v);
  else if (part === 'url') setUrl(doc, v);
  else if (part === 'tls') setTls(doc, v);
  else if (part === 'dapRecords') set(doc, 'cisco.asa.dap_records', v.split(/,\s+/));
  else if (part === 'network.protocol' || part === 'network.type') set(doc, part, v.toLowerCase());
  else set(doc, part, NUMERIC.has(part) ? toInt(v) : v);
}

/** Maps one catalogue message; the flow duration (`hms`) is returned in seconds for event.start/end. */
export function mapCatalogue(doc: Doc, e: CatalogueEntry, m: RegExpExecArray): number | undefined {
  const ep: Record<string, string> = {};
  e.parts.forEach((part, i) => {
    const v = m[i + 1];
    if (v !== undefined && v !== '') setPart(doc, part, v, ep);
  });
  for (const [k, v] of Object.entries(e.constants ?? {})) if (k.includes('.')) set(doc, k, v);
  setEndpoint(doc, 'source', ep.src, ep.sport);
  setEndpoint(doc, 'destination', ep.dst, ep.dport);
  if (ep.srcIf) setIface(doc, 'source', ep.srcIf);
  if (ep.dstIf) setIface(doc, 'destination', ep.dstIf);
  if (ep.srcNat) setMapped(doc, 'source', ep.srcNat, ep.srcNatPort);
  if (ep.dstNat) setMapped(doc, 'destination', ep.dstNat, ep.dstNatPort);
  if (ep.reasonTail) set(doc, 'event.reason', `${m[1] ? `${m[1]} ` : ''}${ep.reasonTail}`);
  // a name the filter resolved is the listed side's domain and the server's
  if (ep.listedName && ep.listedSide && !/^[0-9a-fA-F:.]+(?:\/[\d.]+)?$/.test(ep.listedName)) {
    set(doc, `${ep.listedSide}.domain`, ep.listedName);
    set(doc, 'server.domain', ep.listedName);
  }
  if (e.constants?.dnsReply) {
    setEndpoint(doc, 'client', ep.dst, ep.dport);
    setEndpoint(doc, 'server', ep.src, ep.sport);
  }
  const hms = ep.hms ? /^(\d+):(\d{1,2}):(\d{1,2})$/.exec(ep.hms) : null;
  return hms ? (+hms[1] * 60 + +hms[2]) * 60 + +hms[3] : undefined;
}
