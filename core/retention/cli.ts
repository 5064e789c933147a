/**
 * `canhgac tenant set <id> --security-level N [--retention-days D|default] [--reason TEXT]`,
 * `canhgac retention run` (what the schedule does, now) and `canhgac retention status`: the
 * admin service and the runner the console and the schedule use, acting as the CLI ("cli").
 */
import type { Store } from '../store/store';
import { AdminError, CLI_ACTOR, createAdminService } from '../../console/server/admin';
import type { RetentionConfig } from './config-schema';
import { effectiveRetention } from './policy';
import { hasSharingChange, sharingOf, sharingText } from '../../sharing/choice';
import { runRetention } from './run';
import { retentionStatus, type RetentionContext } from './status';

export interface RetentionCliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface TenantSetArgs {
  'security-level'?: string;
  'retention-days'?: string;
  reason?: string;
  'share-tlp'?: string; // the sharing choice with the national centre (sharing/choice.ts)
  'share-observed'?: string;
  'share-enabled'?: string;
}

const flag = (name: string) => `--${name.replace(/_/g, '-').replace('retention-reason', 'reason')}`;

function number(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new AdminError(400, `--${name}: "${v}" must be a whole number`);
  return Number(v);
}

/** tenant set: exit 0 done, 1 refused, 2 bad usage. */
export async function tenantSetCli(store: Store, cfg: RetentionConfig, id: string | undefined, a: TenantSetArgs, io: RetentionCliIo): Promise<number> {
  const sharing = { shareTlp: a['share-tlp'], shareObserved: a['share-observed'], shareEnabled: a['share-enabled'] };
  if (!id || (a['security-level'] === undefined && a['retention-days'] === undefined && !hasSharingChange(sharing))) {
    io.stderr('usage: canhgac tenant set <id> [--security-level 1-5] [--retention-days D|default] [--reason TEXT] [--share-tlp clear|green|amber|amber+strict|red] [--share-observed yes|no] [--share-enabled yes|no]');
    return 2;
  }
  try {
    const days = a['retention-days'] === 'default' ? null : number(a['retention-days'], 'retention-days');
    const t = await createAdminService(store, { retention: cfg }).changeTenant(CLI_ACTOR, id, { securityLevel: number(a['security-level'], 'security-level'), retentionDays: days, retentionReason: a.reason, ...sharing }, flag);
    const eff = effectiveRetention(t, cfg);
    if (hasSharingChange(sharing)) io.stdout(`agency ${t.id}: shares with the national centre: ${sharingText(sharingOf(t))}`);
    io.stdout(`agency ${t.id}: security level ${t.securityLevel ?? 'not set'}, minimum ${eff.minimum ?? 'none'} days, events kept ${eff.days === null ? 'without limit' : `${eff.days} days`} (${eff.source}${eff.below ? `, below the minimum: ${t.retentionReason}` : ''})`);
    return 0;
  } catch (e) {
    if (!(e instanceof AdminError)) throw e;
    io.stderr(`tenant set: ${e.message}`);
    return e.status === 400 ? 2 : 1;
  }
}

export async function retentionCli(store: Store, ctx: RetentionContext, sub: string | undefined, io: RetentionCliIo): Promise<number | null> {
  if (sub === 'run') {
    const runs = await runRetention(store, ctx.config, { actor: 'cli' });
    for (const r of runs) io.stdout(`${r.tenant}: deleted ${r.deleted} event${r.deleted === 1 ? '' : 's'} older than ${r.before} (${r.days} days)${r.deleted < r.due ? `; ${r.due - r.deleted} left for the next run` : ''}`);
    if (!runs.length) io.stdout('retention: no agency has events past its retention');
    return 0;
  }
  if (sub === 'status') {
    for (const s of await retentionStatus(store, ctx, await store.listTenants())) {
      io.stdout(`${s.tenant}\tlevel ${s.security_level ?? '-'}\tminimum ${s.minimum_days ?? '-'} d\tkept ${s.retention_days ?? 'all'}${s.retention_days !== null ? ' d' : ''} (${s.retention_source})\toldest ${s.oldest_event ?? '-'}`);
      for (const w of s.warnings) io.stdout(`  warning: ${w.message}`);
    }
    return 0;
  }
  return null;
}
