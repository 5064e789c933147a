/** What the checker keeps of a site between checks (stored as WebsiteState.doc): baseline, last answers, hourly uptime, snapshots. */
import type { Baseline } from './baseline';

export interface SiteState {
  baseline: Baseline;
  reported: string[]; // findings already reported (kind:items)
  hours: { h: string; up: number; total: number }[]; // hourly buckets, newest first, at most 30 days
  changes: ChangeSnapshot[]; // text snapshots of the last changes, newest first
  snapshot?: { at: string; text: string }; // the page's text when the baseline was first learned
  lastCheck?: string;
  lastReason?: string;
  lastStatus?: number | null;
  lastLatencyMs?: number;
  lastChange?: { at: string; kinds: string[] };
  up?: boolean;
  failuresInRow?: number; // checks in a row that found the site down (a success resets it)
  dns?: string[];
  cert?: { keySha256: string; issuer: string; notAfter: string; daysLeft: number };
}

/** The page's text when a content change appeared, with what was found. */
export interface ChangeSnapshot {
  at: string;
  kinds: string[];
  details?: string[];
  text: string;
}

const HOURS_KEPT = 30 * 24;

export function recordOutcome(s: SiteState, at: Date, up: boolean): void {
  const h = at.toISOString().slice(0, 13);
  const cur = s.hours[0]?.h === h ? s.hours[0] : null;
  const bucket = cur ?? { h, up: 0, total: 0 };
  bucket.total++;
  if (up) bucket.up++;
  s.hours = cur ? s.hours : [bucket, ...s.hours].slice(0, HOURS_KEPT);
}

/** Share of checks that found the site up over the last `hours` hours before `now`, or null with no checks. */
export function uptime(s: SiteState, now: Date, hours: number): number | null {
  const from = new Date(now.getTime() - hours * 3_600_000).toISOString().slice(0, 13);
  let up = 0;
  let total = 0;
  for (const b of s.hours) {
    if (b.h < from) break;
    up += b.up;
    total += b.total;
  }
  return total ? up / total : null;
}
