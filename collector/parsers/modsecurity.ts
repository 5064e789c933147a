/**
 * ModSecurity: the JSON audit log (v3 / v2 with SecAuditLogFormat JSON) as Elastic's
 * modsecurity.auditlog, and the one-line `ModSecurity: ...` rule messages that Apache and nginx
 * write to their error logs (each one a web attack alert naming the rule).
 */
import { safeKey } from '../../core/event';
import type { Parser } from './types';
import { Doc, ParseFailure, append, excerpt, localToEpoch, monthIndex, set, setEndpoint, toInt, lookupTable } from './util';
import { setUrl, setUserAgent } from './web_access';

const SEVERITY: Record<string, number> = lookupTable({ EMERGENCY: 0, ALERT: 1, CRITICAL: 2, ERROR: 3, WARNING: 4, NOTICE: 5, INFO: 6, DEBUG: 7 });

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) if (k.toLowerCase() === lower && typeof v === 'string') return v;
  return undefined;
}

function modsecTime(v: unknown, tz: string): string | undefined {
  if (typeof v !== 'string') return undefined;
  // v3: "Fri May 14 14:52:47 2021"; v2: "14/May/2021:14:52:47 +0000"
  let m = /^\w{3} (\w{3})\s+(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(v.trim());
  if (m) {
    const mo = monthIndex(m[1]);
    return mo === undefined ? undefined : new Date(localToEpoch(+m[6], mo, +m[2], +m[3], +m[4], +m[5], 0, tz)).toISOString();
  }
  m = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.\d+)? ([+-]\d{4})$/.exec(v.trim());
  if (m) {
    const mo = monthIndex(m[2]);
    if (mo === undefined) return undefined;
    const off = (m[7][0] === '-' ? -1 : 1) * (Number(m[7].slice(1, 3)) * 60 + Number(m[7].slice(3)));
    return new Date(Date.UTC(+m[3], mo, +m[1], +m[4], +m[5], +m[6]) - off * 60000).toISOString();
  }
  return undefined;
}

export function mapAuditJson(doc: Doc, obj: Record<string, unknown>, tz: string): void {
  const t = (obj.transaction ?? {}) as Record<string, unknown>;
  const req = (t.request ?? obj.request ?? {}) as Record<string, unknown>;
  const res = (t.response ?? obj.response ?? {}) as Record<string, unknown>;
  set(doc, '@timestamp', modsecTime(t.time_stamp ?? t.time, tz));
  setEndpoint(doc, 'source', t.client_ip ?? t.remote_address, t.client_port ?? t.remote_port);
  if (doc.source) delete (doc.source as Doc).address;
  set(doc, 'http.request.method', req.method);
  // JSON writes HTTP/1.0 as the number 1
  if (typeof req.http_version === 'number') set(doc, 'http.version', Number.isInteger(req.http_version) ? req.http_version.toFixed(1) : String(req.http_version));
  else if (typeof req.http_version === 'string') set(doc, 'http.version', req.http_version.replace(/^HTTP\//, ''));
  const code = toInt(res.http_code ?? res.status);
  set(doc, 'http.response.status_code', code);
  const host = header(req.headers, 'Host');
  const port = toInt(t.host_port ?? t.local_port);
  if (typeof req.uri === 'string') {
    const scheme = port === 443 ? 'https' : 'http';
    setUrl(doc, host ? `${scheme}://${host.replace(/:\d+$/, '')}:${port ?? 80}${req.uri}` : req.uri);
  }
  setUserAgent(doc, header(req.headers, 'User-Agent'));
  set(doc, 'http.response.mime_type', header(res.headers, 'Content-Type'));
  set(doc, 'http.request.referrer', header(req.headers, 'Referer'));
  set(doc, 'modsec.audit.server', header(res.headers, 'Server'));
  set(doc, 'modsec.audit.transaction_id', t.id ?? t.unique_id);
  const messages = Array.isArray(t.messages) ? (t.messages as Record<string, unknown>[]) : [];
  if (messages.length) {
    set(doc, 'modsec.audit.messages', messages.map((m) => m.message).filter((x) => typeof x === 'string'));
    set(doc, 'modsec.audit.details', messages.map((m) => ({ details: m.details })));
    const ids = messages.map((m) => (m.details as Doc | undefined)?.ruleId).filter((x): x is string => typeof x === 'string');
    if (ids.length) set(doc, 'rule.id', ids.length === 1 ? ids[0] : ids);
    set(doc, 'rule.name', messages.length === 1 ? messages[0].message : messages.map((m) => m.message));
    const sevs = messages.map((m) => toInt((m.details as Doc | undefined)?.severity)).filter((x): x is number => x !== undefined);
    if (sevs.length) set(doc, 'event.severity', Math.min(...sevs));
  }
  set(doc, 'observer.vendor', 'ModSecurity');
  set(doc, 'observer.product', 'ModSecurity');
  set(doc, 'observer.type', 'waf');
  set(doc, 'event.category', ['web']);
  set(doc, 'event.type', ['access']);
  if (code !== undefined && code === 403 && messages.length) append(doc, 'event.type', 'denied');
}

/** `[id "942100"] [msg "..."]` → { id, msg, ... } (repeated keys such as tag become arrays). */
function bracketPairs(s: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const m of s.matchAll(/\[(\w+) "((?:[^"\\]|\\.)*)"\]/g)) {
    const key = safeKey(m[1]);
    const cur = out[key];
    if (cur === undefined) out[key] = m[2];
    else if (Array.isArray(cur)) cur.push(m[2]);
    else out[key] = [cur, m[2]];
  }
  return out;
}

export const modsecurity: Parser = {
  name: 'modsecurity',
  dataset: 'modsecurity.auditlog',
  detect: (line) => /ModSecurity: /.test(line),
  parseLine(doc, line, h, ctx) {
    const at = line.indexOf('ModSecurity: ');
    if (at < 0) throw new ParseFailure(`no "ModSecurity: " message in ${excerpt(line)}`);
    const text = line.slice(at + 13);
    const kv = bracketPairs(text);
    const one = (k: string): string | undefined => (Array.isArray(kv[k]) ? (kv[k] as string[])[0] : (kv[k] as string | undefined));
    const client = /\[client ([0-9a-fA-F:.]+?)(?::(\d+))?\]/.exec(line);
    if (client) setEndpoint(doc, 'source', client[1], client[2]);
    set(doc, 'rule.id', one('id'));
    set(doc, 'rule.name', one('msg'));
    set(doc, 'rule.ruleset', one('ver'));
    if (kv.tag) set(doc, 'modsec.audit.tags', Array.isArray(kv.tag) ? kv.tag : [kv.tag]);
    const sev = one('severity');
    if (sev !== undefined) set(doc, 'event.severity', SEVERITY[sev.toUpperCase()] ?? toInt(sev));
    set(doc, 'url.domain', one('hostname'));
    const uri = one('uri');
    if (uri) setUrl(doc, uri);
    set(doc, 'modsec.audit.transaction_id', one('unique_id'));
    set(doc, 'modsec.audit.data', one('data'));
    // two linear passes (a leading \s* before the bracket would backtrack quadratically on long blanks)
    set(doc, 'message', text.replace(/\[\w+ "(?:[^"\\]|\\.)*"\]/g, '').replace(/\s+/g, ' ').trim());
    const blocked = /^Access denied/.test(text);
    set(doc, 'event.kind', 'alert');
    set(doc, 'event.category', ['intrusion_detection', 'web']);
    set(doc, 'event.type', [blocked ? 'denied' : 'info']);
    set(doc, 'event.action', blocked ? 'request-blocked' : 'rule-matched');
    set(doc, 'observer.vendor', 'ModSecurity');
    set(doc, 'observer.product', 'ModSecurity');
    set(doc, 'observer.type', 'waf');
    // Apache error-log time "[Wed Oct 11 14:32:52.123 2000]"
    const tm = /^\[\w{3} (\w{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? (\d{4})\]/.exec(line);
    if (tm && monthIndex(tm[1]) !== undefined) set(doc, '@timestamp', new Date(localToEpoch(+tm[6], monthIndex(tm[1])!, +tm[2], +tm[3], +tm[4], +tm[5], 0, ctx.timezone)).toISOString());
    void h;
  },
  detectObject: (o) => typeof o.transaction === 'object' && o.transaction !== null && ('client_ip' in (o.transaction as Doc) || 'messages' in (o.transaction as Doc) || 'remote_address' in (o.transaction as Doc)),
  parseObject(doc, obj, ctx) {
    mapAuditJson(doc, obj, ctx.timezone);
  },
};
