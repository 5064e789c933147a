/**
 * What the console's route plugins share: their context (store, bus, audit, SLA targets,
 * the secret box), the time ranges, field schemas and small helpers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Bus } from '../../core/bus/bus';
import type { Logger } from '../../core/log';
import { type IncidentStatus } from '../../core/model';
import type { Store, TenantScope } from '../../core/store/store';
import { type Principal } from './auth';
import { type SlaTargets } from './sla';
import type { SecretBox } from './secretbox';
import type { ReportingSettings } from '../../reports/deadlines';

export interface RouteContext {
  store: Store;
  bus: Bus;
  logger: Logger;
  audit: (req: FastifyRequest, action: string, target?: string | null, details?: Record<string, unknown>) => Promise<void>;
  sla: SlaTargets;
  reporting: ReportingSettings; // which incidents must be reported, and by when (reporting: in canhgac.yml)
  secrets: SecretBox; // seals TOTP secrets at rest
  secureCookies: boolean; // the session cookie's Secure flag (logout clears it)
  rulesMappingsDir?: string;
}

export const RANGES: Record<string, number> = { '15m': 15 * 60e3, '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };
export const ID = { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' } as const;
export const TIME = { type: 'string', format: 'date-time' } as const;
export const MAX_EXPORT = 100_000;
export const STATUSES: IncidentStatus[] = ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive', 'duplicate'];
export const DEFAULT_COLUMNS = ['@timestamp', 'organization.id', 'event.dataset', 'host.name', 'source.ip', 'user.name', 'event.action', 'event.outcome', 'message'];

export const principal = (req: FastifyRequest): Principal => req.principal!;
export const inScope = (scope: TenantScope, tenant: string) => scope === null || scope.includes(tenant);
/** The caller's scope narrowed to the agency a request asks for (`?agency=`); an agency outside the scope is none. */
export const askedScope = (scope: TenantScope, agency: string | undefined): TenantScope => (agency ? (inScope(scope, agency) ? [agency] : []) : scope);

export function attachment(reply: FastifyReply, name: string, type: string): void {
  reply.header('Content-Disposition', `attachment; filename="${name}"`);
  reply.type(type);
}

/** The time window and bucket size for a dashboard range: about 60 buckets of a round size. */
export function rangeWindow(range: string, now = Date.now()): { from: string; intervalMs: number } {
  const span = RANGES[range] ?? RANGES['1h'];
  const steps = [10e3, 30e3, 60e3, 5 * 60e3, 15 * 60e3, 30 * 60e3, 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3];
  const intervalMs = steps.find((s) => span / s <= 90) ?? 86400e3;
  return { from: new Date(now - span).toISOString(), intervalMs };
}

export const TACTICS = [
  'reconnaissance', 'resource_development', 'initial_access', 'execution', 'persistence', 'privilege_escalation', 'defense_evasion',
  'credential_access', 'discovery', 'lateral_movement', 'collection', 'command_and_control', 'exfiltration', 'impact',
];

export interface RuleStatusState {
  rule: { id: string; title: string; level: string; tags: string[]; kind?: string; enabled?: boolean };
  hits: number;
  last_hit: string | null;
}

/** Answers reused for a few seconds per scope: dashboards and source lists scan many events, and every open console polls them. */
export function ttlCache<T>(ttlMs: number, max = 200): (key: string, compute: () => Promise<T>) => Promise<T> {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return (key, compute) => {
    const now = Date.now();
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value;
    if (entries.size >= max) entries.delete(entries.keys().next().value as string);
    const value = compute();
    entries.set(key, { at: now, value });
    value.catch(() => entries.delete(key)); // a failure is not remembered
    return value;
  };
}

