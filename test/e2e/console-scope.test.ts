/**
 * Agency scope for every role (#11 H5): an analyst, responder, auditor or admin scoped to an
 * agency sees only that agency's events, incidents, alerts and WebSocket notices, whether the
 * scope was given in the console or with `canhgac user add --agency`.
 */
import type { EcsEvent } from '../../core/event';
import type { Alert } from '../../core/model';
import { createSqliteStore } from '../../core/store/sqlite';
import path from 'node:path';
import { cli, tempDataDir } from '../helpers/canhgac';
import { incident, PASSWORD, startConsole, until, type ConsoleFixture, type Session } from './console-fixture';

let c: ConsoleFixture;
let admin: Session;

const event = (tenant: string, i: number) =>
  ({ '@timestamp': new Date(Date.now() - i * 1000).toISOString(), organization: { id: tenant }, event: { id: `${tenant}-ev-${i}`, kind: 'event' }, host: { name: `host-${tenant}` }, message: `line ${i}` }) as EcsEvent;
const alert = (id: string, tenant: string): Alert => {
  const now = new Date().toISOString();
  return { id, '@timestamp': now, created: now, tenant, rule: { id: 'r', title: 'r', level: 'high', tags: [], references: [] }, kind: 'rule', severity: 'high', groupKey: 'g', groupBy: null, eventIds: [], summary: {}, incidentId: `inc-${tenant}` };
};
const tenantsOf = (items: { tenant?: string; organization?: { id: string } }[]) => [...new Set(items.map((i) => i.tenant ?? i.organization?.id))].sort();

beforeAll(async () => {
  c = await startConsole({ users: [['admin', 'admin', []]] });
  await c.store.putEvents([event('so-a', 1), event('so-a', 2), event('so-b', 1)]);
  await c.store.saveIncident(incident('inc-so-a', 'so-a'), null);
  await c.store.saveIncident(incident('inc-so-b', 'so-b'), null);
  await c.store.putAlerts([alert('al-a', 'so-a'), alert('al-b', 'so-b')]);
  admin = await c.session('admin');
});
afterAll(() => c?.close());

test('an analyst scoped to one agency sees only its events, incidents, alerts and WebSocket notices', async () => {
  const created = await c.as(admin, 'POST', '/api/users', { username: 'lan', password: PASSWORD, role: 'analyst', agencies: ['so-a'] });
  expect(created.body).toEqual({ username: 'lan', role: 'analyst', agencies: ['so-a'], disabled: false });
  const lan = await c.session('lan');
  expect((await c.as(lan, 'GET', '/api/auth/me')).body).toMatchObject({ role: 'analyst', agencies: ['so-a'] });
  expect(tenantsOf((await c.as(lan, 'GET', '/api/events?limit=100')).body.items)).toEqual(['so-a']);
  expect(tenantsOf((await c.as(lan, 'GET', '/api/incidents')).body.items)).toEqual(['so-a']);
  expect(tenantsOf((await c.as(lan, 'GET', '/api/alerts')).body.items)).toEqual(['so-a']);
  expect((await c.as(lan, 'GET', '/api/incidents/inc-so-b')).status).toBe(404);
  expect((await c.as(lan, 'POST', '/api/incidents/inc-so-b/actions', { action: 'comment', comment: 'not mine' })).status).toBe(404);
  expect((await c.as(lan, 'GET', '/api/dashboard?range=1h')).body.eventsByAgency.map((b: { value: string }) => b.value)).toEqual(['so-a']);
  // the admin, unscoped, still sees both: the dashboard cache does not mix the two scopes
  expect(tenantsOf((await c.as(admin, 'GET', '/api/events?limit=100')).body.items)).toEqual(['so-a', 'so-b']);
  expect((await c.as(admin, 'GET', '/api/dashboard?range=1h')).body.eventsByAgency.map((b: { value: string }) => b.value).sort()).toEqual(['so-a', 'so-b']);

  const w = await c.watch({ session: lan });
  const all = await c.watch({ session: admin });
  await c.publishIncident('inc-so-b', 'so-b');
  await c.publishIncident('inc-so-a', 'so-a');
  await until('both notices at the admin', () => all.incidents.length >= 2);
  await until('the so-a notice at lan', () => w.incidents.length >= 1);
  expect(w.incidents).toEqual(['inc-so-a']);
});

test('PATCH /api/users changes the scope of any role, and [] makes a SOC role see every agency', async () => {
  await c.as(admin, 'POST', '/api/users', { username: 'minh', password: PASSWORD, role: 'responder' });
  const minh = await c.session('minh');
  expect(tenantsOf((await c.as(minh, 'GET', '/api/incidents')).body.items)).toEqual(['so-a', 'so-b']);
  expect((await c.as(admin, 'PATCH', '/api/users/minh', { agencies: ['so-b'] })).body).toMatchObject({ role: 'responder', agencies: ['so-b'] });
  expect(tenantsOf((await c.as(minh, 'GET', '/api/incidents')).body.items)).toEqual(['so-b']);
  expect((await c.as(admin, 'PATCH', '/api/users/minh', { role: 'auditor' })).body).toMatchObject({ role: 'auditor', agencies: ['so-b'] });
  expect(tenantsOf((await c.as(minh, 'GET', '/api/alerts')).body.items)).toEqual(['so-b']);
  expect((await c.as(admin, 'PATCH', '/api/users/minh', { agencies: ['so-x'] })).body.error).toMatch(/body\/agencies: no agency "so-x"/);
  await c.as(admin, 'PATCH', '/api/users/minh', { agencies: [] });
  expect(tenantsOf((await c.as(minh, 'GET', '/api/alerts')).body.items)).toEqual(['so-a', 'so-b']);
  expect((await c.as(admin, 'PATCH', '/api/users/minh', { role: 'viewer', agencies: [] })).body.error).toMatch(/an agency viewer needs at least one agency/);
});

test('canhgac user add --role analyst --agency so-yte stores the scope', async () => {
  const dir = tempDataDir();
  expect(cli(dir, ['tenant', 'add', 'so-yte', '--name', 'Sở Y tế']).code).toBe(0);
  const added = cli(dir, ['user', 'add', 'lan', '--role', 'analyst', '--agency', 'so-yte'], 'lan-password-123\n');
  expect([added.code, added.stdout.trim()]).toEqual([0, 'user lan (analyst of so-yte) created']);
  expect(cli(dir, ['user', 'add', 'hoa', '--role', 'admin'], 'hoa-password-123\n').code).toBe(0);
  const store = createSqliteStore({ path: path.join(dir, 'canhgac.db') });
  try {
    expect((await store.getUser('lan'))?.agencies).toEqual(['so-yte']);
    expect((await store.getUser('hoa'))?.agencies).toEqual([]);
  } finally {
    await store.close();
  }
});
