/**
 * The embedded pipeline end to end, on the real binary: real syslog clients (util-linux
 * `logger`) → collector → correlator → incident → WebSocket, and the events through the API.
 */
import net from 'node:net';
import { ApiClient, cli, sh, startCanhgac, waitFor, type Running } from '../helpers/canhgac';

const BRUTE_FORCE = 'f7ec3089-33cd-4c21-8fb9-db54507dc7aa';

interface Incident {
  id: string;
  tenant: string;
  rule: { id: string; title: string; author?: string };
  rules?: { id: string }[];
  count: number;
  severity: string;
  status: string;
  summary: { source_ip?: string; host?: string };
}

let canhgac: Running;
let api: ApiClient;

beforeAll(async () => {
  canhgac = await startCanhgac();
  api = await ApiClient.login(canhgac.consoleUrl);
});

afterAll(async () => {
  await canhgac?.stop();
});

test('failed SSH logins sent with logger over TCP and UDP open one brute-force incident, pushed live, with the events searchable', async () => {
  const { ws, messages } = await api.socket();
  const attacker = '203.0.113.77';
  for (let i = 0; i < 3; i++) sh('logger', ['--tcp', '-P', String(canhgac.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', `Failed password for root from ${attacker} port ${40000 + i} ssh2`]);
  for (let i = 3; i < 6; i++) sh('logger', ['--udp', '-P', String(canhgac.syslogUdpPort), '-n', '127.0.0.1', '-t', 'sshd', `Failed password for invalid user admin${i} from ${attacker} port ${40000 + i} ssh2`]);

  const pushed = await waitFor('the brute-force incident over the WebSocket', () =>
    // the attacker's incident opens with its first alert (a failed root login) and the brute force joins it
    messages.find((m) => /^incident\.(created|updated)$/.test(String(m.type)) && !!(m.incident as Incident).rules?.some((r) => r.id === BRUTE_FORCE) && (m.incident as Incident).summary.source_ip === attacker),
  );
  const inc = pushed.incident as Incident;
  expect(inc.severity).toBe('high');
  expect(inc.tenant).toBe('default');
  expect(inc.rule.author).toBe('canhgac');

  // further attempts raise the count of the same incident instead of opening new ones
  for (let i = 6; i < 11; i++) sh('logger', ['--tcp', '-P', String(canhgac.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', `Failed password for root from ${attacker} port ${40000 + i} ssh2`]);
  await waitFor('the incident count to grow', async () => {
    const res = await api.get<{ items: Incident[] }>('/api/incidents?status=open&limit=100');
    const same = res.body.items.filter((i) => i.summary.source_ip === attacker);
    return same.length === 1 && same[0].count >= 2;
  });

  const events = await waitFor('the events in /api/events', async () => {
    const res = await api.get<{ items: { source: { ip: string }; user: { name: string }; event: { outcome: string; category: string[] }; organization: { id: string } }[]; total: number }>(
      `/api/events?q=${encodeURIComponent(`source.ip:${attacker}`)}&limit=100`,
    );
    return res.body.total >= 11 ? res.body : null;
  });
  expect(events.items.every((e) => e.event.outcome === 'failure' && e.event.category.includes('authentication'))).toBe(true);
  expect(new Set(events.items.map((e) => e.user.name))).toEqual(new Set(['root', 'admin3', 'admin4', 'admin5']));
  ws.close();
});

test('RFC 3164 and RFC 5424 with octet counting both parse', async () => {
  sh('logger', ['--tcp', '--rfc3164', '-P', String(canhgac.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', 'Accepted publickey for deploy3164 from 192.0.2.10 port 50000 ssh2']);
  sh('logger', ['--tcp', '--octet-count', '--rfc5424', '-P', String(canhgac.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', 'Accepted password for deploy5424 from 192.0.2.11 port 50001 ssh2']);
  for (const [user, ip] of [
    ['deploy3164', '192.0.2.10'],
    ['deploy5424', '192.0.2.11'],
  ]) {
    const res = await waitFor(`the accepted login of ${user}`, async () => {
      const r = await api.get<{ items: { source: { ip: string }; event: { outcome: string; category: string[] } }[] }>(`/api/events?q=${encodeURIComponent(`user.name:${user}`)}`);
      return r.body.items.length ? r.body.items : null;
    });
    expect(res[0].source.ip).toBe(ip);
    expect(res[0].event.outcome).toBe('success');
  }
});

test('an agency token tags events with that agency, whatever the payload claims', async () => {
  const r = cli(canhgac.dataDir, ['tenant', 'add', 'so-yte', '--name', 'Sở Y tế']);
  expect(r.code).toBe(0);
  const token = /ingest token \(shown once\): (\S+)/.exec(r.stdout)![1];
  const body = [
    JSON.stringify({ message: '<38>Nov 28 10:00:00 his-db sshd[77]: Failed password for postgres from 198.51.100.9 port 5555 ssh2', organization: { id: 'someone-else' } }),
    JSON.stringify({ '@timestamp': '2026-11-28T03:00:00Z', message: 'app started', host: { hostname: 'his-app' } }),
  ].join('\n');
  const res = await fetch(canhgac.ingestUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body });
  expect(res.status).toBe(202);
  expect(((await res.json()) as { accepted: number }).accepted).toBe(2);
  const found = await waitFor('the ingested events', async () => {
    const p = await api.get<{ items: { organization: { id: string }; user?: { name: string }; source?: { ip: string } }[] }>(`/api/events?q=${encodeURIComponent('organization.id:so-yte')}`);
    return p.body.items.length === 2 ? p.body.items : null;
  });
  expect(found.every((e) => e.organization.id === 'so-yte')).toBe(true);
  const parsed = found.find((e) => e.user?.name === 'postgres');
  expect(parsed?.source?.ip).toBe('198.51.100.9');

  const denied = await fetch(canhgac.ingestUrl, { method: 'POST', headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' }, body: '{}' });
  expect(denied.status).toBe(401);
});

test('bad input is rejected or dead-lettered with a reason, counted, and the listeners keep serving', async () => {
  const max = 64 * 1024;
  const sock = net.connect(canhgac.syslogTcpPort, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  // a half-open connection: a partial line and then silence; it must not block anyone
  const halfOpen = net.connect(canhgac.syslogTcpPort, '127.0.0.1');
  await new Promise((r) => halfOpen.once('connect', r));
  halfOpen.write('<38>Nov 28 10:00:00 h sshd[1]: partial line without end');

  sock.write('<38>Nov 28 10:00:00 big sshd[1]: ' + 'A'.repeat(max + 5000) + '\n');
  sock.write(Buffer.concat([Buffer.from('<38>Nov 28 10:00:00 utf8host sshd[2]: Failed password for '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' from 192.0.2.99 port 1 ssh2\n')]));
  sock.write(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0x00, 0x10, 0x0a]));
  sock.write('<38>Nov 28 10:00:00 afterbad sshd[3]: Accepted password for survivor from 192.0.2.100 port 2 ssh2\n');
  sock.end();

  const token = /ingest token \(shown once\): (\S+)/.exec(cli(canhgac.dataDir, ['tenant', 'add', 'so-gd', '--name', 'Sở Giáo dục']).stdout)![1];
  const bad = await fetch(canhgac.ingestUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"message": "unterminated' });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: string }).error).toMatch(/malformed JSON/);
  const mixed = await fetch(canhgac.ingestUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body: '{"message":"good one"}\nnot json at all\n{"message":"good two"}\n' });
  expect(mixed.status).toBe(202);
  expect(await mixed.json()).toMatchObject({ accepted: 2, rejected: 1, errors: [{ line: 2 }] });

  // the line after the bad ones arrived
  await waitFor('the line sent after the bad ones', async () => (await api.get<{ total: number }>(`/api/events?q=${encodeURIComponent('user.name:survivor')}`)).body.total === 1);
  // invalid UTF-8 is kept as an event, marked, not lost
  const utf8 = await waitFor('the invalid UTF-8 line', async () => {
    const r = await api.get<{ items: { tags?: string[]; event: { original: string } }[] }>(`/api/events?q=${encodeURIComponent('host.hostname:utf8host')}`);
    return r.body.items[0];
  });
  expect(utf8.tags).toContain('invalid_utf8');

  const dead = await waitFor('the dead letters', async () => {
    const r = await api.get<{ items: { reason: string; listener: string; size: number }[] }>('/api/dead-letters?limit=100');
    const reasons = r.body.items.map((d) => d.reason).join('\n');
    return /exceeds collector\.max_message_bytes/.test(reasons) && /binary data/.test(reasons) && /malformed JSON/.test(reasons) && /NDJSON line 2/.test(reasons) ? r.body.items : null;
  });
  expect(dead.find((d) => /exceeds/.test(d.reason))!.size).toBeGreaterThan(max);

  const stats = await waitFor('counters', async () => {
    const s = await api.get<{ listeners: Record<string, { failed: number; received: number }> }>('/api/collector/stats');
    return s.body.listeners['syslog-tcp']?.failed >= 2 && s.body.listeners.http?.failed >= 2 ? s.body : null;
  });
  expect(stats.listeners['syslog-tcp'].received).toBeGreaterThan(stats.listeners['syslog-tcp'].failed);

  // and a fresh client is still served while the half-open connection sits there
  sh('logger', ['--tcp', '-P', String(canhgac.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', 'Accepted password for stillserved from 192.0.2.101 port 3 ssh2']);
  await waitFor('a new client after the half-open one', async () => (await api.get<{ total: number }>(`/api/events?q=${encodeURIComponent('user.name:stillserved')}`)).body.total === 1);
  halfOpen.destroy();
});

test('no API route but health and login answers without a session or token, and the WebSocket refuses an anonymous upgrade', async () => {
  const base = canhgac.consoleUrl;
  expect(await (await fetch(`${base}/api/health`)).json()).toEqual({ status: 'ok' });
  for (const p of ['/api/incidents', '/api/events', '/api/events/histogram', '/api/events/top?field=source.ip', '/api/collector/stats', '/api/rules', '/api/dead-letters', '/api/audit', '/api/tenants', '/api/users', '/api/auth/me', '/api/incidents/X']) {
    const res = await fetch(base + p);
    expect([p, res.status]).toEqual([p, 401]);
  }
  const post = await fetch(`${base}/api/incidents/X/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"comment","comment":"x"}' });
  expect(post.status).toBe(401);
  await expect(new ApiClient(base).socket()).rejects.toThrow(/401/);
  await expect(new ApiClient(base, 'cga_not-a-token').socket()).rejects.toThrow(/401/);

  const wrong = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'nope' }) });
  expect(wrong.status).toBe(401);

  // a session cookie without the CSRF header cannot change anything
  const noCsrf = await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { cookie: api.cookie } });
  expect(noCsrf.status).toBe(403);

  // an API token from the CLI works for scripts
  const t = cli(canhgac.dataDir, ['token', 'create', '--user', 'admin']);
  expect(t.code).toBe(0);
  const viaToken = new ApiClient(base, t.stdout.trim());
  expect((await viaToken.get('/api/incidents')).status).toBe(200);
});
