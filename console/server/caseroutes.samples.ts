/** The cases' part of the access matrix (testkit.ts): a case of so-a and one of so-b ("bbbb"), and a request for every case route. */
import type { Case } from '../../alerting/cases-model';
import type { Store } from '../../core/store/store';
import type { Kit, Sample } from './testkit';

function caseOf(id: string, tenant: string): Case {
  const b = tenant === 'so-b';
  const at = new Date().toISOString();
  return {
    id, tenant, title: b ? 'bbbb investigation' : 'investigation of a', description: b ? 'bbbb secret notes' : 'notes of a', assignee: b ? 'analyst-bbbb' : 'analyst-a',
    status: 'in_progress', resolution: null, severity: 'high', tlp: 'AMBER', incidents: [`inc-${tenant}`],
    observables: [{ id: `obs-${tenant}`, type: 'ip', value: b ? '10.9.9.9' : '10.1.1.1', note: b ? 'bbbb attacker' : null, tags: [], added: at, by: b ? 'analyst-bbbb' : 'analyst-a', incidentId: `inc-${tenant}` }],
    comments: [{ id: `cm-${tenant}`, at, author: b ? 'analyst-bbbb' : 'analyst-a', text: b ? 'bbbb secret comment' : 'comment of a' }],
    history: [{ at, actor: b ? 'analyst-bbbb' : 'analyst-a', action: 'created', from: null, to: b ? 'bbbb investigation' : 'investigation of a' }],
    created: at, createdBy: b ? 'analyst-bbbb' : 'analyst-a', updated: at, version: 1,
  };
}

export async function seedCases(store: Store): Promise<void> {
  for (const t of ['so-a', 'so-b']) await store.cases.saveCase(caseOf(`case-${t}`, t), null);
}

let n = 0;
export const CASE_SAMPLES: Record<string, (k: Kit) => Sample> = {
  'GET /api/cases': () => ({ own: { url: '/api/cases?status=open' }, other: { url: '/api/cases?agency=so-b', status: [200] }, seen: true }),
  'POST /api/cases': () => ({ own: { url: '/api/cases', body: { tenant: 'so-a', title: `matrix case ${++n}`, incidents: ['inc-so-a'] } }, other: { url: '/api/cases', body: { tenant: 'so-b', title: 'x' }, status: [404] } }),
  'GET /api/cases/:id': () => ({ own: { url: '/api/cases/case-so-a' }, other: { url: '/api/cases/case-so-b', status: [404] } }),
  'PATCH /api/cases/:id': () => ({ own: { url: '/api/cases/case-so-a', body: { description: `seen ${++n}` } }, other: { url: '/api/cases/case-so-b', body: { description: 'x' }, status: [404] } }),
  // so-b's incident cannot be linked to so-a's case: a scoped caller does not even see it
  'POST /api/cases/:id/incidents': () => ({ own: { url: '/api/cases/case-so-a/incidents', body: { incident: 'inc-so-a' } }, other: { url: '/api/cases/case-so-a/incidents', body: { incident: 'inc-so-b' }, status: [404] } }),
  'DELETE /api/cases/:id/incidents/:incident': () => ({ own: { url: '/api/cases/case-so-a/incidents/inc-none' }, other: { url: '/api/cases/case-so-b/incidents/inc-so-b', status: [404] } }),
  'POST /api/cases/:id/observables': () => ({ own: { url: '/api/cases/case-so-a/observables', body: { type: 'ip', value: `198.51.100.${++n % 250}` } }, other: { url: '/api/cases/case-so-b/observables', body: { type: 'ip', value: '198.51.100.251' }, status: [404] } }),
  'POST /api/cases/:id/observables/from-incident': () => ({ own: { url: '/api/cases/case-so-a/observables/from-incident', body: { incident: 'inc-so-a' } }, other: { url: '/api/cases/case-so-b/observables/from-incident', body: { incident: 'inc-so-b' }, status: [404] } }),
  'DELETE /api/cases/:id/observables/:observable': () => ({ own: { url: '/api/cases/case-so-a/observables/obs-none' }, other: { url: '/api/cases/case-so-b/observables/obs-so-b', status: [404] } }),
  'POST /api/cases/:id/comments': () => ({ own: { url: '/api/cases/case-so-a/comments', body: { text: 'seen' } }, other: { url: '/api/cases/case-so-b/comments', body: { text: 'x' }, status: [404] } }),
};
