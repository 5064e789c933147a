/** Retention on the embedded SQLite store, a file as in production. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../store/sqlite';
import { describeRetentionContract } from './retention.contract';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-retention-'));
let n = 0;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeRetentionContract('sqlite', () => createSqliteStore({ path: path.join(dir, `r${++n}.db`), readers: 0 }));
