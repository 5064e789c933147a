/**
 * Per-address limit on failed logins (sliding window), in front of the per-account lockout:
 * one address guessing many accounts is stopped too. Memory is bounded.
 * An attempt is reserved before its password is checked (the check is async, so counting
 * after it would let every parallel request through) and released when it succeeds.
 */
export type Reservation = { ok: true; release(): void } | { ok: false; retryAfter: number };

export interface LoginLimiter {
  /** Seconds until this address may try again, or 0 when it may try now. */
  retryAfter(ip: string, now?: number): number;
  /** Counts an attempt now, synchronously, as a failure unless released; refused when the address is over its limit. */
  reserve(ip: string, now?: number): Reservation;
  failed(ip: string, now?: number): void;
  succeeded(ip: string): void;
}

export function createLoginLimiter(opts: { maxFailures: number; windowSeconds: number; maxAddresses?: number }): LoginLimiter {
  const windowMs = opts.windowSeconds * 1000;
  const maxAddresses = opts.maxAddresses ?? 100_000;
  const hits = new Map<string, number[]>();
  const prune = (list: number[], now: number) => {
    while (list.length && list[0] <= now - windowMs) list.shift();
  };
  const retryAfter = (ip: string, now: number) => {
    const list = hits.get(ip);
    if (!list) return 0;
    prune(list, now);
    if (list.length < opts.maxFailures) return 0;
    return Math.max(1, Math.ceil((list[list.length - opts.maxFailures] + windowMs - now) / 1000));
  };
  const failed = (ip: string, now: number) => {
    let list = hits.get(ip);
    if (!list) {
      if (hits.size >= maxAddresses) hits.delete(hits.keys().next().value as string); // the oldest address goes first
      hits.set(ip, (list = []));
    }
    prune(list, now);
    list.push(now);
  };
  return {
    retryAfter: (ip, now = Date.now()) => retryAfter(ip, now),
    reserve(ip, now = Date.now()) {
      const wait = retryAfter(ip, now);
      if (wait > 0) return { ok: false, retryAfter: wait };
      failed(ip, now);
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          const list = hits.get(ip);
          const i = list ? list.indexOf(now) : -1;
          if (i >= 0) list!.splice(i, 1);
        },
      };
    },
    failed: (ip, now = Date.now()) => failed(ip, now),
    succeeded(ip) {
      hits.delete(ip);
    },
  };
}
