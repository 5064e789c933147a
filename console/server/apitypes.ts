/**
 * What the console API answers, as TypeScript types computed from the response schemas in
 * schemas.ts (schematype.ts), not written beside them: the web app (console/web/src) imports
 * these, so a field renamed or dropped in a schema fails the web's type check wherever it is
 * used. Types only, from files without imports, so the browser bundle takes nothing of the server.
 */
import type { BLOCKLIST_ENTRY, FEEDS, INDICATOR_PAGE, INFECTED_HOSTS, IOC_IMPORT } from './intelschemas';
import type { VULN_FINDING, VULN_SUMMARY } from './vulnschemas';
import type { AUDIT_VERIFY, DASHBOARD, INCIDENT_CHANGED, INCIDENT_DETAIL, MERGE_ANSWER, RULE_TEST, RULES_STATE, SHARED_SCHEMAS, SOURCES, SPLIT_ANSWER, TRIAGE_QUEUE, WS_ACCESS, WS_INCIDENT_NOTICE } from './schemas';
import type { AGENCY_RETENTION } from './retentionschemas';
import type { DefsOf, FromSchema } from './schematype';
import type { WEBSITE, WEBSITE_LIST, WEBSITE_SNAPSHOTS } from './websiteschemas';
import type { ROUTE_ANSWERS } from './routeanswers';

type Defs = DefsOf<typeof SHARED_SCHEMAS>;
/** The type of an answer declared by this schema, its $refs resolved against the shared schemas. */
export type ApiOf<S> = FromSchema<S, Defs>;
type Shared<N extends keyof Defs> = ApiOf<Defs[N]>;

export type ApiError = Shared<'Error'>;
export type ApiOk = Shared<'Ok'>;
export type ApiMe = Shared<'Me'>;
export type ApiLoginRefusal = Shared<'LoginRefusal'>;
export type ApiTenant = Shared<'Tenant'>;
export type ApiAgencyRetention = ApiOf<typeof AGENCY_RETENTION>;
export type ApiToken = Shared<'Token'>;
export type ApiUser = Shared<'User'>;
export type ApiNewToken = Shared<'NewToken'>;
export type ApiNewTenant = Shared<'NewTenant'>;
export type ApiIncident = Shared<'Incident'>;
export type ApiAlert = Shared<'Alert'>;
export type ApiIncidentChange = Shared<'IncidentChange'>;
export type ApiAuditEntry = Shared<'AuditEntry'>;
export type ApiDeadLetter = Shared<'DeadLetter'>;
export type ApiNotification = Shared<'Notification'>;
export type ApiSla = Shared<'Sla'>;
export type ApiSavedSearch = Shared<'SavedSearch'>;
export type ApiRuleSetting = Shared<'RuleSetting'>;
export type ApiCount = Shared<'Count'>;
export type ApiEvent = Shared<'Event'>;

export type ApiIncidentDetail = ApiOf<typeof INCIDENT_DETAIL>;
export type ApiDashboard = ApiOf<typeof DASHBOARD>;
/** GET /api/rules: hits counted from the caller's agencies' alerts, settings cut to its agencies. */
export type ApiRulesState = ApiOf<typeof RULES_STATE>;
/** A loaded rule as the correlator describes it. */
export type ApiRuleInfo = ApiRulesState['rules'][number]['rule'];
export type ApiRuleTest = ApiOf<typeof RULE_TEST>;
export type ApiSources = ApiOf<typeof SOURCES>;
export type ApiSource = ApiSources['items'][number];
export type ApiAgencyCounts = ApiSources['agencies'][number];
export type ApiTriageQueue = ApiOf<typeof TRIAGE_QUEUE>;
export type ApiQueueSla = ApiTriageQueue['items'][number]['sla'];
export type ApiAuditVerify = ApiOf<typeof AUDIT_VERIFY>;
export type ApiIncidentChanged = ApiOf<typeof INCIDENT_CHANGED>;
export type ApiMerge = ApiOf<typeof MERGE_ANSWER>;
export type ApiSplit = ApiOf<typeof SPLIT_ANSWER>;

/** GET /api/websites and the site POST /api/websites adds. */
export type ApiWebsite = ApiOf<typeof WEBSITE>;
export type ApiWebsiteList = ApiOf<typeof WEBSITE_LIST>;
/** GET /api/websites/:id/snapshots. */
export type ApiWebsiteSnapshots = ApiOf<typeof WEBSITE_SNAPSHOTS>;
export type ApiWebsiteChange = ApiWebsiteSnapshots['changes'][number];
export type ApiSideBySide = NonNullable<ApiWebsiteSnapshots['sideBySide']>;

/** GET /api/iocs. */
export type ApiIndicatorPage = ApiOf<typeof INDICATOR_PAGE>;
export type ApiIndicator = ApiIndicatorPage['items'][number];
/** POST /api/iocs/import. */
export type ApiIocImport = ApiOf<typeof IOC_IMPORT>;
/** GET /api/intel/hosts. */
export type ApiInfectedHosts = ApiOf<typeof INFECTED_HOSTS>;
export type ApiInfectedHost = ApiInfectedHosts['items'][number];
/** GET /api/intel/feeds. */
export type ApiFeeds = ApiOf<typeof FEEDS>;
export type ApiFeed = ApiFeeds['items'][number];
/** POST /api/blocklists/:agency. */
export type ApiBlocklistEntry = ApiOf<typeof BLOCKLIST_ENTRY>;

export type ApiFinding = ApiOf<typeof VULN_FINDING>;
export type ApiVulnSummary = ApiOf<typeof VULN_SUMMARY>;
/** A message of the WebSocket /ws. */
export type ApiWsMessage = ApiOf<typeof WS_INCIDENT_NOTICE> | ApiOf<typeof WS_ACCESS> | { type: 'pong' };

/** The answer of each route in routeanswers.ts, by 'METHOD /path' as registered. */
export type ApiRoutes = { [K in keyof typeof ROUTE_ANSWERS]: ApiOf<(typeof ROUTE_ANSWERS)[K]> };
