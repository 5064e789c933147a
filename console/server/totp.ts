/**
 * TOTP second factor (RFC 6238 over RFC 4226 HOTP, HMAC-SHA1, 6 digits, 30 s steps), as
 * authenticator apps expect. The secret is kept in the store's state under totp.<user>,
 * sealed with the console's secret key (secretbox.ts).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../../core/store/store';
import type { SecretBox } from './secretbox';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(s: string): Buffer {
  const clean = s.replace(/[\s=-]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = B32.indexOf(ch);
    if (i < 0) throw new Error(`TOTP secret: "${ch}" is not a base32 character`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function hotp(secret: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(msg).digest();
  const off = mac[mac.length - 1] & 0xf;
  const code = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(code % 10 ** digits).padStart(digits, '0');
}

export function totp(secretB32: string, atMs = Date.now(), step = 30): string {
  return hotp(base32Decode(secretB32), Math.floor(atMs / 1000 / step));
}

/** Accepts the code of this step and of one step either side (clock drift); returns the matched step or null. */
export function verifyTotp(secretB32: string, code: string, atMs = Date.now(), step = 30): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const secret = base32Decode(secretB32);
  const now = Math.floor(atMs / 1000 / step);
  for (const c of [now, now - 1, now + 1]) {
    const a = Buffer.from(hotp(secret, c));
    if (timingSafeEqual(a, Buffer.from(code))) return c;
  }
  return null;
}

export interface TotpState {
  secret: string;
  enabled: boolean;
  lastStep?: number; // a code is accepted once: replay within its window is refused
}

/** What the store keeps: the secret sealed (secretbox.ts); `secret` only in records written before that, until first read. */
interface StoredTotp {
  sealed?: string;
  secret?: string;
  enabled: boolean;
  lastStep?: number;
}

const key = (username: string) => `totp.${username}`;

async function readStored(store: Store, username: string): Promise<StoredTotp | null> {
  const raw = await store.getState(key(username));
  return raw ? (JSON.parse(raw) as StoredTotp) : null;
}

/** Whether a user has the second factor on; needs no key. */
export async function totpEnabled(store: Store, username: string): Promise<boolean> {
  return !!(await readStored(store, username))?.enabled;
}

/** The user's TOTP state with the secret opened; a secret still stored in clear is sealed on this first read. */
export async function getTotp(store: Store, username: string, box: SecretBox): Promise<TotpState | null> {
  const st = await readStored(store, username);
  if (!st) return null;
  if (st.sealed) return { secret: box.open(st.sealed), enabled: st.enabled, lastStep: st.lastStep };
  const secret = st.secret ?? '';
  if (secret) await putTotp(store, username, { secret, enabled: st.enabled, lastStep: st.lastStep }, box);
  return { secret, enabled: st.enabled, lastStep: st.lastStep };
}

export async function putTotp(store: Store, username: string, st: TotpState, box: SecretBox): Promise<void> {
  const stored: StoredTotp = { sealed: st.secret ? box.seal(st.secret) : undefined, enabled: st.enabled, lastStep: st.lastStep };
  await store.putState(key(username), JSON.stringify(stored));
}

/** Turns the second factor off and forgets its secret. */
export async function clearTotp(store: Store, username: string): Promise<void> {
  await store.putState(key(username), JSON.stringify({ enabled: false }));
}

/** Seals every TOTP secret still stored in clear (records written before secrets were encrypted); returns how many. */
export async function sealClearTotpSecrets(store: Store, usernames: string[], box: SecretBox): Promise<number> {
  let sealed = 0;
  for (const username of usernames) {
    const st = await readStored(store, username);
    if (st && !st.sealed && st.secret) {
      await getTotp(store, username, box);
      sealed++;
    }
  }
  return sealed;
}

export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

export function otpauthUri(username: string, secret: string): string {
  return `otpauth://totp/${encodeURIComponent(`canhgac:${username}`)}?secret=${secret}&issuer=canhgac&algorithm=SHA1&digits=6&period=30`;
}

/** Checks a code for a user with TOTP enabled and records its step so it cannot be replayed. */
export async function checkTotp(store: Store, username: string, code: string | undefined, box: SecretBox): Promise<boolean> {
  if (!(await totpEnabled(store, username))) return true;
  if (!code) return false;
  const st = await getTotp(store, username, box);
  if (!st?.enabled) return true;
  const step = verifyTotp(st.secret, code);
  if (step === null || (st.lastStep !== undefined && step <= st.lastStep)) return false;
  await putTotp(store, username, { ...st, lastStep: step }, box);
  return true;
}
