// Live incidents: pushed over the WebSocket, filters, counters per severity, sound/notification, keyboard navigation.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, can, me, type Incident, tenants } from '../api';
import { fmtAgo, fmtShort, t } from '../i18n';
import { incidentTitle, ruleTitle } from '../labels';
import { freshIds, incidents, listState, onIncident, reloadIncidents, upsertIncident } from '../live';
import { go } from '../router';
import { useSignal } from '../state';
import { Agency, download, Empty, Failure, fill, Loading, OPEN, SEVERITIES, Sev, Status, STATUSES } from '../ui';
import { BulkBar, SlaCell, SORTS, sortIncidents, useQueueSla, type Sort } from './triage';

const stored = (k: string) => { try { return localStorage.getItem(k); } catch { return null; } };

/** The list as the analyst left it (filters, selected incident, scroll), so Back from an incident returns to the same row. */
const kept = { sev: new Set<string>(), status: 'open', agency: '', rule: '', assignee: '', selId: null as string | null, scroll: 0 };

interface ListenAddress { name: string; protocol: string; host: string; port: number }
/** Where syslog is received, as the collector reports it (not the default port): for the empty list's hint. */
function useSyslogAddresses(wanted: boolean): ListenAddress[] | null {
  const [addrs, setAddrs] = useState<ListenAddress[] | null>(null);
  useEffect(() => {
    if (!wanted || addrs) return;
    api.get<{ addresses?: ListenAddress[] }>('/api/collector/stats').then((r) => setAddrs((r.addresses ?? []).filter((a) => a.name.startsWith('syslog'))), () => setAddrs([]));
  }, [wanted]);
  return addrs;
}

function EmptyList({ addrs }: { addrs: ListenAddress[] | null }) {
  const show = (a: ListenAddress) => `${a.name === 'syslog-udp' ? 'UDP' : a.name === 'syslog-tls' ? 'TLS' : 'TCP'} ${a.host === '0.0.0.0' || a.host === '::' ? location.hostname : a.host}:${a.port}`;
  return (
    <Empty>
      {t('inc.empty_filters')}{' '}
      <span id="send-to">{addrs === null ? '' : addrs.length ? fill(t('inc.send_to'), { addr: addrs.map(show).join(', ') }) : t('inc.no_syslog')}</span>
    </Empty>
  );
}

function beep() {
  try {
    const ctx = new AudioContext();
    const o = ctx.createOscillator();
    const g = ctx.createGain();
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.15, ctx.currentTime);
    g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
    o.connect(g).connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + 0.4);
  } catch { /* no audio device */ }
}

export function IncidentsView() {
  const map = useSignal(incidents);
  const user = useSignal(me);
  const names = useSignal(tenants);
  const load = useSignal(listState);
  const [sev, setSev] = useState<Set<string>>(kept.sev);
  const [status, setStatus] = useState(kept.status);
  const [agency, setAgency] = useState(kept.agency);
  const [rule, setRule] = useState(kept.rule);
  const [assignee, setAssignee] = useState(kept.assignee);
  const [selId, setSelId] = useState<string | null>(kept.selId);
  const [alarm, setAlarm] = useState(stored('canhgac.alarm') === '1');
  const [sort, setSort] = useState<Sort>((SORTS as readonly string[]).includes(stored('canhgac.sort') ?? '') ? (stored('canhgac.sort') as Sort) : 'last_activity');
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const sla = useQueueSla(map);
  const tbody = useRef<HTMLTableSectionElement>(null);

  useEffect(() => onIncident((inc, created) => {
    if (!alarm || !created || (inc.severity !== 'high' && inc.severity !== 'critical')) return;
    beep();
    if ('Notification' in window && Notification.permission === 'granted') {
      new Notification(`[${t(`sev.${inc.severity}`)}] ${incidentTitle(inc)}`, { body: [tenants.get().get(inc.tenant) ?? inc.tenant, inc.summary.host, inc.summary.source_ip].filter(Boolean).join(' · '), tag: inc.id });
    }
  }), [alarm]);

  const all = useMemo(() => [...map.values()], [map]);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const inc of all) if (OPEN.has(inc.status)) c[inc.severity] = (c[inc.severity] ?? 0) + 1;
    return c;
  }, [all]);
  const rules = useMemo(() => [...new Map(all.map((i) => [i.rule.id, ruleTitle(i.rule)])).entries()].sort((a, b) => a[1].localeCompare(b[1])), [all]);
  const assignees = useMemo(() => [...new Set(all.map((i) => i.assignee).filter(Boolean) as string[])].sort(), [all]);
  const list = useMemo(() => {
    const out = all.filter((i) =>
      (sev.size === 0 || sev.has(i.severity)) &&
      (status === 'all' || (status === 'open' ? OPEN.has(i.status) : status === 'closed' ? !OPEN.has(i.status) : i.status === status)) &&
      (!agency || i.tenant === agency) && (!rule || i.rule.id === rule) && (!assignee || (assignee === '-' ? !i.assignee : i.assignee === assignee)));
    return sortIncidents(out, sort, sla);
  }, [all, sev, status, agency, rule, assignee, sort, sla]);
  const pickedIds = list.filter((i) => picked.has(i.id)).map((i) => i.id);
  const pick = (id: string, on: boolean) => { const n = new Set(picked); on ? n.add(id) : n.delete(id); setPicked(n); };

  // the selection follows the incident, not the row number, so live updates that reorder rows do not move it
  const found = selId ? list.findIndex((i) => i.id === selId) : -1;
  const sel = found >= 0 ? found : 0;
  const current = useRef({ list, sel });
  current.current = { list, sel };
  const setSel = (f: number | ((s: number) => number)) => {
    const { list: l, sel: s } = current.current;
    const n = Math.max(0, Math.min(typeof f === 'function' ? f(s) : f, l.length - 1));
    setSelId(l[n]?.id ?? null);
    current.current = { list: l, sel: n };
  };
  useEffect(() => {
    const onKey = async (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement).tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Enter' && (tag === 'BUTTON' || tag === 'A')) return; // Enter on a button presses the button
      const selected = current.current.list[current.current.sel];
      if (e.key === 'j' || e.key === 'ArrowDown') { setSel((s) => s + 1); e.preventDefault(); }
      else if (e.key === 'k' || e.key === 'ArrowUp') { setSel((s) => s - 1); e.preventDefault(); }
      else if (e.key === 'Enter' && selected) go(`incident/${selected.id}`);
      else if (e.key === 'a' && selected && can.change(me.get()) && selected.status === 'new') {
        const r = await api.post<{ incident: Incident }>(`/api/incidents/${selected.id}/actions`, { action: 'status', status: 'acknowledged' }).catch(() => null);
        if (r) upsertIncident(r.incident);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => { tbody.current?.querySelector('tr.sel')?.scrollIntoView({ block: 'nearest' }); }, [sel]);
  Object.assign(kept, { sev, status, agency, rule, assignee, selId: list[sel]?.id ?? selId });
  // the scroll comes back once the rows are there again; it is noted on every scroll, since the view is gone when Back is pressed
  const restored = useRef(false);
  useEffect(() => {
    const box = tbody.current?.closest('.content');
    if (!box) return;
    if (!restored.current && list.length) { restored.current = true; box.scrollTop = kept.scroll; }
    const note = () => { if (restored.current) kept.scroll = box.scrollTop; };
    box.addEventListener('scroll', note);
    return () => box.removeEventListener('scroll', note);
  }, [list.length > 0]);
  const addrs = useSyslogAddresses(load.status === 'ready' && all.length === 0);

  const toggleSev = (s: string) => { const n = new Set(sev); n.has(s) ? n.delete(s) : n.add(s); setSev(n); setSel(0); };
  const toggleAlarm = async () => {
    const on = !alarm;
    if (on && 'Notification' in window && Notification.permission === 'default') await Notification.requestPermission().catch(() => undefined);
    setAlarm(on);
    try { localStorage.setItem('canhgac.alarm', on ? '1' : '0'); } catch { /* private mode */ }
  };

  return (
    <div class="view incidents-view">
      <div class="counters">
        {SEVERITIES.map((s) => (
          <button class={`counter c-${s} ${sev.has(s) ? 'on' : ''}`} onClick={() => toggleSev(s)} data-sev={s} aria-pressed={sev.has(s)}>
            <span class="n">{counts[s] ?? 0}</span>
            <span class="l">{t(`sev.${s}`)}</span>
          </button>
        ))}
        <div class="counter total">
          <span class="n">{Object.values(counts).reduce((a, b) => a + b, 0)}</span>
          <span class="l">{t('inc.open_total')}</span>
        </div>
      </div>
      <div class="toolbar">
        <label>{t('filter.status')}
          <select value={status} onChange={(e) => { setStatus(e.currentTarget.value); setSel(0); }} name="status">
            <option value="open">{t('st.open')}</option><option value="closed">{t('st.closed')}</option><option value="all">{t('all')}</option>
            {STATUSES.map((s) => <option value={s}>{t(`st.${s}`)}</option>)}
          </select>
        </label>
        <label>{t('filter.agency')}
          <select value={agency} onChange={(e) => { setAgency(e.currentTarget.value); setSel(0); }} name="agency">
            <option value="">{t('all')}</option>
            {[...names.entries()].map(([id, n]) => <option value={id}>{n}</option>)}
          </select>
        </label>
        <label>{t('filter.rule')}
          <select value={rule} onChange={(e) => { setRule(e.currentTarget.value); setSel(0); }} name="rule">
            <option value="">{t('all')}</option>
            {rules.map(([id, title]) => <option value={id}>{title}</option>)}
          </select>
        </label>
        <label>{t('filter.assignee')}
          <select value={assignee} onChange={(e) => { setAssignee(e.currentTarget.value); setSel(0); }} name="assignee">
            <option value="">{t('all')}</option><option value="-">—</option>
            {assignees.map((a) => <option value={a}>{a}</option>)}
          </select>
        </label>
        <label>{t('sort.label')}
          <select value={sort} name="sort" id="sort" onChange={(e) => { const v = e.currentTarget.value as Sort; setSort(v); try { localStorage.setItem('canhgac.sort', v); } catch { /* private mode */ } }}>
            {SORTS.map((s) => <option value={s}>{t(`sort.${s}`)}</option>)}
          </select>
        </label>
        <div class="spacer" />
        <label class="check"><input type="checkbox" checked={alarm} onChange={toggleAlarm} /> {t('inc.sound')}</label>
        <button class="ghost" onClick={() => download('/api/incidents/export?format=csv&status=' + encodeURIComponent(status === 'all' ? '' : status))}>{t('inc.export')}</button>
      </div>
      {can.change(user) && <BulkBar ids={pickedIds} onDone={() => setPicked(new Set())} />}
      <div class="table-wrap">
        <table class="grid incidents" id="incidents-table">
          <thead><tr>
            <th>{t('col.severity')}</th><th>{t('col.rule')}</th><th>{t('col.agency')}</th><th>{t('col.where')}</th>
            <th class="num">{t('col.count')}</th><th>{t('col.first')}</th><th>{t('col.last')}</th><th>{t('col.status')}</th><th>{t('col.assignee')}</th><th>{t('col.sla')}</th>
            {can.change(user) && <th><input type="checkbox" id="pick-all" aria-label={t('all')} checked={list.length > 0 && pickedIds.length === list.length} onChange={(e) => setPicked(e.currentTarget.checked ? new Set(list.map((i) => i.id)) : new Set())} /></th>}
          </tr></thead>
          <tbody ref={tbody}>
            {list.map((inc, i) => (
              <tr key={inc.id} data-id={inc.id} tabIndex={0} class={`${i === sel ? 'sel' : ''} ${freshIds.has(inc.id) ? 'fresh' : ''}`} onFocus={() => setSel(i)} onClick={() => { setSel(i); go(`incident/${inc.id}`); }}>
                <td><Sev s={inc.severity} /></td>
                <td class="wrap strong">{incidentTitle(inc)}{(inc.rules?.length ?? 0) > 1 && <span class="muted rules-more" title={inc.rules!.map((r) => ruleTitle(r)).join('\n')}> +{inc.rules!.length - 1} {t('inc.rules_more')}</span>}</td>
                <td class="agency"><Agency id={inc.tenant} /></td>
                <td class="mono"><div class="clip where" title={[inc.summary.host, inc.summary.source_ip, inc.summary.user].filter(Boolean).join(' · ')}>{[inc.summary.host, inc.summary.source_ip, inc.summary.user].filter(Boolean).join(' · ')}</div></td>
                <td class="num">{inc.count}</td>
                <td title={inc.first_seen}>{fmtShort(inc.first_seen)}</td>
                <td title={inc.last_seen} data-ago={fmtAgo(inc.last_seen)}>{fmtShort(inc.last_seen)}</td>
                <td><Status s={inc.status} /></td>
                <td>{inc.assignee ?? <span class="muted">—</span>}</td>
                <SlaCell s={sla.get(inc.id)} />
                {can.change(user) && <td onClick={(e) => e.stopPropagation()}><input type="checkbox" class="pick" aria-label={incidentTitle(inc)} checked={picked.has(inc.id)} onChange={(e) => pick(inc.id, e.currentTarget.checked)} /></td>}
              </tr>
            ))}
          </tbody>
        </table>
        {load.status === 'loading' && all.length === 0 ? <Loading /> : load.status === 'error' ? <Failure error={load.error} onRetry={() => void reloadIncidents()} /> : list.length === 0 && <EmptyList addrs={addrs} />}
      </div>
      <p class="hint">{t('inc.keys')}{user ? '' : ''}</p>
    </div>
  );
}
