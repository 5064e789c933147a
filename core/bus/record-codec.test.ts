import { RecordDecodeError } from './errors';
import { decodeRecord, MAX_RECORD_DEPTH } from './record-codec';

const at = { topic: 'events', partition: 2, offset: '41' };
const decode = (text: string | null) => decodeRecord(text === null ? null : Buffer.from(text), at);

test('a JSON value canhgac writes decodes as before', () => {
  expect(decode('{"event":{"id":"e1"},"message":"x","tags":["a",{"b":[1,2]}]}')).toEqual({ event: { id: 'e1' }, message: 'x', tags: ['a', { b: [1, 2] }] });
  expect(decode('42')).toBe(42);
  expect(decode('"text"')).toBe('text');
  expect(decode('null')).toBeNull();
  expect(decode('{"constructor_":"renamed by the collector","__proto___":1}')).toEqual({ constructor_: 'renamed by the collector', __proto___: 1 });
});

test('what is not JSON, has no value, nests too deep or carries a prototype key becomes a RecordDecodeError naming the record and the reason', () => {
  const cases: Array<[string | null, RegExp]> = [
    ['not json {', /not JSON: /],
    [null, /no value/],
    ['{"a":{"__proto__":{"disabled":true}}}', /key "__proto__" at a\.__proto__ is not allowed/],
    ['{"x":[{"constructor":{"prototype":{"polluted":1}}}]}', /key "constructor" at x\[0\]\.constructor/],
    ['{"\\u005f_proto__":{"polluted":1}}', /key "__proto__"/], // escaped in the text, a prototype key once parsed
    ['{"prototype":1}', /key "prototype"/],
    ['['.repeat(100_000) + ']'.repeat(100_000), new RegExp(`nested more than ${MAX_RECORD_DEPTH} levels deep`)],
  ];
  for (const [text, reason] of cases) {
    const v = decode(text);
    expect(v).toBeInstanceOf(RecordDecodeError);
    const e = v as RecordDecodeError;
    expect([text?.slice(0, 40), e.reason]).toEqual([text?.slice(0, 40), expect.stringMatching(reason)]);
    expect(e.message).toMatch(/^bus: record events\/2@41 \(\d+ bytes\) cannot be decoded: /);
    expect(e.size).toBe(text === null ? 0 : Buffer.byteLength(text));
    expect(e.original).toBe(text === null ? '' : text.slice(0, 8192));
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).disabled).toBeUndefined();
});

test('a value that is not text is kept as base64 for the dead letters', () => {
  const e = decodeRecord(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe]), at) as RecordDecodeError;
  expect(e).toBeInstanceOf(RecordDecodeError);
  expect(e.original).toBe('base64:' + Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe]).toString('base64'));
});

test('nesting right at the limit still decodes', () => {
  expect(decode('['.repeat(MAX_RECORD_DEPTH) + ']'.repeat(MAX_RECORD_DEPTH))).not.toBeInstanceOf(RecordDecodeError);
});

test('a decode error becomes a dead letter naming the record and the reason', () => {
  const e = decode('{"__proto__":{}}') as RecordDecodeError;
  expect(e.toDeadLetter('dl-1', new Date('2026-12-03T10:00:00Z'))).toEqual({
    id: 'dl-1',
    at: '2026-12-03T10:00:00.000Z',
    tenant: null,
    listener: 'bus:events',
    source: 'events/2@41',
    reason: expect.stringMatching(/^bus: record events\/2@41 \(16 bytes\) cannot be decoded: key "__proto__"/),
    original: '{"__proto__":{}}',
    size: 16,
  });
});
