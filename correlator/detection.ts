/**
 * The detection loop, in two stages so correlation state for a key lives on one correlator:
 *  1. matching (detection-match.ts, group `correlator` on `events`, stateless): base rules; single-rule
 *     detections become alerts; every correlation an event feeds gets an arrival on `correlation`;
 *  2. windows (detection-windows.ts, group `correlator-windows` on `correlation`): one window state per
 *     partition, fed by arrivals, checkpointed with the offsets it includes; detections become alerts.
 * Both turn detections into alerts through one AlertGate (detection-alerts.ts: agency switches,
 * exceptions, hit counts). This file loads the rules and composes the stages a process runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bus, Subscription } from '../core/bus/bus';
import type { Logger } from '../core/log';
import type { Store } from '../core/store/store';
import { AlertGate } from './detection-alerts';
import { MatchStage } from './detection-match';
import { WindowStage, type WindowStats } from './detection-windows';
import { loadRules, type LoadReport, type RuleInfo } from './sigma';

export { RULES_STATE_KEY, unflatten, type RuleStatus } from './detection-alerts';
export { MATCH_GROUP, alertContext, type ArrivalRecord } from './detection-match';
export { LEGACY_CHECKPOINT_KEY, WINDOWS_GROUP, WINDOWS_STATE_PREFIX, type WindowStats } from './detection-windows';

export type DetectionStage = 'match' | 'windows';

export interface DetectionOptions {
  bus: Bus;
  store: Store;
  logger: Logger;
  rulePaths: string[];
  mappingsDir?: string;
  placeholders?: Record<string, string[]>;
  maxGroupsPerRule?: number;
  /** how far (ms) a correlation event may arrive behind the newest of its group and still count; default 15 minutes */
  allowedLatenessMs?: number;
  baseDir?: string; // relative rule paths resolve here; default: the package root
  /** which stages this process runs; default both (a correlator runs both, each in its own group) */
  stages?: DetectionStage[];
  /** this correlator's name for its rule statistics (correlator.instance); default the host name and data directory */
  instance?: string;
}

export interface DetectionLoop {
  rules: RuleInfo[];
  report: LoadReport[];
  stop(): Promise<void>;
  lag(): Promise<number>;
  windows(): WindowStats;
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

function load(opts: DetectionOptions, logger: Logger): ReturnType<typeof loadRules> {
  const paths = resolveRulePaths(opts.rulePaths, opts.baseDir);
  const mappingsDir = opts.mappingsDir ? resolveRulePaths([opts.mappingsDir], opts.baseDir)[0] : undefined;
  const res = loadRules({ paths, mappingsDir, placeholders: opts.placeholders });
  for (const r of res.report) {
    if (!r.ok) logger.warn({ path: r.path, rule: r.ruleId, error: r.error }, 'correlator: a rule did not load (the others still run)');
    for (const w of r.warnings) logger.warn({ path: r.path, rule: r.ruleId, warning: w }, 'correlator: rule warning');
  }
  const loaded = res.report.filter((r) => r.ok).length;
  logger.info({ loaded, total: res.report.length }, `correlator: loaded ${loaded} of ${res.report.length} rules`);
  return res;
}

export async function startDetection(opts: DetectionOptions): Promise<DetectionLoop> {
  const logger = opts.logger.child({ component: 'correlator' });
  const stages = new Set<DetectionStage>(opts.stages ?? ['match', 'windows']);
  const { ruleset, report } = load(opts, logger);
  const gate = new AlertGate(opts.bus, opts.store, logger, ruleset.rules, report, opts.instance ?? os.hostname());
  await gate.start();
  const windowStage = stages.has('windows') ? new WindowStage(ruleset, opts.bus, opts.store, gate, logger, { maxGroupsPerRule: opts.maxGroupsPerRule, allowedLatenessMs: opts.allowedLatenessMs }) : null;
  const subs: Subscription[] = [];
  const stopAll = async (): Promise<void> => {
    await windowStage?.stop();
    for (const s of subs) await s.close();
  };
  try {
    if (stages.has('match')) subs.push(await new MatchStage(ruleset, opts.bus, gate, logger, opts.maxGroupsPerRule).start());
    if (windowStage) subs.push(await windowStage.start());
  } catch (e) {
    await stopAll().catch(() => undefined);
    await gate.stop();
    throw e;
  }
  return {
    rules: ruleset.rules,
    report,
    async stop() {
      await stopAll();
      await gate.stop();
    },
    async lag() {
      let n = 0;
      for (const s of subs) n += await s.lag();
      return n;
    },
    windows: () => windowStage?.windows() ?? { partitions: [], groups: 0, redelivered: 0, duplicates: 0, rejected: 0 },
  };
}
