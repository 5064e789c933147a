/**
 * The embedded journal's on-disk record format, and the scan that recovers a segment.
 *
 * Format 2 (every segment written since the issue-#11 review), one record:
 *   "CGJ2" | u32 crc32(length, offset, payload) | u32 length | u64 offset (lo, hi) | payload (JSON)
 * The marker lets a reader resynchronise after a damaged record; the offset in the record keeps
 * every later record at its own offset whatever was lost before it, so consumers' committed
 * offsets stay right.
 * Format 1 (older segments): u32 length | u32 crc32(payload) | payload; still read, never written.
 * The file name tells them apart, so a damaged first record cannot make a segment be misread.
 */
import * as zlib from 'node:zlib';

export const MAGIC = Buffer.from('CGJ2', 'latin1');
const MAGIC_U32 = MAGIC.readUInt32LE(0);
export const HEADER_V2 = 20;
export const HEADER_V1 = 8;
export const MAX_RECORD = 16 * 1024 * 1024;
const V1_PAYLOAD_START = Buffer.from('{"k":', 'latin1'); // every payload ever written starts so

const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 (IEEE, as zlib computes it), table-driven: zlib.crc32 exists only from Node 20.15. */
export function crc32Table(buf: Uint8Array, prev = 0): number {
  let c = ~prev;
  for (let i = 0; i < buf.length; i++) c = TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
/** The native CRC-32 where Node has it (same values, several times faster), else the table. */
export const crc32: (buf: Uint8Array, prev?: number) => number = native ? (b, p = 0) => native(b, p) : crc32Table;

/** Writes one format-2 record at `at` in `buf` (the payload is written by the caller first, at at+HEADER_V2). */
export function sealRecord(buf: Buffer, at: number, len: number, offset: number): void {
  buf.writeUInt32LE(MAGIC_U32, at);
  buf.writeUInt32LE(len, at + 8);
  buf.writeUInt32LE(offset % 0x100000000, at + 12);
  buf.writeUInt32LE(Math.floor(offset / 0x100000000), at + 16);
  buf.writeUInt32LE(crc32(buf.subarray(at + 8, at + HEADER_V2 + len)), at + 4); // one pass: length, offset, payload are contiguous
}

export interface ScannedRecord {
  offset: number;
  pos: number; // file position of its header
}

export interface DamagedRegion {
  pos: number; // file position where the damage starts
  bytes: number;
  /** Offsets known to be lost in it (format 2: from the offsets around it); null when unknown (a damaged tail). */
  lostRecords: number | null;
}

export interface ScannedSegment {
  format: 1 | 2;
  records: ScannedRecord[];
  damaged: DamagedRegion[];
  /** File position just after the last intact record: where a damaged tail starts. */
  goodEnd: number;
}

/** A segment's file name says its format: "<base>.jnl" is format 2, "<base>.log" format 1. */
export const SEGMENT_FILE = /^(\d{20})\.(jnl|log)$/;
export const segmentName = (base: number) => `${String(base).padStart(20, '0')}.jnl`;

/** A format-2 record at `pos` that is whole and intact, with an offset at least `minOffset`; else null. */
function recordV2(buf: Buffer, pos: number, minOffset: number): { offset: number; end: number } | null {
  if (pos + HEADER_V2 > buf.length || buf.readUInt32LE(pos) !== MAGIC_U32) return null;
  const len = buf.readUInt32LE(pos + 8);
  const end = pos + HEADER_V2 + len;
  if (len > MAX_RECORD || end > buf.length) return null;
  const offset = buf.readUInt32LE(pos + 12) + buf.readUInt32LE(pos + 16) * 0x100000000;
  if (offset < minOffset || !Number.isSafeInteger(offset)) return null;
  return crc32(buf.subarray(pos + 8, end)) === buf.readUInt32LE(pos + 4) ? { offset, end } : null;
}

/** A format-1 record at `pos` (length, crc32 of a payload that starts like every payload); else null. */
function recordV1(buf: Buffer, pos: number): { offset: null; end: number } | null {
  if (pos + HEADER_V1 > buf.length) return null;
  const len = buf.readUInt32LE(pos);
  const end = pos + HEADER_V1 + len;
  if (len > MAX_RECORD || len < V1_PAYLOAD_START.length || end > buf.length) return null;
  if (buf.compare(V1_PAYLOAD_START, 0, V1_PAYLOAD_START.length, pos + HEADER_V1, pos + HEADER_V1 + V1_PAYLOAD_START.length) !== 0) return null;
  return crc32(buf.subarray(pos + HEADER_V1, end)) === buf.readUInt32LE(pos + 4) ? { offset: null, end } : null;
}

/**
 * Every intact record of a segment, and every damaged region between or after them.
 * `base` is the segment's first offset (from its file name): format 1 numbers records from it,
 * counting one record per damaged region (its true count is not written anywhere).
 */
export function scanSegment(buf: Buffer, base: number, format: 1 | 2): ScannedSegment {
  const records: ScannedRecord[] = [];
  const damaged: DamagedRegion[] = [];
  let pos = 0;
  let next = base; // the lowest offset the next record may have
  let goodEnd = 0;
  while (pos < buf.length) {
    const r = format === 2 ? recordV2(buf, pos, next) : recordV1(buf, pos);
    if (r) {
      const offset = r.offset ?? next;
      records.push({ offset, pos });
      next = offset + 1;
      pos = goodEnd = r.end;
      continue;
    }
    // damaged from here: resynchronise on the next position that holds an intact record
    const from = pos;
    let at = pos + 1;
    let found: { at: number; offset: number } | null = null;
    while (at < buf.length) {
      if (format === 2) {
        at = buf.indexOf(MAGIC, at);
        if (at < 0) break;
        const cand = recordV2(buf, at, next);
        if (cand) {
          found = { at, offset: cand.offset };
          break;
        }
      } else {
        at = buf.indexOf(V1_PAYLOAD_START, at + HEADER_V1) - HEADER_V1;
        if (at < from) break;
        if (recordV1(buf, at)) {
          found = { at, offset: next + 1 };
          break;
        }
      }
      at++;
    }
    if (!found) {
      damaged.push({ pos: from, bytes: buf.length - from, lostRecords: null });
      break;
    }
    damaged.push({ pos: from, bytes: found.at - from, lostRecords: format === 2 ? found.offset - next : 1 });
    if (format === 1) next = found.offset;
    pos = found.at;
  }
  return { format, records, damaged, goodEnd };
}
