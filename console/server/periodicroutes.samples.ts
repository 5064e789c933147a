/** The periodic report's part of the access matrix (testkit.ts): the caller's own report (the province for a provincial caller), and so-b's refused as not one of theirs. */
import type { Kit, Sample } from './testkit';

// format=json: the answer is the report's figures as text, so the matrix's leak check reads every name and address
export const PERIODIC_SAMPLES: Record<string, (k: Kit) => Sample> = {
  'GET /api/reports/periodic': () => ({ own: { url: '/api/reports/periodic?format=json' }, other: { url: '/api/reports/periodic?tenant=so-b&format=json', status: [404] }, seen: true }),
};
