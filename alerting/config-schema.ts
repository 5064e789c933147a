/**
 * The `alerting:` section of canhgac.yml, declared by alerting and composed into core/config.ts:
 * routes, channels, digest and grouping are typed, so a bad value is reported with every other
 * config error (key, value, what is allowed, file line or variable) before anything starts.
 * The environment quick setup (CANHGAC_SMTP_URL, CANHGAC_ZALO_* ...) is merged in here too, so a
 * route naming a channel that only the environment configures is checked the same way.
 */
import { z } from 'zod';
import { groupingConfigSchema } from './grouping';
import { routesConfigFromEnv, routesConfigSchema, type Route } from './routes';

export const alertingConfigSchema = routesConfigSchema.safeExtend({
  incident_window_minutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
  // which entities group alerts into one incident, per rule or tag
  grouping: groupingConfigSchema.prefault({}),
});
export type AlertingConfig = z.infer<typeof alertingConfigSchema>;

/** The variables the quick setup reads, with the key each one fills (for the generated reference). */
export const ALERTING_ENV: { name: string; sets: string; description: string; secret?: boolean }[] = [
  { name: 'CANHGAC_SMTP_URL', sets: 'alerting.channels.email.url', description: 'quick setup of the email channel: smtp[s]://user:password@host:port', secret: true },
  { name: 'CANHGAC_ALERT_EMAIL_FROM', sets: 'alerting.channels.email.from', description: 'sender address of alert emails (required with CANHGAC_SMTP_URL)' },
  { name: 'CANHGAC_ALERT_EMAIL_TO', sets: 'alerting.routes[] (route "default")', description: 'comma-separated recipients of the default email route (severity medium and above)' },
  { name: 'CANHGAC_ZALO_APP_ID', sets: 'alerting.channels.zalo.app_id', description: 'quick setup of the Zalo channel: the Zalo Official Account app id' },
  { name: 'CANHGAC_ZALO_SECRET_KEY', sets: 'alerting.channels.zalo.secret_key', description: 'the Zalo app secret key', secret: true },
  { name: 'CANHGAC_ZALO_REFRESH_TOKEN', sets: 'alerting.channels.zalo.refresh_token', description: 'the Zalo OAuth refresh token (the channel keeps the rotated one in the store)', secret: true },
  { name: 'CANHGAC_ZALO_USER_IDS', sets: 'alerting.routes[] (route "default")', description: 'comma-separated Zalo user ids of the default Zalo route' },
  { name: 'CANHGAC_ZALO_API_URL', sets: 'alerting.channels.zalo.api_url', description: 'Zalo OpenAPI base URL (tests and proxies)' },
  { name: 'CANHGAC_ZALO_OAUTH_URL', sets: 'alerting.channels.zalo.oauth_url', description: 'Zalo OAuth base URL (tests and proxies)' },
];

const mapping = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

export interface AlertingFromEnv {
  /** The raw section with the quick setup merged in (the file's settings win). */
  section: unknown;
  /** Keys the environment filled, with the variable that did, for error messages. */
  sources: [string, string][];
  /** A setup the environment left half done, naming the missing variable. */
  problems: string[];
  /** Puts the environment's default route first again once validated (it matches before the file's routes, as it always did). */
  order(parsed: AlertingConfig): void;
}

/**
 * Merges the quick setup into the raw section. The environment's default route is appended
 * while validating, so the file's routes keep their indexes (and lines) in error messages.
 */
export function alertingFromEnv(raw: unknown, env: NodeJS.ProcessEnv): AlertingFromEnv {
  const keep: AlertingFromEnv = { section: raw, sources: [], problems: [], order: () => undefined };
  let fromEnv: ReturnType<typeof routesConfigFromEnv>;
  try {
    fromEnv = routesConfigFromEnv(env);
  } catch (e) {
    return { ...keep, problems: [(e as Error).message] };
  }
  const yaml = mapping(raw);
  if (!fromEnv || (raw !== undefined && !yaml)) return keep; // a section that is not a mapping is the schema's to report
  const section: Record<string, unknown> = { ...(yaml ?? {}) };
  const sources: [string, string][] = [];
  const yamlChannels = mapping(yaml?.channels) ?? {};
  const envChannels = (fromEnv.channels ?? {}) as Record<string, unknown>;
  if (Object.keys(envChannels).length && (yaml?.channels === undefined || mapping(yaml.channels))) {
    section.channels = { ...envChannels, ...yamlChannels };
    if (envChannels.email && !yamlChannels.email) sources.push(['alerting.channels.email', 'CANHGAC_SMTP_URL']);
    if (envChannels.zalo && !yamlChannels.zalo) sources.push(['alerting.channels.zalo', 'CANHGAC_ZALO_APP_ID']);
  }
  const yamlRoutes = Array.isArray(yaml?.routes) ? (yaml.routes as unknown[]) : undefined;
  const envRoutes = (fromEnv.routes ?? []).filter((r) => !yamlRoutes?.some((y) => mapping(y)?.name === r.name));
  if (envRoutes.length && (yaml?.routes === undefined || yamlRoutes)) {
    const at = yamlRoutes?.length ?? 0;
    section.routes = [...(yamlRoutes ?? []), ...envRoutes];
    envRoutes.forEach((r, i) => sources.push([`alerting.routes.${at + i}`, r.notify.map((n) => (n.channel === 'email' ? 'CANHGAC_ALERT_EMAIL_TO' : 'CANHGAC_ZALO_USER_IDS')).join(', ')]));
  }
  const names = new Set(envRoutes.map((r) => r.name));
  const order = (parsed: AlertingConfig) => {
    const first: Route[] = parsed.routes.filter((r) => names.has(r.name));
    parsed.routes = [...first, ...parsed.routes.filter((r) => !names.has(r.name))];
  };
  return { section, sources, problems: [], order };
}
