/**
 * threat.enrichments written into stored events on the embedded store's writer connection.
 * The free-text index is left as it was (a contentless FTS5 row cannot be rewritten without
 * its exact original text): the enrichments are found by field (`threat.enrichments:*`).
 */
import type Database from 'better-sqlite3';
import type { EcsEvent } from '../event';
import { withEnrichments, type EventEnrichment } from './enrichment';
import { boundDepth } from './json-depth';

/** Adds the enrichments to the events stored under those ids; returns the ids not stored (yet). */
export function sqliteEnrichEvents(db: Database.Database): (items: EventEnrichment[]) => string[] {
  const select = db.prepare('SELECT doc FROM events WHERE id = ?');
  const update = db.prepare('UPDATE events SET doc = ? WHERE id = ?');
  const tx = db.transaction((items: EventEnrichment[]) => {
    const missing: string[] = [];
    for (const it of items) {
      const row = select.get(it.id) as { doc: string } | undefined;
      if (!row) {
        missing.push(it.id);
        continue;
      }
      const merged = withEnrichments(JSON.parse(row.doc) as EcsEvent, it.enrichments);
      if (merged) update.run(JSON.stringify(boundDepth(merged)), it.id);
    }
    return missing;
  });
  return (items) => (items.length ? tx(items) : []);
}
