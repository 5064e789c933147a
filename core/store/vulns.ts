/**
 * The vulnerability findings repository (vuln/): its own narrow interface, one implementation per store, one
 * contract (vulns.contract.ts). An import is staged under its id while the report streams in and becomes
 * visible only at commitImport, all at once; a report that fails is discarded and leaves nothing behind.
 */
import type { AssetService, ScanFinding, ScanFormat, ScanHost, VulnSeverity } from '../../vuln/finding';
import type { TenantScope } from './store';

export type FindingStatus = 'open' | 'closed';

/** One weakness of one agency's asset, as the scans have seen it over time. */
export interface Finding extends ScanFinding {
  id: string; // findingId(): the same check on the same host and port by the same scanner
  tenant: string;
  source: ScanFormat;
  status: FindingStatus;
  firstSeen: string;
  lastSeen: string;
  closedAt: string | null; // when a later scan of the host no longer found it
  reopened: number; // how many times it came back after being closed
  importId: string; // the last import that saw it
}

/** A finding as read from one report, waiting for its import to be committed. */
export type StagedFinding = ScanFinding & { id: string };

/** An agency's host as the scans saw it: the services it listens on and its OS. */
export interface Asset {
  id: string; // tenant + address
  tenant: string;
  address: string;
  hostname: string | null;
  os: string | null;
  services: AssetService[];
  lastScan: string;
  sources: ScanFormat[];
}

/** One imported report: who, when, what it covered, what changed, and the open findings after it (the trend). */
export interface ScanImport {
  id: string;
  tenant: string;
  source: ScanFormat;
  file: string;
  at: string; // when it was imported: the scan's "seen" time
  by: string;
  hosts: number;
  findings: number;
  opened: number;
  reopened: number;
  closed: number;
  openBySeverity: Record<VulnSeverity, number>;
}

export interface FindingQuery {
  tenants: TenantScope;
  host?: string;
  severity?: VulnSeverity[];
  status?: FindingStatus[];
  limit?: number; // default 100
  offset?: number;
}

export interface VulnRepository {
  /** Keeps findings of an import not yet committed; invisible to every read. */
  stageFindings(importId: string, items: StagedFinding[]): Promise<void>;
  /** Drops what an import staged (a report that failed half-way). */
  discardImport(importId: string): Promise<void>;
  /**
   * Makes an import visible at once: its staged findings become open (new, seen again, or reopened), the
   * open findings of the same agency and scanner on its hosts that it no longer found are closed, the hosts'
   * assets take what it saw, and the import is recorded with its counts. Returns the recorded import.
   */
  commitImport(imp: Omit<ScanImport, 'hosts' | 'findings' | 'opened' | 'reopened' | 'closed' | 'openBySeverity'>, hosts: ScanHost[]): Promise<ScanImport>;
  /** Findings of the scope, highest CVSS first. */
  listFindings(q: FindingQuery): Promise<{ items: Finding[]; total: number }>;
  /** Open findings of one agency on these addresses (what an attack on them meets). */
  openFindingsOn(tenant: string, addresses: string[]): Promise<Finding[]>;
  listAssets(tenants: TenantScope): Promise<Asset[]>;
  /** Imports of the scope, oldest first. */
  listImports(tenants: TenantScope): Promise<ScanImport[]>;
}

/** The finding after one more scan saw it: new, seen again (open), or back after it was closed. */
export function seenAgain(prev: Finding | null, s: StagedFinding, tenant: string, source: ScanFormat, importId: string, at: string): { next: Finding; change: 'opened' | 'reopened' | 'seen' } {
  const next: Finding = {
    ...s, tenant, source, status: 'open', importId, lastSeen: at,
    firstSeen: prev?.firstSeen ?? at, closedAt: null, reopened: (prev?.reopened ?? 0) + (prev?.status === 'closed' ? 1 : 0),
  };
  return { next, change: !prev ? 'opened' : prev.status === 'closed' ? 'reopened' : 'seen' };
}

export const closedBy = (f: Finding, at: string): Finding => ({ ...f, status: 'closed', closedAt: at });

/** An asset after a scan saw its host: the newest names, OS and services win, what the scan did not say is kept. */
export function assetAfter(prev: Asset | null, tenant: string, source: ScanFormat, h: ScanHost, at: string): Asset {
  return {
    id: `${tenant}|${h.address}`, tenant, address: h.address, hostname: h.hostname ?? prev?.hostname ?? null, os: h.os ?? prev?.os ?? null,
    services: h.services.length ? h.services : (prev?.services ?? []), lastScan: at, sources: [...new Set([...(prev?.sources ?? []), source])],
  };
}

export const emptyBySeverity = (): Record<VulnSeverity, number> => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
