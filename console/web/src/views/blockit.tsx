// "Block it" on an incident: an analyst or responder puts an address or domain seen in the incident on its agency's blocklist (the feed its firewalls pull), with a reason and an expiry; audited by the server.
import { useState } from 'preact/hooks';
import { api, ApiError, can, me, type Incident } from '../api';
import { fmtTime, t, ttlLabel } from '../i18n';
import { useSignal } from '../state';
import { ErrorLine, Panel } from '../ui';

type Doc = Record<string, unknown>;
const FIELDS = ['destination.ip', 'source.ip', 'client.ip', 'server.ip', 'dns.question.name', 'url.domain', 'destination.domain', 'tls.server_name'];
const SUMMARY = ['destination_ip', 'source_ip'];
const TTLS = ['1d', '7d', '30d', '90d', 'never'];

const at = (doc: Doc, path: string): unknown => path.split('.').reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Doc)[k] : undefined), doc);

/** The addresses and domains of the incident, the ones an indicator matched first, then its summary's, then its events'. */
export function blockCandidates(inc: Incident, events: Doc[]): string[] {
  const out: string[] = [];
  const add = (v: unknown) => { if (typeof v === 'string' && v && !out.includes(v)) out.push(v); };
  for (const ev of events) for (const e of (at(ev, 'threat.enrichments') as { matched?: { atomic?: string; field?: string } }[] | undefined) ?? []) if (!/hash|url\.(full|original)/.test(e.matched?.field ?? '')) add(e.matched?.atomic);
  const summary = inc.summary as Doc;
  for (const k of SUMMARY) add(summary[k]);
  for (const ev of events) for (const f of FIELDS) add(at(ev, f));
  return out;
}

export function BlockIt({ inc, events }: { inc: Incident; events: Doc[] }) {
  const user = useSignal(me);
  const candidates = blockCandidates(inc, events);
  const [value, setValue] = useState(candidates[0] ?? '');
  const [reason, setReason] = useState('');
  const [ttl, setTtl] = useState('7d');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [done, setDone] = useState<{ value: string; expires: string | null } | null>(null);
  if (!can.change(user)) return null;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    try {
      const r = await api.post<{ value: string; expires: string | null }>(`/api/blocklists/${encodeURIComponent(inc.tenant)}`, { value: value.trim(), reason: reason.trim(), ttl, incidentId: inc.id });
      setDone(r);
      setReason('');
    } catch (x) {
      setErr(x instanceof ApiError ? x.message : String(x));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel title={t('ti.blocklist')} id="block-it">
      <form class="actions" onSubmit={submit}>
        <div class="row">
          <input list="block-candidates" name="value" placeholder={t('ti.value')} value={value} onInput={(e) => setValue(e.currentTarget.value)} required />
          <datalist id="block-candidates">{candidates.map((c) => <option value={c} />)}</datalist>
          <select name="ttl" value={ttl} onChange={(e) => setTtl(e.currentTarget.value)}>{TTLS.map((v) => <option value={v}>{ttlLabel(v)}</option>)}</select>
        </div>
        {candidates.length > 1 && <div class="row tags">{candidates.slice(0, 8).map((c) => <button type="button" class={`ghost tag${c === value ? ' on' : ''}`} onClick={() => setValue(c)}>{c}</button>)}</div>}
        <div class="row"><input name="reason" placeholder={t('ti.reason')} value={reason} onInput={(e) => setReason(e.currentTarget.value)} required /></div>
        <div class="row"><button type="submit" disabled={busy || !value.trim() || !reason.trim()}>{t('ti.block')}</button></div>
        {done && <p class="faint" id="block-done">{t('ti.blocked')}: <code>{done.value}</code> → {done.expires ? fmtTime(done.expires) : '∞'}</p>}
        <ErrorLine error={err} />
      </form>
    </Panel>
  );
}
