/**
 * The TypeScript type a JSON schema describes, computed by the compiler from the schema
 * constant itself (`as const`), so the console's response schemas (schemas.ts) are the only
 * description of what the API answers: rename a field there and every use of the old name in
 * the server or the web app (console/web, which imports these types) fails to compile.
 * Covers the JSON Schema the console's routes use: type (or a list of types with "null"),
 * enum, properties with required, additionalProperties, items, and $ref to a shared schema by
 * its $id ("Name#"). A property not in `required` is optional, as the serializer leaves out
 * a field the handler did not set.
 */

/** Shared schemas by $id, for $ref. */
export type SchemaDefs = Record<string, unknown>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Scalar<T> = T extends 'string' ? string : T extends 'integer' | 'number' ? number : T extends 'boolean' ? boolean : T extends 'null' ? null : never;

type RefName<R> = R extends `${infer N}#` ? N : R;

type PropsOf<S, D extends SchemaDefs> = S extends { properties: infer P }
  ? S extends { required: readonly (infer R)[] }
    ? Simplify<{ -readonly [K in keyof P as K extends R ? K : never]: FromSchema<P[K], D> } & { -readonly [K in keyof P as K extends R ? never : K]?: FromSchema<P[K], D> }>
    : { -readonly [K in keyof P]?: FromSchema<P[K], D> }
  : unknown;

type ExtraOf<S, D extends SchemaDefs> = S extends { additionalProperties: infer A }
  ? A extends false ? unknown : A extends true ? Record<string, unknown> : Record<string, FromSchema<A, D>>
  : S extends { properties: object } ? unknown : Record<string, unknown>;

type ObjectOf<S, D extends SchemaDefs> = S extends { properties: object } ? (ExtraOf<S, D> extends Record<string, infer V> ? PropsOf<S, D> & Record<string, V> : PropsOf<S, D>) : ExtraOf<S, D>;

type OfType<S, T, D extends SchemaDefs> = T extends 'object' ? ObjectOf<S, D> : T extends 'array' ? (S extends { items: infer I } ? FromSchema<I, D>[] : unknown[]) : Scalar<T>;

export type FromSchema<S, D extends SchemaDefs = {}> = S extends { $ref: infer R }
  ? RefName<R> extends keyof D ? FromSchema<D[RefName<R>], D> : never
  : S extends { enum: readonly (infer E)[] }
    ? S extends { type: readonly unknown[] } ? E | null : E
    : S extends { type: readonly (infer T)[] }
      ? OfType<S, T, D>
      : S extends { type: infer T }
        ? OfType<S, T, D>
        : unknown;

/** The shared schemas of a list (each with its $id) as a map for $ref. */
export type DefsOf<L extends readonly { $id: string }[]> = { [S in L[number] as S['$id']]: S };
