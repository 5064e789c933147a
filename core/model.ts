/** The records that flow after detection: alerts, incidents, and the people and agencies around them. */

export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: Severity[] = ['informational', 'low', 'medium', 'high', 'critical'];
export function severityRank(s: string): number {
  const i = SEVERITIES.indexOf(s as Severity);
  return i < 0 ? 0 : i;
}

export interface RuleRef {
  id: string;
  title: string;
  level: string;
  author?: string;
  description?: string;
  tags: string[];
  references: string[];
}

/** One firing of a rule (or a correlation) on one tenant's events. */
export interface Alert {
  id: string; // deterministic from rule + events, so redelivery never duplicates
  '@timestamp': string; // event time of the completing event
  created: string; // when the correlator produced it
  tenant: string;
  rule: RuleRef;
  kind: 'rule' | 'correlation';
  severity: Severity;
  groupKey: string; // what makes two alerts the same incident: group-by values, or host/user/source
  groupBy: Record<string, string> | null;
  eventIds: string[];
  summary: { host?: string; source_ip?: string; user?: string; destination_ip?: string; asset?: string; asset_criticality?: string; malware?: string };
  incidentId?: string;
}

/** What alerts of one attack share: the attacking address, the targeted user, the affected host, the malware. */
export type EntityKind = 'source_ip' | 'user' | 'host' | 'malware';
export const ENTITY_KINDS: EntityKind[] = ['malware', 'source_ip', 'user', 'host'];

/** One rule that fired within an incident. */
export interface IncidentRule {
  id: string;
  title: string;
  severity: Severity;
  tags: string[];
  count: number;
  first_seen: string;
  last_seen: string;
}

export type IncidentStatus = 'new' | 'acknowledged' | 'in_progress' | 'resolved' | 'false_positive' | 'duplicate';
export const OPEN_STATUSES: IncidentStatus[] = ['new', 'acknowledged', 'in_progress'];

export interface Incident {
  id: string;
  tenant: string;
  rule: RuleRef;
  severity: Severity;
  status: IncidentStatus;
  groupKey: string;
  title: string;
  summary: Alert['summary'];
  count: number; // alerts folded into this incident
  first_seen: string;
  last_seen: string;
  created: string;
  updated: string;
  assignee?: string | null;
  resolution?: string | null;
  version: number;
  /** Entity grouping (alerting/grouping.ts); absent on incidents made before it. */
  rules?: IncidentRule[]; // every rule that fired, in the order they first fired
  entities?: Partial<Record<EntityKind, string[]>>;
  entityKeys?: string[]; // "source_ip=203.0.113.7": what a later alert of the same attack is looked up by
  tactics?: string[]; // ATT&CK tactics of its rules, in kill-chain order
  mergedInto?: string | null; // set when an analyst merged it into another incident
  /** Open scan findings (vuln/) on the attacked asset that fit the attack: shown beside it, and they raised its severity. */
  weaknesses?: IncidentWeakness[];
}

/** An open finding on the attacked asset that fits the attack: a CVE the rule or signature names, or the attacked port. */
export interface IncidentWeakness {
  findingId: string;
  host: string;
  port: number | null;
  name: string;
  cves: string[];
  cvss: number | null;
  severity: string;
  reason: 'cve' | 'port';
}

export interface IncidentChange {
  id: string;
  incidentId: string;
  tenant: string;
  at: string;
  actor: string;
  action: 'created' | 'alert_added' | 'status' | 'assign' | 'comment' | 'merge' | 'split' | 'severity' | 'report_sent'; // report_sent: a responder recorded a report as sent (to: initial|final, comment: its reference)
  from?: string | null;
  to?: string | null;
  comment?: string | null;
}

export interface Tenant {
  id: string;
  name: string;
  created: string;
  securityLevel?: number; // cấp độ 1–5 of the agency's information systems (core/retention)
  retentionDays?: number; // an override of the level's event retention
  retentionReason?: string; // why, when the override keeps less than the level's minimum
  sharing?: TenantSharing; // what it shares with the national centre (sharing/choice.ts); absent: the default
}

/** An agency's choice for STIX exports to the national centre: TLP 2.0 level, and whether raw observations go out. */
export interface TenantSharing {
  enabled: boolean;
  tlp: 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';
  observedData: boolean;
}

export type Role = 'admin' | 'analyst' | 'responder' | 'auditor' | 'viewer';
export const ROLES: Role[] = ['admin', 'analyst', 'responder', 'auditor', 'viewer'];

export interface User {
  username: string;
  role: Role;
  agencies: string[]; // for role viewer: the tenants it may see
  passwordHash: string;
  created: string;
  disabled?: boolean;
  failedLogins?: number;
  lockedUntil?: string | null;
  sessionEpoch?: number; // raised when the password changes, the account is disabled or its TOTP reset: older sessions end
}

/** A credential presented as `Authorization: Bearer`: ingest tokens (per agency) and API tokens (per user). */
export interface TokenRecord {
  id: string;
  kind: 'ingest' | 'api';
  subject: string; // tenant id for ingest, username for api
  hash: string; // sha256 of the secret: the secret itself is never stored
  created: string;
  revoked?: string | null;
  label?: string;
}

export interface Session {
  id: string; // sha256 of the cookie value
  username: string;
  created: string;
  expires: string;
  csrf: string;
  epoch?: number; // the user's sessionEpoch when it was made; a session of an older epoch has ended
}

export interface AuditEntry {
  seq?: number;
  at: string;
  actor: string;
  action: string;
  target?: string | null;
  ip?: string | null;
  details?: Record<string, unknown> | null;
  prevHash?: string;
  hash?: string;
}

/** What could not be turned into an event, with the reason: kept, counted, never silently dropped. */
export interface DeadLetter {
  id: string;
  at: string;
  tenant: string | null;
  listener: string;
  source: string | null;
  reason: string;
  original: string; // possibly truncated, base64 when not text
  size: number;
}

/** One message to one recipient on one channel, written before it is sent (the outbox). */
export interface Notification {
  id: string; // idempotency key: incident + route + channel + recipient + reason
  incidentId: string | null;
  tenant: string | null;
  route: string;
  channel: 'email' | 'zalo' | 'webhook' | string;
  recipient: string;
  reason: 'opened' | 'escalation' | 'digest' | 'update' | string;
  subject: string;
  body: string;
  payload?: Record<string, unknown> | null;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'held';
  attempts: number;
  nextAttemptAt: string;
  lastError?: string | null;
  providerMessageId?: string | null;
  created: string;
  sentAt?: string | null;
}
