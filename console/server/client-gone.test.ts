/**
 * A search the browser abandons stops in the store: the read gets an AbortSignal that fires when the
 * connection closes before the answer, and a read that completes is never aborted afterwards.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReadOptions } from '../../core/store/store';
import { startKit, type Kit } from './testkit';

let kit: Kit;
let port: number;
beforeAll(async () => {
  kit = await startKit();
  await kit.app.listen({ host: '127.0.0.1', port: 0 });
  port = (kit.app.server.address() as AddressInfo).port;
});
afterAll(() => kit.close());

const analyst = () => kit.callers.find((c) => c.username === 'analyst-prov')!;

/** Replaces one store read by one that waits for its signal, and reports the signal it got. */
function hangingRead(name: 'searchEvents' | 'histogram' | 'topValues' | 'eventFields'): { seen: Promise<AbortSignal>; restore(): void } {
  const store = kit.store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const original = store[name];
  let report!: (s: AbortSignal) => void;
  const seen = new Promise<AbortSignal>((r) => (report = r));
  store[name] = (...args: unknown[]) => {
    const opts = args[args.length - 1] as ReadOptions | undefined;
    const signal = opts?.signal ?? new AbortController().signal; // no signal: this read can never be cancelled
    report(signal);
    return new Promise((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('query cancelled'), { statusCode: 499 })), { once: true }));
  };
  return { seen, restore: () => (store[name] = original) };
}

function abandon(path: string): http.ClientRequest {
  const req = http.get({ host: '127.0.0.1', port, path, headers: { cookie: `canhgac_session=${analyst().cookie}` } });
  req.on('error', () => undefined); // we cut it ourselves
  return req;
}

test.each([
  ['searchEvents', '/api/events?q=login'],
  ['histogram', '/api/events/histogram?q=login'],
  ['topValues', '/api/events/top?field=source.ip'],
  ['eventFields', '/api/fields?prefix=so'],
] as const)('closing the connection during %s aborts the store read', async (name, path) => {
  const read = hangingRead(name);
  try {
    const req = abandon(path);
    const signal = await read.seen;
    expect(signal.aborted).toBe(false);
    req.destroy(); // the browser cancels: the tab closed, or a newer search replaced this one
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    expect(signal.aborted).toBe(true);
  } finally {
    read.restore();
  }
});

test('a read that was answered is not aborted when the connection closes afterwards', async () => {
  const store = kit.store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const original = store.searchEvents;
  let signal: AbortSignal | undefined;
  store.searchEvents = (q: unknown, opts?: unknown) => {
    signal = (opts as ReadOptions | undefined)?.signal;
    return original.call(kit.store, q, opts);
  };
  try {
    const r = await kit.call(analyst(), 'GET', '/api/events?q=line');
    expect(r.status).toBe(200);
    expect(r.body.total).toBeGreaterThan(0);
    expect(signal).toBeDefined();
    expect(signal!.aborted).toBe(false);
  } finally {
    store.searchEvents = original;
  }
});
