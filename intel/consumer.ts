/**
 * The intel consumer: its own group ('intel') on the `events` topic checks every event against
 * the loaded indicators and publishes an alert on `alerts` for each event that matches. It
 * reloads the indicators when an import changed them (the store's intel.version), and hunts
 * the stored history for the indicators added or updated since its last hunt.
 */
import type { Bus, BusMessage, Subscription } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import { isRecordDecodeError } from '../core/bus/errors';
import type { Logger } from '../core/log';
import type { Store } from '../core/store/store';
import { intelAlert, type IntelAlert } from './alert';
import { retroHunt } from './hunt';
import { createEnricher } from './enricher';
import { startFeeds, type FeedWatcher } from './feeds';
import { INTEL_VERSION_KEY } from './importer';
import { Matcher } from './matcher';

export const INTEL_GROUP = 'intel';
export const HUNTED_KEY = 'intel.hunted_until'; // the newest indicator update already hunted for

export interface IntelConsumerOptions {
  bus: Bus;
  store: Store;
  logger: Logger;
  /** How often the store is asked whether indicators changed; default 5 000 ms. */
  reloadMs?: number;
  /** How far back a new indicator is hunted for; default 30 days. */
  lookbackDays?: number;
  /** Indicators hunted per reload; the rest wait for the next one. Default 2 000. */
  huntBatch?: number;
  /** How often matches are written into the stored events (threat.enrichments); default 1 000 ms. */
  enrichMs?: number;
  /** The feed folder scanned every intervalMs (intel.feeds_dir, intel.feeds_interval_s); none: no folder is watched. */
  feeds?: { dir: string; intervalMs: number };
}

export interface IntelConsumer {
  readonly matcher: () => Matcher;
  readonly counts: { events: number; matched: number; alerts: number; retrospective: number };
  /** Matched events whose stored copy carries threat.enrichments, those waiting for the indexer, and those given up. */
  readonly enrichment: { enriched: number; waiting: number; givenUp: number };
  /** Writes the enrichments waiting now; resolves when done. */
  enrich(): Promise<void>;
  /** Reloads now if indicators changed, and hunts for new ones; resolves when done. */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

export function createIntelConsumer(opts: IntelConsumerOptions): IntelConsumer & { start(): Promise<void> } {
  const log = opts.logger.child({ component: 'intel' });
  let matcher = new Matcher();
  let version: string | null | undefined;
  let sub: Subscription | null = null;
  let timer: NodeJS.Timeout | null = null;
  let refreshing: Promise<void> | null = null;
  let feeds: FeedWatcher | null = null;
  let enrichTimer: NodeJS.Timeout | null = null;
  const enricher = createEnricher({ store: opts.store, logger: opts.logger });
  const counts = { events: 0, matched: 0, alerts: 0, retrospective: 0 };

  const publish = (alerts: IntelAlert[]) => opts.bus.publish(TOPICS.alerts, alerts.map((a) => ({ key: `${a.tenant}/${a.rule.id}/${a.groupKey}`, value: a })));

  async function handle(batch: BusMessage<Record<string, unknown>>[]): Promise<void> {
    const alerts: IntelAlert[] = [];
    const now = Date.now();
    for (const m of batch) {
      const ev = m.value;
      // what did not decode or parse is the indexer's to keep as a dead letter; here it is passed over
      if (!ev || typeof ev !== 'object' || isRecordDecodeError(ev) || (ev.event as { kind?: unknown } | undefined)?.kind === 'pipeline_error') continue;
      counts.events++;
      const tenant = (ev.organization as { id?: unknown } | undefined)?.id;
      const matches = matcher.match(ev, typeof tenant === 'string' ? tenant : 'default', now);
      if (!matches.length) continue;
      counts.matched++;
      alerts.push(intelAlert(ev, typeof tenant === 'string' ? tenant : 'default', matches, { retrospective: false }));
    }
    if (!alerts.length) return;
    await publish(alerts);
    counts.alerts += alerts.length;
    enricher.add(alerts);
  }

  async function reload(): Promise<void> {
    const v = await opts.store.getState(INTEL_VERSION_KEY);
    if (v === version) return;
    const started = Date.now();
    const loaded = await opts.store.loadIndicators(new Date().toISOString());
    matcher = new Matcher(loaded);
    version = v;
    log.info({ indicators: matcher.size, ms: Date.now() - started }, 'intel: indicators loaded');
    await hunt(loaded);
  }

  async function hunt(loaded: Awaited<ReturnType<Store['loadIndicators']>>): Promise<void> {
    const since = (await opts.store.getState(HUNTED_KEY)) ?? '';
    const fresh = loaded.filter((i) => i.updated > since).sort((a, b) => (a.updated < b.updated ? -1 : a.updated > b.updated ? 1 : 0));
    if (!fresh.length) return;
    const batch = fresh.slice(0, opts.huntBatch ?? 2000);
    const report = await retroHunt(opts.store, batch, { lookbackDays: opts.lookbackDays ?? 30 });
    if (report.alerts.length) await publish(report.alerts);
    enricher.add(report.alerts);
    counts.retrospective += report.alerts.length;
    await opts.store.putState(HUNTED_KEY, batch[batch.length - 1].updated);
    if (batch.length < fresh.length) version = undefined; // the rest at the next refresh
    log.info({ indicators: batch.length, waiting: fresh.length - batch.length, notSearchable: report.notSearchable, events: report.events, alerts: report.alerts.length }, 'intel: retro-hunt done');
  }

  const refresh = (): Promise<void> => {
    refreshing ??= reload()
      .catch((e: Error) => log.warn({ err: e.message }, 'intel: could not reload indicators; matching goes on with the ones loaded'))
      .finally(() => (refreshing = null));
    return refreshing;
  };

  return {
    matcher: () => matcher,
    counts,
    enrichment: enricher.counts,
    enrich: enricher.flush,
    refresh,
    async start() {
      await refresh();
      sub = await opts.bus.subscribe<Record<string, unknown>>({ topic: TOPICS.events, group: INTEL_GROUP, maxBatch: 500, handler: handle });
      timer = setInterval(() => void refresh(), opts.reloadMs ?? 5000);
      timer.unref();
      enrichTimer = setInterval(() => void enricher.flush(), opts.enrichMs ?? 1000);
      enrichTimer.unref();
      if (opts.feeds) feeds = startFeeds({ ...opts.feeds, store: opts.store, logger: opts.logger, onImported: refresh });
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await feeds?.stop();
      feeds = null;
      if (enrichTimer) clearInterval(enrichTimer);
      enrichTimer = null;
      await refreshing;
      await sub?.close();
      sub = null;
      await enricher.flush(); // what the indexer stored by now; the rest is only in the alerts
      log.info({ ...counts, enrichment: enricher.counts }, 'intel: stopped');
    },
  };
}

export async function startIntel(opts: IntelConsumerOptions): Promise<IntelConsumer> {
  const c = createIntelConsumer(opts);
  await c.start();
  return c;
}
