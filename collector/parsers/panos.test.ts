import { parse } from './index';
import { splitCsv } from './panos';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'Asia/Ho_Chi_Minh' };
const p = (line: string) => parse(line, ctx) as Record<string, any>;

describe('PAN-OS CSV', () => {
  test('quoted CSV fields keep commas', () => {
    expect(splitCsv('a,"b,c",,"d ""e"""')).toEqual(['a', 'b,c', '', 'd "e"']);
  });

  test('TRAFFIC end / deny', () => {
    const ev = p('Mar 14 10:00:00 PA-3220 1,2026/03/14 10:00:00,013201001234,TRAFFIC,drop,2561,2026/03/14 10:00:00,10.30.0.15,198.51.100.23,0.0.0.0,0.0.0.0,deny-outbound-smb,,,not-applicable,vsys1,trust,untrust,ethernet1/2,,default,2026/03/14 10:00:00,0,1,50122,445,0,0,0x0,tcp,deny,70,70,0,1,2026/03/14 09:59:59,0,any,0,1234567,0x0,10.0.0.0-10.255.255.255,Netherlands,0,1,0,policy-deny');
    expect(ev['@timestamp']).toBe('2026-03-14T03:00:00.000Z');
    expect(ev.event).toMatchObject({ dataset: 'panw.panos', category: ['network'], type: ['connection', 'denied'] });
    expect(ev.source).toMatchObject({ ip: '10.30.0.15', port: 50122 });
    expect(ev.destination).toMatchObject({ ip: '198.51.100.23', port: 445 });
    expect(ev.rule.name).toBe('deny-outbound-smb');
    expect(ev.observer).toMatchObject({ hostname: 'PA-3220', serial_number: '013201001234', ingress: { zone: 'trust' }, egress: { zone: 'untrust' } });
    expect(ev.panw.panos.endreason).toBe('policy-deny');
    expect(ev.source.nat).toBeUndefined();
  });

  test('THREAT virus becomes a malware alert with the file', () => {
    const ev = p('Mar 14 10:05:00 PA-3220 1,2026/03/14 10:05:00,013201001234,THREAT,virus,2561,2026/03/14 10:05:00,198.51.100.23,10.30.0.15,0.0.0.0,0.0.0.0,allow-web,,,web-browsing,vsys1,untrust,trust,ethernet1/1,ethernet1/2,default,2026/03/14 10:05:00,8812,1,80,50200,0,0,0x400000,tcp,reset-both,"eicar.com",Eicar Test File(100000),any,medium,server-to-client,99,0x0,Netherlands,10.0.0.0-10.255.255.255,0,,0,,,0,,,,,,,');
    expect(ev.event).toMatchObject({ kind: 'alert', action: 'virus_detected', severity: 3 });
    expect(ev.event.category).toContain('malware');
    expect(ev.event.type).toEqual(['denied']);
    expect(ev.file.name).toBe('eicar.com');
    expect(ev.rule).toMatchObject({ id: '100000', name: 'Eicar Test File' });
  });

  test('SYSTEM auth failure names the user', () => {
    const ev = p('Mar 14 10:06:00 PA-3220 1,2026/03/14 10:06:00,013201001234,SYSTEM,auth,0,2026/03/14 10:06:00,,auth-fail,,0,0,general,medium,"failed authentication for user \'admin\'. Reason: Invalid username/password. From: 10.0.0.99.",1122,0x0');
    expect(ev.event).toMatchObject({ category: ['authentication'], outcome: 'failure', action: 'auth-fail' });
    expect(ev.user.name).toBe('admin');
    expect(ev.source.ip).toBe('10.0.0.99');
  });
});
