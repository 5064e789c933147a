/**
 * Fortinet FortiMail syslog: comma-separated key=value (`date=...,time=...,device_id=...,log_id=...,type=...`).
 * Keys stay under fortinet_fortimail.log.* (Elastic's names); mail addresses become email.*, and antivirus /
 * antispam detections become alerts (malware for viruses).
 */
import { safeKey } from '../../core/event';
import type { Parser } from './types';
import { Doc, ParseFailure, dateTimeToIso, excerpt, set, setEndpoint, lookupTable } from './util';

/** FortiMail separates pairs with commas; quoted values may contain commas. */
export function parseCommaKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(?:^|,)\s*([\w-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,]*))/g;
  for (const m of text.matchAll(re)) out[safeKey(m[1])] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  return out;
}

const RENAME: Record<string, string> = lookupTable({ log_id: 'id', pri: 'priority', subtype: 'sub_type', msg: 'message', src: 'source.ip', dst: 'destination.ip' });

export const fortimail: Parser = {
  name: 'fortimail',
  dataset: 'fortinet_fortimail.log',
  observer: { vendor: 'Fortinet', product: 'FortiMail', type: 'firewall' },
  detect: (line) => /(?:^|[>\s])date=\d{4}-\d{2}-\d{2},time=[\d:.]+,device_id=FE/.test(line),
  parseLine(doc: Doc, line, h, ctx) {
    const at = line.indexOf('date=');
    const kv = parseCommaKeyValues(at >= 0 ? line.slice(at) : h.rest);
    if (!kv.log_id && !kv.device_id) throw new ParseFailure(`FortiMail line has no log_id/device_id pairs at ${excerpt(line)}`);
    delete doc.process;
    delete doc.host;
    delete doc.message;
    if (kv.date && kv.time) set(doc, '@timestamp', dateTimeToIso(kv.date, kv.time, ctx.timezone));
    for (const [k, v] of Object.entries(kv)) if (v !== '') set(doc, `fortinet_fortimail.log.${RENAME[k] ?? k}`, v);
    if (h.priority !== undefined) set(doc, 'fortinet_fortimail.log.priority_number', h.priority);
    set(doc, 'observer.vendor', 'Fortinet');
    set(doc, 'observer.product', 'FortiMail');
    set(doc, 'observer.type', 'firewall');
    set(doc, 'observer.serial_number', kv.device_id);
    set(doc, 'event.code', kv.log_id);
    set(doc, 'log.level', kv.pri);
    set(doc, 'message', kv.msg);
    setEndpoint(doc, 'source', kv.src);
    setEndpoint(doc, 'destination', kv.dst);
    for (const side of ['source', 'destination']) {
      const d = doc[side] as Doc | undefined;
      if (d && d.ip !== undefined) delete d.address;
    }
    if (kv.from) set(doc, 'email.from.address', [kv.from]);
    if (kv.to) set(doc, 'email.to.address', kv.to.split(/[;,]\s*/).filter(Boolean));
    set(doc, 'email.subject', kv.subject);
    set(doc, 'email.message_id', kv.message_id);
    for (const addr of [kv.from, ...(kv.to ? kv.to.split(/[;,]\s*/) : [])]) if (addr) {
      const related = ((doc.related as Doc | undefined)?.user as string[] | undefined) ?? [];
      if (!related.includes(addr)) set(doc, 'related.user', [...related, addr]);
    }
    if (kv.type === 'virus') {
      const name = / infected with (\S+?)\.?$/.exec(kv.msg ?? '')?.[1];
      const file = /The file (.+?) is infected/.exec(kv.msg ?? '')?.[1];
      set(doc, 'event.kind', 'alert');
      set(doc, 'event.category', ['malware', 'email']);
      set(doc, 'event.type', ['info']);
      set(doc, 'rule.name', name);
      set(doc, 'threat.software.name', name);
      set(doc, 'file.name', file);
    } else if (kv.type === 'spam') {
      set(doc, 'event.category', ['email']);
      set(doc, 'event.type', ['info', 'denied']);
    } else if (kv.type === 'statistics' || kv.type === 'event') {
      set(doc, 'event.category', ['email']);
      set(doc, 'event.type', ['info']);
    }
  },
};
