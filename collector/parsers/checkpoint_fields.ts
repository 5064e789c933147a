/**
 * The Log Exporter keys Elastic's checkpoint.firewall pipeline moves to ECS one by one (its rename/convert
 * processors), beyond the ones checkpoint.ts maps with more care: e-mail, DNS, process, zones, interfaces,
 * packets and bytes per direction, rule ids and categories, user agent, vulnerability. A key is moved only when
 * its ECS field is still empty, as Elastic's `if: ctx.x == null` conditions do; moved keys leave checkpoint.*.
 */
import { Doc, get, normalizeMac, set, toInt } from './util';

interface Move {
  to: string;
  /** long in ECS (packets, bytes, sizes) */
  int?: boolean;
  /** an ECS array (e-mail addresses) */
  list?: boolean;
  mac?: boolean;
}

const mv = (to: string, o: Omit<Move, 'to'> = {}): Move => ({ to, ...o });

export const MOVES: Record<string, Move> = Object.assign(Object.create(null) as Record<string, Move>, {
  mac_source_address: mv('source.mac', { mac: true }),
  mac_destination_address: mv('destination.mac', { mac: true }),
  destination_dns_hostname: mv('destination.domain'),
  src_user_group: mv('source.user.group.name'),
  client_outbound_packets: mv('source.packets', { int: true }),
  server_outbound_packets: mv('destination.packets', { int: true }),
  client_outbound_bytes: mv('source.bytes', { int: true }),
  server_outbound_bytes: mv('destination.bytes', { int: true }),
  from: mv('source.user.email'),
  to: mv('destination.user.email'),
  mime_from: mv('email.from.address', { list: true }),
  mime_to: mv('email.to.address', { list: true }),
  email_subject: mv('email.subject'),
  bcc: mv('email.bcc.address', { list: true }),
  cc: mv('email.cc.address', { list: true }),
  delivery_time: mv('email.delivery_timestamp'),
  email_message_id: mv('email.message_id'),
  email_queue_id: mv('email.local_id'),
  usercheck_incident_uid: mv('destination.user.id'),
  service_name: mv('destination.service.name'),
  dns_type: mv('dns.question.type'),
  dns_message_type: mv('dns.type'),
  tid: mv('dns.id'),
  packet_capture: mv('event.url'),
  start_time: mv('event.start'),
  first_detection: mv('event.start'),
  last_detection: mv('event.end'),
  file_id: mv('file.inode'),
  file_type: mv('file.type'),
  file_size: mv('file.size', { int: true }),
  dlp_file_name: mv('file.name'),
  user_group: mv('group.name'),
  os_version: mv('host.os.version'),
  os_name: mv('host.os.name'),
  referrer: mv('http.request.referrer'),
  bytes: mv('network.bytes', { int: true }),
  app_name: mv('network.application'),
  client_inbound_interface: mv('observer.ingress.interface.name'),
  client_outbound_interface: mv('observer.egress.interface.name'),
  mac_address: mv('observer.mac', { mac: true }),
  origin_ip: mv('observer.ip'),
  endpoint_ip: mv('observer.ip'),
  outzone: mv('observer.egress.zone'),
  inzone: mv('observer.ingress.zone'),
  security_outzone: mv('observer.egress.zone'),
  security_inzone: mv('observer.ingress.zone'),
  update_version: mv('observer.version'),
  process_md5: mv('process.hash.md5'),
  process_name: mv('process.name'),
  parent_process_md5: mv('process.parent.hash.md5'),
  parent_process_name: mv('process.parent.name'),
  matched_category: mv('rule.category'),
  categories: mv('rule.category'),
  malware_rule_id: mv('rule.id'),
  app_rule_id: mv('rule.id'),
  malware_rule_name: mv('rule.name'),
  app_rule_name: mv('rule.name'),
  dlp_rule_name: mv('rule.name'),
  smartdefence_profile: mv('rule.ruleset'),
  policy: mv('rule.ruleset'),
  dlp_rule_uid: mv('rule.uuid'),
  web_client_type: mv('user_agent.name'),
  user_agent: mv('user_agent.original'),
  industry_reference: mv('vulnerability.id'),
});

/** Moves the keys of MOVES into their ECS fields (first key wins a field); returns the keys it moved. */
export function moveToEcs(doc: Doc, kv: Record<string, string>): Set<string> {
  const moved = new Set<string>();
  for (const [key, m] of Object.entries(MOVES)) {
    const raw = kv[key];
    if (raw === undefined || raw.trim() === '' || get(doc, m.to) !== undefined) continue;
    const v = raw.trim();
    const value = m.int ? toInt(v) : m.mac ? normalizeMac(v) ?? v : m.list ? [v] : v;
    if (value === undefined) continue;
    set(doc, m.to, value);
    moved.add(key);
  }
  // as Elastic: the flow's packets are both directions' when the record gives each
  const sp = get(doc, 'source.packets');
  const dp = get(doc, 'destination.packets');
  if (typeof sp === 'number' && typeof dp === 'number' && get(doc, 'network.packets') === undefined) set(doc, 'network.packets', sp + dp);
  const sb = get(doc, 'source.bytes');
  const db = get(doc, 'destination.bytes');
  if (typeof sb === 'number' && typeof db === 'number' && get(doc, 'network.bytes') === undefined) set(doc, 'network.bytes', sb + db);
  return moved;
}
