/**
 * Building something derived from the stored events of an old data dir (rollups, the field index) in the
 * background: one step a tick, so ingest keeps its turn and the store answers (by scans) meanwhile;
 * progress logged every 5 s, `ready` resolved when done, a failure logged with what keeps working instead.
 */
import type Database from 'better-sqlite3';

type LogFn = (obj: object, msg: string) => void;
export type BackfillLogger = { info?: LogFn; warn: LogFn; error: LogFn };

export interface BackfillSay {
  building: string; // logged while steps remain
  built: string; // logged once done
  failed: string; // logged if a step throws
}

export function startBackfill(db: Database.Database, step: () => { done: number; end: number; more: boolean }, say: BackfillSay, logger?: BackfillLogger): { ready: Promise<void>; stop(): void } {
  let stopped = false;
  let lastLog = 0;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const tick = () => {
    if (stopped || !db.open) return;
    try {
      const s = step();
      if (s.done && (Date.now() - lastLog > 5000 || !s.more)) {
        lastLog = Date.now();
        (logger?.info ?? logger?.warn)?.({ done: s.done, of: s.end }, s.more ? say.building : say.built);
      }
      if (s.more) return void setTimeout(tick, 1).unref();
      markReady();
    } catch (e) {
      logger?.error({ err: (e as Error).message }, say.failed);
    }
  };
  setTimeout(tick, 0).unref();
  return { ready, stop: () => void (stopped = true) };
}
