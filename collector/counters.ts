/**
 * Per-listener and per-agency counters: received, parsed, failed (pipeline errors and dead
 * letters), dropped, refused (input or connections turned away before they became events)
 * and idle_closed; each refusal and drop also counts under its reason, per listener.
 */

export interface Counts {
  received: number;
  parsed: number;
  failed: number;
  dropped: number;
  refused: number;
  idle_closed: number;
  bytes: number;
  last_seen: string | null;
}

export type CountName = keyof Omit<Counts, 'last_seen'>;

export interface CountersSnapshot {
  at: string;
  listeners: Record<string, Counts>;
  tenants: Record<string, Counts>;
  /** listener → reason → how many inputs were refused or dropped for it (e.g. gzip_too_large, connection_limit). */
  reasons: Record<string, Record<string, number>>;
}

const empty = (): Counts => ({ received: 0, parsed: 0, failed: 0, dropped: 0, refused: 0, idle_closed: 0, bytes: 0, last_seen: null });

export class Counters {
  private readonly listeners = new Map<string, Counts>();
  private readonly tenants = new Map<string, Counts>();
  private readonly reasons = new Map<string, Map<string, number>>();

  private readonly lastSeen = new Map<Counts, number>(); // epoch ms; turned into ISO only when read

  add(listener: string, tenant: string | null, what: CountName, n = 1): void {
    if (n === 0) return;
    this.bump(this.listeners, listener, what, n);
    if (tenant !== null) this.bump(this.tenants, tenant, what, n);
  }

  /** Something turned away (`what` refused, dropped or idle_closed), counted under its reason too. */
  reject(listener: string, tenant: string | null, what: 'refused' | 'dropped' | 'idle_closed', reason: string, n = 1): void {
    if (n === 0) return;
    this.add(listener, tenant, what, n);
    let r = this.reasons.get(listener);
    if (!r) this.reasons.set(listener, (r = new Map()));
    r.set(reason, (r.get(reason) ?? 0) + n);
  }

  /** How many times `reason` was counted on `listener`. */
  reason(listener: string, reason: string): number {
    return this.reasons.get(listener)?.get(reason) ?? 0;
  }

  private bump(map: Map<string, Counts>, key: string, what: CountName, n: number): void {
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

  tenant(id: string): Counts {
    const c = this.tenants.get(id);
    return c ? this.view(c) : empty();
  }

  snapshot(): CountersSnapshot {
    return {
      at: new Date().toISOString(),
      listeners: Object.fromEntries([...this.listeners].map(([k, v]) => [k, this.view(v)])),
      tenants: Object.fromEntries([...this.tenants].map(([k, v]) => [k, this.view(v)])),
      reasons: Object.fromEntries([...this.reasons].map(([k, v]) => [k, Object.fromEntries(v)])),
    };
  }
}
