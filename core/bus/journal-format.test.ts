import * as zlib from 'node:zlib';
import { crc32, crc32Table, HEADER_V2, scanSegment, sealRecord } from './journal-format';

test('the table CRC-32 (for Node before 20.15) gives the standard values, also when continued, the same as zlib', () => {
  expect(crc32Table(Buffer.from('123456789'))).toBe(0xcbf43926);
  const a = Buffer.from('Đăng nhập thất bại');
  const b = Buffer.from(' from 203.0.113.7');
  expect(crc32Table(b, crc32Table(a))).toBe(crc32Table(Buffer.concat([a, b])));
  const native = (zlib as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;
  if (native) expect(crc32Table(Buffer.concat([a, b]))).toBe(native(Buffer.concat([a, b])));
  expect(crc32(Buffer.concat([a, b]))).toBe(crc32Table(Buffer.concat([a, b])));
});

const record = (offset: number, text: string) => {
  const len = Buffer.byteLength(text);
  const buf = Buffer.alloc(HEADER_V2 + len);
  buf.write(text, HEADER_V2);
  sealRecord(buf, 0, len, offset);
  return buf;
};

test('a scan keeps each record at the offset written in it, and says how many a damaged region held', () => {
  const recs = [0, 1, 2, 3].map((o) => record(o + 2 ** 33, `{"k":null,"t":1,"v":${o}}`));
  recs[1][HEADER_V2 + 3] ^= 0x04;
  const scan = scanSegment(Buffer.concat(recs), 2 ** 33, 2);
  expect(scan.records.map((r) => r.offset - 2 ** 33)).toEqual([0, 2, 3]);
  expect(scan.damaged).toEqual([{ pos: recs[0].length, bytes: recs[1].length, lostRecords: 1 }]);
});
