/**
 * Rules (a fastify plugin): the loaded rule set with hits and per-agency settings, changing
 * a rule's settings within the caller's agencies, and testing a rule on pasted events.
 */
import { answers, ref, RULE_TEST, RULES_STATE } from './schemas';
import type { FastifyPluginAsync } from 'fastify';
import { parseQuery } from '../../core/query';
import { TOPICS, type SettingsNotice } from '../../core/bus/bus';
import { createEvaluator, loadRulesFromText } from '../../correlator/sigma';
import { EDIT_RULES, SOC } from './routeaccess';
import { scopeOf } from './auth';
import { mergeScopedSetting, settingsInScope, statusInScope, usersInScope, type RuleStatus } from './rulescope';
import { principal, type RouteContext, type RuleStatusState } from './routekit';

export const ruleRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, audit, bus, logger } = ctx;
  const rulesState = async (): Promise<RuleStatusState[]> => {
    const raw = await store.getState('correlator.rules');
    return raw ? ((JSON.parse(raw) as { rules?: RuleStatusState[] }).rules ?? []) : [];
  };

  app.get('/api/rules', { config: { access: { roles: SOC, scope: 'agency' } }, schema: { response: answers(RULES_STATE) } }, async (req) => {
    const scope = scopeOf(req.principal!);
    const raw = await store.getState('correlator.rules');
    const state = raw ? (JSON.parse(raw) as { rules?: RuleStatus[] }) : { rules: [], report: [] };
    const rules = state.rules ?? [];
    // a scoped caller: hits from its own alerts, and only its own agencies in each rule's settings
    const byRule = scope === null ? [] : (await store.alertStats({ tenants: scope, intervalMs: 86400e3, topRules: Math.max(1, rules.length) })).byRule;
    return { ...state, rules: statusInScope(scope, rules, byRule), settings: settingsInScope(scope, await store.listRuleSettings(), usersInScope(scope, await store.listUsers())) };
  });

  // ---- rules: per-agency enablement, exceptions, test with pasted events

  app.put<{ Params: { id: string }; Body: { disabledFor: string[]; exception?: string | null } }>(
    '/api/rules/:id/settings',
    { config: { access: { roles: EDIT_RULES, scope: 'agency' } }, 
      schema: { response: answers(ref('RuleSetting')),
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
      // running correlators apply it now (TOPICS.settings); the store keeps it for the next start
      await bus.publish<SettingsNotice>(TOPICS.settings, [{ key: setting.ruleId, value: { type: 'rule_setting', setting } }]).catch((e: Error) => logger.warn({ rule: setting.ruleId, err: e.message }, 'rule setting saved but not announced; correlators apply it within a minute'));
      await audit(req, 'rule.edit', req.params.id, { before: before && { disabledFor: before.disabledFor, exception: before.exception ?? null }, after: { disabledFor: setting.disabledFor, exception: setting.exception } });
      return settingsInScope(scopeOf(principal(req)), [setting], (u) => u === principal(req).username)[0];
    },
  );

  app.post<{ Body: { rule: string; events: string } }>(
    '/api/rules/test',
    { config: { access: { roles: EDIT_RULES, scope: 'agency' } }, bodyLimit: 8 * 1024 * 1024, // pasted events: up to 2 000 000 characters of any script
      schema: { response: answers(RULE_TEST),
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
};
