/**
 * The outbox: every notification is written to the store before anything is sent, then a
 * worker claims the due ones, sends each through its channel and records the outcome.
 *
 * - Idempotent: the notification id is the key; a redelivered alert never queues twice, and
 *   the same id reaches the receiver (webhook Idempotency-Key, email Message-ID) so a resend
 *   after a crash between sending and recording is recognisable there.
 * - Retries: retryable failures come back after an exponential back-off (or the provider's
 *   Retry-After, whichever is longer) until `maxAttempts`; permanent ones fail at once.
 * - Restart: a claimed notification carries a lease; one whose lease ran out (its worker died)
 *   goes back to pending, and so does every 'held' one whose hold time has come.
 */
import type { Notification } from '../core/model';
import { OPEN_STATUSES } from '../core/model';
import type { IncidentRepository, OutboxRepository } from '../core/store/store';
import { type Channel, type Logger, type SendResult, errorText, silentLogger } from './channels/channel';

export interface OutboxOptions {
  store: OutboxRepository & Pick<IncidentRepository, 'getIncident'>; // the outbox, and an incident's state before sending
  channels: Record<string, Channel> | Channel[];
  logger?: Logger;
  /** How often the worker looks for due notifications when nothing woke it. */
  pollMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** How long a claimed notification belongs to this worker before another may take it over. */
  leaseMs?: number;
  /** How often held and abandoned notifications are looked for. */
  sweepMs?: number;
  /**
   * At start, take over every notification left 'sending' without waiting for its lease:
   * right when this is the only worker on the store (the embedded default); set false when
   * several alerting processes share one store, so a restart never takes another's sends.
   */
  takeOverOnStart?: boolean;
  now?: () => number;
}

/** What a caller provides; the outbox fills in the bookkeeping fields. */
export type NewNotification = Omit<Notification, 'status' | 'attempts' | 'nextAttemptAt' | 'created' | 'lastError' | 'providerMessageId' | 'sentAt'> &
  Partial<Pick<Notification, 'status' | 'nextAttemptAt' | 'lastError'>>;

export interface Outbox {
  /** Writes the notification (unless its id exists) and wakes the worker; true when it was new. */
  enqueue(n: NewNotification): Promise<boolean>;
  /** Resumes what a previous process left and starts the worker. */
  start(): Promise<void>;
  /** Stops the worker after the sends in flight are recorded. */
  stop(): Promise<void>;
  /** Sends everything due now and returns when it is recorded; retries scheduled for later stay queued. */
  drain(): Promise<void>;
  /** One pass: sweep if due, claim a batch, send, record. Returns how many were sent or attempted. */
  runOnce(opts?: { sweep?: boolean }): Promise<number>;
}


export function createOutbox(opts: OutboxOptions): Outbox {
  const { store } = opts;
  const logger = opts.logger ?? silentLogger;
  const channels: Record<string, Channel> = Array.isArray(opts.channels) ? Object.fromEntries(opts.channels.map((c) => [c.name, c])) : { ...opts.channels };
  const pollMs = opts.pollMs ?? 1000;
  const batchSize = opts.batchSize ?? 20;
  const maxAttempts = opts.maxAttempts ?? 10;
  const backoffBaseMs = opts.backoffBaseMs ?? 30_000;
  const backoffMaxMs = opts.backoffMaxMs ?? 3600_000;
  const leaseMs = opts.leaseMs ?? 120_000;
  const sweepMs = opts.sweepMs ?? 15_000;
  const now = opts.now ?? Date.now;
  const iso = (ms: number) => new Date(ms).toISOString();

  const inFlight = new Set<string>();
  let lastSweep = 0;
  let timer: NodeJS.Timeout | null = null;
  let started = false;
  let current: Promise<number> | null = null;
  let wakeAgain = false;

  function backoff(attempts: number, channel?: Channel): number {
    return Math.min(channel?.retry?.maxBackoffMs ?? backoffMaxMs, backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  }

  /** Held notifications whose time has come, and claims abandoned by a dead worker, go back to pending. */
  async function sweep(takeOver = false): Promise<void> {
    lastSweep = now();
    const t = iso(now());
    const waiting = await store.listNotifications({ status: ['held', 'sending'], tenants: null, limit: 10_000 });
    for (const n of waiting) {
      if (inFlight.has(n.id)) continue;
      if (n.nextAttemptAt > t && !(takeOver && n.status === 'sending')) continue;
      if (n.status === 'sending') {
        logger.warn(
          { notification: n.id, channel: n.channel, attempts: n.attempts },
          'resuming a notification whose send was interrupted; the receiver can recognise a repeat by its idempotency key',
        );
      }
      await store.updateNotification({ ...n, status: 'pending', nextAttemptAt: t });
    }
  }

  async function record(n: Notification, result: SendResult): Promise<void> {
    const t = now();
    let next: Notification;
    if (result.ok) {
      next = { ...n, status: 'sent', sentAt: iso(t), providerMessageId: result.providerMessageId ?? null, lastError: null };
      logger.info({ notification: n.id, channel: n.channel, incident: n.incidentId, attempts: n.attempts }, 'notification sent');
    } else if (result.retryable && n.attempts < (channels[n.channel]?.retry?.maxAttempts ?? maxAttempts)) {
      const wait = Math.max(backoff(n.attempts, channels[n.channel]), result.retryAfterMs ?? 0);
      next = { ...n, status: 'pending', nextAttemptAt: iso(t + wait), lastError: result.error };
      logger.warn({ notification: n.id, channel: n.channel, attempts: n.attempts, retryInMs: wait, error: result.error }, 'notification not sent; will retry');
    } else {
      const error = result.retryable ? `gave up after ${n.attempts} attempts: ${result.error}` : result.error;
      next = { ...n, status: 'failed', lastError: error };
      logger.error({ notification: n.id, channel: n.channel, incident: n.incidentId, attempts: n.attempts, error }, 'notification failed');
    }
    await store.updateNotification(next);
  }

  /** A held severity-raise follow-up is not sent for an incident closed meanwhile: why, or null to send. */
  async function closedBeforeFollowUp(n: Notification): Promise<string | null> {
    if (!n.reason.startsWith('raised-') || !n.incidentId) return null;
    const inc = await store.getIncident(n.incidentId, null);
    return inc && !OPEN_STATUSES.includes(inc.status) ? `not sent: incident ${inc.id} was closed (${inc.status}) before this follow-up was due` : null;
  }

  async function deliver(claimed: Notification): Promise<void> {
    inFlight.add(claimed.id);
    try {
      // the lease marks it as ours while we send, and counts the attempt before it is made
      const n: Notification = { ...claimed, status: 'sending', attempts: claimed.attempts + 1, nextAttemptAt: iso(now() + leaseMs) };
      await store.updateNotification(n);
      const channel = channels[n.channel];
      let result: SendResult;
      const closed = await closedBeforeFollowUp(n);
      if (closed) {
        result = { ok: false, retryable: false, error: closed };
      } else if (!channel) {
        result = { ok: false, retryable: false, error: `no channel "${n.channel}" is configured (configured: ${Object.keys(channels).join(', ') || 'none'})` };
      } else {
        try {
          result = await channel.send(n);
        } catch (err) {
          result = { ok: false, retryable: true, error: `${n.channel}: ${errorText(err)}` };
        }
      }
      await record(n, result);
    } catch (err) {
      // the store failed: the lease expires and a sweep resumes the notification
      logger.error({ notification: claimed.id, err: errorText(err) }, 'could not record a notification outcome');
    } finally {
      inFlight.delete(claimed.id);
    }
  }

  async function runOnceInner(sweepNow: boolean): Promise<number> {
    if (sweepNow || now() - lastSweep >= sweepMs) await sweep();
    const claimed = await store.claimDueNotifications(iso(now()), batchSize);
    await Promise.all(claimed.map(deliver));
    return claimed.length;
  }

  /** One pass at a time, so stop() and drain() can wait for the one in progress. */
  function runOnce(o: { sweep?: boolean } = {}): Promise<number> {
    const prev = current ?? Promise.resolve(0);
    const run = prev.catch(() => 0).then(() => runOnceInner(o.sweep ?? false));
    current = run;
    void run.finally(() => {
      if (current === run) current = null;
    }).catch(() => undefined);
    return run;
  }

  function schedule(ms: number): void {
    if (!started) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref?.();
  }

  async function tick(): Promise<void> {
    timer = null;
    if (!started) return;
    let n = 0;
    try {
      n = await runOnce();
    } catch (err) {
      logger.error({ err: errorText(err) }, 'outbox pass failed');
    }
    // a full batch or a wake-up during the pass means there may be more right now
    const again = wakeAgain || n >= batchSize;
    wakeAgain = false;
    schedule(again ? 0 : pollMs);
  }

  return {
    async enqueue(input) {
      const t = iso(now());
      const n: Notification = {
        ...input,
        status: input.status ?? 'pending',
        attempts: 0,
        nextAttemptAt: input.nextAttemptAt ?? t,
        created: t,
        lastError: input.lastError ?? null,
        providerMessageId: null,
        sentAt: null,
      };
      const inserted = await store.enqueueNotification(n);
      if (inserted && n.status === 'pending' && started) {
        if (current) wakeAgain = true;
        else schedule(0);
      }
      return inserted;
    },
    async start() {
      if (started) return;
      await sweep(opts.takeOverOnStart ?? true);
      started = true;
      schedule(0);
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      while (current) await current.catch(() => 0);
    },
    async drain() {
      let sweepFirst = true;
      for (;;) {
        const n = await runOnce({ sweep: sweepFirst });
        sweepFirst = false;
        if (n === 0) break;
      }
    },
    runOnce,
  };
}
