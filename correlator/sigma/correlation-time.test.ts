/** Correlation time: each group on its own event-time clock, allowed lateness, late bursts, checkpoints across versions. */
import { corr, evaluator, feed, E } from './correlation-fixture';

const c = corr('event_count', ['failed'], '  condition: {gte: 3}\n', '[user]', '10m');

describe('each group keeps its own clock', () => {
  test("a source hours behind keeps its windows while another source's events sweep through", () => {
    const ev = evaluator(c);
    const skewed: E[] = [{ s: 0, action: 'fail', user: 'x' }, { s: 60, action: 'fail', user: 'x' }];
    // 5000 events of a source 5 hours ahead (more than one sweep of the evaluator)
    const ahead: E[] = Array.from({ length: 5000 }, (_, i) => ({ s: 5 * 3600 + i, action: 'fail', user: `y${i}` }));
    const got = feed(ev, [...skewed, ...ahead, { s: 120, action: 'fail', user: 'x' }]);
    expect(got.map(([i, d]) => [i, d.eventIds])).toEqual([[5002, ['fail-0', 'fail-60', 'fail-120']]]);
    expect(ev.stats().lateEntries).toBe(0);
  });

  test('a late burst that falls in its time frame is counted', () => {
    const ev = evaluator(c); // lateness 15 min by default
    // one event at 0s, a newer one from a realtime source at 20 min, then a burst stamped 1-2 min that a host sent late
    const got = feed(ev, [{ s: 0, action: 'fail', user: 'x' }, { s: 1200, action: 'fail', user: 'x' }, { s: 60, action: 'fail', user: 'x' }, { s: 90, action: 'fail', user: 'x' }]);
    expect(got.map(([i, d]) => [i, d.eventIds])).toEqual([[3, ['fail-0', 'fail-60', 'fail-90']]]);
  });

  test('a burst later than the allowed lateness is counted as late and does not count', () => {
    const ev = evaluator(c, { allowedLatenessMs: 60_000 });
    const got = feed(ev, [{ s: 0, action: 'fail', user: 'x' }, { s: 1200, action: 'fail', user: 'x' }, { s: 60, action: 'fail', user: 'x' }, { s: 90, action: 'fail', user: 'x' }]);
    expect(got).toEqual([]);
    expect(ev.stats().lateEntries).toBe(2);
  });

  test('a late event completes a window that ends after it (every window it falls in is judged)', () => {
    const ev = evaluator(c);
    // the late 300 s falls in the window [200 s, 800 s] with 500 s and 800 s
    const got = feed(ev, [{ s: 500, action: 'fail', user: 'x' }, { s: 800, action: 'fail', user: 'x' }, { s: 300, action: 'fail', user: 'x' }]);
    expect(got.map(([, d]) => d.eventIds)).toEqual([['fail-300', 'fail-500', 'fail-800']]);
    // near miss: 300 s, 500 s and 1000 s fit in no 10-minute window
    expect(feed(evaluator(c), [{ s: 500, action: 'fail', user: 'x' }, { s: 1000, action: 'fail', user: 'x' }, { s: 300, action: 'fail', user: 'x' }])).toEqual([]);
  });
});

describe('checkpoints', () => {
  test('a version 1 checkpoint (before per-group clocks) still restores and its windows go on', () => {
    const v1 = {
      v: 1,
      seq: 2,
      corr: {
        'c0000000-0000-0000-0000-000000000001': [
          ['org1\u0001x', { groupBy: { user: 'x' }, tenant: 'org1', entries: [{ t: Date.UTC(2026, 10, 28, 1, 0, 0), r: 0, u: 1, id: 'fail-0' }, { t: Date.UTC(2026, 10, 28, 1, 0, 1), r: 0, u: 2, id: 'fail-1' }] }],
        ],
      },
    };
    const ev = evaluator(c);
    ev.restore(v1);
    expect(ev.stats().groups).toBe(1);
    expect(feed(ev, [{ s: 2, action: 'fail', user: 'x' }]).map(([, d]) => d.eventIds)).toEqual([['fail-0', 'fail-1', 'fail-2']]);
  });

  test('a version 2 checkpoint keeps the frame state of an upper-bounded condition', () => {
    const lt = corr('event_count', ['failed'], '  condition: {lt: 3}\n', '[user]', '10m');
    const clock = { now: 0 };
    const a = evaluator(lt, {}, clock);
    feed(a, [{ s: 0, action: 'fail', user: 'x' }, { s: 1, action: 'fail', user: 'x' }]);
    const saved = JSON.parse(JSON.stringify(a.checkpoint()));
    expect(saved.v).toBe(2);
    const b = evaluator(lt, {}, clock);
    b.restore(saved);
    feed(b, [{ s: 2, action: 'fail', user: 'x' }]); // the third: too many
    clock.now += 86_400_000;
    expect(b.tick()).toEqual([]);
  });

  test('an unknown version is refused, naming the versions this one reads', () => {
    expect(() => evaluator(c).restore({ v: 3, corr: {} })).toThrow(/unknown checkpoint version 3 \(this version reads 1 and 2\)/);
  });
});
