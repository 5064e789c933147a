/**
 * Builds the backends from config and starts components: all of them in one process
 * (`canhgac start`), or one per process for scale-out (`canhgac collector` ...).
 * Components talk only through the Bus and the Store.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Bus } from './bus/bus';
import { createEmbeddedBus } from './bus/embedded';
import { ensurePrivateDir } from './bus/journal-files';
import type { Config } from './config';
import type { Logger } from './log';
import type { Store } from './store/store';
import { createSqliteStore } from './store/sqlite';

export type ComponentName = 'collector' | 'correlator' | 'indexer' | 'alerting' | 'console';
export const COMPONENTS: ComponentName[] = ['collector', 'correlator', 'indexer', 'alerting', 'console'];

export async function createBus(config: Config, logger: Logger): Promise<Bus> {
  if (config.bus.kind === 'kafka') {
    // loaded only when chosen, so the embedded default needs nothing of Kafka
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('./bus/kafka') as { createKafkaBus: (c: Record<string, unknown>) => Bus | Promise<Bus>; recordBytesFor: (maxMessageBytes: number) => number };
    const k = config.bus.kafka;
    return mod.createKafkaBus({ brokers: k.brokers, clientId: k.client_id, partitions: k.partitions, replication: k.replication, topicPrefix: k.topic_prefix, sessionTimeoutMs: k.session_timeout_ms,
      maxRecordBytes: mod.recordBytesFor(config.collector.max_message_bytes), // topics and fetches fit the largest event the collector can make
      tls: k.tls.enabled || k.tls.ca ? { ca: k.tls.ca, cert: k.tls.cert, key: k.tls.key } : undefined,
      sasl: k.sasl.mechanism ? { mechanism: k.sasl.mechanism, username: k.sasl.username!, password: k.sasl.password ?? '' } : undefined,
      logger });
  }
  ensurePrivateDir(config.data_dir, logger, 'data_dir');
  return createEmbeddedBus({ dir: path.join(config.data_dir, 'bus'), logger });
}

/** The SQLite files hold agencies' events and accounts: owner-only, whatever the umask made them. */
function makeSqlitePrivate(file: string, logger: Logger): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      const mode = fs.statSync(f).mode & 0o777;
      if (mode & 0o077) {
        fs.chmodSync(f, mode & 0o600);
        logger.warn({ file: f, was: mode.toString(8), now: (mode & 0o600).toString(8) }, 'store: the database file was open to other users; its mode is now owner-only');
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ file: f, err: (e as Error).message }, 'store: cannot make the database file owner-only');
    }
  }
}

export async function createStore(config: Config, logger: Logger): Promise<Store> {
  let store: Store;
  if (config.store.kind === 'elasticsearch') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('./store/elasticsearch') as { createElasticsearchStore: (c: Record<string, unknown>) => Store };
    const e = config.store.elasticsearch;
    store = mod.createElasticsearchStore({ url: e.url, indexPrefix: e.index_prefix, retentionDays: e.retention_days, shards: e.shards, replicas: e.replicas, username: e.username, password: e.password, apiKey: e.api_key, caFile: e.ca, flavor: e.flavor, logger });
  } else {
    ensurePrivateDir(config.data_dir, logger, 'data_dir');
    store = createSqliteStore({ path: config.store.sqlite.path!, queryTimeoutMs: config.store.sqlite.query_timeout_seconds * 1000, readers: config.store.sqlite.readers, logger });
  }
  await store.init();
  if (config.store.kind === 'sqlite' && config.store.sqlite.path !== ':memory:') makeSqlitePrivate(config.store.sqlite.path!, logger);
  return store;
}
