import { ImportError } from '../indicator';
import { importInto, memoryStore, tempDir, writeFile } from '../testkit';

const dir = tempDir();

test('a CSV with a header imports every row with its type, confidence, tags, description and expiry', async () => {
  const store = memoryStore();
  const file = writeFile(dir, 'cert.csv', [
    '# national CERT list 2026-03',
    'type,value,confidence,tags,description,expires',
    'ipv4,203.0.113.7,90,c2;emotet,"C2 server, seen in phishing",2027-01-01T00:00:00Z',
    'ipv4,198.51.100.0/24,60,scanner,,',
    'domain,Evil-Update.Example.,80,c2,,',
    'url,HTTP://Bad.Example/dl/payload.exe,70,,,',
    'sha256,' + 'A'.repeat(64) + ',95,ransomware,,',
    'ipv6,2001:DB8:0:0::1,50,,,',
  ].join('\n'));
  const r = await importInto(store, file, 'csv');
  expect([r.added, r.updated]).toEqual([6, 0]);
  const items = (await store.listIndicators({ tenants: null, limit: 10 })).items;
  const byValue = Object.fromEntries(items.map((i) => [i.value, i]));
  expect(Object.keys(byValue).sort()).toEqual(['198.51.100.0/24', '2001:db8::1', '203.0.113.7', 'a'.repeat(64), 'evil-update.example', 'http://bad.example/dl/payload.exe']);
  expect(byValue['203.0.113.7']).toMatchObject({ type: 'ipv4', confidence: 90, tags: ['c2', 'emotet'], description: 'C2 server, seen in phishing', expires: '2027-01-01T00:00:00.000Z', source: 'test-cert' });
  expect(Date.parse(byValue['evil-update.example'].expires!)).toBeGreaterThan(Date.now() + 29 * 86_400_000); // --ttl 30d for rows without expiry
  // a second import updates instead of duplicating
  expect(await importInto(store, file, 'csv')).toMatchObject({ added: 0, updated: 6 });
  expect((await store.listIndicators({ tenants: null })).total).toBe(6);
  await store.close();
});

test('a plain list has one value per line, types inferred', async () => {
  const store = memoryStore();
  const r = await importInto(store, writeFile(dir, 'list.txt', '203.0.113.9\nmalware.example\n' + 'b'.repeat(32) + '\nhttps://x.example/a\n'), 'csv');
  expect(r.indicators.map((i) => i.type)).toEqual(['ipv4', 'domain', 'md5', 'url']);
  await store.close();
});

test.each([
  ['a bad address', 'type,value\nipv4,203.0.113.7\nipv4,203.0.113.300\n', /^line 3: "203\.0\.113\.300" is not an IPV4 address/],
  ['an unknown type', 'type,value\nemail,a@b.example\n', /^line 2: unknown indicator type "email"/],
  ['a quote never closed', 'type,value,description\nipv4,203.0.113.7,"open\n', /^line 2: field 3: a quote is opened and never closed/],
  ['a row with too many fields', 'type,value\ndomain,a.example,extra\n', /^line 2: 3 fields, the header has 2/],
  ['an unknown column', 'type,value,colour\n', /^line 1, column 3: unknown column "colour"/],
  ['a line that is no indicator', '203.0.113.7\nnot an indicator\n', /^line 2: "not an indicator" is neither/],
])('%s rejects the file with the line and the reason, and nothing is stored', async (_, text, reason) => {
  const store = memoryStore();
  const err = await importInto(store, writeFile(dir, 'bad.csv', text), 'csv').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ImportError);
  expect((err as Error).message).toMatch(reason);
  expect((err as Error).message).toMatch(/nothing was imported$/);
  expect((await store.listIndicators({ tenants: null })).total).toBe(0);
  await store.close();
});
