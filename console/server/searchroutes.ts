/**
 * Saved searches (a fastify plugin): each user's own.
 */
import { answers, itemsOf, ref } from './schemas';
import type { FastifyPluginAsync } from 'fastify';
import { newId } from '../../core/event';
import { parseQuery } from '../../core/query';
import { ANY_ROLE } from './routeaccess';
import { ID, principal, RANGES, type RouteContext } from './routekit';

export const searchRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, audit } = ctx;
  app.get('/api/searches', { config: { access: { roles: ANY_ROLE, scope: 'own' } }, schema: { response: answers(itemsOf(ref('SavedSearch'))) } }, async (req) => ({ items: await store.listSavedSearches(principal(req).username) }));

  app.post<{ Body: { name: string; q: string; range?: string | null; columns?: string[] } }>(
    '/api/searches',
    { config: { access: { roles: ANY_ROLE, scope: 'own' } }, 
      schema: { response: answers(ref('SavedSearch')),
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'q'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            q: { type: 'string', maxLength: 4096 },
            range: { type: ['string', 'null'], enum: [...Object.keys(RANGES), 'all', null] },
            columns: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 200, pattern: '^[@A-Za-z0-9_.-]+$' } },
          },
        },
      },
    },
    async (req) => {
      parseQuery(req.body.q); // a saved search must run: a syntax error is a 400 naming the position
      const existing = (await store.listSavedSearches(principal(req).username)).find((s) => s.name === req.body.name);
      const s = { id: existing?.id ?? newId(), owner: principal(req).username, name: req.body.name, q: req.body.q, range: req.body.range ?? null, columns: req.body.columns ?? [], created: new Date().toISOString() };
      await store.putSavedSearch(s);
      await audit(req, 'search.save', s.id, { name: s.name, q: s.q });
      return s;
    },
  );

  app.delete<{ Params: { id: string } }>('/api/searches/:id', { config: { access: { roles: ANY_ROLE, scope: 'own' } }, schema: { response: answers(ref('Ok')), params: { type: 'object', properties: { id: ID } } } }, async (req, reply) => {
    if (!(await store.deleteSavedSearch(req.params.id, principal(req).username))) return reply.code(404).send({ error: `no saved search ${req.params.id} of yours` });
    await audit(req, 'search.delete', req.params.id);
    return { ok: true };
  });
};
