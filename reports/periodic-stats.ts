/** Small figures of the periodic report: counts, mean and median, Vietnam calendar months, durations in Vietnamese. */
import type { TopValue } from '../core/store/store';
import { VN_OFFSET_MS } from './incident';

export function count(xs: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

export const mean = (xs: number[]): number | null => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
}

export const top = (values: TopValue[], label: (v: string) => string) => values.map((v) => ({ key: v.value, label: label(v.value), count: v.count }));

const vn = (iso: string) => new Date(Date.parse(iso) + VN_OFFSET_MS);
const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-07": the Vietnam calendar month an instant falls in. */
export function monthOf(iso: string): string {
  const d = vn(iso);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

/** The Vietnam months [from, to) touches, oldest first, each with its label "T7/2026". */
export function monthsOf(from: string, to: string): { key: string; label: string }[] {
  const last = monthOf(new Date(Date.parse(to) - 1).toISOString());
  const d = vn(from);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth() + 1;
  const out: { key: string; label: string }[] = [];
  for (;;) {
    const key = `${y}-${pad(m)}`;
    out.push({ key, label: `T${m}/${y}` });
    if (key >= last || out.length > 240) return out;
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
}

/** "2 giờ 5 phút", "3 ngày 4 giờ", "45 giây"; "—" when there is nothing to measure. */
export function durationVi(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} giây`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} phút`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} giờ ${min % 60} phút` : `${h} giờ`;
  const days = Math.floor(h / 24);
  return h % 24 ? `${days} ngày ${h % 24} giờ` : `${days} ngày`;
}

/** "07/06/2026": a day in Vietnam time. */
export function vnDay(iso: string): string {
  const d = vn(iso);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** The default period: the `months` calendar months ending at `now`. */
export function defaultPeriod(now: Date, months: number): { from: string; to: string } {
  const from = new Date(now);
  from.setUTCMonth(from.getUTCMonth() - months);
  return { from: from.toISOString(), to: now.toISOString() };
}
