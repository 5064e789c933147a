/**
 * The console over HTTPS (console.tls): on the real binary with a certificate for 127.0.0.1 from a
 * throwaway CA, a firewall pulls its agency's blocklist feed with curl and the feed token, a wrong
 * token is refused, plain HTTP on the port gets nothing, the session cookie is Secure, and the live
 * push runs over WSS. A certificate without its key stops the start with a message naming the key.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { ADMIN_PASSWORD, BIN, baseEnv, cli, startCanhgac, tempDataDir, type Running } from '../helpers/canhgac';

jest.setTimeout(120_000);

let canhgac: Running;
let pki: { ca: string; cert: string; key: string };

function makePki(dir: string) {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=canhgac test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'console.key', '-out', 'console.csr', '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(path.join(dir, 'console.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'console.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'console.pem', '-days', '2', '-extfile', 'console.ext']);
  return { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'console.pem'), key: path.join(dir, 'console.key') };
}

/** curl against the console, trusting only the test CA; the status code is the last line. */
function curl(args: string[]): { status: number; body: string; headers: string } {
  const r = spawnSync('curl', ['-sS', '--max-time', '20', '--cacert', pki.ca, '-D', '-', '-w', '\n%{http_code}', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`curl ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  const lines = r.stdout.split('\n');
  const status = Number(lines.pop());
  const text = lines.join('\n');
  const split = text.indexOf('\r\n\r\n');
  return { status, headers: text.slice(0, split), body: text.slice(split + 4) };
}

beforeAll(async () => {
  const dataDir = tempDataDir();
  pki = makePki(dataDir);
  canhgac = await startCanhgac({ dataDir, env: { CANHGAC_CONSOLE_TLS_CERT: pki.cert, CANHGAC_CONSOLE_TLS_KEY: pki.key } });
});

afterAll(async () => {
  await canhgac?.stop();
});

test('the banner gives an https:// console address', () => {
  expect(canhgac.consoleUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
});

test('a firewall pulls its agency blocklist over HTTPS with the feed token; a wrong token and plain HTTP get nothing', () => {
  expect(cli(canhgac.dataDir, ['tenant', 'add', 'so-yte', '--name', 'Sở Y tế']).code).toBe(0);
  expect(cli(canhgac.dataDir, ['blocklist', 'add', 'so-yte', '203.0.113.80', '--reason', 'C2 of the outbreak']).code).toBe(0);
  const token = /feed token for so-yte \(shown only now\): (\S+)/.exec(cli(canhgac.dataDir, ['blocklist', 'token', 'so-yte']).stdout)![1];

  const feed = curl(['-H', `Authorization: Bearer ${token}`, `${canhgac.consoleUrl}/api/blocklists/so-yte`]);
  expect(feed.status).toBe(200);
  expect(feed.headers).toMatch(/content-type: text\/plain/i);
  expect(feed.body).toBe('203.0.113.80\n');

  expect(curl(['-H', 'Authorization: Bearer not-the-token', `${canhgac.consoleUrl}/api/blocklists/so-yte`]).status).toBe(401);

  const plain = spawnSync('curl', ['-sS', '--max-time', '10', canhgac.consoleUrl.replace('https://', 'http://') + '/api/blocklists/so-yte?token=' + token], { encoding: 'utf8' });
  expect(plain.stdout).not.toContain('203.0.113.80');
});

test('over HTTPS the session cookie is Secure (secure_cookies left at its default), and the live push runs over WSS', async () => {
  const login = curl(['-H', 'content-type: application/json', '--data', JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }), `${canhgac.consoleUrl}/api/auth/login`]);
  expect(login.status).toBe(200);
  const setCookie = /^set-cookie: (.*)$/im.exec(login.headers)![1];
  expect(setCookie).toMatch(/;\s*Secure/i);
  const cookie = setCookie.split(';')[0];

  const ws = new WebSocket(canhgac.consoleUrl.replace(/^https/, 'wss') + '/ws', { headers: { cookie }, ca: fs.readFileSync(pki.ca) });
  const first = await new Promise<string>((resolve, reject) => {
    ws.once('message', (d) => resolve(String(d)));
    ws.once('error', reject);
    ws.once('close', (code) => reject(new Error(`closed ${code}`)));
  });
  ws.close();
  expect(JSON.parse(first)).toMatchObject({ type: 'hello', user: 'admin' });
});

test('a certificate without its key stops the start, naming console.tls', () => {
  const dataDir = tempDataDir();
  const r = spawnSync(process.execPath, [BIN, 'start'], { cwd: dataDir, env: { ...baseEnv(dataDir), CANHGAC_CONSOLE_TLS_CERT: pki.cert }, encoding: 'utf8', timeout: 60_000 });
  expect(r.status).not.toBe(0);
  expect(r.stderr + r.stdout).toContain('console.tls: cert and key (PEM files) are both required to serve HTTPS; key is missing');
});
