/**
 * Fortinet FortiGate key=value logs (traffic, utm, event), with or without a syslog header.
 * Mapping follows Elastic's fortinet_fortigate.log; keys without an ECS home stay under fortinet.firewall.*.
 */
import type { Parser } from './types';
import {
  Doc, ParseFailure, TRANSPORT_BY_NUMBER, append, dateTimeToIso, epochToIso, excerpt, fillCommunityId, get, isValidTimezone,
  parseKeyValues, set, setEndpoint, toInt, normalizeMac,
} from './util';

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
  set(doc, 'network.direction', directionFromRoles(kv));
  set(doc, 'network.application', kv.app);
  set(doc, 'rule.id', kv.policyid);
  set(doc, 'rule.name', kv.policyname);
  set(doc, 'rule.uuid', kv.poluuid);
  set(doc, 'rule.ruleset', kv.profile);
  set(doc, 'rule.category', kv.catdesc);
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
  set(doc, 'event.reason', kv.reason);
  set(doc, 'event.reference', kv.ref);
  set(doc, 'source.geo.country_name', kv.srccountry && kv.srccountry !== 'Reserved' ? kv.srccountry : undefined);
  set(doc, 'destination.geo.country_name', kv.dstcountry && kv.dstcountry !== 'Reserved' ? kv.dstcountry : undefined);
  set(doc, 'user_agent.original', kv.agent);

  // categorization
  const outcomeFromStatus = kv.status === 'success' ? 'success' : kv.status === 'failed' || kv.status === 'failure' ? 'failure' : undefined;
  if (type === 'traffic') {
    append(doc, 'event.category', 'network');
    append(doc, 'event.type', 'connection');
    if (['deny', 'blocked', 'block', 'dropped', 'reset'].includes(action ?? '')) {
      append(doc, 'event.type', 'denied');
      set(doc, 'event.outcome', 'success');
    } else if (action) {
      append(doc, 'event.type', 'allowed');
      if (['close', 'timeout', 'server-rst', 'client-rst'].includes(action)) append(doc, 'event.type', 'end');
      if (action === 'start') append(doc, 'event.type', 'start');
      set(doc, 'event.outcome', 'success');
    }
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
      set(doc, 'rule.name', kv.attack);
      set(doc, 'rule.id', kv.attackid);
    } else {
      // webfilter, app-ctrl, dns...: Elastic files these under network only
      append(doc, 'event.category', 'network');
    }
    if (['blocked', 'block', 'deny', 'dropped', 'reset', 'quarantine'].includes(action ?? '')) append(doc, 'event.type', 'denied');
    else if (action) append(doc, 'event.type', 'allowed');
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
    if (MAPPED.has(k) && !ALSO_KEEP.has(k)) continue;
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
  },
};
