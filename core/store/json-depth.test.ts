import type { EcsEvent } from '../event';
import { nested } from './hostile-docs.contract';
import { boundDepth, DEPTH_TAG, MAX_STORED_DEPTH } from './json-depth';

function depth(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  return 1 + Math.max(0, ...(Array.isArray(v) ? v : Object.values(v)).map(depth));
}

test('a document nested 3000 deep is kept with its deep part as JSON text, and tagged', () => {
  const ev = { '@timestamp': '2026-01-01T00:00:00.000Z', organization: { id: 'a' }, event: { id: 'e1' }, tags: ['x'], payload: nested(3000) } as unknown as EcsEvent;
  const stored = boundDepth(ev);
  expect(depth(stored)).toBeLessThanOrEqual(MAX_STORED_DEPTH);
  expect(stored.tags).toEqual(['x', DEPTH_TAG]);
  expect(stored.organization?.id).toBe('a');
  let v: unknown = (stored as unknown as Record<string, unknown>).payload;
  while (v && typeof v === 'object') v = (v as Record<string, unknown>).a;
  expect(typeof v).toBe('string');
  expect(v).toBe(JSON.stringify(nested(3000 - (MAX_STORED_DEPTH - 1))));
});

test('a document within the bound is stored as it is; a "__proto__" key stays a plain key', () => {
  const shallow = { '@timestamp': 't', event: { id: 'e' }, user: { name: 'x' } } as unknown as EcsEvent;
  expect(boundDepth(shallow)).toBe(shallow);
  const evil = JSON.parse(`{"event":{"id":"e"},"x":{"__proto__":{"polluted":1},"deep":${JSON.stringify(nested(40))}}}`) as EcsEvent;
  const stored = boundDepth(evil) as unknown as { x: Record<string, unknown> };
  expect(Object.keys(stored.x)).toEqual(['__proto__', 'deep']);
  expect(JSON.parse(JSON.stringify(stored)).x.__proto__).toEqual({ polluted: 1 });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
