/**
 * The reporting clock of an incident: a serious incident must be notified to the competent
 * authority within 24 h of its detection (the initial report) and its cause, scope and remediation
 * within 72 h (the final report), NĐ 331/2026/NĐ-CP Art. 31.2.d. Which severities are serious and
 * the hours are settings (`reporting:` in canhgac.yml, reports/config-schema.ts) with those defaults.
 *
 * The clock starts when the incident became serious (its detection, or the change that raised it to
 * a serious severity), and a report counts as sent once a responder recorded it (an incident change
 * `report_sent` naming the kind). A false positive or a duplicate needs no report.
 */
import type { Incident, IncidentChange, Severity } from '../core/model';
import type { ReportKind } from './incident';

export interface ReportingSettings {
  /** Severities whose incidents must be reported ("sự cố nghiêm trọng"). */
  seriousSeverities: Severity[];
  initialHours: number;
  finalHours: number;
  /** Responders are reminded this long before a deadline (and once when it has passed). */
  remindBeforeHours: number;
}

export const DEFAULT_REPORTING: ReportingSettings = { seriousSeverities: ['high', 'critical'], initialHours: 24, finalHours: 72, remindBeforeHours: 4 };
export const REPORTING_SOURCE = 'NĐ 331/2026/NĐ-CP Điều 31.2.d: thông báo ban đầu trong 24 giờ; nguyên nhân, phạm vi, khắc phục trong 72 giờ';

/** open: before the reminder window; due_soon: inside it; overdue: past it, not sent; sent / sent_late: recorded before / after the deadline. */
export type DeadlineState = 'open' | 'due_soon' | 'overdue' | 'sent' | 'sent_late';

export interface ReportDeadline {
  kind: ReportKind;
  hours: number;
  due: string;
  sent_at: string | null;
  sent_by: string | null;
  reference: string | null; // what the responder noted (the dispatch number, the recipient)
  remaining_ms: number; // until the deadline (negative past it); from the sending when sent
  state: DeadlineState;
}

export interface ReportingClock {
  required: boolean;
  /** Why not, when not required: 'severity' (not a serious severity) or 'closed_not_incident' (false positive, duplicate). */
  not_required?: 'severity' | 'closed_not_incident';
  since: string | null; // when the clock started: detection, or the raise to a serious severity
  deadlines: ReportDeadline[];
  source: string;
}

/** What an incident change records when a responder marks a report as sent. */
export interface ReportSentChange {
  action: 'report_sent';
  to: ReportKind;
  comment?: string | null;
}

const byTime = (a: IncidentChange, b: IncidentChange) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

/** When the incident became serious: created at a serious severity, or the first raise to one. */
function seriousSince(incident: Incident, changes: IncidentChange[], serious: Set<string>): string | null {
  const raises = changes.filter((c) => c.action === 'severity').sort(byTime);
  const initial = raises.length ? raises[0].from : incident.severity;
  if (initial && serious.has(initial)) return incident.created;
  const raise = raises.find((c) => c.to && serious.has(c.to));
  if (raise) return raise.at;
  return serious.has(incident.severity) ? incident.created : null;
}

export function reportingClock(incident: Incident, changes: IncidentChange[], settings: ReportingSettings = DEFAULT_REPORTING, now = Date.now()): ReportingClock {
  const base = { source: REPORTING_SOURCE, deadlines: [] as ReportDeadline[] };
  if (incident.status === 'false_positive' || incident.status === 'duplicate') return { ...base, required: false, not_required: 'closed_not_incident', since: null };
  const since = seriousSince(incident, changes, new Set(settings.seriousSeverities));
  if (!since) return { ...base, required: false, not_required: 'severity', since: null };
  const sent = changes.filter((c) => c.action === 'report_sent').sort(byTime);
  const remindMs = settings.remindBeforeHours * 3600e3;
  const deadlines = (['initial', 'final'] as const).map((kind): ReportDeadline => {
    const hours = kind === 'initial' ? settings.initialHours : settings.finalHours;
    const dueMs = Date.parse(since) + hours * 3600e3;
    const mark = sent.find((c) => c.to === kind);
    const at = mark ? Date.parse(mark.at) : now;
    const remaining = dueMs - at;
    const state: DeadlineState = mark ? (remaining >= 0 ? 'sent' : 'sent_late') : remaining < 0 ? 'overdue' : remaining <= remindMs ? 'due_soon' : 'open';
    return { kind, hours, due: new Date(dueMs).toISOString(), sent_at: mark?.at ?? null, sent_by: mark?.actor ?? null, reference: mark?.comment ?? null, remaining_ms: remaining, state };
  });
  return { ...base, required: true, since, deadlines };
}

/** The reminders a clock calls for now: one before each unsent deadline (inside the window) and one once it has passed. */
export function remindersDue(clock: ReportingClock): { kind: ReportKind; reason: 'due_soon' | 'overdue'; deadline: ReportDeadline }[] {
  return clock.deadlines.filter((d) => d.state === 'due_soon' || d.state === 'overdue').map((d) => ({ kind: d.kind, reason: d.state as 'due_soon' | 'overdue', deadline: d }));
}
