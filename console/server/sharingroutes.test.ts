/**
 * The STIX 2.1 exports through app.inject on the kit's two agencies: the bundle comes as an
 * attachment of type application/stix+json;version=2.1, so-b's incident does not exist for a
 * so-a user, every export is audited as sharing.stix, and the agency's sharing choice — set
 * through the tenant API or `canhgac tenant set`, a bad value refused by name — decides the
 * TLP marking, whether observed data goes out, and whether anything goes out at all.
 */
import type { Alert, Incident } from '../../core/model';
import { DEFAULT_RETENTION } from '../../core/retention/config-schema';
import { tenantSetCli } from '../../core/retention/cli';
import { importStix } from '../../intel/importers/stix';
import { TLP2_IDS } from '../../sharing/markings';
import { incidentOf, OTHER, startKit, type Caller, type Kit } from './testkit';

let kit: Kit;
let analystA: Caller;
let adminA: Caller;
let analystProv: Caller;
beforeAll(async () => {
  kit = await startKit();
  analystA = kit.callers.find((c) => c.username === 'analyst-a')!;
  adminA = kit.callers.find((c) => c.username === 'admin-a')!;
  analystProv = kit.callers.find((c) => c.username === 'analyst-prov')!;
  const inc: Incident = { ...incidentOf('inc-share-a', 'so-a'), title: 'SSH brute force on host-a from 203.0.113.77', summary: { host: 'host-a', source_ip: '203.0.113.77', user: 'user-a' }, tactics: ['credential-access'] };
  await kit.store.saveIncident(inc, null);
  const alert: Alert = { id: 'al-share-a', '@timestamp': inc.first_seen, created: inc.created, tenant: 'so-a', rule: inc.rule, kind: 'rule', severity: 'high', groupKey: 'g', groupBy: null, eventIds: ['so-a-ev-1', 'so-a-ev-2'], summary: inc.summary, incidentId: inc.id };
  await kit.store.putAlerts([alert]);
});
afterAll(() => kit.close());

async function get(c: Caller, url: string) {
  const res = await kit.app.inject({ method: 'GET', url, headers: { cookie: `canhgac_session=${c.cookie}` } });
  let body: any = {};
  try {
    body = JSON.parse(res.body);
  } catch {
    body = {};
  }
  return { status: res.statusCode, headers: res.headers, text: res.body, body };
}
const audits = async (action: string) => (await kit.store.listAudit({ limit: 500, order: 'desc' })).filter((e) => e.action === action);

test("one incident's bundle: STIX content type, an attachment, the indicators read back by the importer, audited", async () => {
  const res = await get(analystA, '/api/incidents/inc-share-a/stix');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/stix+json;version=2.1');
  expect(res.headers['content-disposition']).toBe('attachment; filename="stix-inc-share-a.json"');
  expect(res.body.type).toBe('bundle');
  expect(importStix(res.text).indicators.map((i) => `${i.type}:${i.value}`)).toEqual(['ipv4:203.0.113.77']);
  const types = new Set(res.body.objects.map((o: { type: string }) => o.type));
  expect(types.has('incident')).toBe(true);
  expect(types.has('observed-data')).toBe(false); // the default choice: no raw observations
  expect(res.text).not.toMatch(/host-a|user-a|10\.1\.1\.1/);
  expect(res.body.objects.find((o: { type: string }) => o.type === 'marking-definition').id).toBe(TLP2_IDS.amber);
  const [entry] = await audits('sharing.stix');
  expect(entry).toMatchObject({ actor: 'analyst-a', target: 'inc-share-a', details: { agencies: ['so-a'], tlp: 'amber', observed_data: false } });
  expect(res.text).not.toMatch(OTHER);
});

test("another agency's incident does not exist for a so-a user; a provincial user exports it", async () => {
  const res = await get(analystA, '/api/incidents/inc-so-b/stix');
  expect(res.status).toBe(404);
  expect(res.body.error).toBe('incident inc-so-b does not exist or is not visible to you');
  const prov = await get(analystProv, '/api/incidents/inc-so-b/stix');
  expect(prov.status).toBe(200);
  expect(prov.text).toContain('Agency bbbb');
});

test('the tenant API refuses a bad sharing value by name; a good one is audited and changes the next export', async () => {
  const bad = await kit.call(adminA, 'PATCH', '/api/tenants/so-a', { share_tlp: 'purple' });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toBe('body/share_tlp: "purple" must be one of clear, green, amber, amber+strict, red (TLP 2.0)');
  const notBool = await kit.call(adminA, 'PATCH', '/api/tenants/so-a', { share_observed: 'maybe' });
  expect(notBool.status).toBe(400);
  expect(notBool.body.error).toMatch(/share_observed/);
  const ok = await kit.call(adminA, 'PATCH', '/api/tenants/so-a', { share_tlp: 'green', share_observed: true });
  expect(ok.status).toBe(200);
  expect(ok.body.sharing).toEqual({ enabled: true, tlp: 'green', observedData: true });
  const [change] = await audits('tenant.change');
  expect(change.details?.sharing).toEqual({ from: { enabled: true, tlp: 'amber', observedData: false }, to: { enabled: true, tlp: 'green', observedData: true } });
  const res = await get(analystA, '/api/incidents/inc-share-a/stix');
  const marks = res.body.objects.filter((o: { type: string }) => o.type === 'marking-definition').map((o: { id: string }) => o.id);
  expect(marks).toEqual([TLP2_IDS.green]);
  const od = res.body.objects.find((o: { type: string }) => o.type === 'observed-data');
  expect(od).toBeDefined();
  const values = res.body.objects.filter((o: { id: string }) => od.object_refs.includes(o.id)).map((o: { value?: string; account_login?: string }) => o.value ?? o.account_login);
  expect(values).toEqual(expect.arrayContaining(['203.0.113.77', '10.1.1.1', 'user-a']));
  expect(res.text).not.toMatch(OTHER);
});

test('`canhgac tenant set` sets the choice and refuses a bad value naming the flag', async () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) } };
  };
  const a = io();
  expect(await tenantSetCli(kit.store, DEFAULT_RETENTION, 'so-a', { 'share-tlp': 'AMBER+STRICT' }, a.io)).toBe(0);
  expect(a.out[0]).toBe('agency so-a: shares with the national centre: TLP:AMBER+STRICT, indicators and observed data (addresses, hosts, users)');
  const b = io();
  expect(await tenantSetCli(kit.store, DEFAULT_RETENTION, 'so-a', { 'share-tlp': 'white' }, b.io)).toBe(2);
  expect(b.err).toEqual(['tenant set: --share-tlp: "white" must be one of clear, green, amber, amber+strict, red (TLP 2.0)']);
  const c = io();
  expect(await tenantSetCli(kit.store, DEFAULT_RETENTION, 'so-a', { 'share-observed': 'maybe' }, c.io)).toBe(2);
  expect(c.err).toEqual(['tenant set: --share-observed: "maybe" must be yes or no']);
  const d = io();
  expect(await tenantSetCli(kit.store, DEFAULT_RETENTION, 'so-a', { 'share-observed': 'no' }, d.io)).toBe(0);
  expect((await kit.store.getTenant('so-a'))!.sharing).toEqual({ enabled: true, tlp: 'amber+strict', observedData: false });
  const [entry] = await audits('tenant.change');
  expect(entry.actor).toBe('cli');
});

test('a period bundle holds the incidents of the caller\'s agencies only, and an agency that turned sharing off gives 409 for its incident and is left out of a period', async () => {
  const own = await get(analystA, '/api/sharing/stix');
  expect(own.status).toBe(200);
  expect(own.headers['content-type']).toBe('application/stix+json;version=2.1');
  expect(own.headers['content-disposition']).toMatch(/^attachment; filename="stix-canhgac-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.json"$/);
  const refs = (b: { objects: { type: string; external_references?: { external_id: string }[] }[] }) => b.objects.filter((o) => o.type === 'incident').map((o) => o.external_references![0].external_id).sort();
  expect(refs(own.body)).toEqual(['inc-share-a', 'inc-so-a']);
  expect(own.text).not.toMatch(OTHER);
  const asked = await get(analystA, '/api/sharing/stix?agency=so-b');
  expect(refs(asked.body)).toEqual([]);
  const prov = await get(analystProv, '/api/sharing/stix');
  expect(refs(prov.body)).toEqual(['inc-share-a', 'inc-so-a', 'inc-so-b']);
  const [period] = await audits('sharing.stix');
  expect(period).toMatchObject({ actor: 'analyst-prov', target: null, details: { incidents: 3, not_shared: [] } });
  expect(await get(analystA, '/api/sharing/stix?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^querystring\/from: .* is not before to/) } });

  expect((await kit.call(adminA, 'PATCH', '/api/tenants/so-a', { share_enabled: false })).status).toBe(200);
  const off = await get(analystA, '/api/incidents/inc-share-a/stix');
  expect(off.status).toBe(409);
  expect(off.body.error).toMatch(/^agency so-a does not share with the national centre \(its sharing choice is off\); .*--share-enabled yes/);
  const left = await get(analystProv, '/api/sharing/stix');
  expect(refs(left.body)).toEqual(['inc-so-b']);
  expect(left.headers['x-canhgac-not-shared']).toBe('so-a');
});
