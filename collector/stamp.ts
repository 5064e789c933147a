/**
 * Turning one received item into a stamped ECS event: parse, then the tenant, the event id and times,
 * the source address, the input type, enrichment. Shared by the intake (in its own thread) and the parse
 * workers, so both produce the same event for the same input.
 */
import type { EcsEvent } from '../core/event';
import { newId } from '../core/event';
import type { Enricher } from './enrich';
import { documentText, parse, unparsed } from './parsers';

export interface IntakeItem {
  raw: Buffer | string | Record<string, unknown>;
  tenant: string;
  sourceIp?: string;
  format?: string;
  dataset?: string;
  timezone?: string;
}

/** The collector's own fields on a parsed (or unparsed) event: agency, id, time of receipt, source address, input. */
function stamp(ev: EcsEvent, listener: string, item: IntakeItem, receivedAt: Date, id: string): EcsEvent {
  // the tenant comes from the credential or the listener, never from the payload
  ev.organization = { id: item.tenant };
  ev.event = { ...ev.event, id, created: receivedAt.toISOString() };
  if (item.sourceIp) {
    const log = (ev.log ??= {}) as Record<string, unknown>;
    log.source = { ...((log.source as object) ?? {}), address: item.sourceIp };
  }
  const input = (ev.input ??= {}) as Record<string, unknown>;
  input.type = listener.split(':')[0];
  return ev;
}

/** Never throws: what cannot be parsed becomes a pipeline_error event with the reason. `id` comes from the intake's thread, so ids keep arrival order. */
export function stampEvent(listener: string, item: IntakeItem, receivedAt: Date, timezone: string, enricher?: Enricher, id: string = newId(receivedAt.getTime())): EcsEvent {
  const ev = parse(item.raw, { receivedAt, sourceIp: item.sourceIp, format: item.format, dataset: item.dataset, timezone: item.timezone ?? timezone });
  stamp(ev, listener, item, receivedAt, id);
  return enricher ? enricher.enrich(ev) : ev;
}

/** The bus key keeps one host's events in order on one partition. */
export function eventKey(ev: EcsEvent): string {
  const host = (ev.host as { hostname?: string; name?: string } | undefined)?.hostname ?? (ev.observer as { hostname?: string } | undefined)?.hostname ?? '';
  return `${ev.organization?.id ?? ''}/${host || ((ev.log as { source?: { address?: string } } | undefined)?.source?.address ?? '')}`;
}

/** An item kept without parsing (`event.kind: pipeline_error`, the reason, the original text), stamped like any other. */
export function unparsedEvent(listener: string, item: IntakeItem, receivedAt: Date, id: string, reason: string): EcsEvent {
  const raw = item.raw;
  // a document too deep for JSON.stringify (the kind that gets a worker stuck) is still written out
  const original = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : documentText(raw);
  return stamp(unparsed(original, { receivedAt, dataset: item.dataset }, reason), listener, item, receivedAt, id);
}
