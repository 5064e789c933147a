/**
 * The STIX exports on the Elasticsearch store (the SQLite one is sharingroutes.test.ts): the
 * agency's sharing choice is kept in the tenant document, and a so-a analyst's bundles — one
 * incident or a period — carry its incident and nothing of so-b.
 */
import { searchNodeForTests } from '../../test/helpers/search-node';
import { startElasticsearch } from '../../test/infra/servers';
import { TLP2_IDS } from '../../sharing/markings';
import { OTHER, startKit, type Caller, type Kit } from './testkit';

jest.setTimeout(120_000);
const { open } = searchNodeForTests('sharing', startElasticsearch);

let kit: Kit;
const who = (u: string): Caller => kit.callers.find((c) => c.username === u)!;
beforeAll(async () => {
  kit = await startKit(() => open());
});
afterAll(() => kit?.close());

test("the sharing choice is stored with the agency, and a so-a analyst's bundles hold so-a's incident, marked as chosen, and nothing of so-b", async () => {
  expect((await kit.call(who('admin-a'), 'PATCH', '/api/tenants/so-a', { share_tlp: 'red', share_observed: true })).status).toBe(200);
  expect((await kit.store.getTenant('so-a'))!.sharing).toEqual({ enabled: true, tlp: 'red', observedData: true });
  const one = await kit.call(who('analyst-a'), 'GET', '/api/incidents/inc-so-a/stix');
  expect(one.status).toBe(200);
  const types = one.body.objects.map((o: { type: string }) => o.type);
  expect(types).toEqual(expect.arrayContaining(['incident', 'observed-data', 'ipv4-addr', 'infrastructure']));
  expect(one.body.objects.filter((o: { type: string }) => o.type === 'marking-definition').map((o: { id: string }) => o.id)).toEqual([TLP2_IDS.red]);
  expect(one.text).not.toMatch(OTHER);
  expect((await kit.call(who('analyst-a'), 'GET', '/api/incidents/inc-so-b/stix')).status).toBe(404);
  const period = await kit.call(who('analyst-a'), 'GET', '/api/sharing/stix');
  expect(period.body.objects.filter((o: { type: string }) => o.type === 'incident')).toHaveLength(1);
  expect(period.text).not.toMatch(OTHER);
  const prov = await kit.call(who('analyst-prov'), 'GET', '/api/sharing/stix');
  expect(prov.body.objects.filter((o: { type: string }) => o.type === 'incident')).toHaveLength(2);
});
