import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSecretBox, KEY_ENV, loadSecretKey } from './secretbox';

const tmp = () => fs.mkdtempSync(path.join(tmpdir(), 'canhgac-key-'));

test('the key file is created 0600 on first use and reused; what is sealed opens again, and not under another key', () => {
  const dir = tmp();
  const box = createSecretBox(() => loadSecretKey({ dataDir: dir, env: {} }));
  expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(false); // nothing sealed yet
  const sealed = box.seal('JBSWY3DPEHPK3PXP');
  expect(sealed).toMatch(/^v1\./);
  expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
  expect(box.seal('JBSWY3DPEHPK3PXP')).not.toBe(sealed); // a fresh IV each time
  expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  expect(createSecretBox(() => loadSecretKey({ dataDir: dir, env: {} })).open(sealed)).toBe('JBSWY3DPEHPK3PXP');
  const other = createSecretBox(() => loadSecretKey({ dataDir: tmp(), env: {} }));
  expect(() => other.open(sealed)).toThrow(/cannot be decrypted with the key from .*secret\.key: was the key replaced/);
});

test('CANHGAC_SECRET_KEY takes the place of the file; a bad one is refused without being repeated', () => {
  const dir = tmp();
  const key = Buffer.alloc(32, 7).toString('base64');
  const box = createSecretBox(() => loadSecretKey({ dataDir: dir, env: { [KEY_ENV]: key } }));
  expect(box.open(box.seal('s'))).toBe('s');
  expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(false);
  expect(createSecretBox(() => loadSecretKey({ env: { [KEY_ENV]: Buffer.alloc(32, 7).toString('hex') } })).open(box.seal('t'))).toBe('t');
  const bad = 'not-a-key-but-a-secret-value-42';
  let message = '';
  try {
    loadSecretKey({ dataDir: dir, env: { [KEY_ENV]: bad } });
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/^CANHGAC_SECRET_KEY is not a 256-bit key: 32 bytes as base64 or 64 hex digits/);
  expect(message).not.toContain(bad);
  expect(() => loadSecretKey({ env: {} })).toThrow(/no key for secrets at rest: set CANHGAC_SECRET_KEY/);
});

test('a key file restored with a wider mode is narrowed to 0600', () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'secret.key'), Buffer.alloc(32, 1).toString('base64'), { mode: 0o644 });
  fs.chmodSync(path.join(dir, 'secret.key'), 0o644);
  loadSecretKey({ dataDir: dir, env: {} });
  expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
});
