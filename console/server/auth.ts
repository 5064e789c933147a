/**
 * Who is calling: a session cookie (browser; CSRF header required on changes) or a
 * Bearer API token (scripts). Passwords are argon2id hashes; failed logins count
 * toward a lockout; session ids are stored hashed.
 */
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role, User } from '../../core/model';
import type { Store, TenantScope } from '../../core/store/store';
import { bearer, hashToken, verifyTokenHash } from '../../core/tokens';
import type { SecretBox } from './secretbox';
import { checkTotp, totpEnabled } from './totp';

export const SESSION_COOKIE = 'canhgac_session';
const ARGON2ID = 2;
export const LOCK_AFTER = 5;
const LOCK_MINUTES = 15;

export interface Principal {
  username: string;
  role: Role;
  agencies: string[];
  via: 'session' | 'token';
  sessionId?: string;
  csrf?: string;
}

export async function hashPassword(password: string): Promise<string> {
  return argonHash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argonVerify(hash, password);
  } catch {
    return false;
  }
}

export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'a password needs at least 10 characters';
  if (password.length > 256) return 'a password may have at most 256 characters';
  return null;
}

/**
 * The tenants a principal may see: the agencies it is scoped to, whatever its role; a SOC
 * role with no agency sees every agency; a viewer with none sees nothing.
 */
export function scopeOf(p: Pick<Principal, 'role' | 'agencies'>): TenantScope {
  if (p.agencies.length) return [...p.agencies];
  return p.role === 'viewer' ? [] : null;
}

/** A cache key for a scope: two principals with the same key see the same data. */
export function scopeKey(p: Pick<Principal, 'role' | 'agencies'>): string {
  const scope = scopeOf(p);
  return scope === null ? '*' : [...scope].sort().join(',');
}

export const can = {
  changeIncidents: (p: Principal) => p.role === 'admin' || p.role === 'analyst' || p.role === 'responder',
  readAudit: (p: Principal) => p.role === 'admin' || p.role === 'auditor',
  admin: (p: Principal) => p.role === 'admin',
  readRules: (p: Principal) => p.role !== 'viewer',
  editRules: (p: Principal) => p.role === 'admin' || p.role === 'analyst',
};

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export type LoginResult =
  | { ok: true; user: User; cookie: string; csrf: string; expires: Date }
  | { ok: false; reason: 'invalid' | 'locked' | 'totp_required' | 'totp_invalid'; retryAfterSeconds?: number; lockedNow?: boolean };

/** Checks a login; callers run one attempt per account at a time (logingate.ts), or the failure count races. */
export async function login(store: Store, secrets: SecretBox, username: string, password: string, sessionHours: number, totpCode?: string): Promise<LoginResult> {
  const user = await store.getUser(username);
  if (!user || user.disabled) {
    await verifyPassword('$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', password); // same time as a real check
    return { ok: false, reason: 'invalid' };
  }
  if (user.lockedUntil && Date.parse(user.lockedUntil) > Date.now()) {
    return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((Date.parse(user.lockedUntil) - Date.now()) / 1000) };
  }
  const passwordOk = await verifyPassword(user.passwordHash, password);
  // the second factor is asked for only after a right password, and a wrong code counts like a wrong password
  const withTotp = passwordOk && (await totpEnabled(store, username));
  if (passwordOk && withTotp && !totpCode) return { ok: false, reason: 'totp_required' };
  const totpOk = !passwordOk || !withTotp || (await checkTotp(store, username, totpCode, secrets));
  if (!passwordOk || !totpOk) {
    const failed = (user.failedLogins ?? 0) + 1;
    const locked = failed >= LOCK_AFTER;
    await store.putUser({ ...user, failedLogins: locked ? 0 : failed, lockedUntil: locked ? new Date(Date.now() + LOCK_MINUTES * 60000).toISOString() : (user.lockedUntil ?? null) });
    if (locked) return { ok: false, reason: 'locked', retryAfterSeconds: LOCK_MINUTES * 60, lockedNow: true };
    return { ok: false, reason: passwordOk ? 'totp_invalid' : 'invalid' };
  }
  if (user.failedLogins || user.lockedUntil) await store.putUser({ ...user, failedLogins: 0, lockedUntil: null });
  const cookie = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const expires = new Date(Date.now() + sessionHours * 3600000);
  await store.putSession({ id: sha(cookie), username, created: new Date().toISOString(), expires: expires.toISOString(), csrf, epoch: user.sessionEpoch ?? 0 });
  return { ok: true, user, cookie, csrf, expires };
}

export async function logout(store: Store, cookie: string | undefined): Promise<void> {
  if (cookie) await store.deleteSession(sha(cookie));
}

/** What a caller presented, as stored: the hash of its API token or of its session cookie. */
export type Credential = { kind: 'token'; hash: string } | { kind: 'session'; id: string };

export function credentialOf(headers: { authorization?: string }, cookie: string | undefined): Credential | null {
  const token = bearer(headers.authorization);
  if (token) return token.length > 200 ? null : { kind: 'token', hash: hashToken(token) };
  return cookie ? { kind: 'session', id: sha(cookie) } : null;
}

/** The principal behind a credential now, or why it no longer stands (said to a WebSocket when it is closed). */
export async function resolveCredential(store: Store, cred: Credential): Promise<{ principal: Principal } | { ended: string }> {
  if (cred.kind === 'token') {
    const rec = await verifyTokenHash(store, cred.hash, 'api');
    if (!rec) return { ended: 'API token revoked or unknown' };
    const user = await store.getUser(rec.subject);
    if (!user) return { ended: 'account deleted' };
    if (user.disabled) return { ended: 'account disabled' };
    return { principal: { username: user.username, role: user.role, agencies: user.agencies, via: 'token' } };
  }
  const session = await store.getSession(cred.id);
  if (!session) return { ended: 'session ended: logged out or expired' };
  const user = await store.getUser(session.username);
  if (!user) return { ended: 'account deleted' };
  if (user.disabled) return { ended: 'account disabled' };
  if ((session.epoch ?? 0) < (user.sessionEpoch ?? 0)) { // a kept session is moved ahead before its user is stored
    await store.deleteSession(session.id);
    return { ended: 'session ended: password, second factor or account changed' };
  }
  return { principal: { username: user.username, role: user.role, agencies: user.agencies, via: 'session', sessionId: session.id, csrf: session.csrf } };
}

/** Resolves the caller from a Bearer API token or a session cookie; null when neither is valid. */
export async function authenticate(store: Store, headers: { authorization?: string }, cookie: string | undefined): Promise<Principal | null> {
  const cred = credentialOf(headers, cookie);
  if (!cred) return null;
  const r = await resolveCredential(store, cred);
  return 'principal' in r ? r.principal : null;
}

/**
 * Ends every session of a user (password changed, account disabled, second factor reset) by
 * raising its epoch; `keep`, the session that made a change to its own account, goes on.
 * The caller stores the returned user.
 */
export async function endSessions(store: Store, user: User, keep?: Principal): Promise<User> {
  const next: User = { ...user, sessionEpoch: (user.sessionEpoch ?? 0) + 1 };
  if (keep?.via === 'session' && keep.sessionId && keep.username === user.username) {
    const s = await store.getSession(keep.sessionId);
    if (s) await store.putSession({ ...s, epoch: next.sessionEpoch });
  }
  return next;
}

export function csrfMatches(expected: string | undefined, presented: string | undefined): boolean {
  if (!expected || !presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** One cookie's value from a Cookie header (the session id is base64url, so no decoding subtleties). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The session cookie: HTTP-only, SameSite=Strict, Secure when configured; an empty value and a past date clear it. */
export function sessionCookie(value: string, expires: Date, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Expires=${expires.toUTCString()}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
