/** Events by id (what every alert reads of its events): each id is looked up in its index, never by reading the agency's events. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore } from './sqlite';
import { eventsByIdSql } from './sqlite-events';

test('a long id list within one agency is looked up by id, and the scope still holds', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-byid-'));
  const file = path.join(dir, 'canhgac.db');
  const store = createSqliteStore({ path: file });
  await store.init();
  const at = Date.parse('2026-12-07T00:00:00Z');
  const ev = (i: number, tenant: string) => ({ '@timestamp': new Date(at + i * 1000).toISOString(), event: { id: `e${tenant}${i}`, kind: 'event' }, organization: { id: tenant }, message: `m${i}` });
  await store.putEvents([...Array.from({ length: 3000 }, (_, i) => ev(i, 'so-a')), ...Array.from({ length: 50 }, (_, i) => ev(i, 'so-b'))] as never);
  const ids = Array.from({ length: 20 }, (_, i) => `eso-a${i * 100}`);
  const got = await store.getEvents([...ids, 'eso-b1'], ['so-a']);
  expect(got.map((e) => e.event?.id)).toEqual(ids); // so-b's event is not in so-a's scope; in time order
  await store.close();
  const db = new Database(file, { readonly: true });
  const params: unknown[] = [...ids];
  const plan = db.prepare('EXPLAIN QUERY PLAN ' + eventsByIdSql(ids.length, ['so-a'], params)).all(...params) as { detail: string }[];
  expect(plan.map((r) => r.detail).join('\n')).toMatch(/USING INDEX sqlite_autoindex_events_1 \(id=\?\)/);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
