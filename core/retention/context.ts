/** What the console's retention view needs from the config: the levels, and the folder of a SQLite store for the free-disk check. */
import path from 'node:path';
import type { Config } from '../config';
import type { RetentionContext } from './status';

export function retentionContext(config: Config): RetentionContext {
  const file = config.store.kind === 'sqlite' ? config.store.sqlite.path : undefined;
  return { config: config.retention, diskPath: file && file !== ':memory:' ? path.dirname(file) : null };
}
