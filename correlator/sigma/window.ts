/**
 * Correlation windows: one per (tenant, group-by values) of a correlation rule, on that group's own
 * event time, bounded in memory, JSON-serializable for checkpoints.
 *
 * Choices the spec leaves open (written down here and in README.md, "Correlation windows"):
 *  - time is the event time, and each group keeps its own clock (the newest event time it has seen),
 *    so a source whose clock is hours off never closes or drops another source's windows;
 *  - an entry may arrive up to `latenessMs` behind its group's newest entry (on that group's clock)
 *    and still counts in its time frame; older ones are counted as late and dropped;
 *  - "early" conditions (only lower bounds gt/gte on a count, a distinct count, a sum, a temporal rule
 *    count, or a condition without `not`) fire as soon as some frame of `timespan` holds them, on the
 *    windows ending at the arriving event (or, for a late one, every window it falls in); the group
 *    is then cleared, so the next detection needs a fresh set of events;
 *  - "final" conditions (an upper bound lt/lte/eq/neq, `not` in a temporal condition, and the metrics
 *    value_avg/value_median/value_percentile, which can move either way) are judged on frames: a frame
 *    starts at the group's oldest open entry and covers `timespan`; it is judged once it is closed,
 *    i.e. when the group's clock passes frame end + lateness, or (a quiet group) when the wall clock has
 *    moved that far since the group's last arrival. A group with more events than the upper bound does
 *    not match;
 *  - value_percentile with `percentile: p` compares the p-th percentile (linear interpolation) of the
 *    numeric field; without it, the share (percent) of the frame's events having each value (rare
 *    values: `lte: 1`), and the detection names the events of the values that satisfy it.
 */
import type { CorrelationType, CountCondition } from './model';
import { evalExpr, type IndexedExpr } from './correlation-condition';

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
  /** the newest event time this group has seen: its own clock */
  newest?: number;
  /** frames up to this event time were judged; entries at or before it are too late */
  closed?: number;
  /** wall clock minus event time at the group's newest arrival: the clock of a quiet group */
  off?: number;
  /** entries the per-group cap dropped from the open frame (an event_count still counts them) */
  drop?: number;
}

export const MAX_ENTRIES_PER_GROUP = 10_000;
export const DEFAULT_LATENESS_MS = 15 * 60_000;

/** How one correlation's windows judge their entries. */
export interface WindowSpec {
  type: CorrelationType;
  spanMs: number;
  cond: CountCondition | null;
  expr: IndexedExpr | null;
  nRules: number;
  percentile?: number;
  latenessMs: number;
  maxEntries: number;
  /** judged when the frame closes (see above), not as entries arrive */
  final: boolean;
}

/** A detection of one window: the entries behind it and its time. */
export interface Fired {
  entries: Entry[];
  t: number;
}

const hasUpperBound = (c: CountCondition | null): boolean => !!c && (c.lt !== undefined || c.lte !== undefined || c.eq !== undefined || c.neq !== undefined);

export function isFinal(type: CorrelationType, cond: CountCondition | null, exprHasNot: boolean): boolean {
  if (type === 'value_avg' || type === 'value_median' || type === 'value_percentile') return true;
  return hasUpperBound(cond) || exprHasNot;
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

const key = (v: Entry['v']): string | null => (v === undefined || v === null ? null : String(v).toLowerCase());
const numOf = (v: Entry['v']): number => (typeof v === 'number' ? v : v === undefined || v === null || v === '' ? NaN : Number(v));

/** Counts over a run of entries, kept as entries enter on the right and leave on the left. */
class Acc {
  events = 0; // distinct events
  values = new Map<string, number>(); // value -> entries holding it
  rules = new Map<number, number>(); // rule index -> entries
  sum = 0;
  nums = 0;
  n = 0; // entries with a value
  add(es: Entry[], i: number, lo: number): void {
    const e = es[i];
    // entries of one event are contiguous (same time, inserted together)
    if (i === lo || es[i - 1].u !== e.u) this.events++;
    const k = key(e.v);
    if (k !== null) {
      this.values.set(k, (this.values.get(k) ?? 0) + 1);
      this.n++;
      const x = numOf(e.v);
      if (Number.isFinite(x)) {
        this.sum += x;
        this.nums++;
      }
    }
    this.rules.set(e.r, (this.rules.get(e.r) ?? 0) + 1);
  }
  remove(es: Entry[], i: number, hi: number): void {
    const e = es[i];
    if (i + 1 >= hi || es[i + 1].u !== e.u) this.events--;
    const k = key(e.v);
    if (k !== null) {
      const c = (this.values.get(k) ?? 1) - 1;
      if (c <= 0) this.values.delete(k);
      else this.values.set(k, c);
      this.n--;
      const x = numOf(e.v);
      if (Number.isFinite(x)) {
        this.sum -= x;
        this.nums--;
      }
    }
    const rc = (this.rules.get(e.r) ?? 1) - 1;
    if (rc <= 0) this.rules.delete(e.r);
    else this.rules.set(e.r, rc);
  }
}

function percentileOf(sorted: number[], p: number): number {
  const rank = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** Rules in the order of their first entry in es[lo..hi) follow the order of `rules` (temporal_ordered). */
function orderedChain(es: Entry[], lo: number, hi: number, spec: WindowSpec): Entry[] | null {
  if (spec.expr) {
    // the rules present appear in the listed order (first occurrences), and the condition holds
    const first = new Map<number, Entry>();
    for (let i = lo; i < hi; i++) if (!first.has(es[i].r)) first.set(es[i].r, es[i]);
    if (!evalExpr(spec.expr, (r) => first.has(r))) return null;
    const present = [...first.keys()].sort((a, b) => a - b);
    for (let i = 1; i < present.length; i++) if (first.get(present[i])!.t < first.get(present[i - 1])!.t) return null;
    return es.slice(lo, hi);
  }
  let step = 0;
  const chain: Entry[] = [];
  for (let i = lo; i < hi && step < spec.nRules; i++) {
    if (es[i].r === step) {
      step++;
      chain.push(es[i]);
    }
  }
  return (spec.cond ? checkCount(spec.cond, step) : step >= spec.nRules) ? chain : null;
}

/** Judges the entries es[lo..hi) as one frame: the entries behind a detection, or null. */
function judge(es: Entry[], lo: number, hi: number, a: Acc, spec: WindowSpec, drop = 0): Entry[] | null {
  if (hi <= lo) return null;
  const c = spec.cond;
  const all = (): Entry[] => es.slice(lo, hi);
  switch (spec.type) {
    case 'event_count':
      return checkCount(c!, a.events + drop) ? all() : null;
    case 'value_count':
      return checkCount(c!, a.values.size) ? all() : null;
    case 'value_sum':
      return a.nums > 0 && checkCount(c!, a.sum) ? all() : null;
    case 'value_avg':
      return a.nums > 0 && checkCount(c!, a.sum / a.nums) ? all() : null;
    case 'value_median':
    case 'value_percentile': {
      if (spec.type === 'value_percentile' && spec.percentile === undefined) {
        // rarity: the events whose value has a share of the frame that meets the condition
        if (a.n === 0) return null;
        const hits = es.slice(lo, hi).filter((e) => {
          const k = key(e.v);
          return k !== null && checkCount(c!, (100 * (a.values.get(k) ?? 0)) / a.n);
        });
        return hits.length ? hits : null;
      }
      const nums: number[] = [];
      for (let i = lo; i < hi; i++) {
        const x = numOf(es[i].v);
        if (Number.isFinite(x)) nums.push(x);
      }
      if (!nums.length) return null;
      nums.sort((x, y) => x - y);
      return checkCount(c!, percentileOf(nums, spec.type === 'value_median' ? 50 : spec.percentile!)) ? all() : null;
    }
    case 'temporal':
      if (spec.expr) return evalExpr(spec.expr, (r) => a.rules.has(r)) ? all() : null;
      return (c ? checkCount(c, a.rules.size) : a.rules.size >= spec.nRules) ? all() : null;
    case 'temporal_ordered':
      return orderedChain(es, lo, hi, spec);
  }
}

/**
 * The in-memory view of an early group's entries (rebuilt when missing, e.g. after a restore):
 * entries[base..] are kept (older ones wait to be cut in one go), entries[head..] lie within
 * `timespan` of the newest, and `acc` counts them.
 */
interface Live {
  base: number;
  head: number;
  acc: Acc;
}
const lives = new WeakMap<Group, Live>();

function rebuildLive(g: Group, spec: WindowSpec): Live {
  const es = g.entries;
  const newest = es.length ? es[es.length - 1].t : -Infinity;
  let head = 0;
  while (head < es.length && es[head].t < newest - spec.spanMs) head++;
  const acc = new Acc();
  for (let i = head; i < es.length; i++) acc.add(es, i, head);
  const l = { base: 0, head, acc };
  lives.set(g, l);
  return l;
}

/** Early groups: forgets entries no window can use (older than timespan + lateness) and the oldest beyond the cap; O(1) amortized. */
function trimEarly(g: Group, l: Live, spec: WindowSpec): void {
  const es = g.entries;
  const floor = (g.newest ?? -Infinity) - spec.spanMs - spec.latenessMs;
  while (l.base < es.length && es[l.base].t < floor) l.base++;
  if (es.length - l.base > spec.maxEntries) l.base = es.length - spec.maxEntries;
  if (l.head < l.base) {
    for (let i = l.head; i < l.base; i++) l.acc.remove(es, i, es.length);
    l.head = l.base;
  }
  if (l.base > 1024 && l.base * 2 > es.length) compact(g);
}

/** Cuts forgotten entries out of the array (before a checkpoint, or when they pile up). */
export function compact(g: Group): void {
  const l = lives.get(g);
  if (!l || l.base === 0) return;
  g.entries = g.entries.slice(l.base);
  l.head -= l.base;
  l.base = 0;
}

/** Final groups: the cap drops the oldest entries of the open frame (an event_count still counts them). */
function trimFinal(g: Group, spec: WindowSpec): void {
  const over = g.entries.length - spec.maxEntries;
  if (over <= 0) return;
  // a tenth of the cap at a time, so a flood into one frame costs O(1) amortized per event
  const cut = Math.min(g.entries.length, Math.max(over, Math.ceil(spec.maxEntries / 10)));
  g.entries = g.entries.slice(cut);
  g.drop = (g.drop ?? 0) + cut;
}

function insert(g: Group, arriving: Entry[], from: number): number {
  const es = g.entries;
  const t = arriving[0].t;
  if (!es.length || t >= es[es.length - 1].t) {
    es.push(...arriving);
    return es.length - arriving.length;
  }
  // out of order: in time order (ties keep arrival order)
  let i = es.length;
  while (i > from && es[i - 1].t > t) i--;
  es.splice(i, 0, ...arriving);
  return i;
}

/**
 * Adds the entries of one arriving event (wall: the wall clock now) and returns what fired, or 'late'
 * when the entries are older than the group's clock allows.
 */
export function addEntries(g: Group, arriving: Entry[], spec: WindowSpec, wall: number): Fired[] | 'late' {
  const t = arriving[0].t;
  const newest = g.newest ?? -Infinity;
  if (t < newest - spec.spanMs - spec.latenessMs || (g.closed !== undefined && t <= g.closed)) return 'late';
  if (t >= newest) {
    g.newest = t;
    g.off = wall - t;
  }
  if (spec.final) {
    insert(g, arriving, 0);
    trimFinal(g, spec);
    return closeFrames(g, spec, g.newest! - spec.latenessMs);
  }
  const live = lives.get(g) ?? rebuildLive(g, spec);
  const inOrder = !g.entries.length || t >= g.entries[g.entries.length - 1].t;
  const at = insert(g, arriving, live.base);
  let fired: Entry[] | null;
  if (inOrder) {
    // the usual case: slide the live window to end at t, O(1) amortized
    const es = g.entries;
    for (let i = at; i < es.length; i++) live.acc.add(es, i, live.head);
    while (live.head < es.length && es[live.head].t < t - spec.spanMs) {
      live.acc.remove(es, live.head, es.length);
      live.head++;
    }
    // a default temporal_ordered chain can only be completed by an entry of its last rule
    const cannot = spec.type === 'temporal_ordered' && !spec.cond && !spec.expr && !arriving.some((e) => e.r === spec.nRules - 1);
    fired = cannot ? null : judge(es, live.head, es.length, live.acc, spec);
  } else {
    fired = judgeAround(g.entries, live.base, t, spec);
    if (!fired) rebuildLive(g, spec).base = 0;
  }
  if (fired) {
    g.entries = [];
    g.drop = 0;
    lives.delete(g);
    return [{ entries: fired, t: fired[fired.length - 1].t }];
  }
  trimEarly(g, lives.get(g)!, spec);
  return [];
}

/** A late entry at t changes every window that ends in [t, t + timespan]: judge them in time order. */
function judgeAround(es: Entry[], from: number, t: number, spec: WindowSpec): Entry[] | null {
  let lo = from;
  while (lo < es.length && es[lo].t < t - spec.spanMs) lo++;
  let hi = lo;
  const acc = new Acc();
  // the first window ends at t (including every entry of time t)
  while (hi < es.length && es[hi].t <= t) acc.add(es, hi++, lo);
  for (;;) {
    const got = judge(es, lo, hi, acc, spec);
    if (got) return got;
    if (hi >= es.length || es[hi].t > t + spec.spanMs) return null;
    const end = es[hi].t;
    while (hi < es.length && es[hi].t === end) acc.add(es, hi++, lo);
    while (lo < hi && es[lo].t < end - spec.spanMs) acc.remove(es, lo++, hi);
  }
}

/** Judges and removes the frames that closed before `clock` (event time); returns those that matched. */
export function closeFrames(g: Group, spec: WindowSpec, clock: number): Fired[] {
  const out: Fired[] = [];
  const es = g.entries;
  let lo = 0;
  while (lo < es.length && es[lo].t + spec.spanMs < clock) {
    const end = es[lo].t + spec.spanMs;
    const acc = new Acc();
    let hi = lo;
    while (hi < es.length && es[hi].t <= end) acc.add(es, hi++, lo);
    const got = judge(es, lo, hi, acc, spec, g.drop ?? 0);
    if (got) out.push({ entries: got, t: es[hi - 1].t });
    g.closed = end;
    g.drop = 0;
    lo = hi;
  }
  if (lo) g.entries = es.slice(lo);
  return out;
}

/** Closes the frames of a group by the wall clock (its own clock estimated from its last arrival). */
export function closeByWallClock(g: Group, spec: WindowSpec, wall: number): Fired[] {
  if (!spec.final || g.off === undefined || !g.entries.length) return [];
  return closeFrames(g, spec, wall - g.off - spec.latenessMs);
}

/** True when nothing can join this group's windows any more: quiet for longer than timespan + lateness on its own clock. */
export function isIdle(g: Group, spec: WindowSpec, wall: number): boolean {
  if (g.newest === undefined) return !g.entries.length;
  const clock = g.off === undefined ? -Infinity : wall - g.off;
  return clock - g.newest > spec.spanMs + spec.latenessMs && (!spec.final || !g.entries.length);
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
