import { toIndicator, normalizeValue, type Indicator } from './indicator';
import { Matcher } from './matcher';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const ind = (type: string, value: string, tenant: string | null = null, expires: string | null = null): Indicator =>
  toIndicator({ ...normalizeValue(type, value), expires }, { tenant, source: 'cert', ttlMs: null, now: new Date(NOW) });
const hits = (m: Matcher, ev: object, tenant = 'so-a') => m.match(ev as Record<string, unknown>, tenant, NOW).map((x) => `${x.field}=${x.indicator.value}`);

test('address ranges match the addresses inside them, IPv4 and IPv6, however the address is written', () => {
  const m = new Matcher([ind('ipv4', '198.51.100.0/24'), ind('ipv4', '10.0.0.0/8'), ind('ipv6', '2001:db8:abcd::/48'), ind('ipv6', '2001:db8::1')], NOW);
  expect(hits(m, { source: { ip: '198.51.100.77' }, destination: { ip: '198.51.101.1' } })).toEqual(['source.ip=198.51.100.0/24']);
  expect(hits(m, { destination: { ip: '10.200.3.4' } })).toEqual(['destination.ip=10.0.0.0/8']);
  expect(hits(m, { destination: { ip: '2001:DB8:ABCD:0012::5' } })).toEqual(['destination.ip=2001:db8:abcd::/48']);
  expect(hits(m, { related: { ip: ['192.0.2.1', '2001:0db8:0000::0001'] } })).toEqual(['related.ip=2001:db8::1']);
});

test('a domain matches its subdomains, in DNS, TLS, URL and referrer fields, not a lookalike', () => {
  const m = new Matcher([ind('domain', 'evil.example'), ind('url', 'https://shop.example/pay/x.js')], NOW);
  expect(hits(m, { dns: { question: { name: 'A.B.Evil.Example.' } } })).toEqual(['dns.question.name=evil.example']);
  expect(hits(m, { tls: { server_name: 'evil.example' } })).toEqual(['tls.server_name=evil.example']);
  expect(hits(m, { http: { request: { referrer: 'http://www.evil.example/landing' } } })).toEqual(['http.request.referrer=evil.example']);
  expect(hits(m, { dns: { question: { name: 'notevil.example' } } })).toEqual([]);
  expect(hits(m, { url: { full: 'HTTPS://SHOP.example:443/pay/x.js#frag' } })).toEqual(['url.full=https://shop.example/pay/x.js']);
  expect(hits(m, { url: { domain: 'shop.example', original: '/pay/x.js', scheme: 'https' } })).toEqual(['url.original=https://shop.example/pay/x.js']);
});

test('hashes in file, process and related fields match in any case; one indicator counts once per event', () => {
  const sha = 'c'.repeat(64);
  const m = new Matcher([ind('sha256', sha)], NOW);
  expect(hits(m, { file: { hash: { sha256: sha.toUpperCase() } }, related: { hash: [sha] } })).toEqual([`file.hash.sha256=${sha}`]);
});

test('an agency-scoped indicator matches only that agency; an expired one matches nobody', () => {
  const m = new Matcher([ind('ipv4', '203.0.113.1', 'so-b'), ind('ipv4', '203.0.113.2', null, '2026-02-01T00:00:00Z'), ind('ipv4', '203.0.113.3', null, '2026-04-01T00:00:00Z')], NOW - 60 * 86_400_000);
  expect(hits(m, { destination: { ip: '203.0.113.1' } }, 'so-a')).toEqual([]);
  expect(hits(m, { destination: { ip: '203.0.113.1' } }, 'so-b')).toEqual(['destination.ip=203.0.113.1']);
  expect(hits(m, { destination: { ip: '203.0.113.2' } })).toEqual([]); // loaded while live, expired by the time of the event
  expect(hits(m, { destination: { ip: '203.0.113.3' } })).toEqual(['destination.ip=203.0.113.3']);
  expect(m.match({ destination: { ip: '203.0.113.3' } }, 'so-a', Date.parse('2026-04-02T00:00:00Z'))).toEqual([]);
});
