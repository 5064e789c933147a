// The reporting clock on an incident page (reports/deadlines.ts): when the initial and the final report to the
// competent authority are due, counting down each second, and "record as sent" with the dispatch reference.
import type { ApiIncidentDetail } from '../../../server/apitypes';
import { useState } from 'preact/hooks';
import { fmtDuration, fmtTime, t } from '../i18n';

type Reporting = ApiIncidentDetail['reporting'];
type Deadline = Reporting['deadlines'][number];

/** The state now: the server's, except that an unsent report whose deadline passed since loading is overdue. */
function liveState(dl: Deadline, now: number): { state: Deadline['state']; remaining: number } {
  if (dl.sent_at) return { state: dl.state, remaining: dl.remaining_ms };
  const remaining = Date.parse(dl.due) - now;
  return { state: remaining < 0 ? 'overdue' : dl.state, remaining };
}

function DeadlineRow({ dl, editable, record }: { dl: Deadline; editable: boolean; record(kind: Deadline['kind'], reference: string): Promise<boolean> }) {
  const [reference, setReference] = useState('');
  const { state, remaining } = liveState(dl, Date.now());
  const bad = state === 'overdue' || state === 'sent_late';
  const when =
    state === 'sent' || state === 'sent_late'
      ? t(`rep.${state}`).replace('{at}', fmtTime(dl.sent_at!)).replace('{by}', dl.sent_by ?? '—') + (dl.reference ? ` (${dl.reference})` : '')
      : state === 'overdue'
        ? t('rep.overdue').replace('{d}', fmtDuration(-remaining))
        : t('rep.left').replace('{d}', fmtDuration(remaining));
  return (
    <div class={`box ${bad ? 'bad' : state === 'due_soon' ? 'warn' : 'good'}`} data-deadline={dl.kind} data-state={state}>
      <div class="muted">{t(`rep.${dl.kind}`)} · {t('rep.within_hours').replace('{h}', String(dl.hours))}</div>
      <div class="v">{fmtTime(dl.due)}</div>
      <div class="muted">{when}</div>
      {editable && !dl.sent_at && (
        <form class="row" onSubmit={(e) => { e.preventDefault(); void record(dl.kind, reference).then((ok) => ok && setReference('')); }}>
          <input name="reference" maxLength={500} placeholder={t('rep.reference')} value={reference} onInput={(e) => setReference(e.currentTarget.value)} />
          <button type="submit" class="ghost mini">{t('rep.mark_sent')}</button>
        </form>
      )}
    </div>
  );
}

export function ReportClock({ r, editable, act }: { r: Reporting; editable: boolean; act(body: Record<string, unknown>): Promise<boolean> }) {
  if (!r.required) return <p class="faint" id="rep-clock">{t(r.not_required === 'closed_not_incident' ? 'rep.not_required_closed' : 'rep.not_required')}</p>;
  const record = (kind: Deadline['kind'], reference: string) => act({ action: 'report_sent', kind, reference: reference.trim() || null });
  return (
    <div id="rep-clock">
      <div class="sla">{r.deadlines.map((dl) => <DeadlineRow dl={dl} editable={editable} record={record} />)}</div>
      <p class="faint" title={r.source}>{t('rep.clock_source')}: {r.source}</p>
    </div>
  );
}
