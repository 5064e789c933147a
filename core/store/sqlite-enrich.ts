/**
 * threat.enrichments written into stored events on the embedded store's writer connection.
 * The free-text index is left as it was (a contentless FTS5 row cannot be rewritten without
 * its exact original text): the enrichments are found by field (`threat.enrichments:*`).
 */
import type Database from 'better-sqlite3';
import type { EcsEvent } from '../event';
import { withEnrichments, type EventEnrichment } from './enrichment';
import { boundDepth } from './json-depth';
import type { FieldIndexWriter } from './sqlite-field-index';

/** Adds the enrichments to the events stored under those ids (and to the field index); returns the ids not stored (yet). */
export function sqliteEnrichEvents(db: Database.Database, index: FieldIndexWriter): (items: EventEnrichment[]) => string[] {
  const select = db.prepare('SELECT rowid AS r, tenant, ts, doc FROM events WHERE id = ?');
  const update = db.prepare('UPDATE events SET doc = ? WHERE id = ?');
  const indexed = db.prepare('SELECT value FROM event_index_meta WHERE key = ?').pluck();
  const tx = db.transaction((items: EventEnrichment[]) => {
    const missing: string[] = [];
    for (const it of items) {
      const row = select.get(it.id) as { r: number; tenant: string; ts: number; doc: string } | undefined;
      if (!row) {
        missing.push(it.id);
        continue;
      }
      const before = JSON.parse(row.doc) as EcsEvent;
      const merged = withEnrichments(before, it.enrichments);
      if (!merged) continue;
      const doc = boundDepth(merged);
      update.run(JSON.stringify(doc), it.id);
      // an event the background build has not reached yet is indexed by it, with this document
      if (row.r > (indexed.get('backfill_end') as number) || row.r <= (indexed.get('backfill_done') as number)) index.replace(row.r, row.tenant, row.ts, before, doc);
    }
    index.flush();
    return missing;
  });
  return (items) => {
    if (!items.length) return [];
    try {
      return tx(items);
    } catch (e) {
      index.forget();
      throw e;
    }
  };
}
