/**
 * fastify's response serializer (fast-json-stringify) with every `required` taken out of the
 * response schemas it compiles. The schemas mark fields required so that the web's types
 * (apitypes.ts) are exact, but the serializer throws on a missing required field: one stored
 * record of an older version, or an Elasticsearch document without a field, would turn a whole
 * list into an HTTP 500. Here a missing field is left out; the declared properties still cut
 * what is sent, and the request validators (ajv) keep their `required`.
 */
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type Node = Record<string, unknown>;

// keywords whose value is a map of name to schema (its keys are names, never keywords)
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
// keywords whose value is data, not a schema
const DATA = new Set(['enum', 'const', 'default', 'examples']);

/** A copy of the schema without `required` at any depth. */
export function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Node = {};
  for (const [k, v] of Object.entries(schema as Node)) {
    if (k === 'required' && Array.isArray(v)) continue;
    if (DATA.has(k)) out[k] = v;
    else if (SCHEMA_MAPS.has(k) && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v as Node).map(([name, s]) => [name, withoutRequired(s)]));
    else out[k] = withoutRequired(v);
  }
  return out;
}

const mapValues = (o: unknown) => (o && typeof o === 'object' ? Object.fromEntries(Object.entries(o as Node).map(([id, s]) => [id, withoutRequired(s)])) : o);

/** For `Fastify({ schemaController: { compilersFactory: { buildSerializer: lenientSerializers() } } })`. */
export function lenientSerializers(): ReturnType<typeof SerializerSelector> {
  const build = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = build(mapValues(externalSchemas), options);
    return (route) => compile({ ...route, schema: withoutRequired(route.schema) });
  };
}
