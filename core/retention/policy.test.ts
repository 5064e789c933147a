import type { Tenant } from '../model';
import { DEFAULT_RETENTION, retentionConfigSchema } from './config-schema';
import { applyChange, effectiveRetention, minimumDays } from './policy';

const cfg = DEFAULT_RETENTION;
const t = (extra: Partial<Tenant> = {}): Tenant => ({ id: 'so-tttt', name: 'Sở TT&TT', created: '2026-01-01T00:00:00Z', ...extra });
const field = (n: string) => `body/${n}`;

describe('retention policy', () => {
  test('each level gives its minimum by default: 1 none, 2 one month, 3 three, 4 six, 5 twelve (at their longest)', () => {
    expect([1, 2, 3, 4, 5].map((l) => minimumDays(l, cfg))).toEqual([null, 31, 92, 184, 366]);
    expect(minimumDays(undefined, cfg)).toBeNull();
    expect(minimumDays(7, cfg)).toBeNull();
  });

  test('the minimums are settings: a province that counts level 3 as 100 days gets 100', () => {
    const mine = retentionConfigSchema.parse({ levels: { '3': 100, '1': 7 } });
    expect(minimumDays(3, mine)).toBe(100);
    expect(minimumDays(1, mine)).toBe(7);
    expect(minimumDays(5, mine)).toBe(366);
    expect(() => retentionConfigSchema.parse({ levels: { '6': 30 } })).toThrow();
  });

  test('an agency follows its level unless an override is set; without a level nothing is deleted', () => {
    expect(effectiveRetention(t({ securityLevel: 3 }), cfg)).toEqual({ days: 92, source: 'level', minimum: 92, below: false });
    expect(effectiveRetention(t({ securityLevel: 3, retentionDays: 400 }), cfg)).toEqual({ days: 400, source: 'override', minimum: 92, below: false });
    expect(effectiveRetention(t(), cfg)).toEqual({ days: null, source: 'none', minimum: null, below: false });
    expect(effectiveRetention(t({ securityLevel: 1 }), cfg).days).toBeNull();
  });

  test('an override below the minimum is refused without a reason, naming the field, the minimum and its source', () => {
    const r = applyChange(t({ securityLevel: 4 }), { retentionDays: 30 }, cfg, field);
    expect(r).toEqual({ problem: expect.stringMatching(/^body\/retention_days: 30 days is below level 4's minimum of 184 days \(TCVN 14423:2026.*give body\/retention_reason/) });
    const ok = applyChange(t({ securityLevel: 4 }), { retentionDays: 30, retentionReason: '  disk of the old server, until March  ' }, cfg, field);
    expect(ok).toEqual({ tenant: expect.objectContaining({ securityLevel: 4, retentionDays: 30, retentionReason: 'disk of the old server, until March' }) });
  });

  test('raising the level under an existing short override needs a new reason; clearing the override drops the reason', () => {
    const short = t({ securityLevel: 2, retentionDays: 40 });
    expect(applyChange(short, { securityLevel: 3 }, cfg, (n) => `--${n.replace('_', '-')}`)).toEqual({ problem: expect.stringMatching(/^--retention-days: 40 days is below level 3's minimum of 92 days/) });
    const below = applyChange(t({ securityLevel: 4, retentionDays: 30, retentionReason: 'old disk' }), { retentionDays: null }, cfg, field);
    expect(below).toEqual({ tenant: expect.not.objectContaining({ retentionReason: expect.anything() }) });
    expect('tenant' in below && effectiveRetention(below.tenant, cfg).days).toBe(184);
  });

  test('a level outside 1–5 or days that are not whole and positive are refused by name', () => {
    expect(applyChange(t(), { securityLevel: 6 }, cfg, field)).toEqual({ problem: 'body/security_level: 6 must be one of 1, 2, 3, 4, 5' });
    expect(applyChange(t(), { retentionDays: 0 }, cfg, field)).toEqual({ problem: 'body/retention_days: 0 must be a whole number of days ≥ 1' });
    expect(applyChange(t(), { retentionDays: 1.5 }, cfg, field)).toEqual({ problem: 'body/retention_days: 1.5 must be a whole number of days ≥ 1' });
  });
});
