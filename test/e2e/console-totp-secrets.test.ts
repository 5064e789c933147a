/**
 * TOTP secrets are encrypted at rest (#11 medium): neither the user record nor the state nor
 * any byte of the database holds the secret; the key is <data dir>/secret.key (0600) or
 * CANHGAC_SECRET_KEY, and never appears in a log line; secrets stored in clear before are
 * encrypted when the console starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../core/log';
import { buildConsole } from '../../console/server/app';
import { newTotpSecret, totp } from '../../console/server/totp';
import { startConsole, type ConsoleFixture } from './console-fixture';

let c: ConsoleFixture;
let logText = '';
const sink = new Writable({ write: (chunk, _enc, done) => ((logText += String(chunk)), done()) });

beforeAll(async () => {
  c = await startConsole({ users: [['lan', 'analyst', []], ['old', 'responder', []]], console: { logger: createLogger({ level: 'trace', destination: sink }) } });
});
afterAll(() => c?.close());

const databaseBytes = () =>
  fs.readdirSync(c.dir).filter((f) => f.startsWith('canhgac.db')).map((f) => fs.readFileSync(path.join(c.dir, f)).toString('latin1')).join('');

test('a secret set up in the console is stored encrypted, and the code from it still logs in', async () => {
  const lan = await c.session('lan');
  const setup = await c.as(lan, 'POST', '/api/auth/totp/setup');
  const secret = setup.body.secret as string;
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect((await c.as(lan, 'POST', '/api/auth/totp/enable', { code: totp(secret) })).body).toEqual({ totp: true });
  expect(JSON.stringify(await c.store.getUser('lan'))).not.toContain(secret);
  expect(await c.store.getState('totp.lan')).not.toContain(secret);
  expect(JSON.parse((await c.store.getState('totp.lan'))!).sealed).toMatch(/^v1\./);
  expect(databaseBytes()).not.toContain(secret);
  expect(fs.statSync(path.join(c.dir, 'secret.key')).mode & 0o777).toBe(0o600);
  expect((await c.login('lan', { totp: totp(secret, Date.now() + 30000) })).status).toBe(200);
  const key = fs.readFileSync(path.join(c.dir, 'secret.key'), 'utf8').trim();
  expect(logText).not.toContain(key);
  expect(logText).not.toContain(secret);
});

test('a secret stored in clear before is encrypted when the console starts, and keeps working', async () => {
  const secret = newTotpSecret();
  await c.store.putState('totp.old', JSON.stringify({ secret, enabled: true }));
  const again = await buildConsole({ store: c.store, bus: c.bus, logger: createLogger({ level: 'trace', destination: sink }), sessionHours: 1, secureCookies: false, dataDir: c.dir });
  await again.close();
  expect(await c.store.getState('totp.old')).not.toContain(secret);
  expect(logText).toMatch(/TOTP secrets stored in clear are now encrypted at rest/);
  expect((await c.login('old', { totp: totp(secret) })).status).toBe(200);
  expect(logText).not.toContain(secret);
});

test('with CANHGAC_SECRET_KEY no key file is made; a key that is not 32 bytes is refused without being repeated', async () => {
  const env = { CANHGAC_SECRET_KEY: Buffer.alloc(32, 3).toString('base64') };
  const dir = fs.mkdtempSync(path.join(c.dir, 'env-'));
  await c.store.putState('totp.lan-copy', JSON.stringify({ secret: newTotpSecret(), enabled: true }));
  await c.store.putUser({ ...(await c.store.getUser('lan'))!, username: 'lan-copy' });
  const app = await buildConsole({ store: c.store, bus: c.bus, logger: createLogger({ level: 'silent' }), sessionHours: 1, secureCookies: false, dataDir: dir, env });
  await app.close();
  expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(false);
  await c.store.putState('totp.lan-copy', JSON.stringify({ secret: newTotpSecret(), enabled: true }));
  const bad = { CANHGAC_SECRET_KEY: 'short-secret-value' };
  await expect(buildConsole({ store: c.store, bus: c.bus, logger: createLogger({ level: 'silent' }), sessionHours: 1, secureCookies: false, dataDir: dir, env: bad })).rejects.toThrow(
    /^CANHGAC_SECRET_KEY is not a 256-bit key/,
  );
  await buildConsole({ store: c.store, bus: c.bus, logger: createLogger({ level: 'silent' }), sessionHours: 1, secureCookies: false, dataDir: dir, env: bad }).catch((e: Error) => expect(e.message).not.toContain('short-secret-value'));
});
