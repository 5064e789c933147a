/**
 * What the console API answers, as TypeScript types: the server's response schemas
 * (schemas.ts) describe the same shapes, and the web app (console/web/src) imports these
 * instead of keeping its own copies. Types only, and only from core/model, so the browser
 * bundle takes nothing of the server.
 */
import type { Alert, AuditEntry, DeadLetter, Incident, IncidentChange, Role } from '../../core/model';

export interface ApiError { error: string }
export interface ApiMe { username: string; role: Role; agencies: string[]; csrf: string | null; totp?: boolean; via?: 'session' | 'token' }
export interface ApiTenant { id: string; name: string; created: string }
export interface ApiToken { id: string; kind: 'ingest' | 'api'; subject: string; created: string; revoked: string | null; label: string | null }
export interface ApiUser { username: string; role: Role; agencies: string[]; disabled: boolean; totp?: boolean; locked?: boolean }
export interface ApiNewToken { token: ApiToken; secret: string }
export interface ApiNewTenant { tenant: ApiTenant; token: { id: string; secret: string } }
export type ApiIncident = Incident;
export type ApiAlert = Alert;
export type ApiIncidentChange = IncidentChange;
export type ApiAuditEntry = AuditEntry & { seq: number; prevHash: string; hash: string }; // as stored: numbered and chained
export type ApiDeadLetter = Omit<DeadLetter, 'original'> & { original?: string };
export interface ApiSla { target: { acknowledge_minutes: number; resolve_minutes: number }; acknowledged_at: string | null; time_to_acknowledge_ms: number; acknowledge_breached: boolean; closed_at: string | null; time_open_ms: number; resolve_breached: boolean }
export interface ApiSavedSearch { id: string; owner?: string; name: string; q: string; range?: string | null; columns: string[]; created?: string }
export interface ApiRuleSetting { ruleId: string; disabledFor: string[]; exception?: string | null; updated: string; by: string }
export interface ApiSource { tenant: string; source: string; dataset: string | null; last_seen: string; per_minute: number; failure_rate: number; events_2d: number; silent: boolean }
export interface ApiAgencyCounts { tenant: string; received: number; parsed: number; failed: number; dropped: number; last_seen: string | null; failure_rate: number; silent: boolean }

export interface ApiDashboard {
  from: string;
  intervalMs: number;
  eventsByAgency: { t: string; value: string; count: number }[];
  eventsBySource: { t: string; value: string; count: number }[];
  alerts: { bySeverity: { severity: string; count: number }[]; byRule: { ruleId: string; title: string; count: number; last: string }[]; histogram: { t: string; severity: string; count: number }[] };
  topSources: { value: string; count: number }[];
  listeners: { at: string; pending: number; items: Record<string, { received: number; parsed: number; failed: number; dropped: number; bytes: number; last_seen: string | null }> } | null; // provincial users only
  attack: { tactics: { tactic: string; techniques: { id: string; rules: number; hits: number }[] }[] } | null;
}

/** A loaded rule as the correlator describes it. */
export interface ApiRuleInfo { id: string; title: string; level: string; status?: string; author?: string; description?: string; tags: string[]; references: string[]; path: string; kind: string; logsource?: Record<string, string> }
/** GET /api/rules: hits counted from the caller's agencies' alerts, settings cut to its agencies. */
export interface ApiRulesState { at?: string; rules: { rule: ApiRuleInfo; hits: number; last_hit: string | null }[]; report: { path: string; ok: boolean; error?: string; ruleId?: string }[]; settings: ApiRuleSetting[] }
export interface ApiRuleTest { rules: { id: string; title: string; level?: string; kind?: string }[]; warnings: string[]; results: { index: number; detections: { rule: string; title: string; kind: string; level?: string; groupBy?: Record<string, string> | null }[] }[] }
