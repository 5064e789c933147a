// "Add to case" on an incident: the cases it is in, adding it to an open case of its agency, or opening a new case from it (its entities become the first observables).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, can, me, qs, type Incident } from '../api';
import { t } from '../i18n';
import { go } from '../router';
import { useSignal } from '../state';
import { ErrorLine, Panel } from '../ui';
import { CaseStatus } from './cases';
import type { CaseChanged, CaseList } from './casetypes';

export function AddToCase({ inc }: { inc: Incident }) {
  const user = useSignal(me);
  const [mine, setMine] = useState<CaseList['items']>([]);
  const [open, setOpen] = useState<CaseList['items']>([]);
  const [pick, setPick] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () => {
    api.get<CaseList>(`/api/cases?${qs({ incident: inc.id, limit: 100 })}`).then((r) => setMine(r.items), (e: Error) => setErr(e.message));
    api.get<CaseList>(`/api/cases?${qs({ agency: inc.tenant, status: 'open', limit: 200 })}`).then((r) => setOpen(r.items), () => setOpen([]));
  };
  useEffect(load, [inc.id]);
  const run = async (f: () => Promise<CaseChanged>) => {
    setBusy(true);
    setErr(null);
    try {
      const r = await f();
      go(`case/${r.case.id}`);
    } catch (e) {
      setErr(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const create = () => run(async () => {
    const r = await api.post<CaseChanged>('/api/cases', { tenant: inc.tenant, title: inc.title, severity: inc.severity, incidents: [inc.id] });
    return api.post<CaseChanged>(`/api/cases/${r.case.id}/observables/from-incident`, { incident: inc.id });
  });
  const candidates = open.filter((c) => !c.incidents.includes(inc.id));
  return (
    <Panel title={t('c.add_to_case')} id="add-to-case">
      {mine.length > 0 && (
        <div class="row">{t('c.in_cases')}: {mine.map((c) => <a href={`#/case/${c.id}`} class="tag" data-case={c.id}>{c.title} <CaseStatus s={c.status} /></a>)}</div>
      )}
      {can.change(user) && (
        <div class="actions">
          {candidates.length > 0 && (
            <div class="row">
              <select value={pick} onChange={(e) => setPick(e.currentTarget.value)} id="case-pick">
                <option value="">{t('c.pick')}</option>
                {candidates.map((c) => <option value={c.id}>{c.title}</option>)}
              </select>
              <button disabled={busy || !pick} onClick={() => run(() => api.post<CaseChanged>(`/api/cases/${pick}/incidents`, { incident: inc.id }))} id="case-link">{t('c.add')}</button>
            </div>
          )}
          <div class="row"><button class="ghost" disabled={busy} onClick={create} id="case-create-from-incident">{t('c.create_from')}</button></div>
        </div>
      )}
      <ErrorLine error={err} />
    </Panel>
  );
}
