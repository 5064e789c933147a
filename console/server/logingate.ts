/**
 * One login attempt at a time per account, in this process: the failure count and the
 * lockout are read and written by one attempt before the next one reads them, so parallel
 * guesses cannot all see "0 failures". Too many waiting attempts on one account are refused
 * without checking their password.
 */
export interface AccountGate {
  /** Runs the attempt after the earlier ones on this account have finished; null when maxWaiting attempts wait already. */
  run<T>(account: string, attempt: () => Promise<T>): Promise<T> | null;
  /** Accounts with an attempt in flight (bounded by the attempts in flight). */
  size(): number;
}

export function createAccountGate(opts: { maxWaiting: number }): AccountGate {
  const queues = new Map<string, { tail: Promise<unknown>; waiting: number }>();
  return {
    run<T>(account: string, attempt: () => Promise<T>): Promise<T> | null {
      let q = queues.get(account);
      if (!q) queues.set(account, (q = { tail: Promise.resolve(), waiting: 0 }));
      if (q.waiting >= opts.maxWaiting) return null;
      const queue = q;
      queue.waiting++;
      const result = queue.tail.then(attempt);
      queue.tail = result
        .catch(() => undefined)
        .finally(() => {
          if (--queue.waiting === 0 && queues.get(account) === queue) queues.delete(account);
        });
      return result;
    },
    size: () => queues.size,
  };
}
