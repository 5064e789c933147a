/**
 * Watched websites (a fastify plugin): each agency's sites with their state, uptime, latency,
 * certificate expiry and last change; adding, pausing and removing them; the text snapshots of
 * the baseline and the last changes, side by side. Scoped by agency like every route.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Store } from '../../core/store/store';
import { addSite, listSites, rebaseline, setPaused, SiteError, viewOf } from '../../website/admin';
import { websiteSettings } from '../../website/settings';
import { sideBySide } from '../../website/sidebyside';
import type { SiteState } from '../../website/state';
import { scopeOf } from './auth';
import { ADMIN, ANY_ROLE } from './routeaccess';
import { answers } from './schemas';
import { WEBSITE, WEBSITE_LIST, WEBSITE_SNAPSHOTS } from './websiteschemas';

const params = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', pattern: '^w-[0-9a-f]{12}$' } } } as const;
const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

export const websiteRoutes: FastifyPluginAsync<{ store: Store; audit(req: FastifyRequest, action: string, target?: string | null, details?: Record<string, unknown>): Promise<void> }> = async (app, { store, audit }) => {
  const floorS = websiteSettings().minIntervalS;
  const notFound = (id: string) => ({ error: `website ${id}: no such site in your agencies` });

  app.get('/api/websites', { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { querystring: noQuery, response: answers(WEBSITE_LIST) } }, async (req) => ({ items: await listSites(store, scopeOf(req.principal!)) }));

  app.post<{ Body: { url: string; tenant: string; interval?: number; keywords?: string[] } }>(
    '/api/websites',
    {
      config: { access: { roles: ADMIN, scope: 'agency' } },
      schema: {
        querystring: noQuery,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['url', 'tenant'],
          properties: { url: { type: 'string', minLength: 8, maxLength: 2000 }, tenant: { type: 'string', maxLength: 64 }, interval: { type: 'integer', minimum: 1, maximum: 86400 }, keywords: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 200 } } },
        },
        response: answers(WEBSITE),
      },
    },
    async (req, reply) => {
      try {
        const site = await addSite(store, { ...req.body, by: req.principal!.username }, floorS, scopeOf(req.principal!));
        await audit(req, 'website.add', site.id, { url: site.url, agencies: [site.tenant] });
        return viewOf(site, null);
      } catch (e) {
        if (e instanceof SiteError) return reply.code(/may not/.test(e.message) ? 403 : /already watched/.test(e.message) ? 409 : 400).send({ error: e.message });
        throw e;
      }
    },
  );

  app.delete<{ Params: { id: string } }>('/api/websites/:id', { config: { access: { roles: ADMIN, scope: 'agency' } }, schema: { params, querystring: noQuery, response: answers({ $ref: 'Ok#' }) } }, async (req, reply) => {
    const site = await store.getWebsite(req.params.id, scopeOf(req.principal!));
    if (!site || !(await store.deleteWebsite(site.id, scopeOf(req.principal!)))) return reply.code(404).send(notFound(req.params.id));
    await audit(req, 'website.remove', site.id, { url: site.url, agencies: [site.tenant] });
    return { ok: true };
  });

  for (const op of ['pause', 'resume', 'rebaseline'] as const) {
    app.post<{ Params: { id: string } }>(`/api/websites/:id/${op}`, { config: { access: { roles: ADMIN, scope: 'agency' } }, schema: { params, querystring: noQuery, response: answers({ $ref: 'Ok#' }) } }, async (req, reply) => {
      const scope = scopeOf(req.principal!);
      const done = op === 'rebaseline' ? await rebaseline(store, req.params.id, scope) : !!(await setPaused(store, req.params.id, op === 'pause', scope));
      if (!done) return reply.code(404).send(notFound(req.params.id));
      await audit(req, `website.${op}`, req.params.id);
      return { ok: true };
    });
  }

  app.get<{ Params: { id: string } }>('/api/websites/:id/snapshots', { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { params, querystring: noQuery, response: answers(WEBSITE_SNAPSHOTS) } }, async (req, reply) => {
    const site = await store.getWebsite(req.params.id, scopeOf(req.principal!));
    if (!site) return reply.code(404).send(notFound(req.params.id));
    const s = ((await store.getWebsiteState(site.id))?.doc as unknown as SiteState | undefined) ?? null;
    const last = s?.changes[0];
    return { baseline: s?.snapshot ?? null, changes: s?.changes ?? [], sideBySide: s?.snapshot && last ? sideBySide(s.snapshot.text, last.text, s.baseline) : null };
  });
};
