/** The checker's settings: defaults, overridden by CANHGAC_WEBSITE_* variables; a bad value stops start with its name. */
import fs from 'node:fs';

/** No site is checked more often than this, whatever its interval says (seconds). */
export const HARD_FLOOR_S = 10;

export interface WebsiteSettings {
  concurrency: number; // checks at once
  timeoutMs: number; // per request: connect, TLS, headers and body
  maxBytes: number; // of a page read
  maxRedirects: number;
  minIntervalS: number; // the floor of a site's interval
  refreshS: number; // how often the list of sites is re-read from the store
  ca?: string; // PEM of an extra CA to trust (agencies with a private CA)
  dnsServers?: string[];
  vocabularyFile?: string;
}

export const DEFAULTS: WebsiteSettings = { concurrency: 8, timeoutMs: 10_000, maxBytes: 2 * 1024 * 1024, maxRedirects: 5, minIntervalS: 30, refreshS: 30 };

function int(env: NodeJS.ProcessEnv, name: string, min: number, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}: expected a whole number ≥ ${min}, got "${v}"`);
  return n;
}

export function websiteSettings(env: NodeJS.ProcessEnv = process.env): WebsiteSettings {
  const caFile = env.CANHGAC_WEBSITE_CA;
  let ca: string | undefined;
  if (caFile) {
    try {
      ca = fs.readFileSync(caFile, 'utf8');
    } catch (e) {
      throw new Error(`CANHGAC_WEBSITE_CA: cannot read "${caFile}": ${(e as Error).message}`);
    }
  }
  return {
    concurrency: int(env, 'CANHGAC_WEBSITE_CONCURRENCY', 1, DEFAULTS.concurrency),
    timeoutMs: int(env, 'CANHGAC_WEBSITE_TIMEOUT_MS', 100, DEFAULTS.timeoutMs),
    maxBytes: int(env, 'CANHGAC_WEBSITE_MAX_BYTES', 1024, DEFAULTS.maxBytes),
    maxRedirects: int(env, 'CANHGAC_WEBSITE_MAX_REDIRECTS', 0, DEFAULTS.maxRedirects),
    minIntervalS: int(env, 'CANHGAC_WEBSITE_MIN_INTERVAL_S', HARD_FLOOR_S, DEFAULTS.minIntervalS),
    refreshS: int(env, 'CANHGAC_WEBSITE_REFRESH_S', 1, DEFAULTS.refreshS),
    ca,
    dnsServers: env.CANHGAC_WEBSITE_DNS ? env.CANHGAC_WEBSITE_DNS.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    vocabularyFile: env.CANHGAC_WEBSITE_VOCABULARY || undefined,
  };
}
