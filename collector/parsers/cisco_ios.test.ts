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
    // as Elastic's cisco_ios: the verdict as event.action, info + denied
    expect(acl.event).toMatchObject({ action: 'deny', type: ['info', 'denied'] });
    expect(acl.network).toMatchObject({ transport: 'tcp', iana_number: '6', packets: 1, type: 'ipv4' });
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

  test('access-list hits in their other forms: ICMP type/code, a protocol number, an IGMP type', () => {
    const icmp = p('<190>301: Mar 14 10:00:00: %SEC-6-IPACCESSLOGDP: list EDGE-IN permitted icmp 203.0.113.5 -> 10.2.0.1 (8/0), 4 packets');
    expect(icmp.event).toMatchObject({ action: 'allow', type: ['info', 'allowed'] });
    expect(icmp.icmp).toEqual({ type: '8', code: '0' });
    expect(icmp.network).toMatchObject({ transport: 'icmp', packets: 4 });
    const gre = p('<190>302: Mar 14 10:00:01: %SEC-6-IPACCESSLOGNP: list EDGE-IN denied 47 198.51.100.2 -> 10.2.0.9, 1 packet');
    expect(gre.network).toMatchObject({ iana_number: '47', transport: 'gre' });
    expect(gre.destination.ip).toBe('10.2.0.9');
    const igmp = p('<190>303: Mar 14 10:00:02: %SEC-6-IPACCESSLOGSP: list MCAST denied igmp 10.2.0.7 -> 224.0.0.22 (22), 1 packet');
    expect(igmp.igmp.type).toBe('22');
    // an IOS-XE switch names the facility IPACL
    const xe = p('<190>304: Mar 14 10:00:03: %IPACL-6-ACCESSLOGP: list VTY-IN denied tcp 198.51.100.40(51000) -> 10.2.0.1(22), 2 packets');
    expect(xe.source).toMatchObject({ ip: '198.51.100.40', port: 51000 });
    expect(xe.cisco.ios.access_list).toBe('VTY-IN');
  });

  test('the zone firewall: a session audit trail with bytes each way, a dropped packet', () => {
    const trail = p('<190>401: Mar 14 10:01:00: %FW-6-SESS_AUDIT_TRAIL: (target:class)-(inside-out:web) SIS_CLOSED: Stop tcp session: initiator (10.3.0.5:51000) sent 420 bytes -- responder (192.0.2.80:443) sent 5120 bytes, from GigabitEthernet0/0');
    expect(trail.source).toMatchObject({ ip: '10.3.0.5', port: 51000, bytes: 420 });
    expect(trail.destination).toMatchObject({ ip: '192.0.2.80', port: 443, bytes: 5120 });
    expect(trail.network.bytes).toBe(5540);
    expect(trail.cisco.ios.interface.name).toBe('GigabitEthernet0/0');
    const drop = p('<188>402: Mar 14 10:01:01: %FW-4-DROP_PKT: Dropping tcp pkt from GigabitEthernet0/1 198.51.100.7:4444 => 10.3.0.9:3389 due to policy match failure');
    expect(drop.event).toMatchObject({ action: 'deny', reason: 'policy match failure' });
    expect(drop.source).toMatchObject({ ip: '198.51.100.7', port: 4444 });
    expect(drop.destination).toMatchObject({ ip: '10.3.0.9', port: 3389 });
  });

  test('a session logout, a successful login as the source user, a PIM join for an invalid RP', () => {
    const out = p('<189>501: Mar 14 10:02:00: %SYS-6-LOGOUT: User netops has exited tty session 2(10.0.0.51)');
    expect(out.source).toMatchObject({ ip: '10.0.0.51', user: { name: 'netops' } });
    expect(out.cisco.ios.session).toEqual({ type: 'tty', number: '2' });
    expect(out.event.action).toBe('logged-out');
    const login = p('<189>502: Mar 14 10:02:01: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: netops] [Source: 10.0.0.51] [localport: 22] at 10:02:01 UTC Sat Mar 14 2026');
    expect(login.source.user.name).toBe('netops');
    expect(login.related.user).toEqual(['netops']);
    const pim = p('<187>503: Mar 14 10:02:02: %PIM-3-INVALID_RP_JOIN: Received (*, 239.10.0.1) Join from 10.4.0.2 for invalid RP 10.9.9.9');
    expect(pim.event).toMatchObject({ action: 'multicast-join', outcome: 'failure', reason: 'Invalid RP' });
    expect(pim.cisco.ios.pim.group.ip).toBe('239.10.0.1');
    expect(pim.source.ip).toBe('10.4.0.2');
    expect(pim.destination.ip).toBe('10.9.9.9');
  });

  test('an access-list line cut before the packet count keeps the mnemonic and the text', () => {
    const ev = p('<190>601: Mar 14 10:03:00: %SEC-6-IPACCESSLOGP: list EDGE-IN denied tcp 198.51.100.9(443');
    expect(ev.event).toMatchObject({ code: 'IPACCESSLOGP', severity: 6, kind: 'event' });
    expect(ev.source).toBeUndefined();
    expect(ev.observer).toMatchObject({ vendor: 'Cisco', product: 'IOS' });
  });
});
