import { looksBinary, SyslogFramer } from './framing';

const texts = (frames: { data: Buffer }[]) => frames.map((f) => f.data.toString());

test('LF framing across chunk boundaries, CRLF and a trailing line without LF', () => {
  const f = new SyslogFramer(1000);
  expect(texts(f.push(Buffer.from('<13>a one\r\n<13>b tw')))).toEqual(['<13>a one']);
  expect(texts(f.push(Buffer.from('o\n<13>c')))).toEqual(['<13>b two']);
  expect(texts(f.end())).toEqual(['<13>c']);
});

test('octet counting, including a message that contains a newline, mixed with LF frames', () => {
  const f = new SyslogFramer(1000);
  const m1 = '<34>1 2026-01-01T00:00:00Z h app - - - multi\nline';
  const frames = f.push(Buffer.from(`${Buffer.byteLength(m1)} ${m1}<13>plain line\n`));
  expect(texts(frames)).toEqual([m1, '<13>plain line']);
});

test('octet counting split in the middle of the length and the body', () => {
  const f = new SyslogFramer(1000);
  const m = '<34>1 - h a - - - hello';
  const wire = Buffer.from(`${m.length} ${m}`);
  expect(f.push(wire.subarray(0, 1))).toEqual([]);
  expect(f.push(wire.subarray(1, 10))).toEqual([]);
  expect(texts(f.push(wire.subarray(10)))).toEqual([m]);
});

test('an oversized LF line is cut to the limit, reported, and the next line is intact', () => {
  const f = new SyslogFramer(100);
  const frames = [...f.push(Buffer.from('x'.repeat(150))), ...f.push(Buffer.from('y'.repeat(100) + '\n<13>next\n'))];
  expect(frames.length).toBe(2);
  expect(frames[0]).toMatchObject({ oversized: true });
  expect(frames[0].data.length).toBe(100);
  expect(frames[1]).toMatchObject({ oversized: false });
  expect(frames[1].data.toString()).toBe('<13>next');
});

test('an oversized octet-counted frame is skipped exactly', () => {
  const f = new SyslogFramer(10);
  const frames = [...f.push(Buffer.from('20 <1>aaaaaaaa')), ...f.push(Buffer.from('aaaaaaaaa<13>ok\n'))];
  expect(frames.map((x) => x.oversized)).toEqual([true, false]);
  expect(frames[1].data.toString()).toBe('<13>ok');
});

test('binary detection', () => {
  expect(looksBinary(Buffer.from('<13>normal text with tabs\tok'))).toBe(false);
  expect(looksBinary(Buffer.from([0x3c, 0x31, 0x00, 0x02]))).toBe(true);
  expect(looksBinary(Buffer.from('tiếng Việt có dấu'))).toBe(false);
});
