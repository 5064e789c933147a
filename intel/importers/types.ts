import type { IndicatorInput } from '../indicator';

/** What an importer read from a file: the indicators, and what it passed over on purpose (with where and why). */
export interface ImportResult {
  indicators: IndicatorInput[];
  skipped: { where: string; reason: string }[];
}
