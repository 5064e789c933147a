import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'UTC' };
const p = (line: string) => parse(line, ctx) as Record<string, any>;

describe('FortiMail', () => {
  test('an infected attachment is a malware alert on the mail, with sender and recipients', () => {
    const ev = p('<190>date=2026-03-14,time=09:20:00.120,device_id=FEVM02TM26000001,log_id=0400003064,type=virus,subtype=infected,pri=information,from="ketoan@partner.example",to="thu.nguyen@so-tttt.gov.vn",src=198.51.100.61,session_id="q6OL7fsQ0",subject="Hoa don thang 3, 2026",msg="The file hoadon.zip is infected with W32/Emotet.A!tr."');
    expect(ev['@timestamp']).toBe('2026-03-14T09:20:00.120Z');
    expect(ev.event).toMatchObject({ kind: 'alert', category: ['malware', 'email'], code: '0400003064', dataset: 'fortinet_fortimail.log' });
    expect(ev.email).toMatchObject({ from: { address: ['ketoan@partner.example'] }, to: { address: ['thu.nguyen@so-tttt.gov.vn'] }, subject: 'Hoa don thang 3, 2026' });
    expect(ev.threat.software.name).toBe('W32/Emotet.A!tr');
    expect(ev.file.name).toBe('hoadon.zip');
    expect(ev.source.ip).toBe('198.51.100.61');
    expect(ev.fortinet_fortimail.log).toMatchObject({ type: 'virus', sub_type: 'infected', priority_number: 190 });
  });
});

describe('HAProxy', () => {
  test('HTTP log format', () => {
    const ev = p('Mar 14 09:21:00 lb01 haproxy[2201]: 198.51.100.70:51234 [14/Mar/2026:09:21:00.456] https-in~ portal/web02 0/0/1/12/13 403 212 - - ---- 12/10/1/0/0 0/0 {dvc.example.gov.vn} "GET /admin/login.php?debug=1 HTTP/1.1"');
    expect(ev['@timestamp']).toBe('2026-03-14T09:21:00.456Z');
    expect(ev.event).toMatchObject({ dataset: 'haproxy.log', category: ['web'], outcome: 'failure', duration: 13e6 });
    expect(ev.source).toMatchObject({ ip: '198.51.100.70', port: 51234 });
    expect(ev.haproxy).toMatchObject({ frontend_name: 'https-in', backend_name: 'portal', server_name: 'web02' });
    expect(ev.http).toMatchObject({ request: { method: 'GET' }, response: { status_code: 403, bytes: 212 } });
    expect(ev.url).toMatchObject({ path: '/admin/login.php', query: 'debug=1' });
  });

  test('connection error', () => {
    const ev = p('Mar 14 09:22:00 lb01 haproxy[2201]: 198.51.100.71:40000 [14/Mar/2026:09:22:00.001] https-in/1: SSL handshake failure');
    expect(ev.haproxy).toMatchObject({ frontend_name: 'https-in', bind_name: '1:', error_message: 'SSL handshake failure' });
  });
});
