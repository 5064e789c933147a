// What an incident groups: every rule that fired, its entities and ATT&CK tactics; merging it into another incident and splitting alerts off.
import type { ApiAlert, ApiMerge, ApiSplit } from '../../../server/apitypes';
import { useState } from 'preact/hooks';
import { ApiError, type Incident } from '../api';
import { fmtTime, t } from '../i18n';
import { ruleTitle } from '../labels';
import { upsertIncident } from '../live';
import { go } from '../router';
import { route } from '../routes';
import { ErrorLine, Panel, Sev } from '../ui';

export function GroupPanel({ inc, alerts, editable, reload }: { inc: Incident; alerts: ApiAlert[]; editable: boolean; reload: () => Promise<unknown> }) {
  const [into, setInto] = useState('');
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const rules = inc.rules ?? [{ id: inc.rule.id, title: inc.rule.title, severity: inc.severity, tags: inc.rule.tags, count: inc.count, first_seen: inc.first_seen, last_seen: inc.last_seen }];
  // both incidents are pushed to the live list; the first is where the analyst goes next
  const run = async <R extends ApiMerge | ApiSplit>(request: Promise<R>, pair: (r: R) => [Incident, Incident]) => {
    setError(null);
    try {
      const [to, other] = pair(await request);
      [to, other].forEach(upsertIncident);
      setPicked(new Set());
      if (to.id !== inc.id) go(`incident/${to.id}`);
      else await reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const pick = (id: string, on: boolean) => { const n = new Set(picked); on ? n.add(id) : n.delete(id); setPicked(n); };
  return (
    <Panel title={t('inc.rules')} id="grouping">
      <table class="grid" id="inc-rules"><tbody>
        {rules.map((r) => <tr data-rule={r.id}><td><Sev s={r.severity} /></td><td class="wrap">{ruleTitle(r)}</td><td class="num">× {r.count}</td><td class="muted">{fmtTime(r.first_seen)}</td></tr>)}
      </tbody></table>
      <dl class="kv">
        <dt>{t('inc.tactics')}</dt><dd class="tags" id="inc-tactics">{inc.tactics?.length ? inc.tactics.map((x) => <span class="tag">{x}</span>) : '—'}</dd>
        <dt>{t('inc.entities')}</dt>
        <dd id="inc-entities">{Object.entries(inc.entities ?? {}).map(([k, vs]) => <div class="mono"><span class="faint">{k}</span> {vs.join(', ')}</div>)}</dd>
        {inc.mergedInto && <><dt>{t('inc.merged_into')}</dt><dd><a href={`#/incident/${inc.mergedInto}`}>{inc.mergedInto}</a></dd></>}
      </dl>
      {editable && (
        <div class="actions">
          <div class="row">
            <input id="merge-into" placeholder={t('inc.merge')} value={into} onInput={(e) => setInto(e.currentTarget.value.trim())} maxLength={64} />
            <button class="ghost" id="merge" disabled={!into} onClick={() => run(route.post('/api/incidents/:id/merge', { id: inc.id }, { into }), (r) => [r.target, r.source])}>{t('inc.merge')}</button>
          </div>
          <ul class="plain" id="split-alerts">
            {alerts.slice(0, 200).map((a) => (
              <li><label class="check"><input type="checkbox" checked={picked.has(a.id)} onChange={(e) => pick(a.id, e.currentTarget.checked)} /> <span class="muted">{fmtTime(a['@timestamp'])}</span> <Sev s={a.severity} /> {ruleTitle(a.rule)}</label></li>
            ))}
          </ul>
          <div class="row"><button class="ghost" id="split" disabled={picked.size === 0 || picked.size >= alerts.length} onClick={() => run(route.post('/api/incidents/:id/split', { id: inc.id }, { alerts: [...picked] }), (r) => [r.split, r.original])}>{t('inc.split')} ({picked.size})</button></div>
        </div>
      )}
      <ErrorLine error={error} />
    </Panel>
  );
}
