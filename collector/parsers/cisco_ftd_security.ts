/**
 * Firepower (FTD / NGIPS) security events 430001–430005: `Key: value, Key: value` records of an intrusion
 * (430001), a connection start or end (430002/430003), a file (430004) or a malware file (430005), as
 * Cisco's "Firepower Threat Defense Syslog Messages" guide lists their fields. Every key is kept under
 * <ns>.security.<snake_case>; the ones ECS has a place for go there, as Elastic's cisco_ftd pipeline does.
 */
import { Doc, IANA_NUMBERS, append, get, set, setEndpoint, toInt } from './util';

interface Kind { action: string; kind: 'event' | 'alert'; category: string; type: string[] }

const KINDS: Record<string, Kind> = Object.assign(Object.create(null) as Record<string, Kind>, {
  '430001': { action: 'intrusion-detected', kind: 'alert', category: 'intrusion_detection', type: ['info'] },
  '430002': { action: 'connection-started', kind: 'event', category: 'network', type: ['connection', 'start'] },
  '430003': { action: 'connection-finished', kind: 'event', category: 'network', type: ['connection', 'end'] },
  '430004': { action: 'file-detected', kind: 'alert', category: 'malware', type: ['info'] },
  '430005': { action: 'malware-detected', kind: 'alert', category: 'malware', type: ['info'] },
});

/** `SrcIP` → src_ip, `IPReputationSICategory` → ip_reputation_si_category, `Prefilter Policy` → prefilter_policy */
export function snakeKey(key: string): string {
  return key
    .trim()
    .replace(/[\s-]+/g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/_+/g, '_')
    .toLowerCase();
}

/** Splits `Key: value, Key: value`; a value may hold commas (a user agent), a key never holds `, ` or `: ` */
export function securityFields(msg: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const re = /(?:^|, )([A-Za-z][A-Za-z0-9_ ]{0,40}?): /g;
  const keys: { key: string; start: number; end: number }[] = [];
  for (let m = re.exec(msg); m; m = re.exec(msg)) keys.push({ key: m[1], start: m.index, end: m.index + m[0].length });
  for (let i = 0; i < keys.length; i++) {
    const value = msg.slice(keys[i].end, i + 1 < keys.length ? keys[i + 1].start : msg.length).trim();
    if (value !== '') out[snakeKey(keys[i].key)] = value;
  }
  return out;
}

export function isSecurityEvent(id: string): boolean {
  return id in KINDS;
}

/** Maps one 430001–430005 record; returns false when the text holds no `Key: value` pair at all. */
export function mapSecurityEvent(doc: Doc, id: string, msg: string, ns: string): boolean {
  const f = securityFields(msg);
  if (Object.keys(f).length === 0) return false;
  for (const [k, v] of Object.entries(f)) set(doc, `${ns}.security.${k}`, v);
  const kind = KINDS[id];
  // a malware event whose file only went to a cloud lookup holds no verdict yet: an event, not an alert,
  // unless the lookup already answered (SHA_Disposition: Malware, or a Custom Detection list hit)
  const lookup = id === '430005' && /lookup/i.test(f.file_action ?? '') && !/^(?:malware|custom detection)/i.test(f.sha_disposition ?? '');
  set(doc, 'event.action', kind.action);
  set(doc, 'event.kind', lookup ? 'event' : kind.kind);
  append(doc, 'event.category', kind.category);
  if (lookup) append(doc, 'event.category', 'file');
  append(doc, 'event.type', ...kind.type);
  endpoints(doc, f, ns);
  session(doc, f, id);
  content(doc, f, ns);
  return true;
}

function token(v: string | undefined): string | undefined {
  return v?.split(/[,\s]/)[0] || undefined;
}

function endpoints(doc: Doc, f: Record<string, string>, ns: string): void {
  // an address is one token: a record cut short leaves the rest of the line in the last value
  setEndpoint(doc, 'source', token(f.src_ip), token(f.src_port));
  setEndpoint(doc, 'destination', token(f.dst_ip), token(f.dst_port));
  const proto = f.protocol?.toLowerCase();
  if (proto) {
    set(doc, 'network.transport', proto);
    if (IANA_NUMBERS[proto]) set(doc, 'network.iana_number', IANA_NUMBERS[proto]);
  }
  if (f.ingress_interface) {
    set(doc, 'observer.ingress.interface.name', f.ingress_interface);
    set(doc, `${ns}.source_interface`, f.ingress_interface);
  }
  if (f.egress_interface) {
    set(doc, 'observer.egress.interface.name', f.egress_interface);
    set(doc, `${ns}.destination_interface`, f.egress_interface);
  }
  if (f.application_protocol) set(doc, 'network.protocol', f.application_protocol.toLowerCase());
  // the client software and the web application it reached (`Client: Windows Update, WebApplication: Microsoft Update`)
  const apps = [...new Set([f.client, f.web_application].filter((a): a is string => !!a).map((a) => a.toLowerCase()))];
  if (apps.length) set(doc, 'network.application', apps.length === 1 ? apps[0] : apps);
  set(doc, 'source.packets', toInt(f.initiator_packets));
  set(doc, 'destination.packets', toInt(f.responder_packets));
  set(doc, 'source.bytes', toInt(f.initiator_bytes));
  set(doc, 'destination.bytes', toInt(f.responder_bytes));
  if (f.user) {
    set(doc, 'user.name', f.user);
    set(doc, 'user.id', f.user);
  }
  if (f.user_agent) set(doc, 'user_agent.original', f.user_agent);
  const rules = [f.ac_policy, f.access_control_rule_name, f.file_policy, f.intrusion_policy].filter((r): r is string => !!r);
  if (rules.length) set(doc, `${ns}.rule_name`, rules.length === 1 ? rules[0] : rules);
}

function session(doc: Doc, f: Record<string, string>, id: string): void {
  const action = f.access_control_rule_action?.toLowerCase();
  if (action) {
    const allowed = /^(?:allow|trust|monitor)/.test(action);
    append(doc, 'event.type', allowed ? 'allowed' : 'denied');
    set(doc, 'event.outcome', allowed ? 'success' : 'failure');
  }
  if (f.first_packet_second) set(doc, 'event.start', f.first_packet_second);
  const secs = toInt(f.connection_duration);
  if (id === '430003' && secs !== undefined) set(doc, 'event.duration', secs * 1e9);
}

function content(doc: Doc, f: Record<string, string>, ns: string): void {
  const url = f.url ?? f.uri;
  if (url) setUrl(doc, url);
  const domain = get(doc, 'url.domain');
  if (f.referenced_host && f.referenced_host !== domain) set(doc, 'url.domain', typeof domain === 'string' ? [domain, f.referenced_host] : f.referenced_host);
  if (f.http_referer) set(doc, 'http.request.referrer', f.http_referer);
  if (f.file_name) set(doc, 'file.name', f.file_name);
  set(doc, 'file.size', toInt(f.file_size));
  if (f.file_sha256) {
    set(doc, 'file.hash.sha256', f.file_sha256);
    append(doc, 'related.hash', f.file_sha256);
  }
  if (f.threat_name) set(doc, `${ns}.threat_category`, f.threat_name);
  if (f.threat_score) set(doc, `${ns}.threat_level`, f.threat_score);
  if (f.message) set(doc, 'rule.name', f.message);
  if (f.signature_id) set(doc, 'rule.id', f.signature_id);
}

function setUrl(doc: Doc, original: string): void {
  set(doc, 'url.original', original);
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+)(?::(\d+))?([^?#]*)(?:\?([^#]*))?/i.exec(original);
  if (!m) return;
  set(doc, 'url.scheme', m[1].toLowerCase());
  set(doc, 'url.domain', m[2]);
  set(doc, 'url.port', toInt(m[3]));
  if (m[4]) set(doc, 'url.path', m[4]);
  if (m[5]) set(doc, 'url.query', m[5]);
  const ext = /\.([A-Za-z0-9]{1,10})$/.exec(m[4] ?? '');
  if (ext) set(doc, 'url.extension', ext[1].toLowerCase());
}

/** event.start and event.end of a finished connection: it ended at the event's time (`end`), lasted its duration */
export function connectionTimes(doc: Doc, ns: string, end: string | undefined): void {
  const secs = toInt(get(doc, `${ns}.security.connection_duration`));
  if (get(doc, 'event.code') !== '430003' || secs === undefined || !end) return;
  const t = Date.parse(end);
  if (Number.isNaN(t)) return;
  set(doc, 'event.end', new Date(t).toISOString());
  if (get(doc, 'event.start') === undefined) set(doc, 'event.start', new Date(t - secs * 1000).toISOString());
}
