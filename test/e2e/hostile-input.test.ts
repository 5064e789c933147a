/**
 * The review's critical findings (issue #11), replayed against the real binary: what an
 * unauthenticated sender or an agency token could do to the whole center, and what must
 * hold afterwards for everyone else — logins, storage, detection, searches.
 */
import dgram from 'node:dgram';
import zlib from 'node:zlib';
import { ApiClient, cli, sh, startCanhgac, waitFor, type Running } from '../helpers/canhgac';

const BRUTE_FORCE = 'f7ec3089-33cd-4c21-8fb9-db54507dc7aa';

let canhgac: Running;
let api: ApiClient;
let token: string;

beforeAll(async () => {
  canhgac = await startCanhgac();
  token = /ingest token \(shown once\): (\S+)/.exec(cli(canhgac.dataDir, ['tenant', 'add', 'so-a', '--name', 'Sở A']).stdout)![1];
  api = await ApiClient.login(canhgac.consoleUrl);
}, 60000);

afterAll(async () => {
  await canhgac?.stop();
});

async function udp(port: number, lines: string[]): Promise<void> {
  const sock = dgram.createSocket('udp4');
  for (const l of lines) await new Promise<void>((resolve, reject) => sock.send(Buffer.from(l), port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  sock.close();
}

const ingest = (body: Buffer | string, headers: Record<string, string> = {}) =>
  fetch(canhgac.ingestUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body });

const bruteForce = (attacker: string) => {
  for (let i = 0; i < 6; i++) sh('logger', ['--tcp', '-P', String(canhgac.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', `Failed password for root from ${attacker} port ${41000 + i} ssh2`]);
};

async function incidentFor(attacker: string) {
  return waitFor(`the brute-force incident from ${attacker}`, async () => {
    const res = await api.get<{ items: { rule: { id: string }; rules?: { id: string }[]; summary: { source_ip?: string } }[] }>('/api/incidents?status=open&limit=200');
    return res.body.items.find((i) => (i.rules ?? [i.rule]).some((r) => r.id === BRUTE_FORCE) && i.summary.source_ip === attacker);
  }, 30000);
}

test('C1: __proto__ keys in one unauthenticated datagram pollute nothing: logins, tokens and detection keep working', async () => {
  const pollution = [
    '<134>Dec  3 10:00:00 web1 app: {"__proto__":{"disabled":true,"format":"x"},"a":{"__proto__":{"disabled":true}}}',
    '<134>Dec  3 10:00:00 web1 app: {"constructor":{"prototype":{"disabled":true,"format":"x"}},"__proto__.disabled":true,"constructor.prototype.format":"x"}',
    // a local user runs sudo from a directory whose name reads as more KEY=value pairs
    '<86>Dec  3 10:00:01 web1 sudo:   lan : TTY=pts/0 ; PWD=/tmp/x ; __proto__.disabled=1 ; __proto__.format=x ; constructor.prototype.disabled=1 ; USER=root ; COMMAND=/bin/ls',
    // JSON whose message is itself JSON, merged into the envelope
    `<134>Dec  3 10:00:00 web1 app: ${JSON.stringify({ host: { name: 'web1' }, message: '{"__proto__":{"disabled":true,"format":"x"}}' })}`,
  ];
  await udp(canhgac.syslogUdpPort, pollution);
  await ingest(JSON.stringify({ message: 'hello', nested: JSON.parse('{"__proto__":{"disabled":true}}') }));
  await ingest(JSON.stringify({ message: 'sudo:   lan : TTY=pts/0 ; PWD=/tmp/y ; __proto__.disabled=1 ; USER=root ; COMMAND=/bin/id' }));
  await waitFor('the hostile lines to be stored', async () => (await api.get<{ total: number }>('/api/events?q=web1&limit=1')).body.total >= 2);

  // a new login, an existing session and an ingest token are all still honoured
  const fresh = await ApiClient.login(canhgac.consoleUrl);
  expect((await fresh.get('/api/auth/me')).status).toBe(200);
  expect((await api.get('/api/incidents?limit=1')).status).toBe(200);
  expect((await ingest(JSON.stringify({ message: 'after the attack' }))).status).toBe(202);
  // and the next events are still parsed and detected
  bruteForce('198.51.100.31');
  await incidentFor('198.51.100.31');
}, 90000);

test('C2/H3: deeply nested events neither stop storage for other senders nor break searches, dashboard and sources', async () => {
  const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  await udp(canhgac.syslogUdpPort, Array.from({ length: 10 }, () => `<134>Dec  3 10:00:02 web2 app: ${deep(3000)}`));
  expect((await ingest(deep(5000))).status).toBeLessThan(500);
  expect((await ingest(`[${deep(100000)}]`)).status).toBeLessThan(500);

  bruteForce('198.51.100.32');
  await incidentFor('198.51.100.32');
  await waitFor('the brute force events stored', async () => (await api.get<{ total: number }>('/api/events?q=source.ip:198.51.100.32&limit=1')).body.total >= 6);
  for (const p of ['/api/events?q=host.hostname:web2&limit=5', '/api/events/top?field=host.hostname', '/api/events/histogram', '/api/dashboard', '/api/sources', '/api/fields'])
    expect([p, (await api.get(p)).status]).toEqual([p, 200]);
}, 90000);

test('C3: a gzip bomb or a truncated gzip body gets a 4xx and the process keeps serving', async () => {
  const bomb = zlib.gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20), { level: 9 }); // ~200 KB that inflates to 200 MB
  const bombed = await ingest(bomb, { 'content-encoding': 'gzip' });
  expect([400, 413]).toContain(bombed.status);
  const full = zlib.gzipSync(JSON.stringify([{ message: 'one' }, { message: 'two' }]));
  const truncated = await ingest(full.subarray(0, full.length - 8), { 'content-encoding': 'gzip' });
  expect(truncated.status).toBe(400);
  const garbage = await ingest(Buffer.from('this is not gzip at all'), { 'content-encoding': 'gzip' });
  expect(garbage.status).toBe(400);
  expect(canhgac.proc.exitCode).toBeNull();
  expect((await ingest(full, { 'content-encoding': 'gzip' })).status).toBe(202);
  expect((await fetch(`${canhgac.consoleUrl}/api/health`)).status).toBe(200);
}, 60000);

test('a percent-encoded path does not get around authentication or CSRF', async () => {
  const noCsrf = { cookie: api.cookie, 'content-type': 'application/json' };
  for (const p of ['/%61pi/auth/logout', '/api/auth/%6cogout', '/API/auth/logout', '//api/auth/logout', '/api/auth/logout/']) {
    const res = await fetch(canhgac.consoleUrl + p, { method: 'POST', headers: noCsrf, body: '{}' });
    expect([p, res.status >= 400]).toEqual([p, true]);
  }
  expect((await api.get('/api/auth/me')).status).toBe(200); // the session was not logged out
  for (const p of ['/%61pi/incidents', '/api/%69ncidents', '/api/events%3Fq=x']) {
    const res = await fetch(canhgac.consoleUrl + p);
    expect([p, [401, 403, 404]]).toEqual([p, expect.arrayContaining([res.status])]);
  }
}, 30000);
