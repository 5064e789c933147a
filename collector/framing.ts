/**
 * Syslog over a stream (RFC 6587): octet counting ("123 <34>1 ...") or LF-terminated
 * lines, decided per frame, so one connection may switch. Frames longer than the
 * maximum are cut to the limit and reported, never buffered without bound.
 */

export type Frame = { data: Buffer; oversized: false } | { data: Buffer; oversized: true; size: number };

export class SyslogFramer {
  private buf: Buffer = Buffer.alloc(0);
  private skipping = 0; // bytes still to discard from an oversized octet-counted frame
  private discardingLine = false; // inside an oversized LF frame: drop until the next LF

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    let data = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    this.buf = Buffer.alloc(0);
    let pos = 0;
    while (pos < data.length) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, data.length - pos);
        this.skipping -= n;
        pos += n;
        continue;
      }
      if (this.discardingLine) {
        const lf = data.indexOf(10, pos);
        if (lf < 0) {
          pos = data.length;
          break;
        }
        this.discardingLine = false;
        pos = lf + 1;
        continue;
      }
      const c = data[pos];
      if (c === 10 || c === 13 || c === 0) {
        pos++;
        continue;
      }
      // octet counting: digits, one space, then the message (which starts with "<")
      if (c >= 0x31 && c <= 0x39) {
        let i = pos;
        while (i < data.length && i - pos < 10 && data[i] >= 0x30 && data[i] <= 0x39) i++;
        if (i >= data.length) break; // need more bytes to decide
        if (data[i] === 0x20) {
          if (i + 1 >= data.length) break;
          if (data[i + 1] === 0x3c) {
            const len = Number(data.toString('latin1', pos, i));
            const start = i + 1;
            if (len > this.maxBytes) {
              const have = Math.min(len, data.length - start);
              out.push({ data: Buffer.from(data.subarray(start, start + Math.min(have, this.maxBytes))), oversized: true, size: len });
              this.skipping = len - have;
              pos = start + have;
              continue;
            }
            if (data.length - start < len) break;
            out.push({ data: Buffer.from(data.subarray(start, start + len)), oversized: false });
            pos = start + len;
            continue;
          }
        }
      }
      const lf = data.indexOf(10, pos);
      const end = lf < 0 ? data.length : lf;
      if (end - pos > this.maxBytes) {
        out.push({ data: Buffer.from(data.subarray(pos, pos + this.maxBytes)), oversized: true, size: end - pos });
        if (lf < 0) {
          this.discardingLine = true;
          pos = data.length;
        } else pos = lf + 1;
        continue;
      }
      if (lf < 0) break;
      let stop = lf;
      if (stop > pos && data[stop - 1] === 13) stop--;
      out.push({ data: Buffer.from(data.subarray(pos, stop)), oversized: false });
      pos = lf + 1;
    }
    if (pos < data.length) this.buf = Buffer.from(data.subarray(pos));
    return out;
  }

  /** What is left when the sender closes: a last line without LF is still a message. */
  end(): Frame[] {
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    if (this.skipping > 0 || this.discardingLine || rest.length === 0) return [];
    let s = 0;
    while (s < rest.length && (rest[s] === 10 || rest[s] === 13 || rest[s] === 0)) s++;
    if (s >= rest.length) return [];
    const m = /^([1-9]\d{0,9}) </.exec(rest.toString('latin1', s, Math.min(rest.length, s + 12)));
    if (m) {
      const start = s + m[1].length + 1;
      return [{ data: Buffer.from(rest.subarray(start, Math.min(rest.length, start + Number(m[1])))), oversized: false }];
    }
    return [{ data: Buffer.from(rest.subarray(s)), oversized: false }];
  }

  get buffered(): number {
    return this.buf.length;
  }
}

/** Binary garbage: NUL bytes or mostly control characters. Such a frame is a dead letter, not an event. */
export function looksBinary(data: Buffer): boolean {
  if (data.length === 0) return false;
  let control = 0;
  for (const b of data) {
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32) || b === 127) control++;
  }
  return control / data.length > 0.1;
}
