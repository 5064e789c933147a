// The triage queue's parts: SLA time left per incident (from /api/incidents/queue), the sort orders, and bulk actions on the selected rows.
import type { ApiQueueSla, ApiTriageQueue } from '../../../server/apitypes';
import { useEffect, useState } from 'preact/hooks';
import { api, type Incident } from '../api';
import { fmtDuration, t } from '../i18n';
import { upsertIncident } from '../live';

export type QueueSla = ApiQueueSla;
export const SORTS = ['last_activity', 'severity', 'sla', 'count'] as const;
export type Sort = (typeof SORTS)[number];
const RANK: Record<string, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** The SLA of every open incident, refreshed when the incidents change (at most every 2 s) and every 30 s. */
export function useQueueSla(version: unknown): Map<string, QueueSla> {
  const [sla, setSla] = useState<Map<string, QueueSla>>(new Map());
  const [tick, setTick] = useState(0);
  useEffect(() => { const i = setInterval(() => setTick((n) => n + 1), 30_000); return () => clearInterval(i); }, []);
  useEffect(() => {
    const timer = setTimeout(() => {
      api.get<ApiTriageQueue>('/api/incidents/queue?status=open&limit=1000')
        .then((r) => setSla(new Map(r.items.map((i) => [i.incident.id, i.sla]))))
        .catch(() => undefined);
    }, 300);
    return () => clearTimeout(timer);
  }, [version, tick]);
  return sla;
}

const leftOf = (s: QueueSla | undefined) => (s?.due ? Date.parse(s.due) - Date.now() : Infinity);

export function sortIncidents(list: Incident[], sort: Sort, sla: Map<string, QueueSla>): Incident[] {
  const last = (a: Incident, b: Incident) => (a.last_seen < b.last_seen ? 1 : a.last_seen > b.last_seen ? -1 : a.id < b.id ? 1 : -1);
  const by: Record<Sort, (a: Incident, b: Incident) => number> = {
    last_activity: () => 0,
    severity: (a, b) => (RANK[b.severity] ?? 0) - (RANK[a.severity] ?? 0),
    sla: (a, b) => leftOf(sla.get(a.id)) - leftOf(sla.get(b.id)),
    count: (a, b) => b.count - a.count,
  };
  return [...list].sort((a, b) => by[sort](a, b) || last(a, b));
}

export function SlaCell({ s }: { s: QueueSla | undefined }) {
  if (!s?.due) return <td class="sla-cell muted">—</td>;
  const left = Date.parse(s.due) - Date.now();
  const over = left < 0;
  return (
    <td class={`sla-cell ${over ? 'sla-breach' : ''}`} data-breached={over ? '1' : '0'} title={`${t(s.stage === 'acknowledge' ? 'sla.ack' : 'sla.resolve')} ${s.due}`}>
      {over ? `${t('sla.over')} ${fmtDuration(-left)}` : `${t('sla.left')} ${fmtDuration(left)}`}
    </td>
  );
}

/** Acknowledge, assign or close the selected incidents at once; says how many could not be changed. */
export function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const [assignee, setAssignee] = useState('');
  const [note, setNote] = useState('');
  if (!ids.length) return null;
  const run = async (body: Record<string, unknown>) => {
    const r = await api.post<{ results: { id: string; ok: boolean; error?: string }[] }>('/api/incidents/bulk', { ids, ...body }).catch((e: Error) => ({ results: ids.map((id) => ({ id, ok: false, error: e.message })) }));
    const failed = r.results.filter((x) => !x.ok);
    setNote(failed.length ? `${failed.length} ${t('bulk.failed')}: ${failed[0].error}` : '');
    for (const x of r.results.filter((y) => y.ok)) {
      const d = await api.get<{ incident: Incident }>(`/api/incidents/${x.id}`).catch(() => null);
      if (d) upsertIncident(d.incident);
    }
    onDone();
  };
  return (
    <div class="toolbar bulk" id="bulk">
      <span class="strong" id="bulk-count">{ids.length} {t('bulk.selected')}</span>
      <button id="bulk-ack" onClick={() => run({ action: 'acknowledge' })}>{t('bulk.ack')}</button>
      <input id="bulk-assignee" placeholder={t('col.assignee')} value={assignee} onInput={(e) => setAssignee(e.currentTarget.value)} maxLength={100} />
      <button id="bulk-assign" disabled={!assignee.trim()} onClick={() => run({ action: 'assign', assignee: assignee.trim() })}>{t('bulk.assign')}</button>
      <button id="bulk-close" class="danger" onClick={() => run({ action: 'close' })}>{t('bulk.close')}</button>
      {note && <span class="err" id="bulk-note">{note}</span>}
    </div>
  );
}
