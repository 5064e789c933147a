/** Bundles written after OASIS STIX 2.1 (cs02, sections 4.7 Indicator, 9 Patterning). */
import { ImportError } from '../indicator';
import { importInto, memoryStore, tempDir, writeFile } from '../testkit';

const dir = tempDir();
const identity = { type: 'identity', spec_version: '2.1', id: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'VNCERT', identity_class: 'organization' };
const indicator = (n: number, pattern: string, extra: object = {}) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd${String(n).padStart(2, '0')}`,
  created: '2026-02-01T00:00:00.000Z', modified: '2026-02-02T00:00:00.000Z', created_by_ref: identity.id,
  name: `Indicator ${n}`, indicator_types: ['malicious-activity'], pattern, pattern_type: 'stix', valid_from: '2026-02-01T00:00:00Z', ...extra,
});
const bundle = (objects: object[]) => ({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects });

test('a bundle imports ipv4, ipv6, domain, URL and file-hash indicators; OR patterns give one indicator per value; others are reported as passed over', async () => {
  const store = memoryStore();
  const file = writeFile(dir, 'bundle.json', bundle([
    identity,
    indicator(1, "[ipv4-addr:value = '203.0.113.7']", { confidence: 85, valid_until: '2027-02-01T00:00:00Z', labels: ['c2'] }),
    indicator(2, "[ipv6-addr:value = '2001:db8::7']"),
    indicator(3, "[domain-name:value = 'evil.example'] OR [domain-name:value = 'evil2.example']"),
    indicator(4, "[url:value = 'http://bad.example/a.php']"),
    indicator(5, "[file:hashes.'SHA-256' = '" + 'c'.repeat(64) + "' OR file:hashes.MD5 = '" + 'd'.repeat(32) + "']"),
    indicator(6, "[process:name = 'evil.exe']"),
    indicator(7, "[ipv4-addr:value = '192.0.2.1'] AND [domain-name:value = 'x.example']"),
    { type: 'malware', spec_version: '2.1', id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z', name: 'Emotet', is_family: true },
  ]));
  const r = await importInto(store, file, 'stix');
  expect(r.indicators.map((i) => `${i.type}:${i.value}`)).toEqual(['ipv4:203.0.113.7', 'ipv6:2001:db8::7', 'domain:evil.example', 'domain:evil2.example', 'url:http://bad.example/a.php', `sha256:${'c'.repeat(64)}`, `md5:${'d'.repeat(32)}`]);
  expect(r.indicators[0]).toMatchObject({ source: 'VNCERT', confidence: 85, expires: '2027-02-01T00:00:00.000Z', first_seen: '2026-02-01T00:00:00.000Z', tags: ['c2', 'malicious-activity'], description: 'Indicator 1' });
  expect(r.skipped.map((s) => s.where.slice(0, 11))).toEqual(['objects[6] ', 'objects[7] ']);
  expect(r.skipped[1].reason).toMatch(/AND patterns are not matched/);
  await store.close();
});

test.each([
  ['not JSON', '{"type": "bundle", ', /^the file: is not JSON/],
  ['not a bundle', JSON.stringify({ type: 'indicator' }), /^the file: is not a STIX bundle/],
  ['an indicator without a pattern', JSON.stringify(bundle([indicator(1, "[ipv4-addr:value = '203.0.113.7']"), { ...indicator(2, ''), pattern: undefined }])), /^objects\[1\] \(indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd02\): "pattern" is missing/],
  ['a broken pattern', JSON.stringify(bundle([indicator(1, "[ipv4-addr:value = '203.0.113.7'")])), /^objects\[0\] .*a "\[" is never closed/],
  ['a value not of its type', JSON.stringify(bundle([indicator(1, "[ipv4-addr:value = 'evil.example']")])), /^objects\[0\] .*"evil\.example" is not an IPV4 address/],
  ['a bad valid_from', JSON.stringify(bundle([indicator(1, "[ipv4-addr:value = '203.0.113.7']", { valid_from: 'yesterday' })])), /^objects\[0\] .*valid_from: "yesterday" is not a date/],
  ['a confidence out of range', JSON.stringify(bundle([indicator(1, "[ipv4-addr:value = '203.0.113.7']", { confidence: 101 })])), /^objects\[0\] .*confidence 101 is not an integer from 0 to 100/],
])('%s rejects the bundle naming the object and the reason; nothing is stored', async (_, text, reason) => {
  const store = memoryStore();
  const err = await importInto(store, writeFile(dir, 'bad.json', text), 'stix').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ImportError);
  expect((err as Error).message).toMatch(reason);
  expect((await store.listIndicators({ tenants: null })).total).toBe(0);
  await store.close();
});
