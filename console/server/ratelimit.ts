/**
 * Per-address limit on failed logins (sliding window), in front of the per-account lockout:
 * one address guessing many accounts is stopped too. Memory is bounded.
 */
export interface LoginLimiter {
  /** Seconds until this address may try again, or 0 when it may try now. */
  retryAfter(ip: string, now?: number): number;
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
  return {
    retryAfter(ip, now = Date.now()) {
      const list = hits.get(ip);
      if (!list) return 0;
      prune(list, now);
      if (list.length < opts.maxFailures) return 0;
      return Math.max(1, Math.ceil((list[list.length - opts.maxFailures] + windowMs - now) / 1000));
    },
    failed(ip, now = Date.now()) {
      let list = hits.get(ip);
      if (!list) {
        if (hits.size >= maxAddresses) hits.delete(hits.keys().next().value as string); // the oldest address goes first
        hits.set(ip, (list = []));
      }
      prune(list, now);
      list.push(now);
    },
    succeeded(ip) {
      hits.delete(ip);
    },
  };
}
