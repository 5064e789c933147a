/** The collector component: starts the configured listeners and publishes their counters. */
import type { Bus } from '../core/bus/bus';
import type { Config } from '../core/config';
import type { Logger } from '../core/log';
import type { Store } from '../core/store/store';
import { Counters, type CountersSnapshot } from './counters';
import { createEnricher } from './enrich';
import { Intake } from './intake';
import { defaultParseWorkers, ParsePool, parseWorkerScript } from './parse-pool';
import { createBeatsListener } from './listeners/beats';
import { createHttpIngestListener } from './listeners/http';
import { createSyslogTcpListener, type RunningListener } from './listeners/syslog-tcp';
import { createSyslogTlsListener } from './listeners/syslog-tls';
import { createSyslogUdpListener } from './listeners/syslog-udp';
import { SourceMap } from './tenancy';

export interface Collector {
  intake: Intake;
  counters: Counters;
  listeners: RunningListener[];
  stop(): Promise<void>;
}

export const COUNTERS_STATE_PREFIX = 'collector.counters.';

export async function startCollector(config: Config, deps: { bus: Bus; store: Store; logger: Logger; instance?: string }): Promise<Collector> {
  const logger = deps.logger.child({ component: 'collector' });
  const counters = new Counters();
  const enricher = createEnricher({ assetsFile: config.collector.assets, geo: config.collector.geoip });
  if (config.collector.assets) logger.info({ file: config.collector.assets, assets: enricher.assets }, 'collector: asset inventory loaded');
  const c = config.collector;
  const workers = c.parse_workers ?? defaultParseWorkers();
  const script = workers > 0 ? parseWorkerScript() : null;
  if (workers > 0 && !script) logger.warn({ workers }, 'collector: no compiled parse worker (run npm run build); parsing in the listeners\' thread');
  const pool = script ? new ParsePool(workers, script, { timezone: c.timezone, assetsFile: c.assets, geo: c.geoip }, logger) : undefined;
  const intake = new Intake({ bus: deps.bus, counters, logger, timezone: config.collector.timezone, enricher, pool });
  const sources = new SourceMap(c.sources, c.default_tenant);
  const listeners: RunningListener[] = [];
  const cl = c.connections;
  const connections = { maxConnections: cl.max_total, maxPerAddress: cl.max_per_address, reserve: cl.reserve, handshakeTimeoutSeconds: cl.handshake_timeout_seconds };
  try {
    if (c.syslog.udp.enabled)
      listeners.push(await createSyslogUdpListener({ host: c.syslog.udp.host ?? config.bind, port: c.syslog.udp.port, tenant: c.syslog.udp.tenant, maxMessageBytes: c.max_message_bytes }, { intake, sources, counters, logger }));
    if (c.syslog.tcp.enabled)
      listeners.push(
        await createSyslogTcpListener(
          { host: c.syslog.tcp.host ?? config.bind, port: c.syslog.tcp.port, tenant: c.syslog.tcp.tenant, maxMessageBytes: c.max_message_bytes, idleTimeoutSeconds: c.syslog.tcp.idle_timeout_seconds, connections },
          { intake, sources, logger },
        ),
      );
    const t = c.syslog.tls;
    if (t.enabled)
      listeners.push(
        await createSyslogTlsListener(
          { host: t.host ?? config.bind, port: t.port, tenant: t.tenant, cert: t.cert!, key: t.key!, ca: t.ca, clientCertificates: t.client_certificates, agencies: t.agencies, maxMessageBytes: c.max_message_bytes, idleTimeoutSeconds: c.syslog.tcp.idle_timeout_seconds, connections },
          { intake, sources, logger },
        ),
      );
    if (c.http.enabled)
      listeners.push(await createHttpIngestListener({ host: c.http.host ?? config.bind, port: c.http.port, maxBodyBytes: c.http.max_body_bytes, maxMessageBytes: c.max_message_bytes }, { intake, store: deps.store, counters, logger }));
    const b = c.beats;
    if (b.enabled)
      listeners.push(
        await createBeatsListener(
          {
            host: b.host ?? config.bind, port: b.port, tenant: b.tenant, maxMessageBytes: c.max_message_bytes, maxWindowBytes: b.max_window_bytes, idleTimeoutSeconds: b.idle_timeout_seconds, connections,
            tls: b.tls.cert ? { cert: b.tls.cert, key: b.tls.key!, ca: b.tls.ca, clientCertificates: b.tls.client_certificates, agencies: b.tls.agencies } : undefined,
          },
          { intake, sources, logger },
        ),
      );
  } catch (e) {
    intake.stop();
    await Promise.all(listeners.map((l) => l.close()));
    await pool?.close();
    throw e;
  }
  for (const l of listeners) logger.info({ listener: l.name, ...l.address }, 'collector: listening');
  if (pool) logger.info({ workers: pool.size }, 'collector: parsing in worker threads');

  // counters go to the store so the console (possibly another process) can show them
  const key = COUNTERS_STATE_PREFIX + (deps.instance ?? 'main');
  const persist = async () => {
    const snap: CountersSnapshot & { pending: number } = { ...counters.snapshot(), pending: intake.pending };
    await deps.store.putState(key, JSON.stringify(snap)).catch((e: Error) => logger.warn({ err: e.message }, 'collector: could not save counters'));
  };
  const timer = setInterval(() => void persist(), 2000);
  timer.unref();

  return {
    intake,
    counters,
    listeners,
    async stop() {
      clearInterval(timer);
      intake.stop(); // batches still waiting for a refusing bus give up; their connections close unacknowledged
      await Promise.all(listeners.map((l) => l.close()));
      await pool?.close();
      await persist();
    },
  };
}
