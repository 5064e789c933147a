/**
 * Rule settings seen and changed within an agency scope. A rule is province-wide, but which
 * agencies it is off for is each agency's business: a scoped reader sees only its own
 * agencies in disabledFor (and '*', off for all), and hit counts from its own alerts, never
 * the province's; a scoped editor turns a rule on or off only for its own agencies, while
 * '*' and the exception query (which applies to every agency) stay with provincial users.
 */
import type { TenantScope } from '../../core/store/store';
import type { RuleSetting } from '../../core/store/store';

export interface RuleStatus {
  rule: { id: string };
  hits: number;
  last_hit: string | null;
}

/** Who changed a setting is named to a scoped reader only when that user is of the reader's agencies. */
export const SOMEONE_ELSE = 'a user of another agency or of the province';

export function settingsInScope(scope: TenantScope, settings: RuleSetting[], sees: (username: string) => boolean = () => false): RuleSetting[] {
  if (scope === null) return settings;
  return settings.map((s) => ({ ...s, disabledFor: s.disabledFor.filter((t) => t === '*' || scope.includes(t)), by: sees(s.by) ? s.by : SOMEONE_ELSE }));
}

/** The names of the users a scoped reader may see (all their agencies are the reader's). */
export function usersInScope(scope: TenantScope, users: { username: string; agencies: string[] }[]): (username: string) => boolean {
  const names = new Set(users.filter((u) => scope === null || (u.agencies.length > 0 && u.agencies.every((t) => scope.includes(t)))).map((u) => u.username));
  return (username) => names.has(username);
}

/** Hits and last hit of each rule counted from the scope's own alerts (byRule of alertStats). */
export function statusInScope<T extends RuleStatus>(scope: TenantScope, rules: T[], byRule: { ruleId: string; count: number; last: string }[]): T[] {
  if (scope === null) return rules;
  const mine = new Map(byRule.map((r) => [r.ruleId, r]));
  return rules.map((r) => ({ ...r, hits: mine.get(r.rule.id)?.count ?? 0, last_hit: mine.get(r.rule.id)?.last ?? null }));
}

export class RuleScopeError extends Error {
  readonly status = 403;
}

/** The setting a scoped editor's change makes: other agencies' entries kept, its own as asked; '*' and the exception are refused. */
export function mergeScopedSetting(scope: TenantScope, before: RuleSetting | null, wanted: { disabledFor: string[]; exception: string | null }): { disabledFor: string[]; exception: string | null } {
  if (scope === null) return { disabledFor: [...new Set(wanted.disabledFor)].sort(), exception: wanted.exception };
  const old = before?.disabledFor ?? [];
  const beyond = wanted.disabledFor.filter((t) => !scope.includes(t) && !(t === '*' && old.includes('*')));
  if (beyond.length) throw new RuleScopeError(`body/disabledFor: you may turn the rule off only for your agencies (${scope.join(', ')}), not for ${beyond.map((t) => `"${t}"`).join(', ')}`);
  if ((wanted.exception ?? null) !== (before?.exception ?? null)) throw new RuleScopeError('body/exception: an exception applies to every agency; only a provincial user may change it');
  const kept = old.filter((t) => !scope.includes(t)); // includes '*' when it was set
  return { disabledFor: [...new Set([...kept, ...wanted.disabledFor.filter((t) => scope.includes(t))])].sort(), exception: before?.exception ?? null };
}
