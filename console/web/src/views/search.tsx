// Search: the query language with field autocompletion, a time range, a histogram, chosen columns, paging, cancel, export and saved searches.
import type { ApiAlert, ApiSavedSearch } from '../../../server/apitypes';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, qs } from '../api';
import { pivot, TimeChart } from '../chart';
import { fmtTime, msToZonedInput, t, zonedInputToMs } from '../i18n';
import { Agency, download, Empty, ErrorLine, Failure, fill, Loading, Panel, Sev } from '../ui';
import { ecsEvent, EventRow, flatten } from './incident';
import { ruleTitle } from '../labels';

type Ev = Record<string, unknown> & { '@timestamp': string; event?: { id?: string; original?: string } };
type Saved = ApiSavedSearch;

const RANGES = ['15m', '1h', '24h', '7d', '30d', 'all', 'custom'] as const;
const RANGE_MS: Record<string, number> = { '15m': 15 * 60e3, '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };
const DEFAULT_COLUMNS = ['organization.id', 'event.dataset', 'host.name', 'source.ip', 'user.name', 'event.action', 'event.outcome', 'message'];
const PAGE = 50;

// common ECS fields, offered even before an event carrying them is among the sampled ones
const ECS_FIELDS = ['@timestamp', 'message', 'tags', 'organization.id', 'event.action', 'event.category', 'event.code', 'event.dataset', 'event.kind', 'event.module', 'event.original',
  'event.outcome', 'event.severity', 'event.type', 'host.hostname', 'host.ip', 'host.name', 'host.os.type', 'observer.hostname', 'observer.ip', 'observer.product', 'observer.vendor',
  'source.ip', 'source.port', 'source.geo.country_iso_code', 'destination.ip', 'destination.port', 'network.protocol', 'network.transport', 'network.direction', 'user.name',
  'user.domain', 'process.name', 'process.pid', 'process.command_line', 'process.executable', 'url.original', 'url.path', 'url.domain', 'http.request.method',
  'http.response.status_code', 'user_agent.original', 'file.name', 'file.path', 'file.hash.sha256', 'dns.question.name', 'tls.version', 'rule.name', 'rule.id',
  'threat.technique.id', 'log.level', 'log.source.address', 'log.syslog.appname', 'log.syslog.hostname', 'input.type'];

let fieldCache: { at: number; items: { field: string; count: number }[] } | null = null;
async function fields(): Promise<{ field: string; count: number }[]> {
  if (!fieldCache || Date.now() - fieldCache.at > 60000) {
    const seen = (await api.get<{ items: { field: string; count: number }[] }>('/api/fields')).items;
    const known = new Set(seen.map((f) => f.field));
    fieldCache = { at: Date.now(), items: [...seen, ...ECS_FIELDS.filter((f) => !known.has(f)).map((field) => ({ field, count: 0 }))] };
  }
  return fieldCache.items;
}

/** `field:partial` at the caret: the field and the start of the value, for value suggestions. */
function currentValue(text: string, caret: number): { start: number; field: string; value: string } | null {
  let start = caret;
  while (start > 0 && !/[\s()]/.test(text[start - 1])) start--;
  const m = /^-?([@\w.]+):([^"[{<>]*)$/.exec(text.slice(start, caret));
  if (!m) return null;
  return { start: caret - m[2].length, field: m[1], value: m[2] };
}

/** The word being typed at the caret, when it can still become a field name (no ':' yet). */
function currentWord(text: string, caret: number): { start: number; word: string } | null {
  let start = caret;
  while (start > 0 && !/[\s()]/.test(text[start - 1])) start--;
  const word = text.slice(start, caret).replace(/^-/, '');
  if (!word || word.includes(':') || word.includes('"') || /^(AND|OR|NOT)$/i.test(word)) return null;
  return { start: text[start] === '-' ? start + 1 : start, word };
}

function bucketFor(spanMs: number): number {
  const steps = [1e3, 5e3, 10e3, 30e3, 60e3, 300e3, 900e3, 1800e3, 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3, 86400e3];
  return steps.find((s) => spanMs / s <= 100) ?? 7 * 86400e3;
}

export function SearchView({ params }: { params: URLSearchParams }) {
  const [q, setQ] = useState(params.get('q') ?? '');
  const [range, setRange] = useState(params.get('range') ?? '24h');
  const [custom, setCustom] = useState<{ from: number; to: number }>(() => {
    const f = Date.parse(params.get('from') ?? ''), tt = Date.parse(params.get('to') ?? '');
    return Number.isNaN(f) || Number.isNaN(tt) ? { from: Date.now() - 3600e3, to: Date.now() } : { from: f, to: tt };
  });
  /** The searched window: a preset up to now, all time, or the custom from/to. */
  const windowOf = (rng: string, c = custom): { from?: string; to?: string; fromMs: number; toMs: number } => {
    const now = Date.now();
    if (rng === 'custom') return { from: new Date(c.from).toISOString(), to: new Date(c.to).toISOString(), fromMs: c.from, toMs: c.to };
    if (rng === 'all') return { fromMs: now - 30 * 86400e3, toMs: now };
    return { from: new Date(now - RANGE_MS[rng]).toISOString(), to: new Date(now + 1000).toISOString(), fromMs: now - RANGE_MS[rng], toMs: now };
  };
  const [columns, setColumns] = useState<string[]>(params.get('cols')?.split(',').filter(Boolean) ?? DEFAULT_COLUMNS);
  const [offset, setOffset] = useState(0);
  const [res, setRes] = useState<{ items: Ev[]; total: number } | null>(null);
  const [hist, setHist] = useState<{ xs: number[]; ys: number[][] } | null>(null);
  const [busy, setBusy] = useState(false);
  /** What produced the results on screen: the query and the window searched. */
  const [shown, setShown] = useState<{ q: string; range: string; fromMs: number; toMs: number } | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  // Tab takes the highlighted suggestion; Enter takes it only once the analyst moved in the list with the arrow keys, else it searches
  const [suggest, setSuggest] = useState<{ start: number; items: string[]; sel: number; values?: boolean; moved?: boolean } | null>(null);
  const [allFields, setAllFields] = useState<{ field: string; count: number }[]>([]);
  const [saved, setSaved] = useState<Saved[]>([]);
  const [saveName, setSaveName] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [pickCols, setPickCols] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const run = async (newOffset = 0, query = q, rng = range, c = custom) => {
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setBusy(true);
    setError(null);
    setFailed(null);
    setNote(null);
    setSuggest(null);
    typed.current++; // a suggestion answer still on its way is for a query already searched
    setOffset(newOffset);
    const w = windowOf(rng, c);
    try {
      const page = await api.get<{ items: Ev[]; total: number }>(`/api/events?${qs({ q: query, from: w.from, to: w.to, limit: PAGE, offset: newOffset })}`, ctl.signal);
      setRes(page);
      setShown({ q: query, range: rng, fromMs: w.fromMs, toMs: w.toMs });
      if (newOffset === 0) {
        const step = bucketFor(w.toMs - w.fromMs);
        const h = await api.get<{ buckets: { t: string; count: number }[] }>(`/api/events/histogram?${qs({ q: query, from: new Date(w.fromMs).toISOString(), to: new Date(w.toMs + 1000).toISOString(), interval: step })}`, ctl.signal);
        const p = pivot(h.buckets.map((b) => ({ t: b.t, value: 'events', count: b.count })), w.fromMs, w.toMs, step);
        setHist({ xs: p.xs, ys: p.ys.length ? p.ys : [new Array(p.xs.length).fill(0)] });
      }
      const ps: Record<string, string> = { q: query, range: rng, cols: columns.join(',') };
      if (rng === 'custom') Object.assign(ps, { from: new Date(c.from).toISOString(), to: new Date(c.to).toISOString() });
      history.replaceState(null, '', `#/search?${new URLSearchParams(ps).toString()}`);
    } catch (e) {
      // a search replaced by a newer one says nothing: only the analyst's own Cancel leaves a note
      if (abort.current !== ctl) return;
      if ((e as Error).name === 'AbortError') setNote(t('s.cancelled'));
      else if (e instanceof ApiError && e.status < 500) setError(e.message);
      else setFailed(e);
    } finally {
      if (abort.current === ctl) { setBusy(false); abort.current = null; }
    }
  };
  /** "Filter for / exclude this value" from an opened event: the query narrowed by that term, searched again over the same window. */
  const narrow = (term: string, exclude: boolean) => {
    const base = (shown?.q ?? q).trim();
    const next = `${base ? `(${base}) AND ` : ''}${exclude ? 'NOT ' : ''}${term}`;
    setQ(next);
    setOpen(null);
    void run(0, next);
  };
  /** Dragging across the histogram zooms the search into that span. */
  const zoom = (fromSec: number, toSec: number) => {
    // whole bars: from the start of the first selected bucket to the end of the last
    const step = hist && hist.xs.length > 1 ? hist.xs[1] - hist.xs[0] : 1;
    const c = { from: Math.floor(fromSec / step) * step * 1000, to: (Math.floor(toSec / step) + 1) * step * 1000 };
    setCustom(c);
    setRange('custom');
    run(0, q, 'custom', c);
  };

  useEffect(() => {
    run(0);
    fields().then(setAllFields, () => undefined);
    api.get<{ items: Saved[] }>('/api/searches').then((r) => setSaved(r.items), () => undefined);
  }, []);

  const typed = useRef(0);
  const onInput = async (e: Event) => {
    const el = e.currentTarget as HTMLInputElement;
    setQ(el.value);
    const seq = ++typed.current; // only the answer for the latest keystroke may show suggestions
    const show = (v: { start: number; items: string[]; sel: number; values?: boolean } | null) => { if (seq === typed.current) setSuggest(v); };
    const caret = el.selectionStart ?? el.value.length;
    const v = currentValue(el.value, caret);
    if (v) {
      // values: the most frequent ones of that field in the chosen range
      const w = windowOf(range);
      const top = await api.get<{ values: { value: string; count: number }[] }>(`/api/events/top?${qs({ field: v.field, size: 12, from: w.from, to: w.to })}`).catch(() => ({ values: [] }));
      const items = top.values.map((x) => x.value).filter((x) => x.toLowerCase().startsWith(v.value.toLowerCase()) && x !== v.value);
      return show(items.length ? { start: v.start, items, sel: 0, values: true } : null);
    }
    const w = currentWord(el.value, caret);
    if (!w) return show(null);
    const list = (await fields().catch(() => [])).map((f) => f.field);
    const lw = w.word.toLowerCase();
    const items = [...list.filter((f) => f.toLowerCase().startsWith(lw)), ...list.filter((f) => !f.toLowerCase().startsWith(lw) && f.toLowerCase().includes(lw))].slice(0, 12);
    show(items.length ? { start: w.start, items, sel: 0 } : null);
  };
  const accept = (field: string) => {
    const el = input.current!;
    const caret = el.selectionStart ?? q.length;
    const text = suggest!.values ? (/[\s:()"]/.test(field) ? `"${field.replace(/"/g, '\\"')}"` : field) + ' ' : field + ':';
    const next = q.slice(0, suggest!.start) + text + q.slice(caret);
    // value and caret set at once, so keys typed right after land after the completion
    el.value = next;
    const pos = suggest!.start + text.length;
    el.setSelectionRange(pos, pos);
    el.focus();
    setQ(next);
    setSuggest(null);
  };
  const onKey = (e: KeyboardEvent) => {
    if (suggest) {
      const n = suggest.items.length;
      // the first ArrowDown enters the list at its highlighted first item
      if (e.key === 'ArrowDown') { setSuggest({ ...suggest, sel: suggest.moved ? (suggest.sel + 1) % n : suggest.sel, moved: true }); e.preventDefault(); return; }
      if (e.key === 'ArrowUp') { setSuggest({ ...suggest, sel: (suggest.sel + n - 1) % n, moved: true }); e.preventDefault(); return; }
      if ((e.key === 'Tab' && !e.shiftKey && n) || (e.key === 'Enter' && suggest.moved)) { accept(suggest.items[suggest.sel]); e.preventDefault(); return; }
      if (e.key === 'Escape') { setSuggest(null); e.preventDefault(); return; }
    }
    if (e.key === 'Enter') { e.preventDefault(); run(0); }
  };

  const exportUrl = (format: 'csv' | 'json') => {
    const w = windowOf(range);
    return `/api/events/export?${qs({ q, format, columns: ['@timestamp', ...columns].join(','), from: w.from, to: w.to, limit: 100000 })}`;
  };
  const save = async () => {
    if (!saveName.trim()) return;
    try {
      await api.post('/api/searches', { name: saveName.trim(), q, range: range === 'custom' ? null : range, columns });
      setSaved((await api.get<{ items: Saved[] }>('/api/searches')).items);
      setSaveName('');
    } catch (e) { setError(e instanceof ApiError ? e.message : String(e)); }
  };
  const load = (s: Saved) => {
    setQ(s.q);
    if (s.range) setRange(s.range);
    if (s.columns.length) setColumns(s.columns);
    run(0, s.q, s.range ?? range);
  };
  const toggleCol = (c: string) => setColumns(columns.includes(c) ? columns.filter((x) => x !== c) : [...columns, c]);

  return (
    <div class="view search-view">
      <div class="qbar">
        <div class="qbox">
          <label>{t('s.query')}
            <input ref={input} id="query" value={q} onInput={onInput} onKeyDown={onKey} onBlur={() => setTimeout(() => setSuggest(null), 150)} placeholder='source.ip:203.0.113.7 AND event.outcome:failure' spellcheck={false} autocomplete="off" />
          </label>
          {suggest && (
            <ul class="suggest" id="suggest">
              {suggest.items.map((f, i) => <li class={i === suggest.sel ? 'on' : ''} onMouseDown={(e) => { e.preventDefault(); accept(f); }}>{f}<span class="faint">{allFields.find((x) => x.field === f)?.count ?? ''}</span></li>)}
            </ul>
          )}
        </div>
        <label>{t('s.range')}
          <select value={range} onChange={(e) => { setRange(e.currentTarget.value); if (e.currentTarget.value !== 'custom') run(0, q, e.currentTarget.value); }} id="range">
            {RANGES.map((r) => <option value={r}>{t(`r.${r}`)}</option>)}
          </select>
        </label>
        {range === 'custom' && (
          <>
            <label>{t('s.from')}<input type="datetime-local" id="from" value={msToZonedInput(custom.from)} onChange={(e) => { const ms = zonedInputToMs(e.currentTarget.value); if (!Number.isNaN(ms)) setCustom({ ...custom, from: ms }); }} /></label>
            <label>{t('s.to')}<input type="datetime-local" id="to" value={msToZonedInput(custom.to)} onChange={(e) => { const ms = zonedInputToMs(e.currentTarget.value); if (!Number.isNaN(ms)) setCustom({ ...custom, to: ms }); }} /></label>
          </>
        )}
        {busy ? <button class="danger" onClick={() => abort.current?.abort()} id="cancel">{t('s.cancel')}</button> : <button onClick={() => run(0)} id="run">{t('s.run')}</button>}
        <button class="ghost" onClick={() => setPickCols(!pickCols)}>{t('s.columns')} ({columns.length})</button>
        <button class="ghost" onClick={() => download(exportUrl('csv'))} id="export-csv">{t('s.export_csv')}</button>
        <button class="ghost" onClick={() => download(exportUrl('json'))} id="export-json">{t('s.export_json')}</button>
      </div>
      <p class="hint">{t('s.help')}</p>
      <p class="hint">{t('s.keys')}</p>
      <ErrorLine error={error} />
      {failed !== null && <Failure error={failed} onRetry={() => run(offset)} />}
      {note && <p class="muted" id="search-note">{note}</p>}
      {busy && <Loading />}
      {pickCols && (
        <Panel title={t('s.columns')}>
          <div class="colpick">
            {[...new Set([...columns, ...allFields.slice(0, 80).map((f) => f.field)])].map((c) => <span class={`tag ${columns.includes(c) ? '' : 'off'}`} onClick={() => toggleCol(c)}>{c}</span>)}
          </div>
        </Panel>
      )}
      <div class="cols cols-main">
        <Panel title={<>{res ? <b id="total">{res.total.toLocaleString()}</b> : '…'} {t('s.results')}</>}>
          {shown && <p class="muted result-of" id="result-of">{fill(t('s.result_of'), { q: shown.q ? `«${shown.q}»` : t('s.everything'), range: rangeText(shown) })}{busy && <> · <span class="warn" id="stale-note">{t('s.stale')}</span></>}</p>}
          {hist && <TimeChart xs={hist.xs} ys={hist.ys} series={[{ label: t('d.events'), color: '#3b9eff' }]} bars height={130} id="histogram" onSelect={zoom} />}
          <p class="hint">{t('s.zoom')}</p>
        </Panel>
        <Panel title={t('s.saved')}>
          <div class="form-row">
            <input placeholder={t('s.name')} value={saveName} onInput={(e) => setSaveName(e.currentTarget.value)} id="save-name" />
            <button class="ghost" onClick={save} disabled={!saveName.trim()} id="save-search">{t('s.save')}</button>
          </div>
          <table class="grid"><tbody>
            {saved.map((s) => (
              <tr>
                <td class="wrap"><a href="#/search" onClick={(e) => { e.preventDefault(); load(s); }}>{s.name}</a><div class="mono faint">{s.q}</div></td>
                <td class="num"><button class="small ghost" onClick={async () => { await api.del(`/api/searches/${s.id}`); setSaved(saved.filter((x) => x.id !== s.id)); }}>{t('delete')}</button></td>
              </tr>
            ))}
          </tbody></table>
        </Panel>
      </div>
      <div class="table-wrap">
        <table class={`grid ${busy && res ? 'stale' : ''}`} id="results" aria-busy={busy}>
          <thead><tr><th>{t('col.time')}</th>{columns.map((c) => <th>{c}</th>)}</tr></thead>
          <tbody>
            {res?.items.map((ev) => {
              const id = String(ev.event?.id);
              const flat = new Map(flatten(ev));
              return [
                <tr onClick={() => setOpen(open === id ? null : id)} class={open === id ? 'sel' : ''}>
                  <td>{fmtTime(ev['@timestamp'])}</td>
                  {columns.map((c) => <td class={c.includes('ip') ? 'mono' : c === 'organization.id' ? 'agency' : ''}>{c === 'organization.id' ? <Agency id={String(flat.get(c) ?? '')} /> : c === 'message' ? <div class="clip" title={flat.get(c)}>{flat.get(c) ?? '—'}</div> : flat.get(c) ?? <span class="faint">—</span>}</td>)}
                </tr>,
                open === id && <tr><td colSpan={columns.length + 1}><EventRowOpen ev={ev} filter={narrow} /></td></tr>,
              ];
            })}
          </tbody>
        </table>
        {res && res.items.length === 0 && shown && !busy && (
          <Empty><div id="no-results">{fill(t('s.none'), { q: shown.q ? `«${shown.q}»` : t('s.everything'), range: rangeText(shown) })}</div><div class="hint">{t('s.none_hint')}</div></Empty>
        )}
        {res && res.total > PAGE && (
          <div class="pager">
            <span class="muted">{offset + 1}–{Math.min(offset + PAGE, res.total)} / {res.total.toLocaleString()}</span>
            <button class="ghost small" disabled={offset === 0 || busy} onClick={() => run(Math.max(0, offset - PAGE))}>{t('s.prev')}</button>
            <button class="ghost small" disabled={offset + PAGE >= res.total || busy} onClick={() => run(offset + PAGE)} id="next-page">{t('s.next')}</button>
          </div>
        )}
      </div>
    </div>
  );
}

/** The searched window in words: the preset's name and the exact span, in the chosen time zone. */
function rangeText(s: { range: string; fromMs: number; toMs: number }): string {
  if (s.range === 'all') return t('r.all');
  return `${t(`r.${s.range}`)} (${fmtTime(new Date(s.fromMs).toISOString())} – ${fmtTime(new Date(s.toMs).toISOString())})`;
}

function EventRowOpen({ ev, filter }: { ev: Ev; filter(term: string, exclude: boolean): void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { ref.current?.querySelector('details')?.setAttribute('open', ''); }, []);
  return <div ref={ref}><EventRow ev={ev} filter={filter} /><EventAlerts id={ecsEvent(ev, 'id')} /></div>;
}

/** The way back from an event: the alerts raised on it, each with its incident. */
function EventAlerts({ id }: { id: string | undefined }) {
  const [alerts, setAlerts] = useState<ApiAlert[] | null>(null);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => { if (id) api.get<{ items: ApiAlert[] }>(`/api/alerts?${qs({ event: id })}`).then((r) => setAlerts(r.items), (e: Error) => setErr(e.message)); }, [id]);
  if (!id) return null;
  return (
    <div class="ev-alerts" data-event-alerts={id}>
      <ErrorLine error={err} />
      {!alerts ? <span class="muted">{t('loading')}</span> : alerts.length === 0 ? <span class="muted">{t('s.no_alerts')}</span> : (
        <ul>
          <li class="muted">{t('s.alerts_of_event')}</li>
          {alerts.map((a) => (
            <li><Sev s={a.severity} /> {ruleTitle(a.rule)} <span class="muted">{fmtTime(a['@timestamp'])}</span>{a.incidentId && <> · <a href={`#/incident/${encodeURIComponent(a.incidentId)}`} class="ev-incident">{t('s.open_incident')}</a></>}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
