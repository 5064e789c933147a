/**
 * PAN-OS lines written for this test in the CSV layouts Palo Alto documents (PAN-OS 9.1 to 11.x syslog field
 * descriptions): GLOBALPROTECT, SYSTEM with the 10.x high-resolution time, a blocked threat, and records cut short.
 */
import { parse } from './index';

const ctx = { receivedAt: new Date('2026-12-07T04:00:00Z'), timezone: 'UTC' };
const p = (line: string, extra = {}) => parse(line, { ...ctx, ...extra }) as Record<string, any>;

describe('PAN-OS firmware variants', () => {
  test('GLOBALPROTECT gateway login: user and domain, machine, private and public address, client', () => {
    const ev = p('<14>Dec  7 10:00:01 PA-3220 1,2026/12/07 10:00:01,016201000123,GLOBALPROTECT,0,2561,2026/12/07 10:00:01,vsys1,gateway-auth,login,LDAP,SSL,SOTTTT\\nguyen.van.a,VN,LAPTOP-HN01,113.160.1.2,0.0.0.0,10.99.0.15,0.0.0.0,8f0c-11aa-22bb,PF2ABC12,6.2.1,Windows,"Microsoft Windows 11 Pro , 64-bit",1,,,"",success,,0,,0,GP-Gateway,7300000000000001,0x8000000000000000');
    expect(ev.event).toMatchObject({ code: 'gateway-auth', category: ['network'], outcome: 'success', duration: 0 });
    expect(ev.source).toMatchObject({ ip: '10.99.0.15', nat: { ip: '113.160.1.2' }, user: { name: 'nguyen.van.a', domain: 'SOTTTT' } });
    expect(ev.user).toEqual({ name: 'nguyen.van.a', domain: 'SOTTTT' });
    expect(ev.host).toMatchObject({ name: 'laptop-hn01', id: '8f0c-11aa-22bb', os: { family: 'Windows', full: 'Microsoft Windows 11 Pro , 64-bit' } });
    expect(ev.panw.panos).toMatchObject({ type: 'GLOBALPROTECT', stage: 'login', auth_method: 'LDAP', tunnel_type: 'SSL', portal: 'GP-Gateway', client_ver: '6.2.1', serial_number: 'PF2ABC12', error_code: 0 });
    expect(ev.related.ip).toEqual(expect.arrayContaining(['10.99.0.15', '113.160.1.2']));
    expect(ev.observer).toMatchObject({ vendor: 'Palo Alto Networks', serial_number: '016201000123' });
  });

  test('GLOBALPROTECT from an older release without the trailing columns still maps what it has', () => {
    const ev = p('1,2026/12/07 10:05:00,016201000123,GLOBALPROTECT,0,2305,2026/12/07 10:05:00,vsys1,portal-prelogin,before-login,,,,VN,,113.160.1.3,0.0.0.0,10.99.0.16,0.0.0.0,host-2,,6.1.0,,""');
    expect(ev.event.code).toBe('portal-prelogin');
    expect(ev.source.ip).toBe('10.99.0.16');
    expect(ev.tags ?? []).not.toContain('partial');
  });

  test('SYSTEM of PAN-OS 10: the millisecond time with its offset wins over the device-zone time', () => {
    const ev = p('1,2026/12/07 09:49:30,007058000248010,SYSTEM,vpn,2816,2026/12/07 09:49:31,,ike-config-p2-success,,0,0,general,informational,"IKE daemon configuration load phase-2 succeeded.",7286123782408765846,0x0,0,0,0,0,,PA-VM,0,0,2026-12-07T09:49:31.363+07:00', { timezone: 'UTC' });
    expect(ev['@timestamp']).toBe('2026-12-07T02:49:31.363Z');
    expect(ev.event).toMatchObject({ code: 'ike-config-p2-success', category: ['configuration'], severity: 5 });
    expect(ev.observer.hostname).toBe('PA-VM');
    expect(ev.panw.panos).toMatchObject({ description: 'IKE daemon configuration load phase-2 succeeded.', sub_type: 'vpn', device_group_hierarchy1: '0' });
    expect(ev.message).toBe('IKE daemon configuration load phase-2 succeeded.');
  });

  test('a blocked URL threat is a failed attempt', () => {
    const ev = p('1,2026/12/07 11:00:00,012801096514,THREAT,url,2049,2026/12/07 11:00:00,10.0.5.5,203.0.113.50,113.160.1.2,203.0.113.50,allow-web,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,fwd,2026/12/07 11:00:00,4242,1,50000,443,40000,443,0x403000,tcp,block-url,"malware.example/",(9999),malware,high,client-to-server,8001,0x2000000000000000,10.0.0.0-10.255.255.255,United States,0,,0,,,0,,,,,,,,0,0,0,0,0,,PA-220,,,,,0,,0,,N/A,unknown,AppThreat-0-0,0x0,0,4294967295,');
    expect(ev.event).toMatchObject({ kind: 'alert', outcome: 'failure', type: ['denied'], action: 'url_filtering' });
    expect(ev.url.domain).toBe('malware.example');
    expect(ev.observer.hostname).toBe('PA-220');
    expect(ev.message).toMatch(/^10\.0\.5\.5,203\.0\.113\.50,/);
  });

  test('a TRAFFIC record cut after its addresses keeps the device, time and addresses', () => {
    const ev = p('<14>Dec  7 10:00:01 PA-220 1,2026/12/07 10:00:01,012801096514,TRAFFIC,end,2049,2026/12/07 10:00:01,10.0.5.5,8.8.8.8,113.160.1.2,8.8.8.8,allow-dns,,,dns,vsys1,tr');
    expect(ev.event.kind).not.toBe('pipeline_error');
    expect(ev.observer).toMatchObject({ vendor: 'Palo Alto Networks', product: 'PAN-OS', serial_number: '012801096514', hostname: 'PA-220' });
    expect(ev.source.ip).toBe('10.0.5.5');
    expect(ev.destination.ip).toBe('8.8.8.8');
    expect(ev['@timestamp']).toBe('2026-12-07T10:00:01.000Z');
  });

  test('a garbled record with a syslog header is partial with the vendor, not a pipeline error', () => {
    const ev = p('<14>Dec  7 10:00:01 PA-220 1,2026/12/07 10:0\u0000\ufffd\ufffd', { format: 'panos' });
    expect(ev.event.kind).not.toBe('pipeline_error');
    expect(ev.observer).toMatchObject({ vendor: 'Palo Alto Networks', product: 'PAN-OS' });
    expect(ev.tags).toContain('partial');
    expect(ev.error.message).toMatch(/PAN-OS/);
  });
});

describe('PAN-OS CONFIG, USERID, HIPMATCH and AUTHENTICATION', () => {
  test('CONFIG: the administrator, command, result and path', () => {
    const ev = p('1,2026/12/07 08:30:00,016201000123,CONFIG,0,2049,2026/12/07 08:30:00,10.0.0.50,vsys1,edit,admin-so,Web,Succeeded,vsys  vsys1 rulebase security rules allow-dns,,,7300000000000100,0x0,0,0,0,0,,PA-3220,0,,2026-12-07T08:30:00.120+07:00');
    expect(ev.event).toMatchObject({ category: ['configuration'], type: ['change'], action: 'edit', outcome: 'success' });
    expect(ev.user.name).toBe('admin-so');
    expect(ev.source.ip).toBe('10.0.0.50');
    expect(ev.panw.panos).toMatchObject({ type: 'CONFIG', client: 'Web', configuration_path: 'vsys  vsys1 rulebase security rules allow-dns' });
    expect(ev.observer.hostname).toBe('PA-3220');
    expect(ev['@timestamp']).toBe('2026-12-07T01:30:00.120Z');
    expect(ev.tags ?? []).not.toContain('partial');
  });

  test('USERID login mapping: the user, its domain and address', () => {
    const ev = p('1,2026/12/07 08:31:00,016201000123,USERID,login,2049,2026/12/07 08:31:00,vsys1,10.99.0.15,SOTTTT\\tran.thi.b,AD-Agent,0,1,2700,0,0,agent,AD,7300000000000101,0x0,0,0,0,0,,PA-3220,1,,,,,,,');
    expect(ev.event).toMatchObject({ category: ['iam'], type: ['info'] });
    expect(ev.user).toEqual({ name: 'tran.thi.b', domain: 'SOTTTT' });
    expect(ev.source.ip).toBe('10.99.0.15');
    expect(ev.panw.panos).toMatchObject({ datasource: 'agent', datasource_type: 'AD', timeout: 2700 });
  });

  test('HIPMATCH: the machine, OS and the HIP object matched', () => {
    const ev = p('1,2026/12/07 08:32:00,016201000123,HIPMATCH,0,2049,2026/12/07 08:32:00,SOTTTT\\tran.thi.b,vsys1,LAPTOP-HN02,Windows,10.99.0.16,av-installed,1,object,0,0,7300000000000102,0x0,0,0,0,0,,PA-3220,1,,host-id-2,PF2ABC13,aa:bb:cc:dd:ee:ff,');
    expect(ev.event.category).toEqual(['host']);
    expect(ev.host).toMatchObject({ name: 'laptop-hn02', os: { family: 'Windows' }, id: 'host-id-2' });
    expect(ev.panw.panos).toMatchObject({ match_name: 'av-installed', match_type: 'object' });
  });

  test('AUTHENTICATION failure: the user, address, server profile and outcome', () => {
    const ev = p('1,2026/12/07 08:33:00,016201000123,AUTHENTICATION,0,2049,2026/12/07 08:33:00,vsys1,203.0.113.77,admin,,,,1,0,,,RADIUS-SO,Invalid username or password,browser,auth-fail,1,7300000000000103,0x0,0,0,0,0,,PA-3220,1,RADIUS,,');
    expect(ev.event).toMatchObject({ category: ['authentication'], action: 'auth-fail', outcome: 'failure' });
    expect(ev.source.ip).toBe('203.0.113.77');
    expect(ev.user.name).toBe('admin');
    expect(ev.message).toBe('Invalid username or password');
    expect(ev.panw.panos).toMatchObject({ auth_server_profile: 'RADIUS-SO', client_type: 'browser', auth_protocol: 'RADIUS' });
  });
});
