/**
 * The access matrix: for every role and two agencies, what the console API and the WebSocket
 * show and let change. Runs the real console (fastify + push) on a real SQLite store and
 * embedded bus; requests and the WebSocket go over real sockets on 127.0.0.0/8.
 */
import type { FastifyInstance } from 'fastify';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import WebSocket from 'ws';
import { TOPICS, type Bus } from '../../core/bus/bus';
import { createEmbeddedBus } from '../../core/bus/embedded';
import type { EcsEvent } from '../../core/event';
import { createLogger } from '../../core/log';
import type { Alert, Incident, Role } from '../../core/model';
import { createSqliteStore } from '../../core/store/sqlite';
import type { Store } from '../../core/store/store';
import { buildConsole } from '../../console/server/app';
import { hashPassword } from '../../console/server/auth';
import { attachPush, type PushHub } from '../../console/server/push';
import { totp } from '../../console/server/totp';

const PASSWORD = 'matrix-password-123';
const RULE = 'rule-ssh-bf';
const USERS: [string, Role, string[]][] = [
  ['admin', 'admin', []],
  ['analyst', 'analyst', []],
  ['responder', 'responder', []],
  ['auditor', 'auditor', []],
  ['viewer-a', 'viewer', ['so-a']],
  ['viewer-b', 'viewer', ['so-b']],
];

interface Session {
  cookie: string;
  csrf: string;
}

let dir: string;
let store: Store;
let bus: Bus;
let app: FastifyInstance;
let push: PushHub;
let base: string;
const sessions = new Map<string, Session>();

function event(tenant: string, host: string, i: number): EcsEvent {
  return {
    '@timestamp': new Date(Date.now() - i * 1000).toISOString(),
    organization: { id: tenant },
    event: { id: `${tenant}-ev-${i}`, kind: 'event', dataset: 'system.auth', outcome: 'failure', original: `Failed password for root from 203.0.113.${i} port 22 ssh2` },
    host: { name: host },
    source: { ip: `203.0.113.${i}` },
    user: { name: 'root' },
    log: { source: { address: tenant === 'so-a' ? '10.1.0.1' : '10.2.0.1' } },
    message: `Failed password on ${host}`,
  } as EcsEvent;
}

function incident(id: string, tenant: string, host: string): Incident {
  const now = new Date().toISOString();
  return {
    id, tenant, rule: { id: RULE, title: 'SSH Brute Force', level: 'high', author: 'canhgac', tags: ['attack.credential_access', 'attack.t1110'], references: [] },
    severity: 'high', status: 'new', groupKey: host, title: 'SSH Brute Force', summary: { host, source_ip: '203.0.113.1' }, count: 1,
    first_seen: now, last_seen: now, created: now, updated: now, assignee: null, resolution: null, version: 1,
  };
}

function alert(id: string, tenant: string, incidentId: string): Alert {
  const now = new Date().toISOString();
  return {
    id, '@timestamp': now, created: now, tenant, rule: { id: RULE, title: 'SSH Brute Force', level: 'high', tags: ['attack.t1110'], references: [] }, kind: 'correlation',
    severity: 'high', groupKey: 'g', groupBy: null, eventIds: [`${tenant}-ev-1`], summary: {}, incidentId,
  };
}

/** A request over a real socket (fastify's inject needs an ES module jest cannot load); `from` picks the loopback source address. */
async function raw(method: string, url: string, opts: { headers?: Record<string, string>; body?: unknown; from?: string } = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await new Promise<{ status: number; text: string; headers: Record<string, string> }>((resolve, reject) => {
    const r = http.request(base + url, { method, headers, localAddress: opts.from }, (m) => {
      const chunks: Buffer[] = [];
      m.on('data', (c: Buffer) => chunks.push(c));
      m.on('end', () => resolve({ status: m.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: m.headers as Record<string, string> }));
    });
    r.on('error', reject);
    r.end(payload);
  });
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(res.text);
  } catch {
    json = {};
  }
  return { status: res.status, statusCode: res.status, body: json, json: () => json, text: res.text, headers: res.headers };
}

async function req(user: string | null, method: string, url: string, body?: unknown) {
  const s = user ? sessions.get(user)! : undefined;
  const headers: Record<string, string> = {};
  if (s) headers.cookie = s.cookie;
  if (s && method !== 'GET') headers['x-csrf-token'] = s.csrf;
  return raw(method, url, { headers, body });
}

async function login(username: string, extra: Record<string, unknown> = {}, from = '127.0.0.1') {
  return raw('POST', '/api/auth/login', { body: { username, password: PASSWORD, ...extra }, from });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-console-'));
  store = createSqliteStore({ path: path.join(dir, 'store.db') });
  bus = createEmbeddedBus({ dir: path.join(dir, 'bus') });
  const logger = createLogger({ level: 'silent' });
  for (const [id, name] of [['so-a', 'Sở A'], ['so-b', 'Sở B']]) await store.putTenant({ id, name, created: new Date().toISOString() });
  const hash = await hashPassword(PASSWORD);
  for (const [username, role, agencies] of USERS) await store.putUser({ username, role, agencies, passwordHash: hash, created: new Date().toISOString() });
  await store.putEvents([1, 2, 3].map((i) => event('so-a', 'host-a', i)).concat([1, 2].map((i) => event('so-b', 'host-b', i))));
  await store.saveIncident(incident('inc-a', 'so-a', 'host-a'), null);
  await store.saveIncident(incident('inc-b', 'so-b', 'host-b'), null);
  await store.putAlerts([alert('al-a', 'so-a', 'inc-a'), alert('al-b', 'so-b', 'inc-b')]);
  await store.putDeadLetters([
    { id: 'dl-a', at: new Date().toISOString(), tenant: 'so-a', listener: 'http', source: '10.1.0.1', reason: 'malformed JSON in so-a', original: '{', size: 1 },
    { id: 'dl-b', at: new Date().toISOString(), tenant: 'so-b', listener: 'http', source: '10.2.0.1', reason: 'malformed JSON in so-b', original: '{', size: 1 },
  ]);
  const counts = { received: 5, parsed: 5, failed: 0, dropped: 0, bytes: 100, last_seen: new Date().toISOString() };
  await store.putState('collector.counters.main', JSON.stringify({ at: new Date().toISOString(), listeners: { 'syslog-tcp': counts }, tenants: { 'so-a': counts, 'so-b': counts }, pending: 0 }));
  await store.putState('correlator.rules', JSON.stringify({ at: new Date().toISOString(), rules: [{ rule: { id: RULE, title: 'SSH Brute Force', level: 'high', tags: ['attack.credential_access', 'attack.t1110'], kind: 'correlation' }, hits: 2, last_hit: null }], report: [] }));

  app = await buildConsole({ store, bus, logger, sessionHours: 1, secureCookies: false, dataDir: dir, loginLimit: { maxFailures: 4, windowSeconds: 600 } });
  push = await attachPush(app.server as Server, { store, bus, logger });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  for (const [username] of USERS) {
    const res = await login(username);
    expect([username, res.statusCode]).toEqual([username, 200]);
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    sessions.set(username, { cookie: String(res.headers['set-cookie']).split(';')[0], csrf: res.json().csrf });
  }
});

afterAll(async () => {
  await push?.close();
  await app?.close();
  await bus?.close();
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ALL = USERS.map((u) => u[0]);
const SOC = ['admin', 'analyst', 'responder', 'auditor'];

test('each agency viewer sees only its own agency in every list; SOC roles see both', async () => {
  const tenantsOf = (items: { tenant?: string; organization?: { id: string } }[]) => [...new Set(items.map((i) => i.tenant ?? i.organization?.id))].sort();
  for (const user of ALL) {
    const own = user === 'viewer-a' ? ['so-a'] : user === 'viewer-b' ? ['so-b'] : ['so-a', 'so-b'];
    const seen = {
      incidents: tenantsOf((await req(user, 'GET', '/api/incidents')).body.items),
      events: tenantsOf((await req(user, 'GET', '/api/events?limit=100')).body.items),
      alerts: tenantsOf((await req(user, 'GET', '/api/alerts')).body.items),
      deadLetters: tenantsOf((await req(user, 'GET', '/api/dead-letters')).body.items),
      sources: tenantsOf((await req(user, 'GET', '/api/sources')).body.items),
      stats: Object.keys((await req(user, 'GET', '/api/collector/stats')).body.tenants).sort(),
      tenants: ((await req(user, 'GET', '/api/tenants')).body.items as { id: string }[]).map((t) => t.id).filter((t) => t.startsWith('so-')).sort(),
      top: ((await req(user, 'GET', '/api/events/top?field=host.name')).body.values as { value: string }[]).map((v) => (v.value === 'host-a' ? 'so-a' : 'so-b')).sort(),
    };
    expect([user, seen]).toEqual([user, { incidents: own, events: own, alerts: own, deadLetters: own, sources: own, stats: own, tenants: own, top: own }]);
  }
});

test("a viewer cannot reach another agency's records by id, query, filter or export", async () => {
  expect((await req('viewer-a', 'GET', '/api/incidents/inc-b')).status).toBe(404);
  expect((await req('viewer-a', 'GET', '/api/incidents/inc-a')).status).toBe(200);
  expect((await req('viewer-a', 'GET', '/api/incidents?agency=so-b')).body.total).toBe(0);
  expect((await req('viewer-a', 'GET', `/api/events?q=${encodeURIComponent('organization.id:so-b OR host.name:host-b')}`)).body.total).toBe(0);
  const hist = (await req('viewer-a', 'GET', '/api/events/histogram?interval=3600000')).body.buckets as { count: number }[];
  expect(hist.reduce((a, b) => a + b.count, 0)).toBe(3);
  const fields = (await req('viewer-b', 'GET', '/api/fields')).body.items as { field: string; count: number }[];
  expect(fields.find((f) => f.field === 'host.name')?.count).toBe(2);
  const csv = await req('viewer-a', 'GET', '/api/events/export?format=csv&columns=organization.id,host.name');
  expect(csv.status).toBe(200);
  expect([csv.headers['cache-control'], csv.headers['content-disposition']]).toEqual(['no-store', expect.stringMatching(/^attachment; filename="canhgac-events-.*\.csv"$/)]);
  expect(csv.text).toContain('host-a');
  expect(csv.text).not.toContain('host-b');
  const json = await req('viewer-b', 'GET', '/api/events/export?format=json');
  expect((JSON.parse(json.text) as EcsEvent[]).map((e) => e.organization?.id)).toEqual(['so-b', 'so-b']);
  const incCsv = await req('viewer-a', 'GET', '/api/incidents/export?format=csv');
  expect(incCsv.text).toContain('inc-a');
  expect(incCsv.text).not.toContain('inc-b');
  const [head, row] = incCsv.text.replace('\uFEFF', '').split('\r\n');
  const cell = (name: string) => row.split(',')[head.split(',').indexOf(name)];
  expect([cell('id'), cell('acknowledge_target_min'), cell('resolve_target_min'), cell('acknowledge_breached')]).toEqual(['inc-a', '30', '480', 'false']);
  const dash = await req('viewer-a', 'GET', '/api/dashboard?range=1h');
  expect(dash.body.listeners).toBeNull();
  expect(dash.body.attack).toBeNull();
  expect([...new Set((dash.body.eventsByAgency as { value: string }[]).map((b) => b.value))]).toEqual(['so-a']);
  const stats = (await req('viewer-a', 'GET', '/api/collector/stats')).body;
  expect(stats.listeners).toEqual({});
});

test('only admin, analyst and responder change incidents; nobody changes what they cannot see', async () => {
  const act = (user: string, id: string, body: unknown) => req(user, 'POST', `/api/incidents/${id}/actions`, body);
  expect((await act('viewer-a', 'inc-a', { action: 'comment', comment: 'mine' })).status).toBe(403);
  expect((await act('auditor', 'inc-a', { action: 'comment', comment: 'read only' })).status).toBe(403);
  for (const user of ['admin', 'analyst', 'responder']) expect([user, (await act(user, 'inc-a', { action: 'comment', comment: `seen by ${user}` })).status]).toEqual([user, 200]);
  expect((await act('responder', 'inc-a', { action: 'status', status: 'acknowledged' })).body.incident.status).toBe('acknowledged');
  // a session without the CSRF header changes nothing
  const noCsrf = await raw('POST', '/api/incidents/inc-a/actions', { headers: { cookie: sessions.get('analyst')!.cookie }, body: { action: 'comment', comment: 'x' } });
  expect(noCsrf.statusCode).toBe(403);
  const detail = (await req('admin', 'GET', '/api/incidents/inc-a')).body;
  expect(detail.changes.filter((c: { action: string }) => c.action === 'comment').map((c: { actor: string }) => c.actor)).toEqual(['admin', 'analyst', 'responder']);
  expect(detail.sla.acknowledged_at).not.toBeNull();
  expect(detail.sla.target.acknowledge_minutes).toBe(30);
  expect(detail.related.map((i: Incident) => i.id)).toEqual(['inc-b']); // same source address, other agency: admin sees it
  expect((await req('viewer-a', 'GET', '/api/incidents/inc-a')).body.related).toEqual([]);
});

test('rules: viewers see none; only admin and analyst enable, disable or test them', async () => {
  const status = async (user: string, method: string, url: string, body?: unknown) => (await req(user, method, url, body)).status;
  expect(await status('viewer-a', 'GET', '/api/rules')).toBe(403);
  for (const user of SOC) expect([user, await status(user, 'GET', '/api/rules')]).toEqual([user, 200]);
  for (const user of ['responder', 'auditor', 'viewer-a']) {
    expect([user, await status(user, 'PUT', `/api/rules/${RULE}/settings`, { disabledFor: ['so-a'] })]).toEqual([user, 403]);
    expect([user, await status(user, 'POST', '/api/rules/test', { rule: 'title: x', events: '{}' })]).toEqual([user, 403]);
  }
  const bad = await req('analyst', 'PUT', `/api/rules/${RULE}/settings`, { disabledFor: ['so-a'], exception: 'user.name:(svc' });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toMatch(/body\/exception: query syntax error at character/);
  expect((await req('analyst', 'PUT', `/api/rules/${RULE}/settings`, { disabledFor: ['so-x'] })).body.error).toMatch(/no agency "so-x"/);
  expect((await req('analyst', 'PUT', `/api/rules/${RULE}/settings`, { disabledFor: ['so-a'], exception: 'user.name:svc_backup' })).status).toBe(200);
  const rule = ['title: Root login failure', 'id: 5e0c1c8a-7d52-4a51-9d0e-111111111111', 'level: medium', 'logsource:', '  category: authentication',
    'detection:', '  sel:', '    user.name: root', '    event.outcome: failure', '  condition: sel'].join('\n');
  const tested = await req('analyst', 'POST', '/api/rules/test', { rule, events: [JSON.stringify(event('so-a', 'h', 1)), JSON.stringify({ ...event('so-a', 'h', 2), user: { name: 'alice' } })].join('\n') });
  expect(tested.status).toBe(200);
  expect(tested.body.results.map((r: { detections: unknown[] }) => r.detections.length)).toEqual([1, 0]);
  const broken = await req('analyst', 'POST', '/api/rules/test', { rule, events: '{"a":1}\nnot json' });
  expect([broken.status, broken.body.error]).toEqual([400, 'events line 2: not a JSON object (paste one ECS event per line, or a JSON array)']);
  expect((await req('auditor', 'GET', '/api/rules')).body.settings).toEqual([expect.objectContaining({ ruleId: RULE, disabledFor: ['so-a'], exception: 'user.name:svc_backup', by: 'analyst' })]);
});

test('tokens: ingest tokens are admin-only; API tokens belong to their owner; a token cannot mint tokens', async () => {
  for (const user of ['analyst', 'responder', 'auditor', 'viewer-a']) {
    expect([user, (await req(user, 'GET', '/api/tenants/so-a/tokens')).status]).toEqual([user, 403]);
    expect([user, (await req(user, 'POST', '/api/tenants/so-a/tokens', {})).status]).toEqual([user, 403]);
  }
  const ingest = await req('admin', 'POST', '/api/tenants/so-a/tokens', { label: 'firewall' });
  expect(ingest.body.secret).toMatch(/^cgi_/);
  const mine = await req('analyst', 'POST', '/api/tokens', { label: 'script' });
  expect(mine.body.secret).toMatch(/^cga_/);
  expect(((await req('viewer-a', 'GET', '/api/tokens?all=true')).body.items as unknown[]).length).toBe(0);
  expect((await req('viewer-a', 'POST', `/api/tokens/${mine.body.token.id}/revoke`)).status).toBe(404);
  expect((await req('viewer-a', 'POST', `/api/tokens/${ingest.body.token.id}/rotate`)).status).toBe(404);
  // the token works, carries its owner's role, and cannot create or revoke tokens
  const viaToken = (method: string, url: string, body?: unknown) => raw(method, url, { headers: { authorization: `Bearer ${mine.body.secret}` }, body });
  expect((await viaToken('GET', '/api/incidents')).statusCode).toBe(200);
  expect((await viaToken('GET', '/api/audit')).statusCode).toBe(403);
  expect((await viaToken('POST', '/api/tokens', {})).statusCode).toBe(403);
  expect((await viaToken('POST', `/api/tokens/${mine.body.token.id}/revoke`)).statusCode).toBe(403);
  const rotated = await req('admin', 'POST', `/api/tokens/${ingest.body.token.id}/rotate`);
  expect(rotated.body.secret).toMatch(/^cgi_/);
  expect((await req('admin', 'GET', '/api/tenants/so-a/tokens')).body.items.find((t: { id: string }) => t.id === ingest.body.token.id).revoked).not.toBeNull();
  expect((await req('analyst', 'POST', `/api/tokens/${mine.body.token.id}/revoke`)).status).toBe(200);
  expect((await viaToken('GET', '/api/incidents')).statusCode).toBe(401);
});

test('users, tenants and the audit log: admin manages, auditor reads the audit log, nobody else', async () => {
  for (const user of ['analyst', 'responder', 'auditor', 'viewer-a']) {
    expect([user, (await req(user, 'POST', '/api/users', { username: 'x', password: PASSWORD, role: 'admin' })).status]).toEqual([user, 403]);
    expect([user, (await req(user, 'PATCH', '/api/users/viewer-b', { role: 'admin' })).status]).toEqual([user, 403]);
    expect([user, (await req(user, 'POST', '/api/tenants', { id: 'so-x', name: 'X' })).status]).toEqual([user, 403]);
  }
  expect((await req('viewer-a', 'GET', '/api/users')).status).toBe(403);
  for (const user of ['analyst', 'responder', 'viewer-a']) {
    expect([user, (await req(user, 'GET', '/api/audit')).status]).toEqual([user, 403]);
    expect([user, (await req(user, 'GET', '/api/audit/export?format=csv')).status]).toEqual([user, 403]);
  }
  expect((await req('auditor', 'GET', '/api/audit')).status).toBe(200);
  expect((await req('admin', 'POST', '/api/users', { username: 'viewer-c', password: 'short', role: 'viewer', agencies: ['so-a'] })).body.error).toMatch(/body\/password: a password needs at least 10/);
  expect((await req('admin', 'POST', '/api/users', { username: 'viewer-c', password: PASSWORD, role: 'viewer' })).body.error).toMatch(/needs at least one agency/);
  const created = await req('admin', 'POST', '/api/users', { username: 'viewer-c', password: PASSWORD, role: 'viewer', agencies: ['so-b'] });
  expect(created.body).toEqual({ username: 'viewer-c', role: 'viewer', agencies: ['so-b'], disabled: false });
  expect((await login('viewer-c')).statusCode).toBe(200);
  await req('admin', 'PATCH', '/api/users/viewer-c', { disabled: true });
  expect((await login('viewer-c')).statusCode).toBe(401);
});

test('WebSocket notices reach only the consoles whose scope includes the agency', async () => {
  const open = async (user: string) => {
    const ws = new WebSocket(base.replace('http', 'ws') + '/ws', { headers: { cookie: sessions.get(user)!.cookie } });
    const got: string[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string; incident?: Incident };
      if (m.incident) got.push(m.incident.id);
    });
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    return { ws, got };
  };
  const sockets = Object.fromEntries(await Promise.all(ALL.map(async (u) => [u, await open(u)] as const)));
  await bus.publish(TOPICS.incidents, [
    { key: 'inc-a', value: { type: 'incident.updated', incident: incident('inc-a', 'so-a', 'host-a') } },
    { key: 'inc-b', value: { type: 'incident.updated', incident: incident('inc-b', 'so-b', 'host-b') } },
  ]);
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline && SOC.some((u) => sockets[u].got.length < 2)) await new Promise((r) => setTimeout(r, 50));
  await bus.publish(TOPICS.incidents, [{ key: 'inc-a', value: { type: 'incident.updated', incident: { ...incident('inc-a', 'so-a', 'host-a'), version: 9 } } }]);
  while (Date.now() < deadline && sockets['viewer-a'].got.length < 2) await new Promise((r) => setTimeout(r, 50));
  for (const u of SOC) expect([u, sockets[u].got.slice(0, 2).sort()]).toEqual([u, ['inc-a', 'inc-b']]);
  expect(sockets['viewer-a'].got).toEqual(['inc-a', 'inc-a']);
  expect(sockets['viewer-b'].got).toEqual(['inc-b']); // the later so-a notice never reached it
  for (const s of Object.values(sockets)) s.ws.close();
});

test('every action is in the audit log with who and from where', async () => {
  const entries = (await req('auditor', 'GET', '/api/audit?limit=10000')).body.items as { actor: string; action: string; ip: string; target?: string }[];
  const has = (actor: string, action: string) => entries.some((e) => e.actor === actor && e.action === action && e.ip);
  expect(has('viewer-a', 'login')).toBe(true);
  expect(has('viewer-a', 'incident.view')).toBe(true);
  expect(has('viewer-a', 'events.search')).toBe(true);
  expect(has('viewer-a', 'events.export')).toBe(true);
  expect(has('viewer-a', 'incidents.export')).toBe(true);
  expect(has('responder', 'incident.status')).toBe(true);
  expect(has('analyst', 'rule.edit')).toBe(true);
  expect(has('analyst', 'token.create')).toBe(true);
  expect(has('analyst', 'token.revoke')).toBe(true);
  expect(has('admin', 'token.rotate')).toBe(true);
  expect(has('admin', 'user.create')).toBe(true);
  expect(has('admin', 'user.change')).toBe(true);
  expect(entries.find((e) => e.action === 'login')!.ip).toBe('127.0.0.1');
  const csv = await req('auditor', 'GET', '/api/audit/export?format=csv');
  expect(csv.headers['content-disposition']).toMatch(/attachment; filename="canhgac-audit-/);
  expect(csv.text.split('\r\n')[0]).toBe('\uFEFFseq,at,actor,action,target,ip,details,prev_hash,hash');
  const listed = (await req('auditor', 'GET', '/api/audit?limit=10000')).body.items as { seq: number; hash: string }[];
  const exported = JSON.parse((await req('auditor', 'GET', '/api/audit/export?format=json')).text) as { seq: number; hash: string; prevHash: string }[];
  expect(exported.slice(0, listed.length).map((e) => [e.seq, e.hash])).toEqual(listed.map((e) => [e.seq, e.hash]));
  expect(exported.slice(1).every((e, i) => e.prevHash === exported[i].hash)).toBe(true);
  expect((await req('auditor', 'GET', '/api/audit?limit=10000')).body.items.some((e: { action: string; actor: string }) => e.action === 'audit.export' && e.actor === 'auditor')).toBe(true);

  // the console checks the hash chain like `canhgac audit verify`, and names the first altered entry
  expect((await req('viewer-a', 'GET', '/api/audit/verify')).status).toBe(403);
  expect((await req('auditor', 'GET', '/api/audit/verify')).body).toMatchObject({ intact: true });
  const db = new Database(path.join(dir, 'store.db'));
  const victim = db.prepare("SELECT seq, doc FROM audit WHERE action = 'incident.status'").get() as { seq: number; doc: string };
  db.prepare('UPDATE audit SET doc = ? WHERE seq = ?').run(JSON.stringify({ ...JSON.parse(victim.doc), actor: 'someone-else' }), victim.seq);
  db.close();
  const verdict = (await req('auditor', 'GET', '/api/audit/verify')).body;
  expect([verdict.intact, verdict.alteredAt.seq, verdict.alteredAt.actor]).toEqual([false, victim.seq, 'someone-else']);
});

test('TOTP: set up, enabled with a code, then asked for at login; a wrong code counts toward the lockout', async () => {
  const setup = await req('responder', 'POST', '/api/auth/totp/setup');
  expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\/canhgac%3Aresponder\?secret=[A-Z2-7]+/);
  expect((await req('responder', 'POST', '/api/auth/totp/enable', { code: '000000' })).status).toBe(400);
  expect((await req('responder', 'POST', '/api/auth/totp/enable', { code: totp(setup.body.secret) })).body).toEqual({ totp: true });
  const noCode = await login('responder');
  expect([noCode.statusCode, noCode.json().totp_required]).toEqual([401, true]);
  const wrong = await login('responder', { totp: '123456' === totp(setup.body.secret) ? '654321' : '123456' });
  expect(wrong.statusCode).toBe(401);
  // the code used to enable is spent; the next step's code works (one step of drift is allowed)
  const ok = await login('responder', { totp: totp(setup.body.secret, Date.now() + 30000) });
  expect(ok.statusCode).toBe(200);
  expect((await req('auditor', 'GET', '/api/audit?limit=10000')).body.items.some((e: { action: string; actor: string }) => e.action === 'login.totp_failed' && e.actor === 'responder')).toBe(true);
  // an admin sees who has a second factor, and turns it off for someone who lost their phone
  expect(((await req('admin', 'GET', '/api/users')).body.items as { username: string; totp: boolean }[]).find((u) => u.username === 'responder')?.totp).toBe(true);
  expect((await req('analyst', 'PATCH', '/api/users/responder', { totp: false })).status).toBe(403);
  expect((await req('admin', 'PATCH', '/api/users/responder', { totp: false })).status).toBe(200);
  expect((await login('responder')).statusCode).toBe(200);
});

test('failed logins from one address are rate-limited across accounts, with Retry-After', async () => {
  const from = (username: string) => raw('POST', '/api/auth/login', { body: { username, password: 'wrong-password!' }, from: '127.0.0.9' });
  const codes = [];
  for (const u of ['nobody1', 'nobody2', 'nobody3', 'nobody4', 'admin']) codes.push((await from(u)).statusCode);
  expect(codes).toEqual([401, 401, 401, 401, 429]);
  const limited = await login('admin', {}, '127.0.0.9');
  expect(limited.statusCode).toBe(429);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  // another address still logs in
  expect((await login('admin')).statusCode).toBe(200);
});

test('an export larger than one page streams every matching event once, in CSV and JSON', async () => {
  const base0 = Date.now() - 3600e3;
  const many = Array.from({ length: 2500 }, (_, i) => ({
    '@timestamp': new Date(base0 + i * 1000).toISOString(),
    organization: { id: 'so-c' },
    event: { id: `so-c-${i}`, kind: 'event' },
    message: `line ${i}`,
  })) as EcsEvent[];
  await store.putEvents(many);
  const csv = await req('admin', 'GET', `/api/events/export?format=csv&columns=event.id&limit=2200&q=${encodeURIComponent('organization.id:so-c')}`);
  const ids = csv.text.replace('\uFEFF', '').trim().split('\r\n').slice(1);
  expect([ids.length, new Set(ids).size, ids[0], ids[2199]]).toEqual([2200, 2200, 'so-c-2499', 'so-c-300']);
  const json = JSON.parse((await req('admin', 'GET', `/api/events/export?format=json&q=${encodeURIComponent('organization.id:so-c')}`)).text) as EcsEvent[];
  expect([json.length, new Set(json.map((e) => e.event.id)).size]).toEqual([2500, 2500]);
  expect((await req('viewer-a', 'GET', `/api/events/export?format=json&q=${encodeURIComponent('organization.id:so-c')}`)).text.replace(/\s/g, '')).toBe('[]');
});
