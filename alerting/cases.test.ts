/** Cases on a real (in-memory SQLite) store: one agency's incidents only, every change in the history, closing needs a resolution, observables from an incident. */
import { incidentOf } from '../console/server/testkit';
import { createSqliteStore } from '../core/store/sqlite';
import type { Store } from '../core/store/store';
import { addComment, addObservable, createCase, linkIncident, observablesFromIncident, removeObservable, unlinkIncident, updateCase } from './cases';

let store: Store;
beforeEach(async () => {
  store = createSqliteStore({ path: ':memory:' });
  for (const t of ['so-a', 'so-b']) await store.putTenant({ id: t, name: t, created: new Date().toISOString() });
  await store.saveIncident({ ...incidentOf('inc-a1', 'so-a'), summary: { source_ip: '203.0.113.7', user: 'root' }, entities: { source_ip: ['203.0.113.7'], user: ['root', 'admin'] } }, null);
  await store.saveIncident(incidentOf('inc-a2', 'so-a'), null);
  await store.saveIncident(incidentOf('inc-b1', 'so-b'), null);
});
afterEach(() => store.close());
const d = () => ({ store });
const actions = (c: { history: { action: string; actor: string }[] }) => c.history.map((h) => `${h.actor}:${h.action}`);

test("a case takes its incidents' agency, and an incident of another agency can never be linked", async () => {
  const c = await createCase(d(), { title: 'Brute force campaign', incidents: ['inc-a1'] }, null, 'an');
  expect(c).toMatchObject({ tenant: 'so-a', status: 'new', tlp: 'AMBER', severity: 'medium', incidents: ['inc-a1'], version: 1 });
  await expect(linkIncident(d(), c.id, 'inc-b1', null, 'an')).rejects.toThrow("incident inc-b1 is of agency so-b, not of the case's agency so-a: a case holds the incidents of one agency");
  await expect(linkIncident(d(), c.id, 'inc-b1', ['so-a'], 'an')).rejects.toThrow('incident inc-b1 does not exist or is not visible to you');
  await expect(createCase(d(), { tenant: 'so-a', title: 'x', incidents: ['inc-b1'] }, null, 'an')).rejects.toThrow(/is of agency so-b/);
  await expect(createCase(d(), { tenant: 'so-b', title: 'x' }, ['so-a'], 'an')).rejects.toThrow('body/tenant: agency so-b does not exist or is not visible to you');
  expect((await store.cases.getCase(c.id, null))!.incidents).toEqual(['inc-a1']);
  const linked = await linkIncident(d(), c.id, 'inc-a2', ['so-a'], 'minh');
  expect(linked.incidents).toEqual(['inc-a1', 'inc-a2']);
  expect((await linkIncident(d(), c.id, 'inc-a2', null, 'minh')).version).toBe(linked.version); // linking again changes nothing
  const unlinked = await unlinkIncident(d(), c.id, 'inc-a1', null, 'minh');
  expect(unlinked.incidents).toEqual(['inc-a2']);
  expect(actions(unlinked)).toEqual(['an:created', 'an:incident_linked', 'minh:incident_linked', 'minh:incident_unlinked']);
});

test('every field change is in the history with its old and new value; closing needs a resolution; a closed case is reopened before it is edited', async () => {
  const c = await createCase(d(), { tenant: 'so-a', title: 'Phishing', tlp: 'GREEN' }, ['so-a'], 'an');
  const edited = await updateCase(d(), c.id, null, 'lead', { assignee: 'minh', severity: 'critical', tlp: 'RED', status: 'in_progress' });
  expect(edited.history.slice(1).map((h) => [h.actor, h.action, h.from, h.to])).toEqual([
    ['lead', 'assignee', null, 'minh'], ['lead', 'severity', 'medium', 'critical'], ['lead', 'tlp', 'GREEN', 'RED'], ['lead', 'status', 'new', 'in_progress'],
  ]);
  await expect(updateCase(d(), c.id, null, 'minh', { status: 'closed' })).rejects.toThrow('body/resolution: say how the case ended to close it');
  const closed = await updateCase(d(), c.id, null, 'minh', { status: 'closed', resolution: 'mailbox cleaned, sender blocked' });
  expect(closed).toMatchObject({ status: 'closed', resolution: 'mailbox cleaned, sender blocked' });
  await expect(updateCase(d(), c.id, null, 'minh', { title: 'renamed' })).rejects.toThrow(/is closed: reopen it/);
  await expect(addObservable(d(), c.id, { type: 'ip', value: '203.0.113.9' }, null, 'minh')).rejects.toThrow(/is closed/);
  const commented = await addComment(d(), c.id, 'reviewed after closing', null, 'lead'); // comments stay open
  expect(commented.comments.map((m) => [m.author, m.text])).toEqual([['lead', 'reviewed after closing']]);
  const reopened = await updateCase(d(), c.id, null, 'lead', { status: 'in_progress', title: 'Phishing wave' });
  expect(reopened).toMatchObject({ status: 'in_progress', resolution: null, title: 'Phishing wave' });
  expect(actions(reopened).slice(-4)).toEqual(['lead:comment', 'lead:title', 'lead:status', 'lead:resolution']);
});

test("observables: typed and checked, once each, removable; a linked incident's entities seed them", async () => {
  const c = await createCase(d(), { title: 'SSH', incidents: ['inc-a1'] }, ['so-a'], 'an');
  await expect(addObservable(d(), c.id, { type: 'ip', value: 'not-an-ip' }, null, 'an')).rejects.toThrow(/is not an IPv4 or IPv6 address/);
  const withOne = await addObservable(d(), c.id, { type: 'ip', value: '203.0.113.7', note: 'the attacker', tags: ['scanner'] }, null, 'an');
  await expect(addObservable(d(), c.id, { type: 'ip', value: '203.0.113.7' }, null, 'an')).rejects.toThrow(`observable ip 203.0.113.7 is already in case ${c.id}`);
  const seeded = await observablesFromIncident(d(), c.id, 'inc-a1', null, 'an');
  expect(seeded.added).toBe(2); // root and admin; the address was there
  expect(seeded.case.observables.map((o) => `${o.type}:${o.value}:${o.incidentId}`)).toEqual(['ip:203.0.113.7:null', 'user:root:inc-a1', 'user:admin:inc-a1']);
  await expect(observablesFromIncident(d(), c.id, 'inc-a2', null, 'an')).rejects.toThrow(/is not linked to case/);
  const removed = await removeObservable(d(), c.id, withOne.observables[0].id, null, 'an');
  expect(removed.observables.map((o) => o.value)).toEqual(['root', 'admin']);
  expect(actions(removed).filter((a) => a.includes('observable'))).toEqual(['an:observable_added', 'an:observable_added', 'an:observable_added', 'an:observable_removed']);
});

test('two analysts changing one case at once both land: the later save retries on the fresh version instead of losing the first', async () => {
  const c = await createCase(d(), { tenant: 'so-a', title: 'Race' }, null, 'an');
  await Promise.all([addComment(d(), c.id, 'first', null, 'a1'), addComment(d(), c.id, 'second', null, 'a2'), updateCase(d(), c.id, null, 'a3', { assignee: 'a3' })]);
  const now = (await store.cases.getCase(c.id, null))!;
  expect(now.comments.map((m) => m.text).sort()).toEqual(['first', 'second']);
  expect(now).toMatchObject({ assignee: 'a3', version: 4 });
});
