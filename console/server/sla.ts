/**
 * SLA timers for incidents: time to acknowledge and time open, against per-severity
 * targets (minutes). Targets come from the console options (config), else these defaults.
 */
import type { Incident, IncidentChange } from '../../core/model';
import { OPEN_STATUSES } from '../../core/model';

export interface SlaTarget {
  acknowledge_minutes: number;
  resolve_minutes: number;
}
export type SlaTargets = Record<string, SlaTarget>;

export const DEFAULT_SLA: SlaTargets = {
  critical: { acknowledge_minutes: 15, resolve_minutes: 4 * 60 },
  high: { acknowledge_minutes: 30, resolve_minutes: 8 * 60 },
  medium: { acknowledge_minutes: 2 * 60, resolve_minutes: 24 * 60 },
  low: { acknowledge_minutes: 8 * 60, resolve_minutes: 72 * 60 },
  informational: { acknowledge_minutes: 24 * 60, resolve_minutes: 7 * 24 * 60 },
};

export interface SlaStatus {
  target: SlaTarget;
  acknowledged_at: string | null;
  time_to_acknowledge_ms: number; // until acknowledgement, or until now while unacknowledged
  acknowledge_breached: boolean;
  closed_at: string | null;
  time_open_ms: number; // until closing, or until now while open
  resolve_breached: boolean;
}

/** The first change that shows someone took the incident on: a status change away from new, or an assignment. */
export function slaOf(incident: Incident, changes: IncidentChange[], targets: SlaTargets = DEFAULT_SLA, now = Date.now()): SlaStatus {
  const target = targets[incident.severity] ?? DEFAULT_SLA[incident.severity] ?? DEFAULT_SLA.medium;
  const created = Date.parse(incident.created);
  const sorted = [...changes].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const ack = sorted.find((c) => (c.action === 'status' && c.to && c.to !== 'new') || (c.action === 'assign' && c.to));
  const open = OPEN_STATUSES.includes(incident.status);
  let closedAt: string | null = null;
  if (!open) closedAt = [...sorted].reverse().find((c) => c.action === 'status' && c.to && !OPEN_STATUSES.includes(c.to as Incident['status']))?.at ?? incident.updated;
  const ackMs = (ack ? Date.parse(ack.at) : closedAt ? Date.parse(closedAt) : now) - created;
  const openMs = (closedAt ? Date.parse(closedAt) : now) - created;
  return {
    target,
    acknowledged_at: ack?.at ?? null,
    time_to_acknowledge_ms: Math.max(0, ackMs),
    acknowledge_breached: ackMs > target.acknowledge_minutes * 60000,
    closed_at: closedAt,
    time_open_ms: Math.max(0, openMs),
    resolve_breached: openMs > target.resolve_minutes * 60000,
  };
}
