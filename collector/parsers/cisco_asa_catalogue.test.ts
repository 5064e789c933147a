import { parse } from './index';

const at = { receivedAt: new Date('2026-05-02T03:00:00Z'), timezone: 'UTC' };
type Ev = Record<string, any>;
const p = (line: string): Ev => parse(line, at) as Ev;

describe('Cisco ASA message catalogue variants', () => {
  test('106102 of an authenticated user, with a facility in the tag (kept as cisco.asa.suffix)', () => {
    const ev = p('May 02 2026 10:00:00: %ASA-session-6-106102: access-list vpn_users_in permitted tcp for user hoa.le inside/10.40.0.9(51515) -> dmz/10.50.0.2(22) hit-cnt 3 300-second interval [0x1a2b3c4d, 0x0]');
    expect(ev.event).toMatchObject({ code: '106102', severity: 6, action: 'firewall-rule', outcome: 'success', type: ['connection', 'allowed'] });
    expect(ev.source).toMatchObject({ ip: '10.40.0.9', port: 51515 });
    expect(ev.destination).toMatchObject({ ip: '10.50.0.2', port: 22 });
    expect(ev.user.name).toBe('hoa.le');
    expect(ev.cisco.asa).toMatchObject({ suffix: 'session', rule_name: 'vpn_users_in', source_interface: 'inside', destination_interface: 'dmz' });
  });

  test('106023 with the ICMP type and code written bare before a comma', () => {
    const ev = p('May 02 2026 10:01:00: %ASA-4-106023: Deny icmp src outside:203.0.113.70 dst inside:10.40.0.1 type 8, code 0, by access-group "outside_in" [0x0, 0x0]');
    expect(ev.event).toMatchObject({ outcome: 'failure', type: ['connection', 'denied'] });
    expect(ev.cisco.asa).toMatchObject({ rule_name: 'outside_in', icmp_type: 8, icmp_code: 0 });
    expect(ev.source.ip).toBe('203.0.113.70');
  });

  test('313009 invalid ICMP code and 607001 SIP pinhole', () => {
    const icmp = p('May 02 2026 10:02:00: %ASA-4-313009: Denied invalid ICMP code 4, for lan:10.40.0.20/1200 (10.40.0.20/1200) to wan:198.51.100.3/0 (203.0.113.3/0), ICMP id 77, ICMP type 8');
    expect(icmp.event.type).toEqual(['connection', 'denied']);
    expect(icmp.cisco.asa).toMatchObject({ icmp_code: 4, icmp_type: 8, mapped_destination_ip: '203.0.113.3', source_interface: 'lan' });
    const sip = p('May 02 2026 10:03:00: %ASA-6-607001: Pre-allocate SIP Via UDP secondary channel for voice:10.60.0.5/5060 to wan:198.51.100.9 from INVITE message');
    expect(sip.source.ip).toBe('198.51.100.9');
    expect(sip.destination).toMatchObject({ ip: '10.60.0.5', port: 5060 });
    expect(sip.network.transport).toBe('udp');
    expect(sip.cisco.asa).toMatchObject({ connection_type: 'Via UDP', message: 'INVITE' });
  });

  test('a 106102 line cut short keeps the tag, the vendor and the severity', () => {
    const ev = p('May 02 2026 10:04:00: %ASA-6-106102: access-list vpn_users_in permitted tcp for us');
    expect(ev.event).toMatchObject({ kind: 'event', code: '106102', severity: 6 });
    expect(ev.observer).toMatchObject({ vendor: 'Cisco', product: 'asa' });
    expect(ev.source).toBeUndefined();
  });
});
