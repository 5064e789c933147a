import { createLoginLimiter } from './ratelimit';

test('an address is refused after N failures within the window and allowed again when they age out', () => {
  const l = createLoginLimiter({ maxFailures: 3, windowSeconds: 60 });
  const t0 = 1_000_000;
  for (let i = 0; i < 3; i++) {
    expect(l.retryAfter('203.0.113.5', t0 + i)).toBe(0);
    l.failed('203.0.113.5', t0 + i);
  }
  expect(l.retryAfter('203.0.113.5', t0 + 10)).toBe(60);
  expect(l.retryAfter('198.51.100.1', t0 + 10)).toBe(0); // another address is not affected
  expect(l.retryAfter('203.0.113.5', t0 + 60_001)).toBe(0);
});

test('a success clears the address, and the table stays bounded', () => {
  const l = createLoginLimiter({ maxFailures: 1, windowSeconds: 60, maxAddresses: 2 });
  l.failed('a');
  l.succeeded('a');
  expect(l.retryAfter('a')).toBe(0);
  l.failed('b');
  l.failed('c');
  l.failed('d'); // evicts b
  expect(l.retryAfter('b')).toBe(0);
  expect(l.retryAfter('d')).toBeGreaterThan(0);
});

test('attempts are reserved before they are checked: parallel attempts beyond the limit are refused, a success gives its slot back', () => {
  const l = createLoginLimiter({ maxFailures: 3, windowSeconds: 60 });
  const t0 = 2_000_000;
  const slots = Array.from({ length: 10 }, (_, i) => l.reserve('203.0.113.9', t0 + i)); // ten logins in flight at once
  expect(slots.map((s) => s.ok)).toEqual([true, true, true, false, false, false, false, false, false, false]);
  expect(slots[3]).toEqual({ ok: false, retryAfter: 60 });
  (slots[1] as { release(): void }).release(); // that one had the right password
  expect(l.retryAfter('203.0.113.9', t0 + 20)).toBe(0);
  expect(l.reserve('203.0.113.9', t0 + 21).ok).toBe(true);
  expect(l.reserve('203.0.113.9', t0 + 22).ok).toBe(false);
});
