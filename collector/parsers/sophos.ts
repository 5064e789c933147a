/**
 * Sophos firewalls: XG / SFOS `device="SFW" date=... log_id=... log_type=...` key=value lines
 * (firewall, authentication, IPS, anti-virus, web filter) and UTM `YYYY:MM:DD-hh:mm:ss host prog[pid]: k="v" ...`
 * lines (packet filter, DHCP). Mapping follows Elastic's sophos.xg / sophos.utm; keys stay under sophos.*.
 */
import type { Parser } from './types';
import { deviceZone } from './sophos_timezone';
import { parseSyslogHeader } from './syslog';
import { Doc, IANA_NUMBERS, LOG_LEVELS, ParseFailure, TRANSPORT_BY_NUMBER, append, dateTimeToIso, excerpt, fillCommunityId, get, isValidTimezone, normalizeMac, parseKeyValues, related, set, setEndpoint, toInt } from './util';

const PRIORITY: Record<string, number> = { emergency: 0, alert: 1, critical: 2, error: 3, warning: 4, notice: 5, information: 6, informational: 6, debug: 7 };

/** XG keys mapped to ECS and not repeated under sophos.xg.* */
const XG_CONSUMED = new Set([
  'date', 'time', 'device_id', 'device_serial_id', 'timestamp', 'message', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'protocol', 'user_name', 'usergroupname',
  'src_mac', 'dst_mac', 'fw_rule_name', 'from_email_address', 'to_email_address', 'src_domainname', 'dst_domainname', 'name', 'reason', 'sent_bytes', 'recv_bytes', 'url', 'domain', 'virus', 'signature_id',
  'signature_msg', 'in_interface', 'out_interface', 'src_trans_ip', 'dst_trans_ip', 'src_trans_port', 'dst_trans_port', 'filename', 'user_agent',
]);

function xg(doc: Doc, kv: Record<string, string>, sourceTz: string): void {
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
  if (kv.log_id) set(doc, 'event.code', kv.log_id.slice(-5));
  const prio = PRIORITY[(kv.priority ?? '').toLowerCase()];
  if (prio !== undefined) {
    set(doc, 'event.severity', prio);
    set(doc, 'log.level', LOG_LEVELS[prio]);
  }
  set(doc, 'message', kv.message);
  setEndpoint(doc, 'source', kv.src_ip, kv.src_port);
  setEndpoint(doc, 'destination', kv.dst_ip, kv.dst_port);
  for (const side of ['source', 'destination']) {
    const d = doc[side] as Doc | undefined;
    if (d && d.ip !== undefined) delete d.address;
  }
  set(doc, 'source.mac', normalizeMac(kv.src_mac));
  set(doc, 'destination.mac', normalizeMac(kv.dst_mac));
  set(doc, 'source.nat.ip', kv.src_trans_ip);
  set(doc, 'destination.nat.ip', kv.dst_trans_ip);
  set(doc, 'observer.ingress.interface.name', kv.in_interface);
  set(doc, 'observer.egress.interface.name', kv.out_interface);
  if (kv.protocol) set(doc, 'network.transport', kv.protocol.toLowerCase());
  if (kv.user_name) {
    set(doc, 'user.name', kv.user_name);
    set(doc, 'source.user.name', kv.user_name);
  }
  set(doc, 'source.user.group.name', kv.usergroupname);
  set(doc, 'rule.id', kv.fw_rule_id);
  set(doc, 'rule.name', kv.fw_rule_name);
  if (toInt(kv.sent_bytes) !== undefined) set(doc, 'source.bytes', toInt(kv.sent_bytes));
  if (toInt(kv.recv_bytes) !== undefined) set(doc, 'destination.bytes', toInt(kv.recv_bytes));
  if (toInt(kv.sent_bytes) !== undefined && toInt(kv.recv_bytes) !== undefined) set(doc, 'network.bytes', toInt(kv.sent_bytes)! + toInt(kv.recv_bytes)!);
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
  const status = (kv.status ?? '').toLowerCase();
  if (sub === 'authentication' || /authentication/i.test(kv.log_component ?? '')) {
    set(doc, 'event.category', ['authentication']);
    set(doc, 'event.type', ['user', 'start']);
    set(doc, 'event.outcome', /success/.test(status) ? 'success' : /fail|denied/.test(status) ? 'failure' : undefined);
  } else if (type === 'firewall') {
    set(doc, 'event.category', ['network']);
    const denied = /denied|drop|reject/.test(sub) || /deny|drop/.test(status);
    set(doc, 'event.type', ['connection', denied ? 'denied' : 'allowed']);
    set(doc, 'event.outcome', 'success');
  } else if (type === 'atp') {
    atp(doc, kv);
  } else if (type === 'waf') {
    waf(doc, kv, sub);
  } else if (type === 'system health') {
    set(doc, 'event.category', ['host']);
    set(doc, 'event.type', ['info']);
  } else if (type === 'anti-spam') {
    antispam(doc, kv);
  } else if (type === 'wireless protection') {
    set(doc, 'event.outcome', 'success');
  } else if (type === 'sandbox') {
    sandbox(doc, kv, sub);
  } else if (type === 'anti-virus' || type === 'sandstorm' || kv.virus) {
    set(doc, 'event.kind', 'alert');
    set(doc, 'event.category', ['malware']);
    set(doc, 'event.type', ['info']);
    set(doc, 'rule.name', kv.virus);
    set(doc, 'threat.software.name', kv.virus);
    set(doc, 'file.name', kv.filename);
  } else if (type === 'idp' || type === 'ips' || kv.signature_id) {
    set(doc, 'event.kind', 'alert');
    set(doc, 'event.category', ['intrusion_detection', 'network']);
    set(doc, 'event.type', [/drop|block/.test(sub) ? 'denied' : 'info']);
    set(doc, 'rule.id', kv.signature_id);
    set(doc, 'rule.name', kv.signature_msg);
  } else if (type === 'content filtering') {
    set(doc, 'event.category', ['network', 'web']);
    set(doc, 'event.type', [/denied|block/.test(sub) ? 'denied' : 'allowed']);
  }
  fillCommunityId(doc);
  for (const [k, v] of Object.entries(kv)) {
    if (XG_CONSUMED.has(k) || v === '' || v === 'N/A' || v === '-') continue;
    const key = XG_KEYS[k] ?? k.replace(/[^\w]/g, '_');
    set(doc, `sophos.xg.${key}`, XG_COUNTS.has(key) ? toInt(v) ?? v : v);
  }
}

/** SFOS 19's `timestamp="2026-03-14T09:10:00+0700"` (the offset is the device's) */
function sfosTimestamp(v: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?([+-]\d{2}):?(\d{2})$/.exec(v.trim());
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** ATP (Advanced Threat Protection): a host reaching a C2 or botnet address: an alert, denied when dropped */
function atp(doc: Doc, kv: Record<string, string>): void {
  const code = kv.log_id ? kv.log_id.slice(-5) : '';
  const dropped = code === '18009' || code === '18010' || /drop|block/i.test(kv.log_subtype ?? '');
  set(doc, 'event.kind', 'alert');
  if (kv.log_subtype) set(doc, 'event.action', kv.log_subtype.toLowerCase());
  set(doc, 'event.outcome', 'success');
  set(doc, 'event.category', ['intrusion_detection', 'network']);
  set(doc, 'event.type', dropped ? ['denied', 'connection'] : ['info', 'connection']);
  if (kv.sourceip) setEndpoint(doc, 'source', kv.sourceip, kv.src_port);
  if (kv.destinationip) setEndpoint(doc, 'destination', kv.destinationip, kv.dst_port);
  for (const side of ['source', 'destination']) if ((doc[side] as Doc | undefined)?.ip !== undefined) delete (doc[side] as Doc).address;
  set(doc, 'rule.name', kv.threatname);
  if (kv.url) set(doc, 'url.original', kv.url);
  set(doc, 'user.name', kv.login_user || undefined);
  set(doc, 'process.executable', kv.execution_path || undefined);
}

/** WAF (web server protection): a request the firewall's reverse proxy let through or blocked */
function waf(doc: Doc, kv: Record<string, string>, sub: string): void {
  const denied = /denied|block|drop/.test(sub) || /block|denied/i.test(kv.action ?? '');
  set(doc, 'event.category', ['network', 'web']);
  set(doc, 'event.type', denied ? ['denied', 'access'] : ['allowed', 'access']);
  if (denied || kv.reason) set(doc, 'event.kind', 'alert');
  set(doc, 'event.action', kv.log_subtype);
  // the client and the protected web server behind the reverse proxy
  if (kv.sourceip) setEndpoint(doc, 'source', kv.sourceip);
  if (kv.localip) setEndpoint(doc, 'destination', kv.localip);
  for (const side of ['source', 'destination']) if ((doc[side] as Doc | undefined)?.ip !== undefined) delete (doc[side] as Doc).address;
  set(doc, 'http.request.method', kv.method);
  set(doc, 'http.response.status_code', toInt(kv.httpstatus));
  set(doc, 'http.request.referrer', kv.referer);
  set(doc, 'url.domain', kv.server);
  set(doc, 'url.query', kv.querystring);
  set(doc, 'user_agent.original', kv.user_agent);
}

/** keys SFOS spells in mixed case, written as Elastic's pipeline names them */
const XG_KEYS: Record<string, string> = Object.assign(Object.create(null), { clients_conn_SSID: 'clients_conn_ssid', SysLog_SERVER_NAME: 'syslog_server_name' });
const XG_COUNTS = new Set(['clients_conn_ssid']);

/** log ids (last five digits) of spam, virus and phishing verdicts: alerts; 13012 is an SMTP DoS/IPS verdict */
const SPAM_ALERTS = new Set(['13001', '13002', '13004', '13005', '13006', '13009', '13012', '13014', '14001', '14002', '15001', '15002']);
const SPAM_ALLOWED = new Set(['13003', '13007', '13008', '13010', '13013', '14003', '15003', '18035']);

/** Anti-Spam (SMTP/POP/IMAP scanning): sender, recipient, subject, the verdict by log id */
function antispam(doc: Doc, kv: Record<string, string>): void {
  const code = kv.log_id ? kv.log_id.slice(-5) : '';
  set(doc, 'event.action', kv.log_subtype);
  set(doc, 'event.outcome', 'success');
  const alert = SPAM_ALERTS.has(code);
  if (alert) set(doc, 'event.kind', 'alert');
  append(doc, 'event.category', ...(alert ? [code === '13012' ? 'intrusion_detection' : 'malware'] : []), 'network');
  if (alert) append(doc, 'event.type', 'info', 'denied', 'connection');
  else if (SPAM_ALLOWED.has(code)) append(doc, 'event.type', 'allowed', 'connection');
  if (kv.log_component) set(doc, 'network.protocol', kv.log_component.toLowerCase());
  mailbox(doc, 'source', kv.from_email_address);
  set(doc, 'destination.user.email', kv.to_email_address);
  // the sender is the user the record is about (as Elastic); the recipient stays queryable as destination.user.email
  related(doc, 'user', get(doc, 'source.user.name'));
  related(doc, 'user', kv.from_email_address);
  if (kv.from_email_address) set(doc, 'email.from.address', [kv.from_email_address]);
  if (kv.to_email_address) set(doc, 'email.to.address', [kv.to_email_address]);
  set(doc, 'email.subject', kv.email_subject || kv.subject);
}

/** the sender `user@domain` as <side>.user.email, .name and .domain */
function mailbox(doc: Doc, side: string, address: string | undefined): void {
  if (!address) return;
  set(doc, `${side}.user.email`, address);
  const at = address.lastIndexOf('@');
  if (at > 0) {
    set(doc, `${side}.user.name`, address.slice(0, at));
    set(doc, `${side}.user.domain`, address.slice(at + 1));
  }
}

/** Sandstorm (log_type Sandbox): a file sent for detonation, allowed, pending or denied as malicious */
function sandbox(doc: Doc, kv: Record<string, string>, sub: string): void {
  const denied = /denied|block/.test(sub);
  set(doc, 'event.action', kv.log_subtype);
  if (denied) set(doc, 'event.kind', 'alert');
  set(doc, 'event.category', denied ? ['malware', 'network'] : ['network']);
  // the verdict, then where the file is in the sandbox: sent (pending) or done with (eligible: the analysis ended)
  const reason = (kv.reason ?? '').toLowerCase();
  const type = denied ? ['denied', 'connection'] : [...(sub === 'allowed' ? ['allowed'] : []), ...(reason === 'pending' || (!reason && /pending/.test(sub)) ? ['start', 'connection'] : reason === 'eligible' ? ['end', 'connection'] : [])];
  set(doc, 'event.type', type.length ? type : ['info']);
  set(doc, 'event.outcome', 'success');
  if (kv.filename) set(doc, 'file.name', kv.filename);
  if (kv.filetype) set(doc, 'file.mime_type', kv.filetype);
  set(doc, 'file.size', toInt(kv.filesize));
  // the field is named sha1sum, but newer releases write a SHA-256 in it: the length says which
  if (kv.sha1sum) {
    set(doc, kv.sha1sum.length === 64 ? 'file.hash.sha256' : 'file.hash.sha1', kv.sha1sum);
    related(doc, 'hash', kv.sha1sum);
  }
  // "source" is the web server the file was downloaded from: the connection's destination
  const site = kv.source || kv.destination;
  if (site) {
    set(doc, 'destination.domain', site);
    set(doc, 'url.domain', site);
    related(doc, 'hosts', site);
  }
}

/** UTM's DNS proxy (BIND named): interfaces it listens on or stops listening on, and its other notices as the message */
function named(doc: Doc, body: string): void {
  set(doc, 'event.provider', 'dns');
  set(doc, 'network.protocol', 'dns');
  set(doc, 'network.transport', 'udp');
  set(doc, 'event.category', ['network']);
  set(doc, 'event.type', ['info', 'connection', 'protocol']);
  const on = /^listening on (IPv[46]) interface ([^,\s]+), ([\da-fA-F:.]+)#(\d+)$/.exec(body);
  const off = on ? undefined : /^no longer listening on ([\da-fA-F:.]+)#(\d+)$/.exec(body);
  if (on) {
    set(doc, 'network.type', on[1].toLowerCase());
    set(doc, 'observer.ingress.interface.name', on[2]);
  }
  const addr = on ? [on[3], on[4]] : off ? [off[1], off[2]] : undefined;
  if (!addr) return set(doc, 'message', body);
  set(doc, 'event.action', 'named-listening');
  setEndpoint(doc, 'server', addr[0], addr[1]);
  if (doc.server) delete (doc.server as Doc).address;
}

const UTM_TS = /^(\d{4}):(\d{2}):(\d{2})-(\d{2}):(\d{2}):(\d{2}) (\S+) ([\w./-]+?)(?:\[(\d+)\])?: ?(.*)$/;

function utm(doc: Doc, line: string, tz: string): void {
  const m = UTM_TS.exec(line.replace(/^<\d{1,3}>/, ''));
  if (!m) throw new ParseFailure(`Sophos UTM line needs "YYYY:MM:DD-hh:mm:ss host program:" at ${excerpt(line)}`);
  const [, y, mo, d, hh, mi, ss, host, prog, pid, body] = m;
  set(doc, '@timestamp', dateTimeToIso(`${y}-${mo}-${d}`, `${hh}:${mi}:${ss}`, tz));
  set(doc, 'event.timezone', tz);
  set(doc, 'host.hostname', host);
  set(doc, 'host.name', host);
  set(doc, 'process.name', prog);
  if (pid) set(doc, 'process.pid', Number(pid));
  set(doc, 'observer.vendor', 'Sophos');
  set(doc, 'observer.product', 'UTM');
  set(doc, 'observer.type', 'firewall');
  if (prog === 'dhcpd') {
    set(doc, 'event.provider', 'dhcp');
    set(doc, 'network.protocol', 'dhcp');
    set(doc, 'network.transport', 'udp');
    set(doc, 'event.category', ['network']);
    set(doc, 'event.type', ['info', 'connection', 'protocol']);
    const dh = /^(DHCP[A-Z]+) (?:on ([0-9.]+) to |for ([0-9.]+) from |from )?([0-9a-fA-F:]{17})?(?: \(([^)]*)\))? ?(?:via (\S+?))?(?::\s*(.*))?$/.exec(body);
    // dhcpd start-up: the socket each interface serves (`Listening on LPF/eth0/<mac>/<subnet>`)
    const sock = /^(Listening|Sending) on\s+(\w+)\/([^/\s]+)\/([0-9a-fA-F:]{17})(?:\/(\S+))?\s*$/.exec(body);
    if (dh) {
      set(doc, 'event.action', dh[1].toLowerCase());
      setEndpoint(doc, 'client', dh[2] ?? dh[3]);
      if (doc.client) delete (doc.client as Doc).address;
      set(doc, 'client.mac', normalizeMac(dh[4]));
      if (dh[5]) {
        set(doc, 'client.domain', dh[5]);
        set(doc, 'sophos.utm.client.hostname', dh[5]);
        related(doc, 'hosts', dh[5]);
      }
      set(doc, 'observer.ingress.interface.name', dh[6]);
      set(doc, 'message', dh[7]);
    } else if (sock) {
      set(doc, 'event.action', `dhcpd-${sock[1].toLowerCase()}`);
      set(doc, 'sophos.utm.socket', sock[2]);
      set(doc, 'observer.ingress.interface.name', sock[3]);
      // the firewall's own interface, not a DHCP client (Elastic: client.mac; see CONFORMANCE.md)
      const mac = normalizeMac(sock[4]);
      if (mac) set(doc, 'observer.mac', [mac]);
      set(doc, 'sophos.utm.subnet', sock[5]);
    } else set(doc, 'message', body);
    return;
  }
  if (prog === 'named') return named(doc, body);
  const kv = parseKeyValues(body);
  if (!Object.keys(kv).length) {
    set(doc, 'message', body);
    return;
  }
  set(doc, 'event.code', kv.id);
  set(doc, 'log.level', kv.severity);
  set(doc, 'message', kv.name);
  set(doc, 'event.action', kv.action);
  setEndpoint(doc, 'source', kv.srcip, kv.srcport);
  setEndpoint(doc, 'destination', kv.dstip, kv.dstport);
  set(doc, 'source.mac', normalizeMac(kv.srcmac));
  set(doc, 'destination.mac', normalizeMac(kv.dstmac));
  if (kv.proto) {
    set(doc, 'network.iana_number', kv.proto);
    set(doc, 'network.transport', TRANSPORT_BY_NUMBER[kv.proto] ?? (IANA_NUMBERS[kv.proto.toLowerCase()] ? kv.proto.toLowerCase() : undefined));
  }
  set(doc, 'rule.id', kv.fwrule);
  set(doc, 'observer.ingress.interface.name', kv.initf);
  set(doc, 'observer.egress.interface.name', kv.outitf);
  set(doc, 'user.name', kv.user);
  set(doc, 'url.original', kv.url);
  if (kv.sub === 'packetfilter') {
    set(doc, 'event.category', ['network']);
    append(doc, 'event.type', 'connection', /drop|reject/.test(kv.action ?? '') ? 'denied' : 'allowed');
  } else if (kv.sub === 'auth' || /auth/i.test(kv.name ?? '')) {
    set(doc, 'event.category', ['authentication']);
    set(doc, 'event.outcome', /fail|denied/i.test(`${kv.name} ${kv.status ?? ''}`) ? 'failure' : /success|logged in/i.test(kv.name ?? '') ? 'success' : undefined);
  } else if (kv.virus) {
    set(doc, 'event.kind', 'alert');
    set(doc, 'event.category', ['malware']);
    set(doc, 'threat.software.name', kv.virus);
    set(doc, 'rule.name', kv.virus);
  } else if (kv.sub === 'http') {
    utmWeb(doc, kv);
  } else if (kv.sub === 'ips') {
    // the UTM's Snort engine: the signature and its group; a drop is denied
    set(doc, 'event.kind', 'alert');
    set(doc, 'event.category', ['intrusion_detection', 'network']);
    set(doc, 'event.type', [/drop|reject|block/.test(kv.action ?? '') ? 'denied' : 'info']);
    set(doc, 'rule.id', kv.sid);
    set(doc, 'rule.name', kv.reason);
    set(doc, 'rule.category', kv.group);
  }
  for (const [k, v] of Object.entries(kv)) if (v !== '') set(doc, `sophos.utm.${k.replace(/[^\w]/g, '_')}`, v);
  fillCommunityId(doc);
}

/** UTM web proxy (httpproxy, sub="http"): the request, its verdict, category and the user */
function utmWeb(doc: Doc, kv: Record<string, string>): void {
  const blocked = /block|deny|reject/.test(kv.action ?? '');
  set(doc, 'event.category', ['network', 'web']);
  set(doc, 'event.type', [blocked ? 'denied' : 'allowed', 'access']);
  set(doc, 'http.request.method', kv.method);
  set(doc, 'http.response.status_code', toInt(kv.statuscode) || undefined);
  set(doc, 'http.response.bytes', toInt(kv.size));
  set(doc, 'http.request.referrer', kv.referer);
  set(doc, 'user_agent.original', kv.ua);
  const u = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+)(?::(\d+))?([^?#]*)(?:\?([^#]*))?/i.exec(kv.url ?? '');
  if (u) {
    set(doc, 'url.scheme', u[1].toLowerCase());
    set(doc, 'url.domain', u[2]);
    set(doc, 'url.path', u[4] || undefined);
    set(doc, 'url.query', u[5]);
    related(doc, 'hosts', u[2]);
  }
  set(doc, 'rule.category', kv.categoryname);
  set(doc, 'event.reason', kv.reason || kv.error || undefined);
}

const XG_LINE = /(?:^|[\s>])device="SF?W"\s.*\blog_id=/;
const UTM_LINE = /^(?:<\d+>)?\d{4}:\d{2}:\d{2}-\d{2}:\d{2}:\d{2} /;
/** SFOS 19 and later: `device_name="SFW" timestamp="2026-03-14T09:10:00+0700" device_serial_id=... log_id=... log_type=...` */
const isSfos19 = (s: string): boolean => /(?:^|[\s>])device_name="/.test(s) && /\slog_id="?\d/.test(s) && /\slog_type="/.test(s);
const isSophosLine = (s: unknown): s is string => typeof s === 'string' && (XG_LINE.test(s) || UTM_LINE.test(s) || isSfos19(s));

/** An agent's document whose `message` was already cut up (Filebeat's old RSA module) but whose event.original is the line */
function forwardedLine(o: Record<string, unknown>): string | undefined {
  const event = o.event;
  const original = event && typeof event === 'object' ? (event as Doc).original : undefined;
  return isSophosLine(original) && !isSophosLine(o.message) ? original : undefined;
}

export const sophos: Parser = {
  name: 'sophos',
  dataset: 'sophos.xg',
  observer: { vendor: 'Sophos', type: 'firewall' },
  detect: (line) => isSophosLine(line),
  detectObject: (o) => forwardedLine(o) !== undefined,
  parseObject(doc, obj, ctx) {
    const line = forwardedLine(obj);
    if (!line) throw new ParseFailure('a Sophos document needs a Sophos XG or UTM line in "message" or "event.original"');
    // the agent's zone (Filebeat add_locale) is the zone of the machine that wrote the line
    const agentZone = (obj.event as Doc).timezone;
    const zone = typeof agentZone === 'string' && isValidTimezone(agentZone) ? agentZone : ctx.timezone;
    sophos.parseLine!(doc, line, parseSyslogHeader(line), { ...ctx, timezone: zone });
  },
  parseLine(doc, line, h, ctx) {
    delete doc.process;
    delete doc.host;
    delete doc.message;
    if (UTM_LINE.test(line)) {
      if (!ctx.dataset) set(doc, 'event.dataset', 'sophos.utm');
      return utm(doc, line, ctx.timezone);
    }
    const at = h.rest.search(/(?:^|\s)device(?:_name)?="/);
    const kv = parseKeyValues(at >= 0 ? h.rest.slice(at).trimStart() : line);
    if (!kv.log_id && !kv.device_id && !kv.device_serial_id) throw new ParseFailure(`Sophos XG line has no log_id/device_id key=value pairs at ${excerpt(line)}`);
    xg(doc, kv, ctx.timezone);
  },
};
