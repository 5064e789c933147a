import { stampEvent, unparsedEvent } from './stamp';

const receivedAt = new Date('2026-03-15T04:00:00Z');
const deep = (levels: number): Record<string, unknown> => JSON.parse('{"a":'.repeat(levels) + '1' + '}'.repeat(levels)) as Record<string, unknown>;

describe('stamping', () => {
  test('an item kept unparsed (a stuck worker) that is a document too deep for JSON.stringify is still kept, with its text and the tenant', () => {
    const ev = unparsedEvent('http:ingest', { raw: deep(100000), tenant: 'agency-a' }, receivedAt, '01J0000000000000000000000', 'parse worker stuck for 30 s') as Record<string, any>;
    expect(ev.event).toMatchObject({ kind: 'pipeline_error', reason: 'parse worker stuck for 30 s', id: '01J0000000000000000000000' });
    expect(ev.organization).toEqual({ id: 'agency-a' });
    expect(ev.event.original.startsWith('{"a":{"a":')).toBe(true);
    expect(ev.event.original.length).toBe(100000 * 6 + 1);
    expect(() => JSON.stringify(ev)).not.toThrow();
  });

  test('a parsed document 100,000 levels deep is stamped and serializes', () => {
    const ev = stampEvent('http:ingest', { raw: deep(100000), tenant: 'agency-a', sourceIp: '10.0.0.9' }, receivedAt, 'UTC') as Record<string, any>;
    expect(ev.organization).toEqual({ id: 'agency-a' });
    expect(ev.tags).toContain('nesting_truncated');
    expect(() => JSON.stringify(ev)).not.toThrow();
  });
});
