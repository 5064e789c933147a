/**
 * Cisco Meraki MX/MR/MS syslog: `<PRI>1 <epoch.nanoseconds> <device> <type> <body>`, with the types of Meraki's
 * "Syslog Event Types and Log Samples": urls, flows, firewall / vpn_firewall / cellular_firewall, ip_flow_start/end,
 * ids-alerts, security_event (IDS and malware verdicts) and events (key='value' wireless and VPN events).
 * Vendor fields go under cisco_meraki.*, as Elastic's cisco_meraki package names them.
 */
import type { Parser } from './types';
import { domainParts } from './domain';
import { Doc, ParseFailure, append, excerpt, fillCommunityId, normalizeMac, related, set, setEndpoint } from './util';
import { setUserAgent } from './web_access';
import { events } from './cisco_meraki_events';

const HEAD = /^(?:<(\d{1,3})>)?1 (\d{9,11})\.(\d{1,9}) (\S+) (urls|flows|firewall|vpn_firewall|cellular_firewall|ip_flow_start|ip_flow_end|ids-alerts|security_event|events|airmarshal_events)\b ?(.*)$/;

/** `key=value key='quoted value'` up to the first `word: ` free text (request:, pattern:, message:) */
function fields(body: string): { kv: Record<string, string>; rest: string } {
  const kv: Record<string, string> = Object.create(null) as Record<string, string>;
  const re = /\s*([\w.-]+)=(?:'([^']*)'|"([^"]*)"|(\S*))/y;
  let i = 0;
  for (;;) {
    re.lastIndex = i;
    const m = re.exec(body);
    if (!m) break;
    kv[m[1]] = m[2] ?? m[3] ?? m[4] ?? '';
    i = re.lastIndex;
  }
  return { kv, rest: body.slice(i).trim() };
}

function hostPort(v: string | undefined): [string | undefined, string | undefined] {
  if (!v) return [undefined, undefined];
  const m = /^(\[?[0-9a-fA-F:.]+?\]?)(?::(\d+))?$/.exec(v);
  return m && m[1].includes('.') ? [m[1], m[2]] : [v.replace(/^\[|\]$/g, ''), undefined];
}

function endpoints(doc: Doc, kv: Record<string, string>): void {
  const [sip, sport] = hostPort(kv.src);
  const [dip, dport] = hostPort(kv.dst);
  setEndpoint(doc, 'source', sip, kv.sport ?? sport);
  setEndpoint(doc, 'destination', dip, kv.dport ?? dport);
  const proto = kv.protocol?.replace(/\/ip$/, '').toLowerCase();
  if (proto) set(doc, 'network.transport', proto === 'icmp6' ? 'ipv6-icmp' : proto);
}

function setUrl(doc: Doc, original: string): void {
  set(doc, 'url.original', original);
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+)(?::(\d+))?([^?#]*)(?:\?([^#]*))?/i.exec(original);
  if (!m) return;
  set(doc, 'url.scheme', m[1].toLowerCase());
  set(doc, 'url.domain', m[2]);
  const parts = domainParts(m[2]);
  if (parts) {
    set(doc, 'url.registered_domain', parts.registered_domain);
    set(doc, 'url.top_level_domain', parts.top_level_domain);
    set(doc, 'url.subdomain', parts.subdomain);
  }
  if (m[4]) set(doc, 'url.path', m[4]);
  if (m[5]) set(doc, 'url.query', m[5]);
  const ext = /\.([A-Za-z0-9]{1,10})$/.exec(m[4] ?? '');
  if (ext) set(doc, 'url.extension', ext[1].toLowerCase());
}

function urls(doc: Doc, kv: Record<string, string>, rest: string): void {
  endpoints(doc, kv);
  set(doc, 'cisco_meraki.urls.mac', normalizeMac(kv.mac));
  setUserAgent(doc, kv.agent);
  const req = /^request: (\S+) (\S+)/.exec(rest);
  const error = req?.[1] === 'UNKNOWN';
  if (req) {
    set(doc, 'http.request.method', req[1]);
    setUrl(doc, req[2]);
  }
  set(doc, 'cisco_meraki.event_subtype', error ? 'http_access_error' : 'http_access');
  set(doc, 'event.action', error ? 'http-access-error' : 'http-access');
  set(doc, 'event.category', ['network', 'web']);
  set(doc, 'event.type', ['info', error ? 'error' : 'access']);
}

function flow(doc: Doc, type: string, kv: Record<string, string>, rest: string): void {
  endpoints(doc, kv);
  set(doc, 'source.mac', normalizeMac(kv.mac));
  const pattern = /^pattern: (\d+ )?(allow|deny)\b\s*(.*)$/i.exec(rest);
  const verdict = pattern?.[2].toLowerCase() ?? (type === 'ip_flow_start' || type === 'ip_flow_end' ? 'allow' : undefined);
  set(doc, 'event.category', ['network']);
  if (type === 'ip_flow_start' || type === 'ip_flow_end') append(doc, 'event.type', 'connection', type === 'ip_flow_start' ? 'start' : 'end');
  else if (verdict) append(doc, 'event.type', 'connection', verdict === 'allow' ? 'allowed' : 'denied');
  if (verdict) {
    set(doc, 'event.action', verdict === 'allow' ? 'allow' : 'deny');
    set(doc, 'event.outcome', 'success');
  }
  if (pattern?.[3]) set(doc, 'rule.name', pattern[3]);
}

/** the verdict's own keys (signature, priority, decision, action, the MACs) as Elastic keeps them: cisco_meraki.security.* */
function securityKeys(doc: Doc, kv: Record<string, string>): void {
  for (const k of ['signature', 'priority', 'decision', 'action']) set(doc, `cisco_meraki.security.${k}`, kv[k]);
  set(doc, 'cisco_meraki.security.dhost', normalizeMac(kv.dhost));
  set(doc, 'cisco_meraki.security.mac', normalizeMac(kv.mac));
  set(doc, 'cisco_meraki.disposition', kv.disposition);
}

/** the sensor's own time of the match (`timestamp=1637691198.330873`) */
function seen(v: string | undefined): string | undefined {
  const t = v && /^\d{9,11}(?:\.\d+)?$/.test(v) ? Number(v) * 1000 : NaN;
  return Number.isFinite(t) ? new Date(Math.floor(t)).toISOString() : undefined;
}

function ids(doc: Doc, kv: Record<string, string>, rest: string): void {
  endpoints(doc, kv);
  set(doc, 'cisco_meraki.event_subtype', 'ids_alerted');
  set(doc, 'event.kind', 'alert');
  set(doc, 'event.action', 'ids-signature-matched');
  set(doc, 'event.category', ['network', 'intrusion_detection']);
  // Meraki's decision=blocked says the packet was dropped; action= is the rule's configured action
  set(doc, 'event.type', [/block/i.test(kv.decision ?? kv.action ?? '') ? 'denied' : 'info']);
  set(doc, 'rule.id', kv.signature);
  securityKeys(doc, kv);
  const msg = /^message: (.*)$/.exec(rest);
  if (msg) {
    set(doc, 'rule.name', msg[1]);
    set(doc, 'threat.indicator.description', msg[1]);
  }
  set(doc, 'threat.indicator.last_seen', seen(kv.timestamp));
  // inbound/outbound as every other source says it (Elastic keeps Meraki's ingress/egress; see CONFORMANCE.md)
  set(doc, 'network.direction', kv.direction === 'ingress' ? 'inbound' : kv.direction === 'egress' ? 'outbound' : undefined);
}

/** Meraki's file verdict events, named as Elastic names them */
const FILE_ACTIONS: Record<string, string> = Object.assign(Object.create(null), {
  security_filtering_file_scanned: 'malicious-file-actioned',
  security_filtering_disposition_change: 'issued-retrospective-malicious-disposition',
});

function security(doc: Doc, kv: Record<string, string>, subtype: string, rest: string): void {
  set(doc, 'cisco_meraki.event_subtype', subtype);
  if (subtype === 'ids_alerted' || kv.signature) return ids(doc, kv, rest);
  endpoints(doc, kv);
  set(doc, 'event.kind', 'alert');
  set(doc, 'event.category', ['network', 'threat', 'malware']);
  set(doc, 'event.type', [/block/.test(subtype) || kv.action === 'block' ? 'denied' : 'info']);
  set(doc, 'event.action', FILE_ACTIONS[subtype] ?? subtype.replace(/_/g, '-'));
  securityKeys(doc, kv);
  if (kv.url) {
    setUrl(doc, kv.url);
    set(doc, 'threat.indicator.reference', kv.url);
  }
  if (kv.name) {
    set(doc, 'file.name', kv.name);
    set(doc, 'threat.indicator.file.name', kv.name);
  }
  if (kv.sha256) {
    set(doc, 'file.hash.sha256', kv.sha256);
    set(doc, 'threat.indicator.file.hash.sha256', kv.sha256);
    related(doc, 'hash', kv.sha256);
  }
  set(doc, 'source.mac', normalizeMac(kv.mac));
}

export const ciscoMeraki: Parser = {
  name: 'cisco_meraki',
  dataset: 'cisco_meraki.log',
  observer: { vendor: 'Cisco', product: 'Meraki', type: 'firewall' },
  detect: (line) => HEAD.test(line),
  parseLine(doc, line) {
    const m = HEAD.exec(line);
    if (!m) throw new ParseFailure(`Meraki line needs "<PRI>1 <epoch> <device> <type>" at ${excerpt(line)}`);
    const [, , secs, frac, device, type, body] = m;
    set(doc, '@timestamp', new Date(Number(secs) * 1000 + Math.floor(Number(`0.${frac}`) * 1000)).toISOString());
    delete doc.host;
    delete doc.process;
    set(doc, 'observer.hostname', device);
    set(doc, 'observer.vendor', 'Cisco');
    set(doc, 'observer.product', 'Meraki');
    set(doc, 'cisco_meraki.event_type', type);
    set(doc, 'message', body);
    if (type === 'events') return events(doc, fields(body).kv, body);
    const sub = type === 'security_event' ? /^(\w+)\s*/.exec(body) : null;
    const { kv, rest } = fields(sub ? body.slice(sub[0].length) : body);
    if (type === 'urls') urls(doc, kv, rest);
    else if (type === 'ids-alerts') ids(doc, kv, rest);
    else if (type === 'security_event') security(doc, kv, sub?.[1] ?? '', rest);
    else if (type !== 'airmarshal_events') flow(doc, type, kv, rest);
    fillCommunityId(doc);
  },
};
