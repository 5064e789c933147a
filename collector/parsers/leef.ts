/**
 * IBM QRadar Log Event Extended Format: `LEEF:1.0|vendor|product|version|event id|k=v<TAB>k=v`
 * and `LEEF:2.0|...|event id|<delimiter>|k=v<delim>k=v`. Standard LEEF keys map to ECS; all keys stay under leef.*.
 */
import { safeKey } from '../../core/event';
import type { Parser } from './types';
import { Doc, ParseFailure, epochToIso, excerpt, fillCommunityId, normalizeMac, set, setEndpoint, toInt } from './util';

function delimiterOf(spec: string): string {
  if (!spec) return '\t';
  const hex = /^(?:0x|x)([0-9a-fA-F]{2,4})$/.exec(spec);
  return hex ? String.fromCharCode(parseInt(hex[1], 16)) : spec[0];
}

export function decodeLeef(text: string): { version: string; vendor: string; product: string; productVersion: string; eventId: string; fields: Record<string, string> } {
  const at = text.indexOf('LEEF:');
  if (at < 0) throw new ParseFailure(`no "LEEF:" header in ${excerpt(text)}`);
  const parts = text.slice(at + 5).split('|');
  if (parts.length < 6) throw new ParseFailure(`LEEF header needs 5 "|"-separated fields after "LEEF:" in ${excerpt(text.slice(at))}`);
  const [version, vendor, product, productVersion, eventId] = parts;
  let delimiter = '\t';
  let rest: string;
  if (version.startsWith('2') && parts.length >= 7) {
    delimiter = delimiterOf(parts[5]);
    rest = parts.slice(6).join('|');
  } else rest = parts.slice(5).join('|');
  const fields: Record<string, string> = {};
  const chunks = delimiter === '\t' && !rest.includes('\t') ? rest.split(/\s+(?=[\w.-]+=)/) : rest.split(delimiter);
  for (const c of chunks) {
    const eq = c.indexOf('=');
    if (eq > 0) fields[safeKey(c.slice(0, eq).trim())] = c.slice(eq + 1);
  }
  return { version, vendor, product, productVersion, eventId, fields };
}

export const leef: Parser = {
  name: 'leef',
  dataset: 'leef.log',
  detect: (line) => /(?:^|[\s:])LEEF:[12]\.0\|/.test(line),
  parseLine(doc: Doc, line, h) {
    const d = decodeLeef(h.rest.includes('LEEF:') ? h.rest : line);
    const f = d.fields;
    set(doc, 'leef', { version: d.version, device: { vendor: d.vendor, product: d.product, version: d.productVersion, event_id: d.eventId }, extensions: f });
    set(doc, 'observer.vendor', d.vendor);
    set(doc, 'observer.product', d.product);
    set(doc, 'observer.version', d.productVersion);
    if (h.hostname) set(doc, 'observer.hostname', h.hostname);
    set(doc, 'event.code', d.eventId);
    set(doc, 'event.action', f.action ?? d.eventId);
    delete doc.message;
    set(doc, 'message', f.msg ?? f.message);
    setEndpoint(doc, 'source', f.src, f.srcPort);
    setEndpoint(doc, 'destination', f.dst, f.dstPort);
    set(doc, 'source.nat.ip', f.srcPostNAT);
    set(doc, 'destination.nat.ip', f.dstPostNAT);
    set(doc, 'source.mac', normalizeMac(f.srcMAC));
    set(doc, 'destination.mac', normalizeMac(f.dstMAC));
    set(doc, 'user.name', f.usrName ?? f.accountName);
    set(doc, 'user.domain', f.domain);
    set(doc, 'network.transport', f.proto?.toLowerCase());
    if (toInt(f.srcBytes) !== undefined) set(doc, 'source.bytes', toInt(f.srcBytes));
    if (toInt(f.dstBytes) !== undefined) set(doc, 'destination.bytes', toInt(f.dstBytes));
    if (toInt(f.sev) !== undefined) set(doc, 'event.severity', toInt(f.sev));
    set(doc, 'url.original', f.url);
    set(doc, 'rule.category', f.cat);
    set(doc, 'host.name', f.identHostName);
    if (f.identSrc) set(doc, 'host.ip', [f.identSrc]);
    if (f.devTime) {
      const t = /^\d{10,}$/.test(f.devTime) ? epochToIso(f.devTime) : Number.isNaN(Date.parse(f.devTime)) ? undefined : new Date(f.devTime).toISOString();
      set(doc, '@timestamp', t);
    }
    fillCommunityId(doc);
  },
};
