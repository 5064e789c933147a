/**
 * What the console shows per agency: its level, the minimum the level requires (with its
 * source), the retention in force, the oldest event kept, and warnings that are true of the
 * store as it is: the store itself deletes younger than required (Elasticsearch's
 * retention_days), the disk under the store is nearly full, or history is short of the minimum
 * because the agency's first event came later (not an error: nothing older was ever stored).
 */
import fs from 'node:fs';
import type { Tenant } from '../model';
import type { Store } from '../store/store';
import { RETENTION_SOURCE, type RetentionConfig } from './config-schema';
import { effectiveRetention } from './policy';

export interface RetentionWarning {
  code: 'store_limit' | 'disk' | 'below_minimum' | 'short_history';
  message: string;
}

export interface AgencyRetention {
  tenant: string;
  name: string;
  security_level: number | null;
  minimum_days: number | null;
  minimum_source: string | null;
  retention_days: number | null; // in force; null: events are not deleted by retention
  retention_source: 'override' | 'level' | 'none';
  retention_reason: string | null;
  oldest_event: string | null;
  kept_days: number | null; // age of the oldest event kept, whole days
  warnings: RetentionWarning[];
}

/** Where the store keeps its data (a SQLite file's folder), for the free-space check; null for a remote store. */
export interface RetentionContext {
  config: RetentionConfig;
  diskPath?: string | null;
  freeDisk?: (path: string) => { freePercent: number } | null;
}

export function freeDisk(p: string): { freePercent: number } | null {
  try {
    const s = fs.statfsSync(p);
    return { freePercent: (100 * s.bavail) / s.blocks };
  } catch {
    return null;
  }
}

export async function retentionStatus(store: Store, ctx: RetentionContext, tenants: Tenant[], now = new Date()): Promise<AgencyRetention[]> {
  const disk = ctx.diskPath ? (ctx.freeDisk ?? freeDisk)(ctx.diskPath) : null;
  const cap = store.retention.capDays;
  const out: AgencyRetention[] = [];
  for (const t of tenants) {
    const eff = effectiveRetention(t, ctx.config);
    const oldest = await store.retention.oldest(t.id);
    const keptDays = oldest ? Math.floor((now.getTime() - Date.parse(oldest)) / 86_400_000) : null;
    const warnings: RetentionWarning[] = [];
    const need = eff.minimum;
    if (need !== null && cap !== null && cap < need)
      warnings.push({ code: 'store_limit', message: `the store deletes every event older than ${cap} days (store.elasticsearch.retention_days), below the ${need}-day minimum of level ${t.securityLevel}; raise it to at least ${need}` });
    if (need !== null && disk && disk.freePercent < ctx.config.disk_min_free_percent)
      warnings.push({ code: 'disk', message: `the store's disk has ${disk.freePercent.toFixed(1)}% free (warning under ${ctx.config.disk_min_free_percent}%, retention.disk_min_free_percent): it may not keep the ${need} days level ${t.securityLevel} requires` });
    if (eff.below) warnings.push({ code: 'below_minimum', message: `kept for ${eff.days} days, below level ${t.securityLevel}'s minimum of ${need} days; recorded reason: ${t.retentionReason ?? '(none)'}` });
    if (need !== null && keptDays !== null && keptDays < need && !eff.below)
      warnings.push({ code: 'short_history', message: `not enough history yet: the oldest event kept is ${keptDays} days old (from ${oldest}), the minimum is ${need} days` });
    out.push({
      tenant: t.id, name: t.name, security_level: t.securityLevel ?? null, minimum_days: need, minimum_source: need !== null ? RETENTION_SOURCE : null,
      retention_days: eff.days, retention_source: eff.source, retention_reason: t.retentionReason ?? null, oldest_event: oldest, kept_days: keptDays, warnings,
    });
  }
  return out;
}
