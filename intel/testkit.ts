/** Helpers for the intel tests: a temporary folder to write feed files into, and an import into an in-memory store. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../core/store/sqlite';
import type { Store } from '../core/store/store';
import { readIndicatorFile, storeIndicators, type Format } from './importer';

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'canhgac-intel-'));
}

export function writeFile(dir: string, name: string, content: string | object): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

export async function importInto(store: Store, file: string, format: Format, tenant: string | null = null) {
  return storeIndicators(store, readIndicatorFile(file, format), { tenant, source: 'test-cert', ttlMs: 30 * 86_400_000, now: new Date() });
}

export const memoryStore = (): Store => createSqliteStore({ path: ':memory:' });
