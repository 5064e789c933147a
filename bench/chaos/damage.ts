/** What the chaos script does to the disk: a small tmpfs, a filler that takes every free byte, a torn and a flipped journal. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Mounts a tmpfs of `size` (e.g. "256m") on `dir`; the reason when it cannot (not root, no mount). */
export function mountTmpfs(dir: string, size: string): string | null {
  if (process.getuid?.() !== 0) return 'not root: a tmpfs cannot be mounted (run as root, e.g. in the CI container)';
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? null : `mount -t tmpfs failed: ${r.stderr || r.error?.message}`;
}

export function unmount(dir: string): void {
  spawnSync('umount', ['-l', dir]);
}

/** Writes `file` until the file system has no byte left; returns its size. */
export function fillDisk(file: string): number {
  const fd = fs.openSync(file, 'w');
  let size = 0;
  try {
    for (let chunk = 1 << 20; chunk >= 512; chunk >>= 1) {
      const buf = Buffer.alloc(chunk, 0x5a);
      for (;;) {
        try {
          size += fs.writeSync(fd, buf);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return size;
}

export function freeBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}

/** The newest journal segment of a topic. */
export function lastSegment(dataDir: string, topic: string): string {
  const dir = path.join(dataDir, 'bus', topic);
  const segs = fs.readdirSync(dir).filter((f) => /^\d{20}\.(jnl|log)$/.test(f)).sort();
  if (!segs.length) throw new Error(`chaos: no journal segment in ${dir}`);
  return path.join(dir, segs[segs.length - 1]);
}

/** Cuts the segment in the middle of its last record (as a crash during a write would). */
export function tearTail(file: string): { cutBytes: number } {
  const buf = fs.readFileSync(file);
  const lastRecord = buf.lastIndexOf('CGJ2');
  const end = buf.length;
  const cut = lastRecord >= 0 ? lastRecord + Math.max(1, Math.floor((end - lastRecord) / 2)) : Math.floor(end / 2);
  fs.truncateSync(file, cut);
  return { cutBytes: end - cut };
}

/** Flips one bit of one byte inside a record near the middle of the segment (inside its JSON, after its header). */
export function flipByte(file: string): { position: number } {
  const buf = fs.readFileSync(file);
  const at = buf.indexOf('"message"', Math.floor(buf.length / 2));
  const position = at >= 0 ? at + 2 : Math.floor(buf.length / 2);
  const fd = fs.openSync(file, 'r+');
  try {
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, position);
    b[0] ^= 0x10;
    fs.writeSync(fd, b, 0, 1, position);
  } finally {
    fs.closeSync(fd);
  }
  return { position };
}
