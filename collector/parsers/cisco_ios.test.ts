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


  test('the sequence number after a relay header is cisco.ios.sequence, and a router stays a router', () => {
    const ev = p('<189>Mar 14 09:20:00 sw-acc-07.agency.local 88123417: *Mar 14 2026 02:19:58.512 UTC: %AUTHMGR-5-SECURITY_VIOLATION: Security violation on the interface GigabitEthernet2/0/7, new MAC address (00a1.b2c3.d4e5) is seen.AuditSessionID Unassigned');
    expect(ev['@timestamp']).toBe('2026-03-14T02:19:58.512Z');
    expect(ev.cisco.ios).toMatchObject({ facility: 'AUTHMGR', sequence: '88123417' });
    expect(ev.cisco.ios.message_count).toBeUndefined();
    expect(ev.event.sequence).toBe(88123417);
    expect(ev.observer).toMatchObject({ type: 'router', hostname: 'sw-acc-07.agency.local', ingress: { interface: { name: 'GigabitEthernet2/0/7' } } });
    // Elastic's constant event.provider, as its current pipeline writes it next to observer.type router
    expect(ev.event.provider).toBe('firewall');
  });

  test('message count and service sequence-numbers on one line', () => {
    const ev = p('<187>412: 000087: *Mar 14 2026 08:30:01.004: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down');
    expect(ev.cisco.ios).toMatchObject({ message_count: 412, sequence: '000087' });
    expect(ev.event.sequence).toBe(87);
    expect(ev.event.action).toBe('interface-down');
    const count = p('<190>9311: Mar 14 08:30:02.100: %TCP-6-BADAUTH: Invalid MD5 digest from 10.9.0.1(179) to 10.9.0.2(33012) tableid - 0');
    expect(count.cisco.ios.message_count).toBe(9311);
    expect(count.cisco.ios.sequence).toBeUndefined();
    expect(count.event.sequence).toBe(9311);
    expect(count.source).toMatchObject({ ip: '10.9.0.1', port: 179 });
  });

  test('Small Business switches write the severity as a letter and the mnemonic in mixed case', () => {
    const snmp = p('<188>Mar 14 09:05:00 sw-floor2 %SNMP-W-TRAPREJECT: SNMP trap rejected: community public from 10.9.0.77');
    expect(snmp.event).toMatchObject({ dataset: 'cisco_ios.log', code: 'TRAPREJECT', severity: 4 });
    expect(snmp.log.level).toBe('warning');
    expect(snmp.cisco.ios.facility).toBe('SNMP');
    expect(snmp.observer).toMatchObject({ vendor: 'Cisco' });
    const link = p('<190>Mar 14 09:06:00 sw-floor2 %LINK-I-Up:  gi1/0/12');
    expect(link.event).toMatchObject({ code: 'Up', severity: 6 });
    // a letter that is no severity is not read as one
    expect(p('<190>Mar 14 09:06:00 sw-floor2 %LINK-Q-Up:  gi1/0/12').event.dataset).not.toBe('cisco_ios.log');
  });
});
