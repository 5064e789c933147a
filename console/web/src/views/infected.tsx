// Infected machines: per agency, the hosts with indicator matches or malware detections, newest first, with their incidents; block an address or domain for an agency's firewalls; import indicators; the feed folder's status; the indicators loaded.
// the answers as console/server/intelschemas.ts declares them, not copies
import type { ApiFeeds, ApiIndicatorPage, ApiInfectedHost } from '../../../server/apitypes';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, can, me, qs, tenants } from '../api';
import { fmtAgo, fmtTime, t, ttlLabel } from '../i18n';
import { incidentTitle } from '../labels';
import { useSignal } from '../state';
import { route } from '../routes';
import { Agency, Empty, ErrorLine, Panel, Sev, Status } from '../ui';

function BlockForm({ onDone }: { onDone(msg: string): void }) {
  const names = useSignal(tenants);
  const [form, setForm] = useState({ agency: '', value: '', reason: '', ttl: '7d' });
  const [err, setErr] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setErr(null);
    try {
      await route.post('/api/blocklists/:agency', { agency: form.agency }, { value: form.value, reason: form.reason, ttl: form.ttl });
      onDone(`${t('ti.blocked')}: ${form.value}`);
      setForm({ ...form, value: '', reason: '' });
    } catch (x) { setErr(x instanceof ApiError ? x.message : String(x)); }
  };
  return (
    <form class="form-row" onSubmit={submit} id="blocklist-add">
      <select value={form.agency} onChange={(e) => setForm({ ...form, agency: e.currentTarget.value })} required>
        <option value="">—</option>
        {[...names.entries()].map(([id, name]) => <option value={id}>{name}</option>)}
      </select>
      <input placeholder={t('ti.value')} value={form.value} onInput={(e) => setForm({ ...form, value: e.currentTarget.value })} required />
      <input placeholder={t('ti.reason')} value={form.reason} onInput={(e) => setForm({ ...form, reason: e.currentTarget.value })} required />
      <select value={form.ttl} onChange={(e) => setForm({ ...form, ttl: e.currentTarget.value })}>
        {['1d', '7d', '30d', '90d', 'never'].map((v) => <option value={v}>{ttlLabel(v)}</option>)}
      </select>
      <button type="submit">{t('ti.block')}</button>
      <ErrorLine error={err} />
    </form>
  );
}

// the feed folder's last scan: each file, its status, and why a refused one was refused
function FeedsPanel() {
  const [feeds, setFeeds] = useState<ApiFeeds>({ scanned: null, items: [] });
  useEffect(() => { route.get('/api/intel/feeds', {}).then(setFeeds, () => undefined); }, []);
  return (
    <Panel title={`${t('ti.feeds')}${feeds.scanned ? ` · ${t('ti.scanned')} ${fmtTime(feeds.scanned)}` : ''}`} id="intel-feeds">
      {feeds.items.length === 0 ? <Empty>{t('ti.no_feeds')}</Empty> : (
        <table class="grid">
          <thead><tr><th>{t('ti.feed')}</th><th>{t('ti.agency')}</th><th>{t('ti.format')}</th><th>{t('ti.status')}</th><th>{t('ti.count')}</th><th>{t('ti.imported')}</th></tr></thead>
          <tbody>
            {feeds.items.map((f) => (
              <tr key={f.name} data-feed={f.name} class={f.status === 'failed' ? 'bad' : ''}>
                <td><code>{f.name}</code></td><td>{f.tenant ? <Agency id={f.tenant} /> : t('ti.all')}</td><td>{f.format ?? '—'}</td>
                <td>{t(`ti.f.${f.status}`)}{f.error && <div class="faint feed-error">{f.error}</div>}</td><td>{f.indicators}</td><td>{f.imported ? fmtTime(f.imported) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

// a CSV/plain list, STIX 2.1 bundle or MISP event file from the analyst's machine, for one agency or (provincial) every agency
function ImportForm({ onDone }: { onDone(msg: string): void }) {
  const names = useSignal(tenants);
  const user = useSignal(me);
  const provincial = !user?.agencies?.length;
  const [form, setForm] = useState({ format: 'csv', tenant: '', ttl: '30d', content: '' });
  const [err, setErr] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setErr(null);
    try {
      const r = await route.post('/api/iocs/import', {}, { format: form.format, content: form.content, tenant: form.tenant || null, ttl: form.ttl });
      onDone(`${t('ti.imported')}: +${r.added} · ~${r.updated} · ${r.skipped.length} —`);
      setForm({ ...form, content: '' });
    } catch (x) { setErr(x instanceof ApiError ? x.message : String(x)); }
  };
  return (
    <form class="form-row" onSubmit={submit} id="ioc-import">
      <select name="format" value={form.format} onChange={(e) => setForm({ ...form, format: e.currentTarget.value })}>{['csv', 'stix', 'misp'].map((f) => <option value={f}>{f}</option>)}</select>
      <select name="tenant" value={form.tenant} onChange={(e) => setForm({ ...form, tenant: e.currentTarget.value })} required={!provincial}>
        {provincial ? <option value="">{t('ti.all')}</option> : <option value="">—</option>}
        {[...names.entries()].map(([id, name]) => <option value={id}>{name}</option>)}
      </select>
      <select name="ttl" value={form.ttl} onChange={(e) => setForm({ ...form, ttl: e.currentTarget.value })}>{['7d', '30d', '90d', 'never'].map((v) => <option value={v}>{ttlLabel(v)}</option>)}</select>
      <input type="file" name="file" accept=".csv,.txt,.json" onChange={async (e) => { const f = e.currentTarget.files?.[0]; if (f) setForm({ ...form, content: await f.text() }); }} />
      <button type="submit" disabled={!form.content}>{t('ti.import')}</button>
      <ErrorLine error={err} />
    </form>
  );
}

export function InfectedView() {
  const user = useSignal(me);
  const [hosts, setHosts] = useState<ApiInfectedHost[]>([]);
  const [iocs, setIocs] = useState<ApiIndicatorPage>({ items: [], total: 0 });
  const [q, setQ] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [imported, setImported] = useState<string | null>(null);
  useEffect(() => { route.get('/api/intel/hosts', {}).then((r) => setHosts(r.items), (e: Error) => setErr(e.message)); }, []);
  useEffect(() => { route.get('/api/iocs', {}, qs({ limit: 50, q })).then(setIocs, (e: Error) => setErr(e.message)); }, [q]);
  return (
    <div class="view infected-view">
      <ErrorLine error={err} />
      <Panel title={t('ti.hosts')} id="infected-hosts">
        {hosts.length === 0 ? <Empty>{t('ti.none')}</Empty> : (
          <table class="grid">
            <thead><tr><th>{t('ti.agency')}</th><th>{t('ti.host')}</th><th>{t('ti.last')}</th><th>{t('ti.matches')}</th><th>{t('ti.malware')}</th><th>{t('ti.incidents')}</th></tr></thead>
            <tbody>
              {hosts.map((h) => (
                <tr key={`${h.tenant}/${h.host}`}>
                  <td><Agency id={h.tenant} /></td>
                  <td><code>{h.host}</code></td>
                  <td title={fmtTime(h.last_seen)}>{fmtAgo(h.last_seen)}</td>
                  <td>{h.indicators}</td>
                  <td>{h.malware.join(', ') || '—'}</td>
                  <td>{h.incidents.map((i) => <div><a href={`#/incident/${i.id}`}>{incidentTitle(i)}</a> <Sev s={i.severity} /> <Status s={i.status} /></div>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      {can.change(user) && <Panel title={t('ti.blocklist')}>{note && <p class="faint">{note}</p>}<BlockForm onDone={setNote} /></Panel>}
      {can.rules(user) && <Panel title={t('ti.import')}>{imported && <p class="faint" id="ioc-imported">{imported}</p>}<ImportForm onDone={setImported} /></Panel>}
      <FeedsPanel />
      <Panel title={`${t('ti.iocs')} (${iocs.total})`} actions={<input placeholder={t('ti.search')} value={q} onInput={(e) => setQ(e.currentTarget.value)} />}>
        <table class="grid">
          <thead><tr><th>{t('ti.type')}</th><th>{t('ti.value')}</th><th>{t('ti.agency')}</th><th>{t('ti.source')}</th><th>{t('ti.confidence')}</th><th>{t('ti.expires')}</th></tr></thead>
          <tbody>
            {iocs.items.map((i) => (
              <tr key={i.id}><td>{i.type}</td><td><code>{i.value}</code></td><td>{i.tenant ? <Agency id={i.tenant} /> : t('ti.all')}</td><td>{i.source}</td><td>{i.confidence}</td><td>{i.expires ? fmtTime(i.expires) : '—'}</td></tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}
