/**
 * Fortinet FortiGate key=value logs (traffic, utm, event), with or without a syslog header.
 * Mapping follows Elastic's fortinet_fortigate.log; keys without an ECS home stay under fortinet.firewall.*.
 */
import type { Parser } from './types';
import {
  Doc, ParseFailure, TRANSPORT_BY_NUMBER, append, dateTimeToIso, epochToIso, excerpt, fillCommunityId, get, isValidTimezone,
  parseKeyValues, set, setEndpoint, toInt, normalizeMac,
} from './util';
import { mapTls, movedFromFirewall, sessionDirection } from './fortigate_fields';

const FORTI_DETECT = /(?:^|\s)(?:date=\S+ time=\S+ .*\b(?:logid|devid|devname)=|logver=\S+ .*\blogid=|devname="?[^"\s]+"? devid=)/;

/** keys consumed into ECS fields (not copied to fortinet.firewall.*) */
const MAPPED = new Set([
  'date', 'time', 'tz', 'eventtime', 'devname', 'devid', 'logid', 'level', 'msg', 'logdesc', 'srcip', 'srcport', 'dstip', 'dstport',
  'srcintf', 'dstintf', 'sentbyte', 'rcvdbyte', 'sentpkt', 'rcvdpkt', 'proto', 'service', 'policyid', 'policyname', 'profile', 'catdesc',
  'user', 'group', 'duration', 'hostname', 'url', 'direction', 'srcmac', 'dstmac', 'transip', 'transport', 'tranip', 'tranport',
  'eventtype', 'attack', 'attackid', 'virus', 'virusid', 'filename', 'filesize', 'filehash', 'crscore', 'severity', 'ref', 'reason',
  'remip', 'locip', 'remport', 'locport', 'eapuser', 'xauthuser', 'srcname', 'dstname', 'qname', 'qtype', 'ipaddr', 'srccountry',
  'dstcountry', 'agent', 'method', 'ui', 'logver', 'osname', 'srchwvendor', 'app', 'appcat', 'poluuid', 'dstuser', 'sessionid',
  'unauthuser', 'type', 'subtype', 'action', 'status', 'count', 'vd', 'srcintfrole', 'dstintfrole', 'authserver', 'cat', 'reqtype',
]);
/** keys kept under fortinet.firewall.* even when mapped (Elastic keeps them too) */
const ALSO_KEEP = new Set(['profile', 'eapuser', 'type', 'subtype', 'action', 'vd', 'srcintfrole', 'dstintfrole', 'authserver', 'cat', 'reqtype', 'sessionid', 'method', 'status', 'ui', 'srccountry']);
const NUMERIC_KEEP = new Set(['advpnsc']);

function directionFromRoles(kv: Record<string, string>): string | undefined {
  const d = kv.direction?.toLowerCase();
  if (d === 'outgoing' || d === 'outbound') return 'outbound';
  if (d === 'incoming' || d === 'inbound') return 'inbound';
  const s = kv.srcintfrole;
  const t = kv.dstintfrole;
  if (s === 'lan' && t === 'wan') return 'outbound';
  if (s === 'wan' && t === 'lan') return 'inbound';
  if (s === 'lan' && t === 'lan') return 'internal';
  if (kv.type === 'event' && (kv.srcip || kv.remip)) return 'internal';
  return undefined;
}

export function mapFortigate(doc: Doc, kv: Record<string, string>, defaultTz: string): void {
  const tzRaw = kv.tz;
  const tz = tzRaw && isValidTimezone(tzRaw) ? tzRaw : defaultTz;
  if (kv.date && kv.time) set(doc, '@timestamp', dateTimeToIso(kv.date, kv.time, tz));
  if (tzRaw) set(doc, 'event.timezone', tzRaw);
  if (kv.eventtime) set(doc, 'event.start', epochToIso(kv.eventtime));
  set(doc, 'observer.vendor', 'Fortinet');
  set(doc, 'observer.product', 'Fortigate');
  set(doc, 'observer.type', 'firewall');
  set(doc, 'observer.name', kv.devname);
  set(doc, 'observer.serial_number', kv.devid);
  set(doc, 'event.code', kv.logid);
  set(doc, 'log.level', kv.level);
  if (kv.msg !== undefined) set(doc, 'message', kv.msg);
  set(doc, 'rule.description', kv.logdesc);
  const type = kv.type;
  const subtype = kv.subtype;
  const action = kv.action;

  if (type === 'event' && subtype === 'vpn' && kv.remip) {
    setEndpoint(doc, 'source', kv.remip, kv.remport);
    setEndpoint(doc, 'destination', kv.locip, kv.locport);
  } else {
    setEndpoint(doc, 'source', kv.srcip, kv.srcport);
    setEndpoint(doc, 'destination', kv.dstip, kv.dstport);
  }
  // FortiGate's sentbyte is what the source sent
  const sent = toInt(kv.sentbyte);
  const rcvd = toInt(kv.rcvdbyte);
  if (sent !== undefined) set(doc, 'source.bytes', type === 'event' ? rcvd ?? sent : sent);
  if (rcvd !== undefined) set(doc, 'destination.bytes', type === 'event' ? sent ?? rcvd : rcvd);
  if (sent !== undefined || rcvd !== undefined) set(doc, 'network.bytes', (sent ?? 0) + (rcvd ?? 0));
  const sp = toInt(kv.sentpkt);
  const rp = toInt(kv.rcvdpkt);
  if (sp !== undefined) set(doc, 'source.packets', sp);
  if (rp !== undefined) set(doc, 'destination.packets', rp);
  if (sp !== undefined || rp !== undefined) set(doc, 'network.packets', (sp ?? 0) + (rp ?? 0));
  set(doc, 'source.mac', normalizeMac(kv.srcmac));
  set(doc, 'destination.mac', normalizeMac(kv.dstmac));
  if (kv.transip) set(doc, 'source.nat.ip', kv.transip);
  if (toInt(kv.transport) !== undefined && toInt(kv.transport)! > 0) set(doc, 'source.nat.port', toInt(kv.transport));
  if (kv.tranip) set(doc, 'destination.nat.ip', kv.tranip);
  if (toInt(kv.tranport) !== undefined && toInt(kv.tranport)! > 0) set(doc, 'destination.nat.port', toInt(kv.tranport));
  set(doc, 'observer.ingress.interface.name', kv.srcintf);
  set(doc, 'observer.egress.interface.name', kv.dstintf);
  if (kv.proto) {
    set(doc, 'network.iana_number', kv.proto);
    set(doc, 'network.transport', TRANSPORT_BY_NUMBER[kv.proto]);
  }
  if (kv.service) set(doc, 'network.protocol', kv.service.toLowerCase());
  // traffic and utm: the device's direction word, else private/public addresses (Elastic's network_direction)
  set(doc, 'network.direction', type === 'traffic' || type === 'utm' ? sessionDirection(kv, kv.srcip ?? kv.locip, kv.dstip ?? kv.remip) : directionFromRoles(kv));
  set(doc, 'network.application', kv.app);
  set(doc, 'rule.id', kv.policyid);
  set(doc, 'rule.name', kv.policyname);
  set(doc, 'rule.uuid', kv.poluuid);
  // the rule set and category each type's pipeline reads (FortiGate's "Web.Client" becomes "Web-Client")
  set(doc, 'rule.ruleset', type === 'traffic' ? kv.policytype : type === 'utm' ? kv.applist ?? kv.profile : kv.profile);
  const category = type === 'traffic' ? kv.appcat : type === 'utm' ? kv.appcat ?? kv.catdesc : kv.catdesc;
  set(doc, 'rule.category', category?.replace(/\./g, '-'));
  const user = kv.user ?? kv.unauthuser;
  if (type === 'event' && subtype === 'vpn') {
    set(doc, 'source.user.name', kv.eapuser ?? kv.xauthuser);
  } else if (user && user !== 'N/A') {
    set(doc, 'source.user.name', user);
    if (type === 'event' && subtype === 'system') {
      set(doc, 'user.name', user);
    }
  }
  if (kv.group && kv.group !== 'N/A') set(doc, 'source.user.group.name', kv.group);
  if (kv.dstuser) set(doc, 'destination.user.name', kv.dstuser);
  if (/^Administrator /.test(kv.msg ?? '') && get(doc, 'user.name')) {
    set(doc, 'user.roles', ['Administrator']);
    set(doc, 'source.user.roles', ['Administrator']);
  }
  const dur = toInt(kv.duration);
  if (dur !== undefined) set(doc, 'event.duration', dur * 1e9);
  if (kv.hostname) set(doc, 'url.domain', kv.hostname);
  if (kv.url) {
    const q = kv.url.indexOf('?');
    set(doc, 'url.path', q >= 0 ? kv.url.slice(0, q) : kv.url);
    if (q >= 0) set(doc, 'url.query', kv.url.slice(q + 1));
    set(doc, 'url.original', kv.url);
  }
  for (const k of ['assignip', 'tunnelip']) if (kv[k] && kv[k] !== 'N/A') append(doc, 'related.ip', kv[k]);
  set(doc, 'source.domain', kv.srcname);
  set(doc, 'destination.domain', kv.dstname);
  set(doc, 'dns.question.name', kv.qname);
  set(doc, 'dns.question.type', kv.qtype);
  set(doc, 'file.name', kv.filename);
  if (toInt(kv.filesize) !== undefined) set(doc, 'file.size', toInt(kv.filesize));
  if (kv.filehash) set(doc, 'file.hash.sha256', kv.filehash);
  set(doc, 'event.reason', kv.reason ?? kv.eventsubtype);
  if (type === 'utm') {
    set(doc, 'http.request.method', kv.httpmethod);
    set(doc, 'http.request.referrer', kv.referralurl);
    mapTls(doc, kv);
  }
  set(doc, 'event.reference', kv.ref);
  set(doc, 'source.geo.country_name', kv.srccountry && kv.srccountry !== 'Reserved' ? kv.srccountry : undefined);
  set(doc, 'destination.geo.country_name', kv.dstcountry && kv.dstcountry !== 'Reserved' ? kv.dstcountry : undefined);
  set(doc, 'user_agent.original', kv.agent);

  // categorization
  const outcomeFromStatus = kv.status === 'success' ? 'success' : kv.status === 'failed' || kv.status === 'failure' ? 'failure' : undefined;
  if (type === 'traffic') {
    // Elastic's traffic pipeline: every logged session has ended unless its action is "start"
    append(doc, 'event.category', 'network');
    append(doc, 'event.type', 'connection');
    if (action === 'start') append(doc, 'event.type', 'start');
    else if (action) append(doc, 'event.type', 'end');
    const denied = action === 'deny' || kv.utmaction === 'block';
    if (kv.app && action !== 'deny') append(doc, 'event.type', 'protocol');
    if (kv.utmaction === undefined && action !== 'deny') append(doc, 'event.type', 'allowed');
    if (denied) append(doc, 'event.type', 'denied');
    if (action) set(doc, 'event.outcome', 'success');
    set(doc, 'event.action', action);
  } else if (type === 'utm') {
    set(doc, 'event.action', kv.eventtype ?? action);
    if (subtype === 'virus' || subtype === 'antivirus') {
      set(doc, 'event.kind', 'alert');
      append(doc, 'event.category', 'malware');
      append(doc, 'event.type', 'info');
      set(doc, 'rule.name', kv.virus);
      set(doc, 'threat.software.name', kv.virus);
    } else if (subtype === 'ips' || subtype === 'anomaly') {
      set(doc, 'event.kind', 'alert');
      append(doc, 'event.category', 'intrusion_detection');
      append(doc, 'event.category', 'network');
      // rule.id stays the firewall policy (as Elastic's utm pipeline); the signature is rule.name and fortinet.firewall.attackid
      set(doc, 'rule.name', kv.attack);
    } else {
      // webfilter, app-ctrl, dns...: Elastic files these under network only
      append(doc, 'event.category', 'network');
    }
    if (['blocked', 'block', 'deny', 'dropped', 'reset', 'quarantine'].includes(action ?? '')) append(doc, 'event.type', 'denied');
    else if (action === 'pass' || action === 'passthrough') append(doc, 'event.type', 'allowed');
    if (subtype === 'dns') append(doc, 'event.type', 'info');
    if (action) set(doc, 'event.outcome', 'success');
  } else if (type === 'event') {
    if (subtype === 'system' && action === 'login') {
      append(doc, 'event.category', 'authentication');
      set(doc, 'event.action', 'login');
      set(doc, 'event.outcome', outcomeFromStatus);
    } else if (subtype === 'user' && /auth|login/.test(action ?? '')) {
      append(doc, 'event.category', 'authentication');
      set(doc, 'event.action', action);
      set(doc, 'event.outcome', outcomeFromStatus);
    } else if (subtype === 'vpn') {
      append(doc, 'event.category', 'network');
      append(doc, 'event.type', 'connection');
      set(doc, 'event.action', action);
      if (outcomeFromStatus === 'failure') set(doc, 'event.outcome', 'failure');
    } else {
      set(doc, 'event.action', action);
      if (subtype === 'system' && /^(Add|Edit|Delete)$/.test(action ?? '')) {
        append(doc, 'event.category', 'configuration');
        append(doc, 'event.type', action === 'Add' ? 'creation' : action === 'Delete' ? 'deletion' : 'change');
      }
    }
  }
  fillCommunityId(doc);

  // everything else stays under fortinet.firewall.*
  for (const [k, v] of Object.entries(kv)) {
    const moved = movedFromFirewall(type, k);
    if (moved ?? (MAPPED.has(k) && !ALSO_KEEP.has(k))) continue;
    if (v === '' || v === 'N/A') continue;
    const key = k.replace(/[^A-Za-z0-9_]/g, '_');
    if (NUMERIC_KEEP.has(key)) set(doc, `fortinet.firewall.${key}`, v !== '0');
    else set(doc, `fortinet.firewall.${key}`, v);
  }
}

export const fortigate: Parser = {
  name: 'fortigate',
  dataset: 'fortinet_fortigate.log',
  observer: { vendor: 'Fortinet', product: 'Fortigate', type: 'firewall' },
  detect: (line) => FORTI_DETECT.test(line),
  parseLine(doc, _line, h, ctx) {
    // the key=value body starts after any syslog header
    const body = h.rest;
    const kv = parseKeyValues(body);
    if (!kv.logid && !kv.devid && !kv.type) throw new ParseFailure(`FortiGate line has no logid/devid/type key=value pairs at ${excerpt(body)}`);
    // the syslog tag/host of a FortiGate line are not a process or a host: the device is the observer
    delete doc.process;
    delete doc.host;
    delete doc.message;
    mapFortigate(doc, kv, ctx.timezone);
    // a line cut before its logid/type (a full relay buffer, a split datagram) keeps the device and time, marked partial
    if (!kv.logid || !kv.type) {
      set(doc, 'tags', ['partial', 'fortigate_parse_failure']);
      set(doc, 'error.message', `fortigate: line has no ${!kv.logid ? 'logid' : 'type'} (cut short?) at ${excerpt(body)}`);
    }
  },
};
