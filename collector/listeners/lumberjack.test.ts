import { ackFrame, ByteQueue, innerDataFrame, notLumberjack } from './lumberjack';

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
