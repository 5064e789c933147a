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

  test('338002 botnet traffic filter: the listed destination name, the list, threat level and category, mapped addresses', () => {
    const ev = p('May 02 2026 11:00:00: %ASA-4-338002: Dynamic Filter monitored blacklisted TCP traffic from inside:10.40.0.15/50123 (203.0.113.8/41001) to outside:198.51.100.66/443 (198.51.100.66/443), destination malicious-c2.example resolved from dynamic list: malicious-c2.example, threat-level: very-high, category: Malware');
    expect(ev.source).toMatchObject({ ip: '10.40.0.15', port: 50123, nat: { ip: '203.0.113.8', port: 41001 } });
    expect(ev.destination).toMatchObject({ ip: '198.51.100.66', port: 443, domain: 'malicious-c2.example' });
    expect(ev.server.domain).toBe('malicious-c2.example');
    expect(ev.cisco.asa).toMatchObject({ rule_name: 'dynamic', threat_level: 'very-high', threat_category: 'Malware', source_interface: 'inside' });
    expect(ev.event).toMatchObject({ action: 'dynamic-filter', type: ['connection', 'info'] });
    expect(ev.related.hosts).toEqual(expect.arrayContaining(['malicious-c2.example']));
    // an address entry of the list is no domain
    const byIp = p('May 02 2026 11:00:01: %ASA-4-338008: Dynamic Filter dropped blacklisted UDP traffic from inside:10.40.0.16/5353 (203.0.113.8/5353) to outside:198.51.100.67/53 (198.51.100.67/53), destination 198.51.100.67 resolved from local list: 198.51.100.67/255.255.255.255, threat-level: high, category: Botnet');
    expect(byIp.destination.domain).toBeUndefined();
    expect(byIp.event).toMatchObject({ type: ['connection', 'denied'], outcome: 'failure' });
  });

  test('SSL handshakes, IPsec SAs and local hosts', () => {
    const tls = p('May 02 2026 11:01:00: %ASA-6-725001: Starting SSL handshake with client outside:198.51.100.80/52000 to 203.0.113.2/443 for TLSv1.2 session');
    expect(tls.source).toMatchObject({ ip: '198.51.100.80', port: 52000 });
    expect(tls.destination).toMatchObject({ ip: '203.0.113.2', port: 443 });
    expect(tls.tls).toEqual({ version_protocol: 'tls', version: '1.2' });
    expect(tls.cisco.asa).toMatchObject({ peer_type: 'client', source_interface: 'outside' });
    const sa = p('May 02 2026 11:02:00: %ASA-6-602303: IPSEC: An outbound LAN-to-LAN SA (SPI= 0x1A2B3C4D) between 203.0.113.2 and 198.51.100.90 (user= 198.51.100.90) has been created.');
    expect(sa.network).toMatchObject({ type: 'ipsec', direction: 'outbound' });
    expect(sa.cisco.asa.tunnel_type).toBe('LAN-to-LAN');
    expect(sa.event).toMatchObject({ action: 'sa-created', type: ['connection', 'start'] });
    const host = p('May 02 2026 11:03:00: %ASA-6-609002: Teardown local-host dmz:10.50.0.9 duration 1:00:05');
    expect(host.source.ip).toBe('10.50.0.9');
    expect(host.event).toMatchObject({ duration: 3605e9, action: 'flow-expiration' });
    expect(Date.parse(host.event.end) - Date.parse(host.event.start)).toBe(3605e3);
  });

  test('configuration, privilege and MAC spoofing messages', () => {
    const failed = p('May 02 2026 11:04:00: %ASA-5-111004: 10.40.0.2 end configuration: FAILED');
    expect(failed.event).toMatchObject({ category: ['configuration'], type: ['info'], outcome: 'failure' });
    const priv = p('May 02 2026 11:04:30: %ASA-5-502103: User priv level changed: Uname: hung.tran From: 1 To: 15');
    expect(priv.server.user.name).toBe('hung.tran');
    expect(priv.cisco.asa.privilege).toEqual({ old: '1', new: '15' });
    expect(priv.event).toMatchObject({ category: ['iam'], type: ['user', 'change'], action: 'privilege-level-changed' });
    const mac = p('May 02 2026 11:05:00: %ASA-2-322001: Deny MAC address 0011.2233.4455, possible spoof attempt on interface inside');
    expect(mac.source.mac).toBe('00-11-22-33-44-55');
    expect(mac.event).toMatchObject({ type: ['connection', 'denied'], outcome: 'failure' });
  });

  test('WebVPN resume, address pool and flow offload messages', () => {
    const resume = p('May 02 2026 11:06:00: %ASA-6-716059: Group <GP_Staff> User <mai> IP <203.0.113.2> AnyConnect session resumed connection from IP <198.51.100.33>.');
    expect(resume.source).toMatchObject({ ip: '198.51.100.33', user: { name: 'mai' } });
    expect(resume.destination.ip).toBe('203.0.113.2');
    expect(resume.event.action).toBe('client-vpn-resumed');
    const pool = p('May 02 2026 11:06:30: %ASA-5-737026: IPAA: Session=0x0000a000, Client assigned 10.88.0.20 from local pool VPN_POOL');
    expect(pool.cisco.asa).toMatchObject({ session_id: '0x0000a000', pool_address: '10.88.0.20', pool_name: 'VPN_POOL' });
    const offload = p('May 02 2026 11:07:00: %ASA-6-805001: Offloaded TCP Flow for connection 7766 from inside:10.40.0.30/40000 (203.0.113.9/40000) to outside:198.51.100.5/443 (198.51.100.5/443)');
    expect(offload.source.nat.ip).toBe('203.0.113.9');
    expect(offload.cisco.asa).toMatchObject({ connection_id: '7766', mapped_destination_ip: '198.51.100.5' });
    expect(offload.event.action).toBe('flow-offload-started');
  });

  test('419002 duplicate SYN: the reason around the endpoints; 313005 the original packet of an unmatched ICMP error', () => {
    const syn = p('May 02 2026 11:08:00: %ASA-4-419002: Received duplicate TCP SYN from inside:10.40.0.31/40001 to outside:198.51.100.6/80 with different initial sequence number.');
    expect(syn.event.reason).toBe('Received duplicate TCP SYN with different initial sequence number.');
    expect(syn.network.transport).toBe('tcp');
    expect(syn.destination).toMatchObject({ ip: '198.51.100.6', port: 80 });
    const icmp = p('May 02 2026 11:09:00: %ASA-4-313005: No matching connection for ICMP error message: icmp src outside:198.51.100.7 dst inside:10.40.0.32 (type 3, code 3) on outside interface.  Original IP payload: udp src 10.40.0.32/5060 dst 198.51.100.7/5060.');
    expect(icmp.source).toMatchObject({ ip: '10.40.0.32', port: 5060 });
    expect(icmp.destination).toMatchObject({ ip: '198.51.100.7', port: 5060 });
    expect(icmp.cisco.asa).toMatchObject({ icmp_type: 3, icmp_code: 3, source_interface: 'outside', destination_interface: 'inside' });
  });

  test('a catalogue message cut short keeps its id, severity and category', () => {
    const ev = p('May 02 2026 11:10:00: %ASA-4-338002: Dynamic Filter monitored blacklisted TCP traffic from inside:10.40.0.15/501');
    expect(ev.event).toMatchObject({ code: '338002', severity: 4, kind: 'event', action: 'dynamic-filter' });
    expect(ev.source).toBeUndefined();
  });

  test('cluster stub flows, a discarded VRRP request, an ICMP error whose original packet is ICMP, a deny with the type glued on', () => {
    const built = p('May 02 2026 11:11:00: %ASA-6-302022: Built forwarder  stub TCP connection for lan:10.40.0.50/40100 (203.0.113.9/40100) to wan:198.51.100.9/443 (198.51.100.9/443)');
    expect(built.source).toMatchObject({ ip: '10.40.0.50', port: 40100 });
    expect(built.destination).toMatchObject({ ip: '198.51.100.9', port: 443 });
    expect(built.event).toMatchObject({ action: 'flow-creation', type: ['connection', 'start'] });
    const down = p('May 02 2026 11:11:30: %ASA-6-302027: Teardown stub ICMP connection for lan:10.40.0.50/7 to wan:198.51.100.9/0 duration 0:00:30 forwarded bytes 84 Cluster flow with CLU closed on owner');
    expect(down.network).toMatchObject({ transport: 'icmp', bytes: 84 });
    expect(down.event).toMatchObject({ duration: 30e9, reason: 'Cluster flow with CLU closed on owner', action: 'flow-expiration' });
    const vrrp = p('May 02 2026 11:12:00: %ASA-7-710006: VRRP request discarded from 10.40.0.2 to lan:224.0.0.18');
    expect(vrrp.source.ip).toBe('10.40.0.2');
    expect(vrrp.network.protocol).toBe('vrrp');
    expect(vrrp.event).toMatchObject({ type: ['connection', 'denied'] });
    const err = p('May 02 2026 11:13:00: %ASA-4-313005: No matching connection for ICMP error message: icmp src lan:10.40.0.60(CORP\\kiet) dst wan:198.51.100.70 (type 3, code 1) on lan interface. Original IP payload: icmp src 10.40.0.60 dst 198.51.100.70 (type 8, code 0).');
    expect(err.source.ip).toBe('10.40.0.60');
    expect(err.destination.ip).toBe('198.51.100.70');
    const glued = p('May 02 2026 11:14:00: %ASA-3-106014: Deny inbound icmp src wan:198.51.100.71 dst lan:10.40.0.61(type 8, code 0)');
    expect(glued.destination.ip).toBe('10.40.0.61');
    expect(glued.cisco.asa).toMatchObject({ icmp_type: 8, icmp_code: 0 });
  });
});
