import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'UTC' };

describe('ModSecurity', () => {
  test('JSON audit record: request, response, rules', () => {
    const rec = { transaction: { client_ip: '198.51.100.20', time_stamp: 'Sat Mar 14 10:30:00 2026', client_port: 40000, host_ip: '10.0.0.5', host_port: 443, id: '1773.1',
      request: { method: 'GET', http_version: 1.1, uri: '/index.php?id=1 union select', headers: { Host: 'dvc.example.gov.vn', 'User-Agent': 'curl/8.5.0' } },
      response: { http_code: 403, headers: { Server: 'nginx', 'Content-Type': 'text/html' } },
      messages: [{ message: 'SQL Injection Attack Detected via libinjection', details: { ruleId: '942100', severity: '2', data: 'Matched Data: s&sos' } }] } };
    const ev = parse(JSON.stringify(rec), ctx) as Record<string, any>;
    expect(ev.event).toMatchObject({ dataset: 'modsecurity.auditlog', category: ['web'], type: ['access', 'denied'], severity: 2 });
    expect(ev['@timestamp']).toBe('2026-03-14T10:30:00.000Z');
    expect(ev.url).toMatchObject({ scheme: 'https', domain: 'dvc.example.gov.vn', port: 443, path: '/index.php' });
    expect(ev.rule).toEqual({ id: '942100', name: 'SQL Injection Attack Detected via libinjection' });
    expect(ev.http.response.status_code).toBe(403);
    expect(ev.source).toEqual({ ip: '198.51.100.20', port: 40000 });
  });

  test('error-log rule message is a web attack alert', () => {
    const ev = parse('[Sat Mar 14 10:31:00.000000 2026] [:error] [pid 100] [client 198.51.100.21:5000] ModSecurity: Access denied with code 403 (phase 2). detected XSS using libinjection. [file "/etc/modsecurity/crs/REQUEST-941.conf"] [line "55"] [id "941100"] [msg "XSS Attack Detected via libinjection"] [severity "CRITICAL"] [tag "attack-xss"] [tag "OWASP_CRS"] [hostname "dvc.example.gov.vn"] [uri "/search"] [unique_id "YabC"]', ctx) as Record<string, any>;
    expect(ev.event).toMatchObject({ kind: 'alert', category: ['intrusion_detection', 'web'], type: ['denied'], severity: 2, dataset: 'modsecurity.auditlog' });
    expect(ev.rule).toMatchObject({ id: '941100', name: 'XSS Attack Detected via libinjection' });
    expect(ev.modsec.audit.tags).toEqual(['attack-xss', 'OWASP_CRS']);
    expect(ev.source.ip).toBe('198.51.100.21');
    expect(ev.url.path).toBe('/search');
  });
});
