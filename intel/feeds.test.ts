/** The feed folder, with real files written after the formats' published layouts (CSV, STIX 2.1 bundle, MISP event and feed). */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { silentLogger } from '../core/log';
import type { Store } from '../core/store/store';
import { waitFor } from '../test/helpers/canhgac';
import { feedFormat, readFeedsReport, scanFeeds, startFeeds } from './feeds';
import { memoryStore, tempDir, writeFile } from './testkit';

const bundle = (ip: string) => ({
  type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
  objects: [{ type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd01', created: '2026-02-01T00:00:00.000Z', modified: '2026-02-01T00:00:00.000Z', pattern: `[ipv4-addr:value = '${ip}']`, pattern_type: 'stix', valid_from: '2026-02-01T00:00:00Z' }],
});
const mispEvent = (uuid: string, domain: string) => ({
  Event: { uuid, info: 'Emotet', date: '2026-03-01', Orgc: { name: 'VNCERT' }, Attribute: [{ uuid: '7a5d4c9e-3b5e-4d0a-9f4c-2c3d4e5f6071', type: 'domain', category: 'Network activity', to_ids: true, value: domain, timestamp: '1767225600' }] },
});
const UUID = '5e3b2a7c-1f3c-4b8e-9d2a-0a1b2c3d4e5f';

let store: Store;
let dir: string;
const scan = (at = new Date()) => scanFeeds({ dir, store, logger: silentLogger, now: () => at });
const live = async () => (await store.loadIndicators(new Date().toISOString())).map((i) => `${i.source} ${i.tenant ?? '*'} ${i.value}`).sort();
const statusOf = async (name: string) => (await readFeedsReport(store))?.files.find((f) => f.name === name);

beforeEach(async () => {
  store = memoryStore();
  dir = tempDir();
  await store.putTenant({ id: 'so-yte', name: 'Sở Y tế', created: new Date().toISOString() });
});
afterEach(() => store.close());

test('every file in the folder is imported in its format, named after the file; an agency folder scopes its files; a broken file is reported and the others still import', async () => {
  writeFile(dir, 'vncert.csv', 'type,value,source\nipv4,203.0.113.7,someone else\ndomain,evil.example,\n');
  writeFile(dir, 'c2-list.txt', '# plain list\n198.51.100.9\n');
  writeFile(dir, 'bundle.json', bundle('192.0.2.44'));
  writeFile(dir, 'event.json', mispEvent(UUID, 'misp.example'));
  mkdirSync(path.join(dir, 'circl'));
  writeFile(path.join(dir, 'circl'), 'manifest.json', { [UUID]: { info: 'Emotet', timestamp: '1767225600' } });
  writeFile(path.join(dir, 'circl'), `${UUID}.json`, mispEvent(UUID, 'feed.example'));
  mkdirSync(path.join(dir, 'so-yte'));
  writeFile(path.join(dir, 'so-yte'), 'own.csv', 'type,value\nipv4,10.99.0.1\n');
  writeFile(dir, 'broken.csv', 'type,value\nipv4,203.0.113.8\nipv4,1.2.3\n');
  writeFile(dir, 'notes.md', 'what is this');
  writeFile(dir, 'copying.csv.part', 'type,value\nipv4,203.0.113.250\n');

  const report = await scan();
  expect(await live()).toEqual([
    'feeds/bundle.json * 192.0.2.44', 'feeds/c2-list.txt * 198.51.100.9', 'feeds/circl * feed.example', 'feeds/event.json * misp.example',
    'feeds/so-yte/own.csv so-yte 10.99.0.1', 'feeds/vncert.csv * 203.0.113.7', 'feeds/vncert.csv * evil.example',
  ]);
  const byName = Object.fromEntries(report.files.map((f) => [f.name, f]));
  expect(Object.keys(byName).sort()).toEqual(['broken.csv', 'bundle.json', 'c2-list.txt', 'circl', 'event.json', 'notes.md', 'so-yte/own.csv', 'vncert.csv']);
  expect(byName['bundle.json']).toMatchObject({ format: 'stix', status: 'imported', indicators: 1 });
  expect(byName['event.json']).toMatchObject({ format: 'misp', status: 'imported' });
  expect(byName['circl']).toMatchObject({ format: 'misp', status: 'imported' });
  expect(byName['so-yte/own.csv']).toMatchObject({ tenant: 'so-yte', status: 'imported' });
  expect(byName['broken.csv']).toMatchObject({ status: 'failed', indicators: 0 });
  expect(byName['broken.csv'].error).toMatch(/line 3: "1.2.3" is not an IPV4 address/);
  expect(byName['notes.md'].error).toMatch(/cannot tell the format of "notes.md"/);
  // the console reads the same report from the store
  expect((await statusOf('broken.csv'))?.status).toBe('failed');
});

test('a changed file is imported again: new values match, values it no longer lists expire; an unchanged file is left alone', async () => {
  writeFile(dir, 'vncert.csv', 'type,value\nipv4,203.0.113.7\nipv4,203.0.113.8\n');
  writeFile(dir, 'other.csv', 'type,value\nipv4,198.51.100.1\n');
  await scan(new Date(Date.now() - 60_000));
  const otherBefore = (await store.listIndicators({ tenants: null, q: '198.51.100.1' })).items[0];
  writeFile(dir, 'vncert.csv', 'type,value\nipv4,203.0.113.8\nipv4,203.0.113.9\n');
  await scan();
  expect(await live()).toEqual(['feeds/other.csv * 198.51.100.1', 'feeds/vncert.csv * 203.0.113.8', 'feeds/vncert.csv * 203.0.113.9']);
  const dropped = (await store.listIndicators({ tenants: null, q: '203.0.113.7' })).items[0];
  expect(Date.parse(dropped.expires!)).toBeLessThanOrEqual(Date.now()); // kept, listed as expired
  expect((await store.listIndicators({ tenants: null, q: '198.51.100.1' })).items[0].updated).toBe(otherBefore.updated);
  expect(await statusOf('vncert.csv')).toMatchObject({ status: 'imported', indicators: 2 });
});

test('a file that turns broken keeps its last good import and says why; fixed, it imports again', async () => {
  writeFile(dir, 'vncert.csv', 'type,value\nipv4,203.0.113.7\n');
  await scan();
  writeFile(dir, 'vncert.csv', 'type,value\nipv4,203.0.113.7\nipv4,203.0.113.999\n');
  await scan();
  expect(await live()).toEqual(['feeds/vncert.csv * 203.0.113.7']);
  const failed = await statusOf('vncert.csv');
  expect(failed).toMatchObject({ status: 'failed', indicators: 1 });
  expect(failed?.error).toMatch(/line 3: "203.0.113.999"/);
  writeFile(dir, 'vncert.csv', 'type,value\nipv4,203.0.113.7\nipv4,203.0.113.10\n');
  await scan();
  expect(await live()).toEqual(['feeds/vncert.csv * 203.0.113.10', 'feeds/vncert.csv * 203.0.113.7']);
  expect(await statusOf('vncert.csv')).toMatchObject({ status: 'imported', error: null, indicators: 2 });
});

test('a removed file: its indicators expire at the next scan, except a value another file still lists; it is shown as removed', async () => {
  writeFile(dir, 'b-other.csv', 'type,value\nipv4,198.51.100.1\n');
  writeFile(dir, 'c-vncert.csv', 'type,value\nipv4,203.0.113.7\nipv4,198.51.100.1\n'); // imported last: owns 198.51.100.1
  await scan();
  rmSync(path.join(dir, 'c-vncert.csv'));
  await scan();
  expect(await live()).toEqual(['feeds/b-other.csv * 198.51.100.1']);
  expect(await statusOf('c-vncert.csv')).toMatchObject({ status: 'removed', indicators: 0 });
  await scan(); // still shown on later scans
  expect((await statusOf('c-vncert.csv'))?.status).toBe('removed');
});

test('a folder named after no agency is refused by name; a file dropped while watching is imported at a later scan', async () => {
  mkdirSync(path.join(dir, 'so-nobody'));
  writeFile(path.join(dir, 'so-nobody'), 'x.csv', 'type,value\nipv4,10.0.0.1\n');
  let imported = 0;
  const w = startFeeds({ dir, store, logger: silentLogger, intervalMs: 100, onImported: async () => void imported++ });
  try {
    await waitFor('the first scan', () => imported >= 1);
    expect((await statusOf('so-nobody/x.csv'))?.error).toMatch(/"so-nobody" names no agency/);
    writeFile(dir, 'late.csv.tmp', 'type,value\nipv4,203.0.113.77\n');
    renameSync(path.join(dir, 'late.csv.tmp'), path.join(dir, 'late.csv')); // how an operator drops a file atomically
    await waitFor('the dropped file imported', async () => (await live()).includes('feeds/late.csv * 203.0.113.77'));
  } finally {
    await w.stop();
  }
});

test('the format of a JSON file is told by what it holds', () => {
  expect(feedFormat(writeFile(dir, 'a.json', bundle('192.0.2.1')))).toBe('stix');
  expect(feedFormat(writeFile(dir, 'b.json', mispEvent(UUID, 'x.example')))).toBe('misp');
  expect(() => feedFormat(writeFile(dir, 'c.json', { hello: 1 }))).toThrow(/neither a STIX 2.1 bundle/);
  expect(() => feedFormat(writeFile(dir, 'd.json', '{'))).toThrow(/not JSON/);
});
