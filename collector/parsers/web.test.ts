import { parse } from './index';
import { parseUserAgent } from './web_access';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'Asia/Ho_Chi_Minh' };
const p = (line: string, extra = {}) => parse(line, { ...ctx, ...extra }) as Record<string, any>;

describe('nginx and Apache', () => {
  test('combined access line: request, status, bytes, referrer, agent, outcome', () => {
    const ev = p('203.0.113.45 - - [14/Mar/2026:10:15:32 +0700] "GET /dich-vu-cong/search.php?q=1%27%20OR%201=1 HTTP/1.1" 403 162 "-" "sqlmap/1.7.2#stable (https://sqlmap.org)"');
    expect(ev['@timestamp']).toBe('2026-03-14T03:15:32.000Z');
    expect(ev.event).toMatchObject({ dataset: 'nginx.access', category: ['web'], type: ['access'], outcome: 'failure' });
    expect(ev.source.ip).toBe('203.0.113.45');
    expect(ev.url).toMatchObject({ path: '/dich-vu-cong/search.php', query: 'q=1%27%20OR%201=1', extension: 'php' });
    expect(ev.http).toMatchObject({ request: { method: 'GET' }, response: { status_code: 403, body: { bytes: 162 } }, version: '1.1' });
    expect(ev.user_agent).toMatchObject({ name: 'sqlmap', version: '1.7.2' });
  });

  test('vhost and X-Forwarded-For prefixes, with the Apache dataset pinned', () => {
    const ev = p('portal.example.gov.vn 10.0.0.7, 198.51.100.4 - ngoc [14/Mar/2026:10:15:33 +0700] "POST /login HTTP/1.1" 200 512 "https://portal.example.gov.vn/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"', { dataset: 'apache.access' });
    expect(ev.event.dataset).toBe('apache.access');
    expect(ev.destination.domain).toBe('portal.example.gov.vn');
    expect(ev.source.ip).toBe('10.0.0.7');
    expect(ev.apache.access.remote_ip_list).toEqual(['10.0.0.7', '198.51.100.4']);
    expect(ev.user.name).toBe('ngoc');
    expect(ev.user_agent).toMatchObject({ name: 'Chrome', os: { name: 'Windows', version: '10' } });
  });

  test('Apache 2.4 error line in the source time zone', () => {
    const ev = p('[Sat Mar 14 10:20:00.123456 2026] [authz_core:error] [pid 4411:tid 1400] [client 198.51.100.8:50123] AH01630: client denied by server configuration: /var/www/html/.env');
    expect(ev['@timestamp']).toBe('2026-03-14T03:20:00.123Z');
    expect(ev.event).toMatchObject({ dataset: 'apache.error', type: ['error'] });
    expect(ev.log.level).toBe('error');
    expect(ev.apache.error.module).toBe('authz_core');
    expect(ev.process).toEqual({ pid: 4411, thread: { id: 1400 } });
    expect(ev.source).toMatchObject({ ip: '198.51.100.8', port: 50123 });
  });

  test('nginx error line', () => {
    const ev = p('2026/03/14 10:21:00 [error] 812#812: *9931 open() "/usr/share/nginx/html/wp-login.php" failed (2: No such file or directory), client: 198.51.100.8, server: portal, request: "GET /wp-login.php HTTP/1.1", host: "portal"');
    expect(ev.event).toMatchObject({ dataset: 'nginx.error', type: ['error'] });
    expect(ev.source.ip).toBe('198.51.100.8');
    expect(ev.nginx.error.connection_id).toBe(9931);
    expect(ev.url.original).toBe('/wp-login.php');
  });

  test('user agents of common browsers', () => {
    expect(parseUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1')).toMatchObject({ name: 'Safari', os: 'iOS', osVersion: '17.2' });
    expect(parseUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0.2210.91')).toMatchObject({ name: 'Edge' });
  });
});
