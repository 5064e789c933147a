import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from './config';
import { createBus, createStore } from './runtime';

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

function capture() {
  const lines: { msg: string; dir?: string; file?: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { lines, logger };
}

test('the data directory is made owner-only (an existing open one is fixed, with a log line), and so are the journal and database files', async () => {
  const parent = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-runtime-'));
  const dataDir = path.join(parent, 'data');
  fs.mkdirSync(dataDir, { mode: 0o755 });
  fs.chmodSync(dataDir, 0o755);
  const { config } = loadConfig({ file: null, env: { CANHGAC_DATA_DIR: dataDir }, cwd: parent });
  const { lines, logger } = capture();
  const store = await createStore(config, logger);
  const bus = await createBus(config, logger);
  await bus.publish('events', [{ value: 'x' }]);
  await bus.close();
  await store.close();
  expect(mode(dataDir)).toBe('700');
  expect(lines.find((l) => l.dir === dataDir && /open to other users/.test(l.msg))).toBeDefined();
  expect(mode(path.join(dataDir, 'canhgac.db'))).toBe('600');
  expect(mode(path.join(dataDir, 'bus'))).toBe('700');
  const seg = fs.readdirSync(path.join(dataDir, 'bus', 'events')).find((f) => f.endsWith('.jnl'))!;
  expect(mode(path.join(dataDir, 'bus', 'events', seg))).toBe('600');
});

test('a new data directory is created 0700; a shared (sticky) directory is reported, never changed', async () => {
  const parent = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-runtime-'));
  const dataDir = path.join(parent, 'new', 'data');
  const { config } = loadConfig({ file: null, env: { CANHGAC_DATA_DIR: dataDir }, cwd: parent });
  const store = await createStore(config, capture().logger);
  await store.close();
  expect(mode(dataDir)).toBe('700');

  const shared = path.join(parent, 'shared');
  fs.mkdirSync(shared);
  fs.chmodSync(shared, 0o1777);
  const { lines, logger } = capture();
  const bus = await createBus(loadConfig({ file: null, env: { CANHGAC_DATA_DIR: shared }, cwd: parent }).config, logger);
  await bus.close();
  expect((fs.statSync(shared).mode & 0o7777).toString(8)).toBe('1777');
  expect(lines.find((l) => l.dir === shared && /shared with other users/.test(l.msg))).toBeDefined();
});
