/**
 * Stage 2 of the detection loop (group `correlator-windows` on `correlation`): one window state per
 * partition, fed by arrivals; detections become alerts. Each partition's windows are checkpointed in the
 * store with the last offset they include (and, per events partition, the last arrival counted), so a
 * restart or a rebalance resumes them and nothing counts twice. A timer judges the frames of quiet groups
 * (upper-bounded and absence conditions) by the wall clock, publishes what fired and checkpoints.
 */
import type { Bus, BusMessage, Subscription } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import type { Logger } from '../core/log';
import type { Alert } from '../core/model';
import type { Store } from '../core/store/store';
import type { AlertGate } from './detection-alerts';
import type { ArrivalRecord } from './detection-match';
import { checkArrival, createWindowEvaluator, type Detection, type Ruleset, type WindowEvaluator, type EvaluatorOptions } from './sigma';

/** Where the one-stage correlator of earlier versions kept its windows (read once on upgrade, embedded bus only). */
export const LEGACY_CHECKPOINT_KEY = 'correlator.checkpoint';
/** Store key of one `correlation` partition's windows: `correlator.windows.<partition>`. */
export const WINDOWS_STATE_PREFIX = 'correlator.windows.';
export const WINDOWS_GROUP = 'correlator-windows';
const PARTITION_IDLE_MS = 15 * 60_000;
const TICK_MS = 5000;

export interface WindowStats {
  partitions: number[]; // partitions of `correlation` whose windows this process holds
  groups: number; // open correlation windows
  redelivered: number; // records skipped because the windows already include their offset
  duplicates: number; // arrivals skipped as already counted (published again by the matching stage)
  rejected: number; // records on `correlation` that were not arrivals (logged)
}

interface WindowCheckpoint {
  v: 1;
  at: string;
  offset: number; // the last `correlation` offset the windows include
  src: Record<string, [number, number]>; // events partition → last (offset, n) counted
  state: unknown; // the window evaluator's own checkpoint (versioned inside)
}

/** The windows of one `correlation` partition held by this process. */
interface Partition {
  windows: WindowEvaluator;
  offset: number;
  src: Map<number, [number, number]>;
  used: number;
}

const validSrc = (a: ArrivalRecord): boolean => !!a.src && typeof a.src === 'object' && Number.isInteger(a.src.p) && Number.isFinite(a.src.o) && Number.isInteger(a.src.n);

export interface WindowStageOptions extends Omit<EvaluatorOptions, 'useIndex'> {
  /** how often (ms) quiet groups are judged by the wall clock; default 5 s */
  tickMs?: number;
}

export class WindowStage {
  private readonly parts = new Map<number, Partition>();
  private readonly stats: WindowStats = { partitions: [], groups: 0, redelivered: 0, duplicates: 0, rejected: 0 };
  private busy: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ruleset: Ruleset,
    private readonly bus: Bus,
    private readonly store: Store,
    private readonly gate: AlertGate,
    private readonly logger: Logger,
    private readonly opts: WindowStageOptions = {},
  ) {}

  async start(): Promise<Subscription> {
    const sub = await this.bus.subscribe<ArrivalRecord>({
      topic: TOPICS.correlation,
      group: WINDOWS_GROUP,
      maxBatch: 5000, // an event makes a few arrivals, and each batch ends with one checkpoint write
      handler: (batch) => this.exclusive(() => this.handle(batch)),
    });
    this.timer = setInterval(() => void this.exclusive(() => this.tick()).catch((e: Error) => this.logger.error({ err: e.message }, 'correlator: judging quiet correlation windows failed; the partition reloads from its checkpoint')), this.opts.tickMs ?? TICK_MS);
    this.timer.unref();
    return sub;
  }

  /** Stops the timer and waits for a tick in flight (close the subscription after this). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.busy.catch(() => undefined);
  }

  windows(): WindowStats {
    let groups = 0;
    for (const p of this.parts.values()) groups += p.windows.stats().groups;
    return { ...this.stats, partitions: [...this.parts.keys()].sort((a, b) => a - b), groups };
  }

  /** Batches and ticks never interleave: both change the windows and write their checkpoint. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.busy.then(fn);
    this.busy = run.catch(() => undefined);
    return run;
  }

  private async handle(batch: BusMessage<ArrivalRecord>[]): Promise<void> {
    const byPart = new Map<number, BusMessage<ArrivalRecord>[]>();
    for (const m of batch) {
      const l = byPart.get(m.partition);
      if (l) l.push(m);
      else byPart.set(m.partition, [m]);
    }
    for (const [p, msgs] of byPart) {
      try {
        await this.apply(p, msgs);
      } catch (e) {
        // the windows in memory may be ahead of the checkpoint: the retry starts again from the store
        this.parts.delete(p);
        throw e;
      }
    }
    // a partition silent this long has probably moved to another correlator: free it (it reloads from the store if not)
    const idle = Date.now() - PARTITION_IDLE_MS;
    for (const [p, held] of this.parts) if (held.used < idle) this.parts.delete(p);
  }

  /** Judges quiet groups of every held partition; what fired is published, then the partition is checkpointed. */
  private async tick(): Promise<void> {
    for (const [p, held] of this.parts) {
      // another correlator checkpointed past us: the partition moved (rebalance); its windows are theirs now
      const stored = await this.load(p);
      if (stored && stored.offset > held.offset) {
        this.parts.delete(p);
        continue;
      }
      const before = held.windows.stats().groups;
      const fired = held.windows.tick();
      if (!fired.length && held.windows.stats().groups === before) continue;
      try {
        await this.publish(fired);
        await this.save(p, held);
      } catch (e) {
        this.parts.delete(p);
        throw e;
      }
    }
  }

  private async apply(p: number, msgs: BusMessage<ArrivalRecord>[]): Promise<void> {
    const held = await this.partition(p, Number(msgs[0].offset));
    held.used = Date.now();
    const skipped = { redelivered: 0, duplicates: 0 };
    const alerts: Alert[] = [];
    let applied = false;
    for (const m of msgs) {
      const offset = Number(m.offset);
      if (offset <= held.offset) {
        this.stats.redelivered++; // already in these windows
        skipped.redelivered++;
        continue;
      }
      held.offset = offset;
      applied = true;
      const a = m.value;
      const reason = checkArrival(a) ?? (validSrc(a) ? null : 'src: expected { p, o, n }');
      if (reason) {
        this.stats.rejected++;
        this.logger.error({ topic: TOPICS.correlation, partition: p, offset: m.offset, reason }, 'correlator: a record on the correlation topic is not an arrival; skipped');
        continue;
      }
      const seen = held.src.get(a.src.p);
      if (seen && (a.src.o < seen[0] || (a.src.o === seen[0] && a.src.n <= seen[1]))) {
        this.stats.duplicates++; // the matching stage redelivered this event
        skipped.duplicates++;
        continue;
      }
      held.src.set(a.src.p, [a.src.o, a.src.n]);
      const ctx = a.ctx && typeof a.ctx === 'object' ? a.ctx : { organization: { id: a.tenant } };
      for (const d of held.windows.feed(a)) {
        // a detection of another group (closed on the way) gets its tenant, not this arrival's fields
        const alert = this.gate.toAlert(d, sameGroup(d, a) ? ctx : { organization: { id: d.tenant ?? a.tenant } });
        if (alert) alerts.push(alert);
      }
    }
    if (skipped.redelivered || skipped.duplicates) {
      this.logger.info({ partition: p, ...skipped }, 'correlator: skipped arrivals the correlation windows already count (redelivered after a restart or rebalance)');
    }
    if (!applied) return;
    if (alerts.length) await this.gate.publish(alerts);
    await this.save(p, held);
  }

  private async publish(fired: Detection[]): Promise<void> {
    const alerts: Alert[] = [];
    for (const d of fired) {
      const alert = this.gate.toAlert(d, { organization: { id: d.tenant ?? 'default' } });
      if (alert) alerts.push(alert);
    }
    if (alerts.length) await this.gate.publish(alerts);
  }

  private save(p: number, held: Partition): Promise<void> {
    const cp: WindowCheckpoint = { v: 1, at: new Date().toISOString(), offset: held.offset, src: Object.fromEntries(held.src), state: held.windows.checkpoint() };
    return this.store.putState(this.stateKey(p), JSON.stringify(cp));
  }

  private stateKey(p: number): string {
    return `${WINDOWS_STATE_PREFIX}${p}`;
  }

  /** The windows of partition p for a batch starting at `first`: held, or (none yet, or a gap) from the checkpoint. */
  private async partition(p: number, first: number): Promise<Partition> {
    let held = this.parts.get(p);
    // no windows yet, or a gap: another correlator owned the partition meanwhile and may have moved on
    if (held && first <= held.offset + 1) return held;
    const cp = await this.load(p);
    if (held && !(cp && cp.offset > held.offset)) return held;
    const windows = createWindowEvaluator(this.ruleset, this.opts);
    const src = new Map<number, [number, number]>();
    let offset = -1;
    if (cp) {
      try {
        windows.restore(cp.state);
        for (const [k, v] of Object.entries(cp.src ?? {})) if (Array.isArray(v) && v.length === 2) src.set(Number(k), [Number(v[0]), Number(v[1])]);
        offset = cp.offset;
        this.logger.info({ partition: p, offset, groups: windows.stats().groups }, 'correlator: resumed correlation windows from the checkpoint');
      } catch (e) {
        this.logger.error({ partition: p, err: (e as Error).message }, 'correlator: the windows checkpoint of a partition could not be restored; its correlation windows start empty');
      }
    }
    held = { windows, offset, src, used: Date.now() };
    this.parts.set(p, held);
    return held;
  }

  /** The stored windows of a partition, or null; a checkpoint that cannot be read starts empty, loudly. */
  private async load(p: number): Promise<WindowCheckpoint | null> {
    const raw = await this.store.getState(this.stateKey(p));
    if (!raw) return p === 0 && this.bus.kind === 'embedded' ? this.legacy() : null;
    try {
      const cp = JSON.parse(raw) as WindowCheckpoint;
      if (cp.v !== 1 || typeof cp.offset !== 'number') throw new Error(`unknown checkpoint format (v ${String(cp.v)})`);
      return cp;
    } catch (e) {
      this.logger.error({ partition: p, key: this.stateKey(p), err: (e as Error).message }, 'correlator: the windows checkpoint of a partition could not be read; its correlation windows start empty');
      return null;
    }
  }

  /** The one-stage checkpoint of earlier versions (embedded bus: one partition), so an upgrade keeps open windows. */
  private async legacy(): Promise<WindowCheckpoint | null> {
    const raw = await this.store.getState(LEGACY_CHECKPOINT_KEY);
    if (!raw) return null;
    try {
      const old = JSON.parse(raw) as { state?: unknown; offsets?: Record<string, number> };
      if (!old.state) return null;
      // events already in those windows must not count again when the matching stage meets them
      const src: Record<string, [number, number]> = {};
      for (const [ep, o] of Object.entries(old.offsets ?? {})) if (Number.isFinite(o)) src[ep] = [o, Number.MAX_SAFE_INTEGER];
      return { v: 1, at: new Date().toISOString(), offset: -1, src, state: old.state };
    } catch {
      return null;
    }
  }
}

/** The detection comes from the arrival's own window (its tenant and group-by values). */
function sameGroup(d: Detection, a: ArrivalRecord): boolean {
  if ((d.tenant ?? '') !== a.tenant) return false;
  const x = d.groupBy ?? {};
  const y = a.groupBy ?? {};
  return Object.keys(x).every((k) => x[k] === y[k]);
}
