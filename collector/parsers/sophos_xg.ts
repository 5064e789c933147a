/**
 * Sophos XG / SFOS records (`device="SFW" date=... log_id=... log_type=...`, SFOS 19's `device_name="SFW"
 * timestamp=...`): the fields every record has (time, device, log id, severity, addresses, NAT, zones,
 * packets, duration), then the handler of its log_type (sophos_xg_types.ts), one table lookup.
 * Keys not mapped to ECS stay under sophos.xg.*.
 */
import { deviceZone } from './sophos_timezone';
import { HANDLERS, Kv, authentication, byContent } from './sophos_xg_types';
import { Doc, LOG_LEVELS, dateTimeToIso, fillCommunityId, get, normalizeMac, related, set, setEndpoint, toInt } from './util';

const PRIORITY: Record<string, number> = { emergency: 0, alert: 1, critical: 2, error: 3, warning: 4, notice: 5, information: 6, informational: 6, debug: 7 };

/** XG keys mapped to ECS and not repeated under sophos.xg.* */
const XG_CONSUMED = new Set([
  'date', 'time', 'device_id', 'device_serial_id', 'timestamp', 'message', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'protocol', 'user_name', 'usergroupname', 'user_gp',
  'src_mac', 'dst_mac', 'fw_rule_name', 'from_email_address', 'to_email_address', 'src_domainname', 'dst_domainname', 'name', 'reason', 'sent_bytes', 'recv_bytes', 'url', 'domain', 'signature_id',
  'signature_msg', 'classification', 'in_interface', 'out_interface', 'src_trans_ip', 'dst_trans_ip', 'src_trans_port', 'dst_trans_port', 'tran_src_ip', 'tran_dst_ip', 'tran_src_port',
  'tran_dst_port', 'filename', 'user_agent', 'duration', 'sent_pkts', 'recv_pkts', 'packets_sent', 'packets_received', 'policy_type', 'application', 'srczonetype', 'dstzonetype',
  'srczone', 'dstzone', 'src_zone', 'dst_zone', 'src_zone_type', 'dst_zone_type', 'dir_disp', 'sourceip', 'destinationip',
]);


/** keys SFOS spells in mixed case, written as Elastic's pipeline names them */
const XG_KEYS: Record<string, string> = Object.assign(Object.create(null), { clients_conn_SSID: 'clients_conn_ssid', SysLog_SERVER_NAME: 'syslog_server_name', SQLi: 'sqli', XSS: 'xss' });
const XG_COUNTS = new Set(['clients_conn_ssid']);

export function xg(doc: Doc, kv: Kv, sourceTz: string): void {
  // SFOS writes its zone as an offset ("+07") or a name ("CEST"; "IST" is ambiguous: then the source's zone applies)
  const zone = deviceZone(kv.timezone);
  const tz = zone ?? sourceTz;
  if (kv.date && kv.time) set(doc, '@timestamp', dateTimeToIso(kv.date, kv.time, tz));
  else if (kv.timestamp) set(doc, '@timestamp', sfosTimestamp(kv.timestamp));
  if (zone) set(doc, 'event.timezone', zone);
  set(doc, 'observer.vendor', 'Sophos');
  set(doc, 'observer.product', 'XG');
  set(doc, 'observer.type', 'firewall');
  set(doc, 'observer.serial_number', kv.device_id ?? kv.device_serial_id);
  set(doc, 'observer.name', kv.device_name && kv.device_name !== 'SFW' ? kv.device_name : undefined);
  // the last five digits of the twelve are the message id (the others: module, type, subtype, priority)
  if (kv.log_id && /^\d{12}$/.test(kv.log_id)) set(doc, 'event.code', kv.log_id.slice(-5));
  severity(doc, kv);
  set(doc, 'message', kv.message);
  endpoints(doc, kv);
  traffic(doc, kv);
  if (kv.user_name) {
    set(doc, 'user.name', kv.user_name);
    set(doc, 'source.user.name', kv.user_name);
  }
  set(doc, 'source.user.group.name', kv.usergroupname || kv.user_gp);
  set(doc, 'rule.id', kv.fw_rule_id);
  set(doc, 'rule.name', kv.fw_rule_name);
  set(doc, 'source.domain', kv.src_domainname);
  set(doc, 'destination.domain', kv.dst_domainname);
  related(doc, 'hosts', kv.src_domainname);
  related(doc, 'hosts', kv.dst_domainname);
  set(doc, 'url.original', kv.url);
  set(doc, 'url.domain', kv.domain);
  set(doc, 'user_agent.original', kv.user_agent);
  set(doc, 'event.reason', kv.reason);
  const type = (kv.log_type ?? '').toLowerCase();
  const sub = (kv.log_subtype ?? '').toLowerCase();
  if (sub === 'authentication' || /authentication/i.test(kv.log_component ?? '')) authentication(doc, kv);
  else (HANDLERS[type] ?? byContent(kv))?.(doc, kv, sub);
  fillCommunityId(doc);
  for (const [k, v] of Object.entries(kv)) {
    if (XG_CONSUMED.has(k) || v === '' || v === 'N/A' || v === '-') continue;
    const key = XG_KEYS[k] ?? k.replace(/[^\w]/g, '_');
    set(doc, `sophos.xg.${key}`, XG_COUNTS.has(key) ? toInt(v) ?? v : v);
  }
  // the mail scanner's user is not the connection's: Elastic keeps it as the record's own field
  if (type === 'anti-spam') set(doc, 'sophos.xg.user_name', kv.user_name);
  // the zone types (LAN, WAN, DMZ) of the old release, beside the zone names
  set(doc, 'sophos.xg.src_zone_type', kv.srczone ? kv.srczonetype || kv.srczone : undefined);
  set(doc, 'sophos.xg.dst_zone_type', kv.dstzone ? kv.dstzonetype || kv.dstzone : undefined);
}

/** the record's severity: its `priority` (`severity` in SFOS 19), else the digit Sophos puts in the log id (`0101016`**6**`00001`) */
function severity(doc: Doc, kv: Kv): void {
  const word = PRIORITY[(kv.priority ?? kv.severity ?? '').toLowerCase()];
  const digit = kv.log_id && /^\d{12}$/.test(kv.log_id) ? Number(kv.log_id[6]) : undefined;
  const prio = word ?? digit;
  if (prio === undefined || prio > 7) return;
  set(doc, 'event.severity', prio);
  set(doc, 'log.level', LOG_LEVELS[prio]);
}

function endpoints(doc: Doc, kv: Kv): void {
  setEndpoint(doc, 'source', kv.src_ip || kv.sourceip, kv.src_port);
  setEndpoint(doc, 'destination', kv.dst_ip || kv.destinationip, kv.dst_port);
  set(doc, 'source.mac', normalizeMac(kv.src_mac));
  set(doc, 'destination.mac', normalizeMac(kv.dst_mac));
  // the translated (NAT) addresses: tran_* in SFOS 17/18, *_trans_* in 19
  nat(doc, 'source', kv.tran_src_ip || kv.src_trans_ip, kv.tran_src_port ?? kv.src_trans_port);
  nat(doc, 'destination', kv.tran_dst_ip || kv.dst_trans_ip, kv.tran_dst_port ?? kv.dst_trans_port);
  for (const side of ['source', 'destination']) {
    const d = doc[side] as Doc | undefined;
    if (d && d.ip !== undefined) delete d.address;
  }
  set(doc, 'observer.ingress.interface.name', kv.in_interface);
  set(doc, 'observer.egress.interface.name', kv.out_interface);
  const inZone = kv.srczone || kv.src_zone || kv.srczonetype || kv.src_zone_type;
  const outZone = kv.dstzone || kv.dst_zone || kv.dstzonetype || kv.dst_zone_type;
  set(doc, 'observer.ingress.zone', inZone);
  set(doc, 'observer.egress.zone', outZone);
  set(doc, 'network.direction', direction(kv.srczonetype || kv.src_zone_type || inZone, kv.dstzonetype || kv.dst_zone_type || outZone));
  if (kv.protocol) set(doc, 'network.transport', kv.protocol.toLowerCase());
}

function nat(doc: Doc, side: string, ip: string | undefined, port: string | undefined): void {
  if (ip) {
    set(doc, `${side}.nat.ip`, ip);
    related(doc, 'ip', ip);
  }
  const p = toInt(port);
  if (p !== undefined && p >= 0 && p <= 65535) set(doc, `${side}.nat.port`, p);
}

const INSIDE = new Set(['LAN', 'DMZ', 'VPN', 'WIFI']);

/** the direction the zone types say (Elastic's table: LAN, DMZ, VPN and WiFi are inside, WAN outside) */
function direction(from: string | undefined, to: string | undefined): string | undefined {
  const f = from?.trim().toUpperCase();
  const t = to?.trim().toUpperCase();
  if (!f || !t) return undefined;
  if (f === 'WAN') return INSIDE.has(t) ? 'inbound' : t === 'WAN' ? 'external' : undefined;
  if (!INSIDE.has(f)) return undefined;
  return t === 'WAN' ? 'outbound' : INSIDE.has(t) ? 'internal' : undefined;
}

/** bytes, packets and the connection's duration (start is the record's time) */
function traffic(doc: Doc, kv: Kv): void {
  const sent = toInt(kv.sent_bytes);
  const recv = toInt(kv.recv_bytes);
  if (sent !== undefined) set(doc, 'source.bytes', sent);
  if (recv !== undefined) set(doc, 'destination.bytes', recv);
  if (sent !== undefined || recv !== undefined) set(doc, 'network.bytes', (sent ?? 0) + (recv ?? 0));
  const out = toInt((kv.sent_pkts ?? kv.packets_sent)?.trim());
  const back = toInt((kv.recv_pkts ?? kv.packets_received)?.trim());
  if (out !== undefined) set(doc, 'source.packets', out);
  if (back !== undefined) set(doc, 'destination.packets', back);
  if (out !== undefined || back !== undefined) set(doc, 'network.packets', (out ?? 0) + (back ?? 0));
  const seconds = toInt(kv.duration);
  const start = get(doc, '@timestamp');
  if (seconds === undefined || seconds < 0 || typeof start !== 'string') return;
  set(doc, 'event.duration', seconds * 1e9);
  set(doc, 'event.start', start);
  set(doc, 'event.end', new Date(Date.parse(start) + seconds * 1000).toISOString());
}

/** SFOS 19's `timestamp="2026-03-14T09:10:00+0700"` (the offset is the device's) */
function sfosTimestamp(v: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?([+-]\d{2}):?(\d{2})$/.exec(v.trim());
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
