/** `canhgac audit verify` finds an altered audit entry and names it. */
import Database from 'better-sqlite3';
import path from 'node:path';
import { cli, tempDataDir } from '../helpers/canhgac';

test('audit verify passes on an untouched log and names the first altered entry', () => {
  const dir = tempDataDir();
  expect(cli(dir, ['tenant', 'add', 'so-a', '--name', 'Sở A']).code).toBe(0);
  expect(cli(dir, ['tenant', 'add', 'so-b', '--name', 'Sở B']).code).toBe(0);
  const ok = cli(dir, ['audit', 'verify']);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toMatch(/audit log intact: 2 entries/);
  const db = new Database(path.join(dir, 'canhgac.db'));
  db.prepare("UPDATE audit SET doc = json_set(doc, '$.actor', 'mallory') WHERE seq = 2").run();
  db.close();
  const bad = cli(dir, ['audit', 'verify']);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/ALTERED at entry 2 .* mallory tenant\.create/);
});

test('a mistyped command is named as unknown at once, even where no store exists', () => {
  const dir = tempDataDir(); // nothing has run here: no canhgac.db
  const r = cli(dir, ['tenat', 'add', 'so-a']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/unknown command "tenat"/);
  expect(r.stderr).not.toMatch(/no store at/);
});
