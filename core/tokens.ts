/** Bearer credentials: the secret is shown once at creation; only its sha256 is stored. */
import { createHash, randomBytes } from 'node:crypto';
import { newId } from './event';
import type { TokenRecord } from './model';
import type { Store } from './store/store';

export const hashToken = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export async function createToken(store: Store, kind: TokenRecord['kind'], subject: string, label?: string): Promise<{ secret: string; record: TokenRecord }> {
  const secret = `cg${kind === 'ingest' ? 'i' : 'a'}_${randomBytes(24).toString('base64url')}`;
  const record: TokenRecord = { id: newId(), kind, subject, hash: hashToken(secret), created: new Date().toISOString(), revoked: null, label };
  await store.putToken(record);
  return { secret, record };
}

/** The token record for a presented secret, or null when unknown, revoked or of another kind. */
export async function verifyToken(store: Store, secret: string | undefined, kind: TokenRecord['kind']): Promise<TokenRecord | null> {
  if (!secret || secret.length > 200) return null;
  const rec = await store.findTokenByHash(hashToken(secret));
  if (!rec || rec.kind !== kind || rec.revoked) return null;
  return rec;
}

/** The token record for a stored hash (a WebSocket re-checking the token it opened with), or null when unknown, revoked or of another kind. */
export async function verifyTokenHash(store: Store, hash: string, kind: TokenRecord['kind']): Promise<TokenRecord | null> {
  const rec = await store.findTokenByHash(hash);
  if (!rec || rec.kind !== kind || rec.revoked) return null;
  return rec;
}

export function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}
