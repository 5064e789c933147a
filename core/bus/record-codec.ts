/**
 * Decoding a consumed record with a check: JSON that canhgac could have written, at most
 * MAX_RECORD_DEPTH levels deep, with no key that could reach a prototype when a handler copies it
 * (the collector renames such keys, see core/event.ts safeKey). Anything else becomes a
 * RecordDecodeError with the reason and the start of the value, for the dead letters.
 */
import { RecordDecodeError } from './errors';

/** Far deeper than any event the collector writes (it bounds nesting), far shallower than a recursive walker's stack. */
export const MAX_RECORD_DEPTH = 256;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const KEEP_BYTES = 8192;

export interface RecordPlace {
  topic: string;
  partition: number;
  offset: string;
}

/** Why a parsed value is refused, or null: nested too deep, or a key such as __proto__ (own keys only). */
export function valueProblem(value: unknown): string | null {
  const path: string[] = [];
  const problem = walk(value, 0, path);
  if (!problem) return null;
  const at = path.reverse().join('').replace(/^\./, '').slice(0, 200);
  return problem.replace('%s', at);
}

/** Recursion stops at MAX_RECORD_DEPTH, so the stack stays small; on a problem the path is filled while unwinding. */
function walk(v: unknown, depth: number, path: string[]): string | null {
  if (v === null || typeof v !== 'object') return null;
  if (depth >= MAX_RECORD_DEPTH) return `nested more than ${MAX_RECORD_DEPTH} levels deep (at %s...)`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = walk(v[i], depth + 1, path);
      if (p) return path.push(`[${i}]`), p;
    }
    return null;
  }
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (UNSAFE_KEYS.has(k)) return path.push(`.${k}`), `key "${k}" at %s is not allowed (it could reach an object prototype)`;
    const p = walk((v as Record<string, unknown>)[k], depth + 1, path);
    if (p) return path.push(`.${k}`), p;
  }
  return null;
}

function original(buf: Buffer): string {
  const head = buf.subarray(0, KEEP_BYTES);
  const text = head.toString('utf8');
  return !text.includes('\uFFFD') && !head.includes(0) ? text : 'base64:' + head.toString('base64');
}

/** The record's JSON value, or a RecordDecodeError naming where it is and what is wrong. */
export function decodeRecord(value: Buffer | null, at: RecordPlace): unknown {
  const fail = (reason: string) => new RecordDecodeError(at.topic, at.partition, at.offset, reason, value?.length ?? 0, value ? original(value) : '');
  if (value === null) return fail('the record has no value (a tombstone or a record not written by canhgac)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (e) {
    return fail(`not JSON: ${(e as Error).message}`);
  }
  const problem = valueProblem(parsed);
  return problem ? fail(problem) : parsed;
}
