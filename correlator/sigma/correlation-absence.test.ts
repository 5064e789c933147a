/**
 * Absence of an event: a temporal correlation whose condition names its rules with `not` (SigmaHQ
 * sigma-specification SEP #198, as pySigma reads it): "a login success with no MFA event within 5 minutes".
 */
import { loadRulesFromText } from './index';
import { BASE, corr, evaluator, feed, feedAndClose } from './correlation-fixture';

const noMfa = corr('temporal', ['ok', 'mfa'], "  condition: 'ok and not mfa'\n", '[user]', '5m');

describe('temporal with not: absence of an event', () => {
  test('a login with no MFA within 5 minutes fires once the 5 minutes (and the lateness) have passed', () => {
    const clock = { now: 0 };
    const ev = evaluator(noMfa, { allowedLatenessMs: 60_000 }, clock);
    expect(feed(ev, [{ s: 0, action: 'ok', user: 'x' }])).toEqual([]);
    clock.now += 5 * 60_000;
    expect(ev.tick()).toEqual([]); // the MFA may still come (lateness)
    clock.now += 61_000;
    const got = ev.tick();
    expect(got.map((d) => [d.rule.title, d.groupBy, d.eventIds])).toEqual([['C', { user: 'x' }, ['ok-0']]]);
  });
  test('a login followed by MFA within 5 minutes does not fire', () => {
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(noMfa, {}, clock), [{ s: 0, action: 'ok', user: 'x' }, { s: 200, action: 'mfa', user: 'x' }], clock)).toEqual([]);
  });
  test('MFA just before the login counts too (any order within the timespan)', () => {
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(noMfa, {}, clock), [{ s: 0, action: 'mfa', user: 'x' }, { s: 100, action: 'ok', user: 'x' }], clock)).toEqual([]);
  });
  test('MFA more than 5 minutes after the login does not excuse it; another user\'s MFA neither', () => {
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(noMfa, {}, clock), [{ s: 0, action: 'ok', user: 'x' }, { s: 301, action: 'mfa', user: 'x' }], clock).map(([, d]) => d.eventIds)).toEqual([['ok-0']]);
    expect(feedAndClose(evaluator(noMfa, {}, clock), [{ s: 0, action: 'ok', user: 'x' }, { s: 10, action: 'mfa', user: 'y' }], clock).map(([, d]) => d.groupBy)).toEqual([{ user: 'x' }]);
  });
  test("the group's own later events close the frame too (no wall clock needed)", () => {
    const ev = evaluator(noMfa, { allowedLatenessMs: 0 });
    const got = feed(ev, [{ s: 0, action: 'ok', user: 'x' }, { s: 400, action: 'ok', user: 'x' }]);
    expect(got.map(([i, d]) => [i, d.eventIds])).toEqual([[1, ['ok-0']]]);
  });
  test('a condition without not fires as soon as it holds; or works', () => {
    const anyOf = corr('temporal', ['ok', 'mfa', 'recon'], "  condition: 'recon and (ok or mfa)'\n", '[user]', '5m');
    expect(feed(evaluator(anyOf), [{ s: 0, action: 'mfa', user: 'x' }, { s: 10, action: 'recon', user: 'x' }]).map(([i]) => i)).toEqual([1]);
    expect(feed(evaluator(anyOf), [{ s: 0, action: 'mfa', user: 'x' }, { s: 10, action: 'ok', user: 'x' }])).toEqual([]);
  });
  test('temporal_ordered with not: failures then a success, with no MFA in the frame', () => {
    const c = corr('temporal_ordered', ['failed', 'ok', 'mfa'], "  condition: 'failed and ok and not mfa'\n", '[user]', '5m');
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(c, {}, clock), [{ s: 0, action: 'fail', user: 'x' }, { s: 10, action: 'ok', user: 'x' }], clock)).toHaveLength(1);
    expect(feedAndClose(evaluator(c, {}, clock), [{ s: 0, action: 'ok', user: 'x' }, { s: 10, action: 'fail', user: 'x' }], clock)).toEqual([]); // wrong order
    expect(feedAndClose(evaluator(c, {}, clock), [{ s: 0, action: 'fail', user: 'x' }, { s: 10, action: 'ok', user: 'x' }, { s: 20, action: 'mfa', user: 'x' }], clock)).toEqual([]);
  });
});

describe('load errors of boolean correlation conditions', () => {
  const errOf = (text: string): string => loadRulesFromText(text + BASE, 'c.yml').report.find((r) => !r.ok)?.error ?? '';
  test.each([
    [corr('temporal', ['ok', 'mfa'], "  condition: 'ok and not nope'\n"), /names nope, which is not in 'rules'/],
    [corr('temporal', ['ok', 'mfa', 'recon'], "  condition: 'ok and not mfa'\n"), /lists recon, which the condition does not use/],
    [corr('temporal', ['ok', 'mfa'], "  condition: 'ok and (not mfa'\n"), /missing '\)'/],
    [corr('temporal', ['ok', 'mfa'], "  condition: 'ok && mfa'\n"), /unexpected '&'/],
    [corr('event_count', ['ok'], "  condition: 'ok'\n"), /must be a map/],
  ])('%#', (text, re) => {
    expect(errOf(text)).toMatch(re);
  });
  test('rules may be left out: they are the names the condition uses', () => {
    const text = "title: C\nid: c0000000-0000-0000-0000-000000000001\ncorrelation:\n  type: temporal\n  group-by: [user]\n  timespan: 5m\n  condition: 'ok and not mfa'\nlevel: high\n";
    expect(loadRulesFromText(text + BASE, 'c.yml').report.filter((r) => !r.ok)).toEqual([]);
  });
});
