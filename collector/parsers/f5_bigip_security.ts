/**
 * F5 BIG-IP security records in the remote-logging key="value" form (the "Splunk" / comma-separated format of
 * a logging profile): ASM (Advanced WAF) request records `unit_hostname="..",ip_client="..",violations="..",...`
 * and AFM network firewall / DoS / IP-intelligence records `acl_rule_name="..",action="Drop",source_ip="..",...`.
 * Field names as F5 documents them ("ASM remote logging" and "AFM event log fields"); ECS as Elastic's f5_bigip
 * pipelines map the same names, vendor values under f5_bigip.log.*.
 */
import { Doc, TRANSPORT_BY_NUMBER, append, cleanIp, localToEpoch, monthIndex, related, set, setEndpoint, toInt } from './util';

/** `key="value"` pairs separated by commas (a doubled quote inside a value is a quote), or by spaces */
const PAIR = /([a-z][a-z0-9_]{0,63})="((?:[^"]|"")*)"/g;

export function f5Pairs(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(text); m; m = PAIR.exec(text)) out[m[1]] = m[2].replace(/""/g, '"');
  return out;
}

/** F5 writes N/A, "none" or an empty string for "no value" */
const value = (v: string | undefined): string | undefined => (v === undefined || v === '' || v === 'N/A' || v === 'none' ? undefined : v);

export const isAsm = (kv: Record<string, string>): boolean => 'support_id' in kv || 'violations' in kv || 'ip_client' in kv;
export const isAfm = (kv: Record<string, string>): boolean => 'acl_rule_name' in kv || 'errdefs_msgno' in kv || ('source_ip' in kv && 'action' in kv);

/** `2026-03-15 04:00:01` or `Mar 15 2026 04:00:01` in the device's local time (read in the source's zone) */
function deviceTime(doc: Doc, text: string | undefined, tz: string): void {
  if (!text) return;
  const iso = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const bsd = iso ? undefined : /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const ymd = iso ? [+iso[1], +iso[2] - 1, +iso[3], +iso[4], +iso[5], +iso[6]] : bsd ? [+bsd[3], monthIndex(bsd[1]) ?? NaN, +bsd[2], +bsd[4], +bsd[5], +bsd[6]] : undefined;
  if (!ymd) return;
  const t = localToEpoch(ymd[0], ymd[1], ymd[2], ymd[3], ymd[4], ymd[5], 0, tz);
  if (Number.isNaN(t)) return;
  set(doc, '@timestamp', new Date(t).toISOString());
  set(doc, 'event.timezone', tz);
}

/** an address with its route domain (`10.1.1.5%2`): the address; the domain is kept as f5_bigip.log.route_domain */
const address = (v: string | undefined): string | undefined => value(v)?.replace(/%\d{1,5}$/, '');

function ends(doc: Doc, srcIp?: string, srcPort?: string, dstIp?: string, dstPort?: string): void {
  setEndpoint(doc, 'source', address(srcIp), value(srcPort));
  setEndpoint(doc, 'destination', address(dstIp), value(dstPort));
  setEndpoint(doc, 'client', address(srcIp), value(srcPort));
  setEndpoint(doc, 'server', address(dstIp), value(dstPort));
  for (const side of ['source', 'destination', 'client', 'server']) {
    const d = doc[side] as Doc | undefined;
    if (d?.ip !== undefined) delete d.address;
  }
}

/** ASM: one HTTP request the policy saw; with violations it is an alert, blocked requests are denied */
export function readAsm(doc: Doc, kv: Record<string, string>, tz: string): void {
  const violations = value(kv.violations);
  const status = (kv.request_status ?? '').toLowerCase();
  set(doc, 'observer.product', 'BIG-IP ASM');
  set(doc, 'observer.type', 'waf');
  set(doc, 'observer.hostname', value(kv.unit_hostname));
  if (cleanIp(kv.management_ip_address)) set(doc, 'observer.ip', [cleanIp(kv.management_ip_address)]);
  deviceTime(doc, value(kv.date_time), tz);
  set(doc, 'event.kind', violations || status === 'blocked' || status === 'alerted' ? 'alert' : 'event');
  set(doc, 'event.category', violations ? ['network', 'web', 'intrusion_detection'] : ['network', 'web']);
  set(doc, 'event.type', status === 'blocked' ? ['denied', 'access'] : ['allowed', 'access']);
  set(doc, 'event.action', status || undefined);
  set(doc, 'event.reason', violations);
  ends(doc, kv.ip_client, kv.src_port, kv.dest_ip, kv.dest_port);
  const xff = cleanIp(value(kv.x_forwarded_for_header_value));
  set(doc, 'f5_bigip.log.request.x_forwarded_for', xff);
  related(doc, 'ip', xff);
  const geo = value(kv.geo_location);
  if (geo && /^[A-Z]{2}$/.test(geo)) set(doc, 'source.geo.country_iso_code', geo);
  set(doc, 'http.request.method', value(kv.method));
  if (value(kv.protocol)) set(doc, 'network.protocol', kv.protocol.toLowerCase());
  const code = toInt(kv.response_code);
  if (code) set(doc, 'http.response.status_code', code);
  set(doc, 'url.path', value(kv.uri));
  set(doc, 'url.query', value(kv.query_string));
  if (value(kv.uri)) set(doc, 'url.original', value(kv.query_string) ? `${kv.uri}?${kv.query_string}` : kv.uri);
  set(doc, 'user.name', value(kv.username));
  set(doc, 'rule.id', value(kv.sig_ids));
  set(doc, 'rule.name', value(kv.sig_names));
  set(doc, 'rule.ruleset', value(kv.policy_name));
  if (value(kv.severity)) set(doc, 'log.level', kv.severity.toLowerCase());
  const l = 'f5_bigip.log';
  set(doc, `${l}.support.id`, value(kv.support_id));
  set(doc, `${l}.attack.type`, value(kv.attack_type));
  set(doc, `${l}.request.status`, value(kv.request_status));
  set(doc, `${l}.sub_violations`, value(kv.sub_violations));
  set(doc, `${l}.violation_rating`, toInt(kv.violation_rating));
  set(doc, `${l}.session.id`, value(kv.session_id));
  set(doc, `${l}.virus_name`, value(kv.virus_name));
  set(doc, `${l}.threat_campaign_names`, value(kv.threat_campaign_names));
  set(doc, `${l}.ip_address_intelligence`, value(kv.ip_address_intelligence));
  set(doc, `${l}.http.class_name`, value(kv.http_class_name));
  set(doc, `${l}.policy.name`, value(kv.policy_name));
  set(doc, `${l}.request.detail`, value(kv.request));
  if (value(kv.virus_name)) set(doc, 'threat.software.name', kv.virus_name);
}

const AFM_ALLOWED = /^(?:accept|accept decisively|established|closed|allow)$/i;
const AFM_DENIED = /^(?:drop|reject|deny)$/i;

/** AFM: a firewall rule's verdict on a flow, or a DoS / IP-intelligence detection (an alert) */
export function readAfm(doc: Doc, kv: Record<string, string>, tz: string): void {
  const kind = value(kv.errdefs_msg_name) ?? '';
  const detection = /dos|intelligence|attack|scrubber|bot/i.test(kind) || value(kv.dos_attack_name) !== undefined;
  set(doc, 'observer.product', 'BIG-IP AFM');
  set(doc, 'observer.type', 'firewall');
  set(doc, 'observer.hostname', value(kv.hostname));
  if (cleanIp(kv.bigip_mgmt_ip)) set(doc, 'observer.ip', [cleanIp(kv.bigip_mgmt_ip)]);
  set(doc, 'observer.ingress.interface.name', value(kv.vlan));
  deviceTime(doc, value(kv.date_time), tz);
  set(doc, 'event.code', value(kv.errdefs_msgno));
  set(doc, 'event.kind', detection ? 'alert' : 'event');
  set(doc, 'event.category', detection ? ['network', 'intrusion_detection'] : ['network']);
  const action = value(kv.action);
  if (action) set(doc, 'event.action', action.toLowerCase());
  append(doc, 'event.type', 'connection', ...(action && AFM_DENIED.test(action) ? ['denied'] : action && AFM_ALLOWED.test(action) ? ['allowed'] : []));
  set(doc, 'event.reason', value(kv.drop_reason));
  set(doc, 'event.severity', toInt(kv.severity));
  ends(doc, kv.source_ip, kv.source_port, kv.dest_ip, kv.dest_port);
  const proto = value(kv.ip_protocol)?.toLowerCase();
  if (proto) set(doc, 'network.transport', TRANSPORT_BY_NUMBER[proto] ?? proto);
  if (cleanIp(address(kv.translated_source_ip))) set(doc, 'source.nat.ip', cleanIp(address(kv.translated_source_ip)));
  set(doc, 'source.nat.port', toInt(value(kv.translated_source_port)) || undefined);
  if (cleanIp(address(kv.translated_dest_ip))) set(doc, 'destination.nat.ip', cleanIp(address(kv.translated_dest_ip)));
  set(doc, 'destination.nat.port', toInt(value(kv.translated_dest_port)) || undefined);
  set(doc, 'rule.name', value(kv.acl_rule_name) ?? value(kv.dos_attack_name) ?? value(kv.ip_intelligence_threat_name));
  set(doc, 'rule.ruleset', value(kv.acl_policy_name));
  const g = (k: string): string | undefined => value(kv[k]);
  if (g('src_geo') && /^[A-Z]{2}$/.test(g('src_geo')!)) set(doc, 'source.geo.country_iso_code', g('src_geo'));
  if (g('dest_geo') && /^[A-Z]{2}$/.test(g('dest_geo')!)) set(doc, 'destination.geo.country_iso_code', g('dest_geo'));
  const l = 'f5_bigip.log';
  set(doc, `${l}.context.name`, g('context_name'));
  set(doc, `${l}.context.type`, g('context_type'));
  set(doc, `${l}.acl_policy_type`, g('acl_policy_type'));
  set(doc, `${l}.flow_id`, g('flow_id'));
  set(doc, `${l}.errdefs_msg_name`, g('errdefs_msg_name'));
  set(doc, `${l}.route_domain`, g('route_domain'));
  set(doc, `${l}.dos.attack_id`, g('dos_attack_id'));
  set(doc, `${l}.dos.attack_event`, g('dos_attack_event'));
  set(doc, `${l}.dos.packets_dropped`, toInt(g('dos_packets_dropped')));
  set(doc, `${l}.dos.packets_received`, toInt(g('dos_packets_received')));
  set(doc, `${l}.ip_intelligence.policy_name`, g('ip_intelligence_policy_name'));
  set(doc, `${l}.ip_intelligence.threat_name`, g('ip_intelligence_threat_name'));
}
