// Rules: every loaded rule with status, hits and last hit; enable/disable per agency; exceptions; test a rule on pasted events.
import type { ApiRuleInfo, ApiRuleSetting, ApiRulesState, ApiRuleTest } from '../../../server/apitypes';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, can, me, tenants } from '../api';
import { fmtAgo, t } from '../i18n';
import { ruleSummary, ruleTitle } from '../labels';
import { useSignal } from '../state';
import { ErrorLine, Panel, Sev } from '../ui';

type RuleInfo = ApiRuleInfo;
type Setting = ApiRuleSetting;
type RulesState = ApiRulesState;
type TestResult = ApiRuleTest;

const SAMPLE_RULE = `title: Root SSH login failure
id: 00000000-0000-4000-8000-000000000001
status: experimental
level: medium
logsource:
  category: authentication
detection:
  sel:
    user.name: root
    event.outcome: failure
  condition: sel`;
const SAMPLE_EVENTS = `{"@timestamp":"2026-11-28T03:00:00Z","event":{"category":["authentication"],"outcome":"failure"},"user":{"name":"root"},"source":{"ip":"203.0.113.7"}}
{"@timestamp":"2026-11-28T03:00:01Z","event":{"category":["authentication"],"outcome":"success"},"user":{"name":"deploy"}}`;

function RuleEditor({ rule, setting, onSaved }: { rule: RuleInfo; setting?: Setting; onSaved: (s: Setting) => void }) {
  const names = useSignal(tenants);
  const [off, setOff] = useState<Set<string>>(new Set(setting?.disabledFor ?? []));
  const [exception, setException] = useState(setting?.exception ?? '');
  const [err, setErr] = useState<string | null>(null);
  const [ok, setOk] = useState(false);
  const editable = can.rules(me.get());
  const save = async () => {
    setErr(null);
    setOk(false);
    try {
      onSaved(await api.put<Setting>(`/api/rules/${encodeURIComponent(rule.id)}/settings`, { disabledFor: [...off], exception: exception || null }));
      setOk(true);
    } catch (e) { setErr(e instanceof ApiError ? e.message : String(e)); }
  };
  const toggle = (id: string) => { const n = new Set(off); n.has(id) ? n.delete(id) : n.add(id); setOff(n); };
  return (
    <div class="view">
      <dl class="kv">
        {ruleSummary(rule) && <><dt>{t('a.details')}</dt><dd>{ruleSummary(rule)}</dd></>}
        <dt>{t('d.author')}</dt><dd>{rule.author ?? '—'}</dd>
        <dt>{t('x.logsource')}</dt><dd class="mono">{rule.logsource ? Object.entries(rule.logsource).map(([k, v]) => `${k}: ${v}`).join(', ') : rule.kind}</dd>
        <dt>{t('d.attack')}</dt><dd class="tags">{rule.tags.map((x) => <span class="tag">{x}</span>)}</dd>
        <dt>{t('d.references')}</dt><dd>{(rule.references ?? []).map((r) => <div><a href={r} target="_blank" rel="noopener noreferrer">{r}</a></div>)}</dd>
        <dt>{t('x.file')}</dt><dd class="mono faint">{rule.path}</dd>
      </dl>
      <div>
        <div class="muted" style="margin-bottom:4px">{t('ru.enabled_for')}</div>
        <div class="colpick">
          <span class={`tag ${off.has('*') ? 'off' : ''}`} onClick={() => editable && toggle('*')}>{t('all')}</span>
          {[...names.entries()].map(([id, n]) => <span class={`tag ${off.has(id) || off.has('*') ? 'off' : ''}`} onClick={() => editable && toggle(id)} title={id}>{n}</span>)}
        </div>
      </div>
      <label>{t('ru.exception')}<input class="mono" value={exception} onInput={(e) => setException(e.currentTarget.value)} disabled={!editable} placeholder="user.name:svc_backup OR source.ip:10.0.0.0*" /></label>
      {editable && <div class="form-row"><button onClick={save}>{t('ru.save')}</button>{ok && <span class="ok">✓</span>}</div>}
      <ErrorLine error={err} />
      {setting && <span class="faint">{setting.by} · {fmtAgo(setting.updated)}</span>}
    </div>
  );
}

export function RulesView() {
  const [st, setSt] = useState<RulesState | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [ruleText, setRuleText] = useState(SAMPLE_RULE);
  const [events, setEvents] = useState(SAMPLE_EVENTS);
  const [test, setTest] = useState<TestResult | null>(null);
  const [testErr, setTestErr] = useState<string | null>(null);
  const names = useSignal(tenants);
  useEffect(() => { api.get<RulesState>('/api/rules').then(setSt, (e: Error) => setErr(e.message)); }, []);
  const settings = useMemo(() => new Map((st?.settings ?? []).map((s) => [s.ruleId, s])), [st]);
  const list = useMemo(() => {
    const f = filter.toLowerCase();
    return (st?.rules ?? []).filter((r) => !f || r.rule.title.toLowerCase().includes(f) || ruleTitle(r.rule).toLowerCase().includes(f) || r.rule.id.includes(f) || r.rule.tags.some((x) => x.includes(f))).sort((a, b) => b.hits - a.hits || a.rule.title.localeCompare(b.rule.title));
  }, [st, filter]);
  if (err) return <p class="error">{err}</p>;
  if (!st) return <div class="muted">{t('loading')}</div>;
  const failed = (st.report ?? []).filter((r) => !r.ok);
  const runTest = async () => {
    setTestErr(null);
    setTest(null);
    try { setTest(await api.post<TestResult>('/api/rules/test', { rule: ruleText, events })); } catch (e) { setTestErr(e instanceof ApiError ? e.message : String(e)); }
  };

  return (
    <div class="view rules-view">
      <div class="toolbar"><input placeholder={t('ru.filter')} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} /><span class="muted">{list.length} / {st.rules.length}</span></div>
      <div class="table-wrap">
        <table class="grid" id="rules">
          <thead><tr><th>{t('col.severity')}</th><th>{t('col.rule')}</th><th>{t('ru.status')}</th><th>{t('ru.enabled_for')}</th><th class="num">{t('ru.hits')}</th><th>{t('ru.last')}</th><th>{t('d.attack')}</th></tr></thead>
          <tbody>
            {list.map(({ rule, hits, last_hit }) => {
              const s = settings.get(rule.id);
              const offAll = s?.disabledFor.includes('*');
              return [
                <tr onClick={() => setOpen(open === rule.id ? null : rule.id)} class={open === rule.id ? 'sel' : ''} style="cursor:pointer">
                  <td><Sev s={rule.level || 'informational'} /></td>
                  <td class="wrap strong" title={rule.title}>{ruleTitle(rule)}<div class="faint mono">{rule.id}</div></td>
                  <td title={rule.status}>{rule.status ? t(`rs.${rule.status}`) : '—'} <span class="faint">{t(`kind.${rule.kind}`)}</span></td>
                  <td>{offAll ? <span class="bad">{t('ru.disabled')}</span> : s?.disabledFor.length ? <span class="warn">{t('ru.disabled')}: {s.disabledFor.map((x) => names.get(x) ?? x).join(', ')}</span> : <span class="ok">{t('ru.enabled')}</span>}{s?.exception ? <div class="mono faint">≠ {s.exception}</div> : null}</td>
                  <td class="num">{hits.toLocaleString()}</td>
                  <td>{last_hit ? fmtAgo(last_hit) : '—'}</td>
                  <td class="tags">{rule.tags.filter((x) => x.startsWith('attack.')).map((x) => <span class="tag">{x.slice(7)}</span>)}</td>
                </tr>,
                open === rule.id && <tr><td colSpan={7}><RuleEditor rule={rule} setting={s} onSaved={(ns) => setSt({ ...st, settings: [...st.settings.filter((x) => x.ruleId !== ns.ruleId), ns] })} /></td></tr>,
              ];
            })}
          </tbody>
        </table>
      </div>
      {failed.length > 0 && (
        <Panel title={`${t('ru.load_errors')} (${failed.length})`}>
          {failed.map((r) => <div class="mono bad">{r.error}</div>)}
        </Panel>
      )}
      {can.rules(me.get()) && (
        <Panel title={t('ru.test')}>
          <div class="cols cols-2">
            <label>{t('ru.test_rule')}<textarea rows={12} value={ruleText} onInput={(e) => setRuleText(e.currentTarget.value)} id="test-rule" /></label>
            <label>{t('ru.test_events')}<textarea rows={12} value={events} onInput={(e) => setEvents(e.currentTarget.value)} id="test-events" /></label>
          </div>
          <div class="form-row" style="margin-top:8px"><button onClick={runTest} id="run-test">{t('ru.run_test')}</button>
            {test && <span><b>{test.results.filter((r) => r.detections.length).length}</b> / {test.results.length} {t('ru.matches')}</span>}</div>
          <ErrorLine error={testErr} />
          {test && (
            <table class="grid" id="test-results"><tbody>
              {test.results.map((r) => <tr><td class="num">#{r.index + 1}</td><td>{r.detections.length ? r.detections.map((d) => <span class="ok">✓ {d.title} ({d.kind}) </span>) : <span class="faint">—</span>}</td></tr>)}
              {test.warnings.map((w) => <tr><td /><td class="warn">{w}</td></tr>)}
            </tbody></table>
          )}
        </Panel>
      )}
    </div>
  );
}
