/**
 * Check Point (Log Exporter, syslog format): `[key:"value"; key:"value"; ...]` after an RFC 5424 or
 * BSD header. Firewall traffic, Threat Prevention / Anti-Virus detections and management audit
 * (administrator log in / out). Mapping follows Elastic's checkpoint.firewall; every key stays under checkpoint.*.
 * Deliberately not set: event.id (the collector assigns ids; Check Point's loguid is checkpoint.loguid).
 */
import { safeKey } from '../../core/event';
import type { Parser } from './types';
import { Doc, ParseFailure, TRANSPORT_BY_NUMBER, append, epochToIso, excerpt, fillCommunityId, get, related, set, setEndpoint, toInt, lookupTable } from './util';
import { parsePacketList } from './checkpoint_packets';
import { moveToEcs } from './checkpoint_fields';

// the lookbehind starts a key only at a word boundary: without it a long word is rescanned from every offset
const PAIR = /(?<![\w.-])([\w.-]+):"((?:[^"\\]|\\.)*)"/g;
/** the older syslog exporter's structured data: `[Fields@1.3.6.1.4.1.2620 key="value" ...]` */
const SD_PAIR = /(?<![\w.-])([\w.-]+)="((?:[^"\\]|\\.)*)"/g;
/** its RFC 5424 time, whose offset some exporters write as "--5:00" */
const SD_TIME = /^(?:<\d+>)?1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]{1,2}\d{1,2}:?\d{2})\s/;
/** Fields@ keys that only frame the record */
const SD_FRAMING = new Set(['up_match_table', 'row_end', 'productname', 'productfamily']);

/** keys mapped to ECS and not repeated under checkpoint.* */
const CONSUMED = new Set([
  'time', 'creation_time', 'loguid', 'sequencenum', 'origin', 'product', 'ifdir', 'src', 'dst', 's_port', 'service', 'proto', 'xlatesrc', 'xlatedst',
  'xlatesport', 'xlatedport', 'rule_name', 'rule_uid', 'layer_name', 'action', 'src_user_name', 'dst_user_name', 'src_machine_name',
  'dst_machine_name', 'sent_bytes', 'received_bytes', 'client_ip', 'subject', 'msg', 'version', 'flags', 'originsicname',
  'ifname', 'protection_name', 'malware_action', 'file_name', 'file_md5', 'file_sha1', 'file_sha256', 'severity', 'confidence_level',
  'domain_name', 'user', 'service_id', 'appi_name', 'app_risk', 'url', 'resource', 'http_host', 'method',
]);

const SEVERITY: Record<string, number> = lookupTable({ informational: 1, low: 2, medium: 3, high: 4, critical: 5 });

export function decodeCheckpoint(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(PAIR)) out[safeKey(m[1])] = m[2].replace(/\\(.)/g, '$1');
  if (Object.keys(out).length || !text.includes('Fields@')) return out;
  // the Fields@ layout's keys are mixed case (NAT_rulenum, ROW_START): Elastic lower-cases them
  for (const m of text.matchAll(SD_PAIR)) {
    const k = safeKey(m[1].toLowerCase());
    if (!SD_FRAMING.has(k)) out[k] = m[2].replace(/\\(.)/g, '$1');
  }
  return out;
}

/** The time and offset of a Fields@ line's RFC 5424 header ("--5:00" read as -05:00). */
function sdHeaderTime(line: string): { iso: string; offset: string } | undefined {
  const m = SD_TIME.exec(line);
  if (!m) return undefined;
  let offset = 'Z';
  if (m[2] !== 'Z') {
    const o = /^([+-])+(\d{1,2}):?(\d{2})$/.exec(m[2]);
    if (!o) return undefined;
    offset = `${o[1]}${o[2].padStart(2, '0')}:${o[3]}`;
  }
  const t = Date.parse(`${m[1]}${offset}`);
  return Number.isNaN(t) ? undefined : { iso: new Date(t).toISOString(), offset: offset === 'Z' ? 'UTC' : offset };
}

export const checkpoint: Parser = {
  name: 'checkpoint',
  dataset: 'checkpoint.firewall',
  observer: { vendor: 'Checkpoint', type: 'firewall' },
  // a CheckPoint-tagged line is claimed even when cut before its first pair (it then comes out partial)
  detect: (line, h) => h.appname === 'CheckPoint' || (/\b(?:loguid|origin|product):"/.test(line) && /\w:"[^"]*";/.test(line)) || line.includes('[Fields@1.3.6.1.4.1.2620 '),
  parseLine(doc: Doc, line, h) {
    const body = h.rawStructuredData ?? h.rest;
    const kv = decodeCheckpoint(body);
    if (!Object.keys(kv).length) throw new ParseFailure(`no Check Point key:"value"; pairs in ${excerpt(line)}`);
    delete doc.process;
    delete doc.message;
    delete doc.host;
    if (kv.time && epochToIso(kv.time)) {
      set(doc, '@timestamp', epochToIso(kv.time));
      // an epoch time is UTC whatever zone the source is configured with
      set(doc, 'event.timezone', 'UTC');
    } else {
      const t = sdHeaderTime(line);
      if (t) {
        set(doc, '@timestamp', t.iso);
        set(doc, 'event.timezone', t.offset);
      }
    }
    // creation_time ("2026-08-21 10:14:59.626375", UTC) of CME and management records
    const created = kv.creation_time && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(kv.creation_time)
      ? Date.parse(`${kv.creation_time.replace(' ', 'T').replace(/(\.\d{3})\d+$/, '$1')}Z`) : NaN;
    if (!Number.isNaN(created)) set(doc, 'event.start', new Date(created).toISOString());
    if (toInt(kv.sequencenum) !== undefined) set(doc, 'event.sequence', toInt(kv.sequencenum));
    set(doc, 'checkpoint.loguid', kv.loguid);
    set(doc, 'checkpoint.origin_sic_name', kv.originsicname);
    set(doc, 'observer.vendor', 'Checkpoint');
    set(doc, 'observer.type', 'firewall');
    set(doc, 'observer.name', kv.origin);
    // the gateway's own name is the first CN of its SIC name (CN=fw1,O=mgmt..x)
    const sicCn = kv.originsicname ? /^cn=([^,]+)/i.exec(kv.originsicname) : null;
    if (sicCn) set(doc, 'observer.hostname', sicCn[1]);
    set(doc, 'observer.product', kv.product);
    if (kv.ifdir === 'inbound' || kv.ifdir === 'outbound') set(doc, 'network.direction', kv.ifdir);
    if (kv.ifname) set(doc, kv.ifdir === 'outbound' ? 'observer.egress.interface.name' : 'observer.ingress.interface.name', kv.ifname);
    setEndpoint(doc, 'source', kv.src ?? kv.client_ip, kv.s_port);
    setEndpoint(doc, 'destination', kv.dst, kv.service);
    for (const side of ['source', 'destination']) {
      const d = doc[side] as Doc | undefined;
      if (d && d.ip !== undefined) delete d.address;
    }
    if (kv.proto) {
      set(doc, 'network.iana_number', kv.proto);
      set(doc, 'network.transport', TRANSPORT_BY_NUMBER[kv.proto]);
    }
    if (kv.xlatesrc && kv.xlatesrc !== '0.0.0.0') set(doc, 'source.nat.ip', kv.xlatesrc);
    if (kv.xlatedst && kv.xlatedst !== '0.0.0.0') set(doc, 'destination.nat.ip', kv.xlatedst);
    if (toInt(kv.xlatesport)) set(doc, 'source.nat.port', toInt(kv.xlatesport));
    if (toInt(kv.xlatedport)) set(doc, 'destination.nat.port', toInt(kv.xlatedport));
    set(doc, 'rule.name', kv.rule_name ?? kv.protection_name);
    set(doc, 'rule.uuid', kv.rule_uid);
    set(doc, 'rule.ruleset', kv.layer_name);
    set(doc, 'network.name', kv.layer_name);
    set(doc, 'source.user.name', kv.src_user_name ?? kv.user ?? kv.administrator);
    set(doc, 'destination.user.name', kv.dst_user_name);
    // the Fields@ layout names the identity-awareness user apart from the source user
    if (kv.user && kv.src_user_name && kv.user !== kv.src_user_name) {
      set(doc, 'user.name', kv.user);
      related(doc, 'user', kv.user);
    }
    if (kv.dst_user_name && kv.dst_user_dn) set(doc, 'destination.user.domain', kv.dst_user_dn);
    set(doc, 'source.domain', kv.src_machine_name ?? (kv.machine && kv.machine !== 'localhost' ? kv.machine : undefined));
    set(doc, 'destination.domain', kv.dst_machine_name);
    if (toInt(kv.sent_bytes) !== undefined) set(doc, 'source.bytes', toInt(kv.sent_bytes));
    if (toInt(kv.received_bytes) !== undefined) set(doc, 'destination.bytes', toInt(kv.received_bytes));
    set(doc, 'network.application', kv.appi_name ?? kv.service_id);
    set(doc, 'url.original', kv.resource ?? kv.url);
    set(doc, 'url.domain', kv.http_host);
    set(doc, 'http.request.method', kv.method);
    set(doc, 'host.name', kv.device_name);
    set(doc, 'host.type', kv.device_type);
    // as Elastic: the message, else the reason, else the subject
    set(doc, 'message', kv.msg ?? kv.message ?? kv.reason ?? kv.subject);
    const admin = kv.administrator;
    const audit = !!(admin && kv.operation);
    if (admin) {
      // as Elastic: user.name is lower-cased so one administrator is one value; source.user.* and related.user keep the spelling logged
      related(doc, 'user', get(doc, 'source.user.name'));
      set(doc, 'user.name', admin.toLowerCase());
      if (kv.domain_name) {
        set(doc, 'source.user.domain', kv.domain_name);
        set(doc, 'user.domain', kv.domain_name.toLowerCase());
      }
    }
    // a DNS record's queried domain; in a management record domain_name is the administrator's management domain, not a query
    if (kv.domain_name && !audit) set(doc, 'dns.question.name', kv.domain_name);
    if (admin && kv.uid) {
      set(doc, 'user.id', kv.uid);
      set(doc, 'source.user.id', kv.uid);
    }
    // the object an audit record changed (a rule, a protection override) is named as the rule, as Elastic does
    if (kv.objectname) set(doc, 'rule.name', kv.objectname);
    // an optimized drop lists the packets it dropped; the raw list is kept only when some entry could not be read
    const dropList = kv.packets?.includes('<') ? parsePacketList(kv.packets) : undefined;
    if (dropList?.packets.length) set(doc, 'checkpoint.packets_dropped', dropList.packets);
    const action = kv.action?.toLowerCase();
    if (kv.operation === 'Log In' || kv.operation === 'Log Out') {
      const failed = kv.audit_status === 'Failure';
      const login = kv.operation === 'Log In';
      set(doc, 'event.action', login ? (failed ? 'logon-failed' : 'logged-in') : 'logged-out');
      set(doc, 'event.category', ['authentication']);
      set(doc, 'event.type', [login ? 'start' : 'end']);
      set(doc, 'event.outcome', failed ? 'failure' : 'success');
      set(doc, 'event.code', kv.operation_number);
      const reason = /failed to log in: (.*)$/.exec(kv.additional_info ?? '');
      if (reason) set(doc, 'event.reason', reason[1].trim());
      if (kv.product === 'Expert Shell') set(doc, 'network.protocol', 'ssh');
    } else if (kv.protection_name || kv.malware_action || kv.attack) {
      set(doc, 'event.kind', 'alert');
      const malware = /anti-?virus|anti-?bot|threat emulation/i.test(kv.product ?? '') || !!kv.malware_action;
      set(doc, 'event.category', malware ? ['malware'] : ['intrusion_detection', 'network']);
      set(doc, 'event.type', [action === 'prevent' || action === 'drop' || action === 'block' ? 'denied' : 'info']);
      set(doc, 'event.action', kv.action);
      set(doc, 'event.severity', SEVERITY[(kv.severity ?? '').toLowerCase()] ?? toInt(kv.severity));
      set(doc, 'file.name', kv.file_name);
      set(doc, 'file.hash.md5', kv.file_md5);
      set(doc, 'file.hash.sha1', kv.file_sha1);
      set(doc, 'file.hash.sha256', kv.file_sha256);
      if (malware) set(doc, 'threat.software.name', kv.protection_name ?? kv.malware_family);
    } else if (action === 'log in' || action === 'failed log in') {
      // an Identity Awareness / SmartConsole login written as the action itself
      const ok = action === 'log in';
      set(doc, 'event.action', ok ? 'logged-in' : 'logon-failed');
      set(doc, 'event.category', ['network', 'authentication']);
      set(doc, 'event.type', [ok ? 'allowed' : 'denied']);
      set(doc, 'event.outcome', ok ? 'success' : 'failure');
    } else if (action) {
      // the action as logged (Accept, Drop), as Elastic does
      set(doc, 'event.action', kv.action);
      set(doc, 'event.category', ['network']);
      const denied = ['drop', 'reject', 'block', 'prevent'].includes(action);
      append(doc, 'event.type', 'connection', denied ? 'denied' : 'allowed');
      set(doc, 'event.outcome', 'success');
    }
    // a rule that prevented, detected or quarantined is a detection, whatever the blade
    if (['Prevent', 'Detect', 'Quarantine'].includes(kv.rule_action ?? '')) {
      set(doc, 'event.kind', 'alert');
      if (kv.rule_action !== 'Quarantine') append(doc, 'event.category', 'intrusion_detection');
    }
    if (kv.packets && /^\d+$/.test(kv.packets.trim())) set(doc, 'network.packets', toInt(kv.packets.trim()));
    // a record without an action or detection (CME alerts, exporter status) is still network activity, as Elastic files it
    if (!(doc.event as Doc | undefined)?.category) set(doc, 'event.category', ['network']);
    const moved = moveToEcs(doc, kv);
    for (const [k, v] of Object.entries(kv)) {
      if (CONSUMED.has(k) || moved.has(k) || v === '' || (k === 'packets' && dropList && !dropList.unread)) continue;
      set(doc, `checkpoint.${k.replace(/[^\w]/g, '_')}`, v.trim());
    }
    fillCommunityId(doc);
  },
};
