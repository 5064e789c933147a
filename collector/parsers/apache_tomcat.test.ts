import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'Asia/Ho_Chi_Minh', format: 'apache_tomcat' };
const p = (line: string, extra = {}) => parse(line, { ...ctx, ...extra }) as Record<string, any>;

describe('Apache Tomcat access (AccessLogValve)', () => {
  test('the common pattern, pinned, says Tomcat and reads the request', () => {
    const ev = p('10.40.5.9 - - [14/Mar/2026:09:20:11 +0700] "POST /dvc/api/hoso?id=12 HTTP/1.1" 201 512');
    expect(ev.event).toMatchObject({ dataset: 'apache_tomcat.access', category: ['web'], type: ['access'], outcome: 'success' });
    expect(ev['@timestamp']).toBe('2026-03-14T02:20:11.000Z');
    expect(ev.source.ip).toBe('10.40.5.9');
    expect(ev.http).toMatchObject({ request: { method: 'POST' }, response: { status_code: 201, body: { bytes: 512 } }, version: '1.1' });
    expect(ev.url).toMatchObject({ path: '/dvc/api/hoso', query: 'id=12' });
    expect(ev.observer).toMatchObject({ vendor: 'Apache', product: 'Tomcat' });
  });

  test('combined with a time taken (%D) appended', () => {
    const ev = p('198.51.100.7 - canbo [14/Mar/2026:09:21:00 +0700] "GET /manager/html HTTP/1.1" 401 2473 "-" "curl/8.5.0" 37', { dataset: 'apache_tomcat.access', format: undefined });
    expect(ev.event.dataset).toBe('apache_tomcat.access');
    expect(ev.user.name).toBe('canbo');
    expect(ev.event.outcome).toBe('failure');
    expect(ev.event.duration).toBe(37e6);
    expect(ev.user_agent.original).toBe('curl/8.5.0');
  });

  test('a line cut inside the request says what was expected and keeps the line', () => {
    const ev = p('198.51.100.7 - - [14/Mar/2026:09:21:00 +0700] "GET /manager/ht');
    expect(ev.error.message).toMatch(/Tomcat AccessLogValve line/);
    expect(ev.event.original).toContain('/manager/ht');
  });
});
