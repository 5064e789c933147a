/**
 * Suricata EVE JSON (alert, flow, dns, http, tls, fileinfo, anomaly, ...). The EVE record is kept
 * under suricata.eve.* (as Elastic's suricata.eve does) and its common parts are mapped to ECS.
 */
import type { Parser } from './types';
import { domainParts } from './domain';
import { setUserAgent } from './web_access';
import { Doc, IANA_NUMBERS, append, related, fillCommunityId, get, set, setEndpoint, toInt } from './util';

const KNOWN_TYPES = new Set(['alert', 'flow', 'netflow', 'dns', 'http', 'tls', 'fileinfo']);

function isObj(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const SEVERITY_TO_ECS: Record<number, number> = { 1: 1, 2: 2, 3: 3 };

function parseDn(dn: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const names: Record<string, string> = { CN: 'common_name', C: 'country', O: 'organization', OU: 'organizational_unit', L: 'locality', ST: 'state_or_province', DC: 'domain_component' };
  for (const part of dn.split(/,\s*(?=[A-Za-z]+=)/)) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = names[part.slice(0, eq).trim().toUpperCase()];
    if (!k || k === 'domain_component') continue;
    (out[k] ??= []).push(part.slice(eq + 1).trim());
  }
  return out;
}

function isoOrUndefined(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  // EVE writes "2026-06-27T08:13:26.024477-0400": make the offset ISO-parseable
  const fixed = v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const t = Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(fixed) ? fixed : fixed + 'Z');
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** Flow counters and times: on flow records and on every record that carries its flow (alert, fileinfo, ...). */
function mapFlow(doc: Doc, f: Record<string, unknown>): void {
  set(doc, 'source.bytes', toInt(f.bytes_toserver));
  set(doc, 'destination.bytes', toInt(f.bytes_toclient));
  set(doc, 'source.packets', toInt(f.pkts_toserver));
  set(doc, 'destination.packets', toInt(f.pkts_toclient));
  if (f.bytes_toserver !== undefined || f.bytes_toclient !== undefined) set(doc, 'network.bytes', (toInt(f.bytes_toserver) ?? 0) + (toInt(f.bytes_toclient) ?? 0));
  if (f.pkts_toserver !== undefined || f.pkts_toclient !== undefined) set(doc, 'network.packets', (toInt(f.pkts_toserver) ?? 0) + (toInt(f.pkts_toclient) ?? 0));
  const start = isoOrUndefined(f.start);
  const end = isoOrUndefined(f.end);
  set(doc, 'event.start', start);
  set(doc, 'event.end', end);
  if (start && end) set(doc, 'event.duration', (Date.parse(end) - Date.parse(start)) * 1e6);
}

export function mapEve(doc: Doc, eve: Record<string, unknown>): void {
  const et = String(eve.event_type ?? '');
  set(doc, '@timestamp', isoOrUndefined(eve.timestamp));
  setEndpoint(doc, 'source', eve.src_ip, eve.src_port);
  setEndpoint(doc, 'destination', eve.dest_ip, eve.dest_port);
  const proto = typeof eve.proto === 'string' ? eve.proto.toLowerCase() : typeof eve.proto === 'number' ? String(eve.proto) : undefined;
  if (proto) {
    set(doc, 'network.transport', proto === 'ipv6-icmp' ? 'ipv6-icmp' : proto);
    if (IANA_NUMBERS[proto]) set(doc, 'network.iana_number', IANA_NUMBERS[proto]);
  }
  if (typeof eve.app_proto === 'string' && eve.app_proto !== 'failed') set(doc, 'network.protocol', eve.app_proto.toLowerCase());
  if (typeof eve.community_id === 'string') set(doc, 'network.community_id', eve.community_id);
  set(doc, 'observer.vendor', 'OISF');
  set(doc, 'observer.product', 'Suricata');
  set(doc, 'observer.type', 'ids');
  if (typeof eve.host === 'string') set(doc, 'observer.hostname', eve.host);
  if (typeof eve.in_iface === 'string') set(doc, 'observer.ingress.interface.name', eve.in_iface);
  const keep: Record<string, unknown> = { ...eve };
  for (const k of ['timestamp', 'src_ip', 'src_port', 'dest_ip', 'dest_port', 'proto', 'community_id', 'app_proto', 'host']) delete keep[k];
  if (keep.flow_id !== undefined) keep.flow_id = String(keep.flow_id);
  set(doc, 'suricata.eve', keep);
  set(doc, 'event.category', ['network']);
  if (et === 'alert') {
    const a = (eve.alert ?? {}) as Record<string, unknown>;
    set(doc, 'event.kind', 'alert');
    append(doc, 'event.category', 'intrusion_detection');
    const action = String(a.action ?? '');
    set(doc, 'event.type', [action === 'blocked' ? 'denied' : 'allowed']);
    set(doc, 'event.outcome', 'success');
    set(doc, 'rule.id', a.signature_id !== undefined ? String(a.signature_id) : undefined);
    set(doc, 'rule.name', a.signature);
    set(doc, 'rule.category', a.category);
    // as Elastic's pipeline: the message is the alert's category, the signature is rule.name
    set(doc, 'message', a.category ?? a.signature);
    const sev = toInt(a.severity);
    if (sev !== undefined) set(doc, 'event.severity', SEVERITY_TO_ECS[sev] ?? sev);
    const meta = (a.metadata ?? {}) as Record<string, unknown>;
    const tactic = meta.mitre_tactic_id;
    const technique = meta.mitre_technique_id;
    if (Array.isArray(tactic) || Array.isArray(technique)) {
      set(doc, 'threat.framework', 'MITRE ATT&CK');
      if (Array.isArray(tactic)) set(doc, 'threat.tactic.id', tactic);
      if (Array.isArray(meta.mitre_tactic_name)) set(doc, 'threat.tactic.name', meta.mitre_tactic_name);
      if (Array.isArray(technique)) set(doc, 'threat.technique.id', technique);
      if (Array.isArray(meta.mitre_technique_name)) set(doc, 'threat.technique.name', meta.mitre_technique_name);
    }
  }
  if (eve.flow && typeof eve.flow === 'object') mapFlow(doc, eve.flow as Record<string, unknown>);
  if (et === 'alert') {
    // its fields are mapped above; an alert's flow counters too
  } else if (et === 'flow' || et === 'netflow') {
    const f = (eve.flow ?? {}) as Record<string, unknown>;
    set(doc, 'event.type', ['connection', f.state === 'closed' || f.end ? 'end' : 'start']);
  }
  // the protocol records an alert or fileinfo carries are mapped as on their own record type
  if (isObj(eve.dns)) {
    const d = eve.dns;
    if (et === 'dns') set(doc, 'event.type', ['protocol']);
    set(doc, 'network.protocol', 'dns');
    const q = Array.isArray(d.queries) ? (d.queries[0] as Record<string, unknown>) : d;
    set(doc, 'dns.type', d.type === 'query' ? 'query' : d.type === 'answer' ? 'answer' : undefined);
    set(doc, 'dns.question.name', q?.rrname);
    set(doc, 'dns.question.type', q?.rrtype);
    const parts = typeof q?.rrname === 'string' ? domainParts(q.rrname) : undefined;
    if (parts) {
      set(doc, 'dns.question.registered_domain', parts.registered_domain);
      set(doc, 'dns.question.top_level_domain', parts.top_level_domain);
      set(doc, 'dns.question.subdomain', parts.subdomain);
    }
    if (d.id !== undefined) set(doc, 'dns.id', String(d.id));
    set(doc, 'dns.response_code', d.rcode);
    if (Array.isArray(d.answers)) {
      const answers = (d.answers as Record<string, unknown>[]).map((a) => ({ name: a.rrname, type: a.rrtype, ttl: a.ttl, data: a.rdata }));
      set(doc, 'dns.answers', answers);
      const ips = answers.map((a) => a.data).filter((x): x is string => typeof x === 'string' && /^[0-9a-fA-F:.]+$/.test(x) && x.includes('.') || (typeof x === 'string' && x.includes(':')));
      if (ips.length) set(doc, 'dns.resolved_ip', ips);
    }
  }
  if (isObj(eve.http)) {
    const hh = eve.http;
    if (et === 'http') {
      set(doc, 'event.category', ['network', 'web']);
      set(doc, 'event.type', ['access', 'protocol']);
    }
    set(doc, 'network.protocol', 'http');
    set(doc, 'http.request.method', hh.http_method);
    set(doc, 'http.response.status_code', toInt(hh.status));
    set(doc, 'http.request.referrer', hh.http_refer);
    set(doc, 'http.response.body.bytes', toInt(hh.length));
    setUserAgent(doc, typeof hh.http_user_agent === 'string' ? hh.http_user_agent : undefined);
    set(doc, 'url.domain', hh.hostname);
    if (typeof hh.hostname === 'string' && hh.hostname) {
      set(doc, 'destination.domain', hh.hostname);
      related(doc, 'hosts', hh.hostname);
    }
    if (typeof hh.url === 'string') {
      set(doc, 'url.original', hh.url);
      const q = hh.url.indexOf('?');
      set(doc, 'url.path', q >= 0 ? hh.url.slice(0, q) : hh.url);
      if (q >= 0) set(doc, 'url.query', hh.url.slice(q + 1));
    }
    if (typeof hh.protocol === 'string') set(doc, 'http.version', hh.protocol.replace(/^HTTP\//, ''));
  }
  if (isObj(eve.tls)) {
    const t = eve.tls;
    if (et === 'tls') set(doc, 'event.type', ['protocol']);
    if (typeof t.sni === 'string' && t.sni) set(doc, 'destination.domain', t.sni);
    set(doc, 'network.protocol', 'tls');
    if (typeof t.version === 'string') {
      const m = /^(TLS|SSL)v?\s?([\d.]+)$/i.exec(t.version);
      if (m) {
        set(doc, 'tls.version', m[2]);
        set(doc, 'tls.version_protocol', m[1].toLowerCase());
      }
    }
    set(doc, 'tls.client.server_name', t.sni);
    if (typeof t.subject === 'string' && t.subject) {
      set(doc, 'tls.server.subject', t.subject);
      set(doc, 'tls.server.x509.subject', parseDn(t.subject));
    }
    if (typeof t.issuerdn === 'string' && t.issuerdn) {
      set(doc, 'tls.server.issuer', t.issuerdn);
      set(doc, 'tls.server.x509.issuer', parseDn(t.issuerdn));
    }
    if (typeof t.serial === 'string') set(doc, 'tls.server.x509.serial_number', t.serial.replace(/:/g, ''));
    if (typeof t.fingerprint === 'string') set(doc, 'tls.server.hash.sha1', t.fingerprint.replace(/:/g, '').toUpperCase());
    const nb = isoOrUndefined(t.notbefore);
    const na = isoOrUndefined(t.notafter);
    set(doc, 'tls.server.not_before', nb);
    set(doc, 'tls.server.x509.not_before', nb);
    set(doc, 'tls.server.not_after', na);
    set(doc, 'tls.server.x509.not_after', na);
    const ja3 = t.ja3 as Record<string, unknown> | undefined;
    const ja3s = t.ja3s as Record<string, unknown> | undefined;
    set(doc, 'tls.client.ja3', ja3?.hash);
    set(doc, 'tls.server.ja3s', ja3s?.hash);
    set(doc, 'tls.resumed', t.session_resumed === true ? true : undefined);
  }
  if (isObj(eve.fileinfo)) {
    const fi = eve.fileinfo;
    if (et === 'fileinfo') {
      set(doc, 'event.category', ['network', 'file']);
      set(doc, 'event.type', ['info']);
    }
    if (typeof fi.filename === 'string') {
      set(doc, 'file.path', fi.filename);
      set(doc, 'file.name', fi.filename.split('/').pop());
    }
    set(doc, 'file.size', toInt(fi.size));
    set(doc, 'file.hash.md5', fi.md5);
    set(doc, 'file.hash.sha1', fi.sha1);
    set(doc, 'file.hash.sha256', fi.sha256);
    set(doc, 'file.mime_type', fi.magic);
  }
  if (et === 'anomaly') {
    const an = (eve.anomaly ?? {}) as Record<string, unknown>;
    set(doc, 'event.type', ['info']);
    set(doc, 'message', an.event);
  } else if (et === 'stats') {
    set(doc, 'event.kind', 'metric');
    set(doc, 'event.category', undefined);
    delete (doc.event as Doc).category;
  } else if (!KNOWN_TYPES.has(et)) {
    set(doc, 'event.type', ['protocol']);
  }
  for (const h of ['tls.server.hash.sha1', 'tls.client.ja3', 'tls.server.ja3s', 'file.hash.md5', 'file.hash.sha1', 'file.hash.sha256']) {
    const v = get(doc, h);
    if (typeof v === 'string') append(doc, 'related.hash', v);
  }
  if (get(doc, 'network.community_id') === undefined) fillCommunityId(doc);
}

/**
 * The EVE record of a document: the document itself, or, for an agent's (Filebeat's) document that already
 * split it, the record it kept as text in event.original or message.
 */
function eveOf(obj: Record<string, unknown>): Record<string, unknown> {
  if (typeof obj.event_type === 'string') return obj;
  for (const p of ['event.original', 'message']) {
    const text = get(obj as Doc, p);
    if (typeof text !== 'string' || !text.trimStart().startsWith('{')) continue;
    try {
      const eve = JSON.parse(text) as unknown;
      if (eve && typeof eve === 'object' && !Array.isArray(eve) && typeof (eve as Doc).event_type === 'string') return eve as Record<string, unknown>;
    } catch {
      // not the EVE record: read the document as it is
    }
  }
  return obj;
}

export const suricata: Parser = {
  name: 'suricata',
  dataset: 'suricata.eve',
  detectObject: (o) => (typeof o.event_type === 'string' && (o.timestamp !== undefined || o.flow_id !== undefined)) || get(o as Doc, 'event.module') === 'suricata',
  parseObject(doc, obj) {
    mapEve(doc, eveOf(obj));
    // an agent's document: the machine that ran the sensor is the agent's host
    const agentHost = typeof obj.event_type === 'string' ? undefined : get(obj as Doc, 'host.name');
    if (typeof agentHost === 'string') set(doc, 'host.name', agentHost);
  },
};
