import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteStore } from './sqlite';
import { describeStoreContract } from './store.contract';

describeStoreContract('sqlite', () => createSqliteStore({ path: path.join(mkdtempSync(path.join(tmpdir(), 'canhgac-store-')), 'store.db') }));

test('a bad query names the problem and where', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  await expect(store.searchEvents({ q: 'user.name:(root', tenants: null })).rejects.toThrow(/character \d+/);
  await store.close();
});
