/**
 * Finding H3 of #11: one event nested 3000 deep made field searches, the dashboard and sources answer 500
 * for its whole agency (SQLite's JSON functions refuse depth > 1000 and one such row fails the query).
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newId, type EcsEvent } from '../event';
import { DEPTH_TAG } from './json-depth';
import { nested } from './hostile-docs.contract';
import { createSqliteStore } from './sqlite';
import type { Store } from './store';

const ev = (i: number, extra: Record<string, unknown> = {}): EcsEvent =>
  ({
    '@timestamp': new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    organization: { id: 'a' },
    event: { id: newId(), kind: 'event', dataset: 'sshd' },
    log: { source: { address: '10.0.0.1' } },
    user: { name: `user${i}` },
    ...extra,
  }) as EcsEvent;

/** Every read the console makes for an agency: none may fail, and the ordinary events are all there. */
async function readsStillAnswer(store: Store, ordinary: number): Promise<void> {
  const scope = { tenants: ['a'] };
  expect((await store.searchEvents({ ...scope, q: 'user.name:user1' })).total).toBe(1);
  expect((await store.searchEvents({ ...scope, q: 'event.dataset:sshd' })).total).toBeGreaterThanOrEqual(ordinary);
  expect((await store.topValues(scope, 'user.name', 10)).length).toBe(ordinary);
  expect((await store.histogram(scope, 86_400_000)).reduce((n, b) => n + b.count, 0)).toBe(ordinary + 1);
  expect((await store.histogramBy(scope, 86_400_000, 'event.dataset', 5)).find((b) => b.value === 'sshd')?.count).toBeGreaterThanOrEqual(ordinary);
  const sources = await store.sourceActivity({ ...scope, since: '2025-12-31T00:00:00.000Z' });
  expect(sources.reduce((n, s) => n + s.count, 0)).toBe(ordinary + 1);
  expect((await store.eventFields(['a'], 100)).map((f) => f.field)).toContain('user.name');
  expect((await store.searchEvents({ ...scope, q: 'log.source.address:*' })).total).toBeGreaterThanOrEqual(ordinary);
}

test('an event nested 3000 deep is stored readable: every field search, the dashboard and sources still answer for its agency', async () => {
  const store = createSqliteStore({ path: path.join(mkdtempSync(path.join(tmpdir(), 'canhgac-deep-')), 'store.db'), readers: 1 });
  try {
    await store.putEvents([ev(1), ev(2), ev(3, { event: { id: newId(), kind: 'event' }, user: undefined, payload: nested(3000) })]);
    await readsStillAnswer(store, 2);
    const deep = await store.searchEvents({ tenants: ['a'], q: `tags:${DEPTH_TAG}` });
    expect(deep.total).toBe(1);
    expect(typeof JSON.stringify(deep.items[0])).toBe('string');
  } finally {
    await store.close();
  }
});

test('a too-deep row already in the table (written before this bound) fails no query', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'canhgac-deep-')), 'store.db');
  const before = createSqliteStore({ path: file, readers: 1 });
  await before.putEvents([ev(1), ev(2)]);
  await before.close();
  const raw = new Database(file);
  const old = { ...ev(3), payload: nested(3000) };
  raw.prepare('INSERT INTO events (id, ts, tenant, doc) VALUES (?, ?, ?, ?)').run(old.event!.id, Date.parse(old['@timestamp']), 'a', JSON.stringify(old));
  raw.exec('DROP TABLE event_rollup_minute; DROP TABLE event_rollup_hour; DROP TABLE event_rollup_meta'); // a data dir of the version before the rollups
  raw.close();
  const store = createSqliteStore({ path: file, readers: 1 });
  try {
    await store.rollupsReady();
    await readsStillAnswer(store, 2);
  } finally {
    await store.close();
  }
});
