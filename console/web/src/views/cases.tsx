// Cases: each agency's investigations, open ones first by default, with how many incidents, observables and comments they hold; a form to open one.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, can, me, qs, tenants } from '../api';
import { fmtTime, t } from '../i18n';
import { go } from '../router';
import { useSignal } from '../state';
import { Agency, Empty, ErrorLine, Panel, SEVERITIES, Sev } from '../ui';
import { TLP_LEVELS, type CaseChanged, type CaseList } from './casetypes';

export const Tlp = ({ v }: { v: string }) => <span class={`tag tlp tlp-${v.replace('+', '-').toLowerCase()}`}>TLP:{v}</span>;
export const CaseStatus = ({ s }: { s: string }) => <span class={`st st-case-${s}`}>{t(`c.st.${s}`)}</span>;

function NewCase({ onError }: { onError(e: string | null): void }) {
  const names = useSignal(tenants);
  const user = useSignal(me);
  const [f, setF] = useState({ title: '', tenant: user?.agencies.length === 1 ? user.agencies[0] : '', severity: 'medium', tlp: 'AMBER' });
  const submit = async (e: Event) => {
    e.preventDefault();
    onError(null);
    try {
      const r = await api.post<CaseChanged>('/api/cases', { title: f.title, tenant: f.tenant, severity: f.severity, tlp: f.tlp });
      go(`case/${r.case.id}`);
    } catch (err) {
      onError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <form class="form-row" onSubmit={submit} id="case-new">
      <input placeholder={t('c.title')} value={f.title} onInput={(e) => setF({ ...f, title: e.currentTarget.value })} required name="title" />
      <select value={f.tenant} onChange={(e) => setF({ ...f, tenant: e.currentTarget.value })} required name="tenant">
        <option value="">{t('col.agency')}…</option>
        {[...names.entries()].map(([id, name]) => <option value={id}>{name}</option>)}
      </select>
      <select value={f.severity} onChange={(e) => setF({ ...f, severity: e.currentTarget.value })}>{SEVERITIES.map((s) => <option value={s}>{t(`sev.${s}`)}</option>)}</select>
      <select value={f.tlp} onChange={(e) => setF({ ...f, tlp: e.currentTarget.value })}>{TLP_LEVELS.map((x) => <option value={x}>TLP:{x}</option>)}</select>
      <button type="submit">{t('c.new')}</button>
    </form>
  );
}

export function CasesView() {
  const user = useSignal(me);
  const [status, setStatus] = useState('open');
  const [list, setList] = useState<CaseList | null>(null);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    api.get<CaseList>(`/api/cases?${qs({ status: status === 'all' ? undefined : status, limit: 500 })}`).then(setList, (e: Error) => setErr(e.message));
  }, [status]);
  return (
    <div class="view cases-view">
      <ErrorLine error={err} />
      <Panel
        title={`${t('c.cases')}${list ? ` (${list.total})` : ''}`}
        actions={<>
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)} id="case-status-filter">
            <option value="open">{t('st.open')}</option><option value="closed">{t('c.st.closed')}</option><option value="all">{t('all')}</option>
          </select>
          {can.change(user) && <NewCase onError={setErr} />}
        </>}
      >
        {list && list.items.length === 0 ? <Empty>{t('c.none')}</Empty> : (
          <table class="grid" id="cases-table">
            <thead><tr><th>{t('col.severity')}</th><th>{t('c.title')}</th><th>{t('col.agency')}</th><th>{t('c.tlp')}</th><th>{t('c.status')}</th><th>{t('col.assignee')}</th><th>{t('c.counts')}</th><th>{t('c.updated')}</th></tr></thead>
            <tbody>
              {(list?.items ?? []).map((c) => (
                <tr data-id={c.id} onClick={() => go(`case/${c.id}`)}>
                  <td><Sev s={c.severity} /></td><td class="wrap"><a href={`#/case/${c.id}`}>{c.title}</a></td><td><Agency id={c.tenant} /></td>
                  <td><Tlp v={c.tlp} /></td><td><CaseStatus s={c.status} /></td><td>{c.assignee ?? '—'}</td>
                  <td class="mono">{c.incidents.length} / {c.observable_count} / {c.comment_count}</td><td>{fmtTime(c.updated)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}
