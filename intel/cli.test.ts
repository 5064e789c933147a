import path from 'node:path';
import { createSqliteStore } from '../core/store/sqlite';
import { intelCli } from './cli';
import { importStix } from './importers/stix';
import { tempDir, writeFile } from './testkit';

const dir = tempDir();
const dbPath = path.join(dir, 'store.db');
async function run(cmd: 'ioc' | 'blocklist', ...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await intelCli(cmd, argv, { stdout: (s) => stdout.push(s), stderr: (s) => stderr.push(s), openStore: async () => createSqliteStore({ path: dbPath, readers: 0 }) });
  return { code, out: stdout.join('\n'), err: stderr.join('\n') };
}

beforeAll(async () => {
  const s = createSqliteStore({ path: dbPath, readers: 0 });
  await s.putTenant({ id: 'so-a', name: 'A', created: 'x' });
  await s.close();
});

test('ioc import, list and export: the export reads back in as the same indicators', async () => {
  const file = writeFile(dir, 'list.csv', 'type,value,tags\nipv4,203.0.113.7,c2\ndomain,evil.example,\n');
  expect(await run('ioc', 'import', file, '--format', 'csv', '--tenant', 'so-a', '--source', 'VNCERT bulletin 12', '--ttl', '7d')).toMatchObject({ code: 0, out: expect.stringMatching(/^imported 2 indicators .* \(2 new, 0 updated\) for so-a/) });
  const list = await run('ioc', 'list', '--tenant', 'so-a');
  expect(list.out).toMatch(/ipv4\t203\.0\.113\.7\tso-a\tVNCERT bulletin 12\t50\t/);
  const stix = await run('ioc', 'export', '--format', 'stix');
  expect(importStix(stix.out).indicators.map((i) => i.value).sort()).toEqual(['203.0.113.7', 'evil.example']);
  expect((await run('ioc', 'export', '--format', 'csv')).out).toMatch(/^type,value,confidence/);
});

test('a malformed file exits 1 naming the line, and a wrong format is a usage error', async () => {
  const bad = writeFile(dir, 'bad.csv', 'type,value\nipv4,999.1.1.1\n');
  expect(await run('ioc', 'import', bad, '--format', 'csv')).toMatchObject({ code: 1, err: expect.stringMatching(/^ioc import: line 2: "999\.1\.1\.1" is not an IPV4 address or range; nothing was imported/) });
  expect((await run('ioc', 'import', bad, '--format', 'xml')).code).toBe(2);
});

test('blocklist add needs a reason and a known agency; list shows it; token prints a secret once', async () => {
  expect((await run('blocklist', 'add', 'so-a', '203.0.113.7')).code).toBe(2);
  expect((await run('blocklist', 'add', 'so-x', '203.0.113.7', '--reason', 'c2')).err).toMatch(/agency "so-x" does not exist/);
  expect((await run('blocklist', 'add', 'so-a', '203.0.113.7', '--reason', 'C2 of incident 42', '--ttl', '7d')).out).toMatch(/^blocked 203\.0\.113\.7 for so-a until /);
  expect((await run('blocklist', 'list', 'so-a')).out).toMatch(/ip\t203\.0\.113\.7\t.*\tcli\tC2 of incident 42/);
  expect((await run('blocklist', 'token', 'so-a')).out).toMatch(/cgf_[A-Za-z0-9_-]{32}/);
});
