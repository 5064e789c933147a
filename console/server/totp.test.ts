import { createSqliteStore } from '../../core/store/sqlite';
import { base32Decode, base32Encode, checkTotp, hotp, newTotpSecret, putTotp, totp, verifyTotp } from './totp';

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
  await putTotp(store, 'an', { secret, enabled: true });
  expect(await checkTotp(store, 'an', undefined)).toBe(false);
  const code = totp(secret);
  expect(await checkTotp(store, 'an', code)).toBe(true);
  expect(await checkTotp(store, 'an', code)).toBe(false);
  expect(await checkTotp(store, 'nobody-with-totp', undefined)).toBe(true);
  await store.close();
});
