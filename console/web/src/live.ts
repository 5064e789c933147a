// The live incident feed: initial page from the API, then WebSocket notices; renders are batched per animation frame.
import type { ApiWsMessage } from '../../server/apitypes';
import { api, type Incident } from './api';
import { signal } from './state';

export const connected = signal(false);
export const incidents = signal<Map<string, Incident>>(new Map());
export const freshIds = new Set<string>();
type Listener = (inc: Incident, created: boolean) => void;
const listeners = new Set<Listener>();
export const onIncident = (fn: Listener) => { listeners.add(fn); return () => listeners.delete(fn); };

let ws: WebSocket | null = null;
let pending = false;
let stopped = true;
let retry = 1000;

function flush() {
  pending = false;
  incidents.set(new Map(incidents.get()));
}
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(flush);
}

export async function startLive(): Promise<void> {
  stopped = false;
  const list = await api.get<{ items: Incident[] }>('/api/incidents?limit=1000');
  const map = new Map<string, Incident>();
  for (const inc of list.items) map.set(inc.id, inc);
  incidents.set(map);
  connect();
}

function connect() {
  if (stopped) return;
  ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  ws.onopen = () => { connected.set(true); retry = 1000; };
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
