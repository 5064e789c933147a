/**
 * Agency blocklists: an analyst puts an address, range, domain or URL on an agency's list with
 * a reason and an expiry (audited); canhgac serves the live entries as a plain-text feed, one
 * value per line, that firewalls pull (FortiGate external block list, Palo Alto EDL, Check
 * Point, pfSense/OPNsense URL table aliases) with a per-agency token, so no firewall
 * credential lives in canhgac.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuditRepository, IdentityRepository, IntelRepository, StateRepository } from '../core/store/store';

/** What the blocklists use of the store: its entries, the agency, the feed tokens (state) and the audit log. */
type BlocklistStore = Pick<IntelRepository, 'putBlocklistEntry' | 'listBlocklist'> & Pick<IdentityRepository, 'getTenant'> & StateRepository & Pick<AuditRepository, 'appendAudit'>;
import { canonicalDomain, canonicalIp, canonicalUrl, isLive, type BlocklistEntry } from './indicator';

const FEED_TOKEN_KEY = (tenant: string) => `intel.feed_token.${tenant}`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function blocklistValue(raw: string): Pick<BlocklistEntry, 'type' | 'value'> {
  const v = raw.trim();
  const ip = canonicalIp(v);
  if (ip) return { type: 'ip', value: ip.value };
  const u = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? canonicalUrl(v) : null;
  if (u) return { type: 'url', value: u };
  const d = canonicalDomain(v);
  if (d) return { type: 'domain', value: d };
  throw new Error(`"${v}" is not an address, range, domain or URL a firewall can block`);
}

export interface AddEntry {
  tenant: string;
  value: string;
  reason: string;
  ttlMs: number | null;
  actor: string;
  ip?: string | null;
  incidentId?: string | null;
  now?: Date;
}

export type BlocklistAudit = (action: string, target: string, details: Record<string, unknown>) => Promise<void>;

/** Adds (or renews) an entry and writes the audit entry (through `audit`, else straight to the store); the reason is required. */
export async function addBlocklistEntry(store: BlocklistStore, a: AddEntry, audit?: BlocklistAudit): Promise<BlocklistEntry> {
  if (!a.reason.trim()) throw new Error('a reason is required: say why it is blocked (an incident, a CERT bulletin)');
  if (!(await store.getTenant(a.tenant))) throw new Error(`agency "${a.tenant}" does not exist (canhgac tenant list)`);
  const now = a.now ?? new Date();
  const typed = blocklistValue(a.value);
  const entry: BlocklistEntry = {
    id: sha256(`${a.tenant}\n${typed.value}`).slice(0, 32),
    tenant: a.tenant,
    ...typed,
    reason: a.reason.trim(),
    expires: a.ttlMs === null ? null : new Date(now.getTime() + a.ttlMs).toISOString(),
    added_by: a.actor,
    created: now.toISOString(),
    incidentId: a.incidentId ?? null,
  };
  await store.putBlocklistEntry(entry);
  const details = { reason: entry.reason, expires: entry.expires, incidentId: entry.incidentId, agencies: [a.tenant] };
  if (audit) await audit('blocklist.add', `${a.tenant}:${entry.value}`, details);
  else await store.appendAudit({ at: entry.created, actor: a.actor, action: 'blocklist.add', target: `${a.tenant}:${entry.value}`, ip: a.ip ?? null, details });
  return entry;
}

/** The feed: live entries (of one type, if asked), one value per line. */
export async function feedText(store: BlocklistStore, tenant: string, type?: BlocklistEntry['type'], nowMs = Date.now()): Promise<string> {
  const values = (await store.listBlocklist(tenant)).filter((e) => isLive(e, nowMs) && (!type || e.type === type)).map((e) => e.value);
  return values.length ? `${[...new Set(values)].join('\n')}\n` : '';
}

/** A new feed token for the agency (the old one stops working); the secret is shown once, only its hash is kept. */
export async function issueFeedToken(store: BlocklistStore, tenant: string): Promise<string> {
  if (!(await store.getTenant(tenant))) throw new Error(`agency "${tenant}" does not exist (canhgac tenant list)`);
  const secret = `cgf_${randomBytes(24).toString('base64url')}`;
  await store.putState(FEED_TOKEN_KEY(tenant), sha256(secret));
  await store.appendAudit({ at: new Date().toISOString(), actor: 'cli', action: 'blocklist.feed_token', target: tenant, details: null });
  return secret;
}

export async function feedTokenMatches(store: BlocklistStore, tenant: string, presented: string | undefined): Promise<boolean> {
  if (!presented) return false;
  const kept = await store.getState(FEED_TOKEN_KEY(tenant));
  if (!kept) return false;
  const a = Buffer.from(sha256(presented), 'hex');
  const b = Buffer.from(kept, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
