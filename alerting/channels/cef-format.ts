/**
 * What canhgac sends to another SIEM: one syslog message (RFC 5424 header) per alert or incident
 * change, whose MSG is ArcSight CEF:0 (or the record as JSON). Escaping follows the CEF standard:
 * `\` and `|` in header fields; `\`, `=`, CR and LF in extension values (pipes and spaces are
 * left as they are there). Text stays UTF-8, so Vietnamese rule titles arrive as written.
 *
 * Formatting happens once, when the message is queued, so every retry sends the same bytes and a
 * receiver can recognise a repeat by its externalId.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Alert, Incident, Severity } from '../../core/model';

/** A few fields of the event that completed the alert: what the alert record itself does not keep. */
export interface AlertEventFields {
  sourcePort?: number;
  destinationPort?: number;
  sourceUser?: string;
  destinationUser?: string;
  sourceHost?: string;
  destinationHost?: string;
  action?: string;
}

export type ForwardFormat = 'cef' | 'json';

export interface FormatOptions {
  format: ForwardFormat;
  /** The HOSTNAME of the syslog header and the CEF deviceExternalId: this canhgac instance. */
  hostname?: string;
  /** Syslog facility 0-23 (default 4, security/authorization). */
  facility?: number;
  /** The canhgac version in the CEF header. */
  version?: string;
}

export type ForwardRecord =
  | { kind: 'alert'; alert: Alert; event?: AlertEventFields }
  | { kind: 'incident'; incident: Incident; change: 'opened' | 'severity' };

/** CEF severity 0-10 for a canhgac severity (ArcSight reads 0-3 low, 4-6 medium, 7-8 high, 9-10 very high). */
export const CEF_SEVERITY: Record<Severity, number> = { informational: 1, low: 3, medium: 5, high: 8, critical: 10 };

/** RFC 5424 severity of the syslog PRI for a canhgac severity: critical is crit (2) … informational is info (6). */
export const SYSLOG_SEVERITY: Record<Severity, number> = { critical: 2, high: 3, medium: 4, low: 5, informational: 6 };

export const PACKAGE_VERSION: string = (() => {
  // dist/alerting/channels or alerting/channels: package.json is two or three levels up
  for (const up of ['../..', '../../..']) {
    try {
      return (JSON.parse(fs.readFileSync(path.join(__dirname, up, 'package.json'), 'utf8')) as { name?: string; version: string }).version;
    } catch {
      /* try the next level */
    }
  }
  return 'dev';
})();

/** A CEF header field: backslash and pipe are escaped; a line break cannot be escaped there, so it becomes a space. */
export function escapeCefHeader(s: string): string {
  return s.replace(/[\\|]/g, (c) => '\\' + c).replace(/\r\n|[\r\n]/g, ' ');
}

/** A CEF extension value: backslash, equals sign, CR and LF are escaped. */
export function escapeCefValue(s: string): string {
  return s.replace(/[\\=\r\n]/g, (c) => (c === '\r' ? '\\r' : c === '\n' ? '\\n' : '\\' + c));
}

/** ATT&CK technique ids among a rule's tags: attack.t1110.001 → T1110.001. */
export function attackTechniques(tags: string[]): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(t.trim());
    if (m) out.add(m[1].toUpperCase());
  }
  return [...out];
}

/** `key=value` pairs in order; empty and missing values are left out. */
function extension(pairs: [string, string | number | undefined | null][]): string {
  return pairs
    .filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== null && p[1] !== '')
    .map(([k, v]) => `${k}=${escapeCefValue(String(v))}`)
    .join(' ');
}

/** cs<n>Label and cs<n>, or nothing when there is no value (a label alone says nothing). */
function custom(n: number, label: string, value: string | undefined | null): [string, string | undefined][] {
  return value ? [[`cs${n}Label`, label], [`cs${n}`, value]] : [];
}

const epochMs = (iso: string | undefined): number | undefined => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : undefined;
};

function cefLine(sigId: string, name: string, severity: Severity, ext: [string, string | number | undefined | null][], version: string): string {
  const head = ['CEF:0', 'canhgac', 'canhgac', version, sigId, name, String(CEF_SEVERITY[severity] ?? 0)].map((f, i) => (i === 0 ? f : escapeCefHeader(f)));
  return `${head.join('|')}|${extension(ext)}`;
}

/** The CEF:0 text of an alert or an incident change. */
export function formatCef(rec: ForwardRecord, opts: Pick<FormatOptions, 'hostname' | 'version'> = {}): string {
  const version = opts.version ?? PACKAGE_VERSION;
  const device = opts.hostname ?? os.hostname();
  if (rec.kind === 'alert') {
    const { alert: a, event: e = {} } = rec;
    const s = a.summary;
    return cefLine(a.rule.id, a.rule.title, a.severity, [
      ['rt', epochMs(a['@timestamp'])],
      ['src', s.source_ip],
      ['spt', e.sourcePort],
      ['dst', s.destination_ip],
      ['dpt', e.destinationPort],
      ['suser', e.sourceUser],
      ['duser', e.destinationUser ?? s.user],
      ['shost', e.sourceHost],
      ['dhost', e.destinationHost ?? s.host],
      ['act', e.action],
      ['cat', a.kind === 'correlation' ? 'alert/correlation' : 'alert/rule'],
      ...custom(1, 'agency', a.tenant),
      ...custom(2, 'incident', a.incidentId),
      ...custom(3, 'attack_techniques', attackTechniques(a.rule.tags ?? []).join(',')),
      ...custom(4, 'malware', s.malware),
      ['msg', alertMessage(a)],
      ['externalId', a.id],
      ['deviceExternalId', device],
    ], version);
  }
  const { incident: i, change } = rec;
  const s = i.summary ?? {};
  const tags = [...(i.rule.tags ?? []), ...(i.rules ?? []).flatMap((r) => r.tags ?? [])];
  return cefLine(i.rule.id, i.title, i.severity, [
    ['rt', epochMs(i.updated)],
    ['start', epochMs(i.first_seen)],
    ['end', epochMs(i.last_seen)],
    ['cnt', i.count],
    ['src', s.source_ip],
    ['dst', s.destination_ip],
    ['duser', s.user],
    ['dhost', s.host],
    ['cat', change === 'opened' ? 'incident/opened' : 'incident/severity'],
    ...custom(1, 'agency', i.tenant),
    ...custom(2, 'incident', i.id),
    ...custom(3, 'attack_techniques', attackTechniques(tags).join(',')),
    ...custom(4, 'malware', s.malware),
    ['msg', change === 'opened' ? `incident opened: ${i.title}` : `incident severity is now ${i.severity}: ${i.title}`],
    ['externalId', `${i.id}:${change === 'opened' ? 'opened' : i.severity}`],
    ['deviceExternalId', device],
  ], version);
}

function alertMessage(a: Alert): string {
  const s = a.summary;
  const where = [s.source_ip && `from ${s.source_ip}`, s.user && `user ${s.user}`, s.host && `on ${s.host}`].filter(Boolean).join(' ');
  return where ? `${a.rule.title} ${where}` : a.rule.title;
}

/** The record as one JSON object (format json). */
export function formatJson(rec: ForwardRecord): string {
  return JSON.stringify(rec.kind === 'alert' ? { type: 'alert', alert: rec.alert, event: rec.event ?? {} } : { type: `incident.${rec.change}`, incident: rec.incident });
}

/** RFC 5424 TIMESTAMP with milliseconds and the local offset: 2026-12-07T23:56:18.123+07:00. */
export function syslogTimestamp(d: Date): string {
  const off = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 23);
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A header field (HOSTNAME, APP-NAME, MSGID): printable US-ASCII without spaces, at most `max` characters, "-" when empty. */
function headerToken(s: string | undefined, max: number): string {
  const t = (s ?? '').replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return t || '-';
}

/** The whole syslog message: `<PRI>1 TIMESTAMP HOSTNAME canhgac - MSGID - CEF:0|…` (no framing). */
export function formatSyslog(rec: ForwardRecord, opts: FormatOptions, at: Date = new Date()): string {
  const severity = rec.kind === 'alert' ? rec.alert.severity : rec.incident.severity;
  const pri = (opts.facility ?? 4) * 8 + (SYSLOG_SEVERITY[severity] ?? 6);
  const msgid = rec.kind === 'alert' ? 'alert' : rec.change === 'opened' ? 'incident' : 'incident-severity';
  const host = headerToken(opts.hostname ?? os.hostname(), 255);
  const msg = opts.format === 'json' ? formatJson(rec) : formatCef(rec, opts);
  return `<${pri}>1 ${syslogTimestamp(at)} ${host} canhgac - ${msgid} - ${msg}`;
}
