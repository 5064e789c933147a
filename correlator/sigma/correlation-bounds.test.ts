/** Upper-bounded correlation conditions (lt, lte, eq, ranges): judged on a closed frame; a group with too many events does not match. */
import { corr, evaluator, feed, feedAndClose, E } from './correlation-fixture';

const fails = (n: number, user = 'x', from = 0): E[] => Array.from({ length: n }, (_, i) => ({ s: from + i, action: 'fail', user }));

describe.each([
  ['lt: 3', '{lt: 3}', 2, 3],
  ['lte: 2', '{lte: 2}', 2, 3],
  ['eq: 2', '{eq: 2}', 2, 3],
  ['gte: 2 + lt: 4 (range)', '{gte: 2, lt: 4}', 3, 4],
])('event_count %s', (_name, cond, ok, tooMany) => {
  const c = corr('event_count', ['failed'], `  condition: ${cond}\n`);
  test(`${ok} events in the frame match, once the frame has closed`, () => {
    const clock = { now: 0 };
    const ev = evaluator(c, {}, clock);
    expect(feed(ev, fails(ok))).toEqual([]); // not yet: more events may still come
    clock.now += 86_400_000;
    const got = ev.tick();
    expect(got).toHaveLength(1);
    expect(got[0].eventIds).toEqual(fails(ok).map((e) => `fail-${e.s}`));
    expect(got[0].groupBy).toEqual({ user: 'x' });
  });
  test(`too many (${tooMany}) events in the frame do not match`, () => {
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(c, {}, clock), fails(tooMany), clock)).toEqual([]);
  });
});

describe('frames', () => {
  const c = corr('event_count', ['failed'], '  condition: {lt: 3}\n', '[user]', '10m');
  test("a later event of the same group closes the frame on the group's own clock (frame end + lateness)", () => {
    const ev = evaluator(c, { allowedLatenessMs: 60_000 });
    // frame [0s, 600s]; it closes when the group sees an event after 600 + 60 s
    const got = feed(ev, [{ s: 0, action: 'fail', user: 'x' }, { s: 100, action: 'fail', user: 'x' }, { s: 650, action: 'fail', user: 'x' }, { s: 700, action: 'fail', user: 'x' }]);
    expect(got.map(([i, d]) => [i, d.eventIds])).toEqual([[3, ['fail-0', 'fail-100']]]);
  });
  test('another group being ahead closes nothing', () => {
    const ev = evaluator(c, { allowedLatenessMs: 60_000 });
    expect(feed(ev, [{ s: 0, action: 'fail', user: 'x' }, { s: 5000, action: 'fail', user: 'y' }, { s: 9000, action: 'fail', user: 'y' }]).map(([, d]) => d.groupBy)).toEqual([{ user: 'y' }]);
    expect(ev.stats().groups).toBe(2);
  });
  test('the wall clock closes the frame of a quiet group only after timespan + lateness', () => {
    const clock = { now: 0 };
    const ev = evaluator(c, { allowedLatenessMs: 60_000 }, clock);
    feed(ev, fails(2));
    clock.now += 600_000;
    expect(ev.tick()).toEqual([]);
    clock.now += 61_000;
    expect(ev.tick().map((d) => d.eventIds)).toEqual([['fail-0', 'fail-1']]);
    expect(ev.tick()).toEqual([]); // judged once
  });
  test('events of the next frame are judged on their own', () => {
    const clock = { now: 0 };
    const ev = evaluator(c, { allowedLatenessMs: 0 }, clock);
    // frame 1 [0, 600]: 4 events (too many); frame 2 from 700: 2 events
    const got = feedAndClose(ev, [...fails(4), ...fails(2, 'x', 700)], clock);
    expect(got.map(([, d]) => d.eventIds)).toEqual([['fail-700', 'fail-701']]);
  });
});

describe('value_count and temporal with upper bounds', () => {
  test('value_count lte: 2 — two distinct users match, three do not', () => {
    const c = corr('value_count', ['failed'], '  condition:\n    field: user\n    lte: 2\n', '[ip]');
    const clock = { now: 0 };
    const two: E[] = [{ s: 0, action: 'fail', ip: 'a', user: 'u1' }, { s: 1, action: 'fail', ip: 'a', user: 'u2' }, { s: 2, action: 'fail', ip: 'a', user: 'u1' }];
    expect(feedAndClose(evaluator(c, {}, clock), two, clock)).toHaveLength(1);
    expect(feedAndClose(evaluator(c, {}, clock), [...two, { s: 3, action: 'fail', ip: 'a', user: 'u3' }], clock)).toEqual([]);
  });
  test('temporal eq: 2 — exactly two of the three rules', () => {
    const c = corr('temporal', ['failed', 'ok', 'recon'], '  condition: {eq: 2}\n');
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(c, {}, clock), [{ s: 0, action: 'fail', user: 'x' }, { s: 1, action: 'ok', user: 'x' }], clock)).toHaveLength(1);
    expect(feedAndClose(evaluator(c, {}, clock), [{ s: 0, action: 'fail', user: 'x' }, { s: 1, action: 'ok', user: 'x' }, { s: 2, action: 'recon', user: 'x' }], clock)).toEqual([]);
  });
});

describe('memory of final conditions', () => {
  test('a flood into one frame stays bounded, and an event_count still counts what the cap dropped', () => {
    const c = corr('event_count', ['failed'], '  condition: {lt: 5000}\n', '[user]', '1h');
    const clock = { now: 0 };
    const ev = evaluator(c, { maxEntriesPerGroup: 1000 }, clock);
    for (let i = 0; i < 20_000; i++) ev.evaluate({ '@timestamp': new Date(Date.UTC(2026, 10, 28) + i * 100).toISOString(), event: { id: `f${i}` }, action: 'fail', user: 'x', organization: { id: 'o' } });
    const cp = ev.checkpoint() as { corr: Record<string, Array<[string, { entries: unknown[] }]>> };
    expect(Object.values(cp.corr)[0][0][1].entries.length).toBeLessThanOrEqual(1000);
    clock.now += 86_400_000;
    expect(ev.tick()).toEqual([]); // 20,000 events in the hour: not fewer than 5000
  });
});

describe('chains', () => {
  test('a final inner correlation that fires on the wall clock feeds the outer one with the group it read from its events', () => {
    const c = `title: Outer\nid: c0000000-0000-0000-0000-0000000000a1\ncorrelation:\n  type: temporal_ordered\n  rules: [c0000000-0000-0000-0000-0000000000b1, ok]\n  group-by: [user]\n  timespan: 1h\nlevel: critical\n---\ntitle: Inner\nid: c0000000-0000-0000-0000-0000000000b1\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [user]\n  timespan: 10m\n  condition: {lt: 3}\n`;
    const clock = { now: 0 };
    const ev = evaluator(c, {}, clock);
    expect(feed(ev, [{ s: 0, action: 'fail', user: 'x' }, { s: 1, action: 'fail', user: 'x' }, { s: 5, action: 'ok', user: 'x' }])).toEqual([]);
    clock.now += 2 * 3600_000; // the inner frame closed long ago, and the outer group is quiet too: closes are fed before idle groups go
    const got = ev.tick();
    expect(got.map((d) => [d.rule.title, d.groupBy, d.eventIds])).toEqual([['Outer', { user: 'x' }, ['fail-0', 'fail-1', 'ok-5']]]);
  });
});

describe('end of the input', () => {
  test('tick(Infinity) judges every open frame (what `canhgac sigma match` does after the last event)', () => {
    const c = corr('event_count', ['failed'], '  condition: {lt: 3}\n');
    const ev = evaluator(c); // the wall clock never moves
    feed(ev, [{ s: 0, action: 'fail', user: 'x' }, ...fails(5, 'y')]);
    expect(ev.tick().length).toBe(0);
    expect(ev.tick(Infinity).map((d) => d.groupBy)).toEqual([{ user: 'x' }]);
    expect(ev.stats().groups).toBe(0);
  });
});
