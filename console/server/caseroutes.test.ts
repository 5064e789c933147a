/** The case API through app.inject(): a case from an incident, its observables, comments and history, another agency's incident refused, each change audited. */
import { CASE_STATUSES, OBSERVABLE_TYPES, TLPS } from '../../alerting/cases-model';
import { CASE_STATUS_ENUM, OBSERVABLE_TYPE_ENUM, TLP_ENUM } from './caseschemas';
import { startKit, type Kit } from './testkit';

let kit: Kit;
beforeAll(async () => {
  kit = await startKit();
});
afterAll(() => kit.close());

const as = (u: string) => kit.callers.find((c) => c.username === u)!;

test('the schemas offer exactly the statuses, TLP levels and observable types of the model', () => {
  expect([[...CASE_STATUS_ENUM], [...TLP_ENUM], [...OBSERVABLE_TYPE_ENUM]]).toEqual([[...CASE_STATUSES], [...TLPS], [...OBSERVABLE_TYPES]]);
});

test('an analyst opens a case from an incident, adds an observable and a comment, closes it; the history and the audit log say who did what', async () => {
  const created = await kit.call(as('analyst-a'), 'POST', '/api/cases', { title: 'SSH campaign', incidents: ['inc-so-a'], tlp: 'RED', severity: 'critical' });
  expect(created.status).toBe(200);
  const id = created.body.case.id;
  expect(created.body.case).toMatchObject({ tenant: 'so-a', tlp: 'RED', severity: 'critical', status: 'new', incidents: ['inc-so-a'], createdBy: 'analyst-a' });
  const obs = await kit.call(as('analyst-a'), 'POST', `/api/cases/${id}/observables`, { type: 'domain', value: 'C2.Evil.example', note: 'beacons every 60 s', tags: ['c2'] });
  expect(obs.body.case.observables).toMatchObject([{ type: 'domain', value: 'c2.evil.example', note: 'beacons every 60 s', tags: ['c2'], by: 'analyst-a' }]);
  const bad = await kit.call(as('analyst-a'), 'POST', `/api/cases/${id}/observables`, { type: 'hash', value: 'xyz' });
  expect([bad.status, bad.body.error]).toEqual([400, 'body/value: "xyz" is not an MD5, SHA-1, SHA-256 or SHA-512 in hex (observable type hash)']);
  expect((await kit.call(as('analyst-a'), 'POST', `/api/cases/${id}/observables`, { type: 'fqdn', value: 'x' })).body.error).toMatch(/body\/type/);
  await kit.call(as('responder-a'), 'POST', `/api/cases/${id}/comments`, { text: 'Đã cô lập máy host-a' });
  expect((await kit.call(as('analyst-a'), 'PATCH', `/api/cases/${id}`, { status: 'closed' })).body.error).toBe('body/resolution: say how the case ended to close it');
  await kit.call(as('analyst-a'), 'PATCH', `/api/cases/${id}`, { status: 'closed', resolution: 'contained' });
  const got = await kit.call(as('viewer-a'), 'GET', `/api/cases/${id}`);
  expect(got.status).toBe(200);
  expect(got.body.incidents.map((i: { id: string }) => i.id)).toEqual(['inc-so-a']);
  expect(got.body.case.comments).toMatchObject([{ author: 'responder-a', text: 'Đã cô lập máy host-a' }]);
  expect(got.body.case.history.map((h: { actor: string; action: string }) => `${h.actor} ${h.action}`)).toEqual([
    'analyst-a created', 'analyst-a incident_linked', 'analyst-a observable_added', 'responder-a comment', 'analyst-a status', 'analyst-a resolution',
  ]);
  // a viewer reads but does not change
  expect((await kit.call(as('viewer-a'), 'POST', `/api/cases/${id}/comments`, { text: 'x' })).status).toBe(403);
  const audit = async () => (await kit.store.listAudit({ limit: 100000 })).filter((e) => e.target === id).map((e) => `${e.actor} ${e.action}`);
  let entries = await audit();
  for (let i = 0; i < 100 && entries.length < 4; i++) { // the audit writer appends in the background
    await new Promise((r) => setTimeout(r, 50));
    entries = await audit();
  }
  expect(entries).toEqual(['analyst-a case.create', 'analyst-a case.observable.add', 'responder-a case.comment', 'analyst-a case.update']);
  const listed = await kit.call(as('analyst-a'), 'GET', '/api/cases?incident=inc-so-a&status=closed');
  expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
  expect(listed.body.items[0]).toMatchObject({ observable_count: 1, comment_count: 1 });
  expect(listed.body.items[0].history).toBeUndefined(); // a list row carries no contents
});

test("a provincial analyst is told that another agency's incident cannot join a case, and nothing changes", async () => {
  const r = await kit.call(as('analyst-prov'), 'POST', '/api/cases/case-so-a/incidents', { incident: 'inc-so-b' });
  expect([r.status, r.body.error]).toEqual([400, "incident inc-so-b is of agency so-b, not of the case's agency so-a: a case holds the incidents of one agency"]);
  expect((await kit.store.cases.getCase('case-so-a', null))!.incidents).not.toContain('inc-so-b');
  const c = await kit.call(as('analyst-prov'), 'POST', '/api/cases', { title: 'mixed', incidents: ['inc-so-a', 'inc-so-b'] });
  expect(c.status).toBe(400);
  expect((await kit.call(as('analyst-prov'), 'POST', '/api/cases', { title: 'no agency' })).body.error).toMatch(/^body\/tenant: name the agency/);
});

test('observables are taken from a linked incident once, and an incident can be unlinked', async () => {
  await kit.store.saveIncident({ ...(await kit.store.getIncident('inc-so-a', null))!, id: 'inc-seed', groupKey: 'inc-seed', summary: { source_ip: '203.0.113.50', user: 'root' }, version: 1 }, null);
  const c = (await kit.call(as('analyst-a'), 'POST', '/api/cases', { title: 'seeded', incidents: ['inc-seed'] })).body.case;
  const seeded = await kit.call(as('analyst-a'), 'POST', `/api/cases/${c.id}/observables/from-incident`, { incident: 'inc-seed' });
  expect([seeded.body.added, seeded.body.case.observables.map((o: { type: string; value: string }) => `${o.type}:${o.value}`)]).toEqual([2, ['ip:203.0.113.50', 'user:root']]);
  const again = await kit.call(as('analyst-a'), 'POST', `/api/cases/${c.id}/observables/from-incident`, { incident: 'inc-seed' });
  expect([again.body.added, again.body.skipped, again.body.case.observables.length]).toEqual([0, 2, 2]); // already there: said, not added twice
  const un = await kit.call(as('analyst-a'), 'DELETE', `/api/cases/${c.id}/incidents/inc-seed`);
  expect(un.body.case.incidents).toEqual([]);
});
