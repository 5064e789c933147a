/**
 * The detection loop: events from the bus through the Sigma evaluator; detections
 * become alerts on the bus. Correlation windows are checkpointed with the offsets they
 * include, so a restart resumes open windows and never counts an event twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Bus, Subscription } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import type { EcsEvent } from '../core/event';
import type { Logger } from '../core/log';
import type { Alert } from '../core/model';
import type { Store } from '../core/store/store';
import { detectionToAlert } from './alert';
import { createEvaluator, loadRules, type LoadReport, type RuleInfo } from './sigma';

export interface DetectionOptions {
  bus: Bus;
  store: Store;
  logger: Logger;
  rulePaths: string[];
  mappingsDir?: string;
  placeholders?: Record<string, string[]>;
  maxGroupsPerRule?: number;
  baseDir?: string; // relative rule paths resolve here; default: the package root
}

export interface RuleStatus {
  rule: RuleInfo;
  hits: number;
  last_hit: string | null;
}

export interface DetectionLoop {
  rules: RuleInfo[];
  report: LoadReport[];
  stop(): Promise<void>;
  lag(): Promise<number>;
}

export const CHECKPOINT_KEY = 'correlator.checkpoint';
export const RULES_STATE_KEY = 'correlator.rules';

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
  const paths = resolveRulePaths(opts.rulePaths, opts.baseDir);
  const mappingsDir = opts.mappingsDir ? resolveRulePaths([opts.mappingsDir], opts.baseDir)[0] : undefined;
  const { ruleset, report } = loadRules({ paths, mappingsDir, placeholders: opts.placeholders });
  for (const r of report) {
    if (!r.ok) logger.warn({ path: r.path, rule: r.ruleId, error: r.error }, 'correlator: a rule did not load (the others still run)');
    for (const w of r.warnings) logger.warn({ path: r.path, rule: r.ruleId, warning: w }, 'correlator: rule warning');
  }
  const loaded = report.filter((r) => r.ok).length;
  logger.info({ loaded, total: report.length }, `correlator: loaded ${loaded} of ${report.length} rules`);

  const evaluator = createEvaluator(ruleset, { maxGroupsPerRule: opts.maxGroupsPerRule });
  const applied = new Map<number, number>(); // partition → last offset folded into the windows
  const saved = await opts.store.getState(CHECKPOINT_KEY);
  if (saved) {
    try {
      const cp = JSON.parse(saved) as { offsets: Record<string, number>; state: unknown };
      evaluator.restore(cp.state);
      for (const [p, o] of Object.entries(cp.offsets)) applied.set(Number(p), o);
      logger.info({ groups: evaluator.stats().groups }, 'correlator: resumed correlation windows from the checkpoint');
    } catch (e) {
      logger.error({ err: (e as Error).message }, 'correlator: the checkpoint could not be read; correlation windows start empty');
    }
  }

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

  const sub: Subscription = await opts.bus.subscribe<EcsEvent>({
    topic: TOPICS.events,
    group: 'correlator',
    maxBatch: 1000,
    handler: async (batch) => {
      const alerts: Alert[] = [];
      let stateful = false;
      for (const m of batch) {
        const offset = Number(m.offset);
        if (offset <= (applied.get(m.partition) ?? -1)) continue; // already in the restored windows
        applied.set(m.partition, offset);
        const ev = m.value;
        if (ev.event?.kind === 'pipeline_error') continue;
        let detections;
        try {
          detections = evaluator.evaluate(ev as unknown as Record<string, unknown>);
        } catch (e) {
          logger.error({ event: ev.event?.id, err: (e as Error).message }, 'correlator: evaluating an event failed; it is skipped for detection but still stored');
          continue;
        }
        for (const d of detections) {
          if (d.kind === 'correlation') stateful = true;
          alerts.push(detectionToAlert(d, ev as unknown as Record<string, unknown>));
          const st = status.get(d.rule.id);
          if (st) {
            st.hits++;
            st.last_hit = new Date().toISOString();
            dirtyRules = true;
          }
        }
      }
      if (alerts.length) await opts.bus.publish(TOPICS.alerts, alerts.map((a) => ({ key: `${a.tenant}/${a.rule.id}/${a.groupKey}`, value: a })));
      if (stateful || evaluator.stats().groups > 0 || alerts.length) {
        await opts.store.putState(CHECKPOINT_KEY, JSON.stringify({ at: new Date().toISOString(), offsets: Object.fromEntries(applied), state: evaluator.checkpoint() }));
      }
    },
  });

  return {
    rules: ruleset.rules,
    report,
    async stop() {
      clearInterval(timer);
      await sub.close();
      await saveRules().catch(() => undefined);
    },
    lag: () => sub.lag(),
  };
}
