/** The periodic report's period from its query: days in Vietnam time or ISO instants, checked and named when wrong. */

export const PROVINCE = '*'; // tenant=* asks for the whole province
export const MAX_PERIOD_DAYS = 731; // two years: the monthly series and the hourly reads stay small

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** "2026-06-01" is the start of that day in Vietnam (UTC+7); a date-time must carry its offset. */
export function parseInstant(name: string, v: string): { at: string } | { problem: string } {
  const day = DAY.exec(v);
  if (day) {
    const t = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])) - 7 * 3600e3;
    const back = new Date(t + 7 * 3600e3);
    if (Number.isNaN(t) || back.getUTCDate() !== Number(day[3]) || back.getUTCMonth() + 1 !== Number(day[2])) return { problem: `${name}: "${v}" is not a day of the calendar` };
    return { at: new Date(t).toISOString() };
  }
  const t = INSTANT.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) return { problem: `${name}: "${v}" is not a date: give YYYY-MM-DD (Vietnam time) or an ISO date-time with its offset, e.g. 2026-06-01T00:00:00+07:00` };
  return { at: new Date(t).toISOString() };
}

/** [from, to): either bound missing takes the default's; from must be before to, and the period at most MAX_PERIOD_DAYS. */
export function parsePeriod(from: string | undefined, to: string | undefined, fallback: { from: string; to: string }): { from: string; to: string } | { problem: string } {
  const f = from === undefined ? null : parseInstant('from', from);
  if (f && 'problem' in f) return f;
  const t = to === undefined ? null : parseInstant('to', to);
  if (t && 'problem' in t) return t;
  let end = t?.at ?? fallback.to;
  let start = f?.at;
  if (!start) {
    // only "to" given: the default length, ending there
    const span = Date.parse(fallback.to) - Date.parse(fallback.from);
    start = t ? new Date(Date.parse(end) - span).toISOString() : fallback.from;
  }
  if (start >= end) return { problem: `from: ${start} must be before to (${end})` };
  if (Date.parse(end) - Date.parse(start) > MAX_PERIOD_DAYS * 86400e3) return { problem: `to: the period from ${start} to ${end} is longer than ${MAX_PERIOD_DAYS} days; ask for a shorter one` };
  end = new Date(end).toISOString();
  return { from: start, to: end };
}
