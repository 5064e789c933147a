/** The incident reports' part of the access matrix (testkit.ts): so-a's incident's report, and so-b's refused as not existing. */
import type { Kit, Sample } from './testkit';

// format=json: the answer is the report's text, so the matrix's leak check reads every field
export const REPORT_SAMPLES: Record<string, (k: Kit) => Sample> = {
  'GET /api/incidents/:id/report': () => ({ own: { url: '/api/incidents/inc-so-a/report?kind=initial&format=json' }, other: { url: '/api/incidents/inc-so-b/report?kind=initial&format=pdf', status: [404] } }),
  'POST /api/incidents/:id/report': () => ({
    own: { url: '/api/incidents/inc-so-a/report?kind=final&format=json', body: { fields: { system: 'Cổng thông tin điện tử' } } },
    other: { url: '/api/incidents/inc-so-b/report?kind=final&format=docx', body: { fields: { system: 'x' } }, status: [404] },
  }),
};
