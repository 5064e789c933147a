/**
 * Correlation windows: one per (tenant, group-by values) of a correlation rule, sliding over event
 * time, bounded in memory, JSON-serializable for checkpoints. Counts are kept incrementally, so an
 * event costs O(1) amortized however full its window is (a flood cannot slow detection down).
 *
 * Choices the spec leaves open (written down here and in README.md):
 *  - time is event time; a window holds the entries whose time is within `timespan` (inclusive) of the
 *    newest entry of that group; an entry older than that on arrival does not count (too late);
 *  - the condition is checked each time an entry arrives; when it holds the window fires and is
 *    cleared, so the next detection needs a fresh set of events (no storm of repeats);
 *  - an event missing a group-by field does not count toward that correlation;
 *  - value_percentile: the share (in percent) of the window's events whose field value equals the
 *    arriving event's value, compared with the condition (rare values: `lte: 1`).
 */
import type { CorrelationType, CountCondition } from './model';

export interface Entry {
  t: number; // event time, ms
  r: number; // index of the referenced rule that matched
  u: number; // unique per arriving event, so one event matched by two rules counts once
  id: string; // event id (or ids of an inner correlation, joined by \n)
  v?: string | number | null; // value_* field value
}

/** What a checkpoint holds for one window. */
export interface Group {
  groupBy: Record<string, string> | null;
  tenant: string;
  entries: Entry[];
}

export const MAX_ENTRIES_PER_GROUP = 10_000;

/** Derived counts of a window's live entries (entries[head..]); rebuilt from the entries when missing. */
interface Agg {
  head: number;
  distinctU: number; // distinct events
  values: Map<string, number>; // value -> entries holding it (value_count, value_percentile)
  rules: Map<number, number>; // rule index -> entries (temporal)
  sum: number; // value_sum / value_avg
  nums: number;
  n: number; // entries with a value
}

const aggs = new WeakMap<Group, Agg>();

const key = (v: Entry['v']): string | null => (v === undefined || v === null ? null : String(v).toLowerCase());
const numOf = (v: Entry['v']): number => (typeof v === 'number' ? v : v === undefined || v === null || v === '' ? NaN : Number(v));

function addToAgg(a: Agg, es: Entry[], i: number): void {
  const e = es[i];
  // entries of one event are contiguous (same time, inserted together)
  if (i === a.head || es[i - 1].u !== e.u) a.distinctU++;
  const k = key(e.v);
  if (k !== null) {
    a.values.set(k, (a.values.get(k) ?? 0) + 1);
    a.n++;
    const x = numOf(e.v);
    if (Number.isFinite(x)) {
      a.sum += x;
      a.nums++;
    }
  }
  a.rules.set(e.r, (a.rules.get(e.r) ?? 0) + 1);
}

function removeFromAgg(a: Agg, es: Entry[], i: number): void {
  const e = es[i];
  if (i + 1 >= es.length || es[i + 1].u !== e.u) a.distinctU--;
  const k = key(e.v);
  if (k !== null) {
    const c = (a.values.get(k) ?? 1) - 1;
    if (c <= 0) a.values.delete(k);
    else a.values.set(k, c);
    a.n--;
    const x = numOf(e.v);
    if (Number.isFinite(x)) {
      a.sum -= x;
      a.nums--;
    }
  }
  const rc = (a.rules.get(e.r) ?? 1) - 1;
  if (rc <= 0) a.rules.delete(e.r);
  else a.rules.set(e.r, rc);
}

function rebuild(g: Group): Agg {
  const a: Agg = { head: 0, distinctU: 0, values: new Map(), rules: new Map(), sum: 0, nums: 0, n: 0 };
  for (let i = 0; i < g.entries.length; i++) addToAgg(a, g.entries, i);
  aggs.set(g, a);
  return a;
}

/** Drops evicted entries from the array (before a checkpoint, or when they pile up). */
export function compact(g: Group): void {
  const a = aggs.get(g);
  if (!a || a.head === 0) return;
  g.entries = g.entries.slice(a.head);
  a.head = 0;
}

/** Empties a window after it fired. */
export function clear(g: Group): void {
  g.entries = [];
  aggs.delete(g);
}

export function liveEntries(g: Group): Entry[] {
  const a = aggs.get(g);
  return a && a.head ? g.entries.slice(a.head) : g.entries;
}

export function lastTime(g: Group): number | undefined {
  const a = aggs.get(g);
  const n = g.entries.length;
  return n > (a?.head ?? 0) ? g.entries[n - 1].t : undefined;
}

export function checkCount(c: CountCondition, n: number): boolean {
  if (c.gt !== undefined && !(n > c.gt)) return false;
  if (c.gte !== undefined && !(n >= c.gte)) return false;
  if (c.lt !== undefined && !(n < c.lt)) return false;
  if (c.lte !== undefined && !(n <= c.lte)) return false;
  if (c.eq !== undefined && !(n === c.eq)) return false;
  if (c.neq !== undefined && !(n !== c.neq)) return false;
  return true;
}

/**
 * Adds entries arriving together (one event); when the window's condition now holds, returns the
 * entries behind the detection (the window, or the ordered chain for temporal_ordered). Returns
 * 'late' when the entries are too old for the window.
 */
export function addAndCheck(g: Group, arriving: Entry[], type: CorrelationType, spanMs: number, cond: CountCondition | null, nRules: number, maxEntries = MAX_ENTRIES_PER_GROUP): Entry[] | null | 'late' {
  let a = aggs.get(g) ?? rebuild(g);
  const es = g.entries;
  const t = arriving[0].t;
  const lastT = es.length > a.head ? es[es.length - 1].t : -Infinity;
  const start = Math.max(lastT, t) - spanMs;
  if (t < start) return 'late';
  if (t >= lastT) {
    for (const e of arriving) {
      es.push(e);
      addToAgg(a, es, es.length - 1);
    }
  } else {
    // out of order: insert in time order (ties keep arrival order) and recount
    let i = es.length;
    while (i > a.head && es[i - 1].t > t) i--;
    es.splice(i, 0, ...arriving);
    const head = a.head;
    g.entries = es.slice(head);
    a = rebuild(g);
  }
  const live = g.entries;
  // slide: evict what fell out of the timespan, and the oldest beyond the cap
  while (a.head < live.length && (live[a.head].t < start || live.length - a.head > maxEntries)) {
    removeFromAgg(a, live, a.head);
    a.head++;
  }
  if (a.head > 1024 && a.head * 2 > live.length) compact(g);
  const cnt = live.length - a.head;
  if (cnt === 0) return null;
  switch (type) {
    case 'event_count':
      return checkCount(cond!, a.distinctU) ? liveEntries(g) : null;
    case 'value_count':
      return checkCount(cond!, a.values.size) ? liveEntries(g) : null;
    case 'value_sum':
      return a.nums > 0 && checkCount(cond!, a.sum) ? liveEntries(g) : null;
    case 'value_avg':
      return a.nums > 0 && checkCount(cond!, a.sum / a.nums) ? liveEntries(g) : null;
    case 'value_median': {
      const nums = liveEntries(g)
        .map((e) => numOf(e.v))
        .filter((x) => Number.isFinite(x))
        .sort((x, y) => x - y);
      if (nums.length === 0) return null;
      const m = nums.length >> 1;
      return checkCount(cond!, nums.length % 2 ? nums[m] : (nums[m - 1] + nums[m]) / 2) ? liveEntries(g) : null;
    }
    case 'value_percentile': {
      const k = key(arriving[0].v);
      if (k === null || a.n === 0) return null;
      return checkCount(cond!, (100 * (a.values.get(k) ?? 0)) / a.n) ? liveEntries(g) : null;
    }
    case 'temporal':
      return (cond ? checkCount(cond, a.rules.size) : a.rules.size >= nRules) ? liveEntries(g) : null;
    case 'temporal_ordered': {
      // only an arrival of the last rule can complete a chain; then walk the window in time order
      if (!cond && !arriving.some((e) => e.r === nRules - 1) && !(t < lastT)) return null;
      let step = 0;
      const chain: Entry[] = [];
      for (let i = a.head; i < live.length && step < nRules; i++) {
        if (live[i].r === step) {
          step++;
          chain.push(live[i]);
        }
      }
      return (cond ? checkCount(cond, step) : step >= nRules) ? chain : null;
    }
  }
}

/** Event ids behind a detection (most recent last, at most `max`). */
export function windowIds(entries: Entry[], max = 100): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    for (const id of e.id.split('\n')) {
      if (id && !seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
  }
  return ids.length > max ? ids.slice(ids.length - max) : ids;
}
