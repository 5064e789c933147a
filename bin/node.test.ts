import { loadConfig } from '../core/config';
import { explainFullDisk } from './node';

test('a start that fails for want of space names the disk that is full and what to do; other errors pass unchanged', () => {
  const { config } = loadConfig({ file: null, env: { CANHGAC_DATA_DIR: '/srv/canhgac' } });
  const sqliteFull = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  const e = explainFullDisk(sqliteFull, config) as Error & { code?: string };
  expect(e.message).toBe('the disk holding /srv/canhgac (store /srv/canhgac/canhgac.db) is full (SQLITE_FULL): database or disk is full; free space there and start again');
  expect(e.code).toBe('SQLITE_FULL');
  const other = new Error('console: cannot listen on 127.0.0.1:8080');
  expect(explainFullDisk(other, config)).toBe(other);
});
