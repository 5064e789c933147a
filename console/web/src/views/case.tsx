// One case: its details (title, description, assignee, severity, TLP, status and resolution), linked incidents, observables, comments and history.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, can, me } from '../api';
import { fmtTime, t } from '../i18n';
import { incidentTitle } from '../labels';
import { go } from '../router';
import { useSignal } from '../state';
import { Agency, Empty, ErrorLine, Panel, SEVERITIES, Sev, Status } from '../ui';
import { CaseStatus, Tlp } from './cases';
import { OBSERVABLE_KINDS, TLP_LEVELS, type Case, type CaseChanged, type CaseDetail } from './casetypes';

type Send = (p: Promise<CaseChanged>) => Promise<boolean>;

function Details({ c, editable, users, send }: { c: Case; editable: boolean; users: string[]; send: Send }) {
  const [f, setF] = useState({ title: c.title, description: c.description, assignee: c.assignee ?? '', severity: c.severity, tlp: c.tlp });
  const [resolution, setResolution] = useState('');
  useEffect(() => setF({ title: c.title, description: c.description, assignee: c.assignee ?? '', severity: c.severity, tlp: c.tlp }), [c.version]);
  const closed = c.status === 'closed';
  const patch = () => {
    const body: Record<string, unknown> = {};
    if (f.title !== c.title) body.title = f.title;
    if (f.description !== c.description) body.description = f.description;
    if ((f.assignee || null) !== c.assignee) body.assignee = f.assignee || null;
    if (f.severity !== c.severity) body.severity = f.severity;
    if (f.tlp !== c.tlp) body.tlp = f.tlp;
    if (Object.keys(body).length) void send(api.patch<CaseChanged>(`/api/cases/${c.id}`, body));
  };
  const ro = !editable || closed;
  return (
    <Panel title={t('c.edit')} id="case-details">
      <div class="actions">
        <label>{t('c.title')}<input value={f.title} disabled={ro} onInput={(e) => setF({ ...f, title: e.currentTarget.value })} name="title" /></label>
        <label>{t('c.description')}<textarea rows={4} value={f.description} disabled={ro} onInput={(e) => setF({ ...f, description: e.currentTarget.value })} name="description" /></label>
        <div class="row">
          <select value={f.assignee} disabled={ro} onChange={(e) => setF({ ...f, assignee: e.currentTarget.value })} name="assignee">
            <option value="">{t('col.assignee')}: —</option>
            {[...new Set([...users, ...(c.assignee ? [c.assignee] : [])])].map((u) => <option value={u}>{u}</option>)}
          </select>
          <select value={f.severity} disabled={ro} onChange={(e) => setF({ ...f, severity: e.currentTarget.value as Case['severity'] })} name="severity">{SEVERITIES.map((s) => <option value={s}>{t(`sev.${s}`)}</option>)}</select>
          <select value={f.tlp} disabled={ro} onChange={(e) => setF({ ...f, tlp: e.currentTarget.value as Case['tlp'] })} name="tlp">{TLP_LEVELS.map((x) => <option value={x}>TLP:{x}</option>)}</select>
          {!ro && <button onClick={patch} id="case-save">{t('c.save')}</button>}
        </div>
        {editable && (closed ? (
          <div class="row"><span class="muted">{t('c.resolution')}: <b id="case-resolution">{c.resolution}</b></span> <button class="ghost" onClick={() => send(api.patch(`/api/cases/${c.id}`, { status: 'in_progress' }))}>{t('c.reopen')}</button></div>
        ) : (
          <div class="row">
            {c.status === 'new' && <button class="ghost" onClick={() => send(api.patch(`/api/cases/${c.id}`, { status: 'in_progress' }))} id="case-start">{t('c.st.in_progress')}</button>}
            <input placeholder={t('c.resolution')} value={resolution} onInput={(e) => setResolution(e.currentTarget.value)} id="case-resolution-input" />
            <button class="danger" disabled={!resolution.trim()} onClick={() => send(api.patch(`/api/cases/${c.id}`, { status: 'closed', resolution }))} id="case-close">{t('c.close')}</button>
          </div>
        ))}
      </div>
    </Panel>
  );
}

function Observables({ c, editable, send }: { c: Case; editable: boolean; send: Send }) {
  const [f, setF] = useState({ type: 'ip', value: '', note: '', tags: '' });
  const add = async (e: Event) => {
    e.preventDefault();
    const tags = f.tags.split(',').map((x) => x.trim()).filter(Boolean);
    if (await send(api.post(`/api/cases/${c.id}/observables`, { type: f.type, value: f.value, note: f.note || null, tags }))) setF({ ...f, value: '', note: '', tags: '' });
  };
  const open = editable && c.status !== 'closed';
  return (
    <Panel title={`${t('c.observables')} (${c.observables.length})`} id="case-observables">
      {c.observables.length > 0 && (
        <table class="grid"><tbody>
          {c.observables.map((o) => (
            <tr data-observable={o.id}>
              <td>{t(`c.o.${o.type}`)}</td><td class="mono">{o.value}</td><td class="wrap">{o.note ?? ''}</td><td class="tags">{o.tags.map((x) => <span class="tag">{x}</span>)}</td>
              <td class="muted">{o.by} · {fmtTime(o.added)}</td>
              <td>{open && <button class="small ghost" onClick={() => send(api.del(`/api/cases/${c.id}/observables/${o.id}`))}>{t('c.remove')}</button>}</td>
            </tr>
          ))}
        </tbody></table>
      )}
      {open && (
        <form class="form-row" onSubmit={add} id="observable-add">
          <select value={f.type} onChange={(e) => setF({ ...f, type: e.currentTarget.value })} name="type">{OBSERVABLE_KINDS.map((k) => <option value={k}>{t(`c.o.${k}`)}</option>)}</select>
          <input placeholder={t('c.value')} value={f.value} onInput={(e) => setF({ ...f, value: e.currentTarget.value })} required name="value" />
          <input placeholder={t('c.note')} value={f.note} onInput={(e) => setF({ ...f, note: e.currentTarget.value })} name="note" />
          <input placeholder={t('c.tags')} value={f.tags} onInput={(e) => setF({ ...f, tags: e.currentTarget.value })} name="tags" />
          <button type="submit">{t('c.add_observable')}</button>
        </form>
      )}
    </Panel>
  );
}

function Comments({ c, editable, send }: { c: Case; editable: boolean; send: Send }) {
  const [text, setText] = useState('');
  return (
    <Panel title={`${t('c.comments')} (${c.comments.length})`} id="case-comments">
      <ul class="timeline">
        {c.comments.map((m) => <li class="change"><span class="tl-when">{fmtTime(m.at)}</span> <b>{m.author}</b> 💬 <span class="comment">{m.text}</span></li>)}
      </ul>
      {editable && (
        <div class="actions">
          <textarea rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} id="case-comment" placeholder={t('d.add_comment')} />
          <div class="row"><button class="ghost" disabled={!text.trim()} onClick={async () => { if (await send(api.post(`/api/cases/${c.id}/comments`, { text }))) setText(''); }} id="case-comment-post">{t('c.comment')}</button></div>
        </div>
      )}
    </Panel>
  );
}

function History({ c }: { c: Case }) {
  return (
    <Panel title={t('c.history')} id="case-history">
      <ul class="timeline">
        {[...c.history].reverse().map((h) => (
          <li class="change" data-action={h.action}>
            <span class="tl-when">{fmtTime(h.at)}</span> <b>{h.actor}</b> {t(`c.h.${h.action}`)}
            {h.action !== 'comment' && (h.from || h.to) && <span class="mono"> {h.from ?? '—'} → {h.to ?? '—'}</span>}
          </li>
        ))}
      </ul>
    </Panel>
  );
}

export function CaseView({ id }: { id: string }) {
  const user = useSignal(me);
  const [d, setD] = useState<CaseDetail | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [users, setUsers] = useState<string[]>([]);
  const load = () => api.get<CaseDetail>(`/api/cases/${id}`).then(setD, (e: Error) => setErr(e.message));
  useEffect(() => { setD(null); void load(); }, [id]);
  useEffect(() => {
    if (can.change(me.get())) api.get<{ items: { username: string; disabled: boolean }[] }>('/api/users').then((r) => setUsers(r.items.filter((u) => !u.disabled).map((u) => u.username)), () => setUsers([me.get()!.username]));
  }, []);
  const send: Send = async (p) => {
    setErr(null);
    setNote(null);
    try {
      const r = await p;
      if (typeof r.added === 'number') setNote(`+${r.added} ${t('c.observables').toLowerCase()}${r.skipped ? ` (${r.skipped} ${t('c.skipped')})` : ''}`);
      await load();
      return true;
    } catch (e) {
      setErr(e instanceof ApiError ? e.message : String(e));
      return false;
    }
  };
  if (!d) return <div class="view"><a href="#/cases">{t('c.back')}</a>{err ? <ErrorLine error={err} /> : <span class="muted"> {t('loading')}</span>}</div>;
  const c = d.case;
  const editable = can.change(user);
  return (
    <div class="view case-view" data-case={c.id}>
      <div class="inc-head"><a href="#/cases">{t('c.back')}</a></div>
      <div class="inc-head">
        <Sev s={c.severity} /><h1 id="case-title">{c.title}</h1><CaseStatus s={c.status} /><Tlp v={c.tlp} />
        <span class="muted">· <Agency id={c.tenant} /></span>
        <span class="muted">· {t('c.created_by')} {c.createdBy}, {fmtTime(c.created)}</span>
        {c.assignee && <span class="muted">· {t('col.assignee')}: <b>{c.assignee}</b></span>}
      </div>
      <ErrorLine error={err} />
      {note && <p class="muted" id="case-note">{note}</p>}
      <div class="cols cols-main">
        <div class="view">
          <Panel title={`${t('c.incidents')} (${c.incidents.length})`} id="case-incidents">
            {d.incidents.length === 0 ? <Empty>{t('d.none')}</Empty> : (
              <table class="grid incidents"><tbody>
                {d.incidents.map((inc) => (
                  <tr data-id={inc.id}>
                    <td><Sev s={inc.severity} /></td><td class="wrap"><a href={`#/incident/${inc.id}`}>{incidentTitle(inc)}</a></td>
                    <td class="mono">{[inc.summary.host, inc.summary.source_ip, inc.summary.user].filter(Boolean).join(' · ')}</td><td><Status s={inc.status} /></td>
                    <td>{editable && c.status !== 'closed' && <>
                      <button class="small ghost" onClick={() => send(api.post(`/api/cases/${c.id}/observables/from-incident`, { incident: inc.id }))} data-from-incident={inc.id}>{t('c.from_incident')}</button>{' '}
                      <button class="small ghost" onClick={() => send(api.del(`/api/cases/${c.id}/incidents/${inc.id}`))}>{t('c.unlink')}</button>
                    </>}</td>
                  </tr>
                ))}
              </tbody></table>
            )}
          </Panel>
          <Observables c={c} editable={editable} send={send} />
          <Comments c={c} editable={editable} send={send} />
        </div>
        <div class="view">
          <Details c={c} editable={editable} users={users} send={send} />
          <History c={c} />
        </div>
      </div>
      {!editable && <p class="muted">{t('d.readonly')}</p>}
      <p class="faint"><button class="ghost small" onClick={() => go('cases')}>{t('c.back')}</button></p>
    </div>
  );
}
