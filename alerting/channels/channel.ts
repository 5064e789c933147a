/**
 * A channel delivers one notification to one recipient (email, Zalo, webhook).
 * It never throws: every outcome is a result the outbox can record and act on.
 */
import type { Notification } from '../../core/model';

export type SendResult =
  | { ok: true; providerMessageId?: string }
  | {
      ok: false;
      retryable: boolean;
      error: string;
      /** The provider asked to wait at least this long (rate limit, Retry-After). */
      retryAfterMs?: number;
    };

export interface Channel {
  /** The `Notification.channel` value this channel delivers. */
  readonly name: string;
  send(n: Notification): Promise<SendResult>;
  close?(): Promise<void>;
  /** This channel's own retry policy, over the outbox's: a forward to another SIEM is retried until delivered (attempts Infinity) at most a minute apart. */
  readonly retry?: { maxAttempts?: number; maxBackoffMs?: number };
}

/** The subset of pino the alerting code uses, so a pino logger (or a child) can be passed as is. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

export class ChannelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelConfigError';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A message from anything thrown, for recording: never the stack, never the request. */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const cause = (err as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? `: ${cause.message}` : '';
    return `${typeof code === 'string' ? code + ' ' : ''}${err.message}${causeText}`;
  }
  return String(err);
}

/** Parses an HTTP Retry-After header (seconds or a date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(value);
  if (Number.isFinite(at)) return Math.max(0, at - now);
  return undefined;
}
