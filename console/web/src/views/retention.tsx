// Retention per agency (GET /api/retention): the security level, the minimum it requires and its source, the retention in force, the oldest event kept, and warnings; an admin sets the level here (PATCH /api/tenants/:id).
import type { ApiAgencyRetention } from '../../../server/apitypes';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, can, me } from '../api';
import { agencyName, fmtTime, lang } from '../i18n';
import { useSignal } from '../state';
import { ErrorLine, Panel } from '../ui';

type Row = ApiAgencyRetention;

// the panel's own words, so it needs no key in the shared dictionary
const WORDS = {
  vi: { title: 'Lưu trữ theo cấp độ', agency: 'Đơn vị', level: 'Cấp độ', minimum: 'Tối thiểu', kept: 'Lưu', oldest: 'Sự kiện cũ nhất', days: 'ngày', none: 'không giới hạn', set: 'Đặt', reason: 'Lý do (khi dưới mức tối thiểu)', override: 'Số ngày (trống: theo cấp độ)' },
  en: { title: 'Retention by security level', agency: 'Agency', level: 'Level', minimum: 'Minimum', kept: 'Kept', oldest: 'Oldest event', days: 'days', none: 'no limit', set: 'Set', reason: 'Reason (when below the minimum)', override: 'Days (empty: the level\'s)' },
};

function LevelForm({ row, done }: { row: Row; done: () => void }) {
  const w = WORDS[lang.get() === 'en' ? 'en' : 'vi'];
  const [level, setLevel] = useState(String(row.security_level ?? ''));
  const [days, setDays] = useState(row.retention_source === 'override' ? String(row.retention_days) : '');
  const [reason, setReason] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const save = async () => {
    setErr(null);
    const body: Record<string, unknown> = { retention_days: days.trim() ? Number(days) : null };
    if (level) body.security_level = Number(level);
    if (reason.trim()) body.retention_reason = reason.trim();
    try { await api.patch(`/api/tenants/${row.tenant}`, body); done(); } catch (e) { setErr(e instanceof ApiError ? e.message : String(e)); }
  };
  return (
    <div class="form-row">
      <select aria-label={w.level} value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value)}>
        <option value="">—</option>{[1, 2, 3, 4, 5].map((l) => <option value={String(l)}>{l}</option>)}
      </select>
      <input type="number" min={1} placeholder={w.override} aria-label={w.override} value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
      <input placeholder={w.reason} aria-label={w.reason} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      <button class="small" onClick={save}>{w.set}</button>
      <ErrorLine error={err} />
    </div>
  );
}

export function RetentionPanel() {
  const user = useSignal(me);
  useSignal(lang);
  const w = WORDS[lang.get() === 'en' ? 'en' : 'vi'];
  const [rows, setRows] = useState<Row[] | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const load = () => api.get<{ items: Row[] }>('/api/retention').then((r) => setRows(r.items), (e: Error) => setErr(e.message));
  useEffect(() => { load(); }, []);
  return (
    <Panel title={w.title} id="retention">
      <ErrorLine error={err} />
      {rows && <table class="grid"><thead><tr><th>{w.agency}</th><th>{w.level}</th><th>{w.minimum}</th><th>{w.kept}</th><th>{w.oldest}</th><th /></tr></thead><tbody>
        {rows.map((r) => [
          <tr data-tenant={r.tenant}>
            <td>{agencyName(r.name, r.tenant)} <span class="mono faint">{r.tenant}</span></td>
            <td class="num">{r.security_level ?? '—'}</td>
            <td class="num" title={r.minimum_source ?? ''}>{r.minimum_days === null ? '—' : `${r.minimum_days} ${w.days}`}{r.minimum_source && <div class="faint">{r.minimum_source}</div>}</td>
            <td class="num">{r.retention_days === null ? w.none : `${r.retention_days} ${w.days}`}</td>
            <td>{r.oldest_event ? `${fmtTime(r.oldest_event)} (${r.kept_days} ${w.days})` : '—'}
              {r.warnings.map((x) => <div class={x.code === 'short_history' ? 'muted' : 'warn'} data-warning={x.code}>{x.message}</div>)}</td>
            <td class="num">{can.admin(user) && <button class="small ghost" onClick={() => setOpen(open === r.tenant ? null : r.tenant)}>{w.set}</button>}</td>
          </tr>,
          open === r.tenant && <tr><td colSpan={6}><LevelForm row={r} done={() => { setOpen(null); load(); }} /></td></tr>,
        ])}
      </tbody></table>}
    </Panel>
  );
}
