/** Per agency: open findings by severity, the most exposed assets, findings past their remediation target, and the trend across scans. */
import type { Asset, Finding, ScanImport } from '../core/store/vulns';
import { emptyBySeverity } from '../core/store/vulns';
import type { VulnSeverity } from './finding';

/** Days an open finding of each severity may stay open (the remediation target); console.remediation_days overrides them. */
export const REMEDIATION_DAYS: Record<VulnSeverity, number> = { critical: 7, high: 30, medium: 90, low: 180, info: 365 };

export interface AgencySummary {
  tenant: string;
  open: Record<VulnSeverity, number>;
  overdue: Record<VulnSeverity, number>; // open longer than the remediation target since first seen
  targets: Record<VulnSeverity, number>; // the remediation target in days, per severity
  oldestOpenDays: number | null;
  exposed: { address: string; hostname: string | null; os: string | null; open: number; critical: number; high: number; services: number; maxCvss: number | null }[];
  trend: { at: string; source: string; open: Record<VulnSeverity, number>; opened: number; closed: number }[];
}

const WEIGHT: Record<VulnSeverity, number> = { critical: 1000, high: 100, medium: 10, low: 1, info: 0 };

export function summarize(tenant: string, open: Finding[], assets: Asset[], imports: ScanImport[], now: number, targets: Record<VulnSeverity, number> = REMEDIATION_DAYS): AgencySummary {
  const counts = emptyBySeverity();
  const overdue = emptyBySeverity();
  let oldest: number | null = null;
  const byHost = new Map<string, Finding[]>();
  for (const f of open) {
    counts[f.severity]++;
    const days = (now - Date.parse(f.firstSeen)) / 86_400_000;
    if (days > targets[f.severity]) overdue[f.severity]++;
    if (f.severity !== 'info') oldest = Math.max(oldest ?? 0, Math.floor(days));
    byHost.set(f.host, [...(byHost.get(f.host) ?? []), f]);
  }
  const exposed = assets.map((a) => {
    const fs = byHost.get(a.address) ?? [];
    const cvss = fs.map((f) => f.cvss).filter((c): c is number => c !== null);
    return { address: a.address, hostname: a.hostname, os: a.os, open: fs.filter((f) => f.severity !== 'info').length, critical: fs.filter((f) => f.severity === 'critical').length, high: fs.filter((f) => f.severity === 'high').length, services: a.services.length, maxCvss: cvss.length ? Math.max(...cvss) : null, score: fs.reduce((s, f) => s + WEIGHT[f.severity], 0) };
  }).filter((a) => a.open > 0).sort((x, y) => y.score - x.score || (y.maxCvss ?? 0) - (x.maxCvss ?? 0)).slice(0, 10).map(({ score: _s, ...a }) => a);
  return { tenant, open: counts, overdue, targets, oldestOpenDays: oldest, exposed, trend: imports.map((i) => ({ at: i.at, source: i.source, open: i.openBySeverity, opened: i.opened + i.reopened, closed: i.closed })) };
}
