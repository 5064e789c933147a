/**
 * Syslog header parser: RFC 5424 (with structured data) and RFC 3164 in its real-world
 * variants — with or without <PRI>, with or without hostname, BSD or ISO timestamps, Cisco's
 * year-in-header form, no timestamp at all. Parses one line; framing belongs to the listeners.
 */
import { safeKey } from '../../core/event';
import { FACILITY_NAMES, SEVERITY_NAMES, Doc, set, toInt } from './util';

export interface SyslogHeader {
  priority?: number;
  facility?: number;
  severity?: number;
  version?: string;
  /** the timestamp text as sent; parsed by the caller with the source's time policy */
  timestamp?: string;
  hostname?: string;
  appname?: string;
  procid?: string;
  msgid?: string;
  structuredData?: Record<string, Record<string, string>>;
  /** raw SD text when it was not RFC-conformant (e.g. Check Point `[k:"v"; ...]`) */
  rawStructuredData?: string;
  /** text after the header (after `tag:` for RFC 3164) */
  message: string;
  /** text after timestamp and host (the tag is still there); for parsers with their own tags */
  rest: string;
  rfc: '5424' | '3164' | 'none';
}

const PRI = /^<(\d{1,3})>/;
const BSD_TS = /^([A-Z][a-z]{2}\s+\d{1,2}(?:\s+\d{4})?\s+\d{1,2}:\d{2}:\d{2}(?:\.\d+)?(?:\s+\d{4}(?=\s))?)(?:Z|\s+(?:UTC|GMT|Z|[+-]\d{2}:?\d{2}))?(?::)?\s+/;
const ISO_TS = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+/;
/** `app[pid]:`, `app:`, `sshd(pam_unix)[19939]:`, `%ASA-2-106006:` */
const TAG = /^([^\s[\]:]{1,128}?)(?:\[([^\]\s]{0,32})\])?:(?:\s+|$)/;
const HOST = /^[A-Za-z0-9_.:\-]{1,255}$/;

function decodePri(h: SyslogHeader, pri: number): void {
  if (pri > 191) return;
  h.priority = pri;
  h.facility = pri >> 3;
  h.severity = pri & 7;
}

/** RFC 5424 STRUCTURED-DATA: `[id k="v" k2="v\"2"][id2]`; returns the map and the remaining text, or undefined. */
function parseStructuredData(s: string): { sd: Record<string, Record<string, string>>; rest: string } | undefined {
  const sd: Record<string, Record<string, string>> = {};
  let i = 0;
  while (s[i] === '[') {
    i++;
    const idStart = i;
    while (i < s.length && s[i] !== ' ' && s[i] !== ']' && s[i] !== '=' && s[i] !== '"') i++;
    const id = s.slice(idStart, i);
    if (!id || (s[i] !== ' ' && s[i] !== ']')) return undefined;
    const params: Record<string, string> = {};
    while (s[i] === ' ') {
      while (s[i] === ' ') i++;
      const nameStart = i;
      while (i < s.length && s[i] !== '=' && s[i] !== ' ' && s[i] !== ']' && s[i] !== '"') i++;
      const name = s.slice(nameStart, i);
      if (!name || s[i] !== '=' || s[i + 1] !== '"') return undefined;
      i += 2;
      let v = '';
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\' || s[i + 1] === ']')) {
          v += s[i + 1];
          i += 2;
        } else v += s[i++];
      }
      if (s[i] !== '"') return undefined;
      i++;
      params[safeKey(name)] = v;
    }
    if (s[i] !== ']') return undefined;
    i++;
    sd[safeKey(id)] = params;
  }
  return { sd, rest: s.slice(i) };
}

function splitTag(h: SyslogHeader, text: string): void {
  const m = TAG.exec(text);
  if (m && !/^\d+$/.test(m[1]) && !m[1].includes('=')) {
    h.appname = m[1];
    if (m[2]) h.procid = m[2];
    h.message = text.slice(m[0].length);
  } else h.message = text;
}

/** Parses the header of one syslog line; never throws. Lines without any header give rfc "none". */
export function parseSyslogHeader(line: string): SyslogHeader {
  const h: SyslogHeader = { message: line, rest: line, rfc: 'none' };
  let s = line;
  const pri = PRI.exec(s);
  if (pri) {
    decodePri(h, Number(pri[1]));
    s = s.slice(pri[0].length);
    // RFC 5424: VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]
    const v = /^(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) ?/.exec(s);
    if (v && (v[2] === '-' || /^\d{4}-\d{2}-\d{2}T/.test(v[2]))) {
      h.rfc = '5424';
      h.version = v[1];
      if (v[2] !== '-') h.timestamp = v[2];
      if (v[3] !== '-') h.hostname = v[3];
      if (v[4] !== '-') h.appname = v[4];
      if (v[5] !== '-') h.procid = v[5];
      if (v[6] !== '-') h.msgid = v[6];
      let body = s.slice(v[0].length);
      if (body.startsWith('-')) body = body.slice(1);
      else if (body.startsWith('[')) {
        const sd = parseStructuredData(body);
        if (sd) {
          h.structuredData = sd.sd;
          body = sd.rest;
        } else {
          // not RFC SD (Check Point's `[k:"v"; ...]`): keep the whole bracket body as the message
          const close = body.lastIndexOf(']');
          h.rawStructuredData = close > 0 ? body.slice(0, close + 1) : body;
        }
      }
      body = body.replace(/^ +/, '');
      if (body.charCodeAt(0) === 0xfeff) body = body.slice(1);
      h.message = body;
      h.rest = body;
      return h;
    }
  }
  h.rfc = pri ? '3164' : 'none';
  // a version digit before a BSD/ISO timestamp (`<85>1 Oct 23 ...`) is tolerated
  const ver = /^(\d) (?=[A-Z][a-z]{2} |\d{4}-)/.exec(s);
  if (pri && ver) {
    h.version = ver[1];
    s = s.slice(ver[0].length);
  }
  if (s.startsWith('*') || s.startsWith('.')) s = s.slice(1); // Cisco IOS: unsynchronized clock marker
  const ts = BSD_TS.exec(s) ?? ISO_TS.exec(s);
  if (ts) {
    h.timestamp = ts[0].trim().replace(/:$/, '');
    s = s.slice(ts[0].length);
    h.rfc = '3164';
  }
  // hostname: a token that is not itself the tag (`sshd[1]:`) and not a key=value body
  const sp = s.indexOf(' ');
  if (h.timestamp !== undefined && sp > 0) {
    const first = s.slice(0, sp);
    if (HOST.test(first) && !first.endsWith(':') && !first.includes('=') && !/^%[A-Z]/.test(first)) {
      h.hostname = first;
      s = s.slice(sp + 1).replace(/^ +/, '');
    } else if (/^[A-Za-z0-9_.\-]+:$/.test(first) && / [^\s[\]]+(\[\d+\])?: /.test(s.slice(sp)) && !/[[\]]/.test(first)) {
      // `host: app[pid]: msg`: some relays put a colon after the host
      h.hostname = first.slice(0, -1);
      s = s.slice(sp + 1).replace(/^ +/, '');
    }
  }
  h.rest = s;
  if (h.timestamp !== undefined || pri) splitTag(h, s);
  else h.message = s;
  return h;
}

/** Writes log.syslog.* (ECS) from a parsed header. */
export function applySyslogHeader(doc: Doc, h: SyslogHeader): void {
  if (h.priority !== undefined) {
    set(doc, 'log.syslog.priority', h.priority);
    set(doc, 'log.syslog.facility.code', h.facility);
    set(doc, 'log.syslog.facility.name', FACILITY_NAMES[h.facility!]);
    set(doc, 'log.syslog.severity.code', h.severity);
    set(doc, 'log.syslog.severity.name', SEVERITY_NAMES[h.severity!]);
  }
  if (h.version !== undefined) set(doc, 'log.syslog.version', h.version);
  set(doc, 'log.syslog.hostname', h.hostname);
  set(doc, 'log.syslog.appname', h.appname);
  set(doc, 'log.syslog.procid', h.procid);
  set(doc, 'log.syslog.msgid', h.msgid);
  if (h.structuredData && Object.keys(h.structuredData).length) set(doc, 'log.syslog.structured_data', h.structuredData);
}

/** process.name / process.pid from the tag: `sshd(pam_unix)` names the process `sshd`. */
export function applyProcess(doc: Doc, h: SyslogHeader): void {
  if (h.appname) set(doc, 'process.name', h.appname.replace(/\(.*$/, '') || h.appname);
  const pid = toInt(h.procid);
  if (pid !== undefined) set(doc, 'process.pid', pid);
}
