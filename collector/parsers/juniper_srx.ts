/**
 * Juniper SRX (Junos OS) security logs in the two framings Junos documents: structured-data syslog
 * (`<PRI>1 time host RT_UTM - WEBFILTER_URL_BLOCKED [junos@2636.1.1.1.2.x source-address="..." ...]`, the
 * `structured-data` format) and the BSD text form of flow sessions (`RT_FLOW: RT_FLOW_SESSION_CREATE: session
 * created 10.0.0.1/5000->192.0.2.1/443 ...`). Processes RT_FLOW, RT_UTM, RT_IDP, RT_IDS/RT_SCREEN, RT_AAMW,
 * RT_SECINTEL. Every key is kept under juniper.srx.<key with _>; ECS fields as Elastic's juniper_srx pipeline.
 */
import type { Parser } from './types';
import type { SyslogHeader } from './syslog';
import { Doc, ParseFailure, TRANSPORT_BY_NUMBER, append, excerpt, fillCommunityId, get, parseTimestamp, related, set, setEndpoint, toInt, toNumber } from './util';
import { JUNOS_LEVELS, junosPairs, readSystem } from './juniper_srx_system';

const PROCESS = /^RT_(?:FLOW|UTM|IDP|IDS|SCREEN|AAMW|SECINTEL)$/;
const TEXT_TAG = /(?:^|\s)(RT_(?:FLOW|UTM|IDP|IDS|SCREEN|AAMW|SECINTEL)): (RT_FLOW_SESSION_(?:CREATE|CLOSE|DENY)\w*|[A-Z][A-Z0-9_]+): ?(.*)$/;

interface Kind { action?: string; kind: 'event' | 'alert'; category: string[]; type: string[] }
const blocked = (action: string): Kind => ({ action, kind: 'alert', category: ['network', 'malware'], type: ['info', 'denied', 'connection'] });
const passed: Kind = { kind: 'event', category: ['network'], type: ['allowed', 'connection'] };

/** The event a Junos tag describes; the first matching prefix wins */
const KINDS: [RegExp, Kind][] = [
  [/^RT_FLOW_SESSION_CREATE/, { action: 'flow_started', kind: 'event', category: ['network'], type: ['connection', 'allowed', 'start'] }],
  [/^RT_FLOW_SESSION_CLOSE/, { action: 'flow_close', kind: 'event', category: ['network'], type: ['connection', 'allowed', 'end'] }],
  [/^RT_FLOW_SESSION_DENY/, { action: 'flow_deny', kind: 'event', category: ['network'], type: ['connection', 'denied'] }],
  [/^WEBFILTER_URL_BLOCKED/, blocked('web_filter')],
  [/^AV_VIRUS_DETECTED/, blocked('virus_detected')],
  [/^ANTISPAM_SPAM_DETECTED/, blocked('antispam_filter')],
  [/^CONTENT_FILTERING_BLOCKED/, blocked('content_filter')],
  [/^IDP_(?:ATTACK_LOG_EVENT|APPDDOS_APP_ATTACK_EVENT)/, { action: 'security_threat', kind: 'alert', category: ['network', 'intrusion_detection'], type: ['info', 'denied', 'connection'] }],
  [/^RT_SCREEN_/, { action: 'illegal_packet', kind: 'alert', category: ['network', 'intrusion_detection'], type: ['info', 'denied', 'connection'] }],
  [/^(?:SRX_)?AAMW_(?:ACTION|MALWARE_EVENT|HOST_INFECTED_EVENT)_LOG|^SECINTEL_ACTION/, blocked('malware_detected')],
  [/^(?:WEBFILTER_URL_PERMITTED|AV_|APPTRACK_)/, passed],
];

/** structured-data keys that become ECS fields and are not repeated under juniper.srx */
const CONSUMED = new Set([
  'source-address', 'source-port', 'destination-address', 'destination-port', 'nat-source-address', 'nat-source-port',
  'nat-destination-address', 'nat-destination-port', 'protocol-id', 'username', 'url', 'obj', 'filename', 'source-zone-name',
  'destination-zone-name', 'source-zone', 'destination-zone', 'bytes-from-client', 'bytes-from-server', 'packets-from-client', 'packets-from-server', 'elapsed-time',
  'inbound-bytes', 'outbound-bytes', 'inbound-packets', 'outbound-packets',
  'urlcategory-risk',
]);
/** values Junos writes for "no value", dropped as Elastic's pipeline drops them */
const EMPTY = new Set(['', 'N/A', 'None', 'UNKNOWN', '-']);

/** the transport words IDP records write in protocol-name */
const IANA_WORDS = new Set(['tcp', 'udp', 'icmp', 'sctp', 'gre', 'esp', 'ah']);

function junosData(h: SyslogHeader): Record<string, string> | undefined {
  for (const [id, kv] of Object.entries(h.structuredData ?? {})) if (id.startsWith('junos@')) return kv;
  return undefined;
}

function mapFields(doc: Doc, kv: Record<string, string>): void {
  setEndpoint(doc, 'source', kv['source-address'], kv['source-port']);
  setEndpoint(doc, 'destination', kv['destination-address'], kv['destination-port']);
  setEndpoint(doc, 'client', kv['source-address'], kv['source-port']);
  setEndpoint(doc, 'server', kv['destination-address'], kv['destination-port']);
  if (kv['nat-source-address'] && kv['nat-source-address'] !== '0.0.0.0') set(doc, 'source.nat.ip', kv['nat-source-address']);
  set(doc, 'source.nat.port', toInt(kv['nat-source-port']) || undefined);
  if (kv['nat-destination-address'] && kv['nat-destination-address'] !== '0.0.0.0') set(doc, 'destination.nat.ip', kv['nat-destination-address']);
  set(doc, 'destination.nat.port', toInt(kv['nat-destination-port']) || undefined);
  const transport = TRANSPORT_BY_NUMBER[kv['protocol-id'] ?? ''];
  if (kv['protocol-id']) set(doc, 'network.iana_number', kv['protocol-id']);
  if (transport) set(doc, 'network.transport', transport);
  else if (kv['protocol-name'] && IANA_WORDS.has(kv['protocol-name'].toLowerCase())) set(doc, 'network.transport', kv['protocol-name'].toLowerCase());
  if (kv.username && kv.username !== 'N/A' && kv.username !== 'unknown') set(doc, 'source.user.name', kv.username);
  if (kv.url) set(doc, 'url.domain', kv.url);
  if (kv.obj) set(doc, 'url.path', kv.obj);
  if (kv.filename) set(doc, 'file.name', kv.filename);
  // the signature or screen that fired, in the IDP rulebase and rule that matched
  set(doc, 'rule.name', kv['attack-name'] ?? kv['policy-name']);
  set(doc, 'rule.ruleset', kv['rulebase-name']);
  set(doc, 'rule.id', kv['rule-name']);
  set(doc, 'observer.ingress.interface.name', kv['packet-incoming-interface'] ?? kv['interface-name'] ?? kv['source-interface-name']);
  set(doc, 'observer.egress.interface.name', kv['destination-interface-name']);
  const inZone = kv['source-zone-name'] ?? kv['source-zone'];
  const outZone = kv['destination-zone-name'] ?? kv['destination-zone'];
  if (inZone) set(doc, 'observer.ingress.zone', inZone);
  if (outZone) set(doc, 'observer.egress.zone', outZone);
  if (kv.protocol && !/^\d+$/.test(kv.protocol)) set(doc, 'network.protocol', kv.protocol.toLowerCase());
  // IDP records count the client's (outbound) and the server's (inbound) side
  set(doc, 'source.bytes', toInt(kv['bytes-from-client'] ?? kv['outbound-bytes']));
  set(doc, 'destination.bytes', toInt(kv['bytes-from-server'] ?? kv['inbound-bytes']));
  set(doc, 'source.packets', toInt(kv['packets-from-client'] ?? kv['outbound-packets']));
  set(doc, 'destination.packets', toInt(kv['packets-from-server'] ?? kv['inbound-packets']));
  set(doc, 'event.risk_score', toNumber(kv['urlcategory-risk'] ?? kv['application-risk']));
  totals(doc);
  const secs = toInt(kv['elapsed-time']);
  if (secs !== undefined) set(doc, 'event.duration', secs * 1e9);

  if (kv['service-name'] && /^junos-(\w+)/.test(kv['service-name'])) set(doc, 'network.protocol', /^junos-(\w+)/.exec(kv['service-name'])![1]);
  for (const [k, v] of Object.entries(kv)) {
    if (CONSUMED.has(k) || EMPTY.has(v)) continue;
    set(doc, `juniper.srx.${k.replace(/[^\w]/g, '_')}`, v);
  }
}

/** as Elastic: a session's start is the record's time, its end that plus the elapsed seconds */
function sessionTimes(doc: Doc, at: string | undefined): void {
  const ns = get(doc, 'event.duration');
  if (typeof ns !== 'number' || !at || Number.isNaN(Date.parse(at))) return;
  set(doc, 'event.start', at);
  set(doc, 'event.end', new Date(Date.parse(at) + ns / 1e6).toISOString());
}

/** client/server say what source/destination say (NAT ports, bytes, packets); network.* sums both ways */
function totals(doc: Doc): void {
  for (const [side, peer] of [['source', 'client'], ['destination', 'server']]) {
    for (const f of ['nat.port', 'bytes', 'packets']) set(doc, `${peer}.${f}`, get(doc, `${side}.${f}`));
  }
  for (const f of ['bytes', 'packets']) {
    const a = get(doc, `source.${f}`);
    const b = get(doc, `destination.${f}`);
    if (typeof a === 'number' || typeof b === 'number') set(doc, `network.${f}`, (typeof a === 'number' ? a : 0) + (typeof b === 'number' ? b : 0));
  }
}

/** `session created 10.0.0.1/5000->192.0.2.1/443 0x0 junos-https 203.0.113.1/5000->192.0.2.1/443 0x0 …` */
function mapSessionText(doc: Doc, text: string): void {
  const m = /^session (?:created|closed|denied)(?: ([^:]+):)? ([\w:.]+)\/(\d+)->([\w:.]+)\/(\d+)(?: 0x\w+)? (\S+)(?: ([\w:.]+)\/(\d+)->([\w:.]+)\/(\d+))?/.exec(text);
  if (!m) return;
  if (m[1]) set(doc, 'event.reason', m[1].trim());
  setEndpoint(doc, 'source', m[2], m[3]);
  setEndpoint(doc, 'destination', m[4], m[5]);
  set(doc, 'juniper.srx.service_name', m[6]);
  if (m[7] && m[7] !== m[2]) set(doc, 'source.nat.ip', m[7]);
  const proto = /^junos-(\w+)/.exec(m[6]);
  if (proto) set(doc, 'network.protocol', proto[1]);
}

/** RT_SCREEN attack names (Junos screen options) -> the action, as Elastic's juniper_srx ids pipeline names them */
const SCREEN_ACTIONS: [RegExp, string][] = [
  [/^(?:ICMP|UDP|SYN) flood/, 'flood_detected'], [/^TCP port scan!/, 'scan_detected'], [/^(?:TCP|IP|UDP|Address) sweep!/, 'sweep_detected'],
  [/^(?:ICMP|SYN) fragment!/, 'fragment_detected'], [/^IP spoofing!/, 'spoofing_detected'], [/^(?:Src|Dst) IP session limit!/, 'session_limit_detected'],
  [/^(?:Land|WinNuke) attack!/, 'attack_detected'], [/^(?:No TCP flag!|SYN and FIN bits!|FIN but no ACK bit!)/, 'illegal_tcp_flag_detected'], [/^Tunnel/, 'tunneling_screen'],
];

/** the record's own verdict where Junos writes one: an ATP/SecIntel PERMIT passed, an IDP attack with action NONE was let through */
function verdict(tag: string, action: string | undefined, k: Kind): Kind {
  const a = (action ?? '').toUpperCase();
  if (/AAMW_|^SECINTEL_/.test(tag) && a === 'PERMIT' && !/MALWARE_EVENT/.test(tag)) return passed;
  if (/^IDP_/.test(tag) && (a === 'NONE' || a === 'IGNORE')) return { ...k, type: ['info', 'allowed', 'connection'] };
  // a screen set to alarm only let the packets through
  if (/^RT_SCREEN_/.test(tag) && a === 'ALARM-WITHOUT-DROP') return { ...k, type: ['info', 'allowed', 'connection'] };
  return k;
}

function classify(doc: Doc, tag: string, kv?: Record<string, string>): void {
  const found = KINDS.find(([re]) => re.test(tag));
  if (!found) return;
  const k = verdict(tag, kv?.action, found[1]);
  const screen = /^RT_SCREEN_/.test(tag) && kv?.['attack-name'] ? SCREEN_ACTIONS.find(([re]) => re.test(kv['attack-name']))?.[1] : undefined;
  if (screen ?? k.action) set(doc, 'event.action', screen ?? k.action);
  set(doc, 'event.kind', k.kind);
  append(doc, 'event.category', ...k.category);
  append(doc, 'event.type', ...k.type);
  set(doc, 'event.outcome', 'success');
}

/** ATP Cloud (AAMW) records: the infected host, the sample's hash and the malware */
function atpFields(doc: Doc, kv: Record<string, string>): void {
  if (kv['client-ip']) setEndpoint(doc, 'source', kv['client-ip']);
  if (kv.hostname) set(doc, 'source.domain', kv.hostname);
  if (kv['http-host']) set(doc, 'url.domain', kv['http-host']);
  const sha = kv['sample-sha256']?.toLowerCase();
  if (sha && /^[0-9a-f]{64}$/.test(sha)) set(doc, 'file.hash.sha256', sha);
  if (kv['malware-info'] && !EMPTY.has(kv['malware-info'])) set(doc, 'threat.software.name', kv['malware-info']);
}

export const juniperSrx: Parser = {
  name: 'juniper_srx',
  dataset: 'juniper_srx.log',
  observer: { vendor: 'Juniper', product: 'SRX', type: 'firewall' },
  detect: (line, h) => (h.appname !== undefined && PROCESS.test(h.appname) && (junosData(h) !== undefined || TEXT_TAG.test(line))) || TEXT_TAG.test(h.message),
  parseLine(doc, line, h, ctx) {
    set(doc, 'observer.vendor', 'Juniper');
    set(doc, 'observer.product', 'SRX');
    set(doc, 'observer.type', 'firewall');
    // the SRX reports traffic through it: it is the observer, not the host the event is about
    if (h.hostname) set(doc, 'observer.name', h.hostname);
    delete (doc.host as Doc | undefined)?.hostname;
    if (h.severity !== undefined) set(doc, 'log.level', JUNOS_LEVELS[h.severity]);
    // Elastic's juniper_srx pipeline keeps the syslog PRI as event.severity
    if (h.priority !== undefined) set(doc, 'event.severity', h.priority);
    const kv = junosData(h) ?? junosPairs(h.rawStructuredData ?? '');
    const security = kv !== undefined && h.appname !== undefined && PROCESS.test(h.appname);
    const t = security ? undefined : TEXT_TAG.exec(h.message) ?? TEXT_TAG.exec(line);
    if (kv && security) {
      set(doc, 'juniper.srx.process', h.appname);
      set(doc, 'juniper.srx.tag', h.msgid);
      mapFields(doc, kv);
      sessionTimes(doc, h.timestamp ? parseTimestamp(h.timestamp, ctx) : undefined);
      if (h.appname === 'RT_AAMW') atpFields(doc, kv);
      classify(doc, h.msgid ?? '', kv);
    } else if (t) {
      set(doc, 'juniper.srx.process', t[1]);
      set(doc, 'juniper.srx.tag', t[2]);
      set(doc, 'message', t[3]);
      mapSessionText(doc, t[3]);
      classify(doc, t[2]);
    } else {
      if (h.rfc === 'none' || !h.message.trim()) throw new ParseFailure(`juniper_srx: no Junos process, tag or junos@ structured data in ${excerpt(line)}`);
      readSystem(doc, h, kv);
    }
    related(doc, 'hosts', get(doc, 'url.domain'));
    if (get(doc, 'network.transport') !== undefined) fillCommunityId(doc);
  },
};

