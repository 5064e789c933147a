import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'Asia/Ho_Chi_Minh' };
const p = (line: string) => parse(line, ctx) as Record<string, any>;

describe('Cisco IOS', () => {
  test('login failure with user, source and reason', () => {
    const ev = p('<188>1203: sw-core-01: Mar 14 09:00:00.123: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 198.51.100.44] [localport: 22] [Reason: Login Authentication Failed] at 09:00:00 ICT Sat Mar 14 2026');
    expect(ev['@timestamp']).toBe('2026-03-14T02:00:00.123Z');
    expect(ev.event).toMatchObject({ dataset: 'cisco_ios.log', code: 'LOGIN_FAILED', severity: 4, action: 'logon-failed', outcome: 'failure', category: ['authentication'], sequence: 1203 });
    expect(ev.user.name).toBe('admin');
    expect(ev.source.ip).toBe('198.51.100.44');
    expect(ev.destination.port).toBe(22);
    expect(ev.observer).toMatchObject({ vendor: 'Cisco', product: 'IOS', hostname: 'sw-core-01' });
    expect(ev.cisco.ios.facility).toBe('SEC_LOGIN');
  });

  test('configuration change and ACL log behind a relay header, with a UTC device clock', () => {
    const cfg = p('<189>Mar 14 09:05:00 relay01 88: *Mar 14 2026 02:05:00.000 UTC: %SYS-5-CONFIG_I: Configured from console by netadmin on vty0 (10.0.0.50)');
    expect(cfg['@timestamp']).toBe('2026-03-14T02:05:00.000Z');
    expect(cfg.event).toMatchObject({ action: 'configuration-changed', category: ['configuration'] });
    expect(cfg.user.name).toBe('netadmin');
    expect(cfg.source.ip).toBe('10.0.0.50');
    expect(cfg.observer.hostname).toBe('relay01');
    const acl = p('<190>77: Mar 14 09:06:00: %SEC-6-IPACCESSLOGP: list OUTSIDE-IN denied tcp 198.51.100.9(44321) -> 10.1.1.1(23), 1 packet');
    expect(acl.event.type).toEqual(['connection', 'denied']);
    expect(acl.source).toMatchObject({ ip: '198.51.100.9', port: 44321 });
    expect(acl.destination).toMatchObject({ ip: '10.1.1.1', port: 23 });
    expect(acl.rule.name).toBe('OUTSIDE-IN');
  });

  test('port-security violation names the MAC and port', () => {
    const ev = p('<186>512: Mar 14 09:07:00: %PORT_SECURITY-2-PSECURE_VIOLATION: Security violation occurred, caused by MAC address 0015.5d9c.3d01 on port GigabitEthernet1/0/13.');
    expect(ev.source.mac).toBe('00-15-5D-9C-3D-01');
    expect(ev.observer.ingress.interface.name).toBe('GigabitEthernet1/0/13');
    expect(ev.event.action).toBe('port-security-violation');
  });
});
