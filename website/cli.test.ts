/** canhgac website add|list|pause|resume|remove on one store, as a user types them. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../core/store/sqlite';
import { websiteCli } from './cli';

test('add, list, pause, resume and remove a site; bad input is refused with the reason', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'canhgac-website-cli-')), 'store.db');
  const seed = createSqliteStore({ path: file, readers: 0 });
  await seed.putTenant({ id: 'so-tttt', name: 'Sở TTTT', created: 'x' });
  await seed.close();
  const out: string[] = [];
  const err: string[] = [];
  const cli = (...a: string[]) => websiteCli(a, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), openStore: async () => createSqliteStore({ path: file, readers: 0 }) });

  expect(await cli('add', 'https://stttt.example.gov.vn/', '--tenant', 'so-tttt', '--interval', '2m', '--keyword', 'Sở Thông tin')).toBe(0);
  const id = /\(id (w-[0-9a-f]{12})\)/.exec(out.pop()!)![1];
  expect(await cli('add', 'https://stttt.example.gov.vn/', '--tenant', 'so-tttt')).toBe(1);
  expect(err.pop()).toMatch(/already watched/);
  expect(await cli('add', 'https://x.example/', '--tenant', 'so-tttt', '--interval', '5s')).toBe(1);
  expect(err.pop()).toMatch(/below the floor of 30 s/);
  expect(await cli('add', 'https://x.example/', '--tenant', 'so-none')).toBe(1);
  expect(err.pop()).toMatch(/no agency "so-none"/);
  expect(await cli('add', 'ftp://x.example/', '--tenant', 'so-tttt')).toBe(1);
  expect(err.pop()).toMatch(/must be http:\/\/ or https:\/\//);

  expect(await cli('list')).toBe(0);
  expect(out.pop()).toMatch(new RegExp(`^${id}  so-tttt  https://stttt.example.gov.vn/  unchecked  every 120 s`));
  expect(await cli('pause', id)).toBe(0);
  await cli('list', '--json');
  expect(JSON.parse(out.pop()!)[0]).toMatchObject({ id, state: 'paused', keywords: ['Sở Thông tin'] });
  expect(await cli('resume', id)).toBe(0);
  expect(await cli('remove', id)).toBe(0);
  expect(await cli('remove', id)).toBe(1);
  expect(await cli('list')).toBe(0);
  expect(out.pop()).toMatch(/no sites watched/);
  expect(await cli('frobnicate')).toBe(2);
});
