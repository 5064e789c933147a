/**
 * The Lumberjack v2 codec (Beats output.logstash), apart from the transport: frame types, the
 * byte queue frames are read from, the data frames inside an inflated compressed frame, the
 * ACK frame, and why a stream that is not Lumberjack v2 was refused. The Beats listener holds
 * the connection state (windows, back-pressure, ACK timing) around it.
 */

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
