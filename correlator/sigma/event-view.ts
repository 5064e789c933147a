/**
 * One event as the rules see it: field lookups cached per event, the evtx_dump regression shape
 * flattened once (System.X → X, System.X.#attributes.Y → X_Y, EventData names without spaces,
 * UserData children), and a keyword haystack built only when a keyword rule asks for it.
 */
import { getPath, safeKey } from '../../core/event';
import { canonical } from './strings';

/** A field's value in one event, as canonical strings (arrays give several). */
export interface FieldVal {
  present: boolean; // the key exists (even when null)
  isNull: boolean; // missing, null, or an empty list
  strs: string[];
  lows: string[] | null; // lowercased strs, filled on first use
  raw: unknown;
}

export const DEFAULT_RAW_CONTAINERS: readonly string[] = ['winlog.event_data'];

export const MISSING: FieldVal = { present: false, isNull: true, strs: [], lows: [], raw: undefined };

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function toFieldVal(raw: unknown): FieldVal {
  if (raw === undefined) return MISSING;
  if (raw === null) return { present: true, isNull: true, strs: [], lows: [], raw };
  if (Array.isArray(raw)) {
    const strs: string[] = [];
    for (const x of raw) {
      const c = canonical(isObj(x) && '#text' in x ? x['#text'] : x);
      if (c !== undefined) strs.push(c);
    }
    return { present: true, isNull: raw.length === 0, strs, lows: null, raw };
  }
  if (isObj(raw)) {
    // evtx_dump renders an element with attributes and text as {"#attributes":..,"#text":..}
    if ('#text' in raw) return toFieldVal(raw['#text']);
    return { present: true, isNull: false, strs: [], lows: [], raw };
  }
  const c = canonical(raw);
  return { present: true, isNull: false, strs: c === undefined ? [] : [c], lows: null, raw };
}

export function lows(f: FieldVal): string[] {
  if (f.lows === null) f.lows = f.strs.map((s) => s.toLowerCase());
  return f.lows;
}

const HAS_SPACE = /\s/;

/** Flattens the evtx_dump `{"Event":{"System":..,"EventData":..}}` shape into Sigma's raw Windows names. */
export function flattenEvtx(doc: Record<string, unknown>): Record<string, unknown> | null {
  const ev = doc.Event;
  if (!isObj(ev) || !(isObj(ev.System) || isObj(ev.EventData))) return null;
  const flat: Record<string, unknown> = {};
  // for-in over own keys (JSON documents have no inherited ones): no entry arrays per event
  const sys = ev.System;
  if (isObj(sys)) {
    for (const k in sys) {
      const v = sys[k];
      if (isObj(v)) {
        const attrs = v['#attributes'];
        if (isObj(attrs)) for (const a in attrs) flat[`${k}_${a}`] = attrs[a];
        if ('#text' in v) flat[k] = v['#text'];
      } else flat[k] = v;
    }
  }
  const put = (src: Record<string, unknown>): void => {
    for (const k in src) {
      if (k === '#attributes') continue;
      flat[HAS_SPACE.test(k) ? k.replace(/\s+/g, '') : k] = src[k];
    }
  };
  if (isObj(ev.EventData)) put(ev.EventData);
  else if (ev.EventData !== undefined && ev.EventData !== null) flat.Data = ev.EventData;
  if (isObj(ev.UserData)) for (const v of Object.values(ev.UserData)) if (isObj(v)) put(v);
  return flat;
}

/** The first non-blank character's code (-1: none), without copying a long message. */
function firstChar(t: string): number {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
}

function lastChar(t: string): number {
  for (let i = t.length - 1; i >= 0; i--) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
}

const looksLikeJson = (t: string): boolean => firstChar(t) === 123 /* { */ && lastChar(t) === 125; /* } */

const SEGMENTS = new Map<string, string[]>();
function segments(path: string): string[] {
  let parts = SEGMENTS.get(path);
  if (!parts) {
    parts = path.split('.').map(safeKey);
    if (SEGMENTS.size < 10000) SEGMENTS.set(path, parts);
  }
  return parts;
}

/** Whether an object has a literal dotted key ({"id.orig_h": ..}), which getPath must then look through. */
function hasDottedKey(o: Record<string, unknown>): boolean {
  for (const k in o) if (k.indexOf('.') > 0) return true;
  return false;
}

export class EventView {
  readonly flat: Record<string, unknown> | null;
  private cache: Map<string, FieldVal> | null = null; // created on first lookup: most events need few
  private hay: string[] | null = null;
  private msg: string | undefined | null = null; // null: not looked up yet
  private readonly raw: Array<Record<string, unknown>>;
  private rootDotted = -1; // -1: not looked at yet; 0/1: whether the document's top level has a dotted key

  /** rawContainers: objects that hold raw source field names (fields.yml `raw_containers`, e.g. winlog.event_data). */
  constructor(
    readonly doc: Record<string, unknown>,
    rawContainers: readonly string[] = DEFAULT_RAW_CONTAINERS,
  ) {
    this.flat = 'Event' in doc ? flattenEvtx(doc) : null;
    this.raw = [];
    for (const c of rawContainers) {
      const o = this.path(c);
      if (isObj(o)) this.raw.push(o);
    }
  }

  /** Raw lookup of a Sigma field: evtx-flattened name, the name as a path, in the raw containers, then mapped ECS paths. */
  get(key: string, field: string, mapped: readonly string[] | undefined): FieldVal {
    const cache = (this.cache ??= new Map());
    let v = cache.get(key);
    if (v !== undefined) return v;
    let raw: unknown;
    if (this.flat) raw = this.flat[field];
    if (raw === undefined) raw = this.path(field);
    for (let i = 0; raw === undefined && i < this.raw.length; i++) raw = this.raw[i][field];
    if (raw === undefined && mapped) {
      for (const p of mapped) {
        raw = this.path(p);
        if (raw !== undefined) break;
      }
    }
    v = toFieldVal(raw);
    cache.set(key, v);
    return v;
  }

  /**
   * getPath(doc, path), without its look for dotted keys on a miss at the top level repeated for every
   * lookup: whether the top level has one is found once per event (most lookups of a mapped ECS path
   * miss there, e.g. process.command_line on a Windows event).
   */
  path(path: string): unknown {
    const parts = segments(path);
    let cur: unknown = this.doc;
    let i = 0;
    for (; i < parts.length; i++) {
      if (cur === null || typeof cur !== 'object') break;
      const next: unknown = (cur as Record<string, unknown>)[parts[i]];
      if (next === undefined) break;
      cur = next;
    }
    if (i === parts.length) return cur;
    if (parts.length === 1) return undefined;
    if (i === 0) {
      if (this.rootDotted < 0) this.rootDotted = hasDottedKey(this.doc) ? 1 : 0;
      if (this.rootDotted === 0) return undefined;
    }
    return getPath(this.doc, path);
  }

  /**
   * The event's own text as the device wrote it: event.original, else message / Message (the rendered
   * text of a Windows event). A JSON document's original is a JSON-escaped copy (backslashes doubled),
   * not text the device wrote, so it is passed over; undefined when no text is left (then: the values).
   */
  rawMessage(): string | undefined {
    if (this.msg !== null) return this.msg;
    const isText = (t: unknown): t is string => typeof t === 'string' && firstChar(t) !== -1 && !looksLikeJson(t);
    const orig = this.path('event.original');
    this.msg = isText(orig) ? orig : isText(this.doc.message) ? this.doc.message : isText(this.doc.Message) ? this.doc.Message : undefined;
    return this.msg;
  }

  /** Lowercased text a keyword search looks in: the original message when there is one, else every string value. */
  haystack(): string[] {
    if (this.hay) return this.hay;
    const out: string[] = [];
    const orig = this.rawMessage();
    if (orig !== undefined) out.push(orig);
    else {
      const walk = (v: unknown, depth: number): void => {
        if (depth > 32) return;
        if (typeof v === 'string') out.push(v);
        else if (typeof v === 'number') out.push(String(v));
        else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
        else if (isObj(v)) for (const x of Object.values(v)) walk(x, depth + 1);
      };
      walk(this.flat ?? this.doc, 0);
    }
    this.hay = out.map((s) => s.toLowerCase());
    return this.hay;
  }
}

/** Event time in ms: @timestamp, evtx TimeCreated, or common alternatives; NaN when none parses. */
export function eventTimeMs(doc: Record<string, unknown>, view?: EventView): number {
  const cands: unknown[] = [doc['@timestamp'], view?.flat?.TimeCreated_SystemTime, getPath(doc, 'Event.System.TimeCreated.#attributes.SystemTime'), doc.TimeCreated, doc.EventTime, doc.timestamp, getPath(doc, 'event.created')];
  for (const c of cands) {
    if (typeof c === 'string') {
      const t = Date.parse(c);
      if (!Number.isNaN(t)) return t;
    } else if (typeof c === 'number' && Number.isFinite(c)) return c > 1e12 ? c : c * 1000;
  }
  return NaN;
}
