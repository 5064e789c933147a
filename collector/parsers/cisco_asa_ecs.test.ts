import { parse } from './index';

const at = { receivedAt: new Date('2026-06-02T03:00:00Z'), timezone: 'UTC' };
type Ev = Record<string, any>;
const p = (line: string): Ev => parse(line, at) as Ev;
const pinned = (line: string): Ev => parse(line, { ...at, dataset: 'cisco_asa.log' }) as Ev;

describe('Cisco ASA: what Elastic does after each message grammar', () => {
  test('302015 with users and security group tags on both sides and the user who ended it', () => {
    const ev = p('Jun 02 2026 10:00:00 fw-hq : %ASA-6-302015: Built inbound UDP connection 4411 for outside:198.51.100.7/50001 (198.51.100.7/50001)(CORP\\minh, 17) to dmz:10.9.0.4/1812 (203.0.113.4/1812)(LOCAL\\radius, 33:Servers) (svc_audit)');
    expect(ev.source).toMatchObject({ ip: '198.51.100.7', port: 50001, user: { name: 'minh', domain: 'CORP' } });
    expect(ev.source.nat).toBeUndefined();
    expect(ev.destination).toMatchObject({ ip: '10.9.0.4', port: 1812, nat: { ip: '203.0.113.4' }, user: { name: 'radius' } });
    expect(ev.destination.nat.port).toBeUndefined();
    expect(ev.cisco.asa).toMatchObject({
      source_username: 'CORP\\minh', source_user_security_group_tag: 17, destination_username: 'LOCAL\\radius',
      destination_user_security_group_tag: 33, destination_user_security_group_tag_name: 'Servers', termination_user: 'svc_audit',
      mapped_source_ip: '198.51.100.7', mapped_source_port: 50001, mapped_destination_ip: '203.0.113.4', mapped_destination_port: 1812,
    });
    // as Elastic: user.name is the destination user when no other is named; the user's domain is a related host
    expect(ev.user.name).toBe('radius');
    expect(ev.related.hosts).toEqual(expect.arrayContaining(['fw-hq', 'CORP']));
    expect(ev.event).toMatchObject({ action: 'flow-creation', category: ['network'], type: ['connection', 'start'], outcome: 'success' });
  });

  test('a name configured on the ASA where an address stands: the endpoint and the mapped side are hosts', () => {
    const ev = p('Jun 02 2026 10:01:00 fw-hq : %ASA-6-302013: Built inbound TCP connection 12 for partners:sftp-gw/2222 (sftp-gw/2222) to inside:10.9.0.30/22 (10.9.0.30/22)');
    expect(ev.source).toMatchObject({ address: 'sftp-gw', domain: 'sftp-gw', port: 2222 });
    expect(ev.cisco.asa).toMatchObject({ mapped_source_host: 'sftp-gw', mapped_source_port: 2222, mapped_destination_ip: '10.9.0.30' });
    expect(ev.related.hosts).toEqual(expect.arrayContaining(['sftp-gw']));
  });

  test('302016 teardown: the user after an address, the reason, who ended it, and start/end from the duration', () => {
    const ev = p('Jun 02 2026 10:02:00 fw-hq : %ASA-6-302016: Teardown UDP connection 77 for outside:198.51.100.9/53(LOCAL\\ops) to inside:10.9.0.53/53 duration 0:02:00 bytes 512 Flow closed by inspection from inside (admin2)');
    expect(ev.source.user.name).toBe('ops');
    expect(ev.cisco.asa).toMatchObject({ source_username: 'LOCAL\\ops', termination_initiator: 'inside', termination_user: 'admin2' });
    expect(ev.event).toMatchObject({ reason: 'Flow closed by inspection', duration: 120e9, action: 'flow-expiration', type: ['connection', 'end'] });
    expect(ev.event.end).toBe('2026-06-02T10:02:00.000Z');
    expect(ev.event.start).toBe('2026-06-02T10:00:00.000Z');
    expect(ev.network.bytes).toBe(512);
  });

  test('302021 ICMP teardown: the foreign address is the destination, the local one the source, the global one its translation', () => {
    const ev = p('Jun 02 2026 10:03:00 fw-hq : %ASA-6-302021: Teardown ICMP connection for faddr monitor.example.net/7 gaddr 203.0.113.50/0 laddr probe-01/0 type 0 code 0');
    expect(ev.destination).toMatchObject({ domain: 'monitor.example.net' });
    expect(ev.source).toMatchObject({ domain: 'probe-01', nat: { ip: '203.0.113.50' } });
    expect(ev.cisco.asa).toMatchObject({ mapped_source_ip: '203.0.113.50', icmp_type: 0, icmp_code: 0 });
    expect(ev.network).toMatchObject({ transport: 'icmp', iana_number: '1' });
    expect(ev.related.hosts).toEqual(expect.arrayContaining(['monitor.example.net', 'probe-01']));
  });

  test('305012 translation teardown: the translated address as destination, the slot deleted, start and end', () => {
    const ev = p('Jun 02 2026 10:04:00 fw-hq : %ASA-6-305012: Teardown dynamic TCP translation from inside:10.9.0.77/51000 to outside:203.0.113.1/51000 duration 0:00:30');
    expect(ev.source).toMatchObject({ ip: '10.9.0.77', port: 51000, nat: { ip: '203.0.113.1', port: 51000 } });
    expect(ev.destination).toMatchObject({ ip: '203.0.113.1', port: 51000 });
    expect(ev.event).toMatchObject({ action: 'nat-slot', category: ['network', 'configuration'], type: ['deletion'], duration: 30e9 });
    expect(Date.parse(ev.event.end) - Date.parse(ev.event.start)).toBe(30e3);
  });

  test('313008 IPv6 ICMP denial and 106023 by protocol number with a user after the source', () => {
    const v6 = p('Jun 02 2026 10:05:00 fw-hq : %ASA-3-313008: Denied IPv6-ICMP type=135, code=0 from 2001:db8:5::9 on interface wan2');
    expect(v6.network).toMatchObject({ transport: 'ipv6-icmp', iana_number: '58' });
    expect(v6.source.ip).toBe('2001:db8:5::9');
    expect(v6.cisco.asa).toMatchObject({ icmp_type: 135, icmp_code: 0, source_interface: 'wan2' });
    expect(v6.event).toMatchObject({ action: 'firewall-rule', type: ['connection', 'denied'], outcome: 'failure' });
    const gre = p('Jun 02 2026 10:05:30 fw-hq : %ASA-4-106023: Deny protocol 47 src outside:198.51.100.20(CORP\\tunnel) dst inside:10.9.0.1 by access-group "out_in" [0x0, 0x0]');
    expect(gre.network).toMatchObject({ iana_number: '47', transport: 'gre' });
    expect(gre.source).toMatchObject({ ip: '198.51.100.20', user: { name: 'tunnel', domain: 'CORP' } });
    expect(gre.destination.ip).toBe('10.9.0.1');
    expect(gre.rule.name).toBe('out_in');
  });

  test('434002 and 434004: traffic the FirePOWER module dropped or let the ASA handle', () => {
    const drop = p('Jun 02 2026 10:06:00 fw-hq : %ASA-4-434002: SFR requested to drop TCP packet from outside:198.51.100.3/4444 to inside:10.9.0.8/3389');
    expect(drop.event).toMatchObject({ type: ['connection', 'denied'], outcome: 'failure' });
    expect(drop.source).toMatchObject({ ip: '198.51.100.3', port: 4444 });
    const bypass = p('Jun 02 2026 10:06:30 fw-hq : %ASA-5-434004: SFR requested ASA to bypass further packet redirection and process UDP flow from inside:10.9.0.8/5000 to outside:198.51.100.3/53 locally');
    expect(bypass.event).toMatchObject({ action: 'bypass', type: ['info'] });
    expect(bypass.network.transport).toBe('udp');
    expect(bypass.cisco.asa).toMatchObject({ source_interface: 'inside', destination_interface: 'outside' });
  });

  test('304001 URL access: the client, the server name and the URL split', () => {
    const ev = p('Jun 02 2026 10:07:00 fw-hq : %ASA-5-304001: 10.9.0.40 Accessed URL updates.example.org:https://updates.example.org/v2/pkg.msi?x=1');
    expect(ev.source.ip).toBe('10.9.0.40');
    expect(ev.destination.domain).toBe('updates.example.org');
    expect(ev.url).toMatchObject({ scheme: 'https', domain: 'updates.example.org', path: '/v2/pkg.msi', query: 'x=1', extension: 'msi' });
    expect(ev.event).toMatchObject({ action: 'url-access', type: ['access', 'allowed'] });
  });

  test('733100: a drop rate of a user or host is an event; of an attack class (Scanning) an alert', () => {
    const user = p('Jun 02 2026 10:08:00: %ASA-4-733100: [ CORP\\binh#011] drop rate-2 exceeded. Current burst rate is 12 per second, max configured rate is 10; Current average rate is 3 per second, max configured rate is 5; Cumulative total count is 900');
    expect(user.cisco.asa.burst).toEqual({ object: 'CORP\\binh', id: 'rate-2', current_rate: '12', configured_rate: '10', avg_rate: '3', configured_avg_rate: '5', cumulative_count: '900' });
    expect(user.event).toMatchObject({ kind: 'event', category: ['network'], type: ['info'] });
    const scan = p('Jun 02 2026 10:08:30: %ASA-4-733100: [ Scanning] drop rate-1 exceeded. Current burst rate is 30 per second, max configured rate is 10; Current average rate is 8 per second, max configured rate is 5; Cumulative total count is 4000');
    expect(scan.event).toMatchObject({ kind: 'alert', action: 'threat-detected' });
    expect(scan.event.category).toEqual(expect.arrayContaining(['network', 'intrusion_detection']));
  });

  test('751025 and 750002: Local is the source and Remote the destination, as Elastic reads them; client.* is the VPN client', () => {
    const ev = p('<166>Jun 02 2026 10:09:00 vpn-hq : %ASA-6-751025: Local:203.0.113.2:4500 Remote:198.51.100.61:61000 Username:an.do@so.example.vn IKEv2 Group:GP_Remote IPv4 Address=10.77.0.5 IPv6 address=invalid-addr-2-0.0.0.0 assigned to session');
    expect(ev.source).toMatchObject({ ip: '203.0.113.2', port: 4500 });
    expect(ev.destination).toMatchObject({ ip: '198.51.100.61', port: 61000 });
    expect(ev.client).toMatchObject({ ip: '198.51.100.61', port: 61000 });
    expect(ev.server.ip).toBe('203.0.113.2');
    expect(ev.related.hosts).toEqual(expect.arrayContaining(['so.example.vn']));
    const up = p('<166>Jun 02 2026 10:09:05 vpn-hq : %ASA-5-750002: Local:203.0.113.2:500 Remote:198.51.100.62:500 Username:Unknown IKEv2 Received a IKE_INIT_SA request');
    expect(up.event).toMatchObject({ action: 'connection-started', type: ['connection', 'start'], reason: 'IKEv2 Received a IKE_INIT_SA request' });
    expect(up.client.ip).toBe('198.51.100.62');
  });

  test("a device time with a zone word after the relay's header is the event's time", () => {
    const ev = p('Jun  2 10:10:00 relay-01 : Jun  2 06:10:00 EDT: %ASA-6-113004: AAA user authentication Successful : server = radius-01 : user = lan.tran');
    expect(ev['@timestamp']).toBe('2026-06-02T10:10:00.000Z');
    expect(ev.event.timezone).toBe('EDT');
    expect(ev.cisco.asa.aaa_type).toBe('authentication');
    expect(ev.destination.domain).toBe('radius-01');
    expect(ev.event).toMatchObject({ action: 'logged-in', category: ['authentication', 'network'], type: ['allowed', 'info'] });
  });

  test('a pinned ASA source line without the %ASA tag keeps the device and product and says it is partial', () => {
    const ev = pinned('Jun  2 10:11:00 10.9.0.254 : AAA user authentication Rejected : reason = Invalid password : server = 10.9.0.10 : user = x');
    expect(ev.event.kind).toBe('event');
    expect(ev.observer).toMatchObject({ vendor: 'Cisco', product: 'asa', type: 'firewall', hostname: '10.9.0.254' });
    expect(ev.tags).toContain('partial');
    expect(ev.error.message).toMatch(/no %ASA-<level>-<id>: tag/);
    expect(ev.message).toMatch(/^AAA user authentication Rejected/);
  });

  test('a 302015 cut inside the mapped address keeps the tag, the vendor and network as its category', () => {
    const ev = p('Jun 02 2026 10:12:00 fw-hq : %ASA-6-302015: Built inbound UDP connection 9 for outside:198.51.100.7/50001 (198.51.100');
    expect(ev.event).toMatchObject({ kind: 'event', code: '302015', severity: 6, category: ['network'] });
    expect(ev.source).toBeUndefined();
    expect(ev.observer).toMatchObject({ vendor: 'Cisco', product: 'asa' });
  });
});
