/** The intel routes through app.inject(), and the blocklist feed pulled with curl as a firewall would. */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { createSqliteStore } from '../../core/store/sqlite';
import type { Store } from '../../core/store/store';
import { createToken } from '../../core/tokens';
import { silentLogger } from '../../core/log';
import { addBlocklistEntry, issueFeedToken } from '../../intel/blocklist';
import { scanFeeds } from '../../intel/feeds';
import { tempDir, writeFile } from '../../intel/testkit';
import { authPlugin } from './authplugin';
import { intelRoutes } from './intelroutes';
import { addSharedSchemas } from './schemas';
import { incidentOf } from './testkit';

let app: FastifyInstance;
let store: Store;
const audited: { action: string; target?: string | null; details?: Record<string, unknown> }[] = [];
const tokens: Record<string, string> = {};
let base: string;

beforeAll(async () => {
  store = createSqliteStore({ path: ':memory:' });
  for (const id of ['so-a', 'so-b']) await store.putTenant({ id, name: id, created: 'x' });
  await store.saveIncident(incidentOf('inc-12', 'so-a'), null);
  await store.saveIncident(incidentOf('inc-b', 'so-b'), null);
  const users = [['prov', 'analyst', []], ['ana', 'analyst', ['so-a']], ['view', 'viewer', ['so-a']]] as const;
  for (const [username, role, agencies] of users) {
    await store.putUser({ username, role, agencies: [...agencies], passwordHash: 'x', created: 'x' });
    tokens[username] = (await createToken(store, 'api', username)).secret;
  }
  app = Fastify();
  addSharedSchemas(app);
  await app.register(authPlugin, { store });
  await app.register(intelRoutes, { store, audit: async (_req, action, target, details) => void audited.push({ action, target, details }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const call = (user: string, method: 'GET' | 'POST', url: string, payload?: object) => app.inject({ method, url, payload, headers: { authorization: `Bearer ${tokens[user]}` } });

test('POST /api/iocs/import stores a file for an agency; a malformed one is a 400 naming the line, with nothing stored; GET /api/iocs is scoped', async () => {
  const bad = await call('ana', 'POST', '/api/iocs/import', { format: 'csv', content: 'type,value\nipv4,203.0.113.1\nipv4,nope\n', tenant: 'so-a' });
  expect([bad.statusCode, bad.json().error]).toEqual([400, 'content: line 3: "nope" is not an IPV4 address or range; nothing was imported']);
  const ok = await call('ana', 'POST', '/api/iocs/import', { format: 'csv', content: 'type,value\nipv4,203.0.113.1\n', tenant: 'so-a', ttl: '7d' });
  expect([ok.statusCode, ok.json()]).toEqual([200, { added: 1, updated: 0, skipped: [] }]);
  expect((await call('ana', 'POST', '/api/iocs/import', { format: 'csv', content: '203.0.113.2\n', tenant: 'so-b' })).statusCode).toBe(404);
  expect((await call('ana', 'POST', '/api/iocs/import', { format: 'csv', content: '203.0.113.2\n' })).statusCode).toBe(403);
  expect((await call('view', 'POST', '/api/iocs/import', { format: 'csv', content: '203.0.113.2\n', tenant: 'so-a' })).statusCode).toBe(403);
  const stix = { type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [{ type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', pattern: "[domain-name:value = 'bbbb.example']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z' }] };
  expect((await call('prov', 'POST', '/api/iocs/import', { format: 'stix', content: JSON.stringify(stix), tenant: 'so-b' })).json()).toMatchObject({ added: 1 });
  expect((await call('ana', 'GET', '/api/iocs')).json().items.map((i: { value: string }) => i.value)).toEqual(['203.0.113.1']);
  expect((await call('prov', 'GET', '/api/iocs?type=domain')).json().items.map((i: { value: string }) => i.value)).toEqual(['bbbb.example']);
  expect((await call('prov', 'GET', '/api/iocs?type=color')).statusCode).toBe(400);
  expect(audited.filter((a) => a.action === 'ioc.import').map((a) => a.target)).toEqual(['so-a', 'so-b']);
});

test('the blocklist feed answers curl with the agency token, refuses a wrong or another agency\'s token, and drops expired entries', async () => {
  const add = await call('ana', 'POST', '/api/blocklists/so-a', { value: '203.0.113.66', reason: 'C2 seen in incident 12', ttl: '7d', incidentId: 'inc-12' });
  expect([add.statusCode, add.json()]).toMatchObject([200, { value: '203.0.113.66', added_by: 'ana', reason: 'C2 seen in incident 12' }]);
  expect(audited.at(-1)).toMatchObject({ action: 'blocklist.add', target: 'so-a:203.0.113.66', details: { reason: 'C2 seen in incident 12', incidentId: 'inc-12' } });
  expect((await call('ana', 'POST', '/api/blocklists/so-a', { value: 'Evil.Example', reason: 'phishing' })).statusCode).toBe(200);
  expect((await call('ana', 'POST', '/api/blocklists/so-b', { value: '203.0.113.67', reason: 'x' })).statusCode).toBe(404);
  expect((await call('ana', 'POST', '/api/blocklists/so-a', { value: 'not a value!', reason: 'x' })).json().error).toMatch(/^value: /);
  // one that expired yesterday
  await addBlocklistEntry(store, { tenant: 'so-a', value: '198.51.100.9', reason: 'old', ttlMs: 86_400_000, actor: 'ana', now: new Date(Date.now() - 2 * 86_400_000) });
  const token = await issueFeedToken(store, 'so-a');
  const tokenB = await issueFeedToken(store, 'so-b');
  // a separate process, as a firewall: the server in this process must stay free to answer it
  const curl = async (...args: string[]) => (await promisify(execFile)('curl', ['-sS', '--max-time', '20', '-w', '\n%{http_code} %{content_type}', ...args], { encoding: 'utf8' })).stdout;
  expect(await curl('-H', `Authorization: Bearer ${token}`, `${base}/api/blocklists/so-a`)).toBe('203.0.113.66\nevil.example\n\n200 text/plain; charset=utf-8');
  expect(await curl('-u', `fortigate:${token}`, `${base}/api/blocklists/so-a?type=domain`)).toBe('evil.example\n\n200 text/plain; charset=utf-8');
  expect(await curl(`${base}/api/blocklists/so-a?token=${token}&type=ip`)).toBe('203.0.113.66\n\n200 text/plain; charset=utf-8');
  expect(await curl('-H', 'Authorization: Bearer cgf_wrong', `${base}/api/blocklists/so-a`)).toMatch(/missing or wrong feed token.*\n401 /);
  expect(await curl('-H', `Authorization: Bearer ${tokenB}`, `${base}/api/blocklists/so-a`)).toMatch(/\n401 /);
  expect(await curl(`${base}/api/blocklists/so-a`)).toMatch(/\n401 /);
});

test('Block it from an incident: the entry names the incident in the audit log; an incident out of scope or of another agency is refused by name', async () => {
  const ok = await call('ana', 'POST', '/api/blocklists/so-a', { value: 'c2.evil.example', reason: 'C2 of incident inc-12', ttl: '30d', incidentId: 'inc-12' });
  expect([ok.statusCode, ok.json()]).toMatchObject([200, { value: 'c2.evil.example', type: 'domain', incidentId: 'inc-12', added_by: 'ana' }]);
  expect(Date.parse(ok.json().expires) - Date.now()).toBeGreaterThan(29 * 86_400_000);
  expect(audited.at(-1)).toMatchObject({ action: 'blocklist.add', target: 'so-a:c2.evil.example', details: { incidentId: 'inc-12', reason: 'C2 of incident inc-12' } });
  const before = audited.length;
  const hidden = await call('ana', 'POST', '/api/blocklists/so-a', { value: '203.0.113.70', reason: 'x', incidentId: 'inc-b' });
  expect([hidden.statusCode, hidden.json().error]).toEqual([404, 'incidentId: no incident "inc-b" in your scope']);
  const crossed = await call('prov', 'POST', '/api/blocklists/so-a', { value: '203.0.113.70', reason: 'x', incidentId: 'inc-b' });
  expect([crossed.statusCode, crossed.json().error]).toEqual([400, 'incidentId: incident "inc-b" is of agency "so-b", not "so-a"; block it on that agency\'s list']);
  expect((await call('view', 'POST', '/api/blocklists/so-a', { value: '203.0.113.70', reason: 'x', incidentId: 'inc-12' })).statusCode).toBe(403);
  const noReason = await call('ana', 'POST', '/api/blocklists/so-a', { value: '203.0.113.70', incidentId: 'inc-12' });
  expect(noReason.statusCode).toBe(400); // the schema requires a reason
  expect(audited.length).toBe(before); // nothing refused was audited as added
  expect((await store.listBlocklist('so-a')).map((e) => e.value)).not.toContain('203.0.113.70');
});

test('GET /api/intel/feeds shows the feed folder\'s last scan: a broken file with why, an agency\'s own files only to that agency', async () => {
  const dir = tempDir();
  writeFile(dir, 'vncert.csv', 'type,value\nipv4,203.0.113.90\n');
  writeFile(dir, 'broken.csv', 'type,value\nipv4,203.0.113.300\n');
  mkdirSync(path.join(dir, 'so-b'));
  writeFile(path.join(dir, 'so-b'), 'own.txt', '198.51.100.90\n');
  await scanFeeds({ dir, store, logger: silentLogger });
  const prov = (await call('prov', 'GET', '/api/intel/feeds')).json();
  expect(prov.items.map((f: { name: string; status: string }) => `${f.name} ${f.status}`)).toEqual(['broken.csv failed', 'so-b/own.txt imported', 'vncert.csv imported']);
  expect(prov.items[0].error).toMatch(/^line 2: "203.0.113.300" is not an IPV4 address/);
  expect((await call('ana', 'GET', '/api/intel/feeds')).json().items.map((f: { name: string }) => f.name)).toEqual(['broken.csv', 'vncert.csv']);
});
