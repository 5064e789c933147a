/**
 * For the console's inject tests: a console on a real SQLite store with two agencies whose
 * data is told apart by text — everything of so-b carries "bbbb" or "so-b", nothing of so-a
 * does — so a response that leaks so-b shows it in its text. Users: one per role without an
 * agency (provincial; the viewer without one sees nothing) and one per role scoped to so-a.
 */
import type { FastifyInstance } from 'fastify';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Bus } from '../../core/bus/bus';
import { createEmbeddedBus } from '../../core/bus/embedded';
import type { EcsEvent } from '../../core/event';
import { createLogger } from '../../core/log';
import { ROLES, type Alert, type Incident, type Role } from '../../core/model';
import { createSqliteStore } from '../../core/store/sqlite';
import type { Store } from '../../core/store/store';
import { createToken } from '../../core/tokens';
import { buildConsole } from './app';
import { hashPassword } from './auth';
import { CASE_SAMPLES, seedCases } from './caseroutes.samples';
import { seedVulns, VULN_SAMPLES } from './vulnroutes.samples';
import { REPORT_SAMPLES } from './reportroutes.samples';
import { PERIODIC_SAMPLES } from './periodicroutes.samples';
import { SHARING_SAMPLES } from './sharingroutes.samples';

export const PASSWORD = 'kit-password-1234';
export const OTHER = /so-b|bbbb/; // what a user scoped to so-a must never see

export interface Caller {
  username: string;
  role: Role;
  agencies: string[];
  cookie: string;
  csrf: string;
  token: string;
}

export interface Kit {
  app: FastifyInstance;
  store: Store;
  bus: Bus;
  callers: Caller[];
  ingestTokenB: string; // the id of so-b's ingest token
  call(c: Caller | null, method: string, url: string, body?: unknown, via?: 'session' | 'token'): Promise<{ status: number; text: string; body: any }>;
  session(username: string): Promise<Caller>;
  close(): Promise<void>;
}

const now = () => new Date().toISOString();

function event(tenant: string, i: number): EcsEvent {
  const b = tenant === 'so-b';
  return {
    '@timestamp': new Date(Date.now() - i * 1000).toISOString(),
    organization: { id: tenant },
    event: { id: `${tenant}-ev-${i}`, kind: 'event', dataset: b ? 'bbbb.auth' : 'linux.auth', action: 'login' },
    host: { name: b ? 'host-bbbb' : 'host-a' },
    source: { ip: b ? '10.9.9.9' : '10.1.1.1' },
    user: { name: b ? 'user-bbbb' : 'user-a' },
    message: b ? `bbbb secret line ${i}` : `line of a ${i}`,
    ...(b ? { bbbb_only: { field: 'bbbb-value' } } : { a_only: { field: 'a-value' } }),
  };
}

export function incidentOf(id: string, tenant: string): Incident {
  const b = tenant === 'so-b';
  return {
    id, tenant, rule: { id: 'rule-x', title: 'SSH Brute Force', level: 'high', tags: ['attack.t1110', 'attack.credential_access'], references: [] }, severity: 'high', status: 'new', groupKey: id,
    title: 'SSH Brute Force', summary: { host: b ? 'host-bbbb' : 'host-a' }, count: 1, first_seen: now(), last_seen: now(), created: now(), updated: now(), assignee: null, resolution: null, version: 1,
  };
}

function alertOf(id: string, tenant: string, incidentId: string): Alert {
  return {
    id, '@timestamp': now(), created: now(), tenant, rule: { id: 'rule-x', title: 'SSH Brute Force', level: 'high', tags: [], references: [] }, kind: 'rule', severity: 'high',
    groupKey: id, groupBy: null, eventIds: [`${tenant}-ev-1`], summary: { host: tenant === 'so-b' ? 'host-bbbb' : 'host-a' }, incidentId,
  };
}

async function seed(store: Store): Promise<void> {
  await store.putTenant({ id: 'so-a', name: 'Agency A', created: now() });
  await store.putTenant({ id: 'so-b', name: 'Agency bbbb', created: now() });
  await store.putEvents([1, 2, 3].map((i) => event('so-a', i)).concat([1, 2].map((i) => event('so-b', i))));
  for (const t of ['so-a', 'so-b']) {
    await store.saveIncident(incidentOf(`inc-${t}`, t), null);
    await store.putAlerts([alertOf(`al-${t}`, t, `inc-${t}`)]);
    await store.putDeadLetters([{ id: `dl-${t}`, at: now(), tenant: t, listener: 'udp', source: t === 'so-b' ? '10.9.9.9' : '10.1.1.1', reason: 'unparsable', original: t === 'so-b' ? 'bbbb raw line' : 'raw line of a', size: 10 }]);
    await store.enqueueNotification({
      id: `n-${t}`, incidentId: `inc-${t}`, tenant: t, route: 'r', channel: 'email', recipient: t === 'so-b' ? 'soc@bbbb.example' : 'soc@a.example', reason: 'opened',
      subject: t === 'so-b' ? 'incident bbbb' : 'incident of a', body: 'x', status: 'sent', attempts: 1, nextAttemptAt: now(), created: now(),
    });
  }
  await store.putRuleSetting({ ruleId: 'rule-x', disabledFor: ['so-b'], exception: null, updated: now(), by: 'analyst-bbbb' });
  const rule = { id: 'rule-x', title: 'SSH Brute Force', level: 'high', tags: ['attack.t1110', 'attack.credential_access'], kind: 'rule' };
  await store.putState('correlator.rules', JSON.stringify({ at: now(), rules: [{ rule, hits: 7, last_hit: now() }], report: [] }));
  const counters = { received: 5, parsed: 5, failed: 0, dropped: 0, last_seen: now() };
  await store.putState('collector.counters.main', JSON.stringify({ at: now(), listeners: { 'udp:bbbb': { received: 2 } }, tenants: { 'so-a': counters, 'so-b': counters }, pending: 0 }));
  await store.appendAudit({ at: now(), actor: 'analyst-bbbb', action: 'events.search', target: null, details: { q: 'bbbb', agencies: ['so-b'] } });
  await seedCases(store);
  if (store.vulns) await seedVulns(store);
}

/** A kit on the embedded SQLite store, or on the store `open` makes (Elasticsearch, OpenSearch). */
export async function startKit(open?: () => Store | Promise<Store>): Promise<Kit> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-kit-'));
  const store = open ? await open() : createSqliteStore({ path: path.join(dir, 'canhgac.db') });
  await store.init();
  const bus = createEmbeddedBus({ dir: path.join(dir, 'bus') });
  await seed(store);
  const hash = await hashPassword(PASSWORD);
  const users: [string, Role, string[]][] = [...ROLES.map((r) => [`${r}-prov`, r, []] as [string, Role, string[]]), ...ROLES.map((r) => [`${r}-a`, r, ['so-a']] as [string, Role, string[]]), ['analyst-bbbb', 'analyst', ['so-b']]];
  for (const [username, role, agencies] of users) await store.putUser({ username, role, agencies, passwordHash: hash, created: now() });
  const app = await buildConsole({ store, bus, logger: createLogger({ level: 'silent' }), sessionHours: 1, secureCookies: false, dataDir: dir });
  await app.ready();
  const session = async (username: string): Promise<Caller> => {
    const u = (await store.getUser(username))!;
    const cookie = randomBytes(24).toString('base64url');
    const csrf = randomBytes(16).toString('base64url');
    await store.putSession({ id: createHash('sha256').update(cookie).digest('hex'), username, created: now(), expires: new Date(Date.now() + 3600e3).toISOString(), csrf, epoch: u.sessionEpoch ?? 0 });
    const { secret } = await createToken(store, 'api', username, 'kit');
    return { username, role: u.role, agencies: u.agencies, cookie, csrf, token: secret };
  };
  const callers = await Promise.all(users.filter(([u]) => u !== 'analyst-bbbb').map(([u]) => session(u)));
  const ingestTokenB = (await createToken(store, 'ingest', 'so-b', 'bbbb sender')).record.id;
  const call: Kit['call'] = async (c, method, url, body, via = 'session') => {
    const headers: Record<string, string> = {};
    if (c && via === 'session') {
      headers.cookie = `canhgac_session=${c.cookie}`;
      if (method !== 'GET') headers['x-csrf-token'] = c.csrf;
    }
    if (c && via === 'token') headers.authorization = `Bearer ${c.token}`;
    const res = await app.inject({ method: method as 'GET', url, headers, ...(body === undefined ? {} : typeof body === 'string' ? { payload: body, headers: { ...headers, 'content-type': body.startsWith('<') ? 'application/xml' : 'application/json' } } /* a scan report is XML */ : { payload: body as object }) });
    let parsed: unknown = {};
    try {
      parsed = JSON.parse(res.body);
    } catch {
      parsed = {};
    }
    return { status: res.statusCode, text: res.body, body: parsed };
  };
  return {
    app, store, bus, callers, ingestTokenB, call, session,
    async close() {
      await app.close();
      await bus.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Req {
  url: string;
  body?: unknown;
}
export interface Sample {
  own: Req;
  other?: Req & { status: number[] }; // the same asked for so-b's thing: refused with one of these statuses
  seen?: boolean; // a provincial caller's answer shows so-b (so the leak check above it is not vacuous)
}

// so-b's data itself (the request for it names so-b, which an answer may echo)
export const OTHER_DATA = /host-bbbb|user-bbbb|bbbb secret|bbbb-value|bbbb_only|bbbb raw|bbbb\.auth|incident bbbb|10\.9\.9\.9|"tenant":"so-b"/;
const RULE = 'title: t\nid: 00000000-0000-0000-0000-000000000001\nlogsource: { product: linux }\ndetection: { sel: { event.action: login }, condition: sel }\nlevel: low\n';
let n = 0;
/** A request for every guarded route (the matrix fails for a route without one): own is the caller's agency's, other so-b's. */
export const SAMPLES: Record<string, (k: Kit) => Sample> = {
  'GET /api/auth/me': () => ({ own: { url: '/api/auth/me' } }),
  'POST /api/auth/logout': () => ({ own: { url: '/api/auth/logout' } }),
  'POST /api/auth/password': () => ({ own: { url: '/api/auth/password', body: { current: 'not-the-password-1', password: 'new-password-12345' } } }),
  'POST /api/auth/totp/setup': () => ({ own: { url: '/api/auth/totp/setup' } }),
  'POST /api/auth/totp/:op': () => ({ own: { url: '/api/auth/totp/enable', body: { code: '000000' } } }),
  'GET /api/incidents': () => ({ own: { url: '/api/incidents' }, other: { url: '/api/incidents?agency=so-b', status: [200] }, seen: true }),
  'GET /api/incidents/:id': () => ({ own: { url: '/api/incidents/inc-so-a' }, other: { url: '/api/incidents/inc-so-b', status: [404] } }),
  'POST /api/incidents/:id/actions': () => ({ own: { url: '/api/incidents/inc-so-a/actions', body: { action: 'comment', comment: 'seen' } }, other: { url: '/api/incidents/inc-so-b/actions', body: { action: 'comment', comment: 'x' }, status: [404] } }),
  'GET /api/incidents/queue': () => ({ own: { url: '/api/incidents/queue?sort=severity' }, other: { url: '/api/incidents/queue?agency=so-b', status: [200] }, seen: true }),
  'POST /api/incidents/bulk': () => ({ own: { url: '/api/incidents/bulk', body: { ids: ['inc-so-a'], action: 'assign', assignee: null } }, other: { url: '/api/incidents/bulk', body: { ids: ['inc-so-b'], action: 'assign', assignee: null }, status: [200] } }),
  'POST /api/incidents/:id/merge': () => ({ own: { url: '/api/incidents/inc-so-a/merge', body: { into: 'inc-none' } }, other: { url: '/api/incidents/inc-so-b/merge', body: { into: 'inc-so-a' }, status: [404] } }),
  'POST /api/incidents/:id/split': () => ({ own: { url: '/api/incidents/inc-so-a/split', body: { alerts: ['al-none'] } }, other: { url: '/api/incidents/inc-so-b/split', body: { alerts: ['al-so-b'] }, status: [404] } }),
  'GET /api/incidents/export': () => ({ own: { url: '/api/incidents/export?format=csv' }, other: { url: '/api/incidents/export?format=json&agency=so-b', status: [200] }, seen: true }),
  'GET /api/events': () => ({ own: { url: '/api/events' }, other: { url: '/api/events?q=organization.id:so-b', status: [200] }, seen: true }),
  'GET /api/events/histogram': () => ({ own: { url: '/api/events/histogram?q=bbbb_only.field:*' } }),
  'GET /api/events/top': () => ({ own: { url: '/api/events/top?field=organization.id' }, other: { url: '/api/events/top?field=bbbb_only.field', status: [200] }, seen: true }),
  'GET /api/events/export': () => ({ own: { url: '/api/events/export?format=json' }, other: { url: '/api/events/export?format=csv&columns=message,host.name', status: [200] }, seen: true }),
  'GET /api/fields': () => ({ own: { url: '/api/fields' }, other: { url: '/api/fields?prefix=bbbb_o', status: [200] }, seen: true }),
  'GET /api/alerts': () => ({ own: { url: '/api/alerts' }, seen: true }),
  'GET /api/collector/stats': () => ({ own: { url: '/api/collector/stats' }, seen: true }),
  'GET /api/rules': () => ({ own: { url: '/api/rules' }, seen: true }),
  'PUT /api/rules/:id/settings': () => ({ own: { url: '/api/rules/not-loaded/settings', body: { disabledFor: ['so-a'] } }, other: { url: '/api/rules/rule-x/settings', body: { disabledFor: ['so-a', 'so-b'] }, status: [403] } }),
  'POST /api/rules/test': () => ({ own: { url: '/api/rules/test', body: { rule: RULE, events: '{"event":{"action":"login"}}' } } }),
  'GET /api/dead-letters': () => ({ own: { url: '/api/dead-letters' }, seen: true }),
  'GET /api/notifications': () => ({ own: { url: '/api/notifications' }, other: { url: '/api/notifications?incident=inc-so-b', status: [200] }, seen: true }),
  'GET /api/dashboard': () => ({ own: { url: '/api/dashboard?range=24h' }, seen: true }),
  'GET /api/sources': () => ({ own: { url: '/api/sources' }, seen: true }),
  'GET /api/searches': () => ({ own: { url: '/api/searches' } }),
  'POST /api/searches': () => ({ own: { url: '/api/searches', body: { name: 'mine', q: 'host.name:host-a' } } }),
  'DELETE /api/searches/:id': () => ({ own: { url: '/api/searches/none-such' } }),
  'GET /api/tenants': () => ({ own: { url: '/api/tenants' }, seen: true }),
  'GET /api/websites': () => ({ own: { url: '/api/websites' } }),
  'POST /api/websites': () => ({ own: { url: '/api/websites', body: { url: `https://site-${++n}.example/`, tenant: 'so-a', interval: 300 } }, other: { url: '/api/websites', body: { url: `https://site-${++n}.example/`, tenant: 'so-b', interval: 300 }, status: [403] } }),
  'DELETE /api/websites/:id': () => ({ own: { url: '/api/websites/w-000000000000' } }),
  'POST /api/websites/:id/pause': () => ({ own: { url: '/api/websites/w-000000000000/pause' } }),
  'POST /api/websites/:id/resume': () => ({ own: { url: '/api/websites/w-000000000000/resume' } }),
  'POST /api/websites/:id/rebaseline': () => ({ own: { url: '/api/websites/w-000000000000/rebaseline' } }),
  'GET /api/websites/:id/snapshots': () => ({ own: { url: '/api/websites/w-000000000000/snapshots' } }),
  'POST /api/tenants': () => ({ own: { url: '/api/tenants', body: { id: `so-new-${++n}`, name: 'New agency' } } }),
  'PATCH /api/tenants/:id': () => ({ own: { url: '/api/tenants/so-a', body: { security_level: 3 } }, other: { url: '/api/tenants/so-b', body: { security_level: 3 }, status: [404] } }),
  'GET /api/retention': () => ({ own: { url: '/api/retention' }, seen: true }),
  'GET /api/tenants/:id/tokens': () => ({ own: { url: '/api/tenants/so-a/tokens' }, other: { url: '/api/tenants/so-b/tokens', status: [404] } }),
  'POST /api/tenants/:id/tokens': () => ({ own: { url: '/api/tenants/so-a/tokens', body: { label: 'more' } }, other: { url: '/api/tenants/so-b/tokens', body: {}, status: [404] } }),
  'GET /api/tokens': () => ({ own: { url: '/api/tokens?all=true' } }),
  'POST /api/tokens': () => ({ own: { url: '/api/tokens', body: { label: 'script' } } }),
  'POST /api/tokens/:id/revoke': (k) => ({ own: { url: '/api/tokens/none-such/revoke' }, other: { url: `/api/tokens/${k.ingestTokenB}/revoke`, status: [404] } }),
  'POST /api/tokens/:id/rotate': (k) => ({ own: { url: '/api/tokens/none-such/rotate' }, other: { url: `/api/tokens/${k.ingestTokenB}/rotate`, status: [404] } }),
  'GET /api/users': () => ({ own: { url: '/api/users' }, seen: true }),
  'POST /api/users': () => ({ own: { url: '/api/users', body: { username: `new-a-${++n}`, password: 'long-password-123', role: 'analyst', agencies: ['so-a'] } }, other: { url: '/api/users', body: { username: `new-x-${++n}`, password: 'long-password-123', role: 'analyst', agencies: ['so-b'] }, status: [403] } }),
  'PATCH /api/users/:username': () => ({ own: { url: '/api/users/viewer-a', body: { disabled: false } }, other: { url: '/api/users/analyst-bbbb', body: { disabled: false }, status: [404] } }),
  'GET /api/audit': () => ({ own: { url: '/api/audit' }, seen: true }),
  'GET /api/audit/export': () => ({ own: { url: '/api/audit/export?format=json' }, seen: true }),
  'GET /api/audit/verify': () => ({ own: { url: '/api/audit/verify' } }),
  // threat intelligence (intelroutes.ts); the blocklist feed itself is public and checks its own token
  'GET /api/iocs': () => ({ own: { url: '/api/iocs?q=203&type=ipv4' } }),
  'POST /api/iocs/import': () => ({ own: { url: '/api/iocs/import', body: { format: 'csv', content: 'type,value\nipv4,203.0.113.201\n', tenant: 'so-a' } }, other: { url: '/api/iocs/import', body: { format: 'csv', content: '203.0.113.202\n', tenant: 'so-b' }, status: [404] } }),
  'GET /api/intel/hosts': () => ({ own: { url: '/api/intel/hosts' } }),
  'GET /api/intel/feeds': () => ({ own: { url: '/api/intel/feeds' } }),
  ...CASE_SAMPLES,
  ...VULN_SAMPLES,
  ...REPORT_SAMPLES,
  ...PERIODIC_SAMPLES,
  ...SHARING_SAMPLES,
  'POST /api/blocklists/:agency': () => ({ own: { url: '/api/blocklists/so-a', body: { value: '203.0.113.203', reason: 'matrix' } }, other: { url: '/api/blocklists/so-b', body: { value: '203.0.113.204', reason: 'x' }, status: [404] } }),
};

