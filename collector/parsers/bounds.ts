/**
 * Bounds on what one event may hold, applied to every JSON document a parser reads and to every
 * event `parse` returns: no key that leads to Object.prototype, no subtree deeper than MAX_DEPTH
 * (SQLite's JSON functions stop at 1000 levels, Elasticsearch's mapping at 20, JSON.stringify
 * overflows the stack), no more than MAX_KEYS keys (each new key is a field in the store's mapping),
 * and no `organization.*` from a payload (the collector sets the tenant). What is cut is kept as
 * JSON text and tagged, never silently dropped. Every walk here is iterative: a document
 * 100,000 levels deep cannot overflow the stack.
 */
import { isUnsafeKey, safeDottedKey } from '../../core/event';

/** Containers below the root; real ECS/Winlogbeat documents stay under 10. */
export const MAX_DEPTH = 16;
/** Keys per event, all levels counted; real events stay under 600. */
export const MAX_KEYS = 1000;
/** JSON text kept for one subtree cut at MAX_DEPTH. */
export const MAX_SUBTREE_TEXT = 16 * 1024;
/** Where the keys beyond MAX_KEYS go, as one JSON string keyed by their dotted path. */
export const OVERFLOW_FIELD = 'overflow';

/** What bounding did to one input, carried from the documents a parser read to the event it returns. */
export interface BoundNotes {
  /** keys found renamed by safeKey (`__proto__` -> `__proto___`); a key bounded twice counts twice */
  renamed: number;
  /** subtrees replaced by their JSON text, and where the first one was */
  deep: number;
  deepAt?: string;
  /** of those, how many were longer than MAX_SUBTREE_TEXT and cut */
  deepCut: number;
  /** keys beyond MAX_KEYS: dotted path -> value */
  overflow: Array<[string, unknown]>;
  /** organization keys removed from the payload */
  organization: number;
}

export function newNotes(): BoundNotes {
  return { renamed: 0, deep: 0, deepCut: 0, overflow: [], organization: 0 };
}

export function hasNotes(n: BoundNotes): boolean {
  return n.renamed > 0 || n.deep > 0 || n.overflow.length > 0 || n.organization > 0;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === 'object';
}

/** A key that Elasticsearch reads as `organization` or `organization.*` when it is at the root. */
export function isOrganizationKey(key: string): boolean {
  return key === 'organization' || key.startsWith('organization.');
}

/** Root fields kept first when keys run over MAX_KEYS: the event's own fields, then ECS, then the rest as sent. */
const ROOT_ORDER = [
  '@timestamp', 'event', 'message', 'error', 'tags', 'log', 'host', 'source', 'destination', 'user', 'process', 'network', 'related',
  'observer', 'rule', 'threat', 'file', 'url', 'http', 'dns', 'tls', 'email', 'client', 'server', 'agent', 'service', 'cloud', 'container',
  'group', 'registry', 'user_agent', 'vulnerability', 'labels', 'ecs', 'input', 'data_stream',
];
const ROOT_RANK = new Map(ROOT_ORDER.map((k, i) => [k, i]));

function rootOrder(keys: string[]): string[] {
  if (keys.length <= 1) return keys;
  return keys.map((k, i) => [ROOT_RANK.get(k) ?? ROOT_ORDER.length, i, k] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
}

/**
 * Keys that make a document's object unreadable as text: with an own `toString` or `valueOf` that is
 * not a function, String(obj) and `${obj}` throw. Renamed in documents like the unsafe keys.
 */
const INERT = new Set(['toString', 'valueOf', 'toLocaleString']);
const renameable = (k: string): boolean => isUnsafeKey(k) || INERT.has(k);
const RENAMED = new Set(['__proto___', 'constructor_', 'prototype_', 'toString_', 'valueOf_', 'toLocaleString_']);

/** The name a document key is kept under: every unsafe or inert segment gets a trailing underscore. */
function boundKey(key: string): string {
  if (key.indexOf('.') < 0) return INERT.has(key) ? `${key}_` : safeDottedKey(key);
  const parts = key.split('.');
  return parts.some(renameable) ? parts.map((p) => (renameable(p) ? `${p}_` : p)).join('.') : key;
}

/** 1: a key segment that must be renamed (copy the document); 2: one already renamed (say so). */
const SPECIAL = new Map<string, 1 | 2>([...['__proto__', 'constructor', 'prototype', ...INERT].map((k) => [k, 1] as const), ...[...RENAMED].map((k) => [k, 2] as const)]);

/** The strongest SPECIAL kind among the segments of `key`, 0 for none; most keys are decided by their length. */
function specialKind(key: string): 0 | 1 | 2 {
  const n = key.length;
  if (n >= 7 && n <= 15) {
    const kind = SPECIAL.get(key);
    if (kind !== undefined) return kind;
  }
  if (key.indexOf('.') < 0) return 0;
  let kind: 0 | 1 | 2 = 0;
  for (const part of key.split('.')) {
    const k = SPECIAL.get(part);
    if (k === 1) return 1;
    if (k === 2) kind = 2;
  }
  return kind;
}

function hasSegment(key: string, set: ReadonlySet<string>): boolean {
  if (key.indexOf('.') < 0) return set.has(key);
  for (const part of key.split('.')) if (set.has(part)) return true;
  return false;
}

/**
 * Whether `root` breaks a bound (depth, key count, an unsafe key, an organization key at the root) and
 * must be copied by boundDocument, and how many keys it holds that safeKey already renamed (setPath does
 * it for a parser's key=value fields), to be said on the event. A cheap walk without copying: it runs on
 * every event.
 */
export function inspect(root: Record<string, unknown>): { copy: boolean; renamed: number } {
  // containers and their depths in one flat stack: this walk runs on every event
  const stack: unknown[] = [root, 0];
  let keys = 0;
  let renamed = 0;
  while (stack.length) {
    const depth = stack.pop() as number;
    const c = stack.pop() as Container;
    if (Array.isArray(c)) {
      for (let i = 0; i < c.length; i++) {
        const v = c[i];
        if (v === null || typeof v !== 'object') continue;
        if (depth >= MAX_DEPTH) return { copy: true, renamed };
        stack.push(v, depth + 1);
      }
      continue;
    }
    for (const k in c) {
      if (++keys > MAX_KEYS || (depth === 0 && isOrganizationKey(k))) return { copy: true, renamed };
      const kind = specialKind(k);
      if (kind === 1) return { copy: true, renamed };
      if (kind === 2) renamed++;
      const v = c[k];
      if (v === null || typeof v !== 'object') continue;
      if (depth >= MAX_DEPTH) return { copy: true, renamed };
      stack.push(v, depth + 1);
    }
  }
  return { copy: false, renamed };
}

export function needsBounding(root: Record<string, unknown>): boolean {
  return inspect(root).copy;
}

/**
 * A bounded copy of `root`, breadth first and ECS root fields first, so the shallow ECS fields are the ones kept: unsafe keys
 * renamed, organization keys at the root removed, subtrees deeper than MAX_DEPTH replaced by their
 * JSON text, keys beyond MAX_KEYS moved to `notes.overflow`. The input is never changed.
 */
export function boundDocument(root: Record<string, unknown>, notes: BoundNotes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const queue: Array<{ src: Container; dst: Container; depth: number; path: string }> = [{ src: root, dst: out, depth: 0, path: '' }];
  let keys = 0;
  const child = (v: unknown, depth: number, path: string): unknown => {
    if (!isContainer(v)) return v;
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return v; // a Date: JSON.stringify writes it as text
    if (depth > MAX_DEPTH) {
      notes.deep++;
      notes.deepAt ??= path;
      const { text, truncated } = jsonText(v, MAX_SUBTREE_TEXT);
      if (truncated) notes.deepCut++;
      return text;
    }
    const dst: Container = Array.isArray(v) ? [] : {};
    queue.push({ src: v, dst, depth, path });
    return dst;
  };
  for (let q = 0; q < queue.length; q++) {
    const { src, dst, depth, path } = queue[q];
    queue[q] = undefined as never; // let finished frames go
    if (Array.isArray(src)) {
      const list = dst as unknown[];
      for (let i = 0; i < src.length; i++) list.push(child(src[i], depth + 1, `${path}.${i}`));
      continue;
    }
    const obj = dst as Record<string, unknown>;
    for (const k of depth === 0 ? rootOrder(Object.keys(src)) : Object.keys(src)) {
      if (depth === 0 && isOrganizationKey(k)) {
        notes.organization++;
        continue;
      }
      const name = boundKey(k);
      if (name !== k || hasSegment(name, RENAMED)) notes.renamed++;
      const at = path ? `${path}.${name}` : name;
      if (++keys > MAX_KEYS) notes.overflow.push([at, src[k]]);
      else obj[name] = child(src[k], depth + 1, at);
    }
  }
  return out;
}

/** Bounds one document when it needs it; `root` itself when it does not (the common case, no copy). */
export function boundIfNeeded(root: Record<string, unknown>, notes: BoundNotes): Record<string, unknown> {
  return needsBounding(root) ? boundDocument(root, notes) : root;
}

/**
 * JSON text of `v` without recursion (any depth), cut after `limit` characters. Follows
 * JSON.stringify: undefined and functions are left out of objects and are null in arrays; a reference
 * back to an enclosing object is written "[Circular]".
 */
export function jsonText(v: unknown, limit = Number.POSITIVE_INFINITY): { text: string; truncated: boolean } {
  const chunks: string[] = [];
  let len = 0;
  const emit = (s: string): void => {
    chunks.push(s);
    len += s.length;
  };
  const frames: Array<{ c: Container; keys?: string[]; i: number }> = [];
  // a caller's object (not one parsed from JSON) may refer to itself: written as a marker, never followed
  const open_ = new Set<Container>();
  const open = (x: unknown, inArray: boolean): boolean => {
    let val = x;
    if (isContainer(val) && typeof (val as { toJSON?: unknown }).toJSON === 'function') val = (val as { toJSON(): unknown }).toJSON();
    if (isContainer(val) && open_.has(val)) val = '[Circular]';
    if (isContainer(val)) {
      open_.add(val);
      if (Array.isArray(val)) {
        emit('[');
        frames.push({ c: val, i: 0 });
      } else {
        emit('{');
        frames.push({ c: val, keys: Object.keys(val).filter((k) => writable((val as Record<string, unknown>)[k])), i: 0 });
      }
      return true;
    }
    emit(writable(val) ? primitive(val) : inArray ? 'null' : '');
    return false;
  };
  open(v, true);
  while (frames.length && len <= limit) {
    const f = frames[frames.length - 1];
    const n = f.keys ? f.keys.length : (f.c as unknown[]).length;
    if (f.i >= n) {
      emit(f.keys ? '}' : ']');
      open_.delete(f.c);
      frames.pop();
      continue;
    }
    if (f.i > 0) emit(',');
    if (f.keys) {
      const k = f.keys[f.i++];
      emit(`${JSON.stringify(k)}:`);
      open((f.c as Record<string, unknown>)[k], false);
    } else open((f.c as unknown[])[f.i++], true);
  }
  const text = chunks.join('');
  return len > limit ? { text: `${text.slice(0, limit)}…`, truncated: true } : { text, truncated: false };
}

/** JSON text of a caller's document: JSON.stringify, or jsonText for one too deep for it (a RangeError). */
export function documentText(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return jsonText(v).text;
  }
}

function writable(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
}

function primitive(v: unknown): string {
  if (typeof v === 'bigint') return JSON.stringify(v.toString());
  return JSON.stringify(v) ?? 'null';
}

/** Fields every event keeps even when its keys run over MAX_KEYS (the event stays well formed). */
const ESSENTIAL = ['@timestamp', 'message', 'event.kind', 'event.original', 'event.reason', 'event.dataset', 'event.module', 'error.message'];

/**
 * The last step of `parse`: bounds the event and says what was done, in `tags` (`unsafe_key_renamed`,
 * `nesting_truncated`, `keys_truncated`, `organization_removed`), in `error.message`, and with the
 * keys beyond MAX_KEYS as JSON text in `log.overflow`. `notes` holds what bounding the input did.
 */
export function boundEvent<T extends Record<string, unknown>>(ev: T, notes: BoundNotes): T {
  let doc = ev;
  const seen = inspect(ev);
  if (seen.copy) {
    doc = boundDocument(ev, notes) as T;
    for (const path of ESSENTIAL) keepEssential(ev, doc, path);
  }
  // keys a parser's setPath renamed, when nothing was renamed on the way in
  if (!notes.renamed && seen.renamed) notes.renamed = seen.renamed;
  if (!hasNotes(notes)) return doc;
  const said: string[] = [];
  const tags: string[] = [];
  if (notes.renamed) {
    tags.push('unsafe_key_renamed');
    said.push('keys named __proto__, constructor, prototype, toString or valueOf were renamed with a trailing underscore');
  }
  if (notes.deep) {
    tags.push('nesting_truncated');
    const cut = notes.deepCut ? `, ${notes.deepCut} of them cut to ${MAX_SUBTREE_TEXT} characters` : '';
    said.push(`${notes.deep} subtree(s) nested deeper than ${MAX_DEPTH} levels kept as JSON text (first at ${notes.deepAt}${cut})`);
  }
  if (notes.overflow.length) {
    tags.push('keys_truncated');
    const rest: Record<string, unknown> = {};
    for (const [path, v] of notes.overflow) rest[path] = v;
    const log = isContainer(doc.log) && !Array.isArray(doc.log) ? (doc.log as Record<string, unknown>) : ((doc as Record<string, unknown>).log = {});
    // not cut: the listener's frame limit already bounds its size, and a string adds no field to the mapping
    log[OVERFLOW_FIELD] = jsonText(rest).text;
    said.push(`more than ${MAX_KEYS} keys: the other ${notes.overflow.length} kept as JSON text in log.${OVERFLOW_FIELD}`);
  }
  if (notes.organization) {
    tags.push('organization_removed');
    said.push('organization.* sent in the payload was removed: the tenant comes from the credential');
  }
  const d = doc as Record<string, unknown>;
  const had = Array.isArray(d.tags) ? (d.tags as unknown[]) : typeof d.tags === 'string' ? [d.tags] : [];
  d.tags = [...had, ...tags.filter((t) => !had.includes(t))];
  const error = isContainer(d.error) && !Array.isArray(d.error) ? (d.error as Record<string, unknown>) : (d.error = {});
  error.message = typeof error.message === 'string' && error.message !== '' ? `${error.message}; ${said.join('; ')}` : said.join('; ');
  return doc;
}

function keepEssential(from: Record<string, unknown>, to: Record<string, unknown>, path: string): void {
  const parts = path.split('.');
  let src: unknown = from;
  for (const p of parts) src = isContainer(src) && !Array.isArray(src) && Object.hasOwn(src, p) ? (src as Record<string, unknown>)[p] : undefined;
  if (src === undefined || isContainer(src)) return;
  let dst = to;
  for (const p of parts.slice(0, -1)) {
    const next = Object.hasOwn(dst, p) ? dst[p] : undefined;
    dst = isContainer(next) && !Array.isArray(next) ? (next as Record<string, unknown>) : (dst[p] = {});
  }
  dst[parts[parts.length - 1]] ??= src;
}
