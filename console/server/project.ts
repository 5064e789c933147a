/**
 * A value cut to what its JSON schema declares, as fastify's serializer does for HTTP answers:
 * an object keeps only its declared properties (all of them where additionalProperties allows),
 * arrays their items, $refs resolve against the shared schemas. The WebSocket push sends its
 * notices through this, so a field the API does not declare reaches no browser by either path.
 */
import { SHARED_SCHEMAS } from './schemas';

type Schema = Record<string, unknown>;
const SHARED = new Map<string, Schema>(SHARED_SCHEMAS.map((s) => [s.$id, s as unknown as Schema]));

function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const found = SHARED.get(ref.replace(/#$/, ''));
  if (!found) throw new Error(`project: no shared schema "${ref}"`);
  return found;
}

function projectObject(s: Schema, value: Record<string, unknown>): Record<string, unknown> {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const extra = s.additionalProperties;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (Object.hasOwn(props, k)) out[k] = project(props[k], v);
    else if (extra === true || (extra === undefined && !s.properties)) out[k] = v;
    else if (extra && typeof extra === 'object') out[k] = project(extra as Schema, v);
  }
  return out;
}

export function project(schema: object, value: unknown): unknown {
  const s = resolve(schema as Schema);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return s.items ? value.map((v) => project(s.items as Schema, v)) : value;
  const types = ([] as unknown[]).concat(s.type ?? []);
  if (types.length && !types.includes('object')) return value;
  return projectObject(s, value as Record<string, unknown>);
}
