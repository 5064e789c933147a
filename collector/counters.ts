/** Per-listener and per-agency counters: received, parsed, failed (pipeline errors and dead letters), dropped. */

export interface Counts {
  received: number;
  parsed: number;
  failed: number;
  dropped: number;
  bytes: number;
  last_seen: string | null;
}

export interface CountersSnapshot {
  at: string;
  listeners: Record<string, Counts>;
  tenants: Record<string, Counts>;
}

const empty = (): Counts => ({ received: 0, parsed: 0, failed: 0, dropped: 0, bytes: 0, last_seen: null });

export class Counters {
  private readonly listeners = new Map<string, Counts>();
  private readonly tenants = new Map<string, Counts>();

  private readonly lastSeen = new Map<Counts, number>(); // epoch ms; turned into ISO only when read

  add(listener: string, tenant: string | null, what: keyof Omit<Counts, 'last_seen'>, n = 1): void {
    if (n === 0) return;
    this.bump(this.listeners, listener, what, n);
    if (tenant !== null) this.bump(this.tenants, tenant, what, n);
  }

  private bump(map: Map<string, Counts>, key: string, what: keyof Omit<Counts, 'last_seen'>, n: number): void {
    let c = map.get(key);
    if (!c) map.set(key, (c = empty()));
    c[what] += n;
    if (what === 'received') this.lastSeen.set(c, Date.now());
  }

  private view(c: Counts): Counts {
    const t = this.lastSeen.get(c);
    return { ...c, last_seen: t ? new Date(t).toISOString() : null };
  }

  get(listener: string): Counts {
    const c = this.listeners.get(listener);
    return c ? this.view(c) : empty();
  }

  snapshot(): CountersSnapshot {
    return {
      at: new Date().toISOString(),
      listeners: Object.fromEntries([...this.listeners].map(([k, v]) => [k, this.view(v)])),
      tenants: Object.fromEntries([...this.tenants].map(([k, v]) => [k, this.view(v)])),
    };
  }
}
