/** Dead letters for records a stage refused: the record's text, its agency and the reason, bounded in size. */
import type { BusMessage } from './bus';
import type { DeadLetter } from '../model';
import { isRecordDecodeError } from './errors';

const MAX_ORIGINAL = 8192;

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function field(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const p of path) {
    if (!cur || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, p)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** The record as text: its event.original when it has one, else its JSON, else what can be said of it. */
function textOf(value: unknown): string {
  const original = str(field(value, 'event', 'original'));
  if (original) return original;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (e) {
    return `(not serializable: ${(e as Error).message})`;
  }
}

/** A dead letter for an event (or any record) that a stage could not handle; its id is the record's, so redelivery stores it once. */
export function deadLetterOf(m: BusMessage<unknown>, reason: string, listener: string): DeadLetter {
  // a record the bus could not decode says itself where it was and what it held
  if (isRecordDecodeError(m.value)) return { ...m.value.toDeadLetter(`q-${m.topic}-${m.partition}-${m.offset}`), reason };
  const text = textOf(m.value);
  const id = str(field(m.value, 'event', 'id')) ?? `${m.topic}-${m.partition}-${m.offset}`;
  const address = field(m.value, 'log', 'source', 'address') ?? field(m.value, 'source', 'ip');
  return {
    id: `q-${id}`,
    at: new Date().toISOString(),
    tenant: str(field(m.value, 'organization', 'id')) ?? str(field(m.value, 'tenant')), // an event's agency, or an alert's
    listener,
    source: typeof address === 'string' ? address : null,
    reason,
    original: text.slice(0, MAX_ORIGINAL),
    size: Buffer.byteLength(text),
  };
}

/** A dead letter the store refused, kept with only bounded text fields. */
export function reducedDeadLetter(m: BusMessage<unknown>, reason: string): DeadLetter {
  const v = m.value;
  const id = str(field(v, 'id')) ?? `${m.topic}-${m.partition}-${m.offset}`;
  const text = str(field(v, 'original')) ?? textOf(v);
  return {
    id: id.slice(0, 128),
    at: str(field(v, 'at')) ?? new Date().toISOString(),
    tenant: str(field(v, 'tenant'))?.slice(0, 64) ?? null,
    listener: (str(field(v, 'listener')) ?? 'unknown').slice(0, 64),
    source: str(field(v, 'source'))?.slice(0, 256) ?? null,
    reason: `${(str(field(v, 'reason')) ?? '').slice(0, 1000)}; then ${reason}`.slice(0, 2000),
    original: text.slice(0, MAX_ORIGINAL),
    size: typeof field(v, 'size') === 'number' ? (field(v, 'size') as number) : Buffer.byteLength(text),
  };
}
