/**
 * Grouping by entity: the alerts of one attack share what it is about (the attacking address,
 * the targeted user, the affected host, the malware name), whatever rule saw them. An alert is
 * looked up by its strongest entity — the first of the configured keys it has a value for — and
 * joins the open incident of its agency that already holds that entity within the window.
 *
 * Config (`alerting.grouping`): `keys` in order of strength, `window_minutes`, and overrides per
 * rule id or per tag (`rules: {<id>: {keys, window_minutes}}`, `tags: {attack.discovery: …}`).
 * `keys: []` groups that rule as before: by its own rule and group-by values only.
 */
import { z } from 'zod';
import type { Alert, EntityKind, Incident, IncidentRule } from '../core/model';
import { ENTITY_KINDS, severityRank } from '../core/model';

const kindSchema = z.enum(ENTITY_KINDS as [EntityKind, ...EntityKind[]]);
const overrideSchema = z.object({ keys: z.array(kindSchema).optional(), window_minutes: z.number().int().min(1).max(7 * 24 * 60).optional() }).strict();

export const groupingConfigSchema = z
  .object({
    keys: z.array(kindSchema).default(ENTITY_KINDS),
    window_minutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
    rules: z.record(z.string(), overrideSchema).default({}),
    tags: z.record(z.string(), overrideSchema).default({}),
  })
  .strict();
export type GroupingConfig = z.infer<typeof groupingConfigSchema>;

/** Validates `alerting.grouping`; the error names the key, e.g. `alerting.grouping.rules.x.keys[0]`. */
export function parseGroupingConfig(input: unknown, defaultWindowMinutes: number, where = 'alerting.grouping'): GroupingConfig & { window_minutes: number } {
  const r = groupingConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${where}${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${i.message}`);
    throw new Error(`invalid grouping config:\n  ${lines.join('\n  ')}`);
  }
  return { ...r.data, window_minutes: r.data.window_minutes ?? defaultWindowMinutes };
}

/** The keys and window that apply to an alert: its rule's override, else its first tag's, else the defaults. */
export function groupingFor(cfg: GroupingConfig & { window_minutes: number }, alert: Alert): { keys: EntityKind[]; windowMinutes: number } {
  const tags = (alert.rule.tags ?? []).map((t) => t.toLowerCase());
  const byTag = Object.entries(cfg.tags).find(([t]) => tags.includes(t.toLowerCase()))?.[1];
  const o = cfg.rules[alert.rule.id] ?? byTag ?? {};
  return { keys: o.keys ?? cfg.keys, windowMinutes: o.window_minutes ?? cfg.window_minutes };
}

export const entityKey = (kind: EntityKind, value: string): string => `${kind}=${value}`;

/** The entities an alert names. */
export function entitiesOf(alert: Alert): Partial<Record<EntityKind, string>> {
  const s = alert.summary ?? {};
  const out: Partial<Record<EntityKind, string>> = {};
  for (const kind of ENTITY_KINDS) if (s[kind]) out[kind] = s[kind];
  return out;
}

/** What the alert is looked up by: its strongest entity among `keys`, or null (then it groups by rule). */
export function lookupKey(alert: Alert, keys: EntityKind[]): string | null {
  const e = entitiesOf(alert);
  const kind = keys.find((k) => e[k]);
  return kind ? entityKey(kind, e[kind]!) : null;
}

/** ATT&CK enterprise tactics in kill-chain order. */
export const TACTICS = [
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation', 'defense-evasion',
  'credential-access', 'discovery', 'lateral-movement', 'collection', 'command-and-control', 'exfiltration', 'impact',
];

export function tacticsOf(tags: string[]): string[] {
  const found = new Set(tags.map((t) => t.toLowerCase().replace(/^attack\./, '').replace(/_/g, '-')));
  return TACTICS.filter((t) => found.has(t));
}

const MAX_RULES = 100;
const MAX_VALUES = 50; // per entity kind shown
const MAX_KEYS = 200;

/** The incident's view of its rules, entities and tactics after one more alert (a new object; `inc` is not changed). */
export function foldEntities(inc: Pick<Incident, 'rules' | 'entities' | 'entityKeys' | 'tactics'>, alert: Alert): Required<Pick<Incident, 'rules' | 'entities' | 'entityKeys' | 'tactics'>> {
  const at = alert['@timestamp'];
  const rules: IncidentRule[] = (inc.rules ?? []).map((r) => ({ ...r }));
  const known = rules.find((r) => r.id === alert.rule.id);
  if (known) {
    known.count++;
    if (at < known.first_seen) known.first_seen = at;
    if (at > known.last_seen) known.last_seen = at;
    if (severityRank(alert.severity) > severityRank(known.severity)) known.severity = alert.severity;
  } else if (rules.length < MAX_RULES) {
    rules.push({ id: alert.rule.id, title: alert.rule.title, severity: alert.severity, tags: alert.rule.tags ?? [], count: 1, first_seen: at, last_seen: at });
  }
  const entities: Partial<Record<EntityKind, string[]>> = {};
  for (const [k, v] of Object.entries(inc.entities ?? {})) entities[k as EntityKind] = [...(v ?? [])];
  const keys = new Set(inc.entityKeys ?? []);
  for (const [kind, value] of Object.entries(entitiesOf(alert)) as [EntityKind, string][]) {
    const list = (entities[kind] ??= []);
    if (!list.includes(value) && list.length < MAX_VALUES) list.push(value);
    if (keys.size < MAX_KEYS) keys.add(entityKey(kind, value));
  }
  return { rules, entities, entityKeys: [...keys], tactics: tacticsOf(rules.flatMap((r) => r.tags)) };
}

/** The title of an incident: its most severe rule's (the first of them on a tie). */
export function titleOf(rules: IncidentRule[], fallback: string): string {
  let best: IncidentRule | undefined;
  for (const r of rules) if (!best || severityRank(r.severity) > severityRank(best.severity)) best = r;
  return best?.title ?? fallback;
}
