import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EcsEvent } from '../event';
import { createSqliteStore } from './sqlite';
import { installDeadline } from './sqlite-deadline';
import * as scan from './sqlite-event-reads';
import { READS } from './sqlite-reads';
import { backfillStep, foldRollups, HOUR, MINUTE, rollupHistogram, rollupHistogramBy, rollupSourceActivity, rollupTopValues, rollupsAfterDelete } from './sqlite-rollups';
import { openReader } from './sqlite-schema';
import type { TenantScope } from './store';

const DAY = 24 * HOUR;
const AGENCIES = ['so-tttt', 'so-yte', 'so-gd', 'so-tc'];

/** mulberry32: the same mix of events on every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let idNo = 0;
/** Events over the 30 days before `now` (a tenth in the last 2 days, a few a little in the future) in several agencies, datasets, sources, kinds and outcomes. */
function events(rand: () => number, n: number, now: number): EcsEvent[] {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  return Array.from({ length: n }, () => {
    const r = rand();
    const ts = r < 0.1 ? now - rand() * 2 * DAY : r < 0.12 ? now + rand() * HOUR : now - rand() * 30 * DAY;
    const ev: Record<string, unknown> = {
      '@timestamp': new Date(Math.floor(ts)).toISOString(),
      event: { id: `ev-${idNo++}`, dataset: pick(['sshd', 'nginx.access', 'fortigate.traffic', 'sudo', null]), kind: pick(['event', 'event', 'alert', 'pipeline_error']), outcome: pick(['success', 'failure', undefined]) },
      organization: { id: pick(AGENCIES) },
      message: 'x',
    };
    const src = rand();
    if (src < 0.5) ev.log = { source: { address: pick(['10.0.0.1:514', '10.0.0.2:514', '192.0.2.9:601']) } };
    else if (src < 0.8) ev.input = { type: pick(['http', 'beats']) };
    const ip = rand();
    if (ip < 0.6) ev.source = { ip: `192.0.2.${Math.floor(rand() * 40)}` };
    else if (ip < 0.65) ev.source = { ip: ['198.51.100.1', `192.0.2.${Math.floor(rand() * 40)}`] }; // an array: each address counts, as the scan's json_each does
    return ev as unknown as EcsEvent;
  });
}

const sorted = <T>(xs: T[]) => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/** Windows the console asks for: 24 h by 30 min, 30 d by 12 h, 7 d by 3 h, 1 h by minute, unaligned from–to by 5 min, everything by a day. */
function windows(now: number) {
  const iso = (t: number) => new Date(t).toISOString();
  return [
    { from: iso(now - DAY), step: 30 * MINUTE },
    { from: iso(now - 30 * DAY), step: 12 * HOUR },
    { from: iso(now - 7 * DAY), step: 3 * HOUR },
    { from: iso(now - HOUR), step: MINUTE },
    { from: iso(now - 9 * DAY - 1234), to: iso(now - DAY - 98765), step: 5 * MINUTE },
    { from: iso(now - 20 * DAY - 4321), to: iso(now - 3 * DAY + 777), step: HOUR },
    { step: DAY },
  ];
}
const SCOPES: TenantScope[] = [null, ['so-yte'], ['so-gd', 'so-tc'], []];

/** Every answer the rollups give equals the scan's over the same stored events; returns how many were compared. */
function expectRollupsEqualScans(db: Database.Database, now: number): number {
  let compared = 0;
  for (const tenants of SCOPES) {
    expect(READS.countEvents(db, tenants)).toBe(scan.countEvents(db, tenants));
    const since = new Date(now - 2 * DAY + 4567).toISOString();
    expect(rollupSourceActivity(db, { tenants, since })).not.toBeNull();
    expect(sorted(READS.sourceActivity(db, { tenants, since }))).toEqual(sorted(scan.sourceActivity(db, { tenants, since })));
    for (const w of windows(now)) {
      const q = { from: w.from, to: w.to, tenants };
      expect(rollupHistogram(db, q, w.step)).not.toBeNull();
      expect(READS.histogram(db, q, w.step)).toEqual(scan.histogram(db, q, w.step));
      for (const field of ['organization.id', 'event.dataset']) {
        expect(rollupHistogramBy(db, q, w.step, field, 3)).not.toBeNull();
        expect(sorted(READS.histogramBy(db, q, w.step, field, 3))).toEqual(sorted(scan.histogramBy(db, q, w.step, field, 3)));
        expect(READS.topValues(db, q, field, 10)).toEqual(scan.topValues(db, q, field, 10));
      }
      if (!w.to || Date.parse(w.to) - Date.parse(w.from ?? '1970-01-01') > 2 * HOUR) expect(rollupTopValues(db, q, 'source.ip', 10)).not.toBeNull();
      expect(READS.topValues(db, q, 'source.ip', 10)).toEqual(scan.topValues(db, q, 'source.ip', 10));
      compared++;
    }
  }
  return compared;
}

function reader(file: string): Database.Database {
  const db = openReader(file);
  installDeadline(db);
  return db;
}

const tmpFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'canhgac-rollups-')), 'store.db');

test('the rollups answer what the scans answer, over 30 days of a random mix, after deletes and after folding minutes into hours', async () => {
  const file = tmpFile();
  const now = Date.now();
  const rand = seeded(1515);
  const store = createSqliteStore({ path: file, readers: 0 });
  await store.rollupsReady();
  const all = events(rand, 6000, now);
  for (let i = 0; i < all.length; i += 700) await store.putEvents(all.slice(i, i + 700));
  await store.putEvents(all.slice(100, 400)); // sent again: stored once, counted once
  await expect(store.putEvents([...events(rand, 5, now), { '@timestamp': new Date(now).toISOString() } as EcsEvent])).rejects.toThrow(/event\.id/);
  const db = reader(file);
  expect(scan.countEvents(db, null)).toBe(6000);
  expect(expectRollupsEqualScans(db, now)).toBe(28);

  // retention: a time range of one agency, and a LIMIT-ed oldest-first batch of another as core/store/sqlite-retention.ts deletes
  const w = new Database(file);
  w.transaction(() => {
    const [from, to] = [now - 12 * DAY - 55_555, now - 5 * DAY + 12_345];
    w.prepare('DELETE FROM events WHERE tenant = ? AND ts >= ? AND ts < ?').run('so-yte', from, to);
    rollupsAfterDelete(w, 'so-yte', to, from);
    const batch = w.prepare('DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE tenant = ? AND ts < ? ORDER BY ts LIMIT 300) RETURNING ts').all('so-gd', now - HOUR) as { ts: number }[];
    const ts = batch.map((b) => b.ts);
    rollupsAfterDelete(w, 'so-gd', Math.max(...ts) + 1, Math.min(...ts));
  })();
  expect(scan.countEvents(db, ['so-yte']) + scan.countEvents(db, ['so-gd'])).toBeLessThan(3000 - 300);
  expectRollupsEqualScans(db, now);
  // the retention job's own batches (oldest first, 250 at a time)
  const before = scan.countEvents(db, ['so-tc']);
  for (let i = 0; i < 3; i++) expect(await store.retention.deleteBefore('so-tc', new Date(now - 10 * DAY).toISOString(), 250)).toBe(250);
  expect(scan.countEvents(db, ['so-tc'])).toBe(before - 750);
  expectRollupsEqualScans(db, now);

  // three days later: the last two days' minute rows are folded into hours, and the answers stay the same
  while (foldRollups(w, now + 3 * DAY));
  expect((w.prepare('SELECT count(*) AS n FROM event_rollup_minute WHERE bucket < ?').get(now + HOUR - 2 * DAY) as { n: number }).n).toBe(0);
  expectRollupsEqualScans(db, now);
  w.close();
  db.close();
  await store.close();
});

test('an old store without rollups is built at open, resumably, and answers like the scans meanwhile and after', async () => {
  const file = tmpFile();
  const now = Date.now();
  const rand = seeded(42);
  const first = createSqliteStore({ path: file, readers: 0 });
  await first.putEvents(events(rand, 5000, now));
  await first.close();
  const w = new Database(file);
  w.exec('DROP TABLE event_rollup_minute; DROP TABLE event_rollup_hour; DROP TABLE event_rollup_ip; DROP TABLE event_rollup_meta'); // as a data dir of the version before
  w.close();

  const logs: string[] = [];
  const logger = { info: (o: object, m: string) => logs.push(`${m} ${JSON.stringify(o)}`), warn: () => undefined, error: (o: object, m: string) => logs.push(m) };
  const second = createSqliteStore({ path: file, readers: 0, logger });
  await second.close(); // closed before its first step
  const db = reader(file);
  const w2 = new Database(file);
  expect(backfillStep(w2, 700)).toEqual({ done: 700, end: 5000, more: true });
  expect(backfillStep(w2, 700)).toEqual({ done: 1400, end: 5000, more: true }); // the next open resumes at 1400
  // meanwhile: new events and a deletion, counted exactly although the backfill has not reached every old event
  const third = createSqliteStore({ path: file, readers: 0, logger });
  expect(rollupHistogram(db, { tenants: null }, HOUR)).toBeNull(); // not built yet: the reads scan
  await third.putEvents(events(rand, 800, now));
  w2.transaction(() => {
    w2.prepare('DELETE FROM events WHERE tenant = ? AND ts < ?').run('so-tc', now - 20 * DAY);
    rollupsAfterDelete(w2, 'so-tc', now - 20 * DAY);
  })();
  w2.close();
  await third.rollupsReady();
  expect(logs.some((l) => /event rollups built/.test(l))).toBe(true);
  expect(logs.some((l) => /"of":5000/.test(l))).toBe(true);
  expect(scan.countEvents(db, null)).toBeGreaterThan(5000);
  expect(expectRollupsEqualScans(db, now)).toBe(28);
  db.close();
  await third.close();
});

test('through the store (reader threads or not), the dashboard reads answer the same from rollups as a scan', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  const now = Date.now();
  await store.putEvents(events(seeded(7), 2000, now));
  const q = { from: new Date(now - DAY).toISOString(), tenants: ['so-tttt', 'so-yte'] };
  const byAgency = await store.histogramBy(q, 30 * MINUTE, 'organization.id', 8);
  expect(new Set(byAgency.map((b) => b.value))).toEqual(new Set(['so-tttt', 'so-yte']));
  expect(byAgency.reduce((s, b) => s + b.count, 0)).toBe((await store.searchEvents({ ...q, limit: 0 })).total);
  expect(await store.countEvents(null)).toBe(2000);
  await store.close();
});
