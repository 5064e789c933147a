/**
 * Importing a file of indicators: read it whole in its format (a malformed file is refused
 * before anything is stored, naming the line or object), then store every indicator at once,
 * keeping first_seen and created of those already known, and tell the matchers to reload.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from '../core/store/store';
import { ImportError, toIndicator, type ImportOptions, type Indicator } from './indicator';
import { importCsv } from './importers/csv';
import { importMisp, importMispEvent } from './importers/misp';
import { importStix } from './importers/stix';
import type { ImportResult } from './importers/types';

export const FORMATS = ['csv', 'stix', 'misp'] as const;
export type Format = (typeof FORMATS)[number];

/** Bumped after every change of indicators: a running matcher reloads when it sees a new value. */
export const INTEL_VERSION_KEY = 'intel.version';

/** A path, or a file:// URL of a local file (or, for MISP, a feed folder). */
export function localPath(target: string): string {
  if (/^file:\/\//i.test(target)) return fileURLToPath(target);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) throw new ImportError(target, 'only local files (a path or a file:// URL) are imported; download the feed first');
  return target;
}

export function readIndicatorFile(target: string, format: Format): ImportResult {
  const file = localPath(target);
  if (format === 'misp') return importMisp(file);
  return parseIndicators(readFileSync(file, 'utf8'), format);
}

/** The same from text (the console's upload); a MISP feed is a folder and comes only from a file. */
export function parseIndicators(text: string, format: Format): ImportResult {
  if (format === 'csv') return importCsv(text);
  if (format === 'stix') return importStix(text);
  if (format === 'misp') return importMispEvent(text);
  throw new ImportError('--format', `"${String(format)}" is not one of ${FORMATS.join(', ')}`);
}

export interface ImportSummary {
  added: number;
  updated: number;
  skipped: ImportResult['skipped'];
  indicators: Indicator[];
}

export async function storeIndicators(store: Store, read: ImportResult, opts: ImportOptions): Promise<ImportSummary> {
  // expired ones too: one that comes back keeps when it was first seen
  const known = new Map((await store.loadIndicators('1970-01-01T00:00:00.000Z')).map((i) => [i.id, i] as const));
  const byId = new Map<string, Indicator>();
  for (const input of read.indicators) {
    const ind = toIndicator(input, opts, known.get(toIndicator(input, opts).id));
    const prev = byId.get(ind.id);
    byId.set(ind.id, prev ? { ...ind, tags: [...new Set([...prev.tags, ...ind.tags])], first_seen: prev.first_seen < ind.first_seen ? prev.first_seen : ind.first_seen } : ind);
  }
  const indicators = [...byId.values()];
  await store.putIndicators(indicators);
  await store.putState(INTEL_VERSION_KEY, `${Date.now()}-${indicators.length}`);
  const updated = indicators.filter((i) => known.has(i.id)).length;
  return { added: indicators.length - updated, updated, skipped: read.skipped, indicators };
}
