/**
 * The alerting component assembled from config: channels, outbox worker, notifier (routes,
 * throttle, quiet hours, escalation) and the daily digest. The pipeline calls `onIncident`
 * after each incident is saved; everything else runs on its own timers.
 */
import type { Alert, Incident } from '../core/model';
import type { Store } from '../core/store/store';
import { type Channel, type Logger, silentLogger } from './channels/channel';
import { createEmailChannel } from './channels/email';
import { createSyslogChannel } from './channels/syslog';
import { type Forwarder, createForwarder } from './channels/syslog-forward';
import { createWebhookChannel } from './channels/webhook';
import { type ZaloChannel, createZaloChannel } from './channels/zalo';
import { type Digest, createDigest } from './digest';
import type { Language } from './messages';
import { type Outbox, type OutboxOptions, createOutbox } from './outbox';
import { createReportReminders, type ReportReminders } from './report-reminders';
import { DEFAULT_REPORTING, type ReportingSettings } from '../reports/deadlines';
import { type ChannelsConfig, type Notifier, type RoutesConfig, createNotifier, loadRoutesConfig } from './routes';

export type { Channel, SendResult, Logger } from './channels/channel';
export type { RoutesConfig, RoutesConfigInput, Route, Notifier } from './routes';
export { routesConfigSchema, parseRoutesConfig, loadRoutesConfig, routesConfigFromEnv, RoutesConfigError } from './routes';
export type { Outbox } from './outbox';
export type { Digest } from './digest';

/** Builds the configured channels; bad settings fail here with the field named. */
export function createChannels(cfg: ChannelsConfig, opts: { store: Pick<Store, 'getState' | 'putState'>; logger?: Logger; where?: string }): Channel[] {
  const where = opts.where ?? 'alerting.channels';
  const out: Channel[] = [];
  if (cfg.email) out.push(createEmailChannel(cfg.email, { logger: opts.logger, where: `${where}.email` }));
  if (cfg.zalo) out.push(createZaloChannel(cfg.zalo, { store: opts.store, logger: opts.logger, where: `${where}.zalo` }));
  if (cfg.webhooks && Object.keys(cfg.webhooks).length) out.push(createWebhookChannel(cfg.webhooks, { logger: opts.logger }));
  return out;
}

export interface AlertingOptions {
  store: Store;
  /** The `alerting:` section of the YAML config (already parsed YAML, not validated). */
  config?: unknown;
  /** Source of the quick-setup variables; process.env by default. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Overrides the consoleUrl of the config (e.g. from the console's own listen address). */
  consoleUrl?: string;
  language?: Language;
  /** How often unacknowledged incidents are checked for escalation. */
  escalationCheckMs?: number;
  /** How often the Zalo token is checked (refreshed when near expiry, even when idle). */
  zaloMaintainMs?: number;
  outbox?: Omit<OutboxOptions, 'store' | 'channels' | 'logger'>;
  /** Channels to use instead of the configured ones (tests, or an extra channel). */
  channels?: Channel[];
  /** Report deadlines to remind responders of (the `reporting:` section); default DEFAULT_REPORTING, checked every 5 minutes. */
  reporting?: { settings: ReportingSettings; checkMs: number };
}

export interface Alerting {
  readonly config: RoutesConfig;
  readonly channels: Channel[];
  readonly outbox: Outbox;
  readonly notifier: Notifier;
  readonly digest: Digest;
  readonly reportReminders: ReportReminders;
  readonly forwarder: Forwarder;
  /** Call after an incident was created or updated in the store, with the alert folded into it (forwarded to other SIEMs). Never throws. */
  onIncident(incident: Incident, change: 'created' | 'updated' | 'raised', alert?: Alert): Promise<{ queued: number; held: number; throttled: number }>;
  /** Starts the outbox worker (resuming what a previous run left), the escalation check and the digest schedule. */
  start(): Promise<void>;
  /** Stops timers, waits for sends in flight, closes channels. */
  stop(): Promise<void>;
}

export function createAlerting(opts: AlertingOptions): Alerting {
  const logger = opts.logger ?? silentLogger;
  const config = loadRoutesConfig(opts.config, opts.env ?? process.env);
  const consoleUrl = opts.consoleUrl ?? config.console_url;
  const channels = [...(opts.channels ?? createChannels(config.channels, { store: opts.store, logger }))];
  if (config.forward.length && !channels.some((c) => c.name === 'syslog')) channels.push(createSyslogChannel(config.forward, { logger, maxAttempts: opts.outbox?.maxAttempts }));
  const outbox = createOutbox({ ...(opts.outbox ?? {}), store: opts.store, channels, logger });
  const notifier = createNotifier({ store: opts.store, routes: config, outbox, consoleUrl, language: opts.language, logger });
  const forwarder = createForwarder({ destinations: config.forward, outbox, store: opts.store, logger });
  const digest = createDigest({ store: opts.store, routes: config, outbox, consoleUrl, language: opts.language, logger });
  const reportReminders = createReportReminders({ store: opts.store, notifier, settings: opts.reporting?.settings ?? DEFAULT_REPORTING, logger });
  let escalationTimer: NodeJS.Timeout | null = null;
  let tokenTimer: NodeJS.Timeout | null = null;
  const zalo = channels.find((c): c is ZaloChannel => c.name === 'zalo' && typeof (c as Partial<ZaloChannel>).maintain === 'function');

  return {
    config,
    channels,
    outbox,
    notifier,
    digest,
    reportReminders,
    forwarder,
    async onIncident(incident, change, alert) {
      await forwarder.onIncident(incident, change, alert);
      return notifier.onIncident(incident, change);
    },
    async start() {
      if (zalo && !tokenTimer) {
        // at start so a refused refresh token shows in the log now, not at the first incident
        void zalo.maintain();
        tokenTimer = setInterval(() => void zalo.maintain(), opts.zaloMaintainMs ?? 3600_000);
        tokenTimer.unref();
      }
      await outbox.start();
      digest.start();
      if (config.routes.length) {
        void reportReminders.check();
        reportReminders.start(opts.reporting?.checkMs ?? 5 * 60_000);
      }
      if (config.routes.some((r) => r.escalation) && !escalationTimer) {
        escalationTimer = setInterval(() => void notifier.checkEscalations(new Date()), opts.escalationCheckMs ?? 60_000);
        escalationTimer.unref();
      }
      logger.info(
        { channels: channels.map((c) => c.name), routes: config.routes.map((r) => r.name), forward: config.forward.map((d) => `${d.name} (${d.url})`) },
        config.routes.length ? 'alerting started' : 'alerting started without routes: no incident will be notified (set CANHGAC_ALERT_EMAIL_TO or CANHGAC_ZALO_USER_IDS, or alerting.routes)',
      );
    },
    async stop() {
      reportReminders.stop();
      if (escalationTimer) clearInterval(escalationTimer);
      escalationTimer = null;
      if (tokenTimer) clearInterval(tokenTimer);
      tokenTimer = null;
      await digest.stop();
      await outbox.stop();
      for (const c of channels) await c.close?.();
    },
  };
}
