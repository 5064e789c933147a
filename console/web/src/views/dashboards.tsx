// Dashboards: events/s by agency and by source over time, alerts by severity, top rules, top sources, listener health, ATT&CK matrix.
import type { ApiDashboard } from '../../../server/apitypes';
import { useEffect, useState } from 'preact/hooks';
import { api, tenants } from '../api';
import { PALETTE, pivot, SEV_COLORS, TimeChart } from '../chart';
import { agencyName, fmtAgo, t } from '../i18n';
import { ruleTitle } from '../labels';
import { go } from '../router';
import { useSignal } from '../state';
import { Empty, Panel, SEVERITIES } from '../ui';

type Dash = ApiDashboard;

const RANGES = ['15m', '1h', '24h', '7d'];

function Bars({ rows, onPick }: { rows: { label: string; count: number; extra?: string }[]; onPick?: (label: string) => void }) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  if (!rows.length) return <Empty>—</Empty>;
  return (
    <table class="grid"><tbody>
      {rows.map((r) => (
        <tr onClick={() => onPick?.(r.label)} style={onPick ? 'cursor:pointer' : undefined}>
          <td class="wrap">{r.label}{r.extra && <div class="faint">{r.extra}</div>}</td>
          <td style="width:40%"><div class="bar"><span style={`width:${(100 * r.count) / max}%`} /></div></td>
          <td class="num">{r.count.toLocaleString()}</td>
        </tr>
      ))}
    </tbody></table>
  );
}

export function DashboardsView() {
  const [range, setRange] = useState('1h');
  const [d, setD] = useState<Dash | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const names = useSignal(tenants);
  useEffect(() => {
    let live = true;
    const load = () => api.get<Dash>(`/api/dashboard?range=${range}`).then((x) => live && setD(x), (e: Error) => setErr(e.message));
    load();
    const timer = setInterval(load, 15000);
    return () => { live = false; clearInterval(timer); };
  }, [range]);
  if (err) return <p class="error">{err}</p>;
  if (!d) return <div class="muted">{t('loading')}</div>;
  const from = Date.parse(d.from);
  const now = Date.now();
  const perSec = 1000 / d.intervalMs;
  const agency = pivot(d.eventsByAgency, from, now, d.intervalMs, perSec);
  const source = pivot(d.eventsBySource, from, now, d.intervalMs, perSec);
  const sevRows = d.alerts.histogram.map((h) => ({ t: h.t, value: h.severity, count: h.count }));
  const sev = pivot(sevRows, from, now, d.intervalMs);
  const sevOrder = SEVERITIES.filter((s) => sev.values.includes(s)).reverse();
  const sevYs = sevOrder.map((s) => sev.ys[sev.values.indexOf(s)]);
  const sevCount = new Map(d.alerts.bySeverity.map((x) => [x.severity, x.count]));
  const maxHits = Math.max(1, ...(d.attack?.tactics.flatMap((x) => x.techniques.map((y) => y.hits)) ?? [1]));

  return (
    <div class="view dashboards-view">
      <div class="toolbar">
        <label>{t('s.range')}
          <select value={range} onChange={(e) => setRange(e.currentTarget.value)} id="dash-range">{RANGES.map((r) => <option value={r}>{t(`r.${r}`)}</option>)}</select>
        </label>
        <div class="counters">
          {SEVERITIES.map((s) => (
            <div class={`counter c-${s}`}><span class="n">{sevCount.get(s) ?? 0}</span><span class="l">{t(`sev.${s}`)} · {t('d.alerts').toLowerCase()}</span></div>
          ))}
        </div>
      </div>
      <div class="cols cols-2">
        <Panel title={t('db.eps_agency')}>
          {agency.values.length ? <TimeChart xs={agency.xs} ys={agency.ys} series={agency.values.map((v, i) => ({ label: agencyName(names.get(v), v), color: PALETTE[i % PALETTE.length] }))} stacked height={200} id="chart-agency" /> : <Empty>—</Empty>}
        </Panel>
        <Panel title={t('db.eps_source')}>
          {source.values.length ? <TimeChart xs={source.xs} ys={source.ys} series={source.values.map((v, i) => ({ label: v, color: PALETTE[(i + 3) % PALETTE.length] }))} stacked height={200} id="chart-source" /> : <Empty>—</Empty>}
        </Panel>
      </div>
      <div class="cols cols-3">
        <Panel title={t('db.alerts_sev')}>
          {sevOrder.length ? <TimeChart xs={sev.xs} ys={sevYs} series={sevOrder.map((s) => ({ label: t(`sev.${s}`), color: SEV_COLORS[s] }))} bars stacked height={200} id="chart-alerts" /> : <Empty>—</Empty>}
        </Panel>
        <Panel title={t('db.top_rules')}>
          <Bars rows={d.alerts.byRule.map((r) => ({ label: ruleTitle({ id: r.ruleId, title: r.title }), count: r.count, extra: fmtAgo(r.last) }))} />
        </Panel>
        <Panel title={t('db.top_sources')}>
          <Bars rows={d.topSources.map((s) => ({ label: s.value, count: s.count }))} onPick={(ip) => go('search', { q: `source.ip:${ip}`, range: range === '15m' ? '15m' : range === '7d' ? '7d' : range === '24h' ? '24h' : '1h' })} />
        </Panel>
      </div>
      {d.listeners && (
        <Panel title={t('db.listeners')} actions={<span class="faint">{t('db.lag')}: {d.listeners.pending} · {fmtAgo(d.listeners.at)}</span>}>
          <table class="grid health" id="listeners">
            <thead><tr><th>{t('ag.listener')}</th><th class="num">{t('db.received')}</th><th class="num">{t('db.parsed')}</th><th class="num">{t('db.failed')}</th><th class="num">{t('db.dropped')}</th><th class="num">MB</th><th>{t('ag.last_seen')}</th></tr></thead>
            <tbody>
              {Object.entries(d.listeners.items).map(([name, counts]) => {
                const c = { received: 0, parsed: 0, failed: 0, dropped: 0, bytes: 0, last_seen: null, ...counts }; // a counter the collector has not written yet is 0
                const failRate = c.received ? c.failed / c.received : 0;
                return (
                  <tr>
                    <td><span class={`dot ${c.dropped ? 'bad' : failRate > 0.05 ? 'warn' : ''}`} />{name}</td>
                    <td class="num">{c.received.toLocaleString()}</td><td class="num">{c.parsed.toLocaleString()}</td>
                    <td class="num">{c.failed.toLocaleString()} <span class="faint">({(failRate * 100).toFixed(1)}%)</span></td>
                    <td class="num">{c.dropped.toLocaleString()}</td><td class="num">{(c.bytes / 1e6).toFixed(2)}</td><td>{fmtAgo(c.last_seen)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Panel>
      )}
      {d.attack && (
        <Panel title={t('db.attack')}>
          {d.attack.tactics.length === 0 ? <Empty>—</Empty> : (
            <div class="attack" id="attack">
              {d.attack.tactics.map((tc) => (
                <div class="tactic">
                  <h3 title={tc.tactic}>{t(`tac.${tc.tactic}`).startsWith('tac.') ? tc.tactic.replace(/_/g, ' ') : t(`tac.${tc.tactic}`)}</h3>
                  {tc.techniques.map((x) => (
                    <div class={`tech ${x.hits ? 'hit' : ''} ${x.hits > maxHits / 2 ? 'hot' : ''}`} title={`${x.id}${x.name ? ` ${x.name}` : ''}: ${x.rules} ${t('db.rules')} · ${x.hits} ${t('db.hits')}`}>
                      {/* technique names stay in ATT&CK's English, as Vietnamese SOCs read them, beside the id */}
                      <span class="tech-id">{x.id}</span>{x.name && <span class="tech-name">{x.name}</span>}<span class="tech-n">{x.rules}·{x.hits}</span>
                    </div>
                  ))}
                </div>
              ))}
            </div>
          )}
        </Panel>
      )}
      <p class="hint">ATT&CK: N·M = {t("db.rules")} · {t("db.hits")}</p>
    </div>
  );
}
