/**
 * The per-log_type handlers of Sophos XG / SFOS records, as Elastic's sophos.xg pipeline splits them (firewall,
 * idp, atp, antivirus, sandstorm, cfilter, event, waf, antispam, systemhealth, wifi): each reads its type's
 * verdict, category and the fields only it has. sophos_xg.ts reads what every record has and picks the handler.
 */
import { setUrl } from './web_access';
import { Doc, append, get, related, set, setEndpoint, toInt, toNumber } from './util';

export type Kv = Record<string, string>;
export type Handler = (doc: Doc, kv: Kv, sub: string) => void;

const code = (kv: Kv): string => (kv.log_id ? kv.log_id.slice(-5) : '');

/** the verdict word (`Allowed`, `Denied`, `Drop`) as event.action, as Elastic writes it for the traffic logs */
const action = (doc: Doc, kv: Kv): void => {
  if (!kv.log_subtype) return;
  set(doc, 'event.action', kv.log_subtype.toLowerCase());
  set(doc, 'event.outcome', 'success');
};

/** the log ids of a VPN / SSO / thin-client session's logout (17703...) */
const LOGOUT = new Set(['17703', '17706', '17709', '17712', '17715']);
const REMOTE_CLIENTS = new Set(['SSLVPN', 'IPSec', 'Thin Client', 'Radius SSO']);

/** a login or logout (firewall, VPN, captive portal, SSO): the user, where from, and whether it worked */
export function authentication(doc: Doc, kv: Kv): void {
  const status = (kv.status ?? '').toLowerCase();
  const remote = REMOTE_CLIENTS.has(kv.auth_client ?? '');
  set(doc, 'event.category', remote ? ['network', 'authentication'] : ['authentication']);
  set(doc, 'event.type', ['user', LOGOUT.has(code(kv)) ? 'end' : 'start', ...(remote ? ['connection'] : [])]);
  set(doc, 'event.outcome', /success/.test(status) ? 'success' : /fail|denied/.test(status) ? 'failure' : undefined);
  // a tunnel's peer addresses (IPsec: remoteinterfaceip is the client, localinterfaceip the firewall's side)
  if (kv.remoteinterfaceip && !kv.src_ip) setEndpoint(doc, 'source', kv.remoteinterfaceip);
  if (kv.localinterfaceip && !kv.dst_ip) setEndpoint(doc, 'destination', kv.localinterfaceip);
  for (const side of ['source', 'destination']) if ((doc[side] as Doc | undefined)?.ip !== undefined) delete (doc[side] as Doc).address;
  if (kv.name && !kv.user_name) {
    set(doc, 'source.user.name', kv.name);
    set(doc, 'user.name', kv.name);
  }
}

/** firewall-rule codes Elastic files as intrusion detection: heartbeat (missing endpoint), ICMP errors, DoS, spoofing */
const FIREWALL_ALERTS = new Set(['03001', '05001', '05151', '00003', '00004']);

function firewall(doc: Doc, kv: Kv, sub: string): void {
  set(doc, 'event.kind', FIREWALL_ALERTS.has(code(kv)) ? 'alert' : 'event');
  action(doc, kv);
  if (FIREWALL_ALERTS.has(code(kv))) append(doc, 'event.category', 'intrusion_detection');
  append(doc, 'event.category', 'network');
  const conn = kv.connevent ?? kv.con_event;
  const denied = /deny|drop|reject/i.test(kv.status ?? '') || /denied|drop|reject/.test(sub);
  if (denied) append(doc, 'event.type', 'denied', 'connection');
  else if (conn === 'Stop') append(doc, 'event.type', 'end', 'allowed', 'connection');
  else if (conn === 'Start' || conn === 'Interim') append(doc, 'event.type', 'start', 'allowed', 'connection');
  else append(doc, 'event.type', 'allowed', 'connection');
  set(doc, 'rule.ruleset', kv.policy_type);
  if (kv.application) set(doc, 'network.protocol', kv.application.toLowerCase());
}

/** IPS signatures: an alert; Drop denied the connection, Detect let it through */
function idp(doc: Doc, kv: Kv, sub: string): void {
  set(doc, 'event.kind', 'alert');
  action(doc, kv);
  set(doc, 'event.category', ['intrusion_detection', 'network']);
  set(doc, 'event.type', [/drop|block|reject/.test(sub) ? 'denied' : 'info', 'connection']);
  set(doc, 'rule.id', kv.signature_id);
  set(doc, 'rule.name', kv.signature_msg);
  set(doc, 'rule.category', kv.classification);
}

/** ATP (Advanced Threat Protection): a host reaching a C2 or botnet address: an alert, denied when dropped */
function atp(doc: Doc, kv: Kv): void {
  const dropped = code(kv) === '18009' || code(kv) === '18010' || /drop|block/i.test(kv.log_subtype ?? '');
  set(doc, 'event.kind', 'alert');
  action(doc, kv);
  set(doc, 'event.category', ['intrusion_detection', 'network']);
  set(doc, 'event.type', dropped ? ['denied', 'connection'] : ['info', 'connection']);
  set(doc, 'rule.name', kv.threatname);
  set(doc, 'user.name', kv.login_user || undefined);
  set(doc, 'process.executable', kv.execution_path || undefined);
}

/** a URL the record names: its parts, and its host among related.hosts */
function url(doc: Doc, kv: Kv): void {
  if (kv.url && /^\w+:\/\//.test(kv.url)) {
    setUrl(doc, kv.url);
    set(doc, 'url.full', kv.url);
  }
  related(doc, 'hosts', kv.domainname || kv.domain || (get(doc, 'url.domain') as string | undefined));
}

/** the scanned protocol (HTTP, HTTPS, SMTP, FTP, POP3, IMAPS) is log_component */
const scanned = (doc: Doc, kv: Kv): void => {
  // a web filter logs HTTPS requests it decrypted under log_component HTTP: the URL's scheme says which
  const scheme = /^(https?|ftp):\/\//i.exec(kv.url ?? '')?.[1];
  const word = (scheme ?? kv.log_component ?? '').toLowerCase();
  if (word) set(doc, 'network.protocol', PROTOCOL_NAMES[word] ?? word);
};

/** SFOS's component words for the TLS mail protocols, as IANA names them */
const PROTOCOL_NAMES: Record<string, string> = Object.assign(Object.create(null), { pops: 'pop3s', pop: 'pop3', pop3: 'pop3' });

function antivirus(doc: Doc, kv: Kv): void {
  set(doc, 'event.kind', 'alert');
  set(doc, 'event.action', kv.log_subtype);
  set(doc, 'event.outcome', 'success');
  set(doc, 'event.category', ['malware', 'network']);
  set(doc, 'event.type', ['info', 'denied', 'connection']);
  scanned(doc, kv);
  url(doc, kv);
  // a virus found in mail (SMTP, POP3, IMAP scanning) names the message it was in
  if (kv.from_email_address || kv.to_email_address) mail(doc, kv);
  set(doc, 'rule.name', kv.virus);
  set(doc, 'threat.software.name', kv.virus);
  set(doc, 'file.name', kv.filename);
}

/** web filtering: the request allowed or denied by the web policy, its URL and category */
function cfilter(doc: Doc, kv: Kv, sub: string): void {
  action(doc, kv);
  set(doc, 'event.category', ['network']);
  set(doc, 'event.type', [/denied|block/.test(sub) ? 'denied' : 'allowed', 'connection']);
  scanned(doc, kv);
  url(doc, kv);
}

/**
 * WAF (web server protection): a request to a protected server that the reverse proxy let through (`reason="-"`)
 * or blocked; the reason names the protection (Antivirus: malware, the others: an attack pattern, as Elastic files them).
 */
function waf(doc: Doc, kv: Kv): void {
  const reason = kv.reason ?? '';
  const blocked = reason !== '' && reason !== '-';
  set(doc, 'event.kind', blocked ? 'alert' : 'event');
  set(doc, 'event.action', blocked ? 'denied' : 'allowed');
  set(doc, 'event.outcome', 'success');
  set(doc, 'event.category', blocked ? [reason === 'Antivirus' ? 'malware' : 'intrusion_detection', 'network'] : ['network']);
  set(doc, 'event.type', [blocked ? 'denied' : 'allowed', 'connection']);
  if (!blocked) delete (doc.event as Doc).reason;
  // the client and the protected web server behind the reverse proxy
  if (kv.localip) setEndpoint(doc, 'destination', kv.localip);
  const d = doc.destination as Doc | undefined;
  if (d?.ip !== undefined) delete d.address;
  // bytessent went to the client (the server's side), bytesrcv(d) came from it
  set(doc, 'destination.bytes', toInt(kv.bytessent));
  set(doc, 'source.bytes', toInt(kv.bytesrcv ?? kv.bytesrcvd));
  const sent = get(doc, 'source.bytes');
  const back = get(doc, 'destination.bytes');
  if (typeof sent === 'number' && typeof back === 'number') set(doc, 'network.bytes', sent + back);
  set(doc, 'http.request.method', kv.method);
  set(doc, 'http.response.status_code', toInt(kv.httpstatus));
  set(doc, 'http.request.referrer', kv.referer);
  set(doc, 'url.full', kv.url);
  set(doc, 'url.domain', kv.server ?? kv.domain);
  set(doc, 'url.query', kv.querystring);
  set(doc, 'user_agent.original', kv.useragent || kv.user_agent);
  related(doc, 'hosts', kv.server);
}


/** log ids (last five digits) of spam, virus and phishing verdicts: alerts; 13012 is an SMTP DoS/IPS verdict */
const SPAM_ALERTS = new Set(['13001', '13002', '13004', '13005', '13006', '13009', '13012', '13014', '14001', '14002', '15001', '15002']);
const SPAM_ALLOWED = new Set(['13003', '13007', '13008', '13010', '13013', '14003', '15003', '18035']);

/** Anti-Spam (SMTP/POP/IMAP scanning): sender, recipient, subject, the verdict by log id */
function antispam(doc: Doc, kv: Kv): void {
  const c = code(kv);
  set(doc, 'event.action', kv.log_subtype);
  set(doc, 'event.outcome', 'success');
  const alert = SPAM_ALERTS.has(c);
  if (alert) set(doc, 'event.kind', 'alert');
  append(doc, 'event.category', ...(alert ? [c === '13012' ? 'intrusion_detection' : 'malware'] : []), 'network');
  if (alert) append(doc, 'event.type', 'info', 'denied', 'connection');
  else if (SPAM_ALLOWED.has(c)) append(doc, 'event.type', 'allowed', 'connection');
  scanned(doc, kv);
  mail(doc, kv);
}

/** sender, recipient and subject of a scanned mail */
function mail(doc: Doc, kv: Kv): void {
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
function sandbox(doc: Doc, kv: Kv, sub: string): void {
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

/** System Health counters as numbers (CPU and disk shares without the `%`), named as Elastic names them */
const HEALTH_NUMBERS: Record<string, string> = Object.assign(Object.create(null), {
  system: 'system_cpu', user: 'user_cpu', idle: 'idle_cpu', total_memory: 'total_memory', free: 'free', used: 'used', users: 'users',
  receivedkbits: 'receivedkbits', transmittedkbits: 'transmittedkbits', transmitteddrops: 'transmitteddrops', receiveddrops: 'receiveddrops', collisions: 'collisions',
  Configuration: 'configuration', Reports: 'reports', Signature: 'signature', Temp: 'temp',
});

function systemHealth(doc: Doc, kv: Kv): void {
  set(doc, 'event.category', ['host']);
  set(doc, 'event.type', ['info']);
  for (const [k, name] of Object.entries(HEALTH_NUMBERS)) {
    if (kv[k] === undefined) continue;
    const n = toNumber(kv[k].replace(/%$/, ''));
    if (n === undefined) continue;
    set(doc, `sophos.xg.${name}`, n);
    delete kv[k];
  }
}

export const HANDLERS: Record<string, Handler> = Object.assign(Object.create(null), {
  firewall, idp, ips: idp, atp, 'anti-virus': antivirus, sandstorm: antivirus, sandbox, 'content filtering': cfilter, waf, 'anti-spam': antispam,
  'system health': systemHealth,
  'wireless protection': (doc: Doc) => set(doc, 'event.outcome', 'success'),
} as Record<string, Handler>);

/** a record whose log_type is missing or new: what its fields say */
export function byContent(kv: Kv): Handler | undefined {
  if (kv.virus) return antivirus;
  if (kv.signature_id) return idp;
  return undefined;
}
