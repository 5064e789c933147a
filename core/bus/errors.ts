/**
 * What a bus refuses, as typed errors, so a caller can dead-letter exactly the records concerned:
 * a publish that refuses some records (too large for the topic, not encodable as JSON), and a
 * consumed record that does not decode (handed to the handler as its value instead of a crash).
 */
import type { DeadLetter } from '../model';

export interface RefusedRecord {
  index: number; // position in the records given to publish()
  key: string | null;
  reason: 'too_large' | 'not_json';
  bytes?: number; // key + JSON value, as sent
  limit?: number; // the largest record the topic accepts
  message: string;
}

/** publish() refused these records; every other record of the call is durable. */
export class RecordsRefusedError extends Error {
  readonly code = 'RECORDS_REFUSED';
  constructor(
    readonly topic: string,
    readonly refused: RefusedRecord[],
    readonly published: number,
  ) {
    const first = refused[0]?.message ?? '';
    const more = refused.length > 1 ? ` (and ${refused.length - 1} more)` : '';
    super(`bus: ${refused.length} of ${refused.length + published} record(s) for topic "${topic}" refused: ${first}${more}; the other ${published} were published`);
    this.name = 'RecordsRefusedError';
  }
}

/** A consumed record that is not a value canhgac writes; the handler gets this as the message's value. */
export class RecordDecodeError extends Error {
  readonly code = 'RECORD_DECODE';
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: string,
    readonly reason: string,
    readonly size: number,
    readonly original: string, // the start of the value: text when printable, else base64:...
  ) {
    super(`bus: record ${topic}/${partition}@${offset} (${size} bytes) cannot be decoded: ${reason}`);
    this.name = 'RecordDecodeError';
  }

  /** The dead letter that keeps this record: where it was on the bus, why, and its start. */
  toDeadLetter(id: string, at: Date = new Date()): DeadLetter {
    return { id, at: at.toISOString(), tenant: null, listener: `bus:${this.topic}`, source: `${this.topic}/${this.partition}@${this.offset}`, reason: this.message, original: this.original, size: this.size };
  }
}

export function isRecordDecodeError(v: unknown): v is RecordDecodeError {
  return v instanceof RecordDecodeError;
}
