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

/** A collector's snapshot as it is kept in the store, with the events it still holds. */
export type StoredCounters = CountersSnapshot & { pending: number; instance?: string; instances?: string[] };

function addCounts(a: Counts, b: Counts): Counts {
  const out = { ...a };
  for (const k of ['received', 'parsed', 'failed', 'dropped', 'refused', 'idle_closed', 'bytes'] as const) out[k] = a[k] + b[k];
  out.last_seen = [a.last_seen, b.last_seen].filter((x): x is string => !!x).sort().pop() ?? null;
  return out;
}

function addMaps(into: Record<string, Counts>, from: Record<string, Counts>): void {
  for (const [k, v] of Object.entries(from)) into[k] = into[k] ? addCounts(into[k], v) : { ...v };
}

/** The counters of several collectors added up: per listener, per agency and per reason; `at` is the newest. */
export function sumCounters(snaps: StoredCounters[]): StoredCounters {
  const out: StoredCounters = { at: new Date(0).toISOString(), listeners: {}, tenants: {}, reasons: {}, pending: 0, instances: [] };
  for (const s of snaps) {
    if (s.at > out.at) out.at = s.at;
    addMaps(out.listeners, s.listeners ?? {});
    addMaps(out.tenants, s.tenants ?? {});
    for (const [l, rs] of Object.entries(s.reasons ?? {})) {
      const r = (out.reasons[l] ??= {});
      for (const [why, n] of Object.entries(rs)) r[why] = (r[why] ?? 0) + n;
    }
    out.pending += s.pending ?? 0;
    if (s.instance) out.instances!.push(s.instance);
  }
  return out;
}

/** Store keys: each collector's own snapshot, the list of instances, and their sum (the key the console reads). */
export const COUNTERS_KEYS = {
  instance: (id: string) => `collector.counters.instance.${id}`,
  instances: 'collector.counters.instances',
  total: 'collector.counters.main',
} as const;

/** Where the listeners of the last collector to start listen: the console names these ports (not the defaults) to people. */
export const ADDRESSES_STATE_KEY = 'collector.addresses';

type StateStore = { getState(key: string): Promise<string | null>; putState(key: string, value: string): Promise<void> };

/** Every collector's counters from the store, added up (what the console shows). */
export async function collectorCounters(store: StateStore): Promise<StoredCounters | null> {
  const ids = JSON.parse((await store.getState(COUNTERS_KEYS.instances)) ?? '[]') as string[];
  const snaps = (await Promise.all(ids.map((id) => store.getState(COUNTERS_KEYS.instance(id))))).filter((x): x is string => !!x).map((x) => JSON.parse(x) as StoredCounters);
  return snaps.length ? sumCounters(snaps) : null;
}

/** Saves one collector's counters under its instance id, then the sum of all instances under the key the console reads. */
export async function saveCounters(store: StateStore, instance: string, snap: StoredCounters): Promise<void> {
  await store.putState(COUNTERS_KEYS.instance(instance), JSON.stringify({ ...snap, instance }));
  const ids = JSON.parse((await store.getState(COUNTERS_KEYS.instances)) ?? '[]') as string[];
  if (!ids.includes(instance)) await store.putState(COUNTERS_KEYS.instances, JSON.stringify([...ids, instance]));
  const total = await collectorCounters(store);
  if (total) await store.putState(COUNTERS_KEYS.total, JSON.stringify(total));
}
