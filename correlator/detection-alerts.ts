/**
 * From detection to alert, shared by both stages of the detection loop: the agencies' rule switches and
 * exceptions (console Rules view: applied the moment the console publishes them on TOPICS.settings, and
 * read again from the store every minute in case a notice was missed), the per-rule hit counts saved in
 * the store, and publishing on `alerts`.
 */
import os from 'node:os';
import type { Bus } from '../core/bus/bus';
import { TOPICS, type SettingsNotice, type Subscription } from '../core/bus/bus';
import type { Logger } from '../core/log';
import type { Alert } from '../core/model';
import { matchesQuery, parseQuery, QueryTooCostlyError, type QueryNode } from '../core/query';
import type { ConsoleSettingsRepository, RuleSetting as StoredRuleSetting, StateRepository } from '../core/store/store';
import { detectionToAlert } from './alert';
import { ownRuleStats, saveRuleStats, type RuleStatus } from './rule-stats';
import type { Detection, LoadReport, RuleInfo } from './sigma';

export { RULES_STATE_KEY, type RuleStatus } from './rule-stats';
const REFRESH_MS = 5000; // rule statistics saved
const SETTINGS_REREAD_MS = 60_000; // the store read again, a safety net under the settings topic

interface RuleSetting {
  disabled: Set<string>;
  exception: QueryNode | null;
  updated: string;
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
  private settingsSub: Subscription | null = null;

  constructor(
    private readonly bus: Bus,
    private readonly store: StateRepository & Pick<ConsoleSettingsRepository, 'listRuleSettings'>,
    private readonly logger: Logger,
    rules: RuleInfo[],
    private readonly report: LoadReport[],
    private readonly instance: string = os.hostname(),
  ) {
    this.status = new Map(rules.map((r) => [r.id, { rule: r, hits: 0, last_hit: null }]));
  }

  /** Saves the rule list, reads the settings, and keeps both fresh until stop(). */
  async start(): Promise<void> {
    await this.restoreHits().catch((e: Error) => this.logger.warn({ err: e.message }, 'correlator: could not read the saved rule statistics; hit counts start from zero'));
    // a full disk must not keep detection from starting: the list is saved again at every refresh
    await this.saveRules().catch((e: Error) => this.logger.warn({ err: e.message }, 'correlator: could not save the rule list; detection starts anyway'));
    // subscribed before the store is read, so a change made in between is applied either way
    this.settingsSub = await this.followSettings();
    await this.loadSettings().catch((e: Error) => this.logger.warn({ err: e.message }, 'correlator: could not read rule settings'));
    const every = (fn: () => void, ms = REFRESH_MS): void => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(() => {
      if (!this.dirty) return;
      this.dirty = false;
      this.saveRules().catch((e: Error) => this.logger.warn({ err: e.message }, 'correlator: could not save rule statistics'));
    });
    every(() => void this.loadSettings().catch((e: Error) => this.logger.warn({ err: e.message }, 'correlator: could not refresh rule settings')), SETTINGS_REREAD_MS);
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.settingsSub?.close();
    this.settingsSub = null;
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
    const saved: Partial<RuleStatus>[] = (await ownRuleStats(this.store, this.instance))?.rules ?? [];
    for (const old of saved) {
      const st = old.rule?.id ? this.status.get(old.rule.id) : undefined;
      if (!st || typeof old.hits !== 'number' || !Number.isFinite(old.hits) || old.hits < 0) continue;
      st.hits += old.hits;
      if (typeof old.last_hit === 'string' && (!st.last_hit || old.last_hit > st.last_hit)) st.last_hit = old.last_hit;
    }
  }

  private saveRules(): Promise<void> {
    return saveRuleStats(this.store, this.instance, { at: new Date().toISOString(), rules: [...this.status.values()], report: this.report });
  }

  private async followSettings(): Promise<Subscription | null> {
    try {
      return await this.bus.subscribe<SettingsNotice>({ topic: TOPICS.settings, group: 'correlator.settings', ephemeral: true, handler: async (batch) => batch.forEach((m) => this.onNotice(m.value)) });
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'correlator: cannot follow rule settings live; they are read from the store every minute');
      return null;
    }
  }

  /** A setting published by the console: applied now, unless what is held is newer (a notice that overtook the store read). */
  private onNotice(n: SettingsNotice): void {
    if (n?.type !== 'rule_setting' || !n.setting?.ruleId) return;
    const held = this.settings.get(n.setting.ruleId);
    if (held && held.updated > n.setting.updated) return;
    this.settings.set(n.setting.ruleId, this.compile(n.setting));
    this.logger.info({ rule: n.setting.ruleId, disabledFor: n.setting.disabledFor, by: n.setting.by }, 'correlator: rule setting applied');
  }

  private compile(rs: StoredRuleSetting): RuleSetting {
    let exception: QueryNode | null = null;
    if (rs.exception) {
      try {
        exception = parseQuery(rs.exception);
      } catch (e) {
        this.logger.warn({ rule: rs.ruleId, err: (e as Error).message }, 'correlator: a rule exception does not parse; it is ignored');
      }
    }
    return { disabled: new Set(rs.disabledFor), exception, updated: rs.updated };
  }

  private async loadSettings(): Promise<void> {
    const next = new Map<string, RuleSetting>();
    for (const rs of await this.store.listRuleSettings()) next.set(rs.ruleId, this.compile(rs));
    // a notice applied while the store was read is newer than what the read returned
    for (const [id, held] of this.settings) if ((next.get(id)?.updated ?? '') < held.updated) next.set(id, held);
    this.settings = next;
  }
}
