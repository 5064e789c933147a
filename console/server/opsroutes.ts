/**
 * Operations (a fastify plugin): collector statistics, dead letters, notification
 * delivery and source activity, each within the caller's agencies.
 */
import { answers, itemsOf, mapOf, ref, SOURCES } from './schemas';
import type { FastifyPluginAsync } from 'fastify';
import type { TenantScope } from '../../core/store/store';
import { ANY_ROLE } from './routeaccess';
import { ADDRESSES_STATE_KEY } from '../../collector/counters';
import { scopeKey, scopeOf } from './auth';
import { inScope, principal, ttlCache, type RouteContext } from './routekit';

const COLLECTOR_STATS = {
  type: 'object',
  properties: {
    at: { type: ['string', 'null'] }, listeners: mapOf(), tenants: mapOf(), pending: { type: 'integer' },
    addresses: { type: 'array', items: { type: 'object', required: ['name', 'protocol', 'host', 'port'], properties: { name: { type: 'string' }, protocol: { type: 'string' }, host: { type: 'string' }, port: { type: 'integer' } } } },
  },
} as const;

export const opsRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store } = ctx;
  app.get('/api/collector/stats', { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { response: answers(COLLECTOR_STATS) } }, async (req) => {
    const scope = scopeOf(req.principal!);
    const [raw, rawAddresses] = await Promise.all([store.getState('collector.counters.main'), store.getState(ADDRESSES_STATE_KEY)]);
    const snap = raw ? (JSON.parse(raw) as { listeners: Record<string, unknown>; tenants: Record<string, unknown>; at: string; pending?: number }) : { listeners: {}, tenants: {}, at: null };
    // every agency sends to these ports, so every role may read them
    const addresses = rawAddresses ? (JSON.parse(rawAddresses) as unknown[]) : [];
    if (scope === null) return { ...snap, addresses };
    return { at: snap.at, listeners: {}, tenants: Object.fromEntries(Object.entries(snap.tenants).filter(([t]) => scope.includes(t))), addresses };
  });

  app.get<{ Querystring: { limit?: number } }>(
    '/api/dead-letters',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { response: answers(itemsOf(ref('DeadLetter'))), querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } } } } },
    async (req) => ({ items: await store.listDeadLetters({ limit: req.query.limit, tenants: scopeOf(req.principal!) }) }),
  );

  // delivery status of each notification (the outbox): what was sent to whom, when, and why not
  app.get<{ Querystring: { incident?: string; status?: string; limit?: number } }>(
    '/api/notifications',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: { response: answers(itemsOf(ref('Notification'))),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            incident: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' },
            status: { type: 'string', pattern: '^((pending|sending|sent|failed|held),?)*$' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
      },
    },
    async (req) => {
      const items = await store.listNotifications({
        incidentId: req.query.incident,
        status: req.query.status ? (req.query.status.split(',').filter(Boolean) as ('pending' | 'sending' | 'sent' | 'failed' | 'held')[]) : undefined,
        limit: req.query.limit,
        tenants: scopeOf(req.principal!),
      });
      // the message bodies stay in the store; the API tells delivery, not content
      return {
        items: items.map((n) => ({
          id: n.id, incidentId: n.incidentId, tenant: n.tenant, route: n.route, channel: n.channel, recipient: n.recipient, reason: n.reason, subject: n.subject,
          status: n.status, attempts: n.attempts, nextAttemptAt: n.nextAttemptAt, lastError: n.lastError ?? null, providerMessageId: n.providerMessageId ?? null, created: n.created, sentAt: n.sentAt ?? null,
        })),
      };
    },
  );

  const sourcesCache = ttlCache<unknown>(20_000);
  // ---- sources

  app.get<{ Querystring: { silent_minutes?: number } }>(
    '/api/sources',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { response: answers(SOURCES), querystring: { type: 'object', additionalProperties: false, properties: { silent_minutes: { type: 'integer', minimum: 1, maximum: 10080, default: 15 } } } } },
    async (req) => {
      const p = principal(req);
      return sourcesCache(`${scopeKey(p)}|${req.query.silent_minutes ?? 15}`, () => sources(scopeOf(p), req.query.silent_minutes ?? 15));
    },
  );

  const sources = async (scope: TenantScope, silentMinutes: number) => {
    const silentMs = silentMinutes * 60000;
    const since = new Date(Date.now() - 2 * 86400e3).toISOString(); // two days: a source quiet for longer shows in its agency's counters
    const hourAgo = Date.now() - 3600e3;
    const [week, hour, raw] = await Promise.all([
      store.sourceActivity({ tenants: scope, since }),
      store.sourceActivity({ tenants: scope, since: new Date(hourAgo).toISOString() }),
      store.getState('collector.counters.main'),
    ]);
    const key = (s: { tenant: string; source: string; dataset: string | null }) => `${s.tenant}|${s.source}|${s.dataset ?? ''}`;
    const lastHour = new Map(hour.map((s) => [key(s), s]));
    const items = week.map((s) => {
      const h = lastHour.get(key(s));
      return {
        tenant: s.tenant,
        source: s.source,
        dataset: s.dataset,
        last_seen: s.last_seen,
        per_minute: h ? Math.round((h.count / 60) * 100) / 100 : 0,
        failure_rate: h && h.count ? h.failed / h.count : s.count ? s.failed / s.count : 0,
        events_2d: s.count,
        silent: Date.now() - Date.parse(s.last_seen) > silentMs,
      };
    });
    const snap = raw ? (JSON.parse(raw) as { tenants: Record<string, { received: number; parsed: number; failed: number; dropped: number; last_seen: string | null }> }) : { tenants: {} };
    const agencies = Object.entries(snap.tenants)
      .filter(([t]) => inScope(scope, t))
      .map(([tenant, c]) => ({ tenant, ...c, failure_rate: c.received ? c.failed / c.received : 0, silent: !c.last_seen || Date.now() - Date.parse(c.last_seen) > silentMs }));
    return { items, agencies };
  };
};
