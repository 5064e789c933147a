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
  await store.putRuleSetting({ ruleId: 'rule-x', disabledFor: ['so-b'], exception: null, updated: now(), by: 'admin-prov' });
  const rule = { id: 'rule-x', title: 'SSH Brute Force', level: 'high', tags: ['attack.t1110', 'attack.credential_access'], kind: 'rule' };
  await store.putState('correlator.rules', JSON.stringify({ at: now(), rules: [{ rule, hits: 7, last_hit: now() }], report: [] }));
  const counters = { received: 5, parsed: 5, failed: 0, dropped: 0, last_seen: now() };
  await store.putState('collector.counters.main', JSON.stringify({ at: now(), listeners: { 'udp:bbbb': { received: 2 } }, tenants: { 'so-a': counters, 'so-b': counters }, pending: 0 }));
  await store.appendAudit({ at: now(), actor: 'analyst-bbbb', action: 'events.search', target: null, details: { q: 'bbbb', agencies: ['so-b'] } });
}

export async function startKit(): Promise<Kit> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-kit-'));
  const store = createSqliteStore({ path: path.join(dir, 'canhgac.db') });
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
    const res = await app.inject({ method: method as 'GET', url, headers, ...(body === undefined ? {} : typeof body === 'string' ? { payload: body, headers: { ...headers, 'content-type': 'application/json' } } : { payload: body as object }) });
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
