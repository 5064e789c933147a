/** The field index of the embedded store: reads drive from it, an old data dir gets it in the background, enrichment keeps it right. */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EcsEvent } from '../event';
import { createSqliteStore } from './sqlite';
import { installDeadline } from './sqlite-deadline';
import { eventPlan } from './sqlite-event-reads';
import { eventWriter } from './sqlite-events';
import { ensureFieldIndex, fieldIndexLookup, spell } from './sqlite-field-index';
import { ensureRollups } from './sqlite-rollups';
import { openWriter } from './sqlite-schema';

const event = (i: number, extra: Record<string, unknown> = {}): EcsEvent =>
  ({
    '@timestamp': new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    organization: { id: `t${i % 3}` },
    event: { id: `e${i}`, code: String(4600 + (i % 50)) },
    user: { name: `u${i % 100}` },
    source: { ip: `10.0.${i % 7}.${i % 250}`, port: i % 65000 },
    ...extra,
  }) as EcsEvent;

function storeDb(): Database.Database {
  const db = openWriter(':memory:');
  ensureRollups(db);
  ensureFieldIndex(db);
  installDeadline(db);
  eventWriter(db).putEvents(Array.from({ length: 3000 }, (_, i) => event(i)));
  return db;
}

test('a value is one token of the ascii tokenizer: ASCII letters folded, punctuation escaped, long values cut and marked', () => {
  expect(spell('Web-01')).toEqual({ text: 'web_2d01', cut: false });
  expect(spell('Đà Nẵng')).toEqual({ text: 'Đà_20nẵng', cut: false });
  expect(spell('x'.repeat(70))).toEqual({ text: 'x'.repeat(64), cut: true });
});

test('a field term, prefix, exists or range reads its index lookup, not the agency and its time window', () => {
  const db = storeDb();
  const window = { tenants: ['t1'], from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' };
  for (const q of ['user.name:u7', 'user.name:u7*', 'source.port:[1 TO 10]', 'source.ip:10.0.1.5 AND NOT event.code:4601', 'passwd AND user.name:u7']) {
    const params: unknown[] = [];
    const { where, driven } = eventPlan(db, { q, ...window }, params);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
    const search = plan(`SELECT e.doc FROM events e WHERE ${where} ORDER BY ${driven ? '+' : ''}e.ts DESC LIMIT 100`);
    const count = plan(`SELECT count(*) FROM events e WHERE ${where}`);
    for (const p of [search, count]) {
      expect(p).not.toMatch(/events_tenant_ts|events_ts|SCAN e\b/);
      expect(p).toMatch(/SEARCH e USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    }
  }
  // a term more common than the window: the window drives, and the term's lookup reads the window's rowids only
  const params: unknown[] = [];
  const common = eventPlan(db, { q: 'user.name:*', ...window }, params);
  expect(common.driven).toBe(false);
  expect(common.where).toMatch(/MATCH \? AND rowid BETWEEN \d+ AND \d+/);
  expect((db.prepare(`SELECT count(*) AS n FROM events e WHERE ${common.where}`).get(...params) as { n: number }).n).toBe(1000);
  db.close();
});

test('a field no event has matches nothing without reading events; a leading wildcard still answers', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  await store.putEvents([event(1), event(2, { host: { name: 'db-02' } })]);
  expect((await store.searchEvents({ q: 'nothing:here', tenants: null })).total).toBe(0);
  expect((await store.searchEvents({ q: 'host.name:*-02', tenants: null })).items.map((e) => e.event?.id)).toEqual(['e2']);
  await store.close();
});

test('an old data dir gets its field index in the background, resumably; field queries answer the same before and after', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'canhgac-fi-')), 'store.db');
  const first = createSqliteStore({ path: file, readers: 0 });
  await first.putEvents(Array.from({ length: 12_000 }, (_, i) => event(i)));
  await first.close();
  // as a store written before the index: events only
  const raw = new Database(file);
  raw.exec("INSERT INTO event_terms (event_terms) VALUES ('delete-all'); DELETE FROM event_values; DELETE FROM event_field_counts; DELETE FROM event_index_meta");
  raw.close();
  const store = createSqliteStore({ path: file, readers: 0 });
  const q = { q: 'user.name:u7 AND source.port:<5000', tenants: ['t1'] };
  const before = await store.searchEvents({ ...q, limit: 1000 });
  await store.fieldIndexReady();
  const after = await store.searchEvents({ ...q, limit: 1000 });
  expect(after.total).toBeGreaterThan(0);
  expect(after.items.map((e) => e.event?.id)).toEqual(before.items.map((e) => e.event?.id));
  expect((await store.eventFields(['t1'], 10)).find((f) => f.field === 'user.name')?.count).toBe(4000);
  await store.close();
  const check = new Database(file, { readonly: true });
  expect(fieldIndexLookup(check)).not.toBeNull();
  check.close();
});

test('an enrichment written into a stored event is found by its fields, and the old values stay right', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  await store.putEvents([event(1), event(2)]);
  await store.enrichEvents([{ id: 'e1', enrichments: [{ indicator: { type: 'ipv4-addr', ip: '10.0.1.1' }, matched: { atomic: '10.0.1.1', field: 'source.ip', type: 'indicator_match_rule' } } as never] }]);
  expect((await store.searchEvents({ q: 'threat.enrichments:*', tenants: null })).items.map((e) => e.event?.id)).toEqual(['e1']);
  expect((await store.searchEvents({ q: 'threat.enrichments.matched.field:source.ip', tenants: null })).total).toBe(1);
  expect((await store.searchEvents({ q: 'user.name:u1', tenants: null })).items.map((e) => e.event?.id)).toEqual(['e1']);
  expect((await store.searchEvents({ q: 'source.port:[1 TO 1]', tenants: null })).items.map((e) => e.event?.id)).toEqual(['e1']);
  await store.close();
});
