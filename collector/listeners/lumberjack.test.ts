import { deflateSync } from 'node:zlib';
import { ackFrame, ByteQueue, inflateFrame, innerDataFrame, notLumberjack, ProtocolError, takeFrame, type StreamFrame } from './lumberjack';

const dataFrame = (seq: number, json: string) => {
  const b = Buffer.from(json);
  const h = Buffer.alloc(10);
  h.write('2J', 0, 'latin1');
  h.writeUInt32BE(seq, 2);
  h.writeUInt32BE(b.length, 6);
  return Buffer.concat([h, b]);
};

test('the data frames of an inflated compressed frame are read one after the other, and a damaged one is named', () => {
  const buf = Buffer.concat([dataFrame(1, '{"a":1}'), dataFrame(2, '{"b":2}')]);
  const first = innerDataFrame(buf, 0);
  expect([first.seq, first.payload.toString()]).toEqual([1, '{"a":1}']);
  const second = innerDataFrame(buf, first.next);
  expect([second.seq, second.payload.toString(), second.next]).toEqual([2, '{"b":2}', buf.length]);
  expect(() => innerDataFrame(buf.subarray(0, buf.length - 2), first.next)).toThrow('a compressed frame ends inside event 2 (7 bytes announced)');
  expect(() => innerDataFrame(Buffer.from('2W\0\0\0\x01\0\0\0\0'), 0)).toThrow("a compressed frame holds a frame of type 'W' (only JSON data frames '2J' belong there)");
  expect(() => innerDataFrame(Buffer.from('2J\0\0'), 0)).toThrow('a compressed frame ends inside a data frame header');
});

test('an ACK names the last sequence number; bytes are taken across chunks; a stream that is not Lumberjack v2 is explained', () => {
  expect([...ackFrame(258)]).toEqual([0x32, 0x41, 0, 0, 1, 2]);
  const q = new ByteQueue();
  q.push(Buffer.from('2W'));
  q.push(Buffer.from('\0\0\0\x05rest'));
  expect(q.take(6).toString('latin1')).toBe('2W\0\0\0\x05');
  expect([q.length, q.peek(4).toString()]).toEqual([4, 'rest']);
  expect(notLumberjack(Buffer.from('GET / HTTP/1.1'), false)).toMatch(/an HTTP request on the Beats listener/);
  expect(notLumberjack(Buffer.from([0x16, 0x03, 0x01]), false)).toMatch(/configure collector.beats.tls/);
});

const windowFrame = (count: number) => {
  const b = Buffer.from('2W\0\0\0\0', 'latin1');
  b.writeUInt32BE(count, 2);
  return b;
};
const compressedFrame = (inner: Buffer) => {
  const z = deflateSync(inner);
  const h = Buffer.from('2C\0\0\0\0', 'latin1');
  h.writeUInt32BE(z.length, 2);
  return Buffer.concat([h, z]);
};
const LIMITS = { maxMessageBytes: 64, maxCompressedBytes: 4096 };

/** Every frame of `stream` fed `step` bytes at a time, as a socket could hand them over. */
function frames(stream: Buffer, step: number): StreamFrame[] {
  const q = new ByteQueue();
  const out: StreamFrame[] = [];
  for (let at = 0; at < stream.length; at += step) {
    q.push(stream.subarray(at, at + step));
    for (let f = takeFrame(q, LIMITS, false); f; f = takeFrame(q, LIMITS, false)) out.push(f);
  }
  expect(q.length).toBe(0);
  return out;
}

test('frames split anywhere across reads come out whole, the same as read at once', () => {
  const stream = Buffer.concat([windowFrame(2), dataFrame(1, '{"a":1}'), dataFrame(2, '{"message":"một dòng"}'), windowFrame(0)]);
  const whole = frames(stream, stream.length);
  expect(whole.map((f) => f.type)).toEqual(['window', 'data', 'data', 'window']);
  expect(whole[2]).toMatchObject({ type: 'data', seq: 2, payload: Buffer.from('{"message":"một dòng"}') });
  for (const step of [1, 3, 7, 11]) expect(frames(stream, step)).toEqual(whole);
  const q = new ByteQueue();
  q.push(dataFrame(5, '{"a":1}').subarray(0, 12)); // a header and part of the payload: nothing is taken yet
  expect([takeFrame(q, LIMITS, false), q.length]).toEqual([null, 12]);
});

test('an event over the message limit gives its header and leaves its bytes to skip, without buffering them', () => {
  const q = new ByteQueue();
  q.push(dataFrame(9, JSON.stringify({ message: 'x'.repeat(100) })).subarray(0, 20));
  expect(takeFrame(q, LIMITS, false)).toEqual({ type: 'oversized', seq: 9, size: 114 });
  expect(q.length).toBe(10); // the payload bytes that arrived, for the reader to skip
});

test('a compressed frame, split across reads, inflates to its data frames', async () => {
  const inner = Buffer.concat([dataFrame(1, '{"a":1}'), dataFrame(2, '{"b":2}')]);
  const [w, c] = frames(Buffer.concat([windowFrame(2), compressedFrame(inner)]), 5);
  expect(w).toEqual({ type: 'window', count: 2 });
  expect(c.type).toBe('compressed');
  const out = await inflateFrame(c as Extract<StreamFrame, { type: 'compressed' }>, LIMITS.maxCompressedBytes);
  const first = innerDataFrame(out, 0);
  expect([first.seq, innerDataFrame(out, first.next).payload.toString()]).toEqual([1, '{"b":2}']);
});

test('garbage, a zip bomb and an oversized compressed frame are refused with the reason', async () => {
  const refused = (bytes: Buffer | string, limits = LIMITS) => {
    const q = new ByteQueue();
    q.push(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1'));
    try {
      takeFrame(q, limits, false);
    } catch (e) {
      expect(e).toBeInstanceOf(ProtocolError);
      return (e as Error).message;
    }
    return 'accepted';
  };
  expect(refused('<134>Dec  3 syslog on the Beats port')).toBe("not a Lumberjack v2 frame: version byte '<', expected '2'");
  expect(refused('POST /_bulk HTTP/1.1')).toMatch(/an HTTP request on the Beats listener/);
  expect(refused('1W\0\0\0\x01')).toMatch(/Lumberjack v1 frames are not supported/);
  expect(refused('2X\0\0')).toBe("unknown frame type 'X' (expected '2W', '2J' or '2C')");
  expect(refused(compressedFrame(Buffer.alloc(10)), { maxMessageBytes: 64, maxCompressedBytes: 8 })).toMatch(/a compressed frame of \d+ bytes exceeds collector\.beats\.max_window_bytes \(8\)/);
  expect(refused('2')).toBe('accepted'); // one byte says nothing yet
  const bomb = compressedFrame(Buffer.alloc(1024 * 1024));
  await expect(inflateFrame({ size: bomb.length - 6, data: bomb.subarray(6) }, 4096)).rejects.toThrow(/inflates beyond collector\.beats\.max_window_bytes \(4096\); refused as a zip bomb/);
  await expect(inflateFrame({ size: 4, data: Buffer.from('junk') }, 4096)).rejects.toThrow(/a compressed frame is not valid zlib data/);
});
