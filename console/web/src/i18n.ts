// Vietnamese by default, English selectable; the choice and the time zone are kept in localStorage.
// The words and the glossary are in dictionaries.ts.
import { signal } from './state';
import { dictionaries, en, vi, type Key } from './dictionaries';

export { dictionaries };

export type Lang = 'vi' | 'en';
const stored = (k: string) => { try { return localStorage.getItem(k); } catch { return null; } };
export const lang = signal<Lang>((stored('canhgac.lang') as Lang) === 'en' ? 'en' : 'vi');
export const timeZone = signal<string>(stored('canhgac.tz') || 'Asia/Ho_Chi_Minh');

export function setLang(l: Lang): void { lang.set(l); try { localStorage.setItem('canhgac.lang', l); } catch { /* private mode */ } document.documentElement.lang = l; }
export function setTimeZone(tz: string): void { timeZone.set(tz); try { localStorage.setItem('canhgac.tz', tz); } catch { /* private mode */ } }

export function t(key: Key | string): string {
  const dict = (lang.get() === 'en' ? en : vi) as Record<string, string>;
  return dict[key] ?? key;
}

let fmtCache: { key: string; full: Intl.DateTimeFormat; short: Intl.DateTimeFormat } | null = null;
function fmts() {
  const key = `${lang.get()}|${timeZone.get()}`;
  if (!fmtCache || fmtCache.key !== key) {
    const loc = lang.get() === 'en' ? 'en-GB' : 'vi-VN';
    fmtCache = {
      key,
      full: new Intl.DateTimeFormat(loc, { timeZone: timeZone.get(), year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }),
      short: new Intl.DateTimeFormat(loc, { timeZone: timeZone.get(), month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }),
    };
  }
  return fmtCache;
}
export const fmtTime = (iso?: string | null) => (iso ? fmts().full.format(new Date(iso)) : '');
export const fmtShort = (iso?: string | null) => (iso ? fmts().short.format(new Date(iso)) : '');

/** "7 phút 28 giây" in vi, "7m 28s" in en: the two largest units, the way an analyst reads an SLA clock. */
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  const parts: [number, string][] = [[Math.floor(s / 86400), 'd'], [Math.floor((s % 86400) / 3600), 'h'], [Math.floor((s % 3600) / 60), 'm'], [s % 60, 's']];
  const first = parts.findIndex(([n]) => n > 0);
  const shown = first < 0 ? [parts[3]] : parts.slice(first, first + 2).filter(([n], i) => i === 0 || n > 0);
  const sep = lang.get() === 'en' ? '' : ' ';
  return shown.map(([n, u]) => `${n}${sep}${t(`du.${u}`)}`).join(' ');
}

/** How long ago: "7 phút 28 giây trước". */
export function fmtAgo(iso?: string | null): string {
  if (!iso) return '—';
  return t('du.ago').replace('{0}', fmtDuration(Date.now() - Date.parse(iso)));
}

/** How long a block or an indicator lasts: "7d" as "7 ngày", "never" as "Không hết hạn". */
export function ttlLabel(v: string): string {
  const m = /^(\d+)([dhm])$/.exec(v);
  if (!m) return v === 'never' ? t('ttl.never') : v;
  return fmtDuration(Number(m[1]) * { d: 86400000, h: 3600000, m: 60000 }[m[2] as 'd' | 'h' | 'm']);
}

/** An agency's name: the default agency's stored English name is shown in the reader's language. */
export function agencyName(name: string | undefined, id: string): string {
  if (!name) return id;
  return name === 'Default agency (unmapped syslog sources)' ? t('ag.default_name') : name;
}

/** The console's message for a refusal the server coded (errors.ts), else the server's own words. */
export function errorText(code: unknown, serverMessage: string, retryAfterS?: unknown): string {
  const key = `err.${String(code)}`;
  if (typeof code !== 'string' || t(key) === key) return serverMessage;
  const retry = Number(retryAfterS) > 0 ? `; ${t('err.retry').replace('{0}', fmtDuration(Number(retryAfterS) * 1000))}` : '';
  // a 400 or 409 names the field or the value at fault: that part is kept
  return code === 'bad_request' || code === 'conflict' ? `${t(key)}: ${serverMessage}` : `${t(key)}${retry}`;
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function zoneOffsetMs(utcMs: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(utcMs / 1000) * 1000;
}

/** A wall-clock "YYYY-MM-DDTHH:mm" (a datetime-local input) in the chosen zone, as epoch milliseconds. */
export function zonedInputToMs(local: string, tz = timeZone.get()): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return NaN;
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  return guess - zoneOffsetMs(guess - zoneOffsetMs(guess, tz), tz);
}

/** Epoch milliseconds as a datetime-local value in the chosen zone. */
export function msToZonedInput(ms: number, tz = timeZone.get()): string {
  return new Date(ms + zoneOffsetMs(ms, tz)).toISOString().slice(0, 16);
}
