import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), sourceIp: '10.9.9.9' };
const p = (line: string, extra = {}) => parse(line, { ...ctx, ...extra }) as Record<string, any>;

describe('IIS W3C access logs', () => {
  test('the full default layout (22 fields)', () => {
    const ev = p('2026-03-14 02:10:00 W3SVC2 WEB-DVC 10.50.0.10 GET /portal/login.aspx ReturnUrl=%2f 443 - 198.51.100.50 HTTP/1.1 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+Chrome/122.0.0.0 - - dvc.example.gov.vn 200 0 0 5120 420 31');
    expect(ev['@timestamp']).toBe('2026-03-14T02:10:00.000Z');
    expect(ev.event).toMatchObject({ dataset: 'iis.access', category: ['web', 'network'], outcome: 'success', duration: 31e6 });
    expect(ev.source.ip).toBe('198.51.100.50');
    expect(ev.destination).toMatchObject({ ip: '10.50.0.10', port: 443, domain: 'dvc.example.gov.vn' });
    expect(ev.url).toMatchObject({ path: '/portal/login.aspx', query: 'ReturnUrl=%2f', extension: 'aspx' });
    expect(ev.user_agent).toMatchObject({ name: 'Chrome', original: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/122.0.0.0' });
    expect(ev.iis.access).toMatchObject({ site_name: 'W3SVC2', server_name: 'WEB-DVC', sub_status: 0 });
    expect(ev.host.name).toBe('web-dvc');
  });

  test('a #Fields directive sets the layout for the lines that follow from the same sender', () => {
    const d = p('#Fields: date time c-ip cs-method cs-uri-stem sc-status', { sourceIp: '10.7.7.7' });
    expect(d.iis.access.directive).toBe('Fields');
    expect(d.event.kind).toBe('event');
    const ev = p('2026-03-14 02:11:00 198.51.100.51 POST /erp/conn.aspx 500', { sourceIp: '10.7.7.7', format: 'iis' });
    expect(ev.source.ip).toBe('198.51.100.51');
    expect(ev.http).toMatchObject({ request: { method: 'POST' }, response: { status_code: 500 } });
    expect(ev.event.outcome).toBe('failure');
    const other = p('2026-03-14 02:11:00 198.51.100.51 POST /erp/conn.aspx 500', { sourceIp: '10.8.8.8', format: 'iis' });
    // refused or kept as a partial event (graceful degradation), it always says why
    expect(other.event.kind).not.toBe('alert');
    expect(other.error.message).toMatch(/6 fields and no #Fields directive/);
  });

  test('lines without #Fields in the layouts IIS writes by default: cookie and bytes, X-Forwarded-For, a UPN user, FTP', () => {
    const web = p('2026-03-14 02:12:00 10.50.0.10 GET /portal/default.aspx id=7 443 SO\\ketoan 10.50.3.3 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) ASP.NET_SessionId=abc - 404 0 2 5120 410 31 198.51.100.200', { sourceIp: '10.9.9.1', format: 'iis' });
    expect(web.destination).toMatchObject({ ip: '10.50.0.10', port: 443 });
    expect(web.user).toMatchObject({ name: 'ketoan', domain: 'SO' });
    expect(web.iis.access).toMatchObject({ cookie: 'ASP.NET_SessionId=abc', sub_status: 0, win32_status: 2 });
    expect(web.http).toMatchObject({ response: { status_code: 404, body: { bytes: 5120 } }, request: { body: { bytes: 410 } } });
    expect(web.network.forwarded_ip).toBe('198.51.100.200');
    expect(web.event.duration).toBe(31e6);
    const upn = p('2026-03-14 02:12:01 10.50.0.10 POST /api/save - 443 lan@so.gov.vn 10.50.3.4 curl/8.0 - - 200 0 0 90 1200 12', { sourceIp: '10.9.9.1', format: 'iis' });
    expect(upn.user).toMatchObject({ name: 'lan', domain: 'so.gov.vn' });
    const ftp = p('2026-03-14 02:13:00 10.50.3.5 ftpuser 10.50.0.21 21 PASS - 230 0 0 0a1b2c3d-0000-4000-8000-000000000001 -', { sourceIp: '10.9.9.2', format: 'iis' });
    expect(ftp.source.ip).toBe('10.50.3.5');
    expect(ftp.destination).toMatchObject({ ip: '10.50.0.21', port: 21 });
    expect(ftp.http.request.method).toBe('PASS');
    expect(ftp.user.name).toBe('ftpuser');
    expect(ftp.iis.access.session_id).toBe('0a1b2c3d-0000-4000-8000-000000000001');
  });
});
