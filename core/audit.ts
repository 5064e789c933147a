/**
 * The audit log's hash chain: each entry's hash covers the previous hash and the entry,
 * so altering, inserting or deleting any entry breaks every hash after it. Every store
 * computes it the same way, so `canhgac audit verify` and the console check any backend.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry } from './model';
import type { Store } from './store/store';

export const GENESIS_HASH = '0'.repeat(64);

export function auditHash(prevHash: string, e: AuditEntry): string {
  const body = JSON.stringify([e.seq, e.at, e.actor, e.action, e.target ?? null, e.ip ?? null, e.details ?? null]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export type ChainCheck = { intact: true; entries: number } | { intact: false; entries: number; alteredAt: AuditEntry };

/** Walks the whole log in order and reports the first entry whose hash does not follow. */
export async function verifyAuditChain(store: Pick<Store, 'listAudit'>): Promise<ChainCheck> {
  let prev = GENESIS_HASH;
  let entries = 0;
  for (let after = 0; ; ) {
    const page = await store.listAudit({ afterSeq: after, limit: 5000 });
    if (!page.length) return { intact: true, entries };
    for (const e of page) {
      if (e.prevHash !== prev || auditHash(prev, e) !== e.hash) return { intact: false, entries, alteredAt: e };
      prev = e.hash!;
      after = e.seq!;
      entries++;
    }
  }
}

/**
 * The agencies an audit entry concerns, written in its details as `agencies` (so it is
 * covered by the hash chain): the incident's or agency's own, else the acting user's scope.
 * An entry without any concerns the province and is read only by users without a scope.
 */
export function auditAgencies(e: Pick<AuditEntry, 'details'>): string[] {
  const a = e.details?.agencies;
  return Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : [];
}

/** Whether a reader with this scope (null: every agency) may see the entry: all its agencies are theirs. */
export function auditVisible(e: Pick<AuditEntry, 'details'>, scope: string[] | null): boolean {
  if (scope === null) return true;
  const agencies = auditAgencies(e);
  return agencies.length > 0 && agencies.every((a) => scope.includes(a));
}

/** The entries after `afterSeq` a reader may see, `limit` of them at most: the store filters by agency, so a page is full however other agencies' entries interleave. */
export async function listVisibleAudit(store: Pick<Store, 'listAudit'>, scope: string[] | null, opts: { afterSeq?: number; beforeSeq?: number; order?: 'asc' | 'desc'; limit: number }): Promise<AuditEntry[]> {
  return store.listAudit({ ...opts, agencies: scope });
}
