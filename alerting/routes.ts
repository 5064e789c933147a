/**
 * Routes: which incidents reach whom, on which channel, and when.
 *
 * A route matches an incident by agency, minimum severity and rule tag, and names channels
 * and recipients. It may throttle (at most N openings per window), hold low severities during
 * quiet hours, escalate to a second list when nobody acknowledged within N minutes, and ask
 * for a daily digest. One message per incident opening: repeats only raise the count.
 *
 * Config comes from YAML (validated here at start) and from the environment quick setup
 * (CANHGAC_SMTP_URL, CANHGAC_ALERT_EMAIL_*, CANHGAC_ZALO_*, CANHGAC_CONSOLE_URL), which gives
 * a route named "default" for every incident of severity medium or above.
 */
import cron from 'node-cron';
import { z } from 'zod';
import { type Incident, OPEN_STATUSES, SEVERITIES, type Severity, severityRank } from '../core/model';
import type { Store } from '../core/store/store';
import { type Logger, silentLogger } from './channels/channel';
import { emailConfigSchema } from './channels/email';
import { webhookConfigSchema } from './channels/webhook';
import { zaloConfigSchema } from './channels/zalo';
import { forwardConfigSchema } from './channels/syslog-config';
import { type Language, LANGUAGES, VN_TIME_ZONE, renderIncident, renderIncidentText } from './messages';
import type { NewNotification, Outbox } from './outbox';

const severitySchema = z.enum(SEVERITIES as [Severity, ...Severity[]]);
const languageSchema = z.enum(LANGUAGES as [Language, ...Language[]]);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (24-hour), e.g. "22:00"');
const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a known time zone (e.g. Asia/Ho_Chi_Minh)' },
);

export const CHANNEL_KINDS = ['email', 'zalo', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const recipientsSchema = z.object({
  channel: z.enum(CHANNEL_KINDS),
  /** Email addresses, Zalo user ids (per OA), or webhook target names. */
  to: z.array(z.string().trim().min(1)).min(1, 'needs at least one recipient'),
});
export type Recipients = z.infer<typeof recipientsSchema>;

export const routeSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'may use letters, digits, ".", "_" and "-" only'),
  /** Agency (tenant) ids; empty means every agency. */
  agencies: z.array(z.string().min(1)).default([]),
  min_severity: severitySchema.default('medium'),
  /** Rule tags, any of which matches (case-insensitive, e.g. attack.credential_access); empty means any rule. */
  tags: z.array(z.string().min(1)).default([]),
  notify: z.array(recipientsSchema).min(1, 'needs at least one channel with recipients'),
  throttle: z
    .object({
      max: z.number().int().positive(),
      per_minutes: z.number().int().positive(),
    })
    .optional(),
  quiet_hours: z
    .object({
      from: hhmm,
      to: hhmm,
      /** Severities below this wait until the quiet hours end. */
      hold_below: severitySchema.default('high'),
      time_zone: timeZone.default(VN_TIME_ZONE),
    })
    .optional(),
  escalation: z
    .object({
      after_minutes: z.number().int().positive(),
      notify: z.array(recipientsSchema).min(1, 'needs at least one channel with recipients'),
    })
    .optional(),
  /** An open incident whose severity rises to this or above pages once more (once per severity); `off` never. */
  page_on_raise: z.union([severitySchema, z.literal('off')]).default('critical'),
  /** Throttle per incident: a raise within this many minutes of the incident's opening waits until then, so an attack pages once while it unfolds. */
  raise_hold_minutes: z.number().int().min(0).max(24 * 60).default(10),
  /** Send this route's recipients a daily digest for its agencies. */
  digest: z.boolean().default(false),
  language: languageSchema.optional(),
});
export type Route = z.infer<typeof routeSchema>;

export const channelsConfigSchema = z.object({
  email: emailConfigSchema.optional(),
  zalo: zaloConfigSchema.optional(),
  webhooks: webhookConfigSchema.optional(),
});
export type ChannelsConfig = z.infer<typeof channelsConfigSchema>;

export const digestConfigSchema = z.object({
  /** node-cron expression, evaluated in `timeZone`. */
  schedule: z
    .string()
    .refine((expr) => cron.validate(expr), { message: 'is not a cron expression (e.g. "0 7 * * *" for 07:00 every day)' })
    .default('0 7 * * *'),
  time_zone: timeZone.default(VN_TIME_ZONE),
  /** Also send a digest for a day without incidents. */
  send_empty: z.boolean().default(false),
});

export const routesConfigSchema = z
  .object({
    language: languageSchema.default('vi'),
    console_url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    channels: channelsConfigSchema.default({}),
    routes: z.array(routeSchema).default([]),
    /** Other SIEMs that get alerts and incident changes as syslog (CEF or JSON): alerting/channels/syslog-config.ts. */
    forward: forwardConfigSchema.default([]),
    digest: digestConfigSchema.default({ schedule: '0 7 * * *', time_zone: VN_TIME_ZONE, send_empty: false }),
  })
  // run even when other alerting settings are invalid, so a bad reference is reported with them
  .superRefine((cfg, ctx) => referenceIssues(cfg).forEach((i) => ctx.addIssue({ code: 'custom', ...i })), { when: () => true });

const mappingOf = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Routes naming a channel or webhook target that is not configured, bad email addresses and
 * duplicate route names. Reads the section as parsed so far, which may hold invalid values.
 */
export function referenceIssues(section: unknown): { path: (string | number)[]; message: string }[] {
  const cfg = mappingOf(section);
  if (!cfg) return [];
  const out: { path: (string | number)[]; message: string }[] = [];
  const channels = cfg.channels === undefined ? {} : mappingOf(cfg.channels); // not a mapping: the schema reports it, references are not judged
  const webhooks = mappingOf(channels?.webhooks);
  const seen = new Set<string>();
  arrayOf(cfg.routes).forEach((value, i) => {
    const route = mappingOf(value);
    if (!route) return;
    if (typeof route.name === 'string') {
      if (seen.has(route.name)) out.push({ path: ['routes', i, 'name'], message: `"${route.name}" is used by two routes` });
      seen.add(route.name);
    }
    const lists: [(string | number)[], unknown][] = [[['notify'], route.notify], [['escalation', 'notify'], mappingOf(route.escalation)?.notify]];
    for (const [where, list] of lists) arrayOf(list).forEach((r, j) => channels && out.push(...recipientIssues(mappingOf(r), channels, webhooks, ['routes', i, ...where, j])));
  });
  return out;
}

function recipientIssues(r: Record<string, unknown> | null, channels: Record<string, unknown>, webhooks: Record<string, unknown> | null, path: (string | number)[]): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const to = arrayOf(r?.to);
  if (r?.channel === 'email' && !channels.email) out.push({ path: [...path, 'channel'], message: 'email is not configured (set channels.email or CANHGAC_SMTP_URL)' });
  if (r?.channel === 'zalo' && !channels.zalo) out.push({ path: [...path, 'channel'], message: 'zalo is not configured (set channels.zalo or CANHGAC_ZALO_*)' });
  to.forEach((target, k) => {
    if (typeof target !== 'string') return;
    if (r?.channel === 'webhook' && !webhooks?.[target.trim()]) out.push({ path: [...path, 'to', k], message: `webhook target "${target}" is not defined under channels.webhooks` });
    if (r?.channel === 'email' && !/^[^\s@<>]+@[^\s@<>]+$/.test(target.trim())) out.push({ path: [...path, 'to', k], message: `"${target}" is not an email address` });
  });
  return out;
}

export type RoutesConfig = z.infer<typeof routesConfigSchema>;
export type RoutesConfigInput = z.input<typeof routesConfigSchema>;

export class RoutesConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoutesConfigError';
  }
}

function formatPath(prefix: string, path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${String(p)}`), prefix);
}

/** Validates the alerting section; the error lists every problem with its path, e.g. `alerting.routes[0].min_severity`. */
export function parseRoutesConfig(input: unknown, where = 'alerting'): RoutesConfig {
  const r = routesConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${formatPath(where, i.path)}: ${i.message}`);
  throw new RoutesConfigError(`invalid alerting config:\n  ${lines.join('\n  ')}`);
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The quick setup from environment variables, as config input (not yet validated), or null
 * when none is set. A half-done setup is an error naming the missing variable.
 */
export function routesConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RoutesConfigInput | null {
  const cfg: RoutesConfigInput & { channels: Record<string, unknown> } = { channels: {} };
  const notify: Recipients[] = [];
  // an empty value is taken as unset, except where a value is required: then the error says it is empty
  const missing = (name: string, because: string) =>
    new RoutesConfigError(env[name] !== undefined ? `${name} is set but empty; it is required when ${because} is set` : `${name} is required when ${because} is set`);

  const smtpUrl = env.CANHGAC_SMTP_URL?.trim();
  const emailTo = list(env.CANHGAC_ALERT_EMAIL_TO);
  if (smtpUrl || env.CANHGAC_ALERT_EMAIL_FROM || emailTo.length) {
    if (!smtpUrl) throw missing('CANHGAC_SMTP_URL', 'CANHGAC_ALERT_EMAIL_FROM or CANHGAC_ALERT_EMAIL_TO');
    if (!env.CANHGAC_ALERT_EMAIL_FROM?.trim()) throw missing('CANHGAC_ALERT_EMAIL_FROM', 'CANHGAC_SMTP_URL');
    cfg.channels.email = { url: smtpUrl, from: env.CANHGAC_ALERT_EMAIL_FROM.trim() };
    if (emailTo.length) notify.push({ channel: 'email', to: emailTo });
  }

  const zaloVars = ['CANHGAC_ZALO_APP_ID', 'CANHGAC_ZALO_SECRET_KEY', 'CANHGAC_ZALO_REFRESH_TOKEN', 'CANHGAC_ZALO_USER_IDS'] as const;
  const zaloSet = zaloVars.filter((v) => env[v]?.trim());
  if (zaloSet.length > 0) {
    for (const v of zaloVars.slice(0, 3)) if (!env[v]?.trim()) throw missing(v, zaloSet.join(', '));
    cfg.channels.zalo = {
      app_id: env.CANHGAC_ZALO_APP_ID!.trim(),
      secret_key: env.CANHGAC_ZALO_SECRET_KEY!.trim(),
      refresh_token: env.CANHGAC_ZALO_REFRESH_TOKEN!.trim(),
      ...(env.CANHGAC_ZALO_API_URL?.trim() ? { api_url: env.CANHGAC_ZALO_API_URL.trim() } : {}),
      ...(env.CANHGAC_ZALO_OAUTH_URL?.trim() ? { oauth_url: env.CANHGAC_ZALO_OAUTH_URL.trim() } : {}),
    };
    const users = list(env.CANHGAC_ZALO_USER_IDS);
    if (users.length) notify.push({ channel: 'zalo', to: users });
  }

  if (env.CANHGAC_CONSOLE_URL?.trim()) cfg.console_url = env.CANHGAC_CONSOLE_URL.trim();
  if (env.CANHGAC_LANGUAGE?.trim()) cfg.language = env.CANHGAC_LANGUAGE.trim() as Language;
  if (notify.length) cfg.routes = [{ name: 'default', min_severity: 'medium', notify }];
  if (Object.keys(cfg.channels).length === 0 && !cfg.console_url && !cfg.routes) return null;
  return cfg;
}

/**
 * The YAML section refined over the environment quick setup: YAML channel settings override
 * the environment's, and a YAML route named "default" replaces the environment default route.
 */
export function loadRoutesConfig(yamlSection: unknown, env: NodeJS.ProcessEnv = process.env, where = 'alerting'): RoutesConfig {
  const fromEnv = routesConfigFromEnv(env) ?? {};
  const yaml = (yamlSection ?? {}) as Record<string, unknown>;
  if (typeof yaml !== 'object' || Array.isArray(yaml)) throw new RoutesConfigError(`${where}: must be a mapping`);
  const yamlRoutes = Array.isArray(yaml.routes) ? (yaml.routes as { name?: unknown }[]) : undefined;
  const envRoutes = (fromEnv.routes ?? []).filter((r) => !yamlRoutes?.some((y) => y?.name === r.name));
  const merged = {
    ...fromEnv,
    ...yaml,
    channels: { ...(fromEnv.channels ?? {}), ...((yaml.channels as object | undefined) ?? {}) },
    routes: [...envRoutes, ...(yamlRoutes ?? [])],
  };
  return parseRoutesConfig(merged, where);
}

// ---------------------------------------------------------------------------------------------

/** Minutes since local midnight and the seconds part, in a time zone. */
function localClock(at: number, tz: string): { minutes: number; seconds: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  return { minutes: Number(parts.hour) * 60 + Number(parts.minute), seconds: Number(parts.second) };
}

const toMinutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/** When the quiet hours that contain `at` end, or null when `at` is outside them. */
export function quietHoursEnd(q: NonNullable<Route['quiet_hours']>, at: number): number | null {
  const from = toMinutes(q.from);
  const to = toMinutes(q.to);
  if (from === to) return null;
  const { minutes, seconds } = localClock(at, q.time_zone);
  const inside = from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
  if (!inside) return null;
  const minutesLeft = (to - minutes + 1440) % 1440;
  const startOfMinute = at - seconds * 1000 - (at % 1000);
  return startOfMinute + minutesLeft * 60_000;
}

export function routeMatches(route: Route, incident: Incident): boolean {
  if (route.agencies.length && !route.agencies.includes(incident.tenant)) return false;
  if (severityRank(incident.severity) < severityRank(route.min_severity)) return false;
  if (route.tags.length) {
    // an incident grouped by entity answers to the tags of every rule that fired in it
    const tags = new Set([...(incident.rule.tags ?? []), ...(incident.rules ?? []).flatMap((r) => r.tags ?? [])].map((t) => t.toLowerCase()));
    if (!route.tags.some((t) => tags.has(t.toLowerCase()))) return false;
  }
  return true;
}

/** Whether a raise of this incident's severity is worth one more message on this route. */
export function raisePages(route: Route, incident: Incident): boolean {
  return route.page_on_raise !== 'off' && severityRank(incident.severity) >= severityRank(route.page_on_raise);
}

export function notificationId(incidentId: string, route: string, channel: string, recipient: string, reason: string): string {
  return `${incidentId}:${route}:${channel}:${recipient}:${reason}`;
}

export interface NotifierOptions {
  store: Pick<Store, 'getTenant' | 'listIncidents'>;
  routes: RoutesConfig;
  outbox: Pick<Outbox, 'enqueue'>;
  /** Base of the links in messages; defaults to routes.consoleUrl, then http://localhost:8080. */
  consoleUrl?: string;
  language?: Language;
  logger?: Logger;
  now?: () => number;
}

export interface Notifier {
  /** Decides and enqueues what an incident change means for responders. Never throws. */
  onIncident(incident: Incident, change: 'created' | 'updated' | 'raised'): Promise<{ queued: number; held: number; throttled: number }>;
  /** Enqueues escalations for incidents still 'new' past their route's limit; returns how many were queued. */
  checkEscalations(now?: Date): Promise<number>;
  /** The routes that match an incident, for the console and for tests. */
  matchRoutes(incident: Incident): Route[];
  /** Enqueues a report-deadline reminder (reports/deadlines.ts) to the recipients of the incident's routes, once per recipient and reason. */
  remindReport(incident: Incident, reason: ReportReminderReason, due: string): Promise<number>;
}

export type ReportReminderReason = `report-${'initial' | 'final'}-${'due_soon' | 'overdue'}`;

export function createNotifier(opts: NotifierOptions): Notifier {
  const { store, routes: cfg, outbox } = opts;
  const logger = opts.logger ?? silentLogger;
  const now = opts.now ?? Date.now;
  const consoleUrl = opts.consoleUrl ?? cfg.console_url ?? 'http://localhost:8080';
  const defaultLanguage = opts.language ?? cfg.language;
  const agencyNames = new Map<string, string | null>();
  /** Ids already handed to the outbox: repeats of a busy incident skip rendering and the store. */
  const known = new Set<string>();
  const KNOWN_MAX = 50_000;
  /** Openings sent per route, for throttling (times in ms). */
  const sentTimes = new Map<string, number[]>();

  function remember(id: string) {
    if (known.size >= KNOWN_MAX) known.delete(known.values().next().value as string);
    known.add(id);
  }

  async function agencyName(tenant: string): Promise<string | null> {
    if (agencyNames.has(tenant)) return agencyNames.get(tenant)!;
    let name: string | null = null;
    try {
      name = (await store.getTenant(tenant))?.name ?? null;
    } catch (err) {
      logger.warn({ tenant, err: String(err) }, 'agency name lookup failed; the id is shown instead');
    }
    agencyNames.set(tenant, name);
    return name;
  }

  function throttled(route: Route, at: number): boolean {
    if (!route.throttle) return false;
    const windowMs = route.throttle.per_minutes * 60_000;
    const times = (sentTimes.get(route.name) ?? []).filter((t) => t > at - windowMs);
    sentTimes.set(route.name, times);
    return times.length >= route.throttle.max;
  }

  function render(incident: Incident, channel: ChannelKind, language: Language, agency: string | null, reason: string, escalationMinutes?: number, reportDue?: string) {
    const o = { language, consoleUrl, agencyName: agency, reason, escalationMinutes, reportDue };
    const m = renderIncident(incident, o);
    if (channel === 'zalo') return { subject: m.subject, body: renderIncidentText(incident, o), payload: null };
    if (channel === 'webhook') return { ...m, payload: { ...incident, link: `${consoleUrl.replace(/\/+$/, '')}/#/incidents/${encodeURIComponent(incident.id)}` } as Record<string, unknown> };
    return { ...m, payload: null };
  }

  /** Enqueues one notification per recipient of `lists`, each (channel, recipient) once. */
  async function enqueueFor(
    incident: Incident,
    route: Route,
    lists: Recipients[],
    reason: 'opened' | 'escalation' | `raised-${Severity}` | ReportReminderReason,
    taken: Set<string>,
    at: number,
    reportDue?: string,
  ): Promise<{ queued: number; held: number; throttled: number }> {
    const language = route.language ?? defaultLanguage;
    let queued = 0;
    let held = 0;
    let throttledCount = 0;
    let checkedThrottle: boolean | null = null;
    const quiet = route.quiet_hours && severityRank(incident.severity) < severityRank(route.quiet_hours.hold_below) ? quietHoursEnd(route.quiet_hours, at) : null;
    const settled = reason.startsWith('raised-') ? Date.parse(incident.created) + route.raise_hold_minutes * 60_000 : 0;
    const quietEnd = settled > at ? Math.max(settled, quiet ?? 0) : quiet;
    for (const { channel, to } of lists) {
      for (const recipient of to) {
        const target = `${channel}:${recipient}`;
        if (taken.has(target)) continue;
        taken.add(target);
        const id = notificationId(incident.id, route.name, channel, recipient, reason);
        if (known.has(id)) continue;
        if (reason === 'opened' && checkedThrottle === null) checkedThrottle = throttled(route, at);
        const agency = await agencyName(incident.tenant);
        const m = render(incident, channel, language, agency, reason, route.escalation?.after_minutes, reportDue);
        const n: NewNotification = {
          id,
          incidentId: incident.id,
          tenant: incident.tenant,
          route: route.name,
          channel,
          recipient,
          reason,
          subject: m.subject,
          body: m.body,
          payload: m.payload,
        };
        if (checkedThrottle) {
          // recorded and visible (and the incident is in the digest) but never sent: the route is over its limit
          n.status = 'failed';
          n.lastError = `not sent (throttled): route "${route.name}" already sent ${route.throttle!.max} in ${route.throttle!.per_minutes} min; the incident is listed in the daily digest`;
        } else if (quietEnd !== null) {
          n.status = 'held';
          n.nextAttemptAt = new Date(quietEnd).toISOString();
        }
        const inserted = await outbox.enqueue(n);
        remember(id);
        if (!inserted) continue;
        if (n.status === 'failed') throttledCount++;
        else if (n.status === 'held') held++;
        else queued++;
      }
    }
    if (reason === 'opened' && queued + held > 0) {
      sentTimes.set(route.name, [...(sentTimes.get(route.name) ?? []), at]);
    }
    return { queued, held, throttled: throttledCount };
  }

  function matchRoutes(incident: Incident): Route[] {
    return cfg.routes.filter((r) => routeMatches(r, incident));
  }

  return {
    matchRoutes,
    async remindReport(incident, reason, due) {
      let queued = 0;
      const taken = new Set<string>();
      for (const route of matchRoutes(incident)) {
        // a deadline does not wait for quiet hours or throttling: the reminder goes now (enqueueFor holds only below hold_below)
        const r = await enqueueFor(incident, route, route.notify, reason, taken, now(), due);
        queued += r.queued + r.held;
      }
      if (queued) logger.info({ incident: incident.id, tenant: incident.tenant, reason, due }, 'report deadline reminder queued');
      return queued;
    },
    async onIncident(incident, change) {
      const total = { queued: 0, held: 0, throttled: 0 };
      try {
        if (!OPEN_STATUSES.includes(incident.status)) return total;
        const at = now();
        const taken = new Set<string>();
        // evaluated on updates too: a route reached by a raised severity sends its first message then;
        // every other repeat maps to ids already queued and is ignored
        for (const route of matchRoutes(incident)) {
          let r = await enqueueFor(incident, route, route.notify, 'opened', taken, at);
          if (change === 'raised' && r.queued + r.held + r.throttled === 0 && raisePages(route, incident)) {
            // already paged for this incident: one more message for the raise, once per severity
            r = await enqueueFor(incident, route, route.notify, `raised-${incident.severity}`, new Set(), at);
          }
          total.queued += r.queued;
          total.held += r.held;
          total.throttled += r.throttled;
        }
        if (total.queued + total.held + total.throttled > 0) {
          logger.info({ incident: incident.id, tenant: incident.tenant, change, ...total }, 'incident notifications queued');
        }
      } catch (err) {
        logger.error({ incident: incident.id, err: String(err) }, 'could not queue incident notifications');
      }
      return total;
    },
    async checkEscalations(nowDate = new Date(now())) {
      const at = nowDate.getTime();
      const withEscalation = cfg.routes.filter((r) => r.escalation);
      if (withEscalation.length === 0) return 0;
      let queued = 0;
      try {
        const { items } = await store.listIncidents({ status: ['new'], tenants: null, limit: 5000 });
        for (const incident of items) {
          const taken = new Set<string>();
          for (const route of withEscalation) {
            if (!routeMatches(route, incident)) continue;
            if (Date.parse(incident.created) + route.escalation!.after_minutes * 60_000 > at) continue;
            const r = await enqueueFor(incident, route, route.escalation!.notify, 'escalation', taken, at);
            queued += r.queued + r.held;
          }
        }
      } catch (err) {
        logger.error({ err: String(err) }, 'escalation check failed');
      }
      return queued;
    },
  };
}
