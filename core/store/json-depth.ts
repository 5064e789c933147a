/**
 * Bounds how deeply a stored document nests. A subtree below the bound is kept as its JSON text, and
 * the event is tagged, so SQLite's JSON functions (which refuse depth > 1000) and Elasticsearch's
 * mapping (index.mapping.depth.limit, 20 by default) can read every stored document.
 */
import type { EcsEvent } from '../event';

/** Objects and arrays nested below this are stored as text: ECS needs 5, Elasticsearch refuses more than 20. */
export const MAX_STORED_DEPTH = 16;

export const DEPTH_TAG = 'canhgac_nesting_flattened';

function tooDeep(v: unknown, depth: number, max: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (depth >= max) return true;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (tooDeep(x, depth + 1, max)) return true;
  return false;
}

function asText(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch (e) {
    return `[nesting too deep to keep: ${(e as Error).message}]`;
  }
}

/** An own property even for "__proto__", so no key from input can reach a prototype. */
function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function cut(v: unknown, depth: number, max: number): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (depth >= max) return asText(v);
  if (Array.isArray(v)) return v.map((x) => cut(x, depth + 1, max));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) put(out, k, cut(x, depth + 1, max));
  return out;
}

/** The event itself when it nests at most `max` levels, else a copy with the deeper subtrees as JSON text and DEPTH_TAG in tags. */
export function boundDepth(ev: EcsEvent, max = MAX_STORED_DEPTH): EcsEvent {
  if (!tooDeep(ev, 0, max)) return ev;
  const out = cut(ev, 0, max) as EcsEvent & { tags?: unknown };
  const tags = Array.isArray(out.tags) ? out.tags : out.tags === undefined ? [] : [out.tags];
  put(out as Record<string, unknown>, 'tags', [...tags, DEPTH_TAG]);
  return out;
}
