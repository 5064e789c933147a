/**
 * What a route answers, by its method and path as registered: the web app's typed requests
 * (console/web/src/routes.ts) take the answer's type from here, and routeanswers.test.ts checks
 * that each is a registered route whose 200 answer is this very schema, so a path or a schema
 * changed on one side only fails a test or the web build. Only import-free schema files, so the
 * web build can read this file.
 */
import { BLOCKLIST_ENTRY, FEEDS, INDICATOR_PAGE, INFECTED_HOSTS, IOC_IMPORT } from './intelschemas';
import { INCIDENT_CHANGED, INCIDENT_DETAIL, MERGE_ANSWER, SPLIT_ANSWER } from './schemas';
import { VULN_IMPORT, VULN_LIST, VULN_SUMMARY } from './vulnschemas';
import { WEBSITE, WEBSITE_LIST, WEBSITE_SNAPSHOTS } from './websiteschemas';

export const ROUTE_ANSWERS = {
  'GET /api/incidents/:id': INCIDENT_DETAIL,
  'POST /api/incidents/:id/actions': INCIDENT_CHANGED,
  'POST /api/incidents/:id/merge': MERGE_ANSWER,
  'POST /api/incidents/:id/split': SPLIT_ANSWER,
  'GET /api/websites': WEBSITE_LIST,
  'POST /api/websites': WEBSITE,
  'GET /api/websites/:id/snapshots': WEBSITE_SNAPSHOTS,
  'GET /api/intel/hosts': INFECTED_HOSTS,
  'GET /api/intel/feeds': FEEDS,
  'GET /api/iocs': INDICATOR_PAGE,
  'POST /api/iocs/import': IOC_IMPORT,
  'POST /api/blocklists/:agency': BLOCKLIST_ENTRY,
  'GET /api/vulnerabilities': VULN_LIST,
  'GET /api/vulnerabilities/summary': VULN_SUMMARY,
  'POST /api/vulnerabilities/import': VULN_IMPORT,
} as const;
