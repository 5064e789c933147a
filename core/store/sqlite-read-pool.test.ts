/**
 * Console reads on the embedded store run in reader threads (findings H1 of #11, #15): a slow search
 * neither stops ingest nor the event loop, is stopped by its time limit or by the client, and too
 * many at once are refused. Measured by what happens first, never by milliseconds.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newId, type EcsEvent } from '../event';
import { createSqliteStore } from './sqlite';
import { readerScript } from './sqlite-read-pool';

jest.setTimeout(120_000);

const ROWS = 60_000;
let file = '';

const event = (i: number, extra: Record<string, unknown> = {}): EcsEvent =>
  ({
    '@timestamp': new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    organization: { id: 'a' },
    event: { id: newId(), kind: 'event', dataset: 'sshd' },
    source: { ip: `10.0.${i % 250}.1` },
    user: { name: `user${i % 1000}` },
    message: `Failed password for user${i} from 10.0.0.${i % 250} port ${i} ssh2`,
    ...extra,
  }) as EcsEvent;

/** A search that takes minutes over ROWS events: 200 wildcard terms, none matching, each looked for in every event. */
const SLOW = Array.from({ length: 200 }, (_, i) => `user.name:*q${i}*`).join(' OR ');

beforeAll(async () => {
  expect(readerScript()).not.toBeNull(); // dist/ is built by the global setup
  file = path.join(mkdtempSync(path.join(tmpdir(), 'canhgac-readers-')), 'store.db');
  const store = createSqliteStore({ path: file, readers: 0 });
  for (let i = 0; i < ROWS; i += 10_000) await store.putEvents(Array.from({ length: 10_000 }, (_, j) => event(i + j)));
  await store.close();
});

const opened: { close(): Promise<void> }[] = [];
/** A store on the shared file, closed after the test even when it fails (a reader thread left running would keep jest alive). */
function open(config: Omit<Parameters<typeof createSqliteStore>[0], 'path'>) {
  const store = createSqliteStore({ path: file, ...config });
  opened.push(store);
  return store;
}
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});
afterAll(() => rmSync(path.dirname(file), { recursive: true, force: true }));

const settled = (p: Promise<unknown>) => {
  const state = { done: false };
  p.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
};

test('while a slow search runs, the event loop turns and writes complete before the search ends', async () => {
  const store = open({ readers: 1, queryTimeoutMs: 600_000 });
  const cancel = new AbortController();
  const search = store.searchEvents({ q: SLOW, tenants: ['a'] }, { signal: cancel.signal });
  const searching = settled(search);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  while (ticks < 20) await new Promise((r) => setTimeout(r, 5));
  const written = event(ROWS + 1, { message: 'written during the search' });
  await store.putEvents([written]);
  expect(await store.getEvents([written.event!.id!], ['a'])).toHaveLength(1);
  clearInterval(timer);
  expect(searching.done).toBe(false); // 20 ticks and a write went by while the search was still running
  cancel.abort();
  await expect(search).rejects.toMatchObject({ statusCode: 499, message: expect.stringMatching(/cancelled/) });
});

test('a cancelled search stops in its reader thread: the next search gets the thread and answers', async () => {
  const store = open({ readers: 1, queryTimeoutMs: 600_000 });
  const cancel = new AbortController();
  const slow = store.searchEvents({ q: SLOW, tenants: ['a'] }, { signal: cancel.signal });
  while (store.readLoad().running === 0) await new Promise((r) => setTimeout(r, 5));
  cancel.abort();
  await expect(slow).rejects.toMatchObject({ statusCode: 499 });
  // one reader thread: this search can only run once the cancelled one has really stopped (minutes otherwise)
  const next = await store.searchEvents({ q: 'user.name:user7', tenants: ['a'], limit: 1 });
  expect(next.total).toBe(ROWS / 1000);
  // the reader thread said SQLite aborted the statement (a search that had finished would have answered with rows)
  expect(store.readLoad()).toMatchObject({ cancelled: 1, stoppedByCancel: 1, restarts: 0 });
});

test('a search past the time limit is stopped with 503 and told how to narrow it; the thread is free again', async () => {
  const store = open({ readers: 1, queryTimeoutMs: 2000 });
  const err = await store.searchEvents({ q: SLOW, tenants: ['a'] }).then(
    () => null,
    (e: Error & { statusCode?: number }) => e,
  );
  expect(err).toMatchObject({ statusCode: 503 });
  expect(err!.message).toMatch(/stopped after 2 s.*narrow it: a shorter time range/);
  // stopped inside SQLite by the deadline function, not by the watchdog that replaces a thread
  expect(store.readLoad()).toMatchObject({ timedOut: 1, stoppedByLimit: 1, restarts: 0 });
  expect((await store.histogram({ tenants: ['a'] }, 86_400_000)).reduce((n, b) => n + b.count, 0)).toBeGreaterThanOrEqual(ROWS);
});

test('too many heavy reads at once: a few wait, the next is refused with 503 "retry"', async () => {
  const store = open({ readers: 1, maxQueuedReads: 1, queryTimeoutMs: 600_000 });
  const cancel = new AbortController();
  const running = store.searchEvents({ q: SLOW, tenants: ['a'] }, { signal: cancel.signal });
  const waiting = store.topValues({ tenants: ['a'] }, 'user.name', 5, { signal: cancel.signal });
  await expect(store.sourceActivity({ tenants: ['a'], since: '2025-01-01T00:00:00.000Z' })).rejects.toMatchObject({
    statusCode: 503,
    message: expect.stringMatching(/too many searches running \(1 running, 1 waiting\); retry/),
  });
  cancel.abort();
  await expect(running).rejects.toMatchObject({ statusCode: 499 });
  await expect(waiting).rejects.toMatchObject({ statusCode: 499 });
  expect(await store.countEvents(['a'])).toBeGreaterThanOrEqual(ROWS);
});

test('the database file and its WAL are readable by their owner only', async () => {
  const store = open({ readers: 1 });
  await store.putEvents([event(ROWS + 2)]);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
});
