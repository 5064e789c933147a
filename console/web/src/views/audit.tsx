// The audit log: who did what, when, from where; filter, page, export (hash-chained; `canhgac audit verify` checks it).
import type { ApiAuditEntry, ApiAuditVerify } from '../../../server/apitypes';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { fmtTime, t } from '../i18n';
import { auditLabel } from '../labels';
import { download, ErrorLine } from '../ui';

type Entry = ApiAuditEntry;

export function AuditView() {
  const [items, setItems] = useState<Entry[]>([]);
  const [err, setErr] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [chain, setChain] = useState<ApiAuditVerify | null>(null);
  const verify = () => api.get<ApiAuditVerify>('/api/audit/verify').then(setChain, (e: Error) => setErr(e.message));
  useEffect(() => {
    // the newest 2000 entries (the server reads them newest first, within the reader's agencies)
    api.get<{ items: Entry[] }>('/api/audit?order=desc&limit=2000').then((r) => setItems(r.items), (e: Error) => setErr(e.message));
  }, []);
  const list = useMemo(() => {
    const f = filter.toLowerCase();
    return f ? items.filter((e) => `${e.actor} ${e.action} ${auditLabel(e.action)} ${e.target ?? ''} ${e.ip ?? ''} ${JSON.stringify(e.details ?? '')}`.toLowerCase().includes(f)) : items;
  }, [items, filter]);
  return (
    <div class="view audit-view">
      <div class="toolbar">
        <input placeholder={t('a.filter')} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <span class="muted">{list.length}</span>
        <div class="spacer" />
        {chain && (chain.intact
          ? <span class="ok" id="chain">✓ {t('a.intact')} ({chain.entries})</span>
          : <span class="bad" id="chain">✗ {t('a.altered')} #{chain.alteredAt!.seq} ({fmtTime(chain.alteredAt!.at)} {chain.alteredAt!.actor} {chain.alteredAt!.action})</span>)}
        <button class="ghost" onClick={verify} id="verify">{t('a.verify')}</button>
        <button class="ghost" onClick={() => download('/api/audit/export?format=csv')}>{t('a.export')} CSV</button>
        <button class="ghost" onClick={() => download('/api/audit/export?format=json')}>{t('a.export')} JSON</button>
      </div>
      <ErrorLine error={err} />
      <div class="table-wrap">
        <table class="grid" id="audit">
          <thead><tr><th class="num">#</th><th>{t('col.time')}</th><th>{t('a.actor')}</th><th>{t('a.action')}</th><th>{t('a.target')}</th><th>{t('a.ip')}</th><th>{t('a.details')}</th><th>{t('a.chain')}</th></tr></thead>
          <tbody>
            {list.slice(0, 500).map((e) => (
              <tr>
                <td class="num faint">{e.seq}</td><td>{fmtTime(e.at)}</td><td class="strong">{e.actor}</td><td title={e.action}>{auditLabel(e.action)}</td>
                <td class="mono">{e.target ?? ''}</td><td class="mono">{e.ip ?? ''}</td>
                <td class="mono" title={e.details ? JSON.stringify(e.details) : ''}><div class="clip">{e.details ? JSON.stringify(e.details) : ''}</div></td>
                <td class="mono faint">{e.hash.slice(0, 10)}…</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
