import { formatSummary, parseStallArgs, percentile, type PhaseFigures } from './summary';

const phase = (name: string, ack: number[], push: number[], reads: number[] = []): PhaseFigures => ({ name, ackMs: ack, ackRefused: 0, pushMs: push, pushMissed: 1, readMs: reads, readRefused: 2, readTimedOut: 3, readFailed: 0, eventsSent: 30_000, seconds: 30 });

describe('bench/stall summary', () => {
  it('takes the nearest-rank percentile, so one slow batch in a hundred is the p99', () => {
    const xs = [...Array.from({ length: 99 }, () => 5), 900];
    expect(percentile(xs, 99)).toBe(5);
    expect(percentile([...xs, 901], 99)).toBe(900);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([], 99)).toBeUndefined();
  });

  it('reads its options and names a bad one', () => {
    expect(parseStallArgs([])).toEqual({ seconds: 30, rate: 1000, readers: 2, preload: 300_000 });
    expect(parseStallArgs(['--seconds', '10', '--readers', '0', '--preload', '50000', '--rate', '500'])).toEqual({ seconds: 10, rate: 500, readers: 0, preload: 50_000 });
    expect(() => parseStallArgs(['--reader', '2'])).toThrow('bench/stall: unknown option "--reader"');
    expect(() => parseStallArgs(['--rate', 'fast'])).toThrow('bench/stall: --rate wants a whole number ≥ 1, got "fast"');
    expect(() => parseStallArgs(['--seconds'])).toThrow('got ""');
  });

  it('prints the readers/quiet ratios of p99 ack and push first, then a row per phase with reads, 503s and timeouts', () => {
    const lines = formatSummary(phase('quiet', [10, 20], [4, 8]), phase('readers', [15, 50], [6, 32], [100, 200, 300]));
    expect(lines[0]).toBe('ratio readers / quiet: p99 ingest ack 2.50, p99 incident push 4.00 (target ≤ 2)');
    expect(lines[3].split(/\s+/)).toEqual(['readers', '15.0', '50.0', '50.0', '0', '6.0', '32.0', '32.0', '2/3', '3', '200.0', '300.0', '2', '3', '0', '1000']);
    expect(lines[2]).toMatch(/^quiet .* 0 +- +- +2 +3 +0 +1000$/);
  });
});
