import { createSqliteStore } from '../../core/store/sqlite';
import { createSecretBox } from './secretbox';
import { base32Decode, base32Encode, checkTotp, clearTotp, getTotp, hotp, newTotpSecret, putTotp, sealClearTotpSecrets, totp, totpEnabled, verifyTotp } from './totp';

const box = createSecretBox(() => ({ key: Buffer.alloc(32, 9), source: 'a test key' }));

// RFC 6238 appendix B test vectors (SHA-1, secret "12345678901234567890"), 6-digit truncation
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));

test('codes match the RFC 6238 test vectors', () => {
  expect(totp(RFC_SECRET, 59_000)).toBe('287082');
  expect(totp(RFC_SECRET, 1111111109_000)).toBe('081804');
  expect(totp(RFC_SECRET, 1234567890_000)).toBe('005924');
  expect(totp(RFC_SECRET, 2000000000_000)).toBe('279037');
  expect(hotp(Buffer.from('12345678901234567890'), 0)).toBe('755224'); // RFC 4226 appendix D
});

test('base32 round-trips and names a bad character', () => {
  const s = newTotpSecret();
  expect(base32Encode(base32Decode(s))).toBe(s);
  expect(() => base32Decode('ABC1')).toThrow(/"1" is not a base32 character/);
});

test('one step of clock drift is accepted, two are not, and a used code cannot be replayed', async () => {
  const now = 1_800_000_000_000;
  expect(verifyTotp(RFC_SECRET, totp(RFC_SECRET, now - 30_000), now)).not.toBeNull();
  expect(verifyTotp(RFC_SECRET, totp(RFC_SECRET, now - 60_000), now)).toBeNull();
  expect(verifyTotp(RFC_SECRET, 'abcdef', now)).toBeNull();

  const store = createSqliteStore({ path: ':memory:' });
  const secret = newTotpSecret();
  await putTotp(store, 'an', { secret, enabled: true }, box);
  expect(await checkTotp(store, 'an', undefined, box)).toBe(false);
  const code = totp(secret);
  expect(await checkTotp(store, 'an', code, box)).toBe(true);
  expect(await checkTotp(store, 'an', code, box)).toBe(false);
  expect(await checkTotp(store, 'nobody-with-totp', undefined, box)).toBe(true);
  await store.close();
});

test('the secret is stored sealed; one stored in clear (before encryption) is sealed on first read', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  const secret = newTotpSecret();
  await putTotp(store, 'an', { secret, enabled: true }, box);
  expect(await store.getState('totp.an')).not.toContain(secret);
  expect((await getTotp(store, 'an', box))?.secret).toBe(secret);
  await store.putState('totp.old', JSON.stringify({ secret, enabled: true, lastStep: 3 }));
  expect(await totpEnabled(store, 'old')).toBe(true);
  expect(await getTotp(store, 'old', box)).toEqual({ secret, enabled: true, lastStep: 3 });
  expect(JSON.parse((await store.getState('totp.old'))!)).toEqual({ sealed: expect.stringMatching(/^v1\./), enabled: true, lastStep: 3 });
  await store.putState('totp.older', JSON.stringify({ secret, enabled: true }));
  expect(await sealClearTotpSecrets(store, ['an', 'old', 'older', 'nobody'], box)).toBe(1);
  expect(await store.getState('totp.older')).not.toContain(secret);
  await clearTotp(store, 'an');
  expect([await totpEnabled(store, 'an'), await getTotp(store, 'an', box)]).toEqual([false, { secret: '', enabled: false, lastStep: undefined }]);
  await store.close();
});
