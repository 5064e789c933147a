/**
 * The dashboard (a fastify plugin): events by agency and source, alerts, top sources and
 * the ATT&CK matrix, for the caller's agencies, cached a few seconds per scope.
 */
import { answers, DASHBOARD } from './schemas';
import type { FastifyPluginAsync } from 'fastify';
import { ANY_ROLE } from './routeaccess';
import { can, scopeKey, scopeOf, type Principal } from './auth';
import { principal, RANGES, rangeWindow, ttlCache, type RouteContext, type RuleStatusState } from './routekit';
import { attackMatrix } from './attackmatrix';

export const dashboardRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store } = ctx;
  const dashboardCache = ttlCache<unknown>(10_000);
  const rulesState = async (): Promise<RuleStatusState[]> => {
    const raw = await store.getState('correlator.rules');
    return raw ? ((JSON.parse(raw) as { rules?: RuleStatusState[] }).rules ?? []) : [];
  };

  // ---- dashboards

  app.get<{ Querystring: { range?: string } }>(
    '/api/dashboard',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { response: answers(DASHBOARD), querystring: { type: 'object', additionalProperties: false, properties: { range: { type: 'string', enum: Object.keys(RANGES) } } } } },
    async (req) => {
      const p = principal(req);
      return dashboardCache(`${scopeKey(p)}|${can.readRules(p)}|${req.query.range ?? '1h'}`, () => dashboard(p, req.query.range ?? '1h'));
    },
  );

  const dashboard = async (p: Principal, range: string) => {
    const scope = scopeOf(p);
    const { from, intervalMs } = rangeWindow(range);
    const [byAgency, bySource, alerts, topSources, stats, rules, settings] = await Promise.all([
      store.histogramBy({ from, tenants: scope }, intervalMs, 'organization.id', 8),
      store.histogramBy({ from, tenants: scope }, intervalMs, 'event.dataset', 8),
      store.alertStats({ tenants: scope, from, intervalMs, topRules: 10 }),
      store.topValues({ from, tenants: scope }, 'source.ip', 10),
      store.getState('collector.counters.main'),
      can.readRules(p) ? rulesState() : Promise.resolve([]),
      store.listRuleSettings(),
    ]);
    const snap = stats ? (JSON.parse(stats) as { at: string; listeners: Record<string, unknown>; pending?: number }) : null;
    // the ATT&CK matrix: techniques of enabled rules, named and placed under their tactics, with this scope's alert hits
    const off = new Set(settings.filter((s) => s.disabledFor.includes('*')).map((s) => s.ruleId));
    const hitsByRule = new Map(alerts.byRule.map((r) => [r.ruleId, r.count]));
    return {
      from,
      intervalMs,
      eventsByAgency: byAgency,
      eventsBySource: bySource,
      alerts,
      topSources,
      listeners: scope === null && snap ? { at: snap.at, pending: snap.pending ?? 0, items: snap.listeners } : null,
      attack: can.readRules(p) ? { tactics: attackMatrix(rules.map((r) => r.rule), hitsByRule, off) } : null,
    };
  };
};
