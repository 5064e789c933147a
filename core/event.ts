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
export function newId(now: number = Date.now()): string {
  let out = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    out = B32[t % 32] + out;
    t = Math.floor(t / 32);
  }
  const rnd = randomBytes(16);
  for (let i = 0; i < 16; i++) out += B32[rnd[i] % 32];
  return out;
}

/** Reads a dotted ECS path from a nested document; also accepts a literal dotted key at any level. */
export function getPath(doc: unknown, path: string): unknown {
  if (doc === null || typeof doc !== 'object') return undefined;
  const obj = doc as Record<string, unknown>;
  if (path in obj) return obj[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  // try the longest prefix that exists as a key, so {"id.orig_h": ..} and nested both work
  let i = dot;
  while (i >= 0) {
    const head = path.slice(0, i);
    if (head in obj) {
      const v = getPath(obj[head], path.slice(i + 1));
      if (v !== undefined) return v;
    }
    i = path.indexOf('.', i + 1);
  }
  return undefined;
}

/** Writes a dotted ECS path into a nested document, creating objects on the way. */
export function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> = doc;
  for (let i = 0; i < parts.length - 1; i++) {
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
