/**
 * What the Elasticsearch store indexes for an event, and how it is read back. Elasticsearch reads a
 * dotted key as the same field as the nested one, so a payload's literal "organization.id" (or
 * "organization": {"id.keyword": ...}) would add a second tenant to the event: organization.id is set
 * from the event's tenant alone and every look-alike key is kept aside, unindexed, as JSON text.
 * Keys that poison a parser (`__proto__`, `constructor`) and documents with more field names than an
 * index can afford are kept aside the same way, so one agency can neither leak into another's
 * searches nor exhaust the mapping every agency shares. Reading puts the kept-aside parts back.
 */
import type { EcsEvent } from '../event';
import { boundDepth } from './json-depth';

/** Unindexed JSON text of the parts of the event that are not indexed as sent. */
export const KEPT_FIELD = 'canhgac_kept';
/** Tag of an event whose fields were not indexed (too many, or refused by the mapping); free text, time and agency still find it. */
export const FIELDS_TAG = 'canhgac_fields_unindexed';
/** Leaf fields one event may add to the index mapping (an index holds 5000); beyond, its fields are kept unindexed. */
export const MAX_INDEXED_FIELDS = 500;

type Doc = Record<string, unknown>;

const isObject = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

function put(obj: Doc, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A key a JSON reader treats as prototype poisoning (secure-json-parse, which the OpenSearch client uses, refuses the whole response). */
function hasPoisonKey(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  for (const [k, x] of Object.entries(v)) if (k === '__proto__' || k === 'constructor' || k === 'prototype' || hasPoisonKey(x)) return true;
  return false;
}

function leafCount(v: unknown, limit: number): number {
  if (v === null || typeof v !== 'object') return 1;
  let n = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    n += leafCount(x, limit - n);
    if (n > limit) return n;
  }
  return n;
}

/** The indexed form of an event: organization.id is the tenant; look-alikes, poison keys and excess fields are kept as text. */
export function toEsDocument(ev: EcsEvent, text: { field: string; value: string }, degrade = false): Doc {
  const src = boundDepth(ev) as unknown as Doc;
  const org = src.organization;
  const tenant = isObject(org) && org.id != null ? String(org.id) : null;
  const kept: Doc = {};
  const doc: Doc = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === text.field || k === KEPT_FIELD || k.startsWith('organization.') || hasPoisonKey({ [k]: v }) || k === '__proto__') put(kept, k, v);
    else if (k === 'organization') {
      const clean: Doc = {};
      let altered = !isObject(v);
      for (const [ok, ov] of isObject(v) ? Object.entries(v) : []) {
        if (ok === 'id' || ok.startsWith('id.') || hasPoisonKey({ [ok]: ov })) altered ||= ok !== 'id' || typeof ov !== 'string';
        else put(clean, ok, ov);
      }
      if (altered) put(kept, k, v);
      doc.organization = tenant === null ? clean : { ...clean, id: tenant };
    } else put(doc, k, v);
  }
  if (degrade || leafCount(doc, MAX_INDEXED_FIELDS) > MAX_INDEXED_FIELDS) return degraded(doc, kept, text);
  if (Object.keys(kept).length) put(doc, KEPT_FIELD, JSON.stringify(kept));
  put(doc, text.field, text.value);
  return doc;
}

/** Only time, agency, event id/kind/dataset and tags indexed; the rest kept as text. */
function degraded(doc: Doc, kept: Doc, text: { field: string; value: string }): Doc {
  const event = isObject(doc.event) ? doc.event : {};
  const slim: Doc = { '@timestamp': doc['@timestamp'], organization: isObject(doc.organization) && doc.organization.id !== undefined ? { id: doc.organization.id } : undefined };
  slim.event = Object.fromEntries(['id', 'kind', 'dataset'].filter((k) => typeof event[k] === 'string').map((k) => [k, event[k]]));
  const tags = Array.isArray(doc.tags) ? doc.tags.filter((t) => typeof t === 'string') : [];
  slim.tags = [...tags, FIELDS_TAG];
  const rest: Doc = {};
  for (const [k, v] of Object.entries(doc)) if (k !== '@timestamp' && k !== 'tags') put(rest, k, v);
  for (const [k, v] of Object.entries(kept)) put(rest, k, v);
  put(slim, KEPT_FIELD, JSON.stringify(rest));
  put(slim, text.field, text.value);
  return slim;
}

/** The event as it was sent, from a stored document (_source without the free-text field). */
export function fromEsDocument<T = EcsEvent>(source: unknown): T {
  if (!isObject(source) || typeof source[KEPT_FIELD] !== 'string') return source as T;
  const out: Doc = {};
  for (const [k, v] of Object.entries(source)) if (k !== KEPT_FIELD) put(out, k, v);
  let kept: unknown;
  try {
    kept = JSON.parse(source[KEPT_FIELD] as string);
  } catch {
    return out as T;
  }
  for (const [k, v] of Object.entries(isObject(kept) ? kept : {})) put(out, k, v);
  return out as T;
}
