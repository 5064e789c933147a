/**
 * The Lumberjack v2 codec (Beats output.logstash), apart from the transport: frame types, the
 * byte queue frames are read from, the frames of the stream taken whole off that queue, the data
 * frames inside an inflated compressed frame, the ACK frame, and why a stream that is not
 * Lumberjack v2 was refused. The Beats listener holds the connection state (windows,
 * back-pressure, inflating, ACK timing) around it.
 */
import { inflate } from 'node:zlib';

export const V2 = 0x32; // '2'
export const WINDOW = 0x57; // 'W'
export const JSON_FRAME = 0x4a; // 'J'
export const COMPRESSED = 0x43; // 'C'
export const ACK = 0x41; // 'A'

export class ProtocolError extends Error {}

/** Received bytes, consumed frame by frame without copying more than a frame. */
export class ByteQueue {
  private chunks: Buffer[] = [];
  length = 0;

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.length += b.length;
  }

  peek(n: number): Buffer {
    if (this.chunks[0].length >= n) return this.chunks[0].subarray(0, n);
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    for (const c of this.chunks) {
      const k = Math.min(c.length, n - at);
      c.copy(out, at, 0, k);
      at += k;
      if (at === n) break;
    }
    return out;
  }

  take(n: number): Buffer {
    const out = this.peek(n);
    this.skip(n);
    return out;
  }

  skip(n: number): void {
    this.length -= n;
    while (n > 0) {
      const c = this.chunks[0];
      if (c.length <= n) {
        n -= c.length;
        this.chunks.shift();
      } else {
        this.chunks[0] = c.subarray(n);
        n = 0;
      }
    }
  }

  clear(): void {
    this.chunks = [];
    this.length = 0;
  }
}

export function describe(b: Buffer): string {
  const c = b[0];
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `0x${c.toString(16).padStart(2, '0')}`;
}

/** Why a stream that does not start like Lumberjack v2 was refused, in the operator's words. */
export function notLumberjack(head: Buffer, tlsListener: boolean): string {
  if (head[0] === 0x16 && head[1] === 0x03 && !tlsListener) return 'a TLS handshake on the plain Beats listener: configure collector.beats.tls, or turn ssl off in the Beats output';
  if (head[0] === 0x31) return 'Lumberjack v1 frames are not supported: use Beats 5 or later (protocol v2)';
  if (/^[A-Z]{3,7} \//.test(head.toString('latin1'))) return 'an HTTP request on the Beats listener (send HTTP to the HTTP ingest port)';
  return `not a Lumberjack v2 frame: version byte ${describe(head)}, expected '2'`;
}

/** The ACK frame for the last durable sequence number of a window. */
export function ackFrame(seq: number): Buffer {
  const b = Buffer.allocUnsafe(6);
  b[0] = V2;
  b[1] = ACK;
  b.writeUInt32BE(seq >>> 0, 2);
  return b;
}

/** The JSON data frame at `at` inside an inflated compressed frame ('2J' seq size payload); throws a ProtocolError naming what is wrong. */
export function innerDataFrame(buf: Buffer, at: number): { seq: number; size: number; payload: Buffer; next: number } {
  if (buf.length - at < 10) throw new ProtocolError('a compressed frame ends inside a data frame header');
  if (buf[at] !== V2 || buf[at + 1] !== JSON_FRAME) throw new ProtocolError(`a compressed frame holds a frame of type ${describe(buf.subarray(at + 1))} (only JSON data frames '2J' belong there)`);
  const seq = buf.readUInt32BE(at + 2);
  const size = buf.readUInt32BE(at + 6);
  if (buf.length - at - 10 < size) throw new ProtocolError(`a compressed frame ends inside event ${seq} (${size} bytes announced)`);
  return { seq, size, payload: buf.subarray(at + 10, at + 10 + size), next: at + 10 + size };
}

/** A frame of the stream, taken whole off the queue. */
export type StreamFrame =
  | { type: 'window'; count: number }
  | { type: 'data'; seq: number; size: number; payload: Buffer }
  /** a data frame over the message limit: its header is taken, its `size` bytes still follow and are the reader's to skip */
  | { type: 'oversized'; seq: number; size: number }
  | { type: 'compressed'; size: number; data: Buffer };

export interface FrameLimits {
  maxMessageBytes: number; // collector.max_message_bytes: a larger event is skipped, not buffered
  maxCompressedBytes: number; // collector.beats.max_window_bytes: a larger compressed frame breaks the stream
}

/** The type byte of the frame at the head of the queue, or null before two bytes arrived; throws a ProtocolError for a stream that is not Lumberjack v2. */
export function frameType(queue: ByteQueue, tlsListener: boolean): number | null {
  if (queue.length < 2) return null;
  const hdr = queue.peek(2);
  if (hdr[0] !== V2) throw new ProtocolError(notLumberjack(queue.peek(Math.min(queue.length, 8)), tlsListener));
  if (hdr[1] !== WINDOW && hdr[1] !== JSON_FRAME && hdr[1] !== COMPRESSED) throw new ProtocolError(`unknown frame type ${describe(hdr.subarray(1))} (expected '2W', '2J' or '2C')`);
  return hdr[1];
}

/** The next whole frame, taken off the queue; null (nothing taken) while its bytes are still arriving. */
export function takeFrame(queue: ByteQueue, limits: FrameLimits, tlsListener: boolean): StreamFrame | null {
  const type = frameType(queue, tlsListener);
  if (type === WINDOW) {
    if (queue.length < 6) return null;
    return { type: 'window', count: queue.take(6).readUInt32BE(2) };
  }
  if (type === JSON_FRAME) {
    if (queue.length < 10) return null;
    const h = queue.peek(10);
    const seq = h.readUInt32BE(2);
    const size = h.readUInt32BE(6);
    if (size > limits.maxMessageBytes) {
      // the frame says how long it is: it can be skipped, keeping its head, rather than refuse the whole window
      queue.skip(10);
      return { type: 'oversized', seq, size };
    }
    if (queue.length < 10 + size) return null;
    queue.skip(10);
    return { type: 'data', seq, size, payload: queue.take(size) };
  }
  if (type === COMPRESSED) {
    if (queue.length < 6) return null;
    const size = queue.peek(6).readUInt32BE(2);
    if (size > limits.maxCompressedBytes) throw new ProtocolError(`a compressed frame of ${size} bytes exceeds collector.beats.max_window_bytes (${limits.maxCompressedBytes}): lower bulk_max_size in the Beats output or raise the limit`);
    if (queue.length < 6 + size) return null;
    queue.skip(6);
    return { type: 'compressed', size, data: queue.take(size) };
  }
  return null;
}

/** The data frames a compressed frame holds, inflated to at most `maxBytes` (a larger result is a zip bomb); rejects with a ProtocolError naming why. */
export function inflateFrame(frame: { size: number; data: Buffer }, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    inflate(frame.data, { maxOutputLength: maxBytes }, (err, out) => {
      if (!err) return resolve(out);
      reject(
        new ProtocolError(
          (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
            ? `a compressed frame of ${frame.size} bytes inflates beyond collector.beats.max_window_bytes (${maxBytes}); refused as a zip bomb (lower bulk_max_size in the Beats output, or raise the limit)`
            : `a compressed frame is not valid zlib data: ${err.message}`,
        ),
      );
    }),
  );
}
