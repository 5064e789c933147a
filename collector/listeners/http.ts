/**
 * HTTP ingest: POST /api/v1/ingest with `Authorization: Bearer <agency token>`.
 * Bodies: a JSON object, a JSON array, or NDJSON (one document per line), optionally
 * gzip- or deflate-compressed (inflated size capped: 413; corrupt: 400; other encodings: 415).
 * 202 `{accepted}` is sent only after the events are durable; a request that finds the intake
 * full waits its turn with the paused stream connections; 503 with Retry-After when the bus
 * cannot take them. A document that is not JSON, too large or nested too deep goes to the
 * dead-letter topic with its line (or element) number and reason; the rest is kept.
 */
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from '../../core/log';
import type { Store } from '../../core/store/store';
import type { TokenRecord } from '../../core/model';
import { bearer, hashToken, verifyToken } from '../../core/tokens';
import type { Counters } from '../counters';
import { PublishError, type Intake, type IntakeItem } from '../intake';
import { plainAddress } from '../tenancy';
import { resumeQueueOf } from './back-pressure';
import { decodeBody } from './content-encoding';
import { splitBody, type RejectedDocument } from './ingest-documents';
import { httpSchema } from './http.schema';
import { defineListener, type RunningListener } from './spec';

export interface HttpIngestConfig {
  host: string;
  port: number;
  maxBodyBytes: number;
  maxMessageBytes: number;
}

const MAX_DOCS = 50000;
const MAX_DEAD_LETTERS = 100; // per request: one body of many refused documents cannot write thousands of dead letters
const RETRY_AFTER_SECONDS = 5;

export function buildHttpIngest(config: HttpIngestConfig, deps: { intake: Intake; store: Store; counters: Counters; logger: Logger }): FastifyInstance {
  const { intake, store, counters } = deps;
  const name = 'http';
  const app = Fastify({ bodyLimit: config.maxBodyBytes, logger: false, trustProxy: false });

  // bodies are read as bytes and decoded in the route, after the token is checked, so an unauthenticated peer costs no inflating
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status === 413) counters.reject(name, null, 'refused', 'body_too_large');
    if (status === 500) deps.logger.error({ listener: name, err: err.message }, 'http ingest: unexpected error');
    void reply.code(status).send({ error: status === 413 ? `the body exceeds ${config.maxBodyBytes} bytes (collector.http.max_body_bytes)` : err.message });
  });

  app.get('/api/v1/health', async () => ({ status: 'ok' }));

  // Tokens verified before, by hash: honoured while the store is unreachable, so ingest (durable on the bus) outlives a store outage.
  const verified = new Map<string, TokenRecord>();
  let storeAway = false; // logged once per outage, not once per request
  const agencyToken = async (secret: string | undefined): Promise<TokenRecord | null> => {
    try {
      const rec = await verifyToken(store, secret, 'ingest');
      storeAway = false;
      if (rec && secret) {
        if (verified.size >= 10_000) verified.delete(verified.keys().next().value!);
        verified.set(hashToken(secret), rec);
      } else if (secret) verified.delete(hashToken(secret));
      return rec;
    } catch (e) {
      const known = secret ? verified.get(hashToken(secret)) : undefined;
      if (!known) throw e;
      if (!storeAway) deps.logger.warn({ err: (e as Error).message, tenant: known.subject }, 'collector: the store is unreachable; ingest tokens verified earlier are honoured until it is back');
      storeAway = true;
      return known;
    }
  };

  app.post('/api/v1/ingest', async (req, reply) => {
    const token = await agencyToken(bearer(req.headers.authorization));
    if (!token) {
      counters.reject(name, null, 'refused', 'unauthenticated');
      return reply.code(401).send({ error: 'an agency ingest token is required: Authorization: Bearer <token> (canhgac tenant add <id> prints one)' });
    }
    const tenant = token.subject;
    const peer = plainAddress(req.socket.remoteAddress);
    const decoded = await decodeBody((req.body as Buffer | undefined) ?? Buffer.alloc(0), req.headers['content-encoding'], config.maxBodyBytes);
    if (!decoded.ok) {
      counters.reject(name, tenant, 'refused', decoded.reason);
      deps.logger.warn({ listener: name, tenant, peer, reason: decoded.reason, encoding: String(req.headers['content-encoding'] ?? '').slice(0, 40) }, `http ingest: refused a body: ${decoded.error}`);
      return reply.code(decoded.status).send({ error: decoded.error });
    }
    const body = decoded.body;
    const text = body.toString('utf8');
    if (text.trim() === '') {
      counters.reject(name, tenant, 'refused', 'empty_body');
      return reply.code(400).send({ error: 'empty body: send a JSON object, a JSON array or NDJSON' });
    }
    const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
    const split = splitBody(text, /ndjson|jsonl|json-lines|jsonlines|text\/plain/.test(contentType), config.maxMessageBytes);
    try {
      if ('malformed' in split) {
        await intake.deadLetter(name, tenant, peer, `malformed JSON body: ${split.malformed}`, body.subarray(0, config.maxMessageBytes), body.length);
        return reply.code(400).send({ error: `malformed JSON: ${split.malformed}` });
      }
      if (split.docs.length > MAX_DOCS) {
        counters.reject(name, tenant, 'refused', 'too_many_documents');
        return reply.code(413).send({ error: `at most ${MAX_DOCS} documents per request` });
      }
      if (!(await turn(req.socket))) {
        counters.reject(name, tenant, 'refused', 'closed_while_waiting', Math.max(1, split.docs.length));
        return reply.code(503).send({ error: 'the sender closed the connection while the request waited for room in the journal; nothing was kept' });
      }
      await deadLetterDocuments(tenant, peer, split.rejected);
      const items: IntakeItem[] = split.docs.map((d) => ({ raw: d.value, tenant, sourceIp: peer }));
      const res = await intake.submit(name, items);
      const errors = split.rejected.slice(0, 100).map((r) => ({ line: r.line, error: r.error }));
      return reply.code(202).send({ accepted: res.accepted, rejected: split.rejected.length, errors, ids: res.ids });
    } catch (e) {
      if (!(e instanceof PublishError)) throw e;
      return unavailable(reply, e);
    }
  });

  /**
   * The one back-pressure policy: a request that finds the intake full waits its turn in the queue the
   * stream listeners' paused connections wait in (its sender waits for the answer); while the bus
   * refuses events it goes on, to its 503. False when the sender left while waiting.
   */
  const waiting = resumeQueueOf(intake);
  const turn = (socket: Socket): Promise<boolean> => {
    if (!intake.busy || intake.unavailable) return Promise.resolve(true);
    return new Promise((resolve) => {
      const gone = () => {
        unqueue();
        resolve(false);
      };
      const unqueue = waiting.wait(() => {
        socket.off('close', gone);
        resolve(!socket.destroyed);
      });
      socket.once('close', gone);
    });
  };

  /** Each refused document its own dead letter, up to MAX_DEAD_LETTERS; the rest of a request one more, with their count and reasons. */
  const deadLetterDocuments = async (tenant: string, peer: string | undefined, rejected: RejectedDocument[]) => {
    const own = rejected.slice(0, MAX_DEAD_LETTERS);
    const rest = rejected.slice(MAX_DEAD_LETTERS);
    const writes = own.map((r) => intake.deadLetter(name, tenant, peer, r.error, r.text.slice(0, config.maxMessageBytes), Buffer.byteLength(r.text)));
    if (rest.length) {
      const reasons = [...new Set(rest.map((r) => r.error.replace(/^(element|NDJSON line) \d+ /, '')))].slice(0, 5).join('; ');
      const text = rest.map((r) => r.text.slice(0, 1024)).join('\n');
      writes.push(intake.deadLetter(name, tenant, peer, `${rest.length} more documents of this request (lines ${rest[0].line}-${rest[rest.length - 1].line}) were refused: ${reasons}`, text.slice(0, config.maxMessageBytes), rest.reduce((n, r) => n + Buffer.byteLength(r.text), 0)));
      counters.add(name, tenant, 'failed', rest.length - 1); // one dead letter, but every document counted
      counters.add(name, tenant, 'received', rest.length - 1);
    }
    await Promise.all(writes);
  };

  /** The bus does not take events (disk full, broker away): nothing of this request is acknowledged; the sender retries. */
  const unavailable = (reply: FastifyReply, e: PublishError) => {
    const why = e.code === 'ENOSPC' ? 'the disk holding the event journal is full' : 'the event bus refuses writes';
    return reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .send({ error: `events cannot be stored right now (${why}: ${e.message}); nothing of this request was acknowledged, retry after ${RETRY_AFTER_SECONDS} s` });
  };

  return app;
}

export async function createHttpIngestListener(config: HttpIngestConfig, deps: Parameters<typeof buildHttpIngest>[1]): Promise<RunningListener> {
  const app = buildHttpIngest(config, deps);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    throw new Error(`http ingest: cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`);
  }
  const addr = app.server.address() as { port: number };
  return { name: 'http', address: { host: config.host, port: addr.port, protocol: 'http' }, close: () => app.close() };
}

export const httpListener = defineListener({
  name: 'http',
  key: 'collector.http',
  schema: httpSchema,
  enabled: (c) => c.enabled,
  ports: (c) => [{ host: c.host, port: c.port, protocol: 'http' }],
  build: (c, ctx) => createHttpIngestListener({ host: c.host ?? ctx.bind, port: c.port, maxBodyBytes: c.max_body_bytes, maxMessageBytes: ctx.maxMessageBytes }, ctx),
});
