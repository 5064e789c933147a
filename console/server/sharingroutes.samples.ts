/** The STIX exports' part of the access matrix (testkit.ts): so-a's incident as STIX, so-b's refused as not existing; a period's bundle within the caller's agencies. */
import type { Kit, Sample } from './testkit';

export const SHARING_SAMPLES: Record<string, (k: Kit) => Sample> = {
  'GET /api/incidents/:id/stix': () => ({ own: { url: '/api/incidents/inc-so-a/stix' }, other: { url: '/api/incidents/inc-so-b/stix', status: [404] } }),
  'GET /api/sharing/stix': () => ({ own: { url: '/api/sharing/stix' }, other: { url: '/api/sharing/stix?agency=so-b', status: [200] }, seen: true }),
};
