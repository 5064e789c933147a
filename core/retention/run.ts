/**
 * One retention run (what the schedule does, and `canhgac retention run`): for every agency with
 * a retention, its events older than that many days are deleted in committed batches. Before an
 * agency's first batch the audit log says what is due (agency, cut-off, count, why); after the
 * last, how many went. A run stopped between the two is finished by the next one, which audits
 * the rest the same way. Only events: alerts, incidents, cases and the audit log are kept.
 */
import type { Tenant } from '../model';
import type { Store } from '../store/store';
import { RETENTION_SOURCE, type RetentionConfig } from './config-schema';
import { effectiveRetention } from './policy';

export interface AgencyRun {
  tenant: string;
  days: number;
  before: string; // events older than this were due
  due: number;
  deleted: number;
}

export interface RunOptions {
  now?: Date;
  actor?: string; // in the audit log: "canhgac" for the schedule, "cli" for the command
  /** Called after each committed batch (progress; tests stop a run here). */
  onBatch?: (tenant: string, deleted: number) => void | Promise<void>;
}

/** Every agency the policy knows (with a record) and every one that has events (the level-less default). */
async function agencies(store: Store): Promise<Tenant[]> {
  const known = await store.listTenants();
  const ids = new Set(known.map((t) => t.id));
  const orphans = (await store.retention.tenants()).filter((id) => !ids.has(id));
  return [...known, ...orphans.map((id) => ({ id, name: id, created: '' }))];
}

export async function runRetention(store: Store, cfg: RetentionConfig, opts: RunOptions = {}): Promise<AgencyRun[]> {
  const now = (opts.now ?? new Date()).getTime();
  const actor = opts.actor ?? 'canhgac';
  const out: AgencyRun[] = [];
  for (const t of await agencies(store)) {
    const eff = effectiveRetention(t, cfg);
    if (eff.days === null) continue;
    const before = new Date(now - eff.days * 86_400_000).toISOString();
    const due = await store.retention.countBefore(t.id, before);
    if (!due) continue;
    const why = { days: eff.days, source: eff.source, security_level: t.securityLevel ?? null, minimum_days: eff.minimum, reason: eff.below ? t.retentionReason : undefined, minimum_from: eff.minimum !== null ? RETENTION_SOURCE : undefined };
    await audit(store, actor, 'retention.due', t.id, { before, due, ...why });
    let deleted = 0;
    for (;;) {
      const n = await store.retention.deleteBefore(t.id, before, cfg.batch_size);
      if (!n) break;
      deleted += n;
      await opts.onBatch?.(t.id, n);
    }
    await audit(store, actor, 'retention.delete', t.id, { before, deleted, kept_due: due - deleted > 0 ? due - deleted : undefined, days: eff.days });
    out.push({ tenant: t.id, days: eff.days, before, due, deleted });
  }
  return out;
}

const audit = (store: Store, actor: string, action: string, tenant: string, details: Record<string, unknown>) =>
  store.appendAudit({ at: new Date().toISOString(), actor, action, target: tenant, ip: null, details: { ...details, agencies: [tenant] } });
