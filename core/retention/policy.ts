/**
 * The retention policy: a security level gives a minimum, an agency follows it unless an
 * override is set, and an override below the minimum needs a recorded reason.
 */
import type { Tenant } from '../model';
import { RETENTION_SOURCE, type RetentionConfig } from './config-schema';

export const SECURITY_LEVELS = [1, 2, 3, 4, 5] as const;
export type SecurityLevel = (typeof SECURITY_LEVELS)[number];

export const isLevel = (n: unknown): n is SecurityLevel => typeof n === 'number' && (SECURITY_LEVELS as readonly number[]).includes(n);

/** The minimum days of events a level requires; null when the level has none (level 1, or no level set). */
export function minimumDays(level: number | undefined | null, cfg: Pick<RetentionConfig, 'levels'>): number | null {
  if (!isLevel(level)) return null;
  return cfg.levels[String(level) as keyof RetentionConfig['levels']] ?? null;
}

export interface Effective {
  days: number | null; // null: retention deletes nothing of this agency
  source: 'override' | 'level' | 'none';
  minimum: number | null;
  below: boolean; // the override keeps less than the level's minimum (a reason is recorded)
}

export function effectiveRetention(t: Pick<Tenant, 'securityLevel' | 'retentionDays'>, cfg: Pick<RetentionConfig, 'levels'>): Effective {
  const minimum = minimumDays(t.securityLevel, cfg);
  if (t.retentionDays != null) return { days: t.retentionDays, source: 'override', minimum, below: minimum !== null && t.retentionDays < minimum };
  return { days: minimum, source: minimum === null ? 'none' : 'level', minimum, below: false };
}

export interface RetentionChange {
  securityLevel?: number;
  retentionDays?: number | null; // null clears the override: the level's minimum applies
  retentionReason?: string;
}

/** The tenant after the change, or the problem naming the field (the API and the CLI say the same). */
export function applyChange(t: Tenant, c: RetentionChange, cfg: Pick<RetentionConfig, 'levels'>, field: (name: string) => string): { tenant: Tenant } | { problem: string } {
  if (c.securityLevel !== undefined && !isLevel(c.securityLevel)) return { problem: `${field('security_level')}: ${JSON.stringify(c.securityLevel)} must be one of 1, 2, 3, 4, 5` };
  if (c.retentionDays != null && (!Number.isInteger(c.retentionDays) || c.retentionDays < 1)) return { problem: `${field('retention_days')}: ${JSON.stringify(c.retentionDays)} must be a whole number of days ≥ 1` };
  const reason = c.retentionReason?.trim();
  const next: Tenant = { ...t };
  if (c.securityLevel !== undefined) next.securityLevel = c.securityLevel;
  if (c.retentionDays !== undefined) {
    if (c.retentionDays === null) delete next.retentionDays;
    else next.retentionDays = c.retentionDays;
  }
  const eff = effectiveRetention(next, cfg);
  if (eff.below) {
    // a reason is given with the change that puts the agency below its minimum, not inherited from an older one
    if (!reason) return { problem: `${field('retention_days')}: ${eff.days} days is below level ${next.securityLevel}'s minimum of ${eff.minimum} days (${RETENTION_SOURCE}); give ${field('retention_reason')} to record why` };
    next.retentionReason = reason;
  } else if (next.retentionDays == null) delete next.retentionReason;
  else if (reason) next.retentionReason = reason;
  return { tenant: next };
}
