/**
 * The event model: every event is an Elastic Common Schema document, nested objects
 * (`{"source":{"ip":"..."}}`), never dotted keys. The tenant is `organization.id`,
 * set by the collector from the sender's credential — never taken from the payload.
 */
import { randomBytes } from 'node:crypto';

export interface EventFields {
  id?: string;
  kind?: 'event' | 'alert' | 'pipeline_error' | 'signal' | 'metric' | 'state' | 'enrichment' | 'asset' | string;
  category?: string[];
  type?: string[];
  outcome?: 'success' | 'failure' | 'unknown' | string;
  action?: string;
  code?: string;
  severity?: number;
  dataset?: string;
  module?: string;
  provider?: string;
  original?: string;
  reason?: string;
  created?: string;
  ingested?: string;
  timezone?: string;
  [field: string]: unknown;
}

export interface EcsEvent {
  '@timestamp': string;
  event: EventFields;
  message?: string;
  organization?: { id: string; name?: string };
  [field: string]: unknown;
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Time-ordered unique id (48-bit ms time + 80 random bits, Crockford base32): sorts by arrival. */
const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// random bytes are drawn in bulk: one crypto call per 256 ids instead of one per id
let pool = Buffer.alloc(0);
let poolAt = 0;
let lastMs = -1;
let seq = 0;
/** Time-ordered and, within one process, strictly increasing: ids made in the same millisecond sort in order. */
export function newId(now: number = Date.now()): string {
  if (now <= lastMs) {
    now = lastMs;
    seq++;
    if (seq >= 32 ** 4) {
      now = ++lastMs;
      seq = 0;
    }
  } else {
    lastMs = now;
    seq = 0;
  }
  let out = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    out = B32[t % 32] + out;
    t = Math.floor(t / 32);
  }
  out += B32[(seq >> 15) & 31] + B32[(seq >> 10) & 31] + B32[(seq >> 5) & 31] + B32[seq & 31];
  if (poolAt + 12 > pool.length) {
    pool = randomBytes(3072);
    poolAt = 0;
  }
  for (let i = 0; i < 12; i++) out += B32[pool[poolAt + i] & 31];
  poolAt += 12;
  return out;
}

/** Keys that lead from a plain object to Object.prototype when used as a path segment or assigned. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The name a key taken from input is stored under: `__proto__`, `constructor` and `prototype` get an
 * underscore appended (kept as data, never a way to Object.prototype); every other key is itself.
 */
export function safeKey(key: string): string {
  return UNSAFE_KEYS.has(key) ? `${key}_` : key;
}

/** True for a key that safeKey renames. */
export function isUnsafeKey(key: string): boolean {
  return UNSAFE_KEYS.has(key);
}

/** A dotted key with every unsafe segment renamed (`a.__proto__.b` -> `a.__proto___.b`). */
export function safeDottedKey(key: string): string {
  if (key.indexOf('.') < 0) return safeKey(key);
  const parts = key.split('.');
  return parts.some(isUnsafeKey) ? parts.map(safeKey).join('.') : key;
}

const SPLIT = new Map<string, string[]>();
/** Path segments, each through safeKey: a path read or written can never step onto a prototype. */
function split(path: string): string[] {
  let parts = SPLIT.get(path);
  if (!parts) {
    parts = path.split('.').map(safeKey);
    if (SPLIT.size < 10000) SPLIT.set(path, parts);
  }
  return parts;
}

/** Reads a dotted ECS path from a nested document; also accepts a literal dotted key at any level. */
export function getPath(doc: unknown, path: string): unknown {
  if (doc === null || typeof doc !== 'object') return undefined;
  // fast path: plain nested objects
  const parts = split(path);
  let cur: unknown = doc;
  let i = 0;
  for (; i < parts.length; i++) {
    if (cur === null || typeof cur !== 'object') break;
    const next: unknown = (cur as Record<string, unknown>)[parts[i]];
    if (next === undefined) break;
    cur = next;
  }
  if (i === parts.length) return cur;
  if (parts.length === 1) return undefined;
  // a miss: only documents with literal dotted keys on the way can still hold the field
  let o: unknown = doc;
  for (let j = 0; j <= i && o !== null && typeof o === 'object'; j++) {
    for (const k in o as object) if (k.indexOf('.') > 0) return getPathSlow(doc, parts.join('.'));
    o = (o as Record<string, unknown>)[parts[j]];
  }
  return undefined;
}

/** Documents that mix nesting with literal dotted keys ({"id.orig_h": ...}). */
function getPathSlow(doc: unknown, path: string): unknown {
  if (doc === null || typeof doc !== 'object') return undefined;
  const obj = doc as Record<string, unknown>;
  if (Object.hasOwn(obj, path)) return obj[path];
  let i = path.indexOf('.');
  while (i >= 0) {
    const head = path.slice(0, i);
    if (Object.hasOwn(obj, head)) {
      const v = getPathSlow(obj[head], path.slice(i + 1));
      if (v !== undefined) return v;
    }
    i = path.indexOf('.', i + 1);
  }
  return undefined;
}

/**
 * Writes a dotted ECS path into a nested document, creating objects on the way. Segments go through
 * safeKey and only objects are followed, so no path (`__proto__.x`, `constructor.prototype.x`, `toString.x`)
 * reaches a prototype.
 */
export function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = split(path);
  let cur: Record<string, unknown> = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    // parts are safeKey'd, so an inherited value here is at most a method (a function), never a prototype object
    const next = cur[parts[i]];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      const created: Record<string, unknown> = {};
      cur[parts[i]] = created;
      cur = created;
    } else cur = next as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

/** Appends to an ECS `related.*` list, de-duplicated, first-seen order. */
export function addRelated(doc: Record<string, unknown>, kind: 'ip' | 'user' | 'hosts' | 'hash', value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  const related = (doc.related ??= {}) as Record<string, unknown[]>;
  const list = (related[kind] ??= []);
  if (!list.includes(value)) list.push(value);
}
