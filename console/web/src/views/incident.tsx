// One incident: timeline of alerts, events (ECS fields, event.original) and changes; rule, asset, related; actions; SLA.
import type { ApiAlert, ApiEvent, ApiIncidentChange, ApiIncidentDetail, ApiUser } from '../../../server/apitypes';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, can, me } from '../api';
import { agencyName, fmtDuration, fmtTime, t } from '../i18n';
import { incidentTitle, ruleSummary, ruleTitle } from '../labels';
import { incidents, upsertIncident } from '../live';
import { go } from '../router';
import { route } from '../routes';
import { useSignal } from '../state';
import { Agency, download, ErrorLine, OPEN, Panel, Sev, Status } from '../ui';
import { AddToCase } from './addtocase';
import { BlockIt } from './blockit';
import { GroupPanel } from './grouping';
import { ReportClock } from './reportclock';
import { StixExport } from './stixexport';

// GET /api/incidents/:id as console/server/schemas.ts declares it, not a copy
type Detail = ApiIncidentDetail;
type Alert = ApiAlert;
type Change = ApiIncidentChange;
// an event is declared free-form (its fields are the source's), so the few read here are checked as they are read
type Ev = ApiEvent;
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const ecsEvent = (ev: Ev, key: 'id' | 'original'): string | undefined => (ev.event && typeof ev.event === 'object' ? text((ev.event as Record<string, unknown>)[key]) : undefined);

export function flatten(doc: unknown, prefix = '', out: [string, string][] = []): [string, string][] {
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    for (const [k, v] of Object.entries(doc)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.push([prefix, Array.isArray(doc) ? doc.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : String(doc)]);
  return out;
}

/** A search for `q` in one agency, over a window around [first, last] (an hour either side): what an incident's links open. */
export function pivotHref(q: string, tenant: string, first: string, last: string): string {
  const from = new Date(Date.parse(first) - 3600e3).toISOString(), to = new Date(Date.parse(last) + 3600e3).toISOString();
  return `#/search?${new URLSearchParams({ q: `(${q}) AND organization.id:"${tenant}"`, range: 'custom', from, to }).toString()}`;
}

/** field:"value" as the search language writes it (quotes and backslashes escaped). */
export const fieldTerm = (k: string, v: string) => `${k}:"${v.replace(/(["\\])/g, '\\$1')}"`;

/** One event, opened: event.original and every field; `filter` (the search view) adds "filter for / exclude this value" to each field,
 * `pivot` (an incident's events) links each value to a search around the incident. */
export function EventRow({ ev, filter, pivot }: { ev: Ev; filter?(term: string, exclude: boolean): void; pivot?(term: string): string }) {
  const fields = flatten(ev).filter(([k]) => k !== 'event.original').sort((a, b) => a[0].localeCompare(b[0]));
  const original = ecsEvent(ev, 'original');
  const summary = original ?? text(ev.message) ?? fields.slice(0, 6).map(([k, v]) => `${k}=${v}`).join(' ');
  return (
    <details class="ev" data-event={ecsEvent(ev, 'id')}>
      <summary><span class="muted">{fmtTime(text(ev['@timestamp']) ?? '')}</span> {summary}</summary>
      {original && <><div class="muted orig-h">{t('d.original')}</div><pre class="orig">{original}</pre></>}
      <table><tbody>{fields.map(([k, v]) => (
        <tr>
          <td>{k}</td>
          <td>{pivot ? <a href={pivot(fieldTerm(k, v))} title={t('s.pivot')}>{v}</a> : v}</td>
          {filter && <td class="ev-filter">
            <button type="button" class="ghost mini" title={t('s.filter_for')} aria-label={`${t('s.filter_for')}: ${k}`} onClick={() => filter(fieldTerm(k, v), false)}>+</button>
            <button type="button" class="ghost mini" title={t('s.filter_out')} aria-label={`${t('s.filter_out')}: ${k}`} onClick={() => filter(fieldTerm(k, v), true)}>−</button>
          </td>}
        </tr>
      ))}</tbody></table>
    </details>
  );
}

const CLOSE = ['resolved', 'false_positive', 'duplicate'];

export function IncidentView({ id }: { id: string }) {
  const user = useSignal(me);
  const live = useSignal(incidents).get(id);
  const [d, setD] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [users, setUsers] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [closeAs, setCloseAs] = useState('resolved');
  const [resolution, setResolution] = useState('');
  const [busy, setBusy] = useState(false);
  const [, tick] = useState(0);

  const load = () => route.get('/api/incidents/:id', { id }).then(setD, (e: Error) => setError(e.message));
  useEffect(() => { setD(null); load(); }, [id]);
  useEffect(() => { if (live && d && live.version > d.incident.version) load(); }, [live?.version]);
  useEffect(() => {
    if (can.change(me.get())) api.get<{ items: ApiUser[] }>('/api/users').then((r) => setUsers(r.items.filter((u) => !u.disabled).map((u) => u.username)), () => setUsers([me.get()!.username]));
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);

  if (error) return <div class="view"><a href="#/incidents">{t('d.back')}</a><ErrorLine error={error} /></div>;
  if (!d) return <div class="view muted">{t('loading')}</div>;
  const inc = d.incident;
  const act = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const r = await route.post('/api/incidents/:id/actions', { id: inc.id }, body);
      upsertIncident(r.incident);
      await load();
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const editable = can.change(user);
  const open = OPEN.has(inc.status);
  // live SLA clocks: recomputed each second while the incident waits
  const now = Date.now();
  const ackMs = d.sla.acknowledged_at || d.sla.closed_at ? d.sla.time_to_acknowledge_ms : now - Date.parse(inc.created);
  const openMs = d.sla.closed_at ? d.sla.time_open_ms : now - Date.parse(inc.created);
  const ackBad = ackMs > d.sla.target.acknowledge_minutes * 60000;
  const openBad = openMs > d.sla.target.resolve_minutes * 60000;

  const eventsById = new Map(d.events.map((e) => [ecsEvent(e, 'id'), e]));
  type Item = { at: string; kind: 'alert'; a: Alert } | { at: string; kind: 'change'; c: Change };
  const items: Item[] = [...d.alerts.map((a) => ({ at: a['@timestamp'], kind: 'alert' as const, a })), ...d.changes.map((c) => ({ at: c.at, kind: 'change' as const, c }))].sort((x, y) => (x.at < y.at ? -1 : 1));
  const tags = inc.rule.tags ?? [];
  const attack = tags.filter((x) => x.startsWith('attack.'));

  return (
    <div class="view incident-view" data-incident={inc.id}>
      <div class="inc-head">
        <a href="#/incidents">{t('d.back')}</a>
      </div>
      <div class="inc-head">
        <Sev s={inc.severity} />
        <h1>{incidentTitle(inc)}</h1>
        <Status s={inc.status} />
        <span class="muted">× {inc.count}</span>
        <span class="muted">· <Agency id={inc.tenant} /></span>
        <span class="muted">· {fmtTime(inc.first_seen)} → {fmtTime(inc.last_seen)}</span>
        {inc.assignee && <span class="muted">· {t('col.assignee')}: <b id="assignee">{inc.assignee}</b></span>}
      </div>
      <ErrorLine error={error} />
      <div class="cols cols-main">
        <div class="view">
          <Panel title={`${t('d.timeline')} · ${d.alerts.length} ${t('d.alerts').toLowerCase()} · ${d.events.length} ${t('d.events').toLowerCase()}`}>
            <ul class="timeline">
              {items.map((it) => it.kind === 'alert' ? (
                <li class="alert">
                  <div><span class="tl-when">{fmtTime(it.at)}</span> <Sev s={it.a.severity} /> <b>{ruleTitle(it.a.rule)}</b> <span class="muted">({t(`kind.${it.a.kind}`)}{it.a.groupBy && <span class="mono"> · {Object.entries(it.a.groupBy).map(([k, v]) => `${k}=${v}`).join(' ')}</span>})</span></div>
                  {it.a.eventIds.map((eid) => eventsById.get(eid)).filter(Boolean).map((ev) => <EventRow ev={ev!} pivot={(term) => pivotHref(term, inc.tenant, inc.first_seen, inc.last_seen)} />)}
                </li>
              ) : (
                <li class="change">
                  <span class="tl-when">{fmtTime(it.at)}</span> <b>{it.c.actor}</b>{' '}
                  {it.c.action === 'comment' ? <>💬 <span class="comment">{it.c.comment}</span></> :
                    it.c.action === 'status' ? <>{t('col.status')}: {it.c.from && <Status s={it.c.from} />} → {it.c.to && <Status s={it.c.to} />}{it.c.comment ? ` — ${it.c.comment}` : ''}</> :
                    it.c.action === 'assign' ? <>{t('d.assign')}: {it.c.to ?? '—'}</> : <span class="muted" title={it.c.action}>{t(`tl.${it.c.action}`).startsWith('tl.') ? t('tl.other') : t(`tl.${it.c.action}`)}</span>}
                </li>
              ))}
            </ul>
          </Panel>
          <Panel title={`${t('d.related')} (${d.related.length})`}>
            {d.related.length === 0 ? <span class="muted">{t('d.none')}</span> : (
              <table class="grid incidents"><tbody>
                {d.related.map((r) => (
                  <tr onClick={() => go(`incident/${r.id}`)}>
                    <td><Sev s={r.severity} /></td><td class="wrap">{incidentTitle(r)}</td><td><Agency id={r.tenant} /></td>
                    <td class="mono wrap related-ent">{[r.summary.host, r.summary.source_ip, r.summary.user].filter(Boolean).join(' · ')}</td><td>{fmtTime(r.last_seen)}</td><td><Status s={r.status} /></td>
                  </tr>
                ))}
              </tbody></table>
            )}
          </Panel>
        </div>
        <div class="view">
          <Panel title={t('d.actions')} id="actions">
            {!editable ? <span class="muted">{t('d.readonly')}</span> : (
              <div class="actions">
                <div class="row">
                  {inc.status === 'new' && <button disabled={busy} onClick={() => act({ action: 'status', status: 'acknowledged' })} id="ack">{t('d.ack')}</button>}
                  {inc.assignee !== user!.username && <button class="ghost" disabled={busy} onClick={() => act({ action: 'assign', assignee: user!.username })}>{t('d.assign_me')}</button>}
                  {open && inc.status !== 'in_progress' && <button class="ghost" disabled={busy} onClick={() => act({ action: 'status', status: 'in_progress' })}>{t('st.in_progress')}</button>}
                  {!open && <button class="ghost" disabled={busy} onClick={() => act({ action: 'status', status: 'new' })}>{t('st.new')}</button>}
                </div>
                <div class="row">
                  <select id="assign-select" value={inc.assignee ?? ''} disabled={busy} onChange={(e) => act({ action: 'assign', assignee: e.currentTarget.value || null })}>
                    <option value="">{t('d.assign')}… ({t('d.unassign').toLowerCase()})</option>
                    {[...new Set([...users, ...(inc.assignee ? [inc.assignee] : [])])].map((u) => <option value={u}>{u}</option>)}
                  </select>
                </div>
                <div class="row">
                  <textarea rows={2} placeholder={t('d.add_comment')} value={comment} onInput={(e) => setComment(e.currentTarget.value)} id="comment" />
                </div>
                <div class="row">
                  <button class="ghost" disabled={busy || !comment.trim()} onClick={async () => { if (await act({ action: 'comment', comment })) setComment(''); }}>{t('d.comment')}</button>
                </div>
                {open && (
                  <>
                    <div class="row">
                      <select value={closeAs} onChange={(e) => setCloseAs(e.currentTarget.value)} id="close-as">
                        {CLOSE.map((s) => <option value={s}>{t(`st.${s}`)}</option>)}
                      </select>
                      <input placeholder={t('d.resolution')} value={resolution} onInput={(e) => setResolution(e.currentTarget.value)} />
                    </div>
                    <div class="row"><button class="danger" disabled={busy} onClick={() => act({ action: 'status', status: closeAs, resolution: resolution || null })}>{t('d.close')}</button></div>
                  </>
                )}
              </div>
            )}
          </Panel>
          <GroupPanel inc={inc} alerts={d.alerts} editable={editable && open} reload={load} />
          <BlockIt inc={inc} events={d.events} />
          <AddToCase inc={inc} />
          <Panel title={t('d.sla')}>
            <div class="sla">
              <div class={`box ${ackBad ? 'bad' : 'good'}`} id="sla-ack">
                <div class="muted">{t('d.tta')}</div>
                <div class="v">{fmtDuration(ackMs)}</div>
                <div class="muted">{t('d.target')} {fmtDuration(d.sla.target.acknowledge_minutes * 60000)} · <span class={ackBad ? 'bad' : 'ok'}>{ackBad ? t('d.breached') : t('d.within')}</span></div>
              </div>
              <div class={`box ${openBad ? 'bad' : 'good'}`}>
                <div class="muted">{t('d.open_for')}</div>
                <div class="v">{fmtDuration(openMs)}</div>
                <div class="muted">{t('d.target')} {fmtDuration(d.sla.target.resolve_minutes * 60000)} · <span class={openBad ? 'bad' : 'ok'}>{openBad ? t('d.breached') : t('d.within')}</span></div>
              </div>
            </div>
          </Panel>
          <Panel title={t('rep.title')} id="inc-reports">
            <ReportClock r={d.reporting} editable={editable} act={act} />
            <p class="faint">{t('rep.hint')}</p>
            {(['initial', 'final'] as const).map((kind) => (
              <div class="row">
                <span>{t(`rep.${kind}`)}</span>
                {(['pdf', 'docx'] as const).map((format) => <button type="button" class="ghost mini" data-report={`${kind}.${format}`} onClick={() => download(`/api/incidents/${encodeURIComponent(inc.id)}/report?kind=${kind}&format=${format}`)}>{format.toUpperCase()}</button>)}
              </div>
            ))}
            <StixExport incidentId={inc.id} />
          </Panel>
          <Panel title={t('d.rule')}>
            <dl class="kv">
              <dt>{t('col.rule')}</dt><dd><b title={inc.rule.title}>{ruleTitle(inc.rule)}</b> <span class="faint mono">{inc.rule.id}</span></dd>
              <dt>{t('d.level')}</dt><dd><Sev s={inc.rule.level} /></dd>
              {ruleSummary(inc.rule) && <><dt>{t('a.details')}</dt><dd>{ruleSummary(inc.rule)}</dd></>}
              <dt>{t('d.author')}</dt><dd>{inc.rule.author ?? '—'}</dd>
              <dt>{t('d.attack')}</dt><dd class="tags">{attack.length ? attack.map((x) => <span class="tag">{x.slice(7)}</span>) : '—'}</dd>
              {tags.filter((x) => !x.startsWith('attack.')).length > 0 && <><dt>{t('x.tags')}</dt><dd class="tags">{tags.filter((x) => !x.startsWith('attack.')).map((x) => <span class="tag">{x}</span>)}</dd></>}
              <dt>{t('d.references')}</dt><dd>{inc.rule.references?.length ? inc.rule.references.map((r) => <div><a href={r} target="_blank" rel="noopener noreferrer">{r}</a></div>) : '—'}</dd>
            </dl>
          </Panel>
          <Panel title={t('d.asset')}>
            <dl class="kv">
              <dt>{t('col.agency')}</dt><dd>{agencyName(d.agency.name, d.agency.id)} <span class="faint mono">{d.agency.id}</span></dd>
              {inc.summary.host && <><dt class="mono">host</dt><dd class="mono"><a href={pivotHref(`host.name:"${inc.summary.host}" OR host.hostname:"${inc.summary.host}"`, inc.tenant, inc.first_seen, inc.last_seen)}>{inc.summary.host}</a></dd></>}
              {inc.summary.source_ip && <><dt class="mono">source.ip</dt><dd class="mono"><a href={pivotHref(`source.ip:${inc.summary.source_ip}`, inc.tenant, inc.first_seen, inc.last_seen)}>{inc.summary.source_ip}</a></dd></>}
              {inc.summary.user && <><dt class="mono">user.name</dt><dd class="mono"><a href={pivotHref(`user.name:"${inc.summary.user}"`, inc.tenant, inc.first_seen, inc.last_seen)}>{inc.summary.user}</a></dd></>}
              {inc.summary.destination_ip && <><dt class="mono">destination.ip</dt><dd class="mono"><a href={pivotHref(`destination.ip:${inc.summary.destination_ip}`, inc.tenant, inc.first_seen, inc.last_seen)}>{inc.summary.destination_ip}</a></dd></>}
              {inc.summary.malware && <><dt>{t('ti.malware')}</dt><dd class="mono" id="inc-malware"><a href={pivotHref(fieldTerm('threat.software.name', inc.summary.malware), inc.tenant, inc.first_seen, inc.last_seen)}>{inc.summary.malware}</a></dd></>}
              <dt>{t('x.group')}</dt><dd class="mono faint">{inc.groupKey}</dd>
              {inc.resolution && <><dt>{t('d.resolution')}</dt><dd>{inc.resolution}</dd></>}
            </dl>
          </Panel>
        </div>
      </div>
    </div>
  );
}
