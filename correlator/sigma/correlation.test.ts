/** Correlation rules over hand-written event streams: fire at the right event, near misses stay quiet. */
import { loadRulesFromText } from './index';
import { BASE, corr, E, evaluator, feed, feedAndClose, mk } from './correlation-fixture';

describe('value_count', () => {
  const c = corr('value_count', ['failed'], '  condition:\n    field: user\n    gte: 3\n', '[ip]');
  test('fires when the third distinct value arrives; repeats do not count', () => {
    const got = feed(evaluator(c), [
      { s: 0, action: 'fail', ip: 'a', user: 'u1' },
      { s: 1, action: 'fail', ip: 'a', user: 'u1' },
      { s: 2, action: 'fail', ip: 'a', user: 'U2' },
      { s: 3, action: 'fail', ip: 'a', user: 'u2' },
      { s: 4, action: 'fail', ip: 'a', user: 'u3' },
    ]);
    expect(got.map(([i, d]) => [i, d.groupBy])).toEqual([[4, { ip: 'a' }]]);
    expect(got[0][1].eventIds).toEqual(['fail-0', 'fail-1', 'fail-2', 'fail-3', 'fail-4']);
  });
  test('an event without the value field does not count', () => {
    expect(feed(evaluator(c), [{ s: 0, action: 'fail', ip: 'a', user: 'u1' }, { s: 1, action: 'fail', ip: 'a' }, { s: 2, action: 'fail', ip: 'a', user: 'u2' }])).toEqual([]);
  });
});

describe('temporal', () => {
  const c = corr('temporal', ['failed', 'ok', 'recon'], '');
  test('fires when all rules have fired for the group within the timespan, in any order', () => {
    const got = feed(evaluator(c), [
      { s: 0, action: 'recon', user: 'x' },
      { s: 10, action: 'ok', user: 'x' },
      { s: 20, action: 'ok', user: 'y' },
      { s: 30, action: 'fail', user: 'x' },
    ]);
    expect(got.map(([i]) => i)).toEqual([3]);
  });
  test('one rule missing, or the first event outside the timespan, does not fire', () => {
    expect(feed(evaluator(c), [{ s: 0, action: 'recon', user: 'x' }, { s: 10, action: 'ok', user: 'x' }, { s: 20, action: 'ok', user: 'x' }])).toEqual([]);
    expect(feed(evaluator(c), [{ s: 0, action: 'recon', user: 'x' }, { s: 10, action: 'ok', user: 'x' }, { s: 601, action: 'fail', user: 'x' }])).toEqual([]);
  });
  test('a condition lowers the number of rules needed', () => {
    const c2 = corr('temporal', ['failed', 'ok', 'recon'], '  condition: {gte: 2}\n');
    expect(feed(evaluator(c2), [{ s: 0, action: 'recon', user: 'x' }, { s: 1, action: 'ok', user: 'x' }]).map(([i]) => i)).toEqual([1]);
  });
});

describe('temporal_ordered', () => {
  const c = corr('temporal_ordered', ['failed', 'ok'], '');
  test('fires when the rules occur in the listed order', () => {
    expect(feed(evaluator(c), [{ s: 0, action: 'fail', user: 'x' }, { s: 5, action: 'ok', user: 'x' }]).map(([i]) => i)).toEqual([1]);
  });
  test('events out of order do not fire', () => {
    expect(feed(evaluator(c), [{ s: 0, action: 'ok', user: 'x' }, { s: 5, action: 'fail', user: 'x' }])).toEqual([]);
  });
  test('out-of-order arrival is judged on event time', () => {
    expect(feed(evaluator(c), [{ s: 5, action: 'ok', user: 'x' }, { s: 0, action: 'fail', user: 'x' }]).map(([i]) => i)).toEqual([1]);
    expect(feed(evaluator(c), [{ s: 0, action: 'ok', user: 'x' }, { s: 5, action: 'fail', user: 'x' }, { s: 4, action: 'ok', user: 'x' }])).toEqual([]);
  });
});

describe('value_sum, value_avg, value_percentile', () => {
  test('value_sum fires when the sum crosses the threshold', () => {
    const c = corr('value_sum', ['recon'], '  condition:\n    field: bytes\n    gt: 1000\n', '[ip]', '1h');
    const got = feed(evaluator(c), [{ s: 0, action: 'recon', ip: 'a', bytes: 600 }, { s: 1, action: 'recon', ip: 'b', bytes: 600 }, { s: 2, action: 'recon', ip: 'a', bytes: 401 }]);
    expect(got.map(([i]) => i)).toEqual([2]);
  });
  test('value_avg compares the mean of the closed frame', () => {
    const c = corr('value_avg', ['recon'], '  condition:\n    field: bytes\n    gte: 100\n', '[ip]', '1h');
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(c, {}, clock), [{ s: 0, action: 'recon', ip: 'a', bytes: 50 }, { s: 1, action: 'recon', ip: 'a', bytes: 149 }], clock)).toEqual([]);
    const got = feedAndClose(evaluator(c, {}, clock), [{ s: 0, action: 'recon', ip: 'a', bytes: 50 }, { s: 1, action: 'recon', ip: 'a', bytes: 150 }], clock);
    expect(got.map(([i, d]) => [i, d.eventIds])).toEqual([[-1, ['recon-0', 'recon-1']]]);
  });
  test('value_avg: a first big value does not fire before the frame is done (the mean can still fall)', () => {
    const c = corr('value_avg', ['recon'], '  condition:\n    field: bytes\n    gte: 100\n', '[ip]', '1h');
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(c, {}, clock), [{ s: 0, action: 'recon', ip: 'a', bytes: 1000 }, ...Array.from({ length: 20 }, (_, i) => ({ s: 1 + i, action: 'recon', ip: 'a', bytes: 1 }))], clock)).toEqual([]);
  });
  test('value_percentile: a value seen in at most 10% of the frame events is rare, and the detection names its events', () => {
    const c = corr('value_percentile', ['recon'], '  condition:\n    field: dst\n    lte: 10\n', '[ip]', '1h');
    const evs: E[] = Array.from({ length: 10 }, (_, i) => ({ s: i, action: 'recon', ip: 'h', dst: 'common' }));
    evs.push({ s: 20, action: 'recon', ip: 'h', dst: 'rare' });
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(c, {}, clock), evs, clock).map(([i, d]) => [i, d.eventIds])).toEqual([[-1, ['recon-20']]]);
    // near miss: the same value twice in 11 events is 18%, not rare
    evs.push({ s: 21, action: 'recon', ip: 'h', dst: 'rare' });
    expect(feedAndClose(evaluator(c, {}, clock), evs, clock)).toEqual([]);
  });
});

describe('ranges, aliases, generate and chains', () => {
  test('a range condition (gt and lte) fires only inside the range, when the frame closes', () => {
    const c = corr('event_count', ['failed'], '  condition: {gt: 1, lte: 2}\n', '[user]');
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(c, {}, clock), [{ s: 0, action: 'fail', user: 'x' }, { s: 1, action: 'fail', user: 'x' }], clock).map(([i]) => i)).toEqual([-1]);
    expect(feedAndClose(evaluator(c, {}, clock), [0, 1, 2].map((s) => ({ s, action: 'fail', user: 'x' })), clock)).toEqual([]);
    expect(feedAndClose(evaluator(c, {}, clock), [{ s: 0, action: 'fail', user: 'x' }], clock)).toEqual([]);
  });

  test('aliases group different fields of different rules together', () => {
    const c = `title: C\nid: c0000000-0000-0000-0000-000000000002\ncorrelation:\n  type: temporal_ordered\n  rules: [failed, ok]\n  group-by: [host]\n  aliases:\n    host:\n      failed: ip\n      ok: dst\n  timespan: 1m\nlevel: high\n`;
    const got = feed(evaluator(c), [{ s: 0, action: 'fail', ip: '10.0.0.1' }, { s: 1, action: 'ok', dst: '10.0.0.2' }, { s: 2, action: 'ok', dst: '10.0.0.1' }]);
    expect(got.map(([i, d]) => [i, d.groupBy])).toEqual([[2, { host: '10.0.0.1' }]]);
  });

  test('base rules stay quiet unless generate: true', () => {
    const c = corr('event_count', ['failed'], '  condition: {gte: 2}\n');
    expect(feed(evaluator(c), [{ s: 0, action: 'fail', user: 'x' }]).length).toBe(0);
    const g = corr('event_count', ['failed'], '  condition: {gte: 2}\n  generate: true\n');
    expect(feed(evaluator(g), [{ s: 0, action: 'fail', user: 'x' }]).map(([, d]) => [d.kind, d.rule.title])).toEqual([['rule', 'login failed']]);
  });

  test('a correlation can reference a correlation by id; only the outer one emits', () => {
    const c = `title: Outer\nid: c0000000-0000-0000-0000-00000000000a\ncorrelation:\n  type: temporal_ordered\n  rules: [c0000000-0000-0000-0000-00000000000b, ok]\n  group-by: [user]\n  timespan: 10m\nlevel: critical\n---\ntitle: Inner\nid: c0000000-0000-0000-0000-00000000000b\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [user]\n  timespan: 10m\n  condition: {gte: 3}\n`;
    const got = feed(evaluator(c), [
      { s: 0, action: 'fail', user: 'x' },
      { s: 1, action: 'fail', user: 'x' },
      { s: 2, action: 'ok', user: 'x' },
      { s: 3, action: 'fail', user: 'x' },
      { s: 4, action: 'ok', user: 'x' },
    ]);
    expect(got.map(([i, d]) => [i, d.rule.title])).toEqual([[4, 'Outer']]);
    expect(got[0][1].eventIds).toEqual(['fail-0', 'fail-1', 'fail-3', 'ok-4']);
  });

  test('a window fires once and then needs a fresh set of events', () => {
    const c = corr('event_count', ['failed'], '  condition: {gte: 2}\n');
    const got = feed(evaluator(c), [0, 1, 2, 3, 4].map((s) => ({ s, action: 'fail', user: 'x' })));
    expect(got.map(([i]) => i)).toEqual([1, 3]);
  });

  test('an event missing a group-by field does not count', () => {
    const c = corr('event_count', ['failed'], '  condition: {gte: 2}\n');
    const ev = evaluator(c);
    expect(feed(ev, [{ s: 0, action: 'fail' }, { s: 1, action: 'fail' }])).toEqual([]);
    expect(ev.stats().missingGroupBy).toBe(2);
  });
});

describe('load errors of correlations', () => {
  const errOf = (text: string): string => loadRulesFromText(text + BASE, 'c.yml').report.find((r) => !r.ok)?.error ?? '';
  test.each([
    [corr('value_count', ['failed'], '  condition: {gte: 2}\n'), /needs 'condition.field'/],
    [corr('event_count', ['failed'], '  condition: {gte: 2}\n', '[user]', '5 minutes'), /timespan.*not like/],
    [corr('event_count', ['nope'], '  condition: {gte: 2}\n'), /references rule 'nope', which is not loaded/],
    [corr('event_count', ['failed'], '  condition: {most: 2}\n'), /unknown key 'most'/],
    [corr('event_count', ['failed'], ''), /needs a 'condition'/],
    [corr('frequency', ['failed'], ''), /type "frequency" is not one of/],
  ])('%#', (text, re) => {
    expect(errOf(text)).toMatch(re);
  });
  test('reference cycles are rejected', () => {
    const c = `title: A\nname: a\ncorrelation: {type: event_count, rules: [b], group-by: [user], timespan: 1m, condition: {gte: 1}}\n---\ntitle: B\nname: b\ncorrelation: {type: event_count, rules: [a], group-by: [user], timespan: 1m, condition: {gte: 1}}\n`;
    expect(errOf(c)).toMatch(/cycle/);
  });
});

describe('checkpoint, restore and memory bounds', () => {
  const c = corr('event_count', ['failed'], '  condition: {gte: 3}\n');
  test('a restored evaluator resumes open windows', () => {
    const a = evaluator(c);
    feed(a, [{ s: 0, action: 'fail', user: 'x' }, { s: 1, action: 'fail', user: 'x' }]);
    const saved = JSON.parse(JSON.stringify(a.checkpoint()));
    const b = evaluator(c);
    b.restore(saved);
    expect(b.stats().groups).toBe(1);
    expect(feed(b, [{ s: 2, action: 'fail', user: 'x' }]).map(([, d]) => d.eventIds)).toEqual([['fail-0', 'fail-1', 'fail-2']]);
    const fresh = evaluator(c);
    expect(feed(fresh, [{ s: 2, action: 'fail', user: 'x' }])).toEqual([]);
  });

  test('a bad checkpoint is refused with a clear error', () => {
    expect(() => evaluator(c).restore({ v: 99 })).toThrow(/unknown checkpoint version 99/);
  });

  test('groups are capped per rule (least recently used evicted) and dropped once quiet for longer than timespan + lateness', () => {
    const ev = evaluator(c, { maxGroupsPerRule: 5 });
    feed(ev, Array.from({ length: 50 }, (_, i) => ({ s: i, action: 'fail', user: `u${i}` })));
    expect(ev.stats().groups).toBe(5);
    expect(ev.stats().evictedGroups).toBe(45);
    const clock = { now: 0 };
    const ev2 = evaluator(c, { allowedLatenessMs: 60_000 }, clock);
    feed(ev2, Array.from({ length: 100 }, (_, i) => ({ s: i, action: 'fail', user: `u${i}` })));
    expect(ev2.stats().groups).toBe(100);
    clock.now += 10 * 60_000; // timespan, not yet lateness: kept
    ev2.tick();
    expect(ev2.stats().groups).toBe(100);
    clock.now += 5 * 60_000;
    feed(ev2, [{ s: 900, action: 'fail', user: 'same' }]);
    ev2.tick();
    expect(ev2.stats().groups).toBe(1);
  });
});

describe('sliding windows', () => {
  test('event_count slides: the oldest event leaves the window as time moves on', () => {
    const c = corr('event_count', ['failed'], '  condition: {gte: 3}\n', '[user]', '10s');
    const got = feed(evaluator(c), [0, 5, 11, 12].map((s) => ({ s, action: 'fail', user: 'x' })));
    expect(got.map(([i, d]) => [i, d.eventIds])).toEqual([[3, ['fail-5', 'fail-11', 'fail-12']]]);
  });

  test('value_count forgets values that left the window', () => {
    const c = corr('value_count', ['failed'], '  condition:\n    field: user\n    gte: 3\n', '[ip]', '10s');
    const evs: E[] = [
      { s: 0, action: 'fail', ip: 'a', user: 'u1' },
      { s: 5, action: 'fail', ip: 'a', user: 'u2' },
      { s: 11, action: 'fail', ip: 'a', user: 'u2' },
      { s: 12, action: 'fail', ip: 'a', user: 'u3' },
      { s: 13, action: 'fail', ip: 'a', user: 'u1' },
    ];
    expect(feed(evaluator(c), evs).map(([i]) => i)).toEqual([4]);
  });

  test('an event arriving out of order is counted in its place', () => {
    const c = corr('value_count', ['failed'], '  condition:\n    field: user\n    gte: 3\n', '[ip]', '10s');
    const evs: E[] = [
      { s: 10, action: 'fail', ip: 'a', user: 'u1' },
      { s: 2, action: 'fail', ip: 'a', user: 'u2' },
      { s: 5, action: 'fail', ip: 'a', user: 'u3' },
    ];
    expect(feed(evaluator(c), evs).map(([i, d]) => [i, d.eventIds])).toEqual([[2, ['fail-2', 'fail-5', 'fail-10']]]);
  });

  test('the entries cap is an option', () => {
    const c = corr('event_count', ['failed'], '  condition: {gte: 5}\n', '[user]', '1h');
    const small = evaluator(c, { maxEntriesPerGroup: 3 });
    expect(feed(small, [0, 1, 2, 3, 4].map((s) => ({ s, action: 'fail', user: 'x' })))).toEqual([]);
    expect(feed(evaluator(c), [0, 1, 2, 3, 4].map((s) => ({ s, action: 'fail', user: 'x' }))).map(([i]) => i)).toEqual([4]);
  });

  test('a flood into one window that never fires stays bounded and keeps counting right', () => {
    const c = corr('value_count', ['failed'], '  condition:\n    field: user\n    gte: 2\n', '[ip]', '1h');
    const ev = evaluator(c);
    for (let i = 0; i < 30_000; i++) ev.evaluate(mk({ s: i / 10, action: 'fail', ip: 'a', user: 'same' }));
    const cp = ev.checkpoint() as { corr: Record<string, Array<[string, { entries: unknown[] }]>> };
    const groups = Object.values(cp.corr)[0];
    expect(groups).toHaveLength(1);
    expect(groups[0][1].entries.length).toBe(10_000);
    // one new value after the flood completes the condition
    expect(feed(ev, [{ s: 3001, action: 'fail', ip: 'a', user: 'other' }]).map(([i]) => i)).toEqual([0]);
  });
});
