/**
 * The `reporting:` section of canhgac.yml, declared here and composed into core/config.ts: which
 * incidents must be reported to the competent authority and by when (reports/deadlines.ts), and
 * how long before a deadline responders are reminded. Every figure is a default taken from
 * NĐ 331/2026/NĐ-CP Art. 31.2.d (REPORTING_SOURCE), shown beside the clock in the console.
 */
import { z } from 'zod';
import { SEVERITIES } from '../core/model';
import { DEFAULT_REPORTING, type ReportingSettings } from './deadlines';

const hours = z.number().min(0.25).max(24 * 90);

export const reportingConfigSchema = z
  .object({
    serious_severities: z.array(z.enum(SEVERITIES as [string, ...string[]])).min(1).default(DEFAULT_REPORTING.seriousSeverities), // incidents of these severities are "serious": they must be reported
    initial_hours: hours.default(DEFAULT_REPORTING.initialHours), // the initial report, from detection (or the raise to a serious severity)
    final_hours: hours.default(DEFAULT_REPORTING.finalHours), // the report of cause, scope and remediation
    remind_before_hours: z.number().min(0).max(72).default(DEFAULT_REPORTING.remindBeforeHours), // remind responders this long before a deadline, and once when it passes; 0: only when it passes
    check_minutes: z.number().int().min(1).max(60).default(5), // how often open serious incidents are checked for reminders
  })
  .strict()
  .refine((r) => r.final_hours >= r.initial_hours, { message: 'final_hours must not be shorter than initial_hours', path: ['final_hours'] });

export type ReportingConfig = z.infer<typeof reportingConfigSchema>;

export function reportingSettings(section: ReportingConfig): ReportingSettings {
  return { seriousSeverities: section.serious_severities as ReportingSettings['seriousSeverities'], initialHours: section.initial_hours, finalHours: section.final_hours, remindBeforeHours: section.remind_before_hours };
}
