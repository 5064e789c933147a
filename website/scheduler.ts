/**
 * When each site is checked: every site on its own interval (never below the floor), at most
 * `concurrency` checks at once, a site never checked twice at the same time. A slow site holds one
 * slot for at most its check's bound; the other sites go on in the other slots.
 */
export interface Scheduled {
  id: string;
  intervalS: number;
}

export interface SchedulerOptions<T extends Scheduled> {
  concurrency: number;
  floorS: number;
  now?: () => number;
  run(item: T): Promise<void>;
  onError?(item: T, e: Error): void;
}

export class Scheduler<T extends Scheduled> {
  private items = new Map<string, T>();
  private nextAt = new Map<string, number>();
  private running = new Set<string>();
  private waiters: (() => void)[] = [];
  /** The most checks that ever ran at once, and how many ran in all. */
  readonly stats = { maxRunning: 0, started: 0 };

  constructor(private readonly opts: SchedulerOptions<T>) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new Error(`website concurrency: expected a whole number ≥ 1, got ${opts.concurrency}`);
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** The sites to check; a new one is due at once, a known one keeps its time, one gone is dropped. */
  setItems(items: T[]): void {
    const ids = new Set(items.map((i) => i.id));
    for (const id of this.items.keys()) if (!ids.has(id)) (this.items.delete(id), this.nextAt.delete(id));
    for (const i of items) {
      this.items.set(i.id, i);
      if (!this.nextAt.has(i.id)) this.nextAt.set(i.id, this.now());
    }
  }

  intervalMs(i: T): number {
    return Math.max(this.opts.floorS, i.intervalS) * 1000;
  }

  /** Starts the due checks the pool has room for, the longest overdue first; returns how many started. */
  tick(): number {
    const now = this.now();
    const due = [...this.items.values()].filter((i) => !this.running.has(i.id) && (this.nextAt.get(i.id) ?? 0) <= now).sort((a, b) => this.nextAt.get(a.id)! - this.nextAt.get(b.id)!);
    let started = 0;
    for (const item of due) {
      if (this.running.size >= this.opts.concurrency) break;
      this.start(item, now);
      started++;
    }
    return started;
  }

  private start(item: T, now: number): void {
    this.running.add(item.id);
    this.nextAt.set(item.id, now + this.intervalMs(item));
    this.stats.started++;
    this.stats.maxRunning = Math.max(this.stats.maxRunning, this.running.size);
    void this.opts
      .run(item)
      .catch((e: Error) => this.opts.onError?.(item, e))
      .finally(() => {
        this.running.delete(item.id);
        this.tick();
        if (this.running.size === 0) for (const w of this.waiters.splice(0)) w();
      });
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Resolves once no check is running. */
  idle(): Promise<void> {
    return this.running.size === 0 ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }
}
