/** Events and feeds written after the MISP core format (draft-dulaunoy-misp-core-format) and the feed layout MISP publishes (manifest.json + <uuid>.json). */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ImportError } from '../indicator';
import { importInto, memoryStore, tempDir, writeFile } from '../testkit';

const dir = tempDir();
const uuid1 = '5e3b2a7c-1f3c-4b8e-9d2a-0a1b2c3d4e5f';
const uuid2 = '6f4c3b8d-2a4d-4c9f-8e3b-1b2c3d4e5f60';
const attr = (type: string, value: string, extra: object = {}) => ({ uuid: '7a5d4c9e-3b5e-4d0a-9f4c-2c3d4e5f6071', type, category: 'Network activity', to_ids: true, value, timestamp: '1767225600', comment: '', ...extra });
const event = (uuid: string, attributes: object[], objects: object[] = []) => ({
  Event: { uuid, info: 'Emotet campaign against provincial agencies', date: '2026-03-01', threat_level_id: '1', analysis: '2', Orgc: { name: 'VNCERT' }, Tag: [{ name: 'tlp:amber' }], Attribute: attributes, Object: objects },
});

test('a MISP event export imports address, domain, URL and hash attributes (also inside objects and composite ones); others are passed over', async () => {
  const store = memoryStore();
  const file = writeFile(dir, 'event.json', event(uuid1, [
    attr('ip-dst', '203.0.113.7'),
    attr('ip-dst|port', '198.51.100.4|8443'),
    attr('domain|ip', 'c2.example|192.0.2.33'),
    attr('hostname', 'update.evil.example', { Tag: [{ name: 'kill-chain:c2' }] }),
    attr('url', 'http://bad.example/gate.php'),
    attr('filename|sha256', 'invoice.exe|' + 'e'.repeat(64), { category: 'Payload delivery' }),
    attr('email-src', 'phish@example.org'),
    attr('ip-src', '192.0.2.200', { to_ids: false }),
  ], [{ name: 'file', Attribute: [attr('md5', 'f'.repeat(32), { category: 'Payload delivery' })] }]));
  const r = await importInto(store, file, 'misp');
  expect(r.indicators.map((i) => `${i.type}:${i.value}`)).toEqual([
    'ipv4:203.0.113.7', 'ipv4:198.51.100.4', 'domain:c2.example', 'ipv4:192.0.2.33', 'domain:update.evil.example', 'url:http://bad.example/gate.php', `sha256:${'e'.repeat(64)}`, `md5:${'f'.repeat(32)}`,
  ]);
  expect(r.indicators[4]).toMatchObject({ source: 'VNCERT', tags: ['tlp:amber', 'kill-chain:c2', 'misp:category=Network activity'], description: 'Emotet campaign against provincial agencies', last_seen: '2026-01-01T00:00:00.000Z' });
  expect(r.skipped.map((s) => s.reason)).toEqual(['attribute type email-src is not matched', 'not marked for detection (to_ids false)']);
  await store.close();
});

test('a MISP feed folder (manifest.json and one file per event) imports every event it lists', async () => {
  const store = memoryStore();
  const feed = path.join(dir, 'feed');
  mkdirSync(feed);
  writeFile(feed, 'manifest.json', { [uuid1]: { info: 'one', Orgc: { name: 'VNCERT' }, timestamp: '1767225600' }, [uuid2]: { info: 'two', Orgc: { name: 'VNCERT' }, timestamp: '1767225600' } });
  writeFile(feed, `${uuid1}.json`, event(uuid1, [attr('ip-dst', '203.0.113.7')]));
  writeFile(feed, `${uuid2}.json`, event(uuid2, [attr('sha1', 'a'.repeat(40))]));
  const r = await importInto(store, feed, 'misp');
  expect(r.indicators.map((i) => i.value)).toEqual(['203.0.113.7', 'a'.repeat(40)]);
  expect((await importInto(store, path.join(feed, 'manifest.json'), 'misp')).updated).toBe(2);
  await store.close();
});

test.each([
  ['an attribute without a value', () => writeFile(dir, 'e1.json', event(uuid1, [attr('ip-dst', '203.0.113.7'), { ...attr('domain', 'x'), value: undefined }])), /^Event\.Attribute\[1\] \(7a5d4c9e-3b5e-4d0a-9f4c-2c3d4e5f6071\): "value" is missing/],
  ['a value not of its type', () => writeFile(dir, 'e2.json', event(uuid1, [attr('ip-dst', '203.0.113.7'), attr('md5', 'xyz')])), /^Event\.Attribute\[1\] .*md5: "xyz" is not a MD5 hash/],
  ['a composite value with one part', () => writeFile(dir, 'e3.json', event(uuid1, [attr('domain|ip', 'c2.example')])), /^Event\.Attribute\[0\] .*2 parts joined by "\|"/],
  ['not an event', () => writeFile(dir, 'e4.json', { Attribute: [] }), /^the file: is not a MISP event/],
  ['a feed whose manifest names a missing event', () => {
    const feed = path.join(dir, 'broken-feed');
    mkdirSync(feed, { recursive: true });
    writeFile(feed, 'manifest.json', { [uuid1]: {}, [uuid2]: {} });
    writeFile(feed, `${uuid1}.json`, event(uuid1, [attr('ip-dst', '203.0.113.7')]));
    return feed;
  }, new RegExp(`^manifest.json "${uuid2}": names an event whose file ${uuid2}.json is not in`)],
])('%s rejects the import naming the attribute or file and the reason; nothing is stored', async (_, make, reason) => {
  const store = memoryStore();
  const err = await importInto(store, make(), 'misp').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ImportError);
  expect((err as Error).message).toMatch(reason);
  expect((await store.listIndicators({ tenants: null })).total).toBe(0);
  await store.close();
});
