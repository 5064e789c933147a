/**
 * C2 of issue #11 at parse time, and the tenant: no event leaves `parse` nested deeper than MAX_DEPTH
 * or with more than MAX_KEYS keys (ten datagrams of deeply nested JSON stopped storage for good), and no
 * `organization.*` from a payload survives in any spelling (it would place events in another agency's
 * searches on Elasticsearch/OpenSearch).
 */
import { stampEvent } from '../stamp';
import { MAX_DEPTH, MAX_KEYS, boundDocument, jsonText, newNotes } from './bounds';
import { parse } from './index';

const receivedAt = new Date('2026-03-15T04:00:00Z');
const ctx = { receivedAt, timezone: 'UTC' };

/** Containers below the root on the deepest path, and keys at all levels; iterative like the code under test. */
function shape(v: unknown): { depth: number; keys: number } {
  let depth = 0;
  let keys = 0;
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (!x || typeof x !== 'object') continue;
    depth = Math.max(depth, d);
    const children = Array.isArray(x) ? x : Object.values(x);
    if (!Array.isArray(x)) keys += Object.keys(x).length;
    for (const c of children) if (c && typeof c === 'object') stack.push([c, d + 1]);
  }
  return { depth, keys };
}

const deepObject = (levels: number, leaf = '"end"'): string => '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);
const deepArray = (levels: number): string => '['.repeat(levels) + '1' + ']'.repeat(levels);

describe('nesting depth is bounded at parse time (C2)', () => {
  test.each([
    ['an object 100,000 levels deep', `{"message":"x","payload":${deepObject(100000)}}`],
    ['an array 100,000 levels deep', `{"message":"x","payload":${deepArray(100000)}}`],
    ['a root object 100,000 levels deep', deepObject(100000)],
  ])('%s, as text, as bytes and as a parsed document, gives a storable event that says what was cut', (_what, text) => {
    for (const input of [text, Buffer.from(text), JSON.parse(text) as Record<string, unknown>]) {
      const ev = parse(input, ctx) as Record<string, any>;
      expect(ev.event.kind).toBe('event');
      expect(shape(ev).depth).toBeLessThanOrEqual(MAX_DEPTH);
      expect(ev.tags).toContain('nesting_truncated');
      expect(ev.error.message).toMatch(new RegExp(`nested deeper than ${MAX_DEPTH} levels kept as JSON text \\(first at (payload|a)\\.`));
      // the cut subtree is kept as its (bounded) JSON text, and the event serializes
      expect(() => JSON.stringify(ev)).not.toThrow();
      expect(JSON.stringify(ev).length).toBeLessThan(text.length * 2 + 100000);
    }
  });

  test('a syslog line carrying a deep JSON document, and a deep document inside an agent message', () => {
    const line = `<13>Mar 14 10:00:00 sensor app: {"event_type":"alert","src_ip":"10.0.0.1","x":${deepObject(5000)}}`;
    const agent = { host: { name: 'h' }, message: `{"x":${deepObject(5000)}}` };
    for (const ev of [parse(line, ctx), parse(agent, ctx)] as Array<Record<string, any>>) {
      expect(shape(ev).depth).toBeLessThanOrEqual(MAX_DEPTH);
      expect(ev.tags).toContain('nesting_truncated');
      expect(() => JSON.stringify(ev)).not.toThrow();
    }
  });

  test('a document exactly at the bound is kept whole and untagged', () => {
    const text = `{"host":{"name":"h"},"p":${deepObject(MAX_DEPTH - 1, '{"leaf":1}')}}`;
    const ev = parse(JSON.parse(text) as Record<string, unknown>, ctx) as Record<string, any>;
    expect(shape(ev.p).depth).toBe(MAX_DEPTH - 1);
    expect(ev.tags).toBeUndefined();
  });

  test('the JSON text of a cut subtree is exact when small and cut when huge', () => {
    const notes = newNotes();
    const small = JSON.parse(`{"p":${deepObject(MAX_DEPTH + 3)}}`) as Record<string, unknown>;
    const out = boundDocument(small, notes) as Record<string, any>;
    let cur = out.p;
    for (let i = 1; i < MAX_DEPTH; i++) cur = cur.a;
    expect(JSON.parse(cur.a)).toEqual(JSON.parse(deepObject(3)));
    expect(notes.deep).toBe(1);
    const huge = jsonText(JSON.parse(deepObject(50000)), 1000);
    expect(huge.truncated).toBe(true);
    expect(huge.text.length).toBe(1001);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(jsonText(cyclic).text).toBe('{"a":1,"self":"[Circular]"}');
    // the caller's document is never changed
    expect(shape(small).depth).toBe(MAX_DEPTH + 3);
  });
});

describe('keys per event are bounded (C2)', () => {
  test('100,000 distinct keys keep the first ones and the ECS fields, the rest as one JSON string in log.overflow', () => {
    const doc: Record<string, unknown> = { '@timestamp': '2026-03-14T10:00:00Z', message: 'x', host: { name: 'h' } };
    const many: Record<string, number> = {};
    for (let i = 0; i < 100000; i++) many[`k${i}`] = i;
    doc.data = many;
    for (const input of [doc, JSON.stringify(doc)]) {
      const ev = parse(input, ctx) as Record<string, any>;
      expect(shape(ev).keys).toBeLessThanOrEqual(MAX_KEYS + 20);
      expect(ev.tags).toContain('keys_truncated');
      expect(ev.error.message).toMatch(`more than ${MAX_KEYS} keys`);
      expect(ev['@timestamp']).toBe('2026-03-14T10:00:00.000Z');
      expect(ev.host.name).toBe('h');
      expect(ev.data.k0).toBe(0);
      expect(ev.data.k99999).toBeUndefined();
      expect(typeof ev.log.overflow).toBe('string');
      // nothing is lost: every key cut from the event is in the one overflow string
      const overflow = JSON.parse(ev.log.overflow) as Record<string, number>;
      expect(overflow['data.k99999']).toBe(99999);
      expect(Object.keys(ev.data).length + Object.keys(overflow).length).toBe(100000);
    }
  });

  test('100,000 keys at the root still give an event with its timestamp, kind and original', () => {
    const doc: Record<string, unknown> = {};
    for (let i = 0; i < 100000; i++) doc[`k${i}`] = i;
    doc['@timestamp'] = '2026-03-14T10:00:00Z';
    const ev = parse(doc, ctx) as Record<string, any>;
    expect(ev.event.kind).toBe('event');
    expect(typeof ev.event.original).toBe('string');
    expect(ev.tags).toContain('keys_truncated');
    expect(shape(ev).keys).toBeLessThanOrEqual(MAX_KEYS + 20);
  });

  test('a real EVE document with hundreds of keys is not touched', () => {
    const doc: Record<string, unknown> = { timestamp: '2026-03-14T10:00:00.000+0000', event_type: 'stats', stats: {} };
    for (let i = 0; i < 500; i++) (doc.stats as Record<string, number>)[`counter_${i}`] = i;
    const ev = parse(doc, { ...ctx, format: 'suricata' }) as Record<string, any>;
    expect(ev.tags ?? []).not.toContain('keys_truncated');
  });
});

describe('organization.* from a payload never survives (the tenant comes from the credential)', () => {
  test.each([
    ['an organization object', { organization: { id: 'agency-b', name: 'B' }, message: 'hello' }],
    ['a dotted organization.id', { 'organization.id': 'agency-b', message: 'hello' }],
    ['a dotted organization.id.x', { 'organization.id.x': 'agency-b', message: 'hello' }],
    ['a dotted organization.name', { 'organization.name': 'B', host: { name: 'h' } }],
    ['inside a message that is JSON', { message: '{"organization.id":"agency-b","organization":{"id":"agency-b"},"user":{"name":"u"}}' }],
    ['inside a raw line in message', { message: '<13>Mar 14 10:00:00 h app: {"organization.id":"agency-b","event_type":"alert","src_ip":"10.0.0.1"}' }],
  ])('%s: removed, tagged, and only the credential\'s tenant is stamped', (_what, payload) => {
    for (const input of [payload as Record<string, unknown>, JSON.stringify(payload)]) {
      const parsed = parse(input, ctx) as Record<string, any>;
      expect(Object.keys(parsed).filter((k) => k.startsWith('organization'))).toEqual([]);
      expect(parsed.tags).toContain('organization_removed');
      const ev = stampEvent('http:ingest', { raw: input, tenant: 'agency-a' }, receivedAt, 'UTC') as Record<string, any>;
      expect(Object.keys(ev).filter((k) => k.startsWith('organization'))).toEqual(['organization']);
      expect(ev.organization).toEqual({ id: 'agency-a' });
    }
  });

  test('organization under another field is ordinary data (user.organization is not the tenant)', () => {
    const ev = parse({ user: { name: 'u', organization: 'o' }, host: { organization: { id: 'x' } } }, ctx) as Record<string, any>;
    expect(ev.user.organization).toBe('o');
    expect(ev.host.organization).toEqual({ id: 'x' });
    expect(ev.tags).toBeUndefined();
  });
});

test('a caller document that refers to itself (not JSON) gives an event, not a hang', () => {
  const doc: Record<string, unknown> = { message: 'x', host: { name: 'h' } };
  (doc.host as Record<string, unknown>).loop = doc;
  const ev = parse(doc, ctx) as Record<string, any>;
  expect(typeof ev.event.original).toBe('string');
  expect(() => JSON.stringify(ev)).not.toThrow();
});
