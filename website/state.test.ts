import { emptyBaseline } from './baseline';
import { recordOutcome, uptime, type SiteState } from './state';

test('uptime over 24 hours and 30 days counts the checks of each window, and keeps at most 30 days of hours', () => {
  const s: SiteState = { baseline: emptyBaseline(), reported: [], hours: [], changes: [] };
  const t0 = Date.parse('2026-11-01T00:00:00Z');
  // 40 days, one check an hour; down for the whole of day 35 and one hour of the last day
  for (let h = 0; h < 40 * 24; h++) recordOutcome(s, new Date(t0 + h * 3_600_000), !(Math.floor(h / 24) === 35 || h === 40 * 24 - 5));
  const now = new Date(t0 + 40 * 24 * 3_600_000 - 1);
  expect(s.hours.length).toBe(30 * 24);
  expect(uptime(s, now, 24)).toBeCloseTo(24 / 25, 5); // whole hours: the current one and the 24 before it
  expect(uptime(s, now, 24 * 30)).toBeCloseTo((30 * 24 - 25) / (30 * 24), 5);
  expect(uptime({ ...s, hours: [] }, now, 24)).toBeNull();
});
