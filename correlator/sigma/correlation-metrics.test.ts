/** Metric correlations (value_sum, value_avg, value_median, value_percentile): a match and a near miss each. */
import { loadRulesFromText } from './index';
import { BASE, corr, evaluator, feed, feedAndClose, E } from './correlation-fixture';

const recon = (ip: string, bytes: number[], from = 0): E[] => bytes.map((b, i) => ({ s: from + i, action: 'recon', ip, bytes: b }));
const metric = (type: string, cond: string): string => corr(type, ['recon'], `  condition:\n    field: bytes\n${cond}`, '[ip]', '1h');

describe('value_sum', () => {
  const c = metric('value_sum', '    gt: 1000\n');
  test('fires as soon as the sum in the frame passes the threshold', () => {
    expect(feed(evaluator(c), recon('a', [400, 400, 201])).map(([i]) => i)).toEqual([2]);
  });
  test('near miss: the same sum spread over more than the timespan', () => {
    expect(feed(evaluator(c), [...recon('a', [400, 400]), ...recon('a', [201], 3601)])).toEqual([]);
  });
  test('with an upper bound (exfiltration between 1000 and 2000) it waits for the frame', () => {
    const r = metric('value_sum', '    gt: 1000\n    lte: 2000\n');
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(r, {}, clock), recon('a', [600, 600]), clock).map(([i]) => i)).toEqual([-1]);
    expect(feedAndClose(evaluator(r, {}, clock), recon('a', [600, 600, 900]), clock)).toEqual([]);
  });
});

describe('value_median', () => {
  const c = metric('value_median', '    gte: 100\n');
  test('the median of the frame (even count: the mean of the middle two)', () => {
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(c, {}, clock), recon('a', [1, 100, 100, 5000]), clock).map(([i]) => i)).toEqual([-1]);
  });
  test('near miss: one huge value does not move the median', () => {
    const clock = { now: 0 };
    expect(feedAndClose(evaluator(c, {}, clock), recon('a', [1, 2, 99, 1_000_000]), clock)).toEqual([]);
  });
});

describe('value_percentile', () => {
  test('with percentile: p, the p-th percentile of the field (linear interpolation)', () => {
    const c = metric('value_percentile', '    percentile: 90\n    gte: 900\n');
    const clock = { now: 0 };
    // 1..10 times 100: p90 at rank 8.1 = 900 + 0.1 * 100 = 910
    expect(feedAndClose(evaluator(c, {}, clock), recon('a', [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]), clock).map(([i]) => i)).toEqual([-1]);
    expect(feedAndClose(evaluator(c, {}, clock), recon('a', [100, 200, 300, 400, 500, 600, 700, 800, 800, 1000]), clock)).toEqual([]);
  });
  test('a percentile outside 0..100 is refused at load', () => {
    const bad = metric('value_percentile', '    percentile: 101\n    gte: 1\n');
    expect(loadRulesFromText(bad + BASE, 'c.yml').report.find((r) => !r.ok)?.error).toMatch(/'percentile' must be a number from 0 to 100/);
  });
});

describe('value_avg', () => {
  const c = metric('value_avg', '    gt: 500\n');
  test('the mean of the closed frame, per group', () => {
    const clock = { now: 0 };
    const got = feedAndClose(evaluator(c, {}, clock), [...recon('a', [400, 700]), ...recon('b', [400, 500])], clock);
    expect(got.map(([, d]) => d.groupBy)).toEqual([{ ip: 'a' }]);
  });
  test('events without a numeric value do not pull the mean down', () => {
    const clock = { now: 0 };
    const evs: E[] = [...recon('a', [700]), { s: 5, action: 'recon', ip: 'a' }];
    expect(feedAndClose(evaluator(c, {}, clock), evs, clock)).toHaveLength(1);
  });
});
