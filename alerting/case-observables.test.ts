/** Observables: a value of the wrong type is refused naming it, one value is written one way, and an incident's entities become observables. */
import { incidentOf } from '../console/server/testkit';
import { incidentObservables, observableValue } from './case-observables';

test('each type takes only its kind of value, written one way, and a refusal names the value and the type', () => {
  expect(observableValue('ip', ' 203.0.113.7 ')).toBe('203.0.113.7');
  expect(observableValue('ip', '2001:DB8::1')).toBe('2001:db8::1');
  expect(observableValue('domain', 'Evil.Example.')).toBe('evil.example');
  expect(observableValue('hash', 'D41D8CD98F00B204E9800998ECF8427E')).toBe('d41d8cd98f00b204e9800998ecf8427e');
  expect(observableValue('url', 'https://evil.example/x?a=1')).toBe('https://evil.example/x?a=1');
  expect(observableValue('user', 'root')).toBe('root');
  expect(() => observableValue('ip', '203.0.113.999')).toThrow('body/value: "203.0.113.999" is not an IPv4 or IPv6 address (observable type ip)');
  expect(() => observableValue('domain', 'not a domain')).toThrow(/is not a domain name/);
  expect(() => observableValue('hash', 'abc')).toThrow(/is not an MD5, SHA-1, SHA-256 or SHA-512/);
  expect(() => observableValue('url', 'javascript:alert(1)')).toThrow(/is not an http\(s\) or ftp URL/);
  expect(() => observableValue('other', '   ')).toThrow(/observable type other/);
});

test("an incident's attacking addresses, users, hosts and malware become observables, each once", () => {
  const inc = {
    ...incidentOf('inc-1', 'so-a'),
    summary: { source_ip: '203.0.113.7', user: 'root', host: 'web-01', destination_ip: '10.0.0.5' },
    entities: { source_ip: ['203.0.113.7', '203.0.113.8'], user: ['root', 'admin'], malware: ['Emotet'] },
  };
  expect(incidentObservables(inc)).toEqual([
    { type: 'ip', value: '203.0.113.7', tags: ['source'] },
    { type: 'ip', value: '203.0.113.8', tags: ['source'] },
    { type: 'ip', value: '10.0.0.5', tags: ['destination'] },
    { type: 'user', value: 'root', tags: ['user'] },
    { type: 'user', value: 'admin', tags: ['user'] },
    { type: 'host', value: 'web-01', tags: ['host'] },
    { type: 'other', value: 'Emotet', tags: ['malware'] },
  ]);
});
