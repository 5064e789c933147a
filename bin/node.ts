/** Starts the chosen components on shared backends and reports where they listen. */
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { createAlerting } from '../alerting';
import { startIncidentService, type IncidentListener } from '../alerting/incidents';
import { parseGroupingConfig } from '../alerting/grouping';
import { startCollector, type Collector } from '../collector/collector';
import { buildConsole } from '../console/server/app';
import { ensureAdmin, type AdminBootstrap } from '../console/server/admin';
import { attachPush } from '../console/server/push';
import { consoleHttps, consoleOptions } from '../console/server/config-schema';
import { reportingSettings } from '../reports/config-schema';
import type { Bus } from '../core/bus/bus';
import type { Config } from '../core/config';
import type { Logger } from '../core/log';
import { createBus, createStore, type ComponentName } from '../core/runtime';
import type { Store } from '../core/store/store';
import { startDetection, type DetectionLoop } from '../correlator/detection';
import { startIndexer } from '../indexer/indexer';
import { retentionContext } from '../core/retention/context';
import { startRetentionSchedule } from '../core/retention/schedule';
import { startIntel } from '../intel/consumer';
import { startWebsiteMonitor } from '../website/monitor';

export interface RunningNode {
  bus: Bus;
  store: Store;
  collector?: Collector;
  detection?: DetectionLoop;
  addresses: { console?: string; syslogUdp?: string; syslogTcp?: string; syslogTls?: string; httpIngest?: string; beats?: string };
  adminPassword?: AdminBootstrap;
  stop(): Promise<void>;
}

/** The default agency on a first start, and (by the console) an `admin` account whenever no provincial admin exists (admin.ts). */
export async function bootstrap(store: Store, config: Config, env: NodeJS.ProcessEnv, withAdmin: boolean): Promise<RunningNode['adminPassword']> {
  if (!(await store.getTenant(config.collector.default_tenant))) {
    await store.putTenant({ id: config.collector.default_tenant, name: 'Default agency (unmapped syslog sources)', created: new Date().toISOString() });
  }
  // only the process that serves the console creates the account, so separate processes never race on it
  if (!withAdmin) return undefined;
  return ensureAdmin(store, env, () => randomBytes(12).toString('base64url'));
}

export async function startNode(config: Config, components: ComponentName[], deps: { logger: Logger; env?: NodeJS.ProcessEnv; onIncident?: IncidentListener }): Promise<RunningNode> {
  const { logger } = deps;
  let bus: Bus | undefined;
  let store: Store;
  try {
    bus = await createBus(config, logger);
    store = await createStore(config, logger);
  } catch (e) {
    await bus?.close().catch(() => undefined);
    throw explainFullDisk(e as Error & { code?: string }, config);
  }
  const backends = { bus, store };
  const stops: (() => Promise<void>)[] = [];
  const node: RunningNode = {
    ...backends,
    addresses: {},
    async stop() {
      for (const s of stops.reverse()) {
        try {
          await s();
        } catch (e) {
          logger.warn({ err: (e as Error).message }, 'stop: a component did not stop cleanly');
        }
      }
      await bus.close();
      await store.close();
    },
  };
  try {
    node.adminPassword = await bootstrap(store, config, deps.env ?? process.env, components.includes('console'));
    if (components.includes('indexer')) {
      const ix = await startIndexer({ bus, store, logger });
      stops.push(() => ix.stop());
      // retention runs where events are written: the indexer's process
      const retention = startRetentionSchedule(store, config.retention, logger);
      if (retention) stops.push(() => retention.stop());
    }
    if (components.includes('correlator')) {
      const det = await startDetection({
        bus,
        store,
        logger,
        rulePaths: config.correlator.rules,
        mappingsDir: config.correlator.mappings,
        placeholders: config.correlator.placeholders,
        maxGroupsPerRule: config.correlator.max_groups_per_rule,
        allowedLatenessMs: config.correlator.allowed_lateness_s * 1000,
        instance: config.correlator.instance ?? `${os.hostname()}-${createHash('sha256').update(path.resolve(config.data_dir)).digest('hex').slice(0, 8)}`,
      });
      node.detection = det;
      stops.push(() => det.stop());
    }
    if (components.includes('correlator')) {
      // threat-intel matching runs beside the rules, in its own consumer group on events
      const intel = await startIntel({ bus, store, logger, feeds: { dir: config.intel.feeds_dir!, intervalMs: config.intel.feeds_interval_s * 1000 } });
      stops.push(() => intel.stop());
    }
    if (components.includes('alerting')) {
      const { incident_window_minutes: windowMinutes, grouping, ...section } = config.alerting;
      const consoleUrl = config.alerting.console_url ?? `${config.console.tls?.cert ? 'https' : 'http'}://${config.console.host ?? config.bind}:${config.console.port}`;
      const alerting = createAlerting({ store, config: section, env: deps.env ?? process.env, consoleUrl, logger: logger.child({ component: 'alerting' }), reporting: { settings: reportingSettings(config.reporting), checkMs: config.reporting.check_minutes * 60_000 } });
      await alerting.start();
      stops.push(() => alerting.stop());
      const svc = await startIncidentService({
        store,
        bus,
        logger,
        windowMinutes,
        grouping: parseGroupingConfig(grouping, windowMinutes),
        onIncident: async (inc, change, alert) => {
          await alerting.onIncident(inc, change, alert);
          await deps.onIncident?.(inc, change);
        },
      });
      stops.push(() => svc.stop());
    }
    if (components.includes('console') && config.console.enabled) {
      const https = consoleHttps(config.console);
      const app = await buildConsole({ store, bus, logger, sessionHours: config.console.session_hours, secureCookies: config.console.secure_cookies, dataDir: config.data_dir, https, retention: retentionContext(config), reporting: reportingSettings(config.reporting), ...consoleOptions(config.console) });
      const push = await attachPush(app.server as Server, { store, bus, logger });
      const host = config.console.host ?? config.bind;
      try {
        await app.listen({ host, port: config.console.port });
      } catch (e) {
        await push.close();
        throw new Error(`console: cannot listen on ${host}:${config.console.port}: ${(e as Error).message}`);
      }
      const port = (app.server.address() as { port: number }).port;
      node.addresses.console = `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
      stops.push(async () => {
        await push.close();
        await app.close();
      });
    }
    if (components.includes('collector')) {
      const col = await startCollector(config, { bus, store, logger });
      node.collector = col;
      for (const l of col.listeners) {
        const a = `${l.address.host}:${l.address.port}`;
        if (l.name === 'syslog-udp') node.addresses.syslogUdp = `udp://${a}`;
        if (l.name === 'syslog-tcp') node.addresses.syslogTcp = `tcp://${a}`;
        if (l.name === 'syslog-tls') node.addresses.syslogTls = `tls://${a}`;
        if (l.name === 'http') node.addresses.httpIngest = `http://${a}/api/v1/ingest`;
      }
      stops.push(() => col.stop());
      // the website checker runs beside the collector: on by default in `start`; in scale-out on the one collector given CANHGAC_WEBSITE_ENABLED=true, so sites are not checked once per collector
      const websites = (deps.env ?? process.env).CANHGAC_WEBSITE_ENABLED;
      if (websites === 'true' || (websites !== 'false' && components.length > 1)) {
        const web = await startWebsiteMonitor({ store, bus, logger });
        stops.push(() => web.stop());
      }
    }
  } catch (e) {
    await node.stop().catch(() => undefined);
    throw explainFullDisk(e as Error & { code?: string }, config);
  }
  return node;
}

const FULL_DISK = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** A start that failed for want of space says so, and where, instead of only SQLite's "database or disk is full". */
export function explainFullDisk(e: Error & { code?: string }, config: Config): Error {
  if (!FULL_DISK.has(e.code ?? '')) return e;
  const where = config.store.kind === 'sqlite' ? `${config.data_dir} (store ${config.store.sqlite.path})` : config.data_dir;
  return Object.assign(new Error(`the disk holding ${where} is full (${e.code}): ${e.message}; free space there and start again`, { cause: e }), { code: e.code });
}
