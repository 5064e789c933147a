/**
 * Syslog forwarding channel: delivers a queued forward (its body is the whole RFC 5424 message,
 * formatted by cef-format.ts when it was queued) to the destination named by its recipient.
 *
 * Order per destination: sends that arrive together are written oldest first, and while an
 * earlier message to a destination waits for a retry, later ones wait behind it. Once the
 * earliest gets through, the ones behind it are written at once, in order, from memory (not at
 * their own later retry, which then finds them sent), so a receiver that was down gets
 * everything in order as soon as it is back.
 */
import type { Notification } from '../../core/model';
import { type Channel, ChannelConfigError, type Logger, type SendResult, silentLogger } from './channel';
import { type ForwardDestination, forwardConfigSchema } from './syslog-config';
import { type Transport, TransportError, createTransport } from './syslog-transport';

export interface SyslogChannelOptions {
  logger?: Logger;
  /** Attempts before a forward is given up (default: never, it waits for the receiver); a message failing its last attempt no longer holds later ones back. */
  maxAttempts?: number;
  /** Config path for error messages. */
  where?: string;
  /** A waiting message not retried for this long is taken as gone (another worker took it, or it was failed). */
  staleMs?: number;
}

interface Pending {
  n: Notification;
  resolve: (r: SendResult) => void;
}

/** The order of a forward among those to its destination: its payload's `order`, else when it was queued. */
export function forwardOrder(n: Notification): number {
  const o = (n.payload as { order?: unknown } | null | undefined)?.order;
  return typeof o === 'number' ? o : Date.parse(n.created) * 1000;
}

class DestinationQueue {
  private queue: Pending[] = [];
  private flushing = false;
  /** Forwards that failed and will be retried: later ones wait behind them. */
  private waiting = new Map<string, { order: number; seen: number; body: string }>();
  /** Forwards written from `waiting` once the way was clear, before the outbox retried them. */
  private sentAhead = new Map<string, number>();

  constructor(
    readonly dest: ForwardDestination,
    private readonly transport: Transport,
    private readonly maxAttempts: number,
    private readonly staleMs: number,
  ) {}

  send(n: Notification): Promise<SendResult> {
    return new Promise((resolve) => {
      this.queue.push({ n, resolve });
      // the outbox hands a batch over in one go: gather it, then write oldest first
      if (!this.flushing) setImmediate(() => void this.flush());
      this.flushing = true;
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0).sort((a, b) => forwardOrder(a.n) - forwardOrder(b.n));
        for (const p of batch) p.resolve(await this.deliver(p.n));
      }
    } finally {
      this.flushing = false;
    }
  }

  private earlierWaiting(n: Notification, order: number): boolean {
    const now = Date.now();
    for (const [id, at] of this.sentAhead) if (now - at > this.staleMs) this.sentAhead.delete(id);
    for (const [id, w] of this.waiting) {
      if (now - w.seen > this.staleMs) this.waiting.delete(id);
      else if (id !== n.id && w.order < order) return true;
    }
    return false;
  }

  private async deliver(n: Notification): Promise<SendResult> {
    if (this.sentAhead.delete(n.id)) return { ok: true };
    const order = forwardOrder(n);
    let result: SendResult;
    if (this.earlierWaiting(n, order)) {
      result = { ok: false, retryable: true, error: `forward ${this.dest.name}: waiting behind an earlier message to this destination, which is being retried` };
    } else {
      try {
        await this.transport.send(n.body);
        result = { ok: true };
      } catch (e) {
        const t = e instanceof TransportError ? e : new TransportError(String(e), true);
        result = { ok: false, retryable: t.retryable, error: t.message, retryAfterMs: t.retryAfterMs };
      }
    }
    if (result.ok || !result.retryable || n.attempts >= this.maxAttempts) this.waiting.delete(n.id);
    else this.waiting.set(n.id, { order, seen: Date.now(), body: n.body });
    if (result.ok) await this.catchUp();
    return result;
  }

  /** The way is clear: writes what waited, oldest first, until one fails. */
  private async catchUp(): Promise<void> {
    const behind = [...this.waiting].sort((a, b) => a[1].order - b[1].order);
    for (const [id, w] of behind) {
      try {
        await this.transport.send(w.body);
      } catch {
        return; // the rest keep waiting for their retries
      }
      this.waiting.delete(id);
      this.sentAhead.set(id, Date.now());
    }
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/** The `syslog` channel over the configured destinations; bad settings fail here with the key named. */
export function createSyslogChannel(destinations: unknown, opts: SyslogChannelOptions = {}): Channel {
  const where = opts.where ?? 'alerting.forward';
  const parsed = forwardConfigSchema.safeParse(destinations);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChannelConfigError(`${where}${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`);
  }
  const logger = opts.logger ?? silentLogger;
  const queues = new Map<string, DestinationQueue>();
  parsed.data.forEach((d, i) => {
    let transport: Transport;
    try {
      transport = createTransport(d, logger, `${where}[${i}]`);
    } catch (e) {
      throw new ChannelConfigError((e as Error).message);
    }
    queues.set(d.name, new DestinationQueue(d, transport, opts.maxAttempts ?? Infinity, opts.staleMs ?? 3 * 3600_000));
  });

  return {
    name: 'syslog',
    // nothing forwarded is given up while a receiver is down: retried until delivered, at most a minute apart
    retry: { maxAttempts: opts.maxAttempts ?? Infinity, maxBackoffMs: 60_000 },
    async send(n) {
      const q = queues.get(n.recipient);
      if (!q) return { ok: false, retryable: false, error: `forward destination "${n.recipient}" is not configured (known: ${[...queues.keys()].join(', ') || 'none'})` };
      return q.send(n);
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
