/**
 * ECS `threat.enrichments` added to a stored event after it matched an indicator (intel/): the
 * event as sent stays as it was, the enrichments are added beside it, one per indicator and
 * matched field (a match seen again, live or by retro-hunt, is not added twice).
 */
import type { EcsEvent } from '../event';

export type Enrichment = Record<string, unknown> & { matched?: { id?: string; field?: string; atomic?: string } };

/** What to add to one stored event, by its event.id. */
export interface EventEnrichment {
  id: string;
  enrichments: Enrichment[];
}

const keyOf = (e: Enrichment) => `${e.matched?.id ?? ''}\n${e.matched?.field ?? ''}\n${e.matched?.atomic ?? ''}`;

/** The event with the enrichments merged into threat.enrichments; null when it already had them all. */
export function withEnrichments(ev: EcsEvent, add: Enrichment[]): EcsEvent | null {
  const threat = ev.threat && typeof ev.threat === 'object' && !Array.isArray(ev.threat) ? (ev.threat as Record<string, unknown>) : {};
  const had = Array.isArray(threat.enrichments) ? (threat.enrichments as Enrichment[]) : [];
  const seen = new Set(had.map(keyOf));
  const fresh = add.filter((e) => !seen.has(keyOf(e)) && seen.add(keyOf(e)));
  if (!fresh.length) return null;
  return { ...ev, threat: { ...threat, enrichments: [...had, ...fresh] } };
}
