/**
 * The detection loop, in two stages so correlation state for a key lives on one correlator:
 *  1. matching (group `correlator` on `events`, stateless): base rules; single-rule detections become
 *     alerts; every correlation an event feeds gets an arrival on `correlation`, keyed by tenant,
 *     correlation and group-by values (so one key's arrivals share a partition, whatever host sent them);
 *  2. windows (group `correlator-windows` on `correlation`): one window state per partition, fed by
 *     arrivals; detections become alerts. Each partition's windows are checkpointed in the store with
 *     the last offset they include, so a restart or a rebalance resumes them and nothing counts twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Bus, BusMessage, PublishRecord, Subscription } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import { getPath, type EcsEvent } from '../core/event';
import type { Logger } from '../core/log';
import type { Alert } from '../core/model';
import { matchesQuery, parseQuery, QueryTooCostlyError, type QueryNode } from '../core/query';
import type { Store } from '../core/store/store';
import { detectionToAlert } from './alert';

/** {"source.ip": "x"} → {source: {ip: "x"}}, so an exception can name group-by fields; null prototypes, so a "__proto__.x" field stays data. */
export function unflatten(flat: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(flat)) {
    const parts = k.split('.');
    let cur = out;
    for (const p of parts.slice(0, -1)) cur = (cur[p] ??= Object.create(null)) as Record<string, unknown>;
    cur[parts[parts.length - 1]] = v;
  }
  return out;
}
import { checkArrival, createEvaluator, createWindowEvaluator, loadRules, type Arrival, type Detection, type LoadReport, type RuleInfo, type WindowEvaluator } from './sigma';

export type DetectionStage = 'match' | 'windows';

export interface DetectionOptions {
  bus: Bus;
  store: Store;
  logger: Logger;
  rulePaths: string[];
  mappingsDir?: string;
  placeholders?: Record<string, string[]>;
  maxGroupsPerRule?: number;
  baseDir?: string; // relative rule paths resolve here; default: the package root
  /** which stages this process runs; default both (a correlator runs both, each in its own group) */
  stages?: DetectionStage[];
}

export interface RuleStatus {
  rule: RuleInfo;
  hits: number;
  last_hit: string | null;
}

export interface WindowStats {
  partitions: number[]; // partitions of `correlation` whose windows this process holds
  groups: number; // open correlation windows
  redelivered: number; // records skipped because the windows already include their offset
  duplicates: number; // arrivals skipped as already counted (published again by the matching stage)
  rejected: number; // records on `correlation` that were not arrivals (logged)
}

export interface DetectionLoop {
  rules: RuleInfo[];
  report: LoadReport[];
  stop(): Promise<void>;
  lag(): Promise<number>;
  windows(): WindowStats;
}

export const RULES_STATE_KEY = 'correlator.rules';
/** Where the one-stage correlator of earlier versions kept its windows (read once on upgrade, embedded bus only). */
export const LEGACY_CHECKPOINT_KEY = 'correlator.checkpoint';
/** Store key of one `correlation` partition's windows: `correlator.windows.<partition>`. */
export const WINDOWS_STATE_PREFIX = 'correlator.windows.';
export const MATCH_GROUP = 'correlator';
const PARTITION_IDLE_MS = 15 * 60_000;
export const WINDOWS_GROUP = 'correlator-windows';

/** An arrival as it travels on `correlation`: where it came from (for deduplication) and what an alert shows. */
export interface ArrivalRecord extends Omit<Arrival, 'route'> {
  /** events partition, offset, and index among that event's arrivals: a redelivered event republishes the same src */
  src: { p: number; o: number; n: number };
  /** the fields of the event an alert summary shows */
  ctx: Record<string, unknown>;
}

interface WindowCheckpoint {
  v: 1;
  at: string;
  offset: number; // the last `correlation` offset the windows include
  src: Record<string, [number, number]>; // events partition → last (offset, n) counted
  state: unknown;
}

const CONTEXT_FIELDS = ['organization.id', 'host.hostname', 'host.name', 'observer.hostname', 'winlog.computer_name', 'source.ip', 'user.name', 'destination.ip', 'asset.name', 'asset.criticality'];

/** The part of an event an alert needs (summary, severity), so the window stage can build alerts without the event. */
export function alertContext(event: Record<string, unknown>): Record<string, unknown> {
  const ctx: Record<string, unknown> = {};
  for (const f of CONTEXT_FIELDS) {
    const v = getPath(event, f);
    if (v === undefined || v === null || typeof v === 'object') continue;
    const [a, b] = f.split('.');
    ((ctx[a] ??= {}) as Record<string, unknown>)[b] = v;
  }
  return ctx;
}

export function resolveRulePaths(paths: string[], baseDir?: string): string[] {
  const root = baseDir ?? rootDir();
  return paths.map((p) => (path.isAbsolute(p) ? p : path.resolve(root, p)));
}

/** The project root (where rules/ lives), whether running from dist/ or from sources. */
export function rootDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export async function startDetection(opts: DetectionOptions): Promise<DetectionLoop> {
  const logger = opts.logger.child({ component: 'correlator' });
  const stages = new Set<DetectionStage>(opts.stages ?? ['match', 'windows']);
  const paths = resolveRulePaths(opts.rulePaths, opts.baseDir);
  const mappingsDir = opts.mappingsDir ? resolveRulePaths([opts.mappingsDir], opts.baseDir)[0] : undefined;
  const { ruleset, report } = loadRules({ paths, mappingsDir, placeholders: opts.placeholders });
  for (const r of report) {
    if (!r.ok) logger.warn({ path: r.path, rule: r.ruleId, error: r.error }, 'correlator: a rule did not load (the others still run)');
    for (const w of r.warnings) logger.warn({ path: r.path, rule: r.ruleId, warning: w }, 'correlator: rule warning');
  }
  const loaded = report.filter((r) => r.ok).length;
  logger.info({ loaded, total: report.length }, `correlator: loaded ${loaded} of ${report.length} rules`);

  const status = new Map<string, RuleStatus>(ruleset.rules.map((r) => [r.id, { rule: r, hits: 0, last_hit: null }]));
  const saveRules = () => opts.store.putState(RULES_STATE_KEY, JSON.stringify({ at: new Date().toISOString(), rules: [...status.values()], report }));
  await saveRules();
  let dirtyRules = false;
  const timer = setInterval(() => {
    if (!dirtyRules) return;
    dirtyRules = false;
    saveRules().catch((e: Error) => logger.warn({ err: e.message }, 'correlator: could not save rule statistics'));
  }, 5000);
  timer.unref();
  const hit = (d: Detection): void => {
    const st = status.get(d.rule.id);
    if (!st) return;
    st.hits++;
    st.last_hit = new Date().toISOString();
    dirtyRules = true;
  };
  // per-agency switches and exceptions from the console (Rules view), refreshed every few seconds
  let settings = new Map<string, { disabled: Set<string>; exception: QueryNode | null }>();
  const loadSettings = async () => {
    const next = new Map<string, { disabled: Set<string>; exception: QueryNode | null }>();
    for (const rs of await opts.store.listRuleSettings()) {
      let exception: QueryNode | null = null;
      if (rs.exception) {
        try {
          exception = parseQuery(rs.exception);
        } catch (e) {
          logger.warn({ rule: rs.ruleId, err: (e as Error).message }, 'correlator: a rule exception does not parse; it is ignored');
        }
      }
      next.set(rs.ruleId, { disabled: new Set(rs.disabledFor), exception });
    }
    settings = next;
  };
  await loadSettings().catch((e: Error) => logger.warn({ err: e.message }, 'correlator: could not read rule settings'));
  const settingsTimer = setInterval(() => void loadSettings().catch((e: Error) => logger.warn({ err: e.message }, 'correlator: could not refresh rule settings')), 5000);
  settingsTimer.unref();
  let suppressed = 0;
  const tooCostly = new Map<string, number>(); // rule id → events its exception gave up on
  /** An exception that costs more than its budget on an event does not suppress the alert: a missed detection is worse than a duplicate. */
  const exceptionMatches = (ruleId: string, exception: QueryNode, doc: Record<string, unknown>): boolean => {
    try {
      return matchesQuery(exception, doc);
    } catch (e) {
      if (!(e instanceof QueryTooCostlyError)) throw e;
      const n = (tooCostly.get(ruleId) ?? 0) + 1;
      tooCostly.set(ruleId, n);
      if (n === 1 || n % 1000 === 0) logger.warn({ rule: ruleId, events: n, err: e.message }, 'correlator: a rule exception is too costly for an event; the alert is raised as if the exception did not match');
      return false;
    }
  };
  /** The alert for a detection, or null when the agency switched the rule off or an exception matches the event. */
  const toAlert = (d: Detection, ev: Record<string, unknown>): Alert | null => {
    const a = detectionToAlert(d, ev);
    const s = settings.get(d.rule.id);
    if (s && (s.disabled.has('*') || s.disabled.has(a.tenant) || (s.exception && exceptionMatches(d.rule.id, s.exception, { ...ev, ...(a.groupBy ? unflatten(a.groupBy) : {}) })))) {
      suppressed++;
      return null;
    }
    hit(d);
    return a;
  };
  const publishAlerts = (alerts: Alert[]): Promise<void> => opts.bus.publish(TOPICS.alerts, alerts.map((a) => ({ key: `${a.tenant}/${a.rule.id}/${a.groupKey}`, value: a })));

  const subs: Subscription[] = [];
  const windowStats: WindowStats = { partitions: [], groups: 0, redelivered: 0, duplicates: 0, rejected: 0 };
  const parts = new Map<number, { windows: WindowEvaluator; offset: number; src: Map<number, [number, number]>; used: number }>();

  try {
    if (stages.has('match')) {
      const evaluator = createEvaluator(ruleset, { maxGroupsPerRule: opts.maxGroupsPerRule });
      subs.push(
        await opts.bus.subscribe<EcsEvent>({
          topic: TOPICS.events,
          group: MATCH_GROUP,
          maxBatch: 1000,
          handler: async (batch) => {
            const alerts: Alert[] = [];
            const arrivals: PublishRecord<ArrivalRecord>[] = [];
            for (const m of batch) {
              const ev = m.value as unknown as Record<string, unknown>;
              if (!ev || typeof ev !== 'object' || (m.value.event?.kind === 'pipeline_error')) continue;
              let res;
              try {
                res = evaluator.match(ev);
              } catch (e) {
                logger.error({ event: m.value.event?.id, err: (e as Error).message }, 'correlator: evaluating an event failed; it is skipped for detection but still stored');
                continue;
              }
              for (const d of res.detections) {
                const a = toAlert(d, ev);
                if (a) alerts.push(a);
              }
              if (!res.arrivals.length) continue;
              const ctx = alertContext(ev);
              const o = Number(m.offset);
              res.arrivals.forEach((a, n) => {
                const { route, ...arrival } = a; // the route travels as the record's key
                arrivals.push({ key: route, value: { ...arrival, src: { p: m.partition, o, n }, ctx } });
              });
            }
            if (arrivals.length) await opts.bus.publish(TOPICS.correlation, arrivals);
            if (alerts.length) await publishAlerts(alerts);
          },
        }),
      );
    }

    if (stages.has('windows')) {
      const stateKey = (p: number) => `${WINDOWS_STATE_PREFIX}${p}`;
      const fresh = () => createWindowEvaluator(ruleset, { maxGroupsPerRule: opts.maxGroupsPerRule });
      /** The stored windows of a partition, or null; a checkpoint that cannot be read starts empty, loudly. */
      const load = async (p: number): Promise<WindowCheckpoint | null> => {
        const raw = await opts.store.getState(stateKey(p));
        if (!raw) return p === 0 && opts.bus.kind === 'embedded' ? legacy() : null;
        try {
          const cp = JSON.parse(raw) as WindowCheckpoint;
          if (cp.v !== 1 || typeof cp.offset !== 'number') throw new Error(`unknown checkpoint format (v ${String(cp.v)})`);
          return cp;
        } catch (e) {
          logger.error({ partition: p, key: stateKey(p), err: (e as Error).message }, 'correlator: the windows checkpoint of a partition could not be read; its correlation windows start empty');
          return null;
        }
      };
      /** The one-stage checkpoint of earlier versions (embedded bus: one partition), so an upgrade keeps open windows. */
      const legacy = async (): Promise<WindowCheckpoint | null> => {
        const raw = await opts.store.getState(LEGACY_CHECKPOINT_KEY);
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
      };
      const applyPartition = async (p: number, msgs: BusMessage<ArrivalRecord>[]): Promise<void> => {
        let held = parts.get(p);
        const first = Number(msgs[0].offset);
        // no windows yet, or a gap: another correlator owned the partition meanwhile and may have moved on
        if (!held || first > held.offset + 1) {
          const cp = await load(p);
          if (!held || (cp && cp.offset > held.offset)) {
            const windows = fresh();
            const src = new Map<number, [number, number]>();
            let offset = -1;
            if (cp) {
              try {
                windows.restore(cp.state);
                for (const [k, v] of Object.entries(cp.src ?? {})) if (Array.isArray(v) && v.length === 2) src.set(Number(k), [Number(v[0]), Number(v[1])]);
                offset = cp.offset;
                logger.info({ partition: p, offset, groups: windows.stats().groups }, 'correlator: resumed correlation windows from the checkpoint');
              } catch (e) {
                logger.error({ partition: p, err: (e as Error).message }, 'correlator: the windows checkpoint of a partition could not be restored; its correlation windows start empty');
              }
            }
            held = { windows, offset, src, used: Date.now() };
            parts.set(p, held);
          }
        }
        held.used = Date.now();
        const skipped = { redelivered: 0, duplicates: 0 };
        const alerts: Alert[] = [];
        let applied = false;
        for (const m of msgs) {
          const offset = Number(m.offset);
          if (offset <= held.offset) {
            windowStats.redelivered++; // already in these windows
            skipped.redelivered++;
            continue;
          }
          held.offset = offset;
          applied = true;
          const a = m.value;
          const reason = checkArrival(a) ?? (a.src && typeof a.src === 'object' && Number.isInteger(a.src.p) && Number.isFinite(a.src.o) && Number.isInteger(a.src.n) ? null : 'src: expected { p, o, n }');
          if (reason) {
            windowStats.rejected++;
            logger.error({ topic: TOPICS.correlation, partition: p, offset: m.offset, reason }, 'correlator: a record on the correlation topic is not an arrival; skipped');
            continue;
          }
          const seen = held.src.get(a.src.p);
          if (seen && (a.src.o < seen[0] || (a.src.o === seen[0] && a.src.n <= seen[1]))) {
            windowStats.duplicates++; // the matching stage redelivered this event
            skipped.duplicates++;
            continue;
          }
          held.src.set(a.src.p, [a.src.o, a.src.n]);
          const ctx = a.ctx && typeof a.ctx === 'object' ? a.ctx : { organization: { id: a.tenant } };
          for (const d of held.windows.feed(a)) {
            const alert = toAlert(d, ctx);
            if (alert) alerts.push(alert);
          }
        }
        if (skipped.redelivered || skipped.duplicates) {
          logger.info({ partition: p, ...skipped }, 'correlator: skipped arrivals the correlation windows already count (redelivered after a restart or rebalance)');
        }
        if (!applied) return;
        if (alerts.length) await publishAlerts(alerts);
        const cp: WindowCheckpoint = { v: 1, at: new Date().toISOString(), offset: held.offset, src: Object.fromEntries(held.src), state: held.windows.checkpoint() };
        await opts.store.putState(stateKey(p), JSON.stringify(cp));
      };
      subs.push(
        await opts.bus.subscribe<ArrivalRecord>({
          topic: TOPICS.correlation,
          group: WINDOWS_GROUP,
          maxBatch: 5000, // an event makes a few arrivals, and each batch ends with one checkpoint write
          handler: async (batch) => {
            const byPart = new Map<number, BusMessage<ArrivalRecord>[]>();
            for (const m of batch) {
              const l = byPart.get(m.partition);
              if (l) l.push(m);
              else byPart.set(m.partition, [m]);
            }
            for (const [p, msgs] of byPart) {
              try {
                await applyPartition(p, msgs);
              } catch (e) {
                // the windows in memory may be ahead of the checkpoint: the retry starts again from the store
                parts.delete(p);
                throw e;
              }
            }
            // a partition silent this long has probably moved to another correlator: free it (it reloads from the store if not)
            const idle = Date.now() - PARTITION_IDLE_MS;
            for (const [p, held] of parts) if (held.used < idle) parts.delete(p);
          },
        }),
      );
    }
  } catch (e) {
    clearInterval(timer);
    clearInterval(settingsTimer);
    for (const s of subs) await s.close().catch(() => undefined);
    throw e;
  }

  return {
    rules: ruleset.rules,
    report,
    async stop() {
      clearInterval(timer);
      clearInterval(settingsTimer);
      if (suppressed) logger.info({ suppressed }, 'correlator: detections suppressed by agency rule settings');
      for (const s of subs) await s.close();
      await saveRules().catch(() => undefined);
    },
    async lag() {
      let n = 0;
      for (const s of subs) n += await s.lag();
      return n;
    },
    windows() {
      let groups = 0;
      for (const p of parts.values()) groups += p.windows.stats().groups;
      return { ...windowStats, partitions: [...parts.keys()].sort((a, b) => a - b), groups };
    },
  };
}
