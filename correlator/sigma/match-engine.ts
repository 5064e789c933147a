/**
 * The match engine: one event against the base rules. The rule index names the rules (and gates) the
 * event can possibly match; each candidate's logsource gates are evaluated once per event, then its
 * predicate. Stateless between events: what it finds goes to the caller (detections, arrivals).
 */
import { getPath } from '../../core/event';
import { EventView, eventTimeMs } from './event-view';
import { buildIndex } from './rule-index';
import { ruleEntry } from './pipeline';
import type { CompiledCorrelation, Detection, Ruleset } from './ruleset';

/** What one event brought: single-rule detections, and which correlations it arrives at (rule indices). */
export interface Scan {
  view: EventView;
  out: Detection[];
  t: number;
  tenant: string;
  ids: string;
  arrivals: Map<CompiledCorrelation, number[]> | null;
}

/** naive: every rule is tried on every event (the peer in bench/sigma); counters.ruleErrors counts rules that threw. */
export function createMatchEngine(ruleset: Ruleset, naive: boolean, counters: { ruleErrors: number }): (event: Record<string, unknown>) => Scan | null {
  const { base, gates } = ruleset.compiled;
  const index = naive ? buildIndex(base.map(ruleEntry), false) : ruleset.compiled.index;
  const nBase = base.length;
  const rawContainers = ruleset.compiled.mapping.rawContainers;
  const gateCache = new Int8Array(gates.length);
  let curView: EventView | null = null; // the event being evaluated, for the two callbacks below
  const possibleGates = (found: ArrayLike<number>): void => {
    for (let i = 0; i < found.length; i++) if (found[i] >= nBase) gateCache[found[i] - nBase] = 0;
  };
  const passes = (gi: number): boolean => {
    let g = gateCache[gi];
    if (g === 0) {
      let ok = false;
      try {
        ok = gates[gi](curView!);
      } catch {
        ok = false;
      }
      g = ok ? 1 : 2;
      gateCache[gi] = g;
    }
    return g === 1;
  };

  return (event: Record<string, unknown>): Scan | null => {
    if (event === null || typeof event !== 'object') return null;
    let view: EventView;
    try {
      view = new EventView(event, rawContainers);
    } catch {
      counters.ruleErrors++;
      return null;
    }
    // naive: every gate is unknown; indexed: only gates the index found possible are (the rest are false)
    gateCache.fill(naive ? 0 : 2);
    curView = view;
    const s: Scan = { view, out: [], t: NaN, tenant: '', ids: '', arrivals: null };
    const candidates = index.candidates(view, passes, possibleGates);
    for (let i = 0; i < candidates.length; i++) {
      if (candidates[i] >= nBase) break; // gates sort after rules
      const r = base[candidates[i]];
      let ok = true;
      for (const gi of r.gates)
        if (!passes(gi)) {
          ok = false;
          break;
        }
      if (!ok) continue;
      let hit = false;
      try {
        hit = r.pred(view);
      } catch {
        // a rule must never take the pipeline down: count it and go on
        counters.ruleErrors++;
      }
      if (!hit) continue;
      if (Number.isNaN(s.t)) {
        s.t = eventTimeMs(event, view);
        if (Number.isNaN(s.t)) s.t = Date.now();
        s.tenant = tenantOf(event);
        s.ids = eventIdOf(event);
      }
      if (r.emit) s.out.push({ rule: r.info, kind: 'rule', eventIds: s.ids ? [s.ids] : [], groupBy: null, timestamp: new Date(s.t).toISOString(), tenant: s.tenant || undefined });
      for (const { corr, r: ri } of r.corrs) {
        s.arrivals ??= new Map();
        const list = s.arrivals.get(corr);
        if (list) list.push(ri);
        else s.arrivals.set(corr, [ri]);
      }
    }
    return s;
  };
}

function tenantOf(doc: Record<string, unknown>): string {
  const t = getPath(doc, 'organization.id');
  return typeof t === 'string' ? t : t === undefined || t === null ? '' : String(t);
}

function eventIdOf(doc: Record<string, unknown>): string {
  const e = doc.event;
  const id = e && typeof e === 'object' ? (e as Record<string, unknown>).id : undefined;
  if (typeof id === 'string' || typeof id === 'number') return String(id);
  const top = doc.id ?? doc._id;
  return typeof top === 'string' || typeof top === 'number' ? String(top) : '';
}
