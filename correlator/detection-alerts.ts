/**
 * From detection to alert, shared by both stages of the detection loop: the agencies' rule switches and
 * exceptions (console Rules view, refreshed every few seconds), the per-rule hit counts saved in the
 * store, and publishing on `alerts`.
 */
import type { Bus } from '../core/bus/bus';
import { TOPICS } from '../core/bus/bus';
import type { Logger } from '../core/log';
import type { Alert } from '../core/model';
import { matchesQuery, parseQuery, QueryTooCostlyError, type QueryNode } from '../core/query';
import type { Store } from '../core/store/store';
import { detectionToAlert } from './alert';
import type { Detection, LoadReport, RuleInfo } from './sigma';

export const RULES_STATE_KEY = 'correlator.rules';
const REFRESH_MS = 5000;

export interface RuleStatus {
  rule: RuleInfo;
  hits: number;
  last_hit: string | null;
}

interface RuleSetting {
  disabled: Set<string>;
  exception: QueryNode | null;
}

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

export class AlertGate {
  private readonly status: Map<string, RuleStatus>;
  private settings = new Map<string, RuleSetting>();
  private dirty = false;
  private suppressed = 0;
  private readonly tooCostly = new Map<string, number>(); // rule id → events its exception gave up on
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly bus: Bus,
    private readonly store: Store,
    private readonly logger: Logger,
    rules: RuleInfo[],
    private readonly report: LoadReport[],
  ) {
    this.status = new Map(rules.map((r) => [r.id, { rule: r, hits: 0, last_hit: null }]));
  }

  /** Saves the rule list, reads the settings, and keeps both fresh until stop(). */
  async start(): Promise<void> {
    await this.restoreHits().catch((e: Error) => this.logger.warn({ err: e.message }, 'correlator: could not read the saved rule statistics; hit counts start from zero'));
    // a full disk must not keep detection from starting: the list is saved again at every refresh
    await this.saveRules().catch((e: Error) => this.logger.warn({ err: e.message }, 'correlator: could not save the rule list; detection starts anyway'));
    await this.loadSettings().catch((e: Error) => this.logger.warn({ err: e.message }, 'correlator: could not read rule settings'));
    const every = (fn: () => void): void => {
      const t = setInterval(fn, REFRESH_MS);
      t.unref();
      this.timers.push(t);
    };
    every(() => {
      if (!this.dirty) return;
      this.dirty = false;
      this.saveRules().catch((e: Error) => this.logger.warn({ err: e.message }, 'correlator: could not save rule statistics'));
    });
    every(() => void this.loadSettings().catch((e: Error) => this.logger.warn({ err: e.message }, 'correlator: could not refresh rule settings')));
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    if (this.suppressed) this.logger.info({ suppressed: this.suppressed }, 'correlator: detections suppressed by agency rule settings');
    await this.saveRules().catch(() => undefined);
  }

  /** The alert for a detection, or null when the agency switched the rule off or an exception matches the event. */
  toAlert(d: Detection, ev: Record<string, unknown>): Alert | null {
    const a = detectionToAlert(d, ev);
    const s = this.settings.get(d.rule.id);
    if (s && (s.disabled.has('*') || s.disabled.has(a.tenant) || (s.exception && this.exceptionMatches(d.rule.id, s.exception, { ...ev, ...(a.groupBy ? unflatten(a.groupBy) : {}) })))) {
      this.suppressed++;
      return null;
    }
    this.hit(d);
    return a;
  }

  publish(alerts: Alert[]): Promise<void> {
    return this.bus.publish(TOPICS.alerts, alerts.map((a) => ({ key: `${a.tenant}/${a.rule.id}/${a.groupKey}`, value: a })));
  }

  private hit(d: Detection): void {
    const st = this.status.get(d.rule.id);
    if (!st) return;
    st.hits++;
    st.last_hit = new Date().toISOString();
    this.dirty = true;
  }

  /** An exception that costs more than its budget on an event does not suppress the alert: a missed detection is worse than a duplicate. */
  private exceptionMatches(ruleId: string, exception: QueryNode, doc: Record<string, unknown>): boolean {
    try {
      return matchesQuery(exception, doc);
    } catch (e) {
      if (!(e instanceof QueryTooCostlyError)) throw e;
      const n = (this.tooCostly.get(ruleId) ?? 0) + 1;
      this.tooCostly.set(ruleId, n);
      if (n === 1 || n % 1000 === 0) this.logger.warn({ rule: ruleId, events: n, err: e.message }, 'correlator: a rule exception is too costly for an event; the alert is raised as if the exception did not match');
      return false;
    }
  }

  /** Hit counts and last hits of the rules still loaded, as the previous run saved them: a restart does not zero them. */
  private async restoreHits(): Promise<void> {
    const raw = await this.store.getState(RULES_STATE_KEY);
    if (!raw) return;
    const saved = (JSON.parse(raw) as { rules?: Partial<RuleStatus>[] }).rules ?? [];
    for (const old of saved) {
      const st = old.rule?.id ? this.status.get(old.rule.id) : undefined;
      if (!st || typeof old.hits !== 'number' || !Number.isFinite(old.hits) || old.hits < 0) continue;
      st.hits += old.hits;
      if (typeof old.last_hit === 'string' && (!st.last_hit || old.last_hit > st.last_hit)) st.last_hit = old.last_hit;
    }
  }

  private saveRules(): Promise<void> {
    return this.store.putState(RULES_STATE_KEY, JSON.stringify({ at: new Date().toISOString(), rules: [...this.status.values()], report: this.report }));
  }

  private async loadSettings(): Promise<void> {
    const next = new Map<string, RuleSetting>();
    for (const rs of await this.store.listRuleSettings()) {
      let exception: QueryNode | null = null;
      if (rs.exception) {
        try {
          exception = parseQuery(rs.exception);
        } catch (e) {
          this.logger.warn({ rule: rs.ruleId, err: (e as Error).message }, 'correlator: a rule exception does not parse; it is ignored');
        }
      }
      next.set(rs.ruleId, { disabled: new Set(rs.disabledFor), exception });
    }
    this.settings = next;
  }
}
