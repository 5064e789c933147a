/**
 * The WebSocket matrix: every role × provincial / scoped to so-a × session / API token opens
 * /ws, incidents of so-a and so-b are published, and each socket receives exactly the
 * incidents of the agencies its user sees (a viewer without an agency none); a user's new
 * scope applies to the open socket at once.
 */
import { ROLES, type Role } from '../../core/model';
import { createToken } from '../../core/tokens';
import { startConsole, until, type ConsoleFixture, type Watcher } from './console-fixture';

const USERS: [string, Role, string[]][] = ROLES.flatMap((r) => [[`${r}-prov`, r, []], [`${r}-a`, r, ['so-a']]] as [string, Role, string[]][]);
let c: ConsoleFixture;
beforeAll(async () => {
  c = await startConsole({ users: USERS });
});
afterAll(() => c.close());

const expected = (agencies: string[], role: Role) => (agencies.length ? ['inc-a'] : role === 'viewer' ? [] : ['inc-a', 'inc-b']);

test('each socket gets the incidents of its agencies only, by session and by API token', async () => {
  const sockets: { who: string; via: string; w: Watcher; want: string[] }[] = [];
  for (const [username, role, agencies] of USERS) {
    sockets.push({ who: username, via: 'session', w: await c.watch({ session: await c.session(username) }), want: expected(agencies, role) });
    sockets.push({ who: username, via: 'token', w: await c.watch({ token: (await createToken(c.store, 'api', username)).secret }), want: expected(agencies, role) });
  }
  await c.publishIncident('inc-b', 'so-b');
  await c.publishIncident('inc-a', 'so-a');
  await c.publishIncident('inc-last', 'so-a'); // every socket but the scope-less viewer's sees it: once it has, nothing earlier is still on its way
  await until('every socket that sees so-a got the last incident', () => sockets.every((s) => !s.want.length || s.w.incidents.includes('inc-last')));
  const got = sockets.map((s) => ({ who: `${s.who} (${s.via})`, incidents: s.w.incidents.filter((i) => i !== 'inc-last').sort() }));
  expect(got).toEqual(sockets.map((s) => ({ who: `${s.who} (${s.via})`, incidents: s.want })));
});

test("a provincial analyst scoped to so-a while its socket is open stops receiving so-b's incidents at once", async () => {
  const admin = await c.session('admin-prov');
  const w = await c.watch({ session: await c.session('analyst-prov') });
  expect((await c.as(admin, 'PATCH', '/api/users/analyst-prov', { agencies: ['so-a'] })).status).toBe(200);
  await until('the access message', () => w.messages.some((m) => m.type === 'access'));
  expect(w.messages.find((m) => m.type === 'access')).toMatchObject({ agencies: ['so-a'] });
  await c.publishIncident('inc-b2', 'so-b');
  await c.publishIncident('inc-a2', 'so-a');
  await until('the so-a incident', () => w.incidents.includes('inc-a2'));
  expect(w.incidents).toEqual(['inc-a2']);
});
