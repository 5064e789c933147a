/**
 * Writes the console's audit entries. On a full disk the store refuses them; the read or
 * change the analyst made must not fail for that (reads go on while the disk is full), so
 * the entry waits in memory, in order, is logged as it waits, and is written as soon as
 * the store takes writes again. Other failures are the caller's, as before.
 */
import type { Logger } from '../../core/log';
import type { AuditEntry } from '../../core/model';
import type { Store } from '../../core/store/store';

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const RETRY_MS = 2000;
const MAX_WAITING = 50_000;

export interface AuditWriter {
  append(entry: AuditEntry): Promise<void>;
  /** Entries not yet written (disk full), and entries that could not be kept at all. */
  stats(): { waiting: number; lost: number };
  /** Tries the waiting entries once more; resolves when none is left or the store still refuses. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DISK_FULL.has(code);
}

export function createAuditWriter(store: Pick<Store, 'appendAudit'>, logger: Logger): AuditWriter {
  const waiting: AuditEntry[] = [];
  let lost = 0;
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;

  const schedule = () => {
    if (timer || !waiting.length) return;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, RETRY_MS);
    timer.unref();
  };

  async function drain(): Promise<void> {
    while (waiting.length) {
      try {
        await store.appendAudit(waiting[0]);
      } catch (e) {
        if (!isDiskFull(e)) logger.error({ err: (e as Error).message, waiting: waiting.length }, 'console: writing waiting audit entries failed; retrying');
        schedule();
        return;
      }
      waiting.shift();
      if (!waiting.length) logger.warn('console: the disk has room again; every waiting audit entry is written');
    }
  }

  function flush(): Promise<void> {
    flushing ??= drain().finally(() => (flushing = null));
    return flushing;
  }

  function hold(entry: AuditEntry): void {
    if (waiting.length >= MAX_WAITING) {
      lost++;
      logger.error({ entry, lost }, 'console: the disk is full and too many audit entries wait; this one is only in this log');
      return;
    }
    waiting.push(entry);
    // the log keeps it too, in case the process ends before the disk has room
    logger.warn({ entry, waiting: waiting.length }, 'console: the disk is full; the audit entry waits in memory and is written when there is room');
    schedule();
  }

  return {
    async append(entry) {
      if (waiting.length) {
        hold(entry); // keep the order of the chain: nothing jumps the queue
        return;
      }
      try {
        await store.appendAudit(entry);
      } catch (e) {
        if (!isDiskFull(e)) throw e;
        hold(entry);
      }
    },
    stats: () => ({ waiting: waiting.length, lost }),
    flush,
    async close() {
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
      if (waiting.length) logger.error({ waiting: waiting.length, entries: waiting }, 'console: stopping with audit entries the full disk never took; they are in this log');
    },
  };
}
