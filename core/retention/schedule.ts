/** Retention on its node-cron schedule (retention.schedule, daily by default), one run at a time, in the process that runs the indexer. */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import type { RetentionConfig } from './config-schema';
import { runRetention } from './run';

export interface RetentionSchedule {
  nextRun(): Date | null;
  stop(): Promise<void>;
}

export function startRetentionSchedule(store: Store, cfg: RetentionConfig, logger: Logger): RetentionSchedule | null {
  if (!cfg.enabled) return null;
  if (!cron.validate(cfg.schedule)) throw new Error(`retention.schedule: "${cfg.schedule}" is not a cron expression (e.g. "30 2 * * *", daily at 02:30)`);
  const task: ScheduledTask = cron.schedule(
    cfg.schedule,
    async () => {
      try {
        const runs = await runRetention(store, cfg, { actor: 'canhgac' });
        if (runs.length) logger.info({ agencies: runs.map((r) => ({ tenant: r.tenant, deleted: r.deleted, before: r.before })) }, 'retention: deleted events past their agency\'s retention');
      } catch (e) {
        logger.warn({ err: (e as Error).message }, 'retention: the run stopped; the next one finishes it');
      }
    },
    { timezone: cfg.time_zone, name: 'canhgac-retention', noOverlap: true },
  );
  return {
    nextRun: () => task.getNextRun() ?? null,
    async stop() {
      await task.destroy();
    },
  };
}
