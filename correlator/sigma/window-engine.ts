/**
 * The window engine: every correlation's groups (one window per tenant and group-by values), fed with
 * the entries of arriving events, closed by their own clocks or by the wall clock, bounded, and
 * checkpointed as JSON. The per-group algorithms are in window.ts.
 *
 * Memory bounds: at most `maxGroupsPerRule` groups per correlation (least recently fed evicted, counted),
 * at most `maxEntriesPerGroup` entries per group (oldest first), entries older than timespan + lateness
 * on the group's own clock are forgotten, closed frames are removed when judged, and a group quiet for
 * longer than timespan + lateness (its own clock, advanced by the wall clock) is dropped by `sweep`.
 * Distinct values and rule counts live only as counts over the kept entries.
 */
import type { CompiledCorrelation, Detection, Ruleset } from './index';
import { addEntries, closeByWallClock, compact, DEFAULT_LATENESS_MS, Entry, Fired, Group, isFinal, isIdle, MAX_ENTRIES_PER_GROUP, windowIds, WindowSpec } from './window';
import { hasNegation, indexExpr } from './correlation-condition';

export interface WindowOptions {
  maxGroupsPerRule?: number;
  /** entries one correlation window keeps (default 10,000); the oldest go first */
  maxEntriesPerGroup?: number;
  /** how far (ms) an event may arrive behind the newest of its group and still count (default 15 minutes) */
  allowedLatenessMs?: number;
  /** the wall clock (ms); closes the frames of quiet groups. Default Date.now */
  now?: () => number;
}

/** One referenced rule's contribution to a correlation, read from one event. */
export interface Input {
  skip: 0 | 1 | 2; // 1: a group-by field is missing, 2: the value_* field is missing
  groupBy: Record<string, string> | null;
  key: string; // the group-by part of the window key (the tenant goes in front)
  v: string | number | null | undefined;
}
export const MISSING_GROUP_BY: Input = { skip: 1, groupBy: null, key: '', v: undefined };
export const MISSING_VALUE: Input = { skip: 2, groupBy: null, key: '', v: undefined };

export type InputOf = (c: CompiledCorrelation, r: number) => Input | undefined;

/** A window as a checkpoint keeps it: the group, and what the correlations above it read from its last event. */
interface SavedGroup extends Group {
  up?: Record<string, Input>;
}

interface CorrState {
  spec: WindowSpec;
  groups: Map<string, SavedGroup>;
}

/** Checkpoint versions: 1 (entries only, before per-group clocks) restores too; see restore(). */
export const CHECKPOINT_VERSION = 2;

export function windowSpecOf(c: CompiledCorrelation, opts?: WindowOptions): WindowSpec {
  const m = c.model;
  const expr = m.expr ? indexExpr(m.expr, m.rules) : null;
  return {
    type: m.type,
    spanMs: m.timespanMs,
    cond: m.condition,
    expr,
    nRules: m.rules.length,
    percentile: m.percentile,
    latenessMs: opts?.allowedLatenessMs ?? DEFAULT_LATENESS_MS,
    maxEntries: opts?.maxEntriesPerGroup ?? MAX_ENTRIES_PER_GROUP,
    final: isFinal(m.type, m.condition, !!m.expr && hasNegation(m.expr)),
  };
}

/** What each correlation above `c` (all the way up) reads from the event that feeds `c`. */
function upInputs(c: CompiledCorrelation, inputOf: InputOf, into: Record<string, Input> = {}): Record<string, Input> {
  for (const p of c.parents) {
    const k = `${p.corr.key}#${p.r}`;
    if (k in into) continue;
    const inp = inputOf(p.corr, p.r);
    if (inp) into[k] = inp;
    upInputs(p.corr, inputOf, into);
  }
  return into;
}

export type Windows = ReturnType<typeof createWindows>;

/** The correlation windows of a ruleset: state, feeding, closing, sweeping, checkpoints. */
export function createWindows(ruleset: Ruleset, opts?: WindowOptions) {
  const maxGroups = opts?.maxGroupsPerRule ?? 100_000;
  const now = opts?.now ?? Date.now;
  const states = new Map<CompiledCorrelation, CorrState>();
  // inner correlations first, so a frame that closes in a sweep reaches the correlations above it before they close theirs
  const height = (c: CompiledCorrelation): number => (c.parents.length ? 1 + Math.max(...c.parents.map((p) => height(p.corr))) : 0);
  const ordered = [...ruleset.compiled.correlations].sort((a, b) => height(b) - height(a));
  for (const c of ordered) states.set(c, { spec: windowSpecOf(c, opts), groups: new Map() });

  const w = {
    seq: 0,
    evicted: 0,
    late: 0,
    missingGroupBy: 0,
    ruleErrors: 0,

    /** Detections of a window that fired; correlations above it are fed with what its last event brought them. */
    emit(c: CompiledCorrelation, g: SavedGroup, fired: Fired[], out: Detection[], inputOf?: InputOf): void {
      for (const f of fired) {
        const eventIds = windowIds(f.entries);
        if (c.emit) out.push({ rule: c.info, kind: 'correlation', eventIds, groupBy: g.groupBy, timestamp: new Date(f.t).toISOString(), tenant: g.tenant || undefined });
        if (c.parents.length) {
          const up = g.up ?? {};
          const cu = ++w.seq;
          const upOf: InputOf = inputOf ?? ((cc, r) => up[`${cc.key}#${r}`]);
          for (const p of c.parents) w.feed(p.corr, [p.r], upOf, f.t, g.tenant, eventIds.join('\n'), cu, out);
        }
      }
    },

    /** Judges the frames of quiet groups (wall clock) and drops idle groups; pushes detections to `out`. */
    sweep(out: Detection[], at?: number): void {
      const wall = at ?? now();
      // first every frame that closed (an inner correlation feeds the one above it), then the idle groups go
      for (const [c, st] of states) {
        for (const g of st.groups.values()) {
          const fired = closeByWallClock(g, st.spec, wall);
          if (fired.length) w.emit(c, g, fired, out);
        }
      }
      for (const st of states.values()) for (const [k, g] of st.groups) if (isIdle(g, st.spec, wall)) st.groups.delete(k);
    },

    /** Feeds the rules `rs` of `c` that matched one event; pushes detections to `out`. */
    feed(c: CompiledCorrelation, rs: number[], inputOf: InputOf, t: number, tenant: string, ids: string, u: number, out: Detection[]): void {
      const st = states.get(c)!;
      // one group per distinct group-by tuple among the arriving rules (aliases can differ per rule)
      const byKey = new Map<string, { groupBy: Record<string, string> | null; entries: Entry[] }>();
      for (const r of rs) {
        const inp = inputOf(c, r);
        if (!inp || inp.skip === 2) continue;
        if (inp.skip === 1) {
          w.missingGroupBy++;
          continue;
        }
        const key = tenant + inp.key;
        const e: Entry = { t, r, u, id: ids, v: inp.v };
        const slot = byKey.get(key);
        if (slot) slot.entries.push(e);
        else byKey.set(key, { groupBy: inp.groupBy, entries: [e] });
      }
      for (const [key, { groupBy, entries }] of byKey) {
        let g = st.groups.get(key);
        if (g) {
          st.groups.delete(key); // re-insert: the Map's order is least-recently-used first
          st.groups.set(key, g);
        } else {
          g = { groupBy, tenant, entries: [] };
          st.groups.set(key, g);
          if (st.groups.size > maxGroups) {
            const oldest = st.groups.keys().next().value as string;
            st.groups.delete(oldest);
            w.evicted++;
          }
        }
        // a final frame fires later (a tick, with no event at hand): keep what the correlations above read from its last event
        if (c.parents.length && st.spec.final) g.up = upInputs(c, inputOf);
        const fired = addEntries(g, entries, st.spec, now());
        if (fired === 'late') w.late++;
        else if (fired.length) w.emit(c, g, fired, out, st.spec.final ? undefined : inputOf);
      }
    },

    checkpoint(): unknown {
      const corr: Record<string, Array<[string, SavedGroup]>> = {};
      for (const [c, st] of states) {
        if (!st.groups.size) continue;
        for (const g of st.groups.values()) compact(g);
        corr[c.key] = [...st.groups.entries()].map(([k, g]) => [k, { groupBy: g.groupBy, tenant: g.tenant, entries: g.entries, newest: g.newest, closed: g.closed, off: g.off, drop: g.drop, up: g.up }]);
      }
      return { v: CHECKPOINT_VERSION, seq: w.seq, corr };
    },

    /** Restores a checkpoint of version 2, or of version 1 (its groups get their clock from their newest entry and the wall clock now). */
    restore(state: unknown): void {
      if (!state || typeof state !== 'object') throw new Error('sigma evaluator restore: the checkpoint is not an object');
      const s = state as { v?: number; seq?: number; corr?: Record<string, Array<[string, SavedGroup]>> };
      if (s.v !== 1 && s.v !== CHECKPOINT_VERSION) throw new Error(`sigma evaluator restore: unknown checkpoint version ${String(s.v)} (this version reads 1 and ${CHECKPOINT_VERSION})`);
      w.seq = Math.max(w.seq, Number(s.seq) || 0);
      const wall = now();
      const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
      for (const [c, st] of states) {
        const saved = s.corr?.[c.key];
        st.groups.clear();
        if (!Array.isArray(saved)) continue;
        for (const item of saved) {
          if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
          const [k, g] = item;
          if (!g || !Array.isArray(g.entries)) continue;
          // keep only well-formed entries, in time order: a checkpoint is data from outside
          const entries = g.entries.filter((e) => e && typeof e.t === 'number' && typeof e.r === 'number' && e.r >= 0 && e.r < c.model.rules.length && typeof e.u === 'number' && typeof e.id === 'string').sort((x, y) => x.t - y.t);
          if (!entries.length && num(g.closed) === undefined) continue;
          const newest = num(g.newest) ?? (entries.length ? entries[entries.length - 1].t : undefined);
          const up = g.up && typeof g.up === 'object' && !Array.isArray(g.up) ? g.up : undefined;
          st.groups.set(k, { groupBy: g.groupBy ?? null, tenant: typeof g.tenant === 'string' ? g.tenant : '', entries, newest, closed: num(g.closed), off: num(g.off) ?? (newest === undefined ? undefined : wall - newest), drop: num(g.drop), up });
          if (st.groups.size > maxGroups) st.groups.delete(st.groups.keys().next().value as string);
          // u numbers restored must never be handed out again
          for (const e of entries) if (e.u > w.seq) w.seq = e.u;
        }
      }
    },

    groups(): number {
      let n = 0;
      for (const st of states.values()) n += st.groups.size;
      return n;
    },
  };
  return w;
}
