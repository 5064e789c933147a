import { matchesQuery, parseQuery, QuerySyntaxError } from './query';

const doc = {
  '@timestamp': '2026-11-28T01:00:00.000Z',
  event: { category: ['authentication'], outcome: 'failure' },
  source: { ip: '10.0.0.5', port: 4242 },
  user: { name: 'Root' },
  http: { response: { status_code: 404 } },
  message: 'Đăng nhập thất bại cho người dùng root',
};
const m = (q: string) => matchesQuery(parseQuery(q), doc);

test('field terms, wildcards, arrays, exists', () => {
  expect(m('user.name:root')).toBe(true);
  expect(m('user.name:ro*')).toBe(true);
  expect(m('user.name:admin')).toBe(false);
  expect(m('event.category:authentication')).toBe(true);
  expect(m('source.ip:10.0.0.*')).toBe(true);
  expect(m('url.original:*')).toBe(false);
  expect(m('source.port:*')).toBe(true);
});

test('ranges, booleans, free text with folded diacritics and phrases', () => {
  expect(m('http.response.status_code:>=400')).toBe(true);
  expect(m('http.response.status_code:[100 TO 399]')).toBe(false);
  expect(m('source.ip:10.0.0.5 AND NOT user.name:admin')).toBe(true);
  expect(m('user.name:admin OR event.outcome:failure')).toBe(true);
  expect(m('-event.outcome:failure')).toBe(false);
  expect(m('"dang nhap that bai"')).toBe(true);
  expect(m('"that bai dang"')).toBe(false);
  expect(m('nguoi')).toBe(true);
});

test('a syntax error names the position', () => {
  expect(() => parseQuery('user.name:(x')).toThrow(QuerySyntaxError);
  expect(() => parseQuery('a AND (b')).toThrow(/character \d+: missing "\)"/);
});
