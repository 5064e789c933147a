/**
 * Correlation windows: one per (tenant, group-by values) of a correlation rule, sliding over event
 * time, bounded in memory, JSON-serializable for checkpoints.
 *
 * Choices the spec leaves open (written down here and in the report):
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

export interface Group {
  groupBy: Record<string, string> | null;
  tenant: string;
  entries: Entry[];
}

export const MAX_ENTRIES_PER_GROUP = 10_000;

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
 * entries behind the detection (all of the window, or the ordered chain for temporal_ordered).
 */
export function addAndCheck(g: Group, arriving: Entry[], type: CorrelationType, spanMs: number, cond: CountCondition | null, nRules: number, percentile?: number): Entry[] | null {
  return check(g, arriving, type, spanMs, cond, nRules, percentile) ? (lastChain ?? g.entries) : null;
}

let lastChain: Entry[] | null = null;

function check(g: Group, arriving: Entry[], type: CorrelationType, spanMs: number, cond: CountCondition | null, nRules: number, percentile?: number): boolean {
  lastChain = null;
  const newest = g.entries.length ? Math.max(g.entries[g.entries.length - 1].t, arriving[0].t) : arriving[0].t;
  const start = newest - spanMs;
  if (arriving[0].t < start) return false; // too late for this window
  for (const e of arriving) {
    // keep the list sorted by time; ties keep arrival order
    let i = g.entries.length;
    while (i > 0 && g.entries[i - 1].t > e.t) i--;
    g.entries.splice(i, 0, e);
  }
  let drop = 0;
  while (drop < g.entries.length && g.entries[drop].t < start) drop++;
  if (g.entries.length - drop > MAX_ENTRIES_PER_GROUP) drop = g.entries.length - MAX_ENTRIES_PER_GROUP;
  if (drop) g.entries.splice(0, drop);
  const es = g.entries;
  switch (type) {
    case 'event_count': {
      const seen = new Set<number>();
      for (const e of es) seen.add(e.u);
      return checkCount(cond!, seen.size);
    }
    case 'value_count': {
      const vals = new Set<string>();
      for (const e of es) if (e.v !== undefined && e.v !== null) vals.add(String(e.v).toLowerCase());
      return checkCount(cond!, vals.size);
    }
    case 'value_sum':
    case 'value_avg':
    case 'value_median': {
      const nums = es.map((e) => (typeof e.v === 'number' ? e.v : Number(e.v))).filter((x) => Number.isFinite(x));
      if (nums.length === 0) return false;
      let x: number;
      if (type === 'value_sum') x = nums.reduce((a, b) => a + b, 0);
      else if (type === 'value_avg') x = nums.reduce((a, b) => a + b, 0) / nums.length;
      else {
        nums.sort((a, b) => a - b);
        const m = nums.length >> 1;
        x = nums.length % 2 ? nums[m] : (nums[m - 1] + nums[m]) / 2;
      }
      return checkCount(cond!, x);
    }
    case 'value_percentile': {
      void percentile;
      const cur = arriving[0].v;
      if (cur === undefined || cur === null) return false;
      const key = String(cur).toLowerCase();
      const withVal = es.filter((e) => e.v !== undefined && e.v !== null);
      const same = withVal.filter((e) => String(e.v).toLowerCase() === key).length;
      return checkCount(cond!, (100 * same) / withVal.length);
    }
    case 'temporal': {
      const rules = new Set<number>();
      for (const e of es) rules.add(e.r);
      return cond ? checkCount(cond, rules.size) : rules.size >= nRules;
    }
    case 'temporal_ordered': {
      // greedy in time order: the referenced rules must appear in the listed order
      let step = 0;
      const chain: Entry[] = [];
      for (const e of es) {
        if (e.r === step) {
          step++;
          chain.push(e);
        }
        if (step === nRules) break;
      }
      lastChain = chain;
      return cond ? checkCount(cond, step) : step >= nRules;
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
