/**
 * An agency's sharing choice with the national centre: whether its incidents may be exported
 * at all, the TLP 2.0 level every exported object is marked with, and whether raw observations
 * (its addresses, hosts, users, connections) go out as observed-data or only the indicators.
 * Stored on the Tenant (core/model.ts); the API and the CLI change it through one function, so
 * both refuse a bad value with the same message.
 */
import type { Tenant, TenantSharing } from '../core/model';

export const SHARE_TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type ShareTlp = (typeof SHARE_TLPS)[number];

/** What an agency that never chose shares: TLP:AMBER, indicators only (no raw observations). */
export const DEFAULT_SHARING: TenantSharing = { enabled: true, tlp: 'amber', observedData: false };

export const sharingOf = (t: Pick<Tenant, 'sharing'> | null | undefined): TenantSharing => ({ ...DEFAULT_SHARING, ...(t?.sharing ?? {}) });

/** A change as the API (booleans) or the CLI (yes/no words) gives it; undefined leaves a setting as it is. */
export interface SharingChange {
  shareTlp?: string;
  shareObserved?: boolean | string;
  shareEnabled?: boolean | string;
}

const YES = new Set(['yes', 'true', 'on', '1', 'có']);
const NO = new Set(['no', 'false', 'off', '0', 'không']);

function yesNo(v: boolean | string, name: string, field: (n: string) => string): boolean | string {
  if (typeof v === 'boolean') return v;
  const w = v.trim().toLowerCase();
  if (YES.has(w)) return true;
  if (NO.has(w)) return false;
  return `${field(name)}: ${JSON.stringify(v)} must be yes or no`;
}

export const hasSharingChange = (c: SharingChange): boolean => c.shareTlp !== undefined || c.shareObserved !== undefined || c.shareEnabled !== undefined;

/** The tenant after the change, or the problem naming the field and the values it may take. */
export function applySharing(t: Tenant, c: SharingChange, field: (name: string) => string): { tenant: Tenant } | { problem: string } {
  if (!hasSharingChange(c)) return { tenant: t };
  const next: TenantSharing = sharingOf(t);
  if (c.shareTlp !== undefined) {
    const tlp = c.shareTlp.trim().toLowerCase().replace(/^tlp:/, '');
    if (!(SHARE_TLPS as readonly string[]).includes(tlp)) return { problem: `${field('share_tlp')}: ${JSON.stringify(c.shareTlp)} must be one of ${SHARE_TLPS.join(', ')} (TLP 2.0)` };
    next.tlp = tlp as ShareTlp;
  }
  for (const [key, name, prop] of [['shareObserved', 'share_observed', 'observedData'], ['shareEnabled', 'share_enabled', 'enabled']] as const) {
    const v = c[key];
    if (v === undefined) continue;
    const b = yesNo(v, name, field);
    if (typeof b === 'string') return { problem: b };
    next[prop] = b;
  }
  return { tenant: { ...t, sharing: next } };
}

/** One line for the CLI and the audit: "TLP:AMBER, indicators only". */
export const sharingText = (s: TenantSharing): string =>
  s.enabled ? `TLP:${s.tlp.toUpperCase()}, ${s.observedData ? 'indicators and observed data (addresses, hosts, users)' : 'indicators only, no observed data'}` : 'off (nothing is exported)';
