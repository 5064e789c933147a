/**
 * Symantec Endpoint Protection Manager syslog export (the antivirus console that speaks syslog):
 * `Description,Key: value,Key: value,...` lines for risk, scan, traffic, security and system logs.
 * Risk detections become malware alerts (event.kind alert, category malware) with the file, host, user
 * and threat name, so a responder sees infected machines; every key stays under symantec_endpoint.log.*.
 */
import { safeKey } from '../../core/event';
import type { Parser } from './types';
import { Doc, ParseFailure, append, dateTimeToIso, epochToIso, excerpt, fillCommunityId, get, set, setEndpoint, toInt } from './util';
import { sepLogType } from './symantec_logtypes';

const DETECT = /(?:^|[\s:,])(?:Security risk found|Virus found|Risk Repair|Scan (?:started|Complete)|Potential risk found|Commercial application detected),|,IP Address: [^,]*,Computer name: /;

const PROVIDERS: Array<[RegExp, string]> = [
  [/^(Security risk found|Virus found|Potential risk found|Risk Repair|Commercial application detected|Risk sample submitted)/i, 'Agent Risk Log'],
  [/^Scan /i, 'Agent Scan Log'],
  [/^(Local: |Remote: )/, 'Agent Traffic Log'],
];

// a labelled column: "Key Name: value" (Elastic's pattern: a letter, then up to 28 of letters, digits, space, ( ) -)
const KEY = /^([a-zA-Z][a-zA-Z0-9 ()-]{0,28}):(?:\s(.+)|\s)?$/s;
const ALIASES: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  computer: 'computer_name', domain: 'domain_name', end_time: 'end', group_name: 'group', local: 'local_host_ip',
  local_host: 'local_host_ip', server_name: 'server', user: 'user_name',
});

function mac(v: string | undefined): string | undefined {
  const hex = v?.replace(/[-:.]/g, '').toUpperCase();
  return hex && /^[0-9A-F]{12}$/.test(hex) && hex !== '000000000000' ? hex.replace(/(..)(?!$)/g, '$1-') : undefined;
}

/** Local and remote ends of a traffic, packet or security row: the local host is the endpoint (host.*). */
function mapNetwork(doc: Doc, f: Record<string, string>): void {
  if (!f.local_host_ip && !f.remote_host_ip) return;
  const direction = f.traffic_direction?.toLowerCase();
  const ingress = direction === 'inbound';
  const [local, remote] = ingress ? ['destination', 'source'] : ['source', 'destination'];
  if (f.local_host_ip && f.local_host_ip !== '0.0.0.0') setEndpoint(doc, local, f.local_host_ip, f.local_port !== '0' ? f.local_port : undefined);
  if (f.remote_host_ip && f.remote_host_ip !== '0.0.0.0') setEndpoint(doc, remote, f.remote_host_ip, f.remote_port !== '0' ? f.remote_port : undefined);
  set(doc, `${local}.mac`, mac(f.local_host_mac));
  set(doc, `${remote}.mac`, mac(f.remote_host_mac));
  set(doc, `${local}.domain`, f.local_host_name || undefined);
  set(doc, `${remote}.domain`, f.remote_host_name || undefined);
  set(doc, 'network.transport', f.network_protocol?.toLowerCase() || undefined);
  set(doc, 'network.direction', ingress ? 'ingress' : direction === 'outbound' ? 'egress' : direction || undefined);
  if (f.local_host_ip && f.local_host_ip !== '0.0.0.0') append(doc, 'host.ip', f.local_host_ip);
  if (mac(f.local_host_mac)) set(doc, 'host.mac', [mac(f.local_host_mac)]);
  fillCommunityId(doc);
}

/** Splits on commas that start a new `Key: ` field or an empty positional field. */
export function splitSepFields(text: string): string[] {
  return text.split(',');
}

export const symantecEndpoint: Parser = {
  name: 'symantec_endpoint',
  dataset: 'symantec_endpoint.log',
  // SEPM's syslog tag, a manager row ("Site: ...,Server: ..."), or an agent row's own keys
  detect: (_line, h) => h.appname === 'SymantecServer' || /^Site: [^,]*,Server: /.test(h.message) || DETECT.test(h.message),
  parseLine(doc, line, h, ctx) {
    const body = h.rfc === 'none' ? line : h.message;
    const parts = splitSepFields(body);
    if (parts.length < 3) throw new ParseFailure(`Symantec Endpoint line needs comma-separated "Key: value" fields at ${excerpt(body)}`);
    // each column is "Key: value" (a labelled column) or a bare value; Elastic's key names (lower case, _ for spaces)
    const f: Record<string, string> = {};
    const keys: string[] = [];
    parts.forEach((p) => {
      const m = KEY.exec(p);
      if (!m) {
        keys.push('NONE');
        return;
      }
      const raw = m[1].toLowerCase().replace(/ /g, '_').replace(/[()]+/g, '');
      const key = safeKey(ALIASES[raw] ?? raw);
      keys.push(key);
      if (m[2] !== undefined && m[2].trim() !== '') f[key] = m[2].trim();
    });
    const logType = sepLogType(keys.join('|'));
    if (logType) for (const [i, name] of Object.entries(logType.columns)) if (parts[+i]?.trim()) f[name] = parts[+i].trim();
    const positional = parts.filter((_p, i) => keys[i] === 'NONE' && !(logType && Object.hasOwn(logType.columns, i)));
    // the first column of a row that is not a log type's own column is the computer (Elastic: host.hostname)
    const first = keys[0] === 'NONE' && !(logType && Object.hasOwn(logType.columns, 0)) ? parts[0].trim() : undefined;
    const firstIsHost = !!first && /^[.a-zA-Z0-9_-]+$/.test(first);
    const description = f.event_description ?? (first && !firstIsHost ? first : undefined);
    const log = 'symantec_endpoint.log';
    const tz = ctx.timezone;
    const time = (v: string | undefined): string | undefined => {
      if (!v) return undefined;
      const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(v.trim());
      return m ? dateTimeToIso(m[1], m[2], tz) : undefined;
    };
    for (const [k, v] of Object.entries(f)) if (v !== '') set(doc, `${log}.${k}`, v);
    for (const k of ['event_time', 'inserted', 'last_update_time']) if (f[k]) set(doc, `${log}.${k}`, time(f[k]) ?? f[k]);
    if (f.action) set(doc, `${log}.action`, f.action.toLowerCase());
    if (f.signing_timestamp && /^\d+$/.test(f.signing_timestamp)) set(doc, `${log}.signing_timestamp`, epochToIso(f.signing_timestamp));
    if (description) {
      set(doc, `${log}.event_description`, description);
      delete doc.message;
      set(doc, 'message', description);
    }
    const filePath = f.file_path ?? positional.find((p) => /^[a-zA-Z]:\\|^\\\\|^\//.test(p));
    if (filePath) set(doc, `${log}.file_path`, filePath);
    delete doc.host;
    // the relay rule (relay.ts): the computer the row is about is the host; SEPM (Server) is the observer
    const computer = f.computer_name ?? (firstIsHost ? first : undefined);
    set(doc, 'host.hostname', computer);
    set(doc, 'host.name', computer);
    if (f.ip_address) set(doc, 'host.ip', [f.ip_address]);
    set(doc, 'user.name', f.user_name || f.admin || f.user1 || undefined);
    set(doc, 'user.domain', f.domain_name || undefined);
    // the row's own event time, else the syslog header's (a row without a header: when its traffic began)
    set(doc, '@timestamp', time(f.event_time) ?? (h.rfc === 'none' ? time(f.begin) : undefined));
    set(doc, 'event.end', time(f.end));
    set(doc, 'event.start', time(f.begin));
    set(doc, 'event.action', f.action?.toLowerCase() || f.actual_action || undefined);
    if (toInt(f.occurrences) !== undefined) set(doc, 'event.count', toInt(f.occurrences));
    const provider = logType?.name ?? PROVIDERS.find(([re]) => re.test(description ?? ''))?.[1];
    set(doc, 'event.provider', provider);
    if (logType?.category) set(doc, 'event.category', [...logType.category]);
    if (logType?.type) set(doc, 'event.type', [...logType.type]);
    mapNetwork(doc, f);
    set(doc, 'process.executable', f.application || f.caller_process_name || undefined);
    if (toInt(f.caller_process_id) !== undefined) set(doc, 'process.pid', toInt(f.caller_process_id));
    set(doc, 'process.hash.md5', f['md-5']?.toLowerCase() || undefined);
    set(doc, 'process.hash.sha256', f['sha-256']?.toLowerCase() || undefined);
    for (const h of [f['md-5'], f['sha-256']]) if (h) append(doc, 'related.hash', h.toLowerCase());
    set(doc, 'rule.name', f.rule || undefined);
    set(doc, 'rule.id', f.intrusion_id || undefined);
    set(doc, 'url.original', f.intrusion_url || undefined);
    if (toInt(f.duration_seconds) !== undefined) set(doc, 'event.duration', toInt(f.duration_seconds)! * 1e9);
    if (f.action?.toLowerCase() === 'blocked' || (description && /blocked/.test(description) && !/not blocked/.test(description))) append(doc, 'event.type', 'denied');
    else if (f.action?.toLowerCase() === 'not blocked' || (description && /not blocked/.test(description))) append(doc, 'event.type', 'allowed');
    if (filePath) set(doc, 'file.path', filePath);
    if (filePath) set(doc, 'file.name', filePath.split(/[\\/]/).pop());
    if (toInt(f.file_size_bytes) !== undefined) set(doc, 'file.size', toInt(f.file_size_bytes));
    // the certificate thumbprint is not the file's hash (Elastic puts it in file.hash.sha1): kept under symantec_endpoint.log only
    if (f.application_hash && /^[0-9a-fA-F]{64}$/.test(f.application_hash)) {
      set(doc, 'file.hash.sha256', f.application_hash.toLowerCase());
      append(doc, 'related.hash', f.application_hash.toLowerCase());
    }
    set(doc, 'file.pe.company', f.company_name || undefined);
    set(doc, 'file.pe.product', f.application_name || undefined);
    set(doc, 'file.pe.file_version', f.application_version || undefined);
    const issuers = [f.certificate_issuer, f.certificate_signer].filter((x): x is string => !!x);
    if (issuers.length) set(doc, 'file.x509.issuer.common_name', issuers);
    set(doc, 'file.x509.serial_number', f.certificate_serial_number || undefined);
    if (f.signing_timestamp && /^\d+$/.test(f.signing_timestamp)) set(doc, 'file.x509.not_before', epochToIso(f.signing_timestamp));
    if (!get(doc, 'process.executable')) set(doc, 'process.executable', f.downloaded_by || undefined);
    set(doc, 'source.geo.name', f.location || undefined);
    if (f.source_ip) setEndpoint(doc, 'source', f.source_ip);
    set(doc, 'source.domain', f.source_computer || undefined);
    set(doc, 'observer.vendor', 'Symantec');
    set(doc, 'observer.product', 'Endpoint Protection');
    set(doc, 'observer.type', 'edr');
    set(doc, 'observer.hostname', f.server || undefined);
    if (provider === 'Agent Risk Log') {
      // an antivirus detection is something a responder must see
      set(doc, 'event.kind', 'alert');
      set(doc, 'event.category', ['malware']);
      set(doc, 'event.type', ['info']);
      set(doc, 'rule.name', f.risk_name);
      set(doc, 'threat.software.name', f.risk_name);
      set(doc, 'threat.software.type', f.category_set || undefined);
      const action = (f.actual_action ?? '').toLowerCase();
      set(doc, 'event.outcome', /fail|left alone/.test(action) ? 'failure' : action ? 'success' : undefined);
    }
  },
};
