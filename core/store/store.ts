/**
 * The Store: events (bulk write, search, histograms, top-N), dead letters, alerts,
 * incidents, tenants, users, tokens, sessions and the audit log. Two implementations:
 * sqlite (embedded default) and elasticsearch. Every write is idempotent by id.
 */
import type { EcsEvent } from '../event';
import type {
  Alert,
  AuditEntry,
  DeadLetter,
  Incident,
  IncidentChange,
  IncidentStatus,
  Notification,
  Session,
  Tenant,
  TokenRecord,
  User,
} from '../model';
import type { BlocklistEntry, Indicator } from '../../intel/indicator';
import type { CaseRepository } from './cases';
import type { VulnRepository } from './vulns';
import type { EventEnrichment } from './enrichment';

/** Events by agency and age, for retention: each delete is one committed batch, so a stop mid-run leaves a consistent store. */
export interface EventRetention {
  /** The agencies that have stored events. */
  tenants(): Promise<string[]>;
  /** The @timestamp of the agency's oldest stored event, or null. */
  oldest(tenant: string): Promise<string | null>;
  countBefore(tenant: string, before: string): Promise<number>;
  /** Deletes at most `limit` of the agency's events older than `before`, oldest first; how many went. */
  deleteBefore(tenant: string, before: string, limit: number): Promise<number>;
  /** The store's own limit on every event's age (Elasticsearch's retention_days), or null. */
  readonly capDays: number | null;
}

/** Which tenants a caller may see: null means every tenant (SOC-wide roles). */
export type TenantScope = string[] | null;

export interface EventQuery {
  q?: string; // query language: field:value, wildcards, ranges, AND/OR/NOT, phrases, free text
  from?: string; // ISO time, inclusive
  to?: string; // ISO time, exclusive
  limit?: number; // default 100, max 10000
  offset?: number;
  order?: 'asc' | 'desc'; // by @timestamp, default desc
  tenants: TenantScope;
}

export interface EventPage {
  items: EcsEvent[];
  total: number;
}

export interface HistogramBucket {
  t: string; // bucket start, ISO
  count: number;
}

export interface TopValue {
  value: string;
  count: number;
}

export interface IncidentQuery {
  status?: IncidentStatus[];
  severity?: string[];
  ruleId?: string;
  assignee?: string;
  limit?: number;
  offset?: number;
  tenants: TenantScope;
}

export interface IndicatorQuery {
  tenants: TenantScope;
  q?: string;
  type?: string;
  limit?: number; // default 100
  offset?: number;
}

/** A search an analyst saved: the query, time range and the columns shown. */
export interface SavedSearch {
  id: string;
  owner: string; // username
  name: string;
  q: string;
  range?: string | null; // e.g. "24h", or null for all time
  columns: string[];
  created: string;
}

/** Per-rule settings made in the console: agencies the rule is off for ('*' = all) and an exception query. */
export interface RuleSetting {
  ruleId: string;
  disabledFor: string[];
  exception?: string | null; // search-language query; matching events raise no alert
  updated: string;
  by: string;
}

/** Recent activity of one sending source (address or input) of one agency. */
export interface SourceActivity {
  tenant: string;
  source: string; // log.source.address, else the input type
  dataset: string | null;
  count: number;
  failed: number; // events the pipeline could not parse (event.kind pipeline_error)
  last_seen: string;
}

export interface FieldCount {
  field: string;
  count: number; // in how many of the sampled events the field occurs
}

export interface AlertStats {
  bySeverity: { severity: string; count: number }[];
  byRule: { ruleId: string; title: string; count: number; last: string }[];
  histogram: { t: string; severity: string; count: number }[];
}

/** A website an agency's site is watched at (website/): what is checked and how often. */
export interface WebsiteSite {
  id: string;
  tenant: string; // the agency the site belongs to; its events carry this organization.id
  url: string;
  intervalS: number;
  keywords: string[]; // words the page must keep showing (a missing one counts as defacement)
  paused: boolean;
  created: string;
  by: string;
}

/** What the checker keeps of a site between checks (baseline, last answers, last check); the store does not look inside `doc`. */
export interface WebsiteState {
  siteId: string;
  tenant: string;
  updated: string;
  doc: Record<string, unknown>;
}

/** For a read a client may abandon: an aborted signal stops the query where the store can (the SQLite reader threads do). */
export interface ReadOptions {
  signal?: AbortSignal;
}

/** A page of the audit log: `agencies` null or absent is the whole log (provincial), [] is none of it; `order` desc gives the newest first. */
export interface AuditQuery { limit?: number; afterSeq?: number; beforeSeq?: number; order?: 'asc' | 'desc'; agencies?: TenantScope }

/**
 * The store in parts: one repository per kind of record, each a narrow interface a component can
 * depend on alone (the outbox worker needs OutboxRepository, not the whole store). A store implements
 * them all; cases, vulnerability findings and retention are repositories of their own on the store.
 */

/** Stored events and every read over them: search, counts, histograms, top values, field names, source activity. */
export interface EventRepository {
  putEvents(events: EcsEvent[]): Promise<void>;
  /** Adds ECS threat.enrichments to stored events (intel matches); returns the ids not stored yet. */
  enrichEvents(items: EventEnrichment[]): Promise<string[]>;
  searchEvents(q: EventQuery, opts?: ReadOptions): Promise<EventPage>;
  getEvents(ids: string[], tenants: TenantScope): Promise<EcsEvent[]>;
  histogram(q: EventQuery, intervalMs: number, opts?: ReadOptions): Promise<HistogramBucket[]>;
  /** Counts per time bucket and per value of `field` (the `size` most frequent values; the rest as "other"). */
  histogramBy(q: EventQuery, intervalMs: number, field: string, size: number, opts?: ReadOptions): Promise<{ t: string; value: string; count: number }[]>;
  topValues(q: EventQuery, field: string, size: number, opts?: ReadOptions): Promise<TopValue[]>;
  countEvents(tenants: TenantScope, opts?: ReadOptions): Promise<number>;
  /** Field paths (dotted, leaves only) found in the newest `sample` events of the scope, most frequent first. */
  eventFields(tenants: TenantScope, sample: number, opts?: ReadOptions): Promise<FieldCount[]>;
  sourceActivity(opts: { tenants: TenantScope; since: string }, read?: ReadOptions): Promise<SourceActivity[]>;
}

/** What could not be parsed or stored, with the reason. */
export interface DeadLetterRepository {
  putDeadLetters(items: DeadLetter[]): Promise<void>;
  listDeadLetters(opts: { limit?: number; tenants: TenantScope }, read?: ReadOptions): Promise<DeadLetter[]>;
}

/** Detections, and their statistics. */
export interface AlertRepository {
  putAlerts(alerts: Alert[]): Promise<void>;
  getAlert(id: string): Promise<Alert | null>;
  /** Alerts in the scope, newest first: of one incident, or raised on one event (`eventId`: the search view's way back from an event). */
  listAlerts(opts: { incidentId?: string; eventId?: string; limit?: number; tenants: TenantScope }): Promise<Alert[]>;
  listAlertsPage(opts: { tenants: TenantScope; limit: number; offset: number }, read?: ReadOptions): Promise<{ items: Alert[]; total: number }>;
  alertStats(opts: { tenants: TenantScope; from?: string; intervalMs: number; topRules: number }, read?: ReadOptions): Promise<AlertStats>;
}

/** Incidents, versioned, with their history of changes. */
export interface IncidentRepository {
  getIncident(id: string, tenants: TenantScope): Promise<Incident | null>;
  /** The newest open incident of this rule and group key for this tenant whose last_seen is after `since`. */
  findOpenIncident(tenant: string, ruleId: string, groupKey: string, since: string): Promise<Incident | null>;
  /** The newest open incident of this tenant sharing one of `entityKeys` (Incident.entityKeys) whose last_seen is after `since`. */
  findOpenIncidentByEntity(tenant: string, entityKeys: string[], since: string): Promise<Incident | null>;
  /** Insert or replace; fails with a conflict error when `expectedVersion` does not match. */
  saveIncident(incident: Incident, expectedVersion: number | null): Promise<void>;
  listIncidents(q: IncidentQuery, opts?: ReadOptions): Promise<{ items: Incident[]; total: number }>;
  /** Other incidents of the scope sharing the host, user or source address of `incident`, newest first. */
  relatedIncidents(incident: Incident, tenants: TenantScope, limit: number, opts?: ReadOptions): Promise<Incident[]>;
  addIncidentChange(change: IncidentChange): Promise<void>;
  listIncidentChanges(incidentId: string): Promise<IncidentChange[]>;
}

/** Agencies (tenants), users, their tokens and sessions. */
export interface IdentityRepository {
  putTenant(t: Tenant): Promise<void>;
  getTenant(id: string): Promise<Tenant | null>;
  listTenants(): Promise<Tenant[]>;
  putUser(u: User): Promise<void>;
  getUser(username: string): Promise<User | null>;
  listUsers(): Promise<User[]>;
  putToken(t: TokenRecord): Promise<void>;
  findTokenByHash(hash: string): Promise<TokenRecord | null>;
  listTokens(opts: { kind?: TokenRecord['kind']; subject?: string }): Promise<TokenRecord[]>;
  putSession(s: Session): Promise<void>;
  getSession(id: string): Promise<Session | null>;
  deleteSession(id: string): Promise<void>;
}

/** The audit log: hash-chained, append only. */
export interface AuditRepository {
  appendAudit(entry: AuditEntry): Promise<AuditEntry>;
  /** In sequence order (desc: newest first) between `afterSeq` and `beforeSeq`; with `agencies`, only the entries whose agencies (details.agencies) are all of them. */
  listAudit(opts: AuditQuery, read?: ReadOptions): Promise<AuditEntry[]>;
}

/** The notification outbox (alerting/outbox.ts): durable, claimed by one worker at a time. */
export interface OutboxRepository {
  /** Inserts unless a notification with this id exists; true when inserted. */
  enqueueNotification(n: Notification): Promise<boolean>;
  /** Pending notifications due at `now`, marked 'sending' so another worker does not take them. */
  claimDueNotifications(now: string, limit: number): Promise<Notification[]>;
  updateNotification(n: Notification): Promise<void>;
  listNotifications(opts: { incidentId?: string; status?: Notification['status'][]; limit?: number; tenants: TenantScope }): Promise<Notification[]>;
}

/** What analysts set in the console: saved searches and rule settings (announced to correlators on TOPICS.settings). */
export interface ConsoleSettingsRepository {
  listSavedSearches(owner: string): Promise<SavedSearch[]>;
  putSavedSearch(s: SavedSearch): Promise<void>;
  /** true when a search with this id and owner existed. */
  deleteSavedSearch(id: string, owner: string): Promise<boolean>;
  listRuleSettings(): Promise<RuleSetting[]>;
  putRuleSetting(s: RuleSetting): Promise<void>;
}

/** Watched websites and what the checker learned of each (website/). */
export interface WebsiteRepository {
  putWebsite(w: WebsiteSite): Promise<void>;
  getWebsite(id: string, tenants: TenantScope): Promise<WebsiteSite | null>;
  listWebsites(tenants: TenantScope): Promise<WebsiteSite[]>;
  /** true when a site with this id existed in the scope; its state goes with it. */
  deleteWebsite(id: string, tenants: TenantScope): Promise<boolean>;
  getWebsiteState(siteId: string): Promise<WebsiteState | null>;
  putWebsiteState(s: WebsiteState): Promise<void>;
}

/** Threat intelligence (intel/): indicators and agency blocklists. */
export interface IntelRepository {
  /** Inserts or replaces by id, all or none. */
  putIndicators(items: Indicator[]): Promise<void>;
  /** Indicators the scope sees (shared ones and its agencies' own), last updated first; `q` is a part of the value, `type` one indicator type. */
  listIndicators(opts: IndicatorQuery): Promise<{ items: Indicator[]; total: number }>;
  /** Every indicator not expired at `now`, for the matcher. */
  loadIndicators(now: string): Promise<Indicator[]>;
  /** Inserts or replaces by id. */
  putBlocklistEntry(e: BlocklistEntry): Promise<void>;
  /** The agency's blocklist, expired entries included, oldest first. */
  listBlocklist(tenant: string): Promise<BlocklistEntry[]>;
}

/** A component's own small records (correlation checkpoints, outbox cursors, per-instance counters and rule statistics). */
export interface StateRepository {
  getState(key: string): Promise<string | null>;
  putState(key: string, value: string): Promise<void>;
}

export interface Store
  extends EventRepository, DeadLetterRepository, AlertRepository, IncidentRepository, IdentityRepository, AuditRepository, OutboxRepository, ConsoleSettingsRepository, WebsiteRepository, IntelRepository, StateRepository {
  readonly kind: 'sqlite' | 'elasticsearch';
  /** Cases (alerting/cases.ts): a repository of its own, with its own contract (cases.contract.ts). */
  readonly cases: CaseRepository;
  /** Vulnerability findings of scans (vuln/), with its own contract (vulns.contract.ts); the embedded store (sqlite-vulns.ts) and the search stores (es-vulns.ts) have it. */
  readonly vulns?: VulnRepository;
  /** Deleting an agency's events past its retention, in committed batches (core/retention). */
  readonly retention: EventRetention;
  init(): Promise<void>;
  close(): Promise<void>;
}

export class ConflictError extends Error {
  constructor(what: string) {
    super(`conflict: ${what} was changed by someone else; reload and retry`);
    this.name = 'ConflictError';
  }
}
