// Infected machines: per agency, the hosts with indicator matches or malware detections, newest first, with their incidents; block an address or domain for an agency's firewalls; the indicators loaded.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, can, me, tenants } from '../api';
import { fmtAgo, fmtTime, t } from '../i18n';
import { useSignal } from '../state';
import { Agency, Empty, ErrorLine, Panel, Sev, Status } from '../ui';

interface Host {
  tenant: string; host: string; first_seen: string; last_seen: string; indicators: number; malware: string[];
  incidents: { id: string; title: string; severity: string; status: string; last_seen: string }[];
}
interface Ioc { id: string; type: string; value: string; tenant: string | null; source: string; confidence: number; expires: string | null; tags: string[] }

function BlockForm({ onDone }: { onDone(msg: string): void }) {
  const names = useSignal(tenants);
  const [form, setForm] = useState({ agency: '', value: '', reason: '', ttl: '7d' });
  const [err, setErr] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setErr(null);
    try {
      await api.post(`/api/blocklists/${encodeURIComponent(form.agency)}`, { value: form.value, reason: form.reason, ttl: form.ttl });
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
        {['1d', '7d', '30d', '90d', 'never'].map((v) => <option value={v}>{v}</option>)}
      </select>
      <button type="submit">{t('ti.block')}</button>
      <ErrorLine error={err} />
    </form>
  );
}

export function InfectedView() {
  const user = useSignal(me);
  const [hosts, setHosts] = useState<Host[]>([]);
  const [iocs, setIocs] = useState<{ items: Ioc[]; total: number }>({ items: [], total: 0 });
  const [q, setQ] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => { api.get<{ items: Host[] }>('/api/intel/hosts').then((r) => setHosts(r.items), (e: Error) => setErr(e.message)); }, []);
  useEffect(() => { api.get<{ items: Ioc[]; total: number }>(`/api/iocs?limit=50${q ? `&q=${encodeURIComponent(q)}` : ''}`).then(setIocs, (e: Error) => setErr(e.message)); }, [q]);
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
                  <td>{h.incidents.map((i) => <div><a href={`#/incident/${i.id}`}>{i.title}</a> <Sev s={i.severity} /> <Status s={i.status} /></div>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      {can.change(user) && <Panel title={t('ti.blocklist')}>{note && <p class="faint">{note}</p>}<BlockForm onDone={setNote} /></Panel>}
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
