import { getPath, newId, setPath } from './event';

test('ids are 26 characters, unique, and sort in creation order even within one millisecond', () => {
  const ids = Array.from({ length: 5000 }, () => newId(1795851432806));
  expect(new Set(ids).size).toBe(5000);
  expect([...ids].sort()).toEqual(ids);
  expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
  const later = newId(1795851432807 + 1000);
  expect(later > ids[ids.length - 1]).toBe(true);
});

test('getPath reads nested and literal dotted keys; setPath creates the way', () => {
  const doc: Record<string, unknown> = { source: { ip: '10.0.0.1' }, 'id.orig_h': '10.0.0.2', zeek: { 'id.resp_h': '10.0.0.3' } };
  expect(getPath(doc, 'source.ip')).toBe('10.0.0.1');
  expect(getPath(doc, 'id.orig_h')).toBe('10.0.0.2');
  expect(getPath(doc, 'zeek.id.resp_h')).toBe('10.0.0.3');
  expect(getPath(doc, 'source.port')).toBeUndefined();
  expect(getPath(doc, 'nothing.here')).toBeUndefined();
  setPath(doc, 'destination.geo.country_iso_code', 'VN');
  expect(getPath(doc, 'destination.geo.country_iso_code')).toBe('VN');
});
