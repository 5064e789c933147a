import { jsonDepth, MAX_DOCUMENT_DEPTH, splitBody } from './ingest-documents';

describe('jsonDepth', () => {
  it('counts nesting without recursion, ignoring brackets inside strings and escaped quotes', () => {
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[{{{\\"]]]"}')).toBe(1);
    expect(jsonDepth('"plain"')).toBe(0);
    expect(jsonDepth('['.repeat(200_000) + ']'.repeat(200_000))).toBe(200_000);
  });
});

describe('splitBody', () => {
  it('splits an array into its elements, each judged alone, with the element number', () => {
    const deep = '['.repeat(MAX_DOCUMENT_DEPTH + 1) + ']'.repeat(MAX_DOCUMENT_DEPTH + 1);
    const r = splitBody(`[ {"message":"a, [b]"} ,"text", 42, ${deep}, {"n":{"m":1}} ]`, false, 65536);
    if ('malformed' in r) throw new Error(r.malformed);
    expect(r.docs.map((d) => [d.line, d.value])).toEqual([
      [1, { message: 'a, [b]' }],
      [2, { message: 'text' }],
      [5, { n: { m: 1 } }],
    ]);
    expect(r.rejected.map((x) => [x.line, x.error, x.text.slice(0, 3)])).toEqual([
      [3, 'element 3 must be a JSON object or a string', '42'],
      [4, `element 4 nests ${MAX_DOCUMENT_DEPTH + 1} levels deep; at most ${MAX_DOCUMENT_DEPTH} are accepted`, '[[['],
    ]);
  });

  it('a document exactly at the depth limit is kept', () => {
    const doc = '{"a":'.repeat(MAX_DOCUMENT_DEPTH - 1) + '{}' + '}'.repeat(MAX_DOCUMENT_DEPTH - 1);
    const r = splitBody(doc, false, 1 << 20);
    expect('docs' in r && r.docs.length === 1).toBe(true);
  });

  it('NDJSON: line numbers, strings refused on a line, and NDJSON sent as application/json recognised', () => {
    const r = splitBody('{"a":1}\n"just a string"\n\n{broken\n{"b":2}\n', false, 65536);
    if ('malformed' in r) throw new Error(r.malformed);
    expect(r.docs.map((d) => d.line)).toEqual([1, 5]);
    expect(r.rejected.map((x) => x.line)).toEqual([2, 4]);
    expect(r.rejected[0].error).toBe('NDJSON line 2 must be a JSON object');
    expect(r.rejected[1].error).toMatch(/^NDJSON line 4 is not JSON: /);
  });

  it('a body that is not JSON at all is malformed, with the parser message', () => {
    expect(splitBody('{"message": "unterminated', false, 65536)).toEqual({ malformed: expect.stringMatching(/Unterminated string|Unexpected end/) });
  });

  it('a whole-body document over max_message_bytes is refused like an NDJSON line', () => {
    const r = splitBody(JSON.stringify({ message: 'x'.repeat(2000) }), false, 1024);
    expect('rejected' in r && r.rejected[0].error).toMatch(/^the document of 20\d\d bytes exceeds collector.max_message_bytes \(1024\)$/);
  });
});
