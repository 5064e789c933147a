/**
 * Events (a fastify plugin): search, histogram, top values, field names and the streamed
 * export; every count and suggestion comes from the caller's agencies only.
 */
import { answers, fileAnswer, itemsOf, pageOf, ref } from './schemas';
import type { FastifyPluginAsync } from 'fastify';
import { Readable } from 'node:stream';
import { parseQuery, queryFields } from '../../core/query';
import { ANY_ROLE } from './routeaccess';
import { scopeOf } from './auth';
import { csvRow, pick } from './csv';
import { attachment, DEFAULT_COLUMNS, MAX_EXPORT, principal, TIME, type RouteContext } from './routekit';
import { clientGone } from './client-gone';

export const eventRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, audit } = ctx;
  app.get<{ Querystring: { q?: string; from?: string; to?: string; limit?: number; offset?: number; order?: 'asc' | 'desc' } }>(
    '/api/events',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: { response: answers(pageOf(ref('Event'))),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: { type: 'string', maxLength: 4096 },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            limit: { type: 'integer', minimum: 0, maximum: 10000, default: 100 },
            offset: { type: 'integer', minimum: 0, maximum: 1000000, default: 0 },
            order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
          },
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const fields = queryFields(parseQuery(q.q)); // a syntax error becomes a 400 naming the position
      const page = await store.searchEvents({ q: q.q, from: q.from, to: q.to, limit: q.limit, offset: q.offset, order: q.order, tenants: scopeOf(req.principal!) }, { signal: clientGone(reply) });
      await audit(req, 'events.search', null, { q: q.q ?? '', from: q.from, to: q.to, fields, total: page.total });
      return page;
    },
  );

  app.get<{ Querystring: { q?: string; from?: string; to?: string; interval?: number } }>(
    '/api/events/histogram',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: { response: answers({ type: 'object', properties: { buckets: { type: 'array', items: { type: 'object', properties: { t: { type: 'string' }, count: { type: 'integer' } } } } } }),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { q: { type: 'string', maxLength: 4096 }, from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' }, interval: { type: 'integer', minimum: 1000, default: 60000 } },
        },
      },
    },
    async (req, reply) => ({ buckets: await store.histogram({ q: req.query.q, from: req.query.from, to: req.query.to, tenants: scopeOf(req.principal!) }, req.query.interval ?? 60000, { signal: clientGone(reply) }) }),
  );

  app.get<{ Querystring: { q?: string; from?: string; to?: string; field: string; size?: number } }>(
    '/api/events/top',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: { response: answers({ type: 'object', properties: { values: { type: 'array', items: ref('Count') } } }),
        querystring: {
          type: 'object',
          required: ['field'],
          additionalProperties: false,
          properties: {
            q: { type: 'string', maxLength: 4096 },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            field: { type: 'string', pattern: '^[@A-Za-z_][\\w.@-]*$', maxLength: 200 },
            size: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
          },
        },
      },
    },
    async (req, reply) => ({ values: await store.topValues({ q: req.query.q, from: req.query.from, to: req.query.to, tenants: scopeOf(req.principal!) }, req.query.field, req.query.size ?? 10, { signal: clientGone(reply) }) }),
  );

  // ---- search: fields, export, saved searches, alerts

  app.get<{ Querystring: { prefix?: string } }>(
    '/api/fields',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { response: answers(itemsOf({ type: 'object', properties: { field: { type: 'string' }, count: { type: 'integer' } } })), querystring: { type: 'object', additionalProperties: false, properties: { prefix: { type: 'string', maxLength: 200 } } } } },
    async (req, reply) => {
      const fields = await store.eventFields(scopeOf(principal(req)), 500, { signal: clientGone(reply) });
      const p = (req.query.prefix ?? '').toLowerCase();
      return { items: fields.filter((f) => f.field.toLowerCase().startsWith(p) || (p.length > 1 && f.field.toLowerCase().includes(p))).slice(0, 200) };
    },
  );

  app.get<{ Querystring: { q?: string; from?: string; to?: string; format: 'csv' | 'json'; columns?: string; limit?: number } }>(
    '/api/events/export',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: { response: fileAnswer(),
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['format'],
          properties: {
            q: { type: 'string', maxLength: 4096 },
            from: TIME,
            to: TIME,
            format: { type: 'string', enum: ['csv', 'json'] },
            columns: { type: 'string', maxLength: 2000, pattern: '^[@A-Za-z0-9_.,-]*$' },
            limit: { type: 'integer', minimum: 1, maximum: MAX_EXPORT, default: 10000 },
          },
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const fields = queryFields(parseQuery(q.q)); // a syntax error becomes a 400 before the export starts
      const scope = scopeOf(principal(req));
      const columns = q.columns ? q.columns.split(',').filter(Boolean) : DEFAULT_COLUMNS;
      const limit = q.limit ?? 10000;
      const to = q.to ?? new Date(Date.now() + 1000).toISOString(); // pinned, so events arriving meanwhile do not shift the pages
      const first = await store.searchEvents({ q: q.q, from: q.from, to, limit: Math.min(1000, limit), offset: 0, tenants: scope });
      const rows = Math.min(first.total, limit);
      await audit(req, 'events.export', null, { q: q.q ?? '', from: q.from, to: q.to, format: q.format, rows, fields });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      attachment(reply, `canhgac-events-${stamp}.${q.format}`, q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
      // streamed page by page: a 100 000-event export never sits whole in memory
      async function* body(): AsyncGenerator<string> {
        yield q.format === 'csv' ? '\uFEFF' + csvRow(columns) : '['; // the BOM makes spreadsheet programs read UTF-8 (Vietnamese) correctly
        let written = 0;
        let page = first;
        for (let offset = 0; written < rows; ) {
          let chunk = '';
          for (const ev of page.items) {
            if (written >= rows) break;
            chunk += q.format === 'csv' ? csvRow(columns.map((c) => pick(ev, c))) : (written ? ',\n' : '\n') + JSON.stringify(ev);
            written++;
          }
          yield chunk;
          offset += page.items.length;
          if (!page.items.length || written >= rows) break;
          page = await store.searchEvents({ q: q.q, from: q.from, to, limit: Math.min(1000, rows - written), offset, tenants: scope });
        }
        if (q.format === 'json') yield '\n]\n';
      }
      return reply.send(Readable.from(body()));
    },
  );
};
