/**
 * The website monitor: reads the watched sites from the store, checks each on its interval through
 * the bounded scheduler, publishes the events on the bus's events topic (so the correlator and the
 * alerting turn them into incidents like any other) and keeps each site's state in the store.
 */
import { TOPICS, type Bus } from '../core/bus/bus';
import type { Logger } from '../core/log';
import type { Store, WebsiteSite } from '../core/store/store';
import { checkSite, type CheckContext } from './check';
import { createResolver, type DnsResolver } from './dns';
import { createDispatcher } from './fetch';
import { Scheduler } from './scheduler';
import { websiteSettings, type WebsiteSettings } from './settings';
import type { SiteState } from './state';
import { loadVocabulary } from './vocabulary';

export interface WebsiteMonitor {
  readonly scheduler: Scheduler<WebsiteSite>;
  /** Re-reads the sites and starts the due checks now. */
  refresh(): Promise<void>;
  stop(): Promise<void>;
  readonly counters: { checks: number; failedChecks: number; events: number; errors: number };
}

export interface MonitorDeps {
  store: Store;
  bus: Bus;
  logger: Logger;
  settings?: WebsiteSettings;
  resolver?: DnsResolver;
  now?: () => Date;
  /** false: no timers; the caller drives refresh() (tests). */
  timers?: boolean;
}

export async function startWebsiteMonitor(deps: MonitorDeps): Promise<WebsiteMonitor> {
  const settings = deps.settings ?? websiteSettings();
  const log = deps.logger.child({ component: 'website' });
  const dispatcher = createDispatcher({ timeoutMs: settings.timeoutMs, ca: settings.ca });
  const ctx: CheckContext = {
    dispatcher,
    resolver: deps.resolver ?? createResolver({ servers: settings.dnsServers, timeoutMs: settings.timeoutMs }),
    vocabulary: loadVocabulary(settings.vocabularyFile),
    timeoutMs: settings.timeoutMs,
    maxBytes: settings.maxBytes,
    maxRedirects: settings.maxRedirects,
    ca: settings.ca,
    now: deps.now,
  };
  const counters = { checks: 0, failedChecks: 0, events: 0, errors: 0 };
  const scheduler = new Scheduler<WebsiteSite>({
    concurrency: settings.concurrency,
    floorS: settings.minIntervalS,
    now: deps.now ? () => deps.now!().getTime() : undefined,
    run: async (site) => {
      const prev = await deps.store.getWebsiteState(site.id);
      const out = await checkSite(site, (prev?.doc as unknown as SiteState | undefined) ?? null, ctx);
      await deps.bus.publish(TOPICS.events, out.events.map((ev) => ({ key: `${site.tenant}/${new URL(site.url).hostname}`, value: ev })));
      // a site removed while its check ran leaves no state behind
      if (!(await deps.store.getWebsite(site.id, null))) return;
      await deps.store.putWebsiteState({ siteId: site.id, tenant: site.tenant, updated: out.state.lastCheck ?? new Date().toISOString(), doc: out.state as unknown as Record<string, unknown> });
      counters.checks++;
      counters.events += out.events.length;
      if (!out.up) counters.failedChecks++;
      log.debug({ site: site.id, url: site.url, up: out.up, events: out.events.length }, 'website: checked');
    },
    onError: (site, e) => {
      counters.errors++;
      log.error({ site: site.id, url: site.url, err: e.message }, 'website: a check could not be recorded (bus or store); it runs again at its next interval');
    },
  });
  let stopped = false;
  let lastRefresh = 0;
  const refresh = async () => {
    const sites = await deps.store.listWebsites(null);
    scheduler.setItems(sites.filter((s) => !s.paused));
    lastRefresh = Date.now();
    scheduler.tick();
  };
  await refresh();
  let timer: NodeJS.Timeout | null = null;
  if (deps.timers !== false) {
    timer = setInterval(() => {
      if (stopped) return;
      if (Date.now() - lastRefresh >= settings.refreshS * 1000) {
        refresh().catch((e: Error) => log.warn({ err: e.message }, 'website: cannot read the watched sites from the store; trying again'));
      } else scheduler.tick();
    }, 1000);
    timer.unref();
  }
  log.info({ sites: (await deps.store.listWebsites(null)).length, concurrency: settings.concurrency, floorS: settings.minIntervalS }, 'website: monitor started');
  return {
    scheduler,
    counters,
    refresh,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await scheduler.idle();
      await dispatcher.close();
    },
  };
}
