/**
 * The listeners of the real binary under the review's attacks (issue #11): an idle-connection
 * flood (H7) does not shut `logger --tcp` out, and a gzip bomb or a truncated gzip body (C3)
 * gets an answer instead of killing the process.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ApiClient, cli, sh, startCanhgac, tempDataDir, waitFor, type Running } from '../helpers/canhgac';

let canhgac: Running;
let api: ApiClient;
const hogs: net.Socket[] = [];

beforeAll(async () => {
  const dataDir = tempDataDir();
  fs.writeFileSync(path.join(dataDir, 'canhgac.yml'), 'collector:\n  connections:\n    max_per_address: 50\n    max_total: 1000\n    reserve: 10\n  http:\n    max_body_bytes: 1048576\n');
  canhgac = await startCanhgac({ dataDir });
  api = await ApiClient.login(canhgac.consoleUrl);
});

afterAll(async () => {
  hogs.forEach((s) => s.destroy());
  await canhgac?.stop();
});

const alive = () => expect(canhgac.proc.exitCode).toBeNull();

test('60 idle TCP connections from one address do not shut out a real syslog sender (logger --tcp)', async () => {
  for (let i = 0; i < 60; i++) {
    const s = net.connect({ port: canhgac.syslogTcpPort, host: '127.0.0.1', localAddress: '127.0.0.2' });
    s.on('error', () => undefined);
    s.resume();
    await new Promise((r) => (s.once('connect', r), s.once('close', r)));
    hogs.push(s);
  }
  await waitFor('the 10 over the per-address cap closed by canhgac', () => hogs.filter((s) => s.destroyed).length === 10);
  sh('logger', ['--tcp', '-P', String(canhgac.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', 'Failed password for flood-survivor from 203.0.113.70 port 4242 ssh2']);
  await waitFor('the logger line among the events', async () => (await api.get<{ total: number }>(`/api/events?q=${encodeURIComponent('user.name:flood-survivor')}`)).body.total === 1);
  alive();
});

test('a gzip bomb and a truncated gzip body to HTTP ingest are answered 413 and 400, and the next request is accepted', async () => {
  const token = /ingest token \(shown once\): (\S+)/.exec(cli(canhgac.dataDir, ['tenant', 'add', 'so-bomb', '--name', 'Bomb test']).stdout)![1];
  const post = (body: Buffer | string, headers: Record<string, string> = {}) =>
    fetch(canhgac.ingestUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body });
  const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20));
  const big = await post(bomb, { 'content-encoding': 'gzip' });
  expect(big.status).toBe(413);
  expect(((await big.json()) as { error: string }).error).toMatch(/inflates beyond 1048576 bytes/);
  const whole = gzipSync(JSON.stringify({ message: 'cut short' }));
  const cut = await post(whole.subarray(0, whole.length - 8), { 'content-encoding': 'gzip' });
  expect(cut.status).toBe(400);
  expect(((await cut.json()) as { error: string }).error).toMatch(/truncated/);
  alive();
  const ok = await post(JSON.stringify({ message: 'Failed password for after-bomb from 203.0.113.71 port 1 ssh2' }));
  expect(ok.status).toBe(202);
  alive();
});
