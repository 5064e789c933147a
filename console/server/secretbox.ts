/**
 * Secrets at rest (TOTP secrets): AES-256-GCM under one key, taken from CANHGAC_SECRET_KEY
 * (32 bytes as base64 or 64 hex digits) or from <data dir>/secret.key, created 0600 on first
 * use. The key is loaded only when a secret is sealed or opened, and never appears in an
 * error or a log line.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const KEY_ENV = 'CANHGAC_SECRET_KEY';
export const KEY_FILE = 'secret.key';
const PREFIX = 'v1.';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
  isSealed(value: string): boolean;
}

/** 32 bytes from base64 (44 characters) or hex (64 digits); null when the text is neither. */
function parseKey(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return b.length === 32 ? b : null;
  }
  return null;
}

const KEY_FORMAT = 'a 256-bit key: 32 bytes as base64 or 64 hex digits (e.g. the output of "openssl rand -base64 32")';

/** The key and where it came from (for messages). */
export function loadSecretKey(opts: { dataDir?: string; env?: NodeJS.ProcessEnv }): { key: Buffer; source: string } {
  const fromEnv = (opts.env ?? process.env)[KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = parseKey(fromEnv);
    if (!key) throw new Error(`${KEY_ENV} is not ${KEY_FORMAT}`);
    return { key, source: KEY_ENV };
  }
  if (!opts.dataDir) throw new Error(`no key for secrets at rest: set ${KEY_ENV}, or give the console its data directory (it keeps ${KEY_FILE} there)`);
  const file = path.join(opts.dataDir, KEY_FILE);
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 }); // wx: another process that made it first wins
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create ${file}: ${(e as Error).message}`);
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) fs.chmodSync(file, 0o600); // a copy restored with a wider mode is narrowed again
  const key = parseKey(fs.readFileSync(file, 'utf8'));
  if (!key) throw new Error(`${file} does not hold ${KEY_FORMAT}`);
  return { key, source: file };
}

export function createSecretBox(load: () => { key: Buffer; source: string }): SecretBox {
  let loaded: { key: Buffer; source: string } | null = null;
  const get = () => (loaded ??= load());
  return {
    isSealed: (value) => value.startsWith(PREFIX),
    seal(plain) {
      const { key } = get();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed) {
      const { key, source } = get();
      if (!sealed.startsWith(PREFIX)) throw new Error('a sealed secret starts with "v1."; this one does not');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new Error(`a stored secret cannot be decrypted with the key from ${source}: was the key replaced? (the user's second factor can be reset with "canhgac user totp-reset")`);
      }
    },
  };
}
