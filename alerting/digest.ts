/**
 * The daily digest: for every route that asks for one, each of its agencies gets a summary of
 * the last 24 hours (counts by severity, then the incidents worst first), in the route's
 * language (Vietnamese by default). It runs on a node-cron schedule in Vietnam time and goes
 * through the outbox like any message, keyed by day so a rerun never sends it twice.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Incident } from '../core/model';
import type { Store } from '../core/store/store';
import { type Logger, errorText, silentLogger } from './channels/channel';
import { type Language, fitKeepingLastLine, renderDigest } from './messages';
import type { NewNotification, Outbox } from './outbox';
import { type Route, type RoutesConfig, routeMatches } from './routes';

export interface DigestOptions {
  store: Pick<Store, 'listTenants' | 'getTenant' | 'listIncidents'>;
  routes: RoutesConfig;
  outbox: Pick<Outbox, 'enqueue'>;
  consoleUrl?: string;
  language?: Language;
  logger?: Logger;
}

export interface Digest {
  /** Schedules the digest (when a route asks for one). */
  start(): void;
  stop(): Promise<void>;
  /** Builds and enqueues the digests for the 24 hours up to `at`; returns how many were queued. */
  runNow(at?: Date): Promise<number>;
  /** When the schedule fires next, or null when not started. */
  nextRun(): Date | null;
}

const DAY_MS = 24 * 3600_000;

function dayKey(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at).map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

export function createDigest(opts: DigestOptions): Digest {
  const { store, routes: cfg, outbox } = opts;
  const logger = opts.logger ?? silentLogger;
  const consoleUrl = opts.consoleUrl ?? cfg.console_url ?? 'http://localhost:8080';
  const language = opts.language ?? cfg.language;
  let task: ScheduledTask | null = null;

  async function incidentsOf(agency: string, route: Route, from: number, to: number): Promise<Incident[]> {
    const { items } = await store.listIncidents({ tenants: [agency], limit: 10_000 });
    return items.filter((i) => {
      const created = Date.parse(i.created);
      const active = Date.parse(i.last_seen) >= from || created >= from;
      return active && created < to && routeMatches(route, i);
    });
  }

  async function runNow(at: Date = new Date()): Promise<number> {
    const to = at.getTime();
    const from = to - DAY_MS;
    const day = dayKey(at, cfg.digest.time_zone);
    let queued = 0;
    for (const route of cfg.routes.filter((r) => r.digest)) {
      try {
        const agencies = route.agencies.length ? route.agencies : (await store.listTenants()).map((t) => t.id);
        for (const agency of agencies) {
          const incidents = await incidentsOf(agency, route, from, to);
          if (incidents.length === 0 && !cfg.digest.send_empty) continue;
          const agencyName = (await store.getTenant(agency))?.name ?? null;
          const digestOpts = { language: route.language ?? language, consoleUrl, agencyName, tenant: agency, at };
          const m = renderDigest(incidents, digestOpts);
          const short = renderDigest(incidents, { ...digestOpts, maxListed: 10 });
          const zaloText = fitKeepingLastLine(`${short.subject}\n${short.body}`);
          const taken = new Set<string>();
          for (const { channel, to: recipients } of route.notify) {
            for (const recipient of recipients) {
              if (taken.has(`${channel}:${recipient}`)) continue;
              taken.add(`${channel}:${recipient}`);
              const n: NewNotification = {
                id: `digest:${day}:${agency}:${route.name}:${channel}:${recipient}`,
                incidentId: null,
                tenant: agency,
                route: route.name,
                channel,
                recipient,
                reason: 'digest',
                subject: m.subject,
                body: channel === 'zalo' ? zaloText : m.body,
                payload: channel === 'webhook' ? { day, agency, incidents: incidents.map((i) => ({ id: i.id, severity: i.severity, title: i.title, count: i.count, status: i.status })) } : null,
              };
              if (await outbox.enqueue(n)) queued++;
            }
          }
        }
      } catch (err) {
        logger.error({ route: route.name, err: errorText(err) }, 'daily digest failed for a route');
      }
    }
    if (queued) logger.info({ day, queued }, 'daily digests queued');
    return queued;
  }

  return {
    runNow,
    start() {
      if (task || !cfg.routes.some((r) => r.digest)) return;
      task = cron.schedule(
        cfg.digest.schedule,
        async () => {
          await runNow(new Date());
        },
        { timezone: cfg.digest.time_zone, name: 'canhgac-daily-digest', noOverlap: true },
      );
    },
    async stop() {
      if (!task) return;
      const t = task;
      task = null;
      await t.destroy();
    },
    nextRun() {
      return task?.getNextRun() ?? null;
    },
  };
}
