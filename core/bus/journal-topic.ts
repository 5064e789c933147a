/**
 * One topic of the embedded journal: segment files of records, each record carrying its own
 * offset. publish() resolves after fsync (group commit: concurrent publishes share one fsync).
 * Consumers see only records whose fsync has completed. On open, a damaged record (torn tail,
 * flipped byte, garbage) is skipped, counted and logged, and every intact record after it kept;
 * new records get offsets past every consumer's commit, so none is shadowed. A full disk refuses
 * that publish (code 'ENOSPC'), cuts what it half wrote, and the next publish tries again.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { BusMessage, PublishRecord } from './bus';
import { diskFullError, ensurePrivateDir, isDiskFull, makePrivate } from './journal-files';
import { HEADER_V1, HEADER_V2, MAX_RECORD, SEGMENT_FILE, scanSegment, sealRecord, segmentName } from './journal-format';

export interface JournalLogger {
  info?: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
}

/** The file calls that can meet a full disk; tests hand in ones that fail. */
export interface JournalIo {
  writeSync(fd: number, buf: Buffer, offset: number, length: number, position: number): number;
  fsyncSync(fd: number): void;
  fsync(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void;
}
export const realIo: JournalIo = { writeSync: (fd, b, o, l, p) => fs.writeSync(fd, b, o, l, p), fsyncSync: (fd) => fs.fsyncSync(fd), fsync: (fd, cb) => fs.fsync(fd, cb) };

interface Segment {
  base: number; // no record in it has a lower offset, none in the next segment a lower one than its base
  file: string;
  fd: number;
  format: 1 | 2;
  offsets: number[]; // offset of each record, increasing (gaps where records were damaged)
  positions: number[]; // file position of each record
  size: number; // where the next record goes (last segment)
}

interface Stored {
  k: string | null;
  t: number;
  v: unknown;
}

/** Index of the first element >= x in an increasing array. */
function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class TopicLog {
  readonly segments: Segment[] = [];
  readonly changed = new EventEmitter();
  /** Damaged regions skipped when the journal was opened. */
  damaged = 0;
  /** Records refused by a write or fsync that failed since it was opened. */
  refusedTotal = 0;
  private next = 0; // offset of the next record written
  private durable = 0; // records below it are fsynced: the only ones consumers see
  private pending: { records: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  private syncing = false;
  private refused: { publishes: number; records: number } | null = null; // since the disk became full
  private readonly commits = new Map<string, number>(); // each group's last commit, also while its file cannot be written

  constructor(
    readonly name: string,
    readonly dir: string,
    private readonly segmentBytes: number,
    private readonly logger: JournalLogger | undefined,
    private readonly io: JournalIo = realIo,
  ) {
    this.changed.setMaxListeners(0);
    ensurePrivateDir(dir, logger, `bus: topic "${name}"`);
    ensurePrivateDir(path.join(dir, 'groups'), logger, `bus: topic "${name}"`);
    const files = fs
      .readdirSync(dir)
      .map((f) => SEGMENT_FILE.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ file: path.join(dir, m[0]), base: Number(m[1]), format: (m[2] === 'jnl' ? 2 : 1) as 1 | 2 }))
      .sort((a, b) => a.base - b.base || a.format - b.format);
    for (const f of files) this.segments.push(this.recover(f.file, f.base, f.format));
    const last = this.segments[this.segments.length - 1];
    const lastOffset = (s: Segment) => (s.offsets.length ? s.offsets[s.offsets.length - 1] + 1 : s.base);
    // past every record kept and every offset a consumer committed: a record written now is never shadowed
    this.next = Math.max(0, ...this.segments.map(lastOffset), this.maxCommitted());
    this.durable = this.next;
    if (!last || last.format === 1) {
      if (last) this.logger?.info?.({ topic: name, file: last.file }, 'journal: this segment is in the previous format; it stays readable, new records go to a new segment');
      this.segments.push(this.openSegment(this.next));
    } else this.cutDamagedTail(last);
  }

  /** Reads a segment's records back, skipping (and logging) each damaged region. */
  private recover(file: string, base: number, format: 1 | 2): Segment {
    const fd = fs.openSync(file, 'r+');
    makePrivate(fd);
    const buf = fs.readFileSync(fd);
    const scan = scanSegment(buf, base, format);
    for (const d of scan.damaged) {
      this.damaged++;
      this.logger?.warn(
        { topic: this.name, file, position: d.pos, bytes: d.bytes, lostRecords: d.lostRecords },
        d.lostRecords === null
          ? 'journal: skipped a damaged end of segment (a torn write never acknowledged, or damage on disk); every intact record before it is kept'
          : 'journal: skipped a damaged record; every intact record after it is kept at its own offset',
      );
    }
    return { base, file, fd, format, offsets: scan.records.map((r) => r.offset), positions: scan.records.map((r) => r.pos), size: format === 2 ? scan.goodEnd : buf.length };
  }

  /** New records go right after the last intact one: the bytes after it hold nothing readable. */
  private cutDamagedTail(seg: Segment): void {
    const size = fs.fstatSync(seg.fd).size;
    if (size === seg.size) return;
    try {
      fs.ftruncateSync(seg.fd, seg.size);
    } catch (e) {
      // new records overwrite them in place (positional writes) just the same
      this.logger?.warn({ topic: this.name, file: seg.file, err: (e as Error).message }, 'journal: could not cut the damaged end of a segment');
    }
  }

  private openSegment(base: number): Segment {
    const file = path.join(this.dir, segmentName(base));
    const fd = fs.openSync(file, 'w+', 0o600);
    return { base, file, fd, format: 2, offsets: [], positions: [], size: 0 };
  }

  private get last(): Segment {
    return this.segments[this.segments.length - 1];
  }

  /** The offset a consumer starting "at the end" starts from. */
  get end(): number {
    return this.durable;
  }

  get start(): number {
    return this.segments[0].base;
  }

  append(records: PublishRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const now = Date.now();
    const n = records.length;
    // Serialize and check every record first: a refused one leaves the journal untouched.
    const texts = new Array<string>(n);
    const lens = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const r = records[i];
      // a value a parse worker already serialized goes in as it is: the same bytes JSON.stringify would give
      const text = r.json !== undefined ? `{"k":${JSON.stringify(r.key ?? null)},"t":${now},"v":${r.json}}` : JSON.stringify({ k: r.key ?? null, t: now, v: r.value } satisfies Stored);
      const len = Buffer.byteLength(text);
      if (len > MAX_RECORD) throw new Error(`bus: a record of ${len} bytes on topic "${this.name}" exceeds the ${MAX_RECORD}-byte limit`);
      texts[i] = text;
      lens[i] = len;
    }
    const first = this.next;
    try {
      this.write(first, texts, lens);
    } catch (e) {
      this.rollbackTo(first);
      throw this.refuse(e as NodeJS.ErrnoException, 'write', n);
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ records: n, resolve, reject });
      this.scheduleSync();
    });
  }

  /** Writes the records of one publish, offsets `first`, `first`+1…, rolling to a new segment when one is full. */
  private write(first: number, texts: string[], lens: number[]): void {
    const n = texts.length;
    let seg = this.last;
    let from = 0;
    let chunkBytes = 0;
    // One buffer per write, filled in place: no per-record allocations for the collector's hot path.
    const flush = (to: number) => {
      if (to === from) return;
      const buf = Buffer.allocUnsafe(chunkBytes);
      let off = 0;
      for (let k = from; k < to; k++) {
        const len = lens[k];
        buf.write(texts[k], off + HEADER_V2, len, 'utf8');
        sealRecord(buf, off, len, first + k);
        off += HEADER_V2 + len;
      }
      let written = 0;
      while (written < buf.length) written += this.io.writeSync(seg.fd, buf, written, buf.length - written, seg.size + written);
      seg.size += buf.length;
      from = to;
      chunkBytes = 0;
    };
    for (let i = 0; i < n; i++) {
      if (seg.size + chunkBytes > this.segmentBytes && seg.offsets.length > 0) {
        flush(i);
        this.io.fsyncSync(seg.fd);
        seg = this.openSegment(this.next);
        this.segments.push(seg);
      }
      seg.offsets.push(this.next++);
      seg.positions.push(seg.size + chunkBytes);
      chunkBytes += HEADER_V2 + lens[i];
    }
    flush(n);
  }

  /** Forgets every record from `offset` on, in the index and on disk: what a refused write left. */
  private rollbackTo(offset: number): void {
    for (;;) {
      const seg = this.last;
      const i = lowerBound(seg.offsets, offset);
      if (i === 0 && this.segments.length > 1 && seg.base >= offset) {
        // a segment opened by the refused write holds nothing else
        this.segments.pop();
        try {
          fs.closeSync(seg.fd);
          fs.rmSync(seg.file, { force: true });
        } catch (e) {
          this.logger?.error({ topic: this.name, file: seg.file, err: (e as Error).message }, 'journal: could not remove the segment of a refused write; delete it before the next start, or its refused records are read again');
        }
        continue;
      }
      if (i < seg.offsets.length) seg.size = seg.positions[i];
      seg.offsets.length = i;
      seg.positions.length = i;
      try {
        fs.ftruncateSync(seg.fd, seg.size);
      } catch (e) {
        // the next record is written over what is left, and a restart skips any rest as damaged
        this.logger?.warn({ topic: this.name, file: seg.file, err: (e as Error).message }, 'journal: could not cut a refused write');
      }
      break;
    }
    this.next = offset;
  }

  /** The error for a refused write or fsync; a full disk is logged once, and counted until space is back. */
  private refuse(e: NodeJS.ErrnoException, op: 'write' | 'fsync', records: number): Error {
    this.refusedTotal += records;
    if (!isDiskFull(e)) return new Error(`bus: cannot ${op} the journal ${this.last.file} of topic "${this.name}": ${e.message}`, { cause: e });
    const err = diskFullError(e, op, this.last.file, this.name);
    if (!this.refused) {
      this.refused = { publishes: 0, records: 0 };
      this.logger?.error({ topic: this.name, file: this.last.file, code: e.code, op }, 'journal: the disk is full; publishes are refused until space is freed');
    }
    this.refused.publishes++;
    this.refused.records += records;
    return err;
  }

  /** Group commit: every publish written before an fsync starts is acknowledged when it ends. */
  private scheduleSync(): void {
    if (this.syncing) return;
    this.syncing = true;
    setImmediate(() => {
      const batch = this.pending;
      this.pending = [];
      const upTo = this.next;
      this.io.fsync(this.last.fd, (err) => {
        this.syncing = false;
        if (err) {
          // what was written since the last good fsync may not be on disk: cut it all and refuse its publishes
          const waiting = [...batch, ...this.pending];
          this.pending = [];
          const e = this.refuse(err, 'fsync', waiting.reduce((sum, p) => sum + p.records, 0));
          this.rollbackTo(this.durable);
          waiting.forEach((p) => p.reject(e));
          return;
        }
        this.durable = upTo;
        if (this.refused) {
          this.logger?.warn({ topic: this.name, refusedPublishes: this.refused.publishes, refusedRecords: this.refused.records }, 'journal: space is back; publishes are accepted again');
          this.refused = null;
        }
        batch.forEach((p) => p.resolve());
        this.changed.emit('append');
        if (this.pending.length) this.scheduleSync();
      });
    });
  }

  /** Up to `max` fsynced records from offset `from` on. */
  read(from: number, max: number): BusMessage[] {
    const out: BusMessage[] = [];
    let s = this.segments.length - 1;
    while (s > 0 && this.segments[s].base > from) s--;
    for (; s < this.segments.length && out.length < max; s++) {
      const seg = this.segments[s];
      const i = lowerBound(seg.offsets, from);
      let j = i;
      while (j < seg.offsets.length && j - i < max - out.length && seg.offsets[j] < this.durable) j++;
      if (j > i) this.readRecords(seg, i, j, out);
      if (j < seg.offsets.length) break;
    }
    return out;
  }

  private readRecords(seg: Segment, i: number, j: number, out: BusMessage[]): void {
    const startPos = seg.positions[i];
    const endPos = j < seg.positions.length ? seg.positions[j] : seg.size;
    const buf = Buffer.alloc(endPos - startPos);
    fs.readSync(seg.fd, buf, 0, buf.length, startPos);
    const header = seg.format === 2 ? HEADER_V2 : HEADER_V1;
    for (let k = i; k < j; k++) {
      const p = seg.positions[k] - startPos;
      const len = buf.readUInt32LE(seg.format === 2 ? p + 8 : p);
      const offset = seg.offsets[k];
      try {
        const rec = JSON.parse(buf.toString('utf8', p + header, p + header + len)) as Stored;
        out.push({ topic: this.name, partition: 0, offset: String(offset), key: rec.k, value: rec.v, timestamp: rec.t });
      } catch (e) {
        this.logger?.error({ topic: this.name, file: seg.file, position: seg.positions[k], offset, err: (e as Error).message }, 'journal: a record changed on disk after it was checked; it is skipped');
      }
    }
  }

  /** Fsynced records at offset `from` or later. */
  countFrom(from: number): number {
    let n = 0;
    for (const seg of this.segments) n += lowerBound(seg.offsets, this.durable) - lowerBound(seg.offsets, from);
    return Math.max(0, n);
  }

  groupFile(group: string): string {
    return path.join(this.dir, 'groups', `${encodeURIComponent(group)}.offset`);
  }

  committed(group: string): number | null {
    const kept = this.commits.get(group);
    if (kept !== undefined) return kept;
    try {
      const n = Number(fs.readFileSync(this.groupFile(group), 'utf8'));
      return Number.isSafeInteger(n) && n >= 0 ? n : null;
    } catch {
      return null;
    }
  }

  private maxCommitted(): number {
    const groups = fs.readdirSync(path.join(this.dir, 'groups')).filter((f) => f.endsWith('.offset'));
    return Math.max(0, ...groups.map((g) => this.committed(decodeURIComponent(g.slice(0, -'.offset'.length))) ?? 0));
  }

  /** Throws when the disk refuses the offset file; the group's place is kept in memory meanwhile. */
  commit(group: string, next: number): void {
    this.commits.set(group, next);
    const file = this.groupFile(group);
    fs.writeFileSync(file + '.tmp', String(next), { mode: 0o600 });
    fs.renameSync(file + '.tmp', file);
    this.retain();
  }

  /** Deletes whole segments that every group has committed past. */
  private retain(): void {
    if (this.segments.length < 2) return;
    const groups = fs.readdirSync(path.join(this.dir, 'groups')).filter((f) => f.endsWith('.offset'));
    if (!groups.length) return;
    const low = Math.min(...groups.map((g) => Number(fs.readFileSync(path.join(this.dir, 'groups', g), 'utf8')) || 0));
    while (this.segments.length > 1 && this.segments[1].base <= low) {
      const seg = this.segments.shift()!;
      fs.closeSync(seg.fd);
      fs.rmSync(seg.file, { force: true });
    }
  }

  close(): void {
    for (const s of this.segments) {
      try {
        fs.closeSync(s.fd);
      } catch {
        /* already closed */
      }
    }
  }
}
