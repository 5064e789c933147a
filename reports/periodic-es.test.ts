/**
 * The periodic report is the same on Elasticsearch as on the embedded SQLite store: both seeded with the
 * same six months of two agencies (reports/periodic-fixtures.ts), agency A's and the province's reports
 * hold the same figures (periodic.test.ts asserts them exactly on SQLite).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../core/store/sqlite';
import type { Store } from '../core/store/store';
import { searchNodeForTests } from '../test/helpers/search-node';
import { startElasticsearch } from '../test/infra/servers';
import { buildPeriodicReport } from './periodic';
import { FROM_ISO, seedPeriodic, TO_ISO } from './periodic-fixtures';
import { readPeriodic } from './periodic-read';

jest.setTimeout(180_000);
const { open } = searchNodeForTests('periodic', startElasticsearch);
const NOW = new Date('2026-12-07T00:00:00.000Z');
let dir: string;
let sqlite: Store;
let es: Store;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-periodic-es-'));
  sqlite = createSqliteStore({ path: path.join(dir, 'c.db') });
  es = open();
  for (const s of [sqlite, es]) {
    await s.init();
    await seedPeriodic(s, { tenants: true });
  }
});
afterAll(async () => {
  await sqlite?.close();
  await es?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test.each([['agency A', ['so-a']], ['the province', null]] as const)("%s's report holds the same figures on Elasticsearch as on SQLite", async (_, tenants) => {
  const build = async (s: Store) => buildPeriodicReport(await readPeriodic(s, { tenants: tenants ? [...tenants] : null, from: FROM_ISO, to: TO_ISO }), { scope: tenants ? 'agency' : 'province', now: NOW });
  const [a, b] = await Promise.all([build(sqlite), build(es)]);
  expect(b.events.total).toBe(tenants ? 5 : 7);
  expect(b).toEqual(a);
});
