/** The collector component: starts the configured listeners and publishes their counters. */
import os from 'node:os';
import type { Bus } from '../core/bus/bus';
import type { Config } from '../core/config';
import type { Logger } from '../core/log';
import type { Store } from '../core/store/store';
import { ADDRESSES_STATE_KEY, Counters, saveCounters, type StoredCounters } from './counters';
import { createEnricher } from './enrich';
import { Intake } from './intake';
import { defaultParseWorkers, ParsePool, parseWorkerScript } from './parse-pool';
import { LISTENERS, settingsOf } from './listeners/registry';
import type { ListenerContext, RunningListener } from './listeners/spec';
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
  const a = c.auditd_assembly;
  const assembly = a.enabled ? { timeoutMs: a.timeout_ms, maxOpen: a.max_open } : false;
  const intake = new Intake({ bus: deps.bus, counters, logger, timezone: config.collector.timezone, enricher, pool, assembly });
  const sources = new SourceMap(c.sources, c.default_tenant);
  const cl = c.connections;
  const context: ListenerContext = {
    bind: config.bind, maxMessageBytes: c.max_message_bytes, intake, sources, counters, store: deps.store, logger,
    connections: { maxConnections: cl.max_total, maxPerAddress: cl.max_per_address, reserve: cl.reserve, handshakeTimeoutSeconds: cl.handshake_timeout_seconds },
  };
  let listeners: RunningListener[];
  try {
    listeners = await buildListeners(config, context);
  } catch (e) {
    intake.stop();
    await pool?.close();
    throw e;
  }
  for (const l of listeners) logger.info({ listener: l.name, ...l.address }, 'collector: listening');
  const addresses = listeners.map((l) => ({ name: l.name, protocol: l.address.protocol, host: l.address.host, port: l.address.port }));
  await deps.store.putState(ADDRESSES_STATE_KEY, JSON.stringify(addresses)).catch((e: Error) => logger.warn({ err: e.message }, 'collector: could not save the listening addresses'));
  if (pool) logger.info({ workers: pool.size }, 'collector: parsing in worker threads');

  // counters go to the store so the console (possibly another process) can show them
  // each collector under its own instance id; the sum is what the console shows
  const instance = deps.instance ?? c.instance ?? os.hostname();
  const persist = async () => {
    const snap: StoredCounters = { ...counters.snapshot(), pending: intake.pending };
    await saveCounters(deps.store, instance, snap).catch((e: Error) => logger.warn({ err: e.message, instance }, 'collector: could not save counters'));
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
      await intake.stopAssembly(); // what the listeners received last completes the open auditd serials, then they are published as they are
      await pool?.close();
      await persist();
    },
  };
}

/**
 * Builds every enabled listener of the registry. A listener that cannot start does not stop
 * the others from being tried: every failure is reported at once, by listener name, and
 * what did start is closed again.
 */
export async function buildListeners(config: Config, context: ListenerContext, specs = LISTENERS): Promise<RunningListener[]> {
  const running: RunningListener[] = [];
  const errors: string[] = [];
  for (const spec of specs) {
    const settings = settingsOf(config, spec);
    if (!spec.enabled(settings)) continue;
    try {
      running.push(await spec.build(settings, context));
    } catch (e) {
      errors.push(`  ${spec.name} (${spec.key}): ${(e as Error).message}`);
    }
  }
  if (errors.length) {
    await Promise.all(running.map((l) => l.close()));
    throw new Error(`collector: ${errors.length} listener${errors.length > 1 ? 's' : ''} could not start:\n${errors.join('\n')}`);
  }
  return running;
}
