import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../core/log';
import { adminTarget, openAdminStore } from './admin-store';

const dir = () => fs.mkdtempSync(path.join(tmpdir(), 'canhgac-admin-'));

test('run from a directory with no config and no store, an admin command says so and creates nothing', async () => {
  const cwd = dir();
  const said: string[] = [];
  const target = adminTarget({ env: {}, cwd });
  await expect(openAdminStore(target, silentLogger, (l) => said.push(l))).rejects.toThrow(`no store at ${path.join(cwd, 'data', 'canhgac.db')}`);
  expect(said[0]).toBe(`canhgac: data directory ${path.join(cwd, 'data')} (the default ./data of the working directory (no canhgac.yml here)), store ${path.join(cwd, 'data', 'canhgac.db')}`);
  expect(fs.existsSync(path.join(cwd, 'data'))).toBe(false);
});

test('the data directory of the config file or CANHGAC_DATA_DIR is the one used, and named', async () => {
  const server = dir();
  const elsewhere = dir();
  fs.writeFileSync(path.join(server, 'canhgac.yml'), `data_dir: ${path.join(server, 'state')}\n`);
  const fromFile = adminTarget({ file: path.join(server, 'canhgac.yml'), env: {}, cwd: elsewhere });
  expect(fromFile.config.data_dir).toBe(path.join(server, 'state'));
  expect(fromFile.describe).toContain(`(from ${path.join(server, 'canhgac.yml')})`);
  const fromEnv = adminTarget({ env: { CANHGAC_DATA_DIR: path.join(server, 'state') }, cwd: elsewhere });
  expect(fromEnv.describe).toContain(`data directory ${path.join(server, 'state')} (from CANHGAC_DATA_DIR)`);
  // a directory the operator named may be prepared before the first start
  const said: string[] = [];
  const store = await openAdminStore(fromEnv, silentLogger, (l) => said.push(l));
  await store.close();
  expect(said[1]).toBe('canhgac: no store there yet; making a new one');
  expect(fs.existsSync(path.join(server, 'state', 'canhgac.db'))).toBe(true);
  expect(fs.existsSync(path.join(elsewhere, 'data'))).toBe(false);
});
