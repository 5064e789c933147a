/**
 * What the console answers when a request fails: a refusal says what was wrong and where
 * (400 naming the field, 413 with the limit, 503 saying how to narrow a read), and anything
 * unexpected is a bare 500 — its message, stack and file paths go to the server log only.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../core/log';

/** The status of an error whose message was written for the user (a refused query, a workflow or admin refusal), else null. */
export type UserFacing = (err: Error) => number | null;

export function consoleErrorHandler(logger: Logger, userFacing: UserFacing) {
  return (err: FastifyError & { validation?: unknown }, req: FastifyRequest, reply: FastifyReply) => {
    if (err.validation) return reply.code(400).send({ error: err.message });
    const said = userFacing(err);
    if (said !== null) return reply.code(said).send({ error: err.message });
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ error: `body too large: ${req.method} ${req.routeOptions.url} takes at most ${req.routeOptions.bodyLimit} bytes` });
    if (err.name === 'ReadRefusedError' && err.statusCode === 503) return reply.code(503).header('Retry-After', '5').send({ error: err.message }); // the store says how to narrow the read
    const cluster = clusterStatus(err);
    if (cluster !== null && cluster < 500) {
      // the cluster's reason names its indices and exception chain: the log has it, the browser gets what to do
      logger.warn({ method: req.method, route: req.routeOptions.url, status: cluster, err: err.message }, 'console: the search cluster refused a request');
      return reply.code(400).send({ error: `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}: the search cluster cannot run this request as asked (${clusterReason(err)}); narrow the query, the time range or the page, or pick another field` });
    }
    const status = cluster === null && err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) {
      logger.error({ method: req.method, route: req.routeOptions.url, err: err.message, stack: err.stack }, 'console: request failed');
      return reply.code(500).send({ error: 'internal error; the server log has the details' });
    }
    return reply.code(status).send({ error: err.message });
  };
}

/** The HTTP status the search cluster (Elasticsearch/OpenSearch client ResponseError) answered, else null. */
function clusterStatus(err: Error): number | null {
  const meta = (err as { meta?: { statusCode?: unknown } }).meta;
  return typeof meta?.statusCode === 'number' ? meta.statusCode : null;
}

/** The kind of refusal without index names, paths or the exception chain: "illegal_argument_exception". */
function clusterReason(err: Error): string {
  const body = (err as { meta?: { body?: { error?: { root_cause?: { type?: unknown }[]; type?: unknown } } } }).meta?.body?.error;
  const type = body?.root_cause?.[0]?.type ?? body?.type;
  return typeof type === 'string' && /^[a-z_]{1,80}$/.test(type) ? type.replace(/_/g, ' ') : 'refused';
}

/** Stable codes the web app maps to the user's language; the English `error` stays for scripts and the log. */
const CODED: [RegExp, string][] = [
  [/^wrong username or password/, 'wrong_password'],
  [/^enter the 6-digit code/, 'totp_required'],
  [/^wrong or already used authenticator code/, 'totp_wrong'],
  [/^too many failed logins/, 'login_locked'],
  [/^login required/, 'login_required'],
  [/X-CSRF-Token/, 'csrf'],
  [/^access: /, 'forbidden'],
  [/cannot give a provincial scope/, 'provincial_scope'],
  [/cannot grant agencies you do not have/, 'grant_beyond'],
  [/^the search cluster cannot run|: the search cluster cannot run/, 'query_refused'],
  [/^body too large/, 'too_large'],
  [/^internal error/, 'internal'],
];
const BY_STATUS: Record<number, string> = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'too_large', 429: 'rate_limited', 500: 'internal', 503: 'unavailable' };

/** The code of a refusal: a known message's own, else its status's ("bad_request", "not_found"…). */
export function errorCode(status: number, message: string): string {
  for (const [re, code] of CODED) if (re.test(message)) return code;
  return BY_STATUS[status] ?? (status >= 500 ? 'unavailable' : 'bad_request');
}

/** An error body as sent, with its `code` (and `retry_after_s` from Retry-After) added; anything else unchanged. */
export function withErrorCode(status: number, payload: unknown, retryAfter?: unknown): unknown {
  if (status < 400 || typeof payload !== 'string' || !payload.startsWith('{')) return payload;
  let body: Record<string, unknown>;
  try { body = JSON.parse(payload) as Record<string, unknown>; } catch { return payload; }
  if (typeof body.error !== 'string' || 'code' in body) return payload;
  const retry = Number(retryAfter);
  return JSON.stringify({ ...body, code: errorCode(status, body.error), ...(Number.isFinite(retry) && retry > 0 ? { retry_after_s: retry } : {}) });
}
