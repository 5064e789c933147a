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
    expect(other.event.kind).toBe('pipeline_error');
    expect(other.error.message).toMatch(/6 fields and no #Fields directive/);
  });
});
