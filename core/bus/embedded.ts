/**
 * The embedded Bus: one process, one append-only journal per topic on disk.
 * publish() resolves after fsync (group commit: concurrent publishes share one fsync),
 * so what was acknowledged survives kill -9. Consumers read by group from their
 * committed offset and commit only after the handler succeeded (at least once).
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Bus, BusMessage, PublishRecord, SubscribeOptions, Subscription, TopicName } from './bus';

export interface EmbeddedBusConfig {
  dir: string;
  segmentBytes?: number; // roll to a new segment file past this size; default 64 MiB
  logger?: { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
}

const HEADER = 8; // u32 length + u32 crc32 of the payload
const MAX_RECORD = 16 * 1024 * 1024;

interface Segment {
  base: number; // offset of its first record
  file: string;
  fd: number;
  positions: number[]; // file position of each record
  size: number;
}

interface Stored {
  k: string | null;
  t: number;
  v: unknown;
}

class TopicLog {
  readonly segments: Segment[] = [];
  private pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private syncing = false;
  readonly changed = new EventEmitter();

  constructor(
    readonly name: string,
    readonly dir: string,
    private readonly segmentBytes: number,
    private readonly logger?: EmbeddedBusConfig['logger'],
  ) {
    this.changed.setMaxListeners(0);
    fs.mkdirSync(path.join(dir, 'groups'), { recursive: true });
    const files = fs
      .readdirSync(dir)
      .filter((f) => /^\d{20}\.log$/.test(f))
      .sort();
    for (const f of files) this.segments.push(this.recover(path.join(dir, f), Number(f.slice(0, 20))));
    if (this.segments.length === 0) this.segments.push(this.openSegment(0));
  }

  /** Re-reads a segment, keeping every whole record and cutting a torn tail left by a crash. */
  private recover(file: string, base: number): Segment {
    const fd = fs.openSync(file, 'r+');
    const size = fs.fstatSync(fd).size;
    const positions: number[] = [];
    const head = Buffer.alloc(HEADER);
    let pos = 0;
    while (pos + HEADER <= size) {
      fs.readSync(fd, head, 0, HEADER, pos);
      const len = head.readUInt32LE(0);
      if (len > MAX_RECORD || pos + HEADER + len > size) break;
      const body = Buffer.alloc(len);
      fs.readSync(fd, body, 0, len, pos + HEADER);
      if (crc32(body) !== head.readUInt32LE(4)) break;
      positions.push(pos);
      pos += HEADER + len;
    }
    if (pos < size) {
      this.logger?.warn({ topic: this.name, file, kept: pos, size }, 'journal: cut a torn record at the end of a segment (a crash during a write that was never acknowledged)');
      fs.ftruncateSync(fd, pos);
    }
    return { base, file, fd, positions, size: pos };
  }

  private openSegment(base: number): Segment {
    const file = path.join(this.dir, `${String(base).padStart(20, '0')}.log`);
    const fd = fs.openSync(file, 'a+');
    return { base, file, fd, positions: [], size: 0 };
  }

  get end(): number {
    const last = this.segments[this.segments.length - 1];
    return last.base + last.positions.length;
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
    let seg = this.segments[this.segments.length - 1];
    let from = 0;
    let chunkBytes = 0;
    // One buffer per write, filled in place: no per-record allocations for the collector's hot path.
    const flush = (to: number) => {
      if (to === from) return;
      const buf = Buffer.allocUnsafe(chunkBytes);
      let off = 0;
      for (let k = from; k < to; k++) {
        const len = lens[k];
        buf.write(texts[k], off + HEADER, len, 'utf8');
        buf.writeUInt32LE(len, off);
        buf.writeUInt32LE(crc32(buf.subarray(off + HEADER, off + HEADER + len)), off + 4);
        off += HEADER + len;
      }
      let written = 0;
      while (written < buf.length) written += fs.writeSync(seg.fd, buf, written, buf.length - written, seg.size + written);
      seg.size += buf.length;
      from = to;
      chunkBytes = 0;
    };
    for (let i = 0; i < n; i++) {
      if (seg.size + chunkBytes > this.segmentBytes && seg.positions.length > 0) {
        flush(i);
        fs.fsyncSync(seg.fd);
        seg = this.openSegment(seg.base + seg.positions.length);
        this.segments.push(seg);
      }
      seg.positions.push(seg.size + chunkBytes);
      chunkBytes += HEADER + lens[i];
    }
    flush(n);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.scheduleSync();
    });
  }

  /** Group commit: every publish written before an fsync starts is acknowledged when it ends. */
  private scheduleSync(): void {
    if (this.syncing) return;
    this.syncing = true;
    setImmediate(() => {
      const batch = this.pending;
      this.pending = [];
      const fd = this.segments[this.segments.length - 1].fd;
      fs.fsync(fd, (err) => {
        this.syncing = false;
        if (err) batch.forEach((p) => p.reject(new Error(`bus: fsync of topic "${this.name}" failed: ${err.message}`)));
        else batch.forEach((p) => p.resolve());
        this.changed.emit('append');
        if (this.pending.length) this.scheduleSync();
      });
    });
  }

  read(from: number, max: number): BusMessage[] {
    const out: BusMessage[] = [];
    let offset = Math.max(from, this.start);
    while (out.length < max && offset < this.end) {
      const seg = this.segmentFor(offset);
      const i = offset - seg.base;
      const n = Math.min(max - out.length, seg.positions.length - i);
      const startPos = seg.positions[i];
      const endPos = i + n < seg.positions.length ? seg.positions[i + n] : seg.size;
      const buf = Buffer.alloc(endPos - startPos);
      fs.readSync(seg.fd, buf, 0, buf.length, startPos);
      for (let j = 0; j < n; j++) {
        const p = seg.positions[i + j] - startPos;
        const len = buf.readUInt32LE(p);
        const rec = JSON.parse(buf.toString('utf8', p + HEADER, p + HEADER + len)) as Stored;
        out.push({ topic: this.name, partition: 0, offset: String(offset + j), key: rec.k, value: rec.v, timestamp: rec.t });
      }
      offset += n;
    }
    return out;
  }

  private segmentFor(offset: number): Segment {
    for (let i = this.segments.length - 1; i >= 0; i--) if (this.segments[i].base <= offset) return this.segments[i];
    return this.segments[0];
  }

  groupFile(group: string): string {
    return path.join(this.dir, 'groups', `${encodeURIComponent(group)}.offset`);
  }

  committed(group: string): number | null {
    try {
      return Number(fs.readFileSync(this.groupFile(group), 'utf8'));
    } catch {
      return null;
    }
  }

  commit(group: string, next: number): void {
    const file = this.groupFile(group);
    fs.writeFileSync(file + '.tmp', String(next));
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

export function createEmbeddedBus(config: EmbeddedBusConfig): Bus {
  if (!config.dir) throw new Error('bus.embedded.dir: a directory for the journal is required');
  fs.mkdirSync(config.dir, { recursive: true });
  const topics = new Map<string, TopicLog>();
  const subs = new Set<{ close(): Promise<void> }>();
  const activeGroups = new Set<string>();
  let closed = false;

  const topic = (name: string): TopicLog => {
    if (!/^[\w.-]+$/.test(name)) throw new Error(`bus: topic name "${name}" may use letters, digits, "_", "-" and "." only`);
    let t = topics.get(name);
    if (!t) {
      t = new TopicLog(name, path.join(config.dir, name), config.segmentBytes ?? 64 * 1024 * 1024, config.logger);
      topics.set(name, t);
    }
    return t;
  };

  return {
    kind: 'embedded',
    async publish<T>(name: TopicName, records: PublishRecord<T>[]) {
      if (closed) throw new Error('bus: closed');
      await topic(name).append(records);
    },
    async subscribe<T>(opts: SubscribeOptions<T>): Promise<Subscription> {
      const log = topic(opts.topic);
      const id = `${opts.topic}/${opts.group}`;
      if (activeGroups.has(id)) throw new Error(`bus: group "${opts.group}" already consumes "${opts.topic}" in this process`);
      activeGroups.add(id);
      const max = opts.maxBatch ?? 500;
      let next = opts.ephemeral ? log.end : (log.committed(opts.group) ?? (opts.fromBeginning === false ? log.end : log.start));
      let running = true;
      let wake: (() => void) | null = null;
      const onAppend = () => wake?.();
      log.changed.on('append', onAppend);
      let failures = 0;

      const loop = (async () => {
        while (running) {
          const batch = log.read(next, max) as BusMessage<T>[];
          if (batch.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, 1000).unref();
            });
            wake = null;
            continue;
          }
          try {
            await opts.handler(batch);
            next = Number(batch[batch.length - 1].offset) + 1;
            if (!opts.ephemeral) log.commit(opts.group, next);
            failures = 0;
          } catch (err) {
            failures++;
            const delay = Math.min(30000, 200 * 2 ** Math.min(failures, 8));
            config.logger?.error({ topic: opts.topic, group: opts.group, offset: batch[0].offset, err: (err as Error).message, retryInMs: delay }, 'bus: handler failed; the batch will be delivered again');
            await new Promise<void>((resolve) => {
              const t = setTimeout(resolve, delay);
              t.unref();
              wake = () => {
                if (!running) {
                  clearTimeout(t);
                  resolve();
                }
              };
            });
            wake = null;
          }
        }
      })();

      const sub = {
        async close() {
          running = false;
          wake?.();
          await loop;
          log.changed.off('append', onAppend);
          activeGroups.delete(id);
          subs.delete(sub);
        },
        async lag() {
          return Math.max(0, log.end - next);
        },
      };
      subs.add(sub);
      return sub;
    },
    async close() {
      if (closed) return;
      await Promise.all([...subs].map((s) => s.close()));
      closed = true;
      for (const t of topics.values()) t.close();
    },
  };
}
