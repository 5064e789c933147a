// Website watch: each agency's sites with state, uptime 24 h / 30 d, latency, certificate expiry and the last change; the text snapshots side by side.
import type { ApiWebsite, ApiWebsiteSnapshots } from '../../../server/apitypes';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, can, me, tenants } from '../api';
import { fmtAgo, fmtTime, t } from '../i18n';
import { useSignal } from '../state';
import { route } from '../routes';
import { Agency, Empty, ErrorLine, Panel } from '../ui';
import { SideBySideDiff } from './websitediff';

// the shapes console/server/websiteschemas.ts declares, not copies
type Site = ApiWebsite;
type Snapshots = ApiWebsiteSnapshots;

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

function SnapshotPanel({ site, onClose }: { site: Site; onClose(): void }) {
  const [snap, setSnap] = useState<Snapshots | null>(null);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => { route.get('/api/websites/:id/snapshots', { id: site.id }).then(setSnap, (e: Error) => setErr(e.message)); }, [site.id]);
  return (
    <Panel title={`${t('w.snapshots')}: ${site.url}`} actions={<button class="small ghost" onClick={onClose}>{t('close')}</button>} id="website-snapshots">
      <ErrorLine error={err} />
      {snap && <SideBySideDiff data={snap.sideBySide} baselineAt={snap.baseline?.at ?? null} change={snap.changes[0] ?? null} />}
    </Panel>
  );
}

export function WebsitesView() {
  const user = useSignal(me);
  const names = useSignal(tenants);
  const [items, setItems] = useState<Site[]>([]);
  const [err, setErr] = useState<string | null>(null);
  const [open, setOpen] = useState<Site | null>(null);
  const [form, setForm] = useState({ url: '', tenant: '', interval: '300', keywords: '' });
  const load = () => route.get('/api/websites', {}).then((r) => setItems(r.items), (e: Error) => setErr(e.message));
  useEffect(() => { load(); }, []);
  const call = async (p: Promise<unknown>) => {
    setErr(null);
    try { await p; await load(); } catch (e) { setErr(e instanceof ApiError ? e.message : String(e)); }
  };
  const add = (e: Event) => {
    e.preventDefault();
    const keywords = form.keywords.split(',').map((k) => k.trim()).filter(Boolean);
    void call(route.post('/api/websites', {}, { url: form.url, tenant: form.tenant, interval: Number(form.interval), ...(keywords.length ? { keywords } : {}) }).then(() => setForm({ ...form, url: '', keywords: '' })));
  };
  const admin = can.admin(user);
  return (
    <div class="view websites-view">
      <ErrorLine error={err} />
      <Panel title={t('w.sites')} actions={admin && (
        <form class="form-row" onSubmit={add} id="website-add">
          <input placeholder={t('w.url')} value={form.url} onInput={(e) => setForm({ ...form, url: e.currentTarget.value })} type="url" required />
          <select value={form.tenant} onChange={(e) => setForm({ ...form, tenant: e.currentTarget.value })} required>
            <option value="">—</option>
            {[...names.entries()].map(([id, name]) => <option value={id}>{name}</option>)}
          </select>
          <input placeholder={t('w.interval')} value={form.interval} onInput={(e) => setForm({ ...form, interval: e.currentTarget.value })} inputMode="numeric" size={6} />
          <input placeholder={t('w.keywords')} value={form.keywords} onInput={(e) => setForm({ ...form, keywords: e.currentTarget.value })} />
          <button type="submit">{t('w.add')}</button>
        </form>
      )}>
        {items.length === 0 ? <Empty>{t('w.none')}</Empty> : (
          <table class="grid" id="websites"><thead><tr>
            <th>{t('col.agency')}</th><th>{t('w.url')}</th><th>{t('w.state')}</th><th>{t('w.uptime24')}</th><th>{t('w.uptime30')}</th><th>{t('w.latency')}</th><th>{t('w.cert')}</th><th>{t('w.last_check')}</th><th>{t('w.last_change')}</th><th />
          </tr></thead><tbody>
            {items.map((s) => (
              <tr data-site={s.id}>
                <td><Agency id={s.tenant} /></td>
                <td class="mono"><a href={s.url} target="_blank" rel="noopener noreferrer">{s.url}</a></td>
                <td title={s.lastReason ?? ''}><span class={`st st-${s.state === 'down' ? 'new' : s.state === 'up' ? 'resolved' : 'acknowledged'}`}>{t(`w.st.${s.state}`)}</span></td>
                <td class="num">{pct(s.uptime24h)}</td><td class="num">{pct(s.uptime30d)}</td>
                <td class="num">{s.latencyMs === null ? '—' : `${s.latencyMs} ms`}</td>
                <td class={s.certificateDaysLeft !== null && s.certificateDaysLeft < 14 ? 'warn' : ''}>{s.certificateExpires ? `${fmtTime(s.certificateExpires)} (${s.certificateDaysLeft} ${t('w.days')})` : '—'}</td>
                <td>{fmtAgo(s.lastCheck)}</td>
                <td>{s.lastChange ? <button class="small ghost" onClick={() => setOpen(s)}>{fmtAgo(s.lastChange.at)} · {s.lastChange.kinds.join(', ')}</button> : <button class="small ghost" onClick={() => setOpen(s)}>{t('w.snapshots')}</button>}</td>
                <td class="num">{admin && <>
                  <button class="small ghost" onClick={() => call(api.post(`/api/websites/${s.id}/${s.paused ? 'resume' : 'pause'}`))}>{s.paused ? t('w.resume') : t('w.pause')}</button>{' '}
                  <button class="small ghost" onClick={() => call(api.post(`/api/websites/${s.id}/rebaseline`))}>{t('w.rebaseline')}</button>{' '}
                  <button class="small danger" onClick={() => confirm(`${t('w.remove')} ${s.url}?`) && call(api.del(`/api/websites/${s.id}`))}>{t('w.remove')}</button></>}
                </td>
              </tr>
            ))}
          </tbody></table>
        )}
      </Panel>
      {open && <SnapshotPanel site={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
