/**
 * The field index of the embedded store: what `field:value`, `field:abc*`, `field:*`, ranges on the
 * common ECS fields and field autocompletion read instead of parsing every event's JSON.
 *
 * Design (exact for what it answers, bounded in size):
 * - event_terms: a contentless FTS5 table (detail=none, no positions: ~1–2 bytes a term per event) whose
 *   tokens are field=value terms: `f<field id>v<value>` for every scalar value of a field (arrays and
 *   arrays of objects flattened, as Elasticsearch and the in-memory matcher do) and `f<field id>e` for
 *   every leaf present (a scalar, an array of scalars, null, {}), so `field:*` is one term; an object's
 *   `field:*` is the OR of the terms of the fields under it. event.original gets no value term. A value's ASCII letters are
 *   lower-cased (matching ignores their case; other letters, Vietnamese ones included, match as written, as
 *   Elasticsearch's case_insensitive term and SQLite's LIKE do) and spelled so the ascii tokenizer keeps it one token: [a-z0-9] and non-ASCII as they are, any other
 *   character as `_` + its hex code. A value longer than MAX_VALUE is cut and marked `_zz`, so a prefix
 *   query stays exact and an exact query of a long value is a pre-filter followed by the JSON check.
 * - event_field_names: field path → short id (the token's prefix); event_field_counts: per agency, how
 *   many events carry each field and when last: field autocompletion without reading events.
 * - event_values: (field, value, rowid) for the typed fields in RANGE_FIELDS, numbers as numbers, text as
 *   text (a numeric string as both): ranges on ports, status codes, severities, IPs are index ranges.
 * - All of it is written in the event writer's transaction. An old data dir is indexed in the background
 *   (FIELD_INDEX_CHUNK events a transaction, progress in event_index_meta, resumable); until it is done
 *   queries keep their JSON scan (fieldIndexLookup says so).
 * - Retention leaves the rows of deleted events, as it leaves their free text: they join to no event.
 */
import type Database from 'better-sqlite3';
import { startBackfill, type BackfillLogger } from './sqlite-backfill';

export const FIELD_INDEX_SCHEMA = `
CREATE VIRTUAL TABLE IF NOT EXISTS event_terms USING fts5 (terms, content='', detail=none, columnsize=0, tokenize="ascii tokenchars '_'");
CREATE TABLE IF NOT EXISTS event_field_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS event_field_counts (tenant TEXT NOT NULL, field INTEGER NOT NULL, n INTEGER NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (tenant, field)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS event_values (field INTEGER NOT NULL, v NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (field, v, rid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS event_index_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/** Characters of a value kept in its term; a longer value's term is its start, marked as cut. */
export const MAX_VALUE = 64;
export const FIELD_INDEX_CHUNK = 5_000;
const CUT = '_zz'; // never produced by spell(): escapes are hex
const MAX_DEPTH = 16;

/** Fields whose values are also kept typed, for ranges: the ECS fields a SOC compares. */
export const RANGE_FIELDS = new Set([
  'source.ip', 'destination.ip', 'client.ip', 'server.ip', 'source.port', 'destination.port', 'event.severity', 'event.code',
  'http.response.status_code', 'http.response.bytes', 'source.bytes', 'destination.bytes', 'network.bytes', 'host.name', 'user.name',
  'event.dataset', 'event.outcome', 'event.action', 'log.level', 'winlog.event_id', 'process.pid',
]);

const NUMERIC = /^-?\d+(\.\d+)?$/;

const ESCAPES = Array.from({ length: 128 }, (_, c) => '_' + c.toString(16).padStart(2, '0'));

/** A value spelled as one token of the ascii tokenizer; `cut` when it was longer than MAX_VALUE. */
export function spell(value: string): { text: string; cut: boolean } {
  const cut = value.length > MAX_VALUE;
  const s = cut ? value.slice(0, MAX_VALUE) : value;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 128) out += s[i];
    else if (c >= 65 && c <= 90) out += String.fromCharCode(c + 32);
    else out += ESCAPES[c];
  }
  return { text: out, cut };
}

export const existsTerm = (id: number) => `f${id.toString(36)}e`;
export const valueTerm = (id: number, value: string) => {
  const s = spell(value);
  return `f${id.toString(36)}v${s.text}${s.cut ? CUT : ''}`;
};
/** The FTS5 query for a term: exact, or every term starting with it. */
export const termQuery = (term: string, prefix: boolean) => `"${term}"${prefix ? ' *' : ''}`;

export interface EventIndexRows {
  terms: string;
  fields: Set<number>; // leaf fields present, for the per-agency catalogue
  values: [number, string | number][];
}

/** A field path met in documents, with what its terms need, so a document's walk builds no path strings. */
export interface FieldNode {
  id: number;
  path: string;
  exists: string; // its exists term
  value: string; // the start of its value terms
  range: boolean;
  noValue: boolean;
  kids: Map<string, FieldNode>;
}
/** The node of `key` under `parent` (null: a top-level key), learnt once. */
export type FieldChild = (parent: FieldNode | null, key: string) => FieldNode;

/** Fields whose values get no term: the raw line is long, unique and already in free text. */
export const NO_VALUE_TERMS = new Set(['event.original']);

/** An object with fields, or an array of them: its presence is told by the terms of what it holds. */
function holdsFields(x: unknown): boolean {
  if (x === null || typeof x !== 'object') return false;
  if (Array.isArray(x)) return x.length > 0 && x.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e) && Object.keys(e).length > 0);
  for (const _ in x) return true;
  return false;
}

/** The index rows of one event document: its terms, the fields it has, its typed values. */
export function indexRows(doc: unknown, child: FieldChild): EventIndexRows {
  const terms = new Set<string>();
  const fields = new Set<number>();
  const values: [number, string | number][] = [];
  const scalar = (node: FieldNode, v: string | number | boolean) => {
    const text = typeof v === 'string' ? v : String(v);
    if (!node.noValue) {
      const sp = spell(text);
      terms.add(sp.cut ? node.value + sp.text + CUT : node.value + sp.text);
    }
    fields.add(node.id);
    if (typeof v === 'boolean' || !node.range) return;
    values.push([node.id, v]);
    if (typeof v === 'string' && NUMERIC.test(v)) values.push([node.id, Number(v)]);
  };
  const walk = (v: unknown, node: FieldNode | null, depth: number) => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, node, depth + 1);
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
        const x = o[k];
        const kid = child(node, k);
        if (!holdsFields(x)) terms.add(kid.exists); // an object's presence is its fields' (FieldIndexLookup.within)
        walk(x, kid, depth + 1);
      }
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      if (node) scalar(node, v);
    } else if (v === null && node) {
      fields.add(node.id);
    }
  };
  walk(doc, null, 0);
  return { terms: [...terms].join(' '), fields, values };
}

interface Meta {
  done: number; // events with rowid ≤ done are indexed…
  end: number; // …and every event with rowid > end
}

function readMeta(db: Database.Database): Meta | null {
  const rows = db.prepare("SELECT key, value FROM event_index_meta WHERE key IN ('backfill_done', 'backfill_end')").all() as { key: string; value: number }[];
  const m = new Map(rows.map((r) => [r.key, r.value]));
  const done = m.get('backfill_done');
  const end = m.get('backfill_end');
  return done === undefined || end === undefined ? null : { done, end };
}

const setMeta = (db: Database.Database, key: string, value: number) =>
  db.prepare('INSERT INTO event_index_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);

/** Creates the index tables; an old store (events, no index yet) is marked for the background build. */
export function ensureFieldIndex(db: Database.Database): void {
  db.exec(FIELD_INDEX_SCHEMA);
  db.transaction(() => {
    if (readMeta(db)) return;
    const max = (db.prepare('SELECT coalesce(max(rowid), 0) AS m FROM events').get() as { m: number }).m;
    setMeta(db, 'backfill_done', 0);
    setMeta(db, 'backfill_end', max);
  })();
}

/** Writes index rows on the writer connection; every method runs inside the caller's transaction. */
export interface FieldIndexWriter {
  add(rowid: number, tenant: string, ts: number, doc: unknown): void;
  /** Replaces an event's rows after its document changed (enrichment): old rows out, new rows in. */
  replace(rowid: number, tenant: string, ts: number, before: unknown, after: unknown): void;
  /** Writes the per-agency field counts gathered since the last flush; call at the end of the transaction. */
  flush(): void;
  /** After a rolled-back transaction: field ids learnt in it may not exist. */
  forget(): void;
}

export function fieldIndexWriter(db: Database.Database): FieldIndexWriter {
  const ids = new Map<string, number>();
  const findId = db.prepare('SELECT id FROM event_field_names WHERE name = ?');
  const newId = db.prepare('INSERT INTO event_field_names (name) VALUES (?)');
  const insertTerms = db.prepare('INSERT INTO event_terms (rowid, terms) VALUES (?, ?)');
  const deleteTerms = db.prepare("INSERT INTO event_terms (event_terms, rowid, terms) VALUES ('delete', ?, ?)");
  const insertValue = db.prepare('INSERT OR IGNORE INTO event_values (field, v, rid) VALUES (?, ?, ?)');
  const deleteValue = db.prepare('DELETE FROM event_values WHERE field = ? AND v = ? AND rid = ?');
  const upsertCount = db.prepare(
    'INSERT INTO event_field_counts (tenant, field, n, last) VALUES (?, ?, ?, ?) ON CONFLICT (tenant, field) DO UPDATE SET n = n + excluded.n, last = max(last, excluded.last)',
  );
  const pending = new Map<string, { tenant: string; field: number; n: number; last: number }>();
  const roots = new Map<string, FieldNode>();
  const fieldId = (name: string): number => {
    let id = ids.get(name);
    if (id === undefined) {
      const row = findId.get(name) as { id: number } | undefined;
      id = row ? row.id : Number(newId.run(name).lastInsertRowid);
      ids.set(name, id);
    }
    return id;
  };
  const fieldNode: FieldChild = (parent, key) => {
    const kids = parent ? parent.kids : roots;
    let node = kids.get(key);
    if (!node) {
      const path = parent ? `${parent.path}.${key}` : key;
      const id = fieldId(path);
      const id36 = id.toString(36);
      node = { id, path, exists: `f${id36}e`, value: `f${id36}v`, range: RANGE_FIELDS.has(path), noValue: NO_VALUE_TERMS.has(path), kids: new Map() };
      kids.set(key, node);
    }
    return node;
  };
  const count = (tenant: string, ts: number, fields: Set<number>) => {
    for (const f of fields) {
      const key = `${f}|${tenant}`;
      const c = pending.get(key);
      if (c) {
        c.n++;
        c.last = Math.max(c.last, ts);
      } else pending.set(key, { tenant, field: f, n: 1, last: ts });
    }
  };
  const write = (rowid: number, rows: EventIndexRows) => {
    if (rows.terms) insertTerms.run(rowid, rows.terms);
    for (const [f, v] of rows.values) insertValue.run(f, v, rowid);
  };
  return {
    add(rowid, tenant, ts, doc) {
      const rows = indexRows(doc, fieldNode);
      write(rowid, rows);
      count(tenant, ts, rows.fields);
    },
    replace(rowid, tenant, ts, before, after) {
      const old = indexRows(before, fieldNode);
      if (old.terms) deleteTerms.run(rowid, old.terms);
      for (const [f, v] of old.values) deleteValue.run(f, v, rowid);
      const rows = indexRows(after, fieldNode);
      write(rowid, rows);
      const added = new Set([...rows.fields].filter((f) => !old.fields.has(f)));
      count(tenant, ts, added);
    },
    flush() {
      for (const c of pending.values()) upsertCount.run(c.tenant, c.field, c.n, c.last);
      pending.clear();
    },
    forget() {
      ids.clear();
      roots.clear();
      pending.clear();
    },
  };
}

/** One step of indexing an old store's events; `more` is false when nothing is left. */
export function fieldIndexBackfillStep(db: Database.Database, writer: FieldIndexWriter, chunk = FIELD_INDEX_CHUNK): { done: number; end: number; more: boolean } {
  const select = db.prepare('SELECT rowid AS r, tenant, ts, doc FROM events WHERE rowid > ? AND rowid <= ? ORDER BY rowid');
  try {
    return db.transaction(() => {
      const meta = readMeta(db);
      if (!meta || meta.done >= meta.end) return { done: meta?.done ?? 0, end: meta?.end ?? 0, more: false };
      const hi = Math.min(meta.done + chunk, meta.end);
      for (const row of select.all(meta.done, hi) as { r: number; tenant: string; ts: number; doc: string }[]) {
        let doc: unknown = {};
        try {
          doc = JSON.parse(row.doc);
        } catch {
          // a document SQLite's JSON functions cannot read either: only its agency and time are known
        }
        writer.add(row.r, row.tenant, row.ts, doc);
      }
      writer.flush();
      setMeta(db, 'backfill_done', hi);
      return { done: hi, end: meta.end, more: hi < meta.end };
    })();
  } catch (e) {
    writer.forget();
    throw e;
  }
}

/** Builds an old store's index in the background, a chunk at a time, logging progress; `ready` resolves when done. */
export function startFieldIndexUpkeep(db: Database.Database, writer: FieldIndexWriter, logger?: BackfillLogger): { ready: Promise<void>; stop(): void } {
  return startBackfill(db, () => fieldIndexBackfillStep(db, writer), {
    building: 'store: building the field index (field queries scan until done)',
    built: 'store: field index built',
    failed: 'store: building the field index failed; field queries keep scanning the events',
  }, logger);
}

/** What the query translation asks the index, on a reader's connection: null when the index cannot answer yet. */
export interface FieldIndexLookup {
  fieldId(name: string): number | null; // null: no event of the store has this field
  /** Ids of the fields under `name` (name.x, name.x.y…), at most `limit` + 1. */
  within(name: string, limit: number): number[];
}

export function fieldIndexLookup(db: Database.Database): FieldIndexLookup | null {
  let meta: Meta | null;
  try {
    meta = readMeta(db);
  } catch {
    return null; // a store opened by an older version: no index tables
  }
  if (!meta || meta.done < meta.end) return null;
  const find = db.prepare('SELECT id FROM event_field_names WHERE name = ?');
  const under = db.prepare("SELECT id FROM event_field_names WHERE name > ? || '.' AND name < ? || '/' LIMIT ?").pluck();
  return {
    fieldId: (name) => (find.get(name) as { id: number } | undefined)?.id ?? null,
    within: (name, limit) => under.all(name, name, limit + 1) as number[],
  };
}
