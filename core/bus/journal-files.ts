/**
 * What the embedded journal does with the file system beyond reading and appending records:
 * private directories and files (events hold secrets of the agencies), and the error a full
 * disk gives to whoever published.
 */
import fs from 'node:fs';

export interface DirLogger {
  warn: (obj: object, msg: string) => void;
}

/** Creates `dir` 0700, or takes group and other access away from an existing one (saying so). */
export function ensurePrivateDir(dir: string, logger: DirLogger | undefined, what: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.statSync(dir);
  const mode = st.mode & 0o777;
  if ((mode & 0o077) === 0) return;
  // a shared directory (/tmp: sticky) or someone else's is never changed, only reported
  if (st.mode & 0o1000 || (process.getuid && st.uid !== process.getuid())) {
    logger?.warn({ dir, mode: (st.mode & 0o7777).toString(8) }, `${what}: the directory is shared with other users (sticky, or not owned by this user); use a directory of its own`);
    return;
  }
  try {
    fs.chmodSync(dir, mode & 0o700);
    logger?.warn({ dir, was: mode.toString(8), now: (mode & 0o700).toString(8) }, `${what}: the directory was open to other users; its mode is now owner-only`);
  } catch (e) {
    logger?.warn({ dir, mode: mode.toString(8), err: (e as Error).message }, `${what}: the directory is open to other users and its mode cannot be changed; run chmod 700 on it`);
  }
}

/** Takes group and other access away from an open file (a segment written before modes were set). */
export function makePrivate(fd: number): void {
  const mode = fs.fstatSync(fd).mode & 0o777;
  if (mode & 0o077) fs.fchmodSync(fd, mode & 0o600);
}

const FULL = new Set(['ENOSPC', 'EDQUOT', 'EIO']);

/** Is this the disk refusing to keep data (full, over quota, failing)? */
export const isDiskFull = (e: unknown): boolean => FULL.has((e as NodeJS.ErrnoException | undefined)?.code ?? '');

export interface DiskFullError extends Error {
  code: 'ENOSPC';
  /** The system's own code: ENOSPC, EDQUOT or EIO. */
  reason: string;
  file: string;
}

/** The error a refused publish gets: code 'ENOSPC' (HTTP ingest answers 503 on it), naming the file. */
export function diskFullError(cause: NodeJS.ErrnoException, op: 'write' | 'fsync', file: string, topic: string): DiskFullError {
  const reason = cause.code ?? 'ENOSPC';
  const what = reason === 'EIO' ? 'the disk is full or failing (EIO)' : reason === 'EDQUOT' ? 'the disk quota is full (EDQUOT)' : 'the disk is full (ENOSPC)';
  const e = new Error(
    `bus: ${what}: cannot ${op} the journal ${file} of topic "${topic}"; this publish was refused and nothing of it was kept. Publishes are accepted again once space is freed`,
    { cause },
  ) as DiskFullError;
  e.code = 'ENOSPC';
  e.reason = reason;
  e.file = file;
  return e;
}
