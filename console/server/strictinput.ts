/**
 * Bad input never reaches a handler: fastify's validator is told to refuse unknown fields
 * (by default it strips them silently, so a misspelt "agency" for "agencies" was ignored),
 * every route without a query schema gets one that allows no parameter, and each refusal
 * is a 400 naming the field: "body/agencies/0: must be string", "querystring/zzz: unknown field".
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError, RouteOptions } from 'fastify';

/** The fastify (ajv) options: no silent removal of unknown fields. */
export const STRICT_AJV = { customOptions: { removeAdditional: false as const, coerceTypes: 'array' as const, useDefaults: true, allErrors: false } };

export function schemaErrorFormatter(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const e = errors[0];
  const params = (e.params ?? {}) as { additionalProperty?: string; missingProperty?: string };
  const path = `${dataVar}${e.instancePath ?? ''}`;
  if (e.keyword === 'additionalProperties') return new Error(`${path}/${params.additionalProperty}: unknown field (not in this route's schema)`);
  if (e.keyword === 'required') return new Error(`${path}/${params.missingProperty}: required`);
  return new Error(`${path}: ${e.message ?? 'invalid'}`);
}

const NO_PARAMETERS = { type: 'object', additionalProperties: false, properties: {} } as const;

/** Every route of the console gets a query schema when it declares none: no parameter is accepted unseen. */
export function strictQueries(app: FastifyInstance): void {
  app.addHook('onRoute', (r: RouteOptions) => {
    if ((r.config as { public?: boolean } | undefined)?.public) return;
    const schema = (r.schema ?? {}) as Record<string, unknown>;
    if (!schema.querystring) r.schema = { ...schema, querystring: NO_PARAMETERS };
  });
}

/** A route that declares no body refuses one (a client sending fields it thinks are read is told so); a route
 * that reads its body as a stream (an uploaded scan report: config.streamedBody) checks it as it reads. */
export function noStrayBodies(app: FastifyInstance): void {
  app.addHook('onRoute', (r: RouteOptions) => {
    if ((r.schema as { body?: unknown } | undefined)?.body || (r.config as { streamedBody?: boolean } | undefined)?.streamedBody) return;
    const refuse = async (req: FastifyRequest, reply: FastifyReply) => {
      const b = req.body;
      if (b === undefined || b === null || (typeof b === 'object' && !Array.isArray(b) && Object.keys(b).length === 0)) return;
      const field = typeof b === 'object' && !Array.isArray(b) ? Object.keys(b)[0] : '';
      return reply.code(400).send({ error: field ? `body/${field}: unknown field (${req.method} ${r.url} takes no body)` : `body: ${req.method} ${r.url} takes no body` });
    };
    r.preValidation = [...(Array.isArray(r.preValidation) ? r.preValidation : r.preValidation ? [r.preValidation] : []), refuse];
  });
}
