/**
 * Reminders of the reporting deadlines (reports/deadlines.ts): every few minutes the serious
 * incidents still inside their reporting period are checked, and each unsent report gets one
 * reminder when its deadline is near (remind_before_hours) and one when it has passed, sent to the
 * recipients of the incident's routes through the outbox (so a reminder survives a restart and is
 * never sent twice: its notification id names the incident, the recipient and the reason).
 * An overdue report is reminded only within a day of its deadline, so a first start over old
 * incidents does not page for each of them.
 */
import type { Incident, IncidentStatus } from '../core/model';
import type { Store } from '../core/store/store';
import { remindersDue, reportingClock, type ReportingSettings } from '../reports/deadlines';
import type { Logger } from './channels/channel';
import type { Notifier } from './routes';

const REPORTABLE: IncidentStatus[] = ['new', 'acknowledged', 'in_progress', 'resolved'];
const OVERDUE_GRACE_MS = 24 * 3600e3;

export interface ReportReminders {
  /** Checks now; returns how many reminders were queued. Never throws. */
  check(now?: Date): Promise<number>;
  start(everyMs: number): void;
  stop(): void;
}

export function createReportReminders(opts: { store: Pick<Store, 'listIncidents' | 'listIncidentChanges'>; notifier: Pick<Notifier, 'remindReport'>; settings: ReportingSettings; logger: Logger }): ReportReminders {
  const { store, notifier, settings, logger } = opts;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  const horizonMs = (settings.finalHours + settings.remindBeforeHours) * 3600e3 + OVERDUE_GRACE_MS;

  async function remind(incident: Incident, at: number): Promise<number> {
    const clock = reportingClock(incident, await store.listIncidentChanges(incident.id), settings, at);
    let queued = 0;
    for (const r of remindersDue(clock)) {
      if (r.reason === 'overdue' && at - Date.parse(r.deadline.due) > OVERDUE_GRACE_MS) continue;
      queued += await notifier.remindReport(incident, `report-${r.kind}-${r.reason}`, r.deadline.due);
    }
    return queued;
  }

  async function checkOnce(at: number): Promise<number> {
    let queued = 0;
    try {
      const { items } = await store.listIncidents({ status: REPORTABLE, severity: settings.seriousSeverities, tenants: null, limit: 5000 });
      for (const incident of items) {
        if (at - Date.parse(incident.created) > horizonMs) continue;
        queued += await remind(incident, at);
      }
    } catch (err) {
      logger.error({ err: String(err) }, 'report deadline check failed');
    }
    return queued;
  }

  return {
    async check(now = new Date()) {
      if (running) return running; // one check at a time: a slow store does not stack them
      running = checkOnce(now.getTime()).finally(() => (running = null));
      return running;
    },
    start(everyMs) {
      if (timer) return;
      timer = setInterval(() => void this.check(), everyMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
