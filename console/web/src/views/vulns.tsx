// Weaknesses per agency: open scan findings by severity against the remediation targets, the most exposed assets,
// the trend across scans, the findings themselves (filtered by host, severity, status), a scan report upload and the CSV export.
// The answers as console/server/vulnschemas.ts declares them, not copies.
import type { ApiFinding, ApiVulnSummary } from '../../../server/apitypes';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, can, me, qs, tenants } from '../api';
import { fmtAgo, fmtTime, t } from '../i18n';
import { useSignal } from '../state';
import { route } from '../routes';
import { download, Empty, ErrorLine, Panel, Sev } from '../ui';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
/** A finding's severity shown as an incident's (info is "informational" there). */
const sevOf = (s: string) => (s === 'info' ? 'informational' : s);

function SummaryPanel({ s }: { s: ApiVulnSummary }) {
  return (
    <div class="counters" id="vuln-counters">
      {SEVERITIES.map((sev) => (
        <div class={`counter c-${sevOf(sev)}`} data-sev={sev} title={`${t('vu.target')}: ${s.targets[sev]} ${t('vu.days')}`}>
          <span class="n">{s.open[sev]}</span>
          <span class="l">{t(`sev.${sevOf(sev)}`)}</span>
          {s.overdue[sev] > 0 && <span class="warn overdue">{s.overdue[sev]} {t('vu.overdue')}</span>}
        </div>
      ))}
      <div class="counter total">
        <span class="n">{s.oldestOpenDays ?? '—'}</span>
        <span class="l">{t('vu.oldest')}</span>
      </div>
    </div>
  );
}

function ImportForm({ agency, onDone }: { agency: string; onDone(msg: string): void }) {
  const [format, setFormat] = useState('openvas');
  const [file, setFile] = useState<File | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setErr(null);
    setBusy(true);
    try {
      const r = await route.post('/api/vulnerabilities/import', {}, new Blob([file], { type: 'application/xml' }), qs({ agency, format, file: file.name.slice(0, 200) }));
      onDone(t('vu.imported').replace('{0}', String(r.findings)).replace('{1}', String(r.opened + r.reopened)).replace('{2}', String(r.closed)));
    } catch (x) { setErr(x instanceof ApiError ? x.message : String(x)); }
    setBusy(false);
  };
  return (
    <form class="form-row" onSubmit={submit} id="vuln-import">
      <select name="format" value={format} onChange={(e) => setFormat(e.currentTarget.value)}>
        <option value="openvas">Greenbone/OpenVAS XML</option><option value="nessus">Nessus (.nessus)</option><option value="nmap">Nmap XML</option>
      </select>
      <input type="file" name="report" accept=".xml,.nessus" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      <button type="submit" disabled={!file || busy}>{busy ? t('loading') : t('vu.import')}</button>
      <ErrorLine error={err} />
    </form>
  );
}

export function VulnsView() {
  const user = useSignal(me);
  const names = useSignal(tenants);
  const [agency, setAgency] = useState('');
  const [summary, setSummary] = useState<ApiVulnSummary | null>(null);
  const [findings, setFindings] = useState<{ items: ApiFinding[]; total: number } | null>(null);
  const [filter, setFilter] = useState({ host: '', severity: '', status: 'open' });
  const [err, setErr] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => { if (!agency && names.size) setAgency([...names.keys()][0]); }, [names]);
  useEffect(() => {
    if (!agency) return;
    setErr(null);
    route.get('/api/vulnerabilities/summary', {}, qs({ agency })).then(setSummary, (e: Error) => setErr(e.message));
  }, [agency, tick]);
  useEffect(() => {
    if (!agency) return;
    route.get('/api/vulnerabilities', {}, qs({ agency, host: filter.host.trim(), severity: filter.severity, status: filter.status, limit: 200 })).then(setFindings, (e: Error) => setErr(e.message));
  }, [agency, filter, tick]);
  const imported = (msg: string) => { setNote(msg); setTick(tick + 1); };
  return (
    <div class="view vulns-view">
      <div class="toolbar">
        <label>{t('ti.agency')}
          <select name="agency" value={agency} onChange={(e) => { setAgency(e.currentTarget.value); setSummary(null); setFindings(null); }}>
            {[...names.entries()].map(([id, name]) => <option value={id}>{name}</option>)}
          </select>
        </label>
        <button type="button" id="vuln-export" disabled={!agency} onClick={() => download(`/api/vulnerabilities/export.csv?${qs({ agency })}`)}>{t('vu.export')}</button>
      </div>
      <ErrorLine error={err} />
      {!summary ? <p class="loading">{t('loading')}</p> : <SummaryPanel s={summary} />}
      {can.rules(user) && agency && <Panel title={t('vu.import_title')}>{note && <p class="faint" id="vuln-imported">{note}</p>}<ImportForm agency={agency} onDone={imported} /></Panel>}
      {summary && (
        <Panel title={t('vu.exposed')} id="vuln-exposed">
          {summary.exposed.length === 0 ? <Empty>{t('vu.none')}</Empty> : (
            <table class="grid">
              <thead><tr><th>{t('vu.asset')}</th><th>{t('vu.os')}</th><th>{t('vu.open')}</th><th>{t('sev.critical')}</th><th>{t('sev.high')}</th><th>CVSS</th><th>{t('vu.services')}</th></tr></thead>
              <tbody>
                {summary.exposed.map((a) => (
                  <tr key={a.address}><td><code>{a.address}</code>{a.hostname && <span class="faint"> {a.hostname}</span>}</td><td>{a.os ?? '—'}</td><td class="num">{a.open}</td><td class="num">{a.critical}</td><td class="num">{a.high}</td><td class="num">{a.maxCvss ?? '—'}</td><td class="num">{a.services ?? 0}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      )}
      {summary && summary.trend.length > 0 && (
        <Panel title={t('vu.trend')} id="vuln-trend">
          <table class="grid">
            <thead><tr><th>{t('vu.scan')}</th><th>{t('vu.scanner')}</th><th>{t('vu.new')}</th><th>{t('vu.fixed')}</th><th>{t('sev.critical')}</th><th>{t('sev.high')}</th><th>{t('sev.medium')}</th></tr></thead>
            <tbody>
              {summary.trend.map((s) => <tr key={s.at}><td title={s.at}>{fmtTime(s.at)}</td><td>{s.source}</td><td class="num">{s.opened}</td><td class="num">{s.closed}</td><td class="num">{s.open.critical}</td><td class="num">{s.open.high}</td><td class="num">{s.open.medium}</td></tr>)}
            </tbody>
          </table>
        </Panel>
      )}
      <Panel
        title={`${t('vu.findings')}${findings ? ` (${findings.total})` : ''}`}
        id="vuln-findings"
        actions={<>
          <input name="host" placeholder={t('vu.host')} value={filter.host} onChange={(e) => setFilter({ ...filter, host: e.currentTarget.value })} />
          <select name="severity" value={filter.severity} onChange={(e) => setFilter({ ...filter, severity: e.currentTarget.value })}>
            <option value="">{t('vu.any_severity')}</option>
            {SEVERITIES.map((s) => <option value={s}>{t(`sev.${sevOf(s)}`)}</option>)}
          </select>
          <select name="status" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.currentTarget.value })}>
            <option value="open">{t('vu.st.open')}</option><option value="closed">{t('vu.st.closed')}</option><option value="">{t('vu.any_status')}</option>
          </select>
        </>}
      >
        {!findings ? <p class="loading">{t('loading')}</p> : findings.items.length === 0 ? <Empty>{t('vu.none')}</Empty> : (
          <table class="grid">
            <thead><tr><th>{t('vu.asset')}</th><th>{t('vu.port')}</th><th>{t('vu.name')}</th><th>CVE</th><th>CVSS</th><th>{t('col.severity')}</th><th>{t('col.status')}</th><th>{t('vu.first')}</th><th>{t('vu.last')}</th></tr></thead>
            <tbody>
              {findings.items.map((f) => (
                <tr key={f.id} data-id={f.id}>
                  <td><code>{f.host}</code>{f.hostname && <div class="faint">{f.hostname}</div>}</td>
                  <td class="mono">{f.port === null ? '—' : `${f.port}/${f.protocol ?? 'tcp'}`}{f.service && <span class="faint"> {f.service}</span>}</td>
                  <td class="wrap" title={f.solution ?? undefined}>{f.name}</td>
                  <td class="mono">{f.cves.join(' ') || '—'}</td>
                  <td class="num">{f.cvss ?? '—'}</td>
                  <td><Sev s={sevOf(f.severity)} /></td>
                  <td>{t(`vu.st.${f.status}`)}</td>
                  <td title={fmtTime(f.firstSeen)}>{fmtAgo(f.firstSeen)}</td>
                  <td title={fmtTime(f.lastSeen)}>{fmtAgo(f.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}
