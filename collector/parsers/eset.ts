/**
 * ESET PROTECT (ESMC) syslog export in JSON: Threat_Event (detections: malware alerts),
 * FirewallAggregated_Event, HipsAggregated_Event, FilteredWebsites_Event, BlockedFiles_Event,
 * Audit_Event and EnterpriseInspectorAlert_Event. Every field stays under eset.*.
 */
import type { Parser } from './types';
import { Doc, cleanIp, epochToIso, set, setEndpoint, toInt } from './util';

const TYPES = new Set(['Threat_Event', 'FirewallAggregated_Event', 'HipsAggregated_Event', 'FilteredWebsites_Event', 'BlockedFiles_Event', 'Audit_Event', 'EnterpriseInspectorAlert_Event']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** "file:///C:/Users/x/a.exe" → "C:\Users\x\a.exe"; other URIs are returned as sent. */
function pathFromUri(uri: string): string {
  const m = /^file:\/\/\/?(.*)$/.exec(uri);
  if (!m) return uri;
  const p = decodeURIComponent(m[1]);
  return /^[A-Za-z]:\//.test(p) ? p.replace(/\//g, '\\') : `/${p.replace(/^\//, '')}`;
}

function splitUser(doc: Doc, v: unknown): void {
  const u = str(v);
  if (!u) return;
  const i = u.indexOf('\\');
  if (i >= 0) {
    set(doc, 'user.domain', u.slice(0, i));
    set(doc, 'user.name', u.slice(i + 1));
  } else set(doc, 'user.name', u);
}

export function mapEset(doc: Doc, o: Record<string, unknown>): void {
  const type = String(o.event_type);
  set(doc, 'eset', o);
  const t = str(o.occured) ?? str(o.occurred) ?? str(o.time);
  if (t) {
    // ESET writes "14-Mar-2026 02:00:00" (UTC) or ISO
    const d = Date.parse(/^\d{2}-\w{3}-\d{4} /.test(t) ? `${t.replace(/-/g, ' ')} UTC` : t);
    if (!Number.isNaN(d)) set(doc, '@timestamp', new Date(d).toISOString());
  } else if (typeof o.timestamp === 'number') set(doc, '@timestamp', epochToIso(o.timestamp));
  set(doc, 'observer.vendor', 'ESET');
  set(doc, 'observer.product', 'ESET PROTECT');
  set(doc, 'observer.type', 'antivirus');
  set(doc, 'host.hostname', str(o.hostname));
  const ips = [cleanIp(o.ipv4), cleanIp(o.ipv6)].filter((x): x is string => !!x);
  if (ips.length) set(doc, 'host.ip', ips);
  set(doc, 'host.id', str(o.source_uuid));
  splitUser(doc, o.username ?? o.user);
  set(doc, 'process.executable', str(o.processname));
  if (str(o.processname)) set(doc, 'process.name', (o.processname as string).split(/[\\/]/).pop());
  set(doc, 'event.severity', toInt(o.severity_score));
  set(doc, 'log.level', str(o.severity));
  if (type === 'Threat_Event' || type === 'BlockedFiles_Event') {
    set(doc, 'event.kind', 'alert');
    set(doc, 'event.category', ['malware']);
    set(doc, 'event.type', ['info']);
    set(doc, 'event.action', str(o.action_taken) ?? str(o.action));
    if (typeof o.threat_handled === 'boolean') set(doc, 'event.outcome', o.threat_handled ? 'success' : 'failure');
    set(doc, 'rule.name', str(o.threat_name) ?? str(o.cause));
    set(doc, 'threat.software.name', str(o.threat_name));
    set(doc, 'threat.software.type', str(o.threat_type));
    const uri = str(o.object_uri);
    if (uri) {
      const path = pathFromUri(uri);
      if (str(o.object_type) === 'file' || uri.startsWith('file:')) {
        set(doc, 'file.path', path);
        set(doc, 'file.name', path.split(/[\\/]/).pop());
      } else set(doc, 'url.original', uri);
    }
    const hash = str(o.hash);
    if (hash && /^[0-9a-fA-F]{40}$/.test(hash)) set(doc, 'file.hash.sha1', hash.toLowerCase());
    set(doc, 'message', str(o.circumstances) ?? str(o.threat_name));
  } else if (type === 'FirewallAggregated_Event') {
    setEndpoint(doc, 'source', str(o.source_address), o.source_port);
    setEndpoint(doc, 'destination', str(o.target_address), o.target_port);
    set(doc, 'network.transport', str(o.protocol)?.toLowerCase());
    set(doc, 'rule.name', str(o.rule_name));
    set(doc, 'event.action', str(o.action));
    set(doc, 'event.category', ['network']);
    set(doc, 'event.type', ['connection', /block|deny|drop/i.test(String(o.action)) ? 'denied' : 'allowed']);
    set(doc, 'message', str(o.event));
  } else if (type === 'HipsAggregated_Event' || type === 'EnterpriseInspectorAlert_Event') {
    set(doc, 'event.kind', 'alert');
    set(doc, 'event.category', ['intrusion_detection']);
    set(doc, 'event.type', [/block|deny/i.test(String(o.action)) ? 'denied' : 'info']);
    set(doc, 'rule.name', str(o.rule_name) ?? str(o.name));
    set(doc, 'rule.id', str(o.rule_id));
    set(doc, 'event.action', str(o.action) ?? str(o.operation));
    set(doc, 'file.path', str(o.target));
    set(doc, 'message', str(o.event) ?? str(o.name));
  } else if (type === 'FilteredWebsites_Event') {
    set(doc, 'event.category', ['network', 'web']);
    set(doc, 'event.type', [/block|deny/i.test(String(o.action)) ? 'denied' : 'allowed']);
    set(doc, 'url.original', str(o.object_uri));
    set(doc, 'event.action', str(o.action));
    set(doc, 'rule.id', str(o.rule_id));
    set(doc, 'message', str(o.event));
  } else if (type === 'Audit_Event') {
    set(doc, 'event.category', ['configuration']);
    set(doc, 'event.type', ['change']);
    set(doc, 'event.action', str(o.action));
    set(doc, 'event.outcome', /success/i.test(String(o.result)) ? 'success' : /fail/i.test(String(o.result)) ? 'failure' : undefined);
    set(doc, 'message', str(o.detail));
    if (/login|logon|sign/i.test(String(o.action))) set(doc, 'event.category', ['authentication']);
  }
}

export const eset: Parser = {
  name: 'eset',
  dataset: 'eset.protect',
  detectObject: (o) => typeof o.event_type === 'string' && TYPES.has(o.event_type),
  parseObject(doc, obj) {
    mapEset(doc, obj);
  },
};
