/**
 * HTTP ingest: POST /api/v1/ingest with `Authorization: Bearer <agency token>`.
 * Bodies: a JSON object, a JSON array, or NDJSON (one document per line), optionally
 * gzip-compressed. 202 `{accepted}` is sent only after the events are durable. A line
 * that is not JSON goes to the dead-letter topic with its line number; the rest is kept.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { createGunzip } from 'node:zlib';
import type { Logger } from '../../core/log';
import type { Store } from '../../core/store/store';
import type { TokenRecord } from '../../core/model';
import { bearer, hashToken, verifyToken } from '../../core/tokens';
import type { Counters } from '../counters';
import type { Intake, IntakeItem } from '../intake';
import { plainAddress } from '../tenancy';
import type { RunningListener } from './syslog-tcp';

export interface HttpIngestConfig {
  host: string;
  port: number;
  maxBodyBytes: number;
  maxMessageBytes: number;
}

const MAX_DOCS = 50000;

export function buildHttpIngest(config: HttpIngestConfig, deps: { intake: Intake; store: Store; counters: Counters; logger: Logger }): FastifyInstance {
  const { intake, store, counters } = deps;
  const name = 'http';
  const app = Fastify({ bodyLimit: config.maxBodyBytes, logger: false, trustProxy: false });

  // bodies are read as text and split here, so NDJSON and JSON share one path and a bad line is reported by number
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (String(req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
      const gunzip = createGunzip();
      let total = 0;
      gunzip.on('data', (c: Buffer) => {
        total += c.length;
        if (total > config.maxBodyBytes) gunzip.destroy(Object.assign(new Error(`decompressed body exceeds ${config.maxBodyBytes} bytes`), { statusCode: 413 }));
      });
      delete req.headers['content-length'];
      return payload.pipe(gunzip);
    }
    return payload;
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const msg = err.code === 'Z_DATA_ERROR' ? 'body is not valid gzip' : err.message;
    void reply.code(err.code === 'Z_DATA_ERROR' ? 400 : status).send({ error: msg });
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
    if (!token) return reply.code(401).send({ error: 'an agency ingest token is required: Authorization: Bearer <token> (canhgac tenant add <id> prints one)' });
    const tenant = token.subject;
    const peer = plainAddress(req.socket.remoteAddress);
    const body = (req.body as Buffer | undefined) ?? Buffer.alloc(0);
    const text = body.toString('utf8');
    const docs: Record<string, unknown>[] = [];
    const rejected: { line: number; error: string }[] = [];
    const trimmed = text.trim();
    if (trimmed === '') return reply.code(400).send({ error: 'empty body: send a JSON object, a JSON array or NDJSON' });

    const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
    const declaredLines = /ndjson|jsonl|json-lines|jsonlines|text\/plain/.test(contentType);
    let whole: unknown = undefined;
    if (!declaredLines) {
      try {
        whole = JSON.parse(trimmed);
      } catch (e) {
        // several lines whose first is a JSON document: NDJSON sent as application/json
        const first = trimmed.split('\n', 1)[0];
        let firstIsJson = false;
        try {
          JSON.parse(first);
          firstIsJson = first.length < trimmed.length;
        } catch {
          firstIsJson = false;
        }
        if (!firstIsJson) {
          await intake.deadLetter(name, tenant, peer, `malformed JSON body: ${(e as Error).message}`, body.subarray(0, config.maxMessageBytes), body.length);
          return reply.code(400).send({ error: `malformed JSON: ${(e as Error).message}` });
        }
      }
    }
    if (whole !== undefined) {
      const list = Array.isArray(whole) ? whole : [whole];
      list.forEach((d, i) => {
        if (d && typeof d === 'object' && !Array.isArray(d)) docs.push(d as Record<string, unknown>);
        else if (typeof d === 'string') docs.push({ message: d });
        else rejected.push({ line: i + 1, error: 'each element must be a JSON object or a string' });
      });
    } else {
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i].trim();
        if (!line) continue;
        if (Buffer.byteLength(line) > config.maxMessageBytes) {
          rejected.push({ line: i + 1, error: `line of ${Buffer.byteLength(line)} bytes exceeds collector.max_message_bytes (${config.maxMessageBytes})` });
          await intake.deadLetter(name, tenant, peer, `NDJSON line ${i + 1} of ${Buffer.byteLength(line)} bytes exceeds collector.max_message_bytes`, line.slice(0, config.maxMessageBytes), Buffer.byteLength(line));
          continue;
        }
        try {
          const d = JSON.parse(line) as unknown;
          if (d && typeof d === 'object' && !Array.isArray(d)) docs.push(d as Record<string, unknown>);
          else throw new Error('a line must hold a JSON object');
        } catch (e) {
          rejected.push({ line: i + 1, error: (e as Error).message });
          await intake.deadLetter(name, tenant, peer, `NDJSON line ${i + 1}: ${(e as Error).message}`, line);
        }
      }
    }
    if (docs.length > MAX_DOCS) return reply.code(413).send({ error: `at most ${MAX_DOCS} documents per request` });
    const items: IntakeItem[] = docs.map((raw) => ({ raw, tenant, sourceIp: peer }));
    const res = await intake.submit(name, items);
    return reply.code(202).send({ accepted: res.accepted, rejected: rejected.length, errors: rejected.slice(0, 100), ids: res.ids });
  });

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
