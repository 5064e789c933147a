/** A reader thread of the embedded store: its own read-only connection, one read at a time, each under a deadline. */
import { parentPort, workerData } from 'node:worker_threads';
import { installDeadline, withDeadline } from './sqlite-deadline';
import { runRead, type ReadAnswer, type ReaderData, type ReadRequest } from './sqlite-reads';
import { openReader } from './sqlite-schema';

const data = workerData as ReaderData;
const db = openReader(data.path);
const flags = new Int32Array(data.flags);
const setDeadline = installDeadline(db);

parentPort!.on('message', (req: ReadRequest) => {
  let answer: ReadAnswer;
  try {
    const value = withDeadline(setDeadline, { until: req.until, limitMs: req.limitMs, flags, slot: req.slot }, () => runRead(db, req.name, req.args as never));
    answer = { seq: req.seq, ok: true, value };
  } catch (e) {
    const err = e as Error & { statusCode?: number; position?: number };
    answer = { seq: req.seq, ok: false, error: { name: err.name, message: err.message, statusCode: err.statusCode, position: err.position } };
  }
  parentPort!.postMessage(answer);
});
