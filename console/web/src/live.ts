// The live incident feed: the list from the API, then WebSocket notices; renders are batched per animation frame.
// Every (re)connect fetches the list again, so incidents created while the socket was down are not missed.
import type { ApiWsMessage } from '../../server/apitypes';
import { api, type Incident } from './api';
import { signal } from './state';

export const connected = signal(false);
export const incidents = signal<Map<string, Incident>>(new Map());
/** The list's load: 'loading' until the first answer, 'ready', or the error that stopped it (the view offers Retry). */
export const listState = signal<{ status: 'loading' | 'ready' | 'error'; error?: unknown }>({ status: 'loading' });
export const freshIds = new Set<string>();
type Listener = (inc: Incident, created: boolean) => void;
const listeners = new Set<Listener>();
export const onIncident = (fn: Listener) => { listeners.add(fn); return () => listeners.delete(fn); };

let ws: WebSocket | null = null;
let pending = false;
let stopped = true;
let retry = 1000;
let loads = 0;

function flush() {
  pending = false;
  incidents.set(new Map(incidents.get()));
}
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(flush);
}

/** Fetches the list; a notice that arrived meanwhile with a newer version wins over the fetched copy. */
export async function reloadIncidents(): Promise<void> {
  const seq = ++loads;
  if (listState.get().status === 'error') listState.set({ status: 'loading' });
  try {
    const list = await api.get<{ items: Incident[] }>('/api/incidents?limit=1000');
    if (seq !== loads || stopped) return;
    const map = new Map<string, Incident>();
    for (const inc of list.items) map.set(inc.id, inc);
    for (const [id, inc] of incidents.get()) {
      const got = map.get(id);
      if (got && got.version < inc.version) map.set(id, inc);
    }
    incidents.set(map);
    listState.set({ status: 'ready' });
  } catch (e) {
    if (seq === loads && !stopped) listState.set({ status: 'error', error: e });
  }
}

export async function startLive(): Promise<void> {
  stopped = false;
  listState.set({ status: 'loading' });
  connect();
  await reloadIncidents();
}

function connect() {
  if (stopped) return;
  let opened = false;
  ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  ws.onopen = () => {
    opened = true;
    connected.set(true);
    retry = 1000;
    if (listState.get().status !== 'loading') void reloadIncidents(); // what happened while the socket was down
  };
  ws.onmessage = (m) => {
    let msg: ApiWsMessage;
    try { msg = JSON.parse(String(m.data)) as ApiWsMessage; } catch { return; }
    if (msg.type !== 'incident.created' && msg.type !== 'incident.updated') return;
    const inc = msg.incident;
    const prev = incidents.get().get(inc.id);
    if (prev && prev.version > inc.version) return; // an older notice arriving late
    incidents.get().set(inc.id, inc);
    freshIds.add(inc.id);
    setTimeout(() => freshIds.delete(inc.id), 2500);
    for (const fn of listeners) fn(inc, msg.type === 'incident.created' || !prev);
    schedule();
  };
  ws.onclose = () => {
    connected.set(false);
    ws = null;
    if (opened) retry = 1000;
    if (!stopped) setTimeout(connect, (retry = Math.min(retry * 2, 15000)));
  };
}

export function stopLive(): void {
  stopped = true;
  ws?.close();
  ws = null;
  incidents.set(new Map());
}

/** Applies an incident returned by an action at once, without waiting for the push. */
export function upsertIncident(inc: Incident): void {
  incidents.get().set(inc.id, inc);
  schedule();
}
