/**
 * Palo Alto Networks PAN-OS syslog in the default CSV layout: TRAFFIC, THREAT (incl. url,
 * virus, spyware, vulnerability, wildfire) and SYSTEM logs here; GLOBALPROTECT (panos_globalprotect.ts) and CONFIG,
 * USERID, HIPMATCH, AUTHENTICATION (panos_other.ts) dispatched by type. Positions follow the PAN-OS syslog field
 * descriptions; ECS mapping follows Elastic's panw.panos.
 */
import type { Parser } from './types';
import { Doc, ParseFailure, append, excerpt, fillCommunityId, localToEpoch, set, setEndpoint, toInt, lookupTable } from './util';
import { GLOBALPROTECT_LAYOUT, mapGlobalProtect } from './panos_globalprotect';
import { OTHER_LAYOUTS, mapOtherLog } from './panos_other';

/** Splits one CSV record; quoted fields may hold commas and doubled quotes. */
export function splitCsv(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i <= n) {
    if (s[i] === '"') {
      let v = '';
      i++;
      while (i < n) {
        if (s[i] === '"' && s[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (s[i] === '"') {
          i++;
          break;
        } else v += s[i++];
      }
      out.push(v);
      while (i < n && s[i] !== ',') i++;
      i++;
    } else {
      const j = s.indexOf(',', i);
      if (j < 0) {
        out.push(s.slice(i));
        break;
      }
      out.push(s.slice(i, j));
      i = j + 1;
    }
  }
  return out;
}

const DETECT = /(?:^|\s)\d+,\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2},[^,]*,(TRAFFIC|THREAT|SYSTEM|CONFIG|GLOBALPROTECT|USERID|HIPMATCH|AUTHENTICATION|DECRYPTION),/;

const COMMON = ['future_use1', 'receive_time', 'serial', 'type', 'sub_type', 'future_use2', 'generated_time'];
const SESSION = [
  'src', 'dst', 'natsrc', 'natdst', 'rule', 'srcuser', 'dstuser', 'app', 'vsys', 'from', 'to', 'inbound_if', 'outbound_if',
  'log_profile', 'logged_time', 'session_id', 'repeat_count', 'sport', 'dport', 'natsport', 'natdport', 'flags', 'proto', 'action',
];
const LAYOUT: Record<string, string[]> = lookupTable({
  TRAFFIC: [...COMMON, ...SESSION, 'bytes', 'bytes_sent', 'bytes_received', 'packets', 'start', 'elapsed', 'category', 'future_use4',
    'seqno', 'action_flags', 'srcloc', 'dstloc', 'future_use5', 'pkts_sent', 'pkts_received', 'session_end_reason',
    'dg_hier_level_1', 'dg_hier_level_2', 'dg_hier_level_3', 'dg_hier_level_4', 'vsys_name', 'device_name', 'action_source',
    'src_uuid', 'dst_uuid', 'imsi', 'imei', 'parent_session_id', 'parent_start_time', 'tunnel_type', 'sctp_assoc_id'],
  THREAT: [...COMMON, ...SESSION, 'misc', 'threat_id', 'category', 'severity', 'direction', 'seqno', 'action_flags', 'srcloc', 'dstloc',
    'future_use4', 'content_type', 'pcap_id', 'file_digest', 'cloud', 'url_idx', 'user_agent', 'file_type', 'xff', 'referer', 'sender',
    'subject', 'recipient', 'report_id', 'dg_hier_level_1', 'dg_hier_level_2', 'dg_hier_level_3', 'dg_hier_level_4', 'vsys_name',
    'device_name', 'future_use6', 'src_uuid', 'dst_uuid', 'http_method', 'imsi', 'imei', 'parent_session_id', 'parent_start_time',
    'tunnel_type', 'threat_category', 'content_version', 'future_use7', 'sctp_assoc_id', 'payload_protocol_id', 'http_headers'],
  SYSTEM: [...COMMON, 'vsys', 'event_id', 'object', 'future_use3', 'future_use4', 'module', 'severity', 'description', 'seqno', 'action_flags',
    'dg_hier_level_1', 'dg_hier_level_2', 'dg_hier_level_3', 'dg_hier_level_4', 'vsys_name', 'device_name', 'future_use5', 'future_use6',
    'high_res_timestamp'],
  GLOBALPROTECT: [...COMMON, ...GLOBALPROTECT_LAYOUT],
  ...Object.fromEntries(Object.entries(OTHER_LAYOUTS).map(([t, cols]) => [t, [...COMMON, ...cols]])),
});

const SEVERITY: Record<string, number> = lookupTable({ critical: 1, high: 2, medium: 3, low: 4, informational: 5 });
const THREAT_ACTION: Record<string, string> = {
  url: 'url_filtering', virus: 'virus_detected', spyware: 'spyware_detected', vulnerability: 'exploit_detected',
  wildfire: 'wildfire_verdict', 'wildfire-virus': 'wildfire_virus_detected', file: 'file_match', scan: 'scan_detected',
  flood: 'flood_detected', packet: 'packet_attack', 'data': 'data_match',
};
const DENY = new Set(['deny', 'drop', 'drop-icmp', 'reset-client', 'reset-server', 'reset-both', 'block-url', 'block-ip', 'sinkhole', 'block', 'block-continue', 'drop-all-packets']);

function panTime(v: string | undefined, tz: string): string | undefined {
  const m = v ? /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(v) : null;
  if (!m) return undefined;
  return new Date(localToEpoch(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], 0, tz)).toISOString();
}

/** The text after the `n`th comma of `s` (outside quotes), or undefined when the record is shorter. */
function nthCommaTail(s: string, n: number): string | undefined {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') quoted = !quoted;
    else if (s[i] === ',' && !quoted && --n === 0) return s.slice(i + 1);
  }
  return undefined;
}

export const panos: Parser = {
  name: 'panos',
  dataset: 'panw.panos',
  observer: { vendor: 'Palo Alto Networks', product: 'PAN-OS', type: 'firewall' },
  detect: (line) => DETECT.test(line),
  parseLine(doc, line, h, ctx) {
    const body = /\d+,\d{4}\/\d{2}\/\d{2} /.exec(h.rest);
    if (!body) throw new ParseFailure(`no PAN-OS CSV record (1,YYYY/MM/DD ...) in ${excerpt(line)}`);
    const cols = splitCsv(h.rest.slice(body.index));
    const type = cols[3];
    const layout = LAYOUT[type] ?? COMMON;
    const f: Record<string, string> = {};
    layout.forEach((name, i) => {
      if (cols[i] !== undefined && cols[i] !== '' && !name.startsWith('future_use')) f[name] = cols[i];
    });
    const tz = ctx.timezone;
    // PAN-OS 10 appends a millisecond ISO time with its offset: the most precise, and free of the device-zone guess
    const hires = f.high_res_timestamp && !Number.isNaN(Date.parse(f.high_res_timestamp)) ? new Date(f.high_res_timestamp).toISOString() : undefined;
    set(doc, '@timestamp', hires ?? panTime(f.generated_time, tz) ?? panTime(f.receive_time, tz));
    set(doc, 'panw.panos.high_resolution_timestamp', hires);
    set(doc, 'event.timezone', tz);
    delete doc.process;
    delete doc.message;
    // Elastic's message: the record after its common columns (what its pipeline has not taken apart)
    const rest = nthCommaTail(h.rest.slice(body.index), 7);
    if (rest && type !== 'SYSTEM') set(doc, 'message', rest);
    set(doc, 'observer.vendor', 'Palo Alto Networks');
    set(doc, 'observer.product', 'PAN-OS');
    set(doc, 'observer.type', 'firewall');
    set(doc, 'observer.serial_number', f.serial);
    if (h.hostname) delete doc.host;
    // the device's own name (PAN-OS 8.1+ device_name column), else the syslog host
    const deviceHost = f.device_name ?? h.hostname;
    if (deviceHost) {
      set(doc, 'observer.hostname', deviceHost);
      append(doc, 'related.hosts', deviceHost);
    }
    const p = 'panw.panos';
    set(doc, `${p}.type`, type);
    set(doc, `${p}.sub_type`, f.sub_type);
    set(doc, `${p}.received_time`, panTime(f.receive_time, tz));
    set(doc, `${p}.generated_time`, panTime(f.generated_time, tz));
    set(doc, `${p}.sequence_number`, f.seqno);
    set(doc, `${p}.action_flags`, f.action_flags);
    set(doc, `${p}.logged_time`, panTime(f.logged_time, tz));
    for (let i = 1; i <= 4; i++) set(doc, `${p}.device_group_hierarchy${i}`, f[`dg_hier_level_${i}`]);
    set(doc, `${p}.imsi`, f.imsi);
    set(doc, `${p}.imei`, f.imei);
    set(doc, `${p}.parent_session.id`, f.parent_session_id);
    set(doc, `${p}.parent_session.start_time`, panTime(f.parent_start_time, tz));
    set(doc, `${p}.tunnel_type`, f.tunnel_type);
    set(doc, `${p}.threat_category`, f.threat_category);
    set(doc, `${p}.content_version`, f.content_version);
    set(doc, `${p}.sctp.assoc_id`, f.sctp_assoc_id);
    set(doc, `${p}.payload_protocol_id`, f.payload_protocol_id);
    set(doc, `${p}.url_idx`, f.url_idx);
    set(doc, `${p}.wildfire.report_id`, f.report_id);
    set(doc, `${p}.source.uuid`, f.src_uuid);
    set(doc, `${p}.destination.uuid`, f.dst_uuid);
    if (f.device_name) set(doc, 'observer.name', f.device_name);
    // a record cut before its type, or (traffic/threat) before its action: what it holds, marked partial
    if (!LAYOUT[type] || ((type === 'TRAFFIC' || type === 'THREAT') && cols.length < 31)) {
      set(doc, 'tags', ['partial', 'panos_parse_failure']);
      set(doc, 'error.message', `panos: PAN-OS ${LAYOUT[type] ? type : 'record'} cut short (${cols.length} columns) at ${excerpt(line)}`);
    }
    if (type === 'GLOBALPROTECT') {
      mapGlobalProtect(doc, f);
      return;
    }
    if (OTHER_LAYOUTS[type]) {
      mapOtherLog(doc, type, f);
      return;
    }
    if (type === 'SYSTEM') {
      set(doc, 'event.action', f.event_id);
      set(doc, 'event.code', f.event_id);
      set(doc, 'message', f.description);
      set(doc, `${p}.description`, f.description);
      set(doc, 'log.level', f.severity);
      set(doc, 'event.severity', SEVERITY[f.severity ?? ''] );
      set(doc, `${p}.module`, f.module);
      set(doc, `${p}.object`, f.object);
      set(doc, `${p}.virtual_sys`, f.vsys);
      // Elastic files SYSTEM logs (daemon, update, HA, VPN and config-load events) under configuration
      append(doc, 'event.category', 'configuration');
      append(doc, 'event.type', 'info');
      if (/auth/.test(f.sub_type ?? '') || /^auth-/.test(f.event_id ?? '')) {
        const user = /user '([^']+)'/.exec(f.description ?? '');
        if (user) set(doc, 'user.name', user[1]);
        const from = /From: ([0-9a-fA-F:.]+)/.exec(f.description ?? '');
        if (from) setEndpoint(doc, 'source', from[1].replace(/\.$/, ''));
        (doc.event as Doc).category = ['authentication'];
        set(doc, 'event.outcome', /fail/.test(f.event_id ?? '') ? 'failure' : /success/.test(f.event_id ?? '') ? 'success' : undefined);
      }
      return;
    }
    setEndpoint(doc, 'source', f.src, f.sport);
    setEndpoint(doc, 'destination', f.dst, f.dport);
    if (f.natsrc && f.natsrc !== '0.0.0.0') {
      set(doc, 'source.nat.ip', f.natsrc);
      append(doc, 'related.ip', f.natsrc);
    }
    if (toInt(f.natsport)) set(doc, 'source.nat.port', toInt(f.natsport));
    if (f.natdst && f.natdst !== '0.0.0.0') set(doc, 'destination.nat.ip', f.natdst);
    if (toInt(f.natdport)) set(doc, 'destination.nat.port', toInt(f.natdport));
    if (f.srcuser) set(doc, 'source.user.name', f.srcuser);
    if (f.dstuser) set(doc, 'destination.user.name', f.dstuser);
    set(doc, 'rule.name', f.rule);
    set(doc, `${p}.ruleset`, f.rule);
    set(doc, 'network.application', f.app);
    set(doc, 'network.transport', f.proto);
    set(doc, `${p}.virtual_sys`, f.vsys);
    set(doc, 'observer.ingress.zone', f.from);
    set(doc, 'observer.egress.zone', f.to);
    set(doc, 'observer.ingress.interface.name', f.inbound_if);
    set(doc, 'observer.egress.interface.name', f.outbound_if);
    set(doc, `${p}.log_profile`, f.log_profile);
    set(doc, `${p}.flow_id`, f.session_id);
    set(doc, `${p}.repeat_count`, toInt(f.repeat_count));
    set(doc, `${p}.action`, f.action);
    const flags = f.flags ? parseInt(f.flags, 16) : 0;
    if (flags & 0x400000) set(doc, 'labels.nat_translated', true);
    if (flags & 0x2000) set(doc, 'labels.temporary_match', true);
    if (flags & 0x1000000) set(doc, 'labels.ssl_decrypted', true);
    if (f.srcloc) set(doc, 'source.geo.name', f.srcloc);
    if (f.dstloc) set(doc, 'destination.geo.name', f.dstloc);
    if (f.src && f.src.includes(':')) set(doc, 'network.type', 'ipv6');
    else if (f.src) set(doc, 'network.type', 'ipv4');
    const denied = DENY.has(f.action ?? '');
    // Elastic's panw pipeline: a blocked session or threat is a failed attempt
    set(doc, 'event.outcome', denied ? 'failure' : 'success');
    if (type === 'TRAFFIC') {
      set(doc, 'event.action', `flow_${f.action === 'allow' ? 'allowed' : denied ? 'dropped' : f.sub_type ?? 'event'}`);
      append(doc, 'event.category', 'network');
      const t = f.sub_type === 'start' ? 'start' : f.sub_type === 'end' ? 'end' : undefined;
      append(doc, 'event.type', 'connection');
      if (t) append(doc, 'event.type', t);
      append(doc, 'event.type', denied ? 'denied' : 'allowed');
      set(doc, 'source.bytes', toInt(f.bytes_sent));
      set(doc, 'destination.bytes', toInt(f.bytes_received));
      set(doc, 'network.bytes', toInt(f.bytes));
      set(doc, 'source.packets', toInt(f.pkts_sent));
      set(doc, 'destination.packets', toInt(f.pkts_received));
      set(doc, 'network.packets', toInt(f.packets));
      const elapsed = toInt(f.elapsed);
      if (elapsed !== undefined) set(doc, 'event.duration', elapsed * 1e9);
      set(doc, `${p}.url.category`, f.category);
      set(doc, `${p}.endreason`, f.session_end_reason);
      if (f.start) set(doc, 'event.start', panTime(f.start, tz));
    } else if (type === 'THREAT') {
      set(doc, 'event.kind', 'alert');
      set(doc, 'event.action', THREAT_ACTION[f.sub_type ?? ''] ?? f.sub_type);
      append(doc, 'event.category', 'intrusion_detection', 'threat', 'network');
      append(doc, 'event.type', denied ? 'denied' : 'allowed');
      set(doc, 'log.level', f.severity);
      set(doc, 'event.severity', SEVERITY[f.severity ?? '']);
      if (f.direction) set(doc, 'network.direction', f.direction === 'client-to-server' ? 'inbound' : 'outbound');
      const tid = /^(.*?)\(?(\d+)\)$/.exec(f.threat_id ?? '');
      if (tid) {
        const name = tid[1].replace(/\($/, '').trim();
        set(doc, `${p}.threat.id`, tid[2]);
        set(doc, `${p}.threat.name`, name || (f.sub_type === 'url' ? 'URL-filtering' : undefined));
        set(doc, 'rule.id', tid[2]);
        if (name) set(doc, 'rule.name', name);
      }
      set(doc, `${p}.url.category`, f.category);
      if (f.sub_type === 'url' && f.misc) {
        set(doc, 'url.original', f.misc);
        const um = /^(?:(\w+):\/\/)?([^/:]+)(?::(\d+))?(\/[^?#]*)?(?:\?([^#]*))?/.exec(f.misc);
        if (um) {
          set(doc, 'url.scheme', um[1]);
          set(doc, 'url.domain', um[2]);
          set(doc, 'destination.domain', um[2]);
          set(doc, 'url.path', um[4]);
          set(doc, 'url.query', um[5]);
        }
      } else if (f.misc) {
        set(doc, 'file.name', f.misc);
      }
      if (f.file_digest) set(doc, 'file.hash.sha256', f.file_digest);
      set(doc, 'user_agent.original', f.user_agent);
      set(doc, 'http.request.referrer', f.referer);
      set(doc, `${p}.content_type`, f.content_type);
      if (f.sub_type === 'virus' || f.sub_type === 'wildfire-virus') {
        (doc.event as Doc).category = ['malware', 'intrusion_detection', 'network'];
      }
    }
    fillCommunityId(doc);
  },
};
