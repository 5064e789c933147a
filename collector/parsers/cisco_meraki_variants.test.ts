/**
 * Cisco Meraki lines written for these tests in the shapes of Meraki's "Syslog Event Types and Log Samples":
 * the free-text events (DHCP lease, no offer, client VPN), key=value wireless and VPN events, IDS matches and
 * file verdicts, and cut-short forms of them: each gets its action, category and type; a damaged one keeps
 * the device and type.
 */
import { parse } from './index';

const at = { receivedAt: new Date('2026-11-20T03:00:00Z'), timezone: 'UTC', dataset: 'cisco_meraki.log' };
type Ev = Record<string, any>;
const p = (line: string): Ev => parse(line, at) as Ev;

describe('Cisco Meraki variants', () => {
  test('free-text MX events: DHCP lease and no offer, a client VPN connection', () => {
    const lease = p('<134>1 1795659000.125 MX75-XA events dhcp lease of ip 10.90.4.21 from mx mac 0C:8D:DB:11:22:33 for client mac 64:5A:ED:44:55:66 from router 10.90.4.1 on subnet 255.255.255.0 with dns 10.90.0.2');
    expect(lease.event).toMatchObject({ action: 'dhcp-offer', type: ['info', 'access', 'allowed'] });
    expect(lease.client).toMatchObject({ ip: '10.90.4.21', mac: '64-5A-ED-44-55-66' });
    expect(lease.server.mac).toBe('0C-8D-DB-11-22-33');
    expect(lease.network.protocol).toBe('dhcp');
    const none = p('<134>1 1795659001.0 MX75-XA events dhcp no offers for mac 64:5A:ED:44:55:67 host = 10.90.4.1');
    expect(none.event).toMatchObject({ action: 'dhcp-no-offer', type: ['info', 'access', 'denied'] });
    expect(none.cisco_meraki.event_subtype).toBe('dhcp_no_offer');
    const vpn = p("<134>1 1795659002.0 MX75-XA events client_vpn_connect user id 'le.hoa@tinh.gov.vn' local ip 172.20.0.14 connected from 203.0.113.140");
    expect(vpn.user.name).toBe('le.hoa@tinh.gov.vn');
    expect(vpn.client.ip).toBe('203.0.113.140');
    expect(vpn.network.forwarded_ip).toBe('172.20.0.14');
    expect(vpn.event.type).toEqual(['info', 'access', 'allowed', 'start']);
  });

  test('key=value events: WPA deauthentication, VPN connectivity under the site-to-site tunnel', () => {
    const deauth = p("<134>1 1795659003.0 MR36-P1 events type=wpa_deauth radio='1' vap='0' client_mac='3C:22:FB:01:02:03' aid='4711'");
    expect(deauth.event).toMatchObject({ action: 'wifi-wpa-failed-auth-or-deauth', category: ['network', 'authentication'], type: ['info', 'end', 'denied'] });
    expect(deauth.client.mac).toBe('3C-22-FB-01-02-03');
    const conn = p("<134>1 1795659004.0 MX75-XA events type=vpn_connectivity_change vpn_type='site-to-site' peer_contact='198.51.100.9:500' peer_ident='ab12cd34' connectivity='true'");
    expect(conn.cisco_meraki.site_to_site_vpn.connectivity_change).toMatchObject({ connectivity: 'true', peer_contact: '198.51.100.9:500' });
    expect(conn.event.action).toBe('vpn-connectivity-change');
  });

  test('an IDS match blocked by decision, and a file verdict with its indicator', () => {
    const ids = p('<134>1 1795659005.5 MX75-XA security_event ids_alerted signature=1:58000:1 priority=1 timestamp=1795659005.4 direction=ingress protocol=tcp/ip src=198.51.100.80:443 dst=10.90.4.21:50500 decision=blocked action=allow message: MALWARE-CNC Win.Trojan beacon');
    expect(ids.event).toMatchObject({ kind: 'alert', action: 'ids-signature-matched', type: ['denied'] });
    expect(ids.cisco_meraki.security).toMatchObject({ signature: '1:58000:1', decision: 'blocked', priority: '1' });
    expect(ids.threat.indicator.last_seen).toBe('2026-11-26T02:10:05.400Z');
    const file = p("<134>1 1795659006.0 MX75-XA security_event security_filtering_file_scanned url=http://dl.example.net/tool.exe src=10.90.4.21:50501 dst=198.51.100.81:80 mac=64:5A:ED:44:55:66 name='Trojan.Generic' sha256=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae disposition=malicious action=block");
    expect(file.event).toMatchObject({ action: 'malicious-file-actioned', type: ['denied'] });
    expect(file.threat.indicator).toMatchObject({ reference: 'http://dl.example.net/tool.exe', file: { name: 'Trojan.Generic' } });
    expect(file.cisco_meraki.disposition).toBe('malicious');
  });

  test('cut-short events keep the device and type, never a pipeline error', () => {
    const cut = p('<134>1 1795659007.0 MX75-XA events dhcp lease of ip 10.90.');
    expect(cut.event.kind).not.toBe('pipeline_error');
    expect(cut.observer).toMatchObject({ hostname: 'MX75-XA', vendor: 'Cisco' });
    expect(cut.cisco_meraki.event_type).toBe('events');
    const ids = p('<134>1 1795659008.0 MX75-XA security_event ids_alerted signature=1:58');
    expect(ids.event.kind).toBe('alert');
    expect(ids.cisco_meraki.security.signature).toBe('1:58');
  });
});
