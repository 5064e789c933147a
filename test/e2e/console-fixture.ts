/**
 * A running console (fastify + WebSocket push) on a real SQLite store and embedded bus, for
 * the console-*.test.ts suites: requests and WebSockets go over real sockets on 127.0.0.0/8
 * (the raw paths and source addresses some tests need); route tests without a socket use
 * app.inject() with console/server/testkit.ts.
 */
import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { TOPICS, type Bus } from '../../core/bus/bus';
import { createEmbeddedBus } from '../../core/bus/embedded';
import { createLogger } from '../../core/log';
import type { Incident, Role } from '../../core/model';
import { createSqliteStore } from '../../core/store/sqlite';
import type { Store } from '../../core/store/store';
import { buildConsole, type ConsoleOptions } from '../../console/server/app';
import { hashPassword } from '../../console/server/auth';
import { attachPush, type PushHub } from '../../console/server/push';

export const PASSWORD = 'fixture-password-123';

export interface Answer {
  status: number;
  body: Record<string, any>;
  text: string;
  headers: Record<string, string>;
}

export interface Session {
  cookie: string; // "canhgac_session=…"
  csrf: string;
}

export interface Watcher {
  ws: WebSocket;
  incidents: string[];
  messages: Record<string, unknown>[];
  closed: Promise<{ code: number; reason: string }>;
}

export interface ConsoleFixture {
  dir: string;
  dbPath: string;
  store: Store;
  bus: Bus;
  app: FastifyInstance;
  push: PushHub;
  base: string;
  raw(method: string, url: string, opts?: { headers?: Record<string, string>; body?: unknown; from?: string }): Promise<Answer>;
  login(username: string, extra?: Record<string, unknown>, from?: string): Promise<Answer>;
  session(username: string, extra?: Record<string, unknown>): Promise<Session>;
  as(s: Session | null, method: string, url: string, body?: unknown): Promise<Answer>;
  watch(credential: { session?: Session; token?: string }): Promise<Watcher>;
  publishIncident(id: string, tenant: string): Promise<void>;
  /** Stops the console and its push hub, keeping the store open to look at what they left. */
  stopConsole(): Promise<void>;
  close(): Promise<void>;
}

export function sessionIdOf(s: Session): string {
  return createHash('sha256').update(s.cookie.split('=')[1]).digest('hex');
}

export function incident(id: string, tenant: string): Incident {
  const now = new Date().toISOString();
  return {
    id, tenant, rule: { id: 'rule-ssh-bf', title: 'SSH Brute Force', level: 'high', tags: [], references: [] }, severity: 'high', status: 'new', groupKey: id,
    title: 'SSH Brute Force', summary: { host: `host-${tenant}` }, count: 1, first_seen: now, last_seen: now, created: now, updated: now, assignee: null, resolution: null, version: 1,
  };
}

/** How the socket was closed, or "still open" after a generous time. */
export async function closeOf(w: Watcher, timeoutMs = 20000): Promise<{ code: number; reason: string } | 'still open'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still open'>((r) => (timer = setTimeout(() => r('still open'), timeoutMs)));
  try {
    return await Promise.race([w.closed, late]);
  } finally {
    clearTimeout(timer);
  }
}

export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startConsole(opts: {
  users: [string, Role, string[]][];
  tenants?: string[];
  console?: Partial<ConsoleOptions>;
  revalidateSeconds?: number;
}): Promise<ConsoleFixture> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-console-'));
  const dbPath = path.join(dir, 'canhgac.db'); // where the CLI finds it with CANHGAC_DATA_DIR=dir
  const store = createSqliteStore({ path: dbPath });
  const bus = createEmbeddedBus({ dir: path.join(dir, 'bus') });
  const logger = createLogger({ level: 'silent' });
  for (const id of opts.tenants ?? ['so-a', 'so-b']) await store.putTenant({ id, name: id, created: new Date().toISOString() });
  const hash = await hashPassword(PASSWORD);
  for (const [username, role, agencies] of opts.users) await store.putUser({ username, role, agencies, passwordHash: hash, created: new Date().toISOString() });
  const app = await buildConsole({ store, bus, logger, sessionHours: 1, secureCookies: false, dataDir: dir, ...opts.console });
  const push = await attachPush(app.server as Server, { store, bus, logger, revalidateSeconds: opts.revalidateSeconds });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const sockets: WebSocket[] = [];

  const raw: ConsoleFixture['raw'] = async (method, url, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await new Promise<{ status: number; text: string; headers: Record<string, string> }>((resolve, reject) => {
      // a raw path (http.request would not normalize "/%61pi" or "//api", which is the point of some tests)
      const r = http.request({ host: '127.0.0.1', port: Number(new URL(base).port), path: url, method, headers, localAddress: o.from, agent: false }, (m) => {
        const chunks: Buffer[] = [];
        m.on('data', (c: Buffer) => chunks.push(c));
        m.on('end', () => resolve({ status: m.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: m.headers as Record<string, string> }));
      });
      r.on('error', reject);
      r.end(payload);
    });
    let body: Record<string, any> = {};
    try {
      body = JSON.parse(res.text);
    } catch {
      body = {};
    }
    return { ...res, body };
  };
  const login: ConsoleFixture['login'] = (username, extra = {}, from = '127.0.0.1') => raw('POST', '/api/auth/login', { body: { username, password: PASSWORD, ...extra }, from });
  const session: ConsoleFixture['session'] = async (username, extra) => {
    const res = await login(username, extra);
    if (res.status !== 200) throw new Error(`login of ${username}: ${res.status} ${res.text}`);
    return { cookie: String(res.headers['set-cookie']).split(';')[0], csrf: res.body.csrf };
  };
  const as: ConsoleFixture['as'] = (s, method, url, body) => {
    const headers: Record<string, string> = {};
    if (s) headers.cookie = s.cookie;
    if (s && method !== 'GET') headers['x-csrf-token'] = s.csrf;
    return raw(method, url, { headers, body });
  };
  const watch: ConsoleFixture['watch'] = async (cred) => {
    const headers: Record<string, string> = {};
    if (cred.session) headers.cookie = cred.session.cookie;
    if (cred.token) headers.authorization = `Bearer ${cred.token}`;
    const ws = new WebSocket(base.replace('http', 'ws') + '/ws', { headers });
    sockets.push(ws);
    const w: Watcher = {
      ws,
      incidents: [],
      messages: [],
      closed: new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }))),
    };
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { incident?: Incident };
      w.messages.push(m);
      if (m.incident) w.incidents.push(m.incident.id);
    });
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    await until('the hello message', () => w.messages.length > 0);
    return w;
  };
  let stopped: Promise<void> | null = null;
  const stopConsole = () => (stopped ??= (async () => {
    for (const ws of sockets) ws.terminate();
    await push.close();
    await app.close();
  })());
  return {
    dir, dbPath, store, bus, app, push, base, raw, login, session, as, watch, stopConsole,
    publishIncident: (id, tenant) => bus.publish(TOPICS.incidents, [{ key: id, value: { type: 'incident.updated', incident: incident(id, tenant) } }]),
    async close() {
      await stopConsole();
      await bus.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
