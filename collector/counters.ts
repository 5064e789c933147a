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

  add(listener: string, tenant: string | null, what: keyof Omit<Counts, 'last_seen'>, n = 1): void {
    if (n === 0) return;
    const now = new Date().toISOString();
    for (const [map, key] of [[this.listeners, listener], [this.tenants, tenant]] as const) {
      if (key === null) continue;
      let c = map.get(key);
      if (!c) map.set(key, (c = empty()));
      c[what] += n;
      if (what === 'received') c.last_seen = now;
    }
  }

  get(listener: string): Counts {
    return { ...(this.listeners.get(listener) ?? empty()) };
  }

  snapshot(): CountersSnapshot {
    return {
      at: new Date().toISOString(),
      listeners: Object.fromEntries([...this.listeners].map(([k, v]) => [k, { ...v }])),
      tenants: Object.fromEntries([...this.tenants].map(([k, v]) => [k, { ...v }])),
    };
  }
}
