/**
 * The console API beyond incidents and events: field names, exports, saved searches, rule
 * settings and tests, dashboards, agencies and their ingest tokens, source activity, users,
 * API tokens and the TOTP second factor. Every route checks role and agency scope on the
 * server and audits what it changes or exports.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { Bus } from '../../core/bus/bus';
import { newId } from '../../core/event';
import type { Logger } from '../../core/log';
import { OPEN_STATUSES, type Incident, type IncidentStatus } from '../../core/model';
import { parseQuery, queryFields } from '../../core/query';
import type { Store, TenantScope } from '../../core/store/store';
import { auditVisible, verifyAuditChain } from '../../core/audit';
import { createEvaluator, loadRulesFromText } from '../../correlator/sigma';
import { accessNotifier } from './access';
import { ANY_ROLE, EDIT_RULES, READ_AUDIT } from './routeaccess';
import { can, endSessions, hashPassword, LOCK_AFTER, passwordProblem, scopeKey, scopeOf, verifyPassword, type Principal } from './auth';
import { createAccountGate } from './logingate';
import { createLoginLimiter } from './ratelimit';
import { csvRow, pick } from './csv';
import { mergeScopedSetting, settingsInScope } from './rulescope';
import { slaOf, type SlaTargets } from './sla';
import type { SecretBox } from './secretbox';
import { clearTotp, getTotp, newTotpSecret, otpauthUri, putTotp, totpEnabled, verifyTotp } from './totp';

export interface RouteContext {
  store: Store;
  bus: Bus;
  logger: Logger;
  audit: (req: FastifyRequest, action: string, target?: string | null, details?: Record<string, unknown>) => Promise<void>;
  sla: SlaTargets;
  secrets: SecretBox; // seals TOTP secrets at rest
  rulesMappingsDir?: string;
}

const RANGES: Record<string, number> = { '15m': 15 * 60e3, '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };
const ID = { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' } as const;
const TIME = { type: 'string', format: 'date-time' } as const;
const MAX_EXPORT = 100_000;
export const DEFAULT_COLUMNS = ['@timestamp', 'organization.id', 'event.dataset', 'host.name', 'source.ip', 'user.name', 'event.action', 'event.outcome', 'message'];

const principal = (req: FastifyRequest): Principal => req.principal!;
const inScope = (scope: TenantScope, tenant: string) => scope === null || scope.includes(tenant);

function attachment(reply: FastifyReply, name: string, type: string): void {
  reply.header('Content-Disposition', `attachment; filename="${name}"`);
  reply.type(type);
}

/** The time window and bucket size for a dashboard range: about 60 buckets of a round size. */
export function rangeWindow(range: string, now = Date.now()): { from: string; intervalMs: number } {
  const span = RANGES[range] ?? RANGES['1h'];
  const steps = [10e3, 30e3, 60e3, 5 * 60e3, 15 * 60e3, 30 * 60e3, 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3];
  const intervalMs = steps.find((s) => span / s <= 90) ?? 86400e3;
  return { from: new Date(now - span).toISOString(), intervalMs };
}

const TACTICS = [
  'reconnaissance', 'resource_development', 'initial_access', 'execution', 'persistence', 'privilege_escalation', 'defense_evasion',
  'credential_access', 'discovery', 'lateral_movement', 'collection', 'command_and_control', 'exfiltration', 'impact',
];

interface RuleStatusState {
  rule: { id: string; title: string; level: string; tags: string[]; kind?: string; enabled?: boolean };
  hits: number;
  last_hit: string | null;
}

/** Answers reused for a few seconds per scope: dashboards and source lists scan many events, and every open console polls them. */
function ttlCache<T>(ttlMs: number, max = 200): (key: string, compute: () => Promise<T>) => Promise<T> {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return (key, compute) => {
    const now = Date.now();
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value;
    if (entries.size >= max) entries.delete(entries.keys().next().value as string);
    const value = compute();
    entries.set(key, { at: now, value });
    value.catch(() => entries.delete(key)); // a failure is not remembered
    return value;
  };
}

export async function registerRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { store, audit } = ctx;
  const access = accessNotifier(store);
  const dashboardCache = ttlCache<unknown>(10_000);
  const totpTries = createLoginLimiter({ maxFailures: LOCK_AFTER, windowSeconds: 15 * 60 });
  const totpGate = createAccountGate({ maxWaiting: 2 * LOCK_AFTER }); // also for password changes: one check of a user's own credentials at a time
  const passwordTries = createLoginLimiter({ maxFailures: LOCK_AFTER, windowSeconds: 15 * 60 });

  const changeTotp = async (username: string, op: 'enable' | 'disable', code: string): Promise<{ ok: true } | { ok: false; status: 400 | 409; error: string }> => {
    const cur = await getTotp(store, username, ctx.secrets);
    if (!cur?.secret) return { ok: false, status: 409, error: 'set up TOTP first (POST /api/auth/totp/setup)' };
    if (op === 'enable' && cur.enabled) return { ok: false, status: 409, error: 'TOTP is on already' };
    if (op === 'disable' && !cur.enabled) return { ok: false, status: 409, error: 'TOTP is off already' };
    const step = verifyTotp(cur.secret, code);
    if (step === null || (cur.lastStep !== undefined && step <= cur.lastStep)) return { ok: false, status: 400, error: 'body/code: wrong or already used authenticator code' };
    if (op === 'enable') await putTotp(store, username, { secret: cur.secret, enabled: true, lastStep: step }, ctx.secrets);
    else await clearTotp(store, username);
    return { ok: true };
  };
  const sourcesCache = ttlCache<unknown>(20_000);

  const rulesState = async (): Promise<RuleStatusState[]> => {
    const raw = await store.getState('correlator.rules');
    return raw ? ((JSON.parse(raw) as { rules?: RuleStatusState[] }).rules ?? []) : [];
  };

  // ---- search: fields, export, saved searches, alerts

  app.get<{ Querystring: { prefix?: string } }>(
    '/api/fields',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { querystring: { type: 'object', additionalProperties: false, properties: { prefix: { type: 'string', maxLength: 200 } } } } },
    async (req) => {
      const fields = await store.eventFields(scopeOf(principal(req)), 500);
      const p = (req.query.prefix ?? '').toLowerCase();
      return { items: fields.filter((f) => f.field.toLowerCase().startsWith(p) || (p.length > 1 && f.field.toLowerCase().includes(p))).slice(0, 200) };
    },
  );

  app.get<{ Querystring: { q?: string; from?: string; to?: string; format: 'csv' | 'json'; columns?: string; limit?: number } }>(
    '/api/events/export',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: {
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

  app.get<{ Querystring: { limit?: number; offset?: number } }>(
    '/api/alerts',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, offset: { type: 'integer', minimum: 0, default: 0 } } } } },
    async (req) => store.listAlertsPage({ tenants: scopeOf(principal(req)), limit: req.query.limit ?? 100, offset: req.query.offset ?? 0 }),
  );

  app.get('/api/searches', { config: { access: { roles: ANY_ROLE, scope: 'own' } } }, async (req) => ({ items: await store.listSavedSearches(principal(req).username) }));

  app.post<{ Body: { name: string; q: string; range?: string | null; columns?: string[] } }>(
    '/api/searches',
    { config: { access: { roles: ANY_ROLE, scope: 'own' } }, 
      schema: {
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

  app.delete<{ Params: { id: string } }>('/api/searches/:id', { config: { access: { roles: ANY_ROLE, scope: 'own' } }, schema: { params: { type: 'object', properties: { id: ID } } } }, async (req, reply) => {
    if (!(await store.deleteSavedSearch(req.params.id, principal(req).username))) return reply.code(404).send({ error: `no saved search ${req.params.id} of yours` });
    await audit(req, 'search.delete', req.params.id);
    return { ok: true };
  });

  // ---- incidents export (with SLA)

  app.get<{ Querystring: { format: 'csv' | 'json'; status?: string; agency?: string } }>(
    '/api/incidents/export',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, 
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['format'],
          properties: { format: { type: 'string', enum: ['csv', 'json'] }, status: { type: 'string', pattern: '^(open|closed|new|acknowledged|in_progress|resolved|false_positive|duplicate)?$' }, agency: { type: 'string', maxLength: 64 } },
        },
      },
    },
    async (req, reply) => {
      const scope = scopeOf(principal(req));
      const tenants = req.query.agency ? (inScope(scope, req.query.agency) ? [req.query.agency] : []) : scope;
      const st = req.query.status;
      const status: IncidentStatus[] | undefined = !st ? undefined : st === 'open' ? OPEN_STATUSES : st === 'closed' ? ['resolved', 'false_positive', 'duplicate'] : [st as IncidentStatus];
      const items: Incident[] = [];
      for (let offset = 0; offset < 50000; offset += 1000) {
        const page = await store.listIncidents({ tenants, status, limit: 1000, offset });
        items.push(...page.items);
        if (page.items.length < 1000) break;
      }
      const rows = await Promise.all(items.map(async (inc) => ({ inc, sla: slaOf(inc, await store.listIncidentChanges(inc.id), ctx.sla) })));
      await audit(req, 'incidents.export', null, { format: req.query.format, status: st ?? 'all', rows: rows.length });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      if (req.query.format === 'json') {
        attachment(reply, `canhgac-incidents-${stamp}.json`, 'application/json; charset=utf-8');
        return reply.send(JSON.stringify(rows.map((r) => ({ ...r.inc, sla: r.sla })), null, 1));
      }
      attachment(reply, `canhgac-incidents-${stamp}.csv`, 'text/csv; charset=utf-8');
      const head = ['id', 'agency', 'severity', 'status', 'rule', 'title', 'host', 'source_ip', 'user', 'count', 'first_seen', 'last_seen', 'created', 'assignee', 'resolution',
        'acknowledged_at', 'time_to_acknowledge_s', 'acknowledge_target_min', 'acknowledge_breached', 'closed_at', 'time_open_s', 'resolve_target_min', 'resolve_breached'];
      const out = ['\uFEFF' + csvRow(head)];
      for (const { inc, sla } of rows) {
        out.push(csvRow([inc.id, inc.tenant, inc.severity, inc.status, inc.rule.id, inc.title, inc.summary.host, inc.summary.source_ip, inc.summary.user, inc.count, inc.first_seen, inc.last_seen, inc.created,
          inc.assignee, inc.resolution, sla.acknowledged_at, Math.round(sla.time_to_acknowledge_ms / 1000), sla.target.acknowledge_minutes, sla.acknowledge_breached, sla.closed_at,
          Math.round(sla.time_open_ms / 1000), sla.target.resolve_minutes, sla.resolve_breached]));
      }
      return reply.send(out.join(''));
    },
  );

  // ---- rules: per-agency enablement, exceptions, test with pasted events

  app.put<{ Params: { id: string }; Body: { disabledFor: string[]; exception?: string | null } }>(
    '/api/rules/:id/settings',
    { config: { access: { roles: EDIT_RULES, scope: 'agency' } }, 
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['disabledFor'],
          properties: { disabledFor: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 64 } }, exception: { type: ['string', 'null'], maxLength: 4096 } },
        },
      },
    },
    async (req, reply) => {
      const rules = await rulesState();
      if (!rules.some((r) => r.rule.id === req.params.id)) return reply.code(404).send({ error: `no loaded rule ${req.params.id}` });
      const known = new Set((await store.listTenants()).map((t) => t.id));
      const unknown = req.body.disabledFor.filter((t) => t !== '*' && !known.has(t));
      if (unknown.length) return reply.code(400).send({ error: `body/disabledFor: no agency ${unknown.map((u) => `"${u}"`).join(', ')}` });
      const exception = req.body.exception?.trim() || null;
      if (exception) {
        try {
          parseQuery(exception);
        } catch (e) {
          return reply.code(400).send({ error: `body/exception: ${(e as Error).message}` });
        }
      }
      const before = (await store.listRuleSettings()).find((s) => s.ruleId === req.params.id) ?? null;
      const merged = mergeScopedSetting(scopeOf(principal(req)), before, { disabledFor: req.body.disabledFor, exception }); // a scoped editor changes only its own agencies
      const setting = { ruleId: req.params.id, ...merged, updated: new Date().toISOString(), by: principal(req).username };
      await store.putRuleSetting(setting);
      await audit(req, 'rule.edit', req.params.id, { before: before && { disabledFor: before.disabledFor, exception: before.exception ?? null }, after: { disabledFor: setting.disabledFor, exception: setting.exception } });
      return settingsInScope(scopeOf(principal(req)), [setting])[0];
    },
  );

  app.post<{ Body: { rule: string; events: string } }>(
    '/api/rules/test',
    { config: { access: { roles: EDIT_RULES, scope: 'agency' } }, bodyLimit: 8 * 1024 * 1024, // pasted events: up to 2 000 000 characters of any script
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['rule', 'events'],
          properties: { rule: { type: 'string', minLength: 1, maxLength: 200_000 }, events: { type: 'string', maxLength: 2_000_000 } },
        },
      },
    },
    async (req, reply) => {
      const { ruleset, report } = loadRulesFromText(req.body.rule, 'pasted rule', ctx.rulesMappingsDir ? { mappingsDir: ctx.rulesMappingsDir } : undefined);
      const failed = report.filter((r) => !r.ok);
      if (failed.length || !ruleset.rules.length) return reply.code(400).send({ error: `rule: ${failed.map((r) => r.error).join('; ') || 'no rule in the text'}`, report });
      const text = req.body.events.trim();
      let events: Record<string, unknown>[];
      try {
        if (text.startsWith('[')) events = JSON.parse(text) as Record<string, unknown>[];
        else
          events = text
            .split(/\r?\n/)
            .map((l, i) => [l.trim(), i + 1] as const)
            .filter(([l]) => l)
            .map(([l, n]) => {
              try {
                return JSON.parse(l) as Record<string, unknown>;
              } catch {
                throw new Error(`events line ${n}: not a JSON object (paste one ECS event per line, or a JSON array)`);
              }
            });
      } catch (e) {
        return reply.code(400).send({ error: (e as Error).message.startsWith('events') ? (e as Error).message : `events: not valid JSON: ${(e as Error).message}` });
      }
      if (!Array.isArray(events) || events.some((e) => !e || typeof e !== 'object' || Array.isArray(e))) return reply.code(400).send({ error: 'events: each event must be a JSON object' });
      const evaluator = createEvaluator(ruleset);
      const results = events.map((ev, i) => {
        const withId = { ...ev, event: { ...((ev.event as object) ?? {}), id: (ev.event as { id?: string } | undefined)?.id ?? `pasted-${i + 1}` } };
        return { index: i, detections: evaluator.evaluate(withId).map((d) => ({ rule: d.rule.id, title: d.rule.title, kind: d.kind, level: d.rule.level, groupBy: d.groupBy })) };
      });
      await audit(req, 'rule.test', ruleset.rules[0].id, { events: events.length, matched: results.filter((r) => r.detections.length).length });
      return { rules: ruleset.rules.map((r) => ({ id: r.id, title: r.title, level: r.level, kind: r.kind })), warnings: report.flatMap((r) => r.warnings), results };
    },
  );

  // ---- dashboards

  app.get<{ Querystring: { range?: string } }>(
    '/api/dashboard',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { querystring: { type: 'object', additionalProperties: false, properties: { range: { type: 'string', enum: Object.keys(RANGES) } } } } },
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
    // the ATT&CK matrix: techniques of enabled rules (tags attack.tNNNN), placed under their tactics, with this scope's alert hits
    const off = new Set(settings.filter((s) => s.disabledFor.includes('*')).map((s) => s.ruleId));
    const hitsByRule = new Map(alerts.byRule.map((r) => [r.ruleId, r.count]));
    const matrix: Record<string, Record<string, { rules: number; hits: number }>> = {};
    for (const { rule } of rules) {
      if (off.has(rule.id) || rule.kind === 'filter') continue;
      const tags = (rule.tags ?? []).map((t) => t.toLowerCase());
      const techniques = tags.filter((t) => /^attack\.t\d{4}(\.\d{3})?$/.test(t)).map((t) => t.slice(7).toUpperCase());
      const tactics = tags.filter((t) => t.startsWith('attack.') && TACTICS.includes(t.slice(7).replace(/-/g, '_'))).map((t) => t.slice(7).replace(/-/g, '_'));
      for (const tactic of tactics.length ? tactics : ['other']) {
        for (const tech of techniques.length ? techniques : ['—']) {
          const cell = ((matrix[tactic] ??= {})[tech] ??= { rules: 0, hits: 0 });
          cell.rules++;
          cell.hits += hitsByRule.get(rule.id) ?? 0;
        }
      }
    }
    return {
      from,
      intervalMs,
      eventsByAgency: byAgency,
      eventsBySource: bySource,
      alerts,
      topSources,
      listeners: scope === null && snap ? { at: snap.at, pending: snap.pending ?? 0, items: snap.listeners } : null,
      attack: can.readRules(p) ? { tactics: [...TACTICS, 'other'].filter((t) => matrix[t]).map((t) => ({ tactic: t, techniques: Object.entries(matrix[t]).map(([id, v]) => ({ id, ...v })).sort((a, b) => b.hits - a.hits || a.id.localeCompare(b.id)) })) } : null,
    };
  };

  // ---- sources

  app.get<{ Querystring: { silent_minutes?: number } }>(
    '/api/sources',
    { config: { access: { roles: ANY_ROLE, scope: 'agency' } }, schema: { querystring: { type: 'object', additionalProperties: false, properties: { silent_minutes: { type: 'integer', minimum: 1, maximum: 10080, default: 15 } } } } },
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

  // ---- the caller's own account: password, TOTP (agencies, tokens and users are in tenantroutes.ts and userroutes.ts)

  // a user changes their own password: the current one is asked for (counted like a login), the other sessions end, this one goes on
  app.post<{ Body: { current: string; password: string } }>(
    '/api/auth/password',
    { config: { access: { roles: ANY_ROLE, scope: 'own', session: true } }, 
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['current', 'password'],
          properties: { current: { type: 'string', minLength: 1, maxLength: 256 }, password: { type: 'string', minLength: 1, maxLength: 256 } },
        },
      },
    },
    async (req, reply) => {
      const p = principal(req);
      const problem = passwordProblem(req.body.password);
      if (problem) return reply.code(400).send({ error: `body/password: ${problem}` });
      const slot = passwordTries.reserve(p.username);
      if (!slot.ok) return reply.code(429).header('Retry-After', String(slot.retryAfter)).send({ error: `too many wrong current passwords; try again in ${Math.ceil(slot.retryAfter / 60)} minutes` });
      const attempt = totpGate.run(p.username, async () => {
        const u = await store.getUser(p.username);
        if (!u || !(await verifyPassword(u.passwordHash, req.body.current))) return false;
        await store.putUser(await endSessions(store, { ...u, passwordHash: await hashPassword(req.body.password) }, p));
        return true;
      });
      if (!attempt) return reply.code(429).header('Retry-After', '60').send({ error: 'too many password changes at once; try again in a minute' });
      if (!(await attempt)) {
        await audit(req, 'password.change.failed', p.username);
        return reply.code(400).send({ error: 'body/current: not your current password' });
      }
      slot.release();
      await access.changed({ username: p.username, why: 'password changed' });
      await audit(req, 'password.change', p.username, { sessions: 'others ended' });
      return { ok: true };
    },
  );

  app.post('/api/auth/totp/setup', { config: { access: { roles: ANY_ROLE, scope: 'own', session: true } } }, async (req, reply) => {
    const p = principal(req);
    if (await totpEnabled(store, p.username)) return reply.code(409).send({ error: 'TOTP is on already; turn it off first to set a new secret' });
    const secret = newTotpSecret();
    await putTotp(store, p.username, { secret, enabled: false }, ctx.secrets);
    await audit(req, 'totp.setup', p.username);
    return { secret, uri: otpauthUri(p.username, secret) };
  });

  app.post<{ Body: { code: string } }>(
    '/api/auth/totp/:op',
    { config: { access: { roles: ANY_ROLE, scope: 'own', session: true } }, 
      schema: {
        params: { type: 'object', properties: { op: { type: 'string', enum: ['enable', 'disable'] } } },
        body: { type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string', pattern: '^[0-9]{6}$' } } },
      },
    },
    async (req, reply) => {
      const p = principal(req);
      const op = (req.params as { op: 'enable' | 'disable' }).op;
      // like a login: the wrong code is counted before it is checked, and one check at a time per user
      const slot = totpTries.reserve(p.username);
      if (!slot.ok) return reply.code(429).header('Retry-After', String(slot.retryAfter)).send({ error: `too many wrong authenticator codes; try again in ${Math.ceil(slot.retryAfter / 60)} minutes` });
      const attempt = totpGate.run(p.username, () => changeTotp(p.username, op, req.body.code));
      if (!attempt) return reply.code(429).header('Retry-After', '60').send({ error: 'too many authenticator codes at once; try again in a minute' });
      const r = await attempt;
      if (r.ok || r.status === 409) slot.release();
      if (!r.ok) {
        if (r.status === 400) await audit(req, `totp.${op}.failed`, p.username);
        return reply.code(r.status).send({ error: r.error });
      }
      if (op === 'disable') {
        // without the second factor, sessions made elsewhere with it end; this one goes on
        const u = await store.getUser(p.username);
        if (u) await store.putUser(await endSessions(store, u, p));
        await access.changed({ username: p.username, why: 'totp disabled' });
      }
      await audit(req, `totp.${op}`, p.username);
      return { totp: op === 'enable' };
    },
  );

  // the same check as `canhgac audit verify`: every entry's hash follows from the one before it
  app.get('/api/audit/verify', { config: { access: { roles: READ_AUDIT, scope: 'province' } } }, async (req, reply) => {
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
      schema: {
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
          const page = await store.listAudit({ afterSeq: after, limit: 5000 });
          if (!page.length) break;
          let chunk = '';
          for (const e of page) {
            if (!auditVisible(e, scope)) continue; // an agency auditor exports only its agencies' entries
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
}
