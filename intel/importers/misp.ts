/**
 * MISP: an event as JSON (`{"Event": {...}}`, the REST answer `{"response": [{"Event": ...}]}`,
 * or a list of them) and the MISP feed format (a folder with manifest.json naming each event by
 * uuid, and <uuid>.json per event). Attributes marked for detection (to_ids) of the address,
 * domain, URL and hash types become indicators; others are passed over and reported. An
 * attribute that is broken (no type or value, a value not of its type) rejects everything.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ImportError, isoTime, normalizeValue, type IndicatorInput } from '../indicator';
import type { ImportResult } from './types';

type Obj = Record<string, unknown>;

/** MISP attribute type → the indicator type of each part of its value ('' ignores that part). */
const TYPES: Record<string, string[]> = {
  'ip-src': ['ip'], 'ip-dst': ['ip'], 'ip-src|port': ['ip', ''], 'ip-dst|port': ['ip', ''],
  domain: ['domain'], hostname: ['domain'], 'hostname|port': ['domain', ''], 'domain|ip': ['domain', 'ip'],
  url: ['url'],
  md5: ['md5'], sha1: ['sha1'], sha256: ['sha256'],
  'filename|md5': ['', 'md5'], 'filename|sha1': ['', 'sha1'], 'filename|sha256': ['', 'sha256'], 'malware-sample': ['', 'md5'],
};

const tagNames = (v: unknown): string[] => (Array.isArray(v) ? v.map((t) => (t && typeof t === 'object' ? (t as Obj).name : undefined)).filter((n): n is string => typeof n === 'string') : []);

function eventsOf(doc: unknown, where: string): Obj[] {
  const d = doc as Obj;
  if (Array.isArray(doc)) return doc.flatMap((x, i) => eventsOf(x, `${where}[${i}]`));
  if (d && typeof d === 'object' && Array.isArray(d.response)) return eventsOf(d.response, `${where}.response`);
  if (d && typeof d === 'object' && d.Event && typeof d.Event === 'object' && !Array.isArray(d.Event)) return [d.Event as Obj];
  throw new ImportError(where, 'is not a MISP event (expected {"Event": {...}})');
}

function attributeList(v: unknown, where: string): Obj[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ImportError(where, 'is not a list');
  return v.map((a, i) => {
    if (!a || typeof a !== 'object' || Array.isArray(a)) throw new ImportError(`${where}[${i}]`, 'is not an object');
    return a as Obj;
  });
}

function readEvent(ev: Obj, where: string, out: ImportResult): void {
  const info = typeof ev.info === 'string' ? ev.info : undefined;
  const eventTags = tagNames(ev.Tag);
  const orgc = ev.Orgc && typeof ev.Orgc === 'object' ? (ev.Orgc as Obj).name : undefined;
  const date = typeof ev.date === 'string' ? safeIso(ev.date, 'date', where) : undefined;
  const attrs: [Obj, string][] = attributeList(ev.Attribute, `${where}.Attribute`).map((a, i) => [a, `${where}.Attribute[${i}]`]);
  attributeList(ev.Object, `${where}.Object`).forEach((o, j) => {
    attributeList(o.Attribute, `${where}.Object[${j}].Attribute`).forEach((a, i) => attrs.push([a, `${where}.Object[${j}].Attribute[${i}]`]));
  });
  for (const [a, at] of attrs) {
    const label = `${at}${typeof a.uuid === 'string' ? ` (${a.uuid})` : ''}`;
    if (typeof a.type !== 'string' || !a.type) throw new ImportError(label, '"type" is missing');
    if (typeof a.value !== 'string' || !a.value) throw new ImportError(label, '"value" is missing or not a string');
    if (a.to_ids === false || a.to_ids === '0' || a.deleted === true) {
      out.skipped.push({ where: label, reason: a.deleted === true ? 'deleted' : 'not marked for detection (to_ids false)' });
      continue;
    }
    const parts = TYPES[a.type];
    if (!parts) {
      out.skipped.push({ where: label, reason: `attribute type ${a.type} is not matched` });
      continue;
    }
    const values = parts.length === 1 ? [a.value] : a.value.split('|');
    if (values.length !== parts.length) throw new ImportError(label, `a ${a.type} value has ${parts.length} parts joined by "|", got ${JSON.stringify(a.value)}`);
    parts.forEach((type, k) => {
      if (!type) return;
      let typed;
      try {
        typed = normalizeValue(type, values[k]);
      } catch (e) {
        throw new ImportError(label, `${a.type}: ${(e as Error).message}`);
      }
      const comment = typeof a.comment === 'string' && a.comment ? a.comment : undefined;
      out.indicators.push({
        ...typed,
        tags: [...eventTags, ...tagNames(a.Tag), ...(typeof a.category === 'string' ? [`misp:category=${a.category}`] : [])],
        description: [info, comment].filter(Boolean).join(': ') || undefined,
        first_seen: a.first_seen ? safeIso(a.first_seen, 'first_seen', label) : date,
        last_seen: a.last_seen ? safeIso(a.last_seen, 'last_seen', label) : a.timestamp ? safeIso(a.timestamp, 'timestamp', label) : undefined,
        source: typeof orgc === 'string' ? orgc : undefined,
      });
    });
  }
}

function safeIso(v: unknown, field: string, where: string): string {
  try {
    return isoTime(v, field);
  } catch (e) {
    throw new ImportError(where, (e as Error).message);
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ImportError(where, `is not JSON: ${(e as Error).message}`);
  }
}

/** A MISP event export (one event, a REST answer, or a list of events). */
export function importMispEvent(text: string, where = 'the file'): ImportResult {
  const out: ImportResult = { indicators: [], skipped: [] };
  const events = eventsOf(parseJson(text, where), where);
  events.forEach((ev, i) => readEvent(ev, events.length > 1 ? `${where} event ${i + 1}` : 'Event', out));
  if (!out.indicators.length && !out.skipped.length) throw new ImportError(where, 'holds no attribute');
  return out;
}

/** A MISP feed: `dir` (or its manifest.json) lists event uuids; each event is `<uuid>.json` beside it. */
export function importMispFeed(target: string): ImportResult {
  const dir = statSync(target).isDirectory() ? target : path.dirname(target);
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new ImportError(dir, 'has no manifest.json (a MISP feed lists its events there)');
  const manifest = parseJson(readFileSync(manifestPath, 'utf8'), 'manifest.json') as Obj;
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) throw new ImportError('manifest.json', 'is not an object of event uuid → event summary');
  const out: ImportResult = { indicators: [], skipped: [] };
  for (const uuid of Object.keys(manifest)) {
    if (!/^[0-9a-f-]{36}$/i.test(uuid)) throw new ImportError(`manifest.json key "${uuid}"`, 'is not an event uuid');
    const file = path.join(dir, `${uuid}.json`);
    if (!existsSync(file)) throw new ImportError(`manifest.json "${uuid}"`, `names an event whose file ${uuid}.json is not in ${dir}`);
    const one = importMispEventInto(readFileSync(file, 'utf8'), `${uuid}.json`);
    out.indicators.push(...one.indicators);
    out.skipped.push(...one.skipped);
  }
  if (!out.indicators.length && !out.skipped.length) throw new ImportError('manifest.json', 'lists no event');
  return out;
}

function importMispEventInto(text: string, where: string): ImportResult {
  const out: ImportResult = { indicators: [], skipped: [] };
  for (const ev of eventsOf(parseJson(text, where), where)) readEvent(ev, `${where} Event`, out);
  return out;
}

/** A file or folder given to `--format misp`: a feed when it is a folder or a manifest, else an event export. */
export function importMisp(target: string): ImportResult {
  if (statSync(target).isDirectory() || path.basename(target) === 'manifest.json') return importMispFeed(target);
  return importMispEvent(readFileSync(target, 'utf8'));
}
