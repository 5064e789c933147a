/** A site to watch, validated: an http(s) URL without credentials, an agency, an interval at or above the floor, keywords. */
import { createHash } from 'node:crypto';
import type { WebsiteSite } from '../core/store/store';

export class SiteError extends Error {}

/** "60", "60s", "5m", "1h" → seconds. */
export function parseInterval(v: string | number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)\s*(s|m|h)?$/i.exec(v.trim());
  if (!m) throw new SiteError(`interval: "${v}" is not a duration (60, 60s, 5m, 1h)`);
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600 } as Record<string, number>)[(m[2] ?? 's').toLowerCase()];
}

export function siteId(tenant: string, url: string): string {
  return 'w-' + createHash('sha256').update(`${tenant}\n${url}`).digest('hex').slice(0, 12);
}

export interface NewSite {
  url: string;
  tenant: string;
  interval?: string | number;
  keywords?: string[];
  by: string;
}

export function createSite(n: NewSite, floorS: number, now = new Date()): WebsiteSite {
  let u: URL;
  try {
    u = new URL(n.url);
  } catch {
    throw new SiteError(`url: "${n.url}" is not a URL (e.g. https://sotttt.example.gov.vn/)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SiteError(`url: "${n.url}" must be http:// or https://`);
  if (u.username || u.password) throw new SiteError('url: must not carry a user name or password');
  if (!n.tenant) throw new SiteError('tenant: the agency the site belongs to is required (--tenant)');
  const intervalS = parseInterval(n.interval ?? 300);
  if (!Number.isInteger(intervalS) || intervalS < floorS) throw new SiteError(`interval: ${intervalS} s is below the floor of ${floorS} s (no site is checked more often)`);
  if (intervalS > 86_400) throw new SiteError(`interval: ${intervalS} s is more than a day`);
  const keywords = (n.keywords ?? []).map((k) => k.trim()).filter(Boolean);
  if (keywords.some((k) => k.length > 200) || keywords.length > 20) throw new SiteError('keywords: at most 20, each at most 200 characters');
  u.hash = '';
  return { id: siteId(n.tenant, u.href), tenant: n.tenant, url: u.href, intervalS, keywords, paused: false, created: now.toISOString(), by: n.by };
}
