/**
 * The audit log (a fastify plugin): reading and exporting it (an agency auditor only its
 * agencies' entries) and verifying the hash chain (provincial).
 */
import { answers, AUDIT_VERIFY, fileAnswer, itemsOf, ref } from './schemas';
import type { FastifyPluginAsync } from 'fastify';
import { Readable } from 'node:stream';
import { listVisibleAudit, verifyAuditChain } from '../../core/audit';
import { READ_AUDIT } from './routeaccess';
import { scopeOf } from './auth';
import { csvRow } from './csv';
import { attachment, principal, type RouteContext } from './routekit';

export const auditRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, audit } = ctx;
  app.get<{ Querystring: { limit?: number; after?: number; before?: number; order?: 'asc' | 'desc' } }>(
    '/api/audit',
    {
      config: { access: { roles: READ_AUDIT, scope: 'agency' } },
      schema: {
        response: answers(itemsOf(ref('AuditEntry'))),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 10000, default: 500 },
            after: { type: 'integer', minimum: 0, default: 0 },
            before: { type: 'integer', minimum: 1 },
            order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'desc: the newest first (the console opens on them), paging back with before=' },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      // an agency auditor or admin reads only the entries of its agencies
      return { items: await listVisibleAudit(store, scopeOf(req.principal!), { limit: q.limit ?? 500, afterSeq: q.after, beforeSeq: q.before, order: q.order }) };
    },
  );


  // the same check as `canhgac audit verify`: every entry's hash follows from the one before it
  app.get('/api/audit/verify', { config: { access: { roles: READ_AUDIT, scope: 'province' } }, schema: { response: answers(AUDIT_VERIFY) } }, async (req, reply) => {
    const check = await verifyAuditChain(store);
    if (!check.intact) {
      const e = check.alteredAt;
      await audit(req, 'audit.verify', null, { intact: false, seq: e.seq });
      return { intact: false, entries: check.entries, alteredAt: { seq: e.seq, at: e.at, actor: e.actor, action: e.action } };
    }
    await audit(req, 'audit.verify', null, { intact: true, entries: check.entries });
    return { intact: true, entries: check.entries };
  });

  app.get<{ Querystring: { format: 'csv' | 'json'; after?: number } }>(
    '/api/audit/export',
    { config: { access: { roles: READ_AUDIT, scope: 'agency' } }, 
      schema: { response: fileAnswer(),
        querystring: { type: 'object', additionalProperties: false, required: ['format'], properties: { format: { type: 'string', enum: ['csv', 'json'] }, after: { type: 'integer', minimum: 0, default: 0 } } },
      },
    },
    async (req, reply) => {
      const format = req.query.format;
      await audit(req, 'audit.export', null, { format, after: req.query.after ?? 0 });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      attachment(reply, `canhgac-audit-${stamp}.${format}`, format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
      const start = req.query.after ?? 0;
      const scope = scopeOf(principal(req));
      async function* body(): AsyncGenerator<string> {
        yield format === 'csv' ? '\uFEFF' + csvRow(['seq', 'at', 'actor', 'action', 'target', 'ip', 'details', 'prev_hash', 'hash']) : '[';
        let first = true;
        for (let after = start; ; ) {
          const page = await listVisibleAudit(store, scope, { afterSeq: after, limit: 5000 }); // an agency auditor exports only its agencies' entries
          if (!page.length) break;
          let chunk = '';
          for (const e of page) {
            chunk += format === 'csv' ? csvRow([e.seq, e.at, e.actor, e.action, e.target, e.ip, e.details, e.prevHash, e.hash]) : (first ? '\n' : ',\n') + JSON.stringify(e);
            first = false;
          }
          yield chunk;
          after = page[page.length - 1].seq!;
        }
        if (format === 'json') yield '\n]\n';
      }
      return reply.send(Readable.from(body()));
    },
  );
};
