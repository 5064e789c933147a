/**
 * Zeek (Bro) JSON logs: conn, dns, http, ssl, notice, files, ssh, ... The log is named by the pinned
 * dataset (zeek.dns), by `_path`, or guessed from its fields. Dotted keys (`id.orig_h`) and nested `id`
 * both work; every field stays under zeek.<log>.*, the common ones map to ECS as Elastic's zeek package does.
 */
import type { Parser } from './types';
import { Doc, IANA_NUMBERS, append, epochToIso, fillCommunityId, isIpAddress, set, setEndpoint, toInt } from './util';

function field(o: Record<string, unknown>, path: string): unknown {
  if (path in o) return o[path];
  const [head, ...rest] = path.split('.');
  const inner = o[head];
  return inner && typeof inner === 'object' && rest.length ? (inner as Record<string, unknown>)[rest.join('.')] : undefined;
}

function guessLog(o: Record<string, unknown>): string {
  if (typeof o._path === 'string') return o._path;
  if ('note' in o) return 'notice';
  if ('query' in o && ('qtype' in o || 'qtype_name' in o || 'rcode' in o)) return 'dns';
  if ('conn_state' in o || 'history' in o) return 'conn';
  if ('method' in o && 'uri' in o) return 'http';
  if ('server_name' in o || 'cipher' in o) return 'ssl';
  if ('auth_success' in o || 'auth_attempts' in o) return 'ssh';
  if ('fuid' in o && 'mime_type' in o) return 'files';
  return 'log';
}

const CONSUMED = new Set(['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'id', '_path', '_write_ts', 'proto']);

export function mapZeek(doc: Doc, o: Record<string, unknown>, dataset?: string): void {
  const log = dataset?.startsWith('zeek.') ? dataset.slice(5) : guessLog(o);
  const ts = typeof o.ts === 'number' ? epochToIso(o.ts) : typeof o.ts === 'string' ? (Number.isNaN(Date.parse(o.ts)) ? epochToIso(o.ts) : new Date(o.ts).toISOString()) : undefined;
  set(doc, '@timestamp', ts);
  if (!dataset) set(doc, 'event.dataset', `zeek.${log}`);
  setEndpoint(doc, 'source', field(o, 'id.orig_h') ?? o.src, field(o, 'id.orig_p'));
  setEndpoint(doc, 'destination', field(o, 'id.resp_h') ?? o.dst, field(o, 'id.resp_p') ?? o.p);
  if (typeof o.proto === 'string') {
    set(doc, 'network.transport', o.proto.toLowerCase());
    if (IANA_NUMBERS[o.proto.toLowerCase()]) set(doc, 'network.iana_number', IANA_NUMBERS[o.proto.toLowerCase()]);
  }
  if (typeof o.uid === 'string') set(doc, 'zeek.session_id', o.uid);
  const p = `zeek.${log}`;
  for (const [k, v] of Object.entries(o)) if (!CONSUMED.has(k) && v !== null && v !== undefined) set(doc, `${p}.${k.replace(/\./g, '_')}`, v);
  set(doc, 'event.category', ['network']);
  if (log === 'notice') {
    set(doc, 'event.kind', 'alert');
    set(doc, 'event.category', ['intrusion_detection']);
    set(doc, 'event.type', o.dropped === false ? ['info', 'allowed'] : o.dropped === true ? ['info', 'denied'] : ['info']);
    set(doc, 'rule.name', o.note);
    set(doc, 'rule.description', o.msg);
    set(doc, 'message', o.msg);
  } else if (log === 'dns') {
    set(doc, 'network.protocol', 'dns');
    set(doc, 'event.type', ['connection', 'protocol', 'info']);
    set(doc, 'dns.question.name', o.query);
    set(doc, 'dns.question.type', o.qtype_name);
    set(doc, 'dns.question.class', o.qclass_name);
    set(doc, 'dns.response_code', o.rcode_name);
    if (o.trans_id !== undefined) set(doc, 'dns.id', String(o.trans_id));
    set(doc, 'dns.type', Array.isArray(o.answers) && o.answers.length ? 'answer' : 'query');
    if (Array.isArray(o.answers)) {
      const ttls = Array.isArray(o.TTLs) ? (o.TTLs as unknown[]) : [];
      set(doc, 'dns.answers', (o.answers as unknown[]).map((a, i) => ({ data: a, ...(typeof ttls[i] === 'number' ? { ttl: Math.round(ttls[i] as number) } : {}) })));
      const ips = (o.answers as unknown[]).filter(isIpAddress);
      if (ips.length) set(doc, 'dns.resolved_ip', ips);
      for (const ip of ips) append(doc, 'related.ip', ip);
    }
  } else if (log === 'conn') {
    set(doc, 'event.type', ['connection', o.conn_state === 'REJ' || o.conn_state === 'S0' ? 'denied' : 'info']);
    set(doc, 'network.protocol', typeof o.service === 'string' ? o.service : undefined);
    if (typeof o.duration === 'number') set(doc, 'event.duration', Math.round(o.duration * 1e9));
    set(doc, 'source.bytes', toInt(o.orig_ip_bytes ?? o.orig_bytes));
    set(doc, 'destination.bytes', toInt(o.resp_ip_bytes ?? o.resp_bytes));
    set(doc, 'source.packets', toInt(o.orig_pkts));
    set(doc, 'destination.packets', toInt(o.resp_pkts));
    if (o.local_orig === true && o.local_resp === true) set(doc, 'network.direction', 'internal');
    else if (o.local_orig === true) set(doc, 'network.direction', 'outbound');
    else if (o.local_resp === true) set(doc, 'network.direction', 'inbound');
  } else if (log === 'http') {
    set(doc, 'event.category', ['network', 'web']);
    set(doc, 'event.type', ['connection', 'protocol', 'info']);
    set(doc, 'network.protocol', 'http');
    set(doc, 'http.request.method', o.method);
    set(doc, 'http.response.status_code', toInt(o.status_code));
    set(doc, 'url.domain', o.host);
    set(doc, 'url.original', o.uri);
    set(doc, 'user_agent.original', o.user_agent);
    set(doc, 'http.request.referrer', o.referrer);
    set(doc, 'http.request.body.bytes', toInt(o.request_body_len));
    set(doc, 'http.response.body.bytes', toInt(o.response_body_len));
    set(doc, 'user.name', o.username);
  } else if (log === 'ssl') {
    set(doc, 'event.type', ['connection', 'protocol']);
    set(doc, 'network.protocol', 'tls');
    set(doc, 'tls.client.server_name', o.server_name);
    set(doc, 'tls.cipher', o.cipher);
    set(doc, 'tls.established', typeof o.established === 'boolean' ? o.established : undefined);
    set(doc, 'tls.resumed', typeof o.resumed === 'boolean' ? o.resumed : undefined);
    if (typeof o.version === 'string') {
      const m = /^(TLS|SSL)v?(\d)(\d)?$/i.exec(o.version.replace('.', ''));
      if (m) {
        set(doc, 'tls.version_protocol', m[1].toLowerCase());
        set(doc, 'tls.version', m[3] ? `${m[2]}.${m[3]}` : m[2]);
      }
    }
  } else if (log === 'ssh') {
    set(doc, 'network.protocol', 'ssh');
    if (typeof o.auth_success === 'boolean') {
      set(doc, 'event.category', ['network', 'authentication']);
      set(doc, 'event.type', ['connection', 'info']);
      set(doc, 'event.outcome', o.auth_success ? 'success' : 'failure');
    }
  } else if (log === 'files') {
    set(doc, 'event.category', ['file']);
    set(doc, 'event.type', ['info']);
    set(doc, 'file.mime_type', o.mime_type);
    set(doc, 'file.name', o.filename);
    set(doc, 'file.size', toInt(o.total_bytes ?? o.seen_bytes));
    set(doc, 'file.hash.md5', o.md5);
    set(doc, 'file.hash.sha1', o.sha1);
    set(doc, 'file.hash.sha256', o.sha256);
  } else {
    set(doc, 'event.type', ['info']);
  }
  fillCommunityId(doc);
}

export const zeek: Parser = {
  name: 'zeek',
  dataset: 'zeek.log',
  detectObject: (o) => o.ts !== undefined && ('uid' in o || 'note' in o || 'id.orig_h' in o || '_path' in o || (typeof o.id === 'object' && o.id !== null && 'orig_h' in (o.id as Doc))),
  parseObject(doc, obj, ctx) {
    mapZeek(doc, obj, ctx.dataset);
  },
};
