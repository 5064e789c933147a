/** Documents an agency can send that attack a store rather than a parser: deep nesting, many field names, tenant look-alike keys. */

/** An object nested `levels` deep: {"a":{"a":...{"a":"bottom"}}}. */
export function nested(levels: number): Record<string, unknown> {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v as Record<string, unknown>;
}

/** One object with `count` distinct field names (a mapping explosion on Elasticsearch). */
export function manyFields(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${i}`, `v${i}`]));
}
