// Agencies and sources: tenants, ingest tokens (create, rotate, revoke), per-source last seen / rate / failure rate, silent sources, dead letters.
import type { ApiAgencyCounts, ApiDeadLetter, ApiSource, ApiToken } from '../../../server/apitypes';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, can, loadTenants, me, tenants, type Tenant } from '../api';
import { agencyName, fmtAgo, fmtTime, t } from '../i18n';
import { useSignal } from '../state';
import { RetentionPanel } from './retention';
import { Agency, download, Empty, ErrorLine, Failure, Loading, Panel } from '../ui';

type Token = ApiToken;
type Source = ApiSource;
type AgencyCounts = ApiAgencyCounts;
type DeadLetter = ApiDeadLetter;

// the periodic monitoring report of the last 6 months (the server's default period), of one agency or of the province (tenant=*)
const periodicReport = (tenant: string) => download(`/api/reports/periodic?tenant=${encodeURIComponent(tenant)}&format=pdf`);

function Tokens({ tenant }: { tenant: string }) {
  const [items, setItems] = useState<Token[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const load = () => api.get<{ items: Token[] }>(`/api/tenants/${tenant}/tokens`).then((r) => setItems(r.items), (e: Error) => setErr(e.message));
  useEffect(() => { load(); }, [tenant]);
  const call = async (p: Promise<{ secret?: string }>) => {
    setErr(null);
    try { const r = await p; setSecret(r.secret ?? null); await load(); } catch (e) { setErr(e instanceof ApiError ? e.message : String(e)); }
  };
  return (
    <div>
      {secret && <div><div class="muted">{t('ag.secret_once')}</div><div class="secret" id="new-secret">{secret}</div></div>}
      <ErrorLine error={err} />
      <table class="grid"><thead><tr><th>ID</th><th>{t('ag.label')}</th><th>{t('ag.created')}</th><th /></tr></thead><tbody>
        {items.map((k) => (
          <tr>
            <td class="mono">{k.id}</td><td>{k.label ?? '—'}</td><td>{fmtTime(k.created)}</td>
            <td class="num">{k.revoked ? <span class="faint">{t('ag.revoked')} {fmtTime(k.revoked)}</span> : <>
              <button class="small ghost" onClick={() => call(api.post(`/api/tokens/${k.id}/rotate`))}>{t('ag.rotate')}</button>{' '}
              <button class="small danger" onClick={() => call(api.post(`/api/tokens/${k.id}/revoke`))}>{t('ag.revoke')}</button></>}
            </td>
          </tr>
        ))}
      </tbody></table>
      <div class="form-row" style="margin-top:6px"><button class="small" onClick={() => call(api.post(`/api/tenants/${tenant}/tokens`, { label: 'console' }))}>{t('ag.create_token')}</button></div>
    </div>
  );
}

export function AgenciesView() {
  const user = useSignal(me);
  const names = useSignal(tenants);
  const [list, setList] = useState<Tenant[] | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const [sources, setSources] = useState<{ items: Source[]; agencies: AgencyCounts[] } | null>(null);
  const [dead, setDead] = useState<DeadLetter[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [form, setForm] = useState({ id: '', name: '' });
  const [created, setCreated] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  // the counters show once both the agencies and their sources are in: no zeros that are only "not loaded yet"
  const load = () => {
    setFailed(null);
    Promise.all([api.get<{ items: Tenant[] }>('/api/tenants'), api.get<{ items: Source[]; agencies: AgencyCounts[] }>('/api/sources')])
      .then(([tl, src]) => { setList(tl.items); setSources(src); }, setFailed);
    api.get<{ items: DeadLetter[] }>('/api/dead-letters?limit=50').then((r) => setDead(r.items), () => undefined);
  };
  useEffect(load, []);
  const add = async (e: Event) => {
    e.preventDefault();
    setErr(null);
    try {
      const r = await api.post<{ token: { secret: string } }>('/api/tenants', form);
      setCreated(r.token.secret);
      setForm({ id: '', name: '' });
      await loadTenants();
      load();
    } catch (x) { setErr(x instanceof ApiError ? x.message : String(x)); }
  };
  const counts = new Map((sources?.agencies ?? []).map((a) => [a.tenant, a]));
  const silent = (sources?.items ?? []).filter((s) => s.silent);
  if (!list || !sources) return <div class="view agencies-view">{failed !== null ? <Failure error={failed} onRetry={load} /> : <Loading />}</div>;

  const provincial = !!user && !user.agencies.length && user.role !== 'viewer';
  return (
    <div class="view agencies-view">
      <ErrorLine error={err} />
      {provincial && <div class="form-row" id="periodic-province"><button type="button" class="small ghost" title={t('rep.periodic_hint')} data-report="periodic.province" onClick={() => periodicReport('*')}>{t('rep.periodic_province')}</button></div>}
      {failed !== null && <Failure error={failed} onRetry={load} />}
      {silent.length > 0 && <div class="panel" style="border-color:#6a5316"><div class="panel-b warn">⚠ {t('ag.silent_warn')}: {silent.map((s) => `${names.get(s.tenant) ?? s.tenant} / ${s.source}${s.dataset ? ` (${s.dataset})` : ''}`).join(' · ')}</div></div>}
      <Panel title={t('ag.agencies')} actions={can.admin(user) && (
        <form class="form-row" onSubmit={add}>
          <input placeholder={t('ag.id') + ' (so-tttt)'} value={form.id} onInput={(e) => setForm({ ...form, id: e.currentTarget.value })} pattern="[a-z0-9][a-z0-9_-]*" required />
          <input placeholder={t('ag.name')} value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} required />
          <button type="submit" class="small">{t('ag.add')}</button>
        </form>
      )}>
        {created && <div><div class="muted">{t('ag.secret_once')}</div><div class="secret">{created}</div></div>}
        <table class="grid" id="agencies"><thead><tr><th>{t('ag.id')}</th><th>{t('ag.name')}</th><th class="num">{t('db.received')}</th><th class="num">{t('ag.fail_rate')}</th><th>{t('ag.last_seen')}</th><th /></tr></thead><tbody>
          {list.map((a) => {
            const c = counts.get(a.id);
            return [
              <tr>
                <td class="mono">{a.id}</td><td title={a.name}>{agencyName(a.name, a.id)}</td><td class="num">{c?.received.toLocaleString() ?? 0}</td>
                <td class="num">{c ? `${(c.failure_rate * 100).toFixed(1)}%` : '—'}</td>
                <td>{c?.last_seen ? <span class={c.silent ? 'warn' : ''}>{fmtAgo(c.last_seen)}{c.silent ? ` · ${t('ag.silent')}` : ''}</span> : <span class="faint">—</span>}</td>
                <td class="num">
                  <button type="button" class="small ghost" title={t('rep.periodic_hint')} data-report={`periodic.${a.id}`} onClick={() => periodicReport(a.id)}>{t('rep.periodic')}</button>{' '}
                  {can.admin(user) && <button class="small ghost" onClick={() => setOpen(open === a.id ? null : a.id)}>{t('ag.tokens')}</button>}
                </td>
              </tr>,
              open === a.id && <tr><td colSpan={6}><Tokens tenant={a.id} /></td></tr>,
            ];
          })}
        </tbody></table>
      </Panel>
      <RetentionPanel />
      <Panel title={t('ag.sources')}>
        {!sources?.items.length ? <Empty>—</Empty> : (
          <table class="grid" id="sources"><thead><tr><th>{t('col.agency')}</th><th>{t('ag.sources')}</th><th>{t('x.dataset')}</th><th>{t('ag.last_seen')}</th><th class="num">{t('ag.rate')}</th><th class="num">{t('ag.fail_rate')}</th><th class="num">{t('ag.48h')}</th></tr></thead><tbody>
            {sources.items.map((s) => (
              <tr>
                <td><Agency id={s.tenant} /></td><td class="mono">{s.source}</td><td class="mono">{s.dataset ?? '—'}</td>
                <td class={s.silent ? 'warn' : ''}>{fmtAgo(s.last_seen)}{s.silent ? ` · ${t('ag.silent')}` : ''}</td>
                <td class="num">{s.per_minute}</td>
                <td class={`num ${s.failure_rate > 0.05 ? 'bad' : ''}`}>{(s.failure_rate * 100).toFixed(1)}%</td>
                <td class="num">{s.events_2d.toLocaleString()}</td>
              </tr>
            ))}
          </tbody></table>
        )}
      </Panel>
      <Panel title={`${t('ag.dead')} (${dead.length})`}>
        {!dead.length ? <Empty>—</Empty> : (
          <table class="grid"><thead><tr><th>{t('col.time')}</th><th>{t('col.agency')}</th><th>{t('ag.listener')}</th><th>{t('ag.sources')}</th><th>{t('ag.reason')}</th><th class="num">{t('x.bytes')}</th></tr></thead><tbody>
            {dead.map((x) => <tr><td>{fmtTime(x.at)}</td><td>{x.tenant ? <Agency id={x.tenant} /> : '—'}</td><td>{x.listener}</td><td class="mono">{x.source ?? '—'}</td><td class="wrap">{x.reason}</td><td class="num">{x.size}</td></tr>)}
          </tbody></table>
        )}
      </Panel>
    </div>
  );
}
