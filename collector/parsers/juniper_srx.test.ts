import { parse } from './index';

const at = { receivedAt: new Date('2026-05-02T03:00:00Z'), timezone: 'UTC' };
type Ev = Record<string, any>;
const p = (line: string, ctx: Record<string, unknown> = {}): Ev => parse(line, { ...at, ...ctx }) as Ev;

describe('Juniper SRX', () => {
  test('structured-data RT_FLOW session close: endpoints, NAT, zones, bytes, duration', () => {
    const ev = p('<14>1 2026-05-02T09:40:00.120+07:00 srx-hq RT_FLOW - RT_FLOW_SESSION_CLOSE [junos@2636.1.1.1.2.129 reason="TCP FIN" source-address="10.70.0.5" source-port="52000" destination-address="198.51.100.80" destination-port="443" service-name="junos-https" nat-source-address="203.0.113.5" nat-source-port="40001" nat-destination-address="198.51.100.80" nat-destination-port="443" protocol-id="6" policy-name="trust-to-untrust" source-zone-name="trust" destination-zone-name="untrust" session-id-32="88001" packets-from-client="12" bytes-from-client="3400" packets-from-server="10" bytes-from-server="52000" elapsed-time="14" username="N/A"]');
    expect(ev.event).toMatchObject({ dataset: 'juniper_srx.log', action: 'flow_close', kind: 'event', category: ['network'], type: ['connection', 'allowed', 'end'], duration: 14e9 });
    expect(ev.source).toMatchObject({ ip: '10.70.0.5', port: 52000, bytes: 3400, packets: 12, nat: { ip: '203.0.113.5', port: 40001 } });
    expect(ev.destination).toMatchObject({ ip: '198.51.100.80', port: 443, bytes: 52000 });
    expect(ev.network).toMatchObject({ transport: 'tcp', iana_number: '6', protocol: 'https' });
    expect(ev.observer).toMatchObject({ vendor: 'Juniper', product: 'SRX', type: 'firewall', name: 'srx-hq', ingress: { zone: 'trust' }, egress: { zone: 'untrust' } });
    expect(ev.juniper.srx).toMatchObject({ process: 'RT_FLOW', tag: 'RT_FLOW_SESSION_CLOSE', reason: 'TCP FIN', policy_name: 'trust-to-untrust' });
    expect(ev.source.user).toBeUndefined();
  });

  test('UTM web filter block and anti-virus detection are alerts', () => {
    const web = p('<12>1 2026-05-02T02:41:00Z srx-br1 RT_UTM - WEBFILTER_URL_BLOCKED [junos@2636.1.1.1.2.86 source-address="10.71.0.9" source-port="50500" destination-address="203.0.113.99" destination-port="80" category="Gambling" reason="BY_PRE_DEFINED" profile="wf-staff" url="casino.example" obj="/play" username="mai"]');
    expect(web.event).toMatchObject({ kind: 'alert', action: 'web_filter', category: ['network', 'malware'], type: ['info', 'denied', 'connection'] });
    expect(web.url).toEqual({ domain: 'casino.example', path: '/play' });
    expect(web.source.user.name).toBe('mai');
    expect(web.juniper.srx).toMatchObject({ category: 'Gambling', profile: 'wf-staff' });
    const av = p('<12>1 2026-05-02T02:42:00Z srx-br1 RT_UTM - AV_VIRUS_DETECTED_MT [junos@2636.1.1.1.2.40 source-address="203.0.113.99" source-port="80" destination-address="10.71.0.9" destination-port="50501" source-zone-name="untrust" filename="casino.example/setup.exe" name="Trojan.Example" error-code="0"]');
    expect(av.event).toMatchObject({ kind: 'alert', action: 'virus_detected' });
    expect(av.file.name).toBe('casino.example/setup.exe');
    expect(av.juniper.srx.name).toBe('Trojan.Example');
  });

  test('BSD text session create', () => {
    const ev = p('<14>May  2 09:43:00 srx-br2 RT_FLOW: RT_FLOW_SESSION_CREATE: session created 10.72.0.4/61000->192.0.2.53/53 0x0 junos-dns-udp 203.0.113.7/61000->192.0.2.53/53 0x0 source rule r-out N/A N/A 17 out-policy trust untrust 900 N/A(N/A) ge-0/0/1.0 UNKNOWN UNKNOWN UNKNOWN');
    expect(ev.event).toMatchObject({ dataset: 'juniper_srx.log', action: 'flow_started', type: ['connection', 'allowed', 'start'] });
    expect(ev.source).toMatchObject({ ip: '10.72.0.4', port: 61000, nat: { ip: '203.0.113.7' } });
    expect(ev.destination).toMatchObject({ ip: '192.0.2.53', port: 53 });
    expect(ev.juniper.srx.service_name).toBe('junos-dns-udp');
  });

  test('a pinned SRX source reads Junos system lines: process, tag, PRI as event.severity, the device as observer', () => {
    const ev = p('<13>May  2 09:44:00 srx-br2 mgd[411]: UI_COMMIT: User \'root\' requested \'commit\'', { dataset: 'juniper_srx.log' });
    expect(ev.event).toMatchObject({ kind: 'event', dataset: 'juniper_srx.log', severity: 13 });
    expect(ev.tags ?? []).not.toContain('partial');
    expect(ev.juniper.srx).toMatchObject({ process: 'mgd', tag: 'UI_COMMIT', log_type: 'system' });
    expect(ev.log.level).toBe('notification');
    expect(ev.observer).toMatchObject({ vendor: 'Juniper', product: 'SRX', name: 'srx-br2' });
    expect(ev.host?.hostname).toBeUndefined();
  });

  test('firewall filter lines (kernel and PFE) give interface, endpoints, transport, verdict and packets', () => {
    const k = p('<150>May  2 09:45:10 srx-edge kernel: FW: ge-0/0/3.0 D tcp 198.51.100.23 10.80.0.4 40222 22', { dataset: 'juniper_srx.log' });
    expect(k.juniper.srx).toMatchObject({ process: 'kernel', tag: 'FW' });
    expect(k.source).toMatchObject({ ip: '198.51.100.23', port: 40222 });
    expect(k.destination).toMatchObject({ ip: '10.80.0.4', port: 22 });
    expect(k.network.transport).toBe('tcp');
    expect(k.event.type).toEqual(['denied', 'connection']);
    expect(k.observer.ingress.interface.name).toBe('ge-0/0/3.0');
    const pfe = p('<150>1 2026-05-02T09:45:11.200+07:00 srx-edge - - - - node0.fpc2 PFE_FW_SYSLOG_IP: FW: reth2.40 A udp 10.80.0.9 192.0.2.53 5353 53 (3 packets)', { dataset: 'juniper_srx.log' });
    expect(pfe.juniper.srx).toMatchObject({ process: 'PFE_FW_SYSLOG_IP', tag: 'FW' });
    expect(pfe.source).toMatchObject({ ip: '10.80.0.9', packets: 3 });
    expect(pfe.event.type).toEqual(['allowed', 'connection']);
    const slot = p('<150>May  2 09:45:12 srx-edge (FPC Slot 0, PIC Slot 2) PFE_FW_SYSLOG_IP: FW: xe-0/2/0.0 R icmp 203.0.113.8 10.80.0.1 0 0 (1 packets)', { dataset: 'juniper_srx.log' });
    expect(slot.source.ip).toBe('203.0.113.8');
    expect(slot.event.type).toEqual(['denied', 'connection']);
  });

  test('RTLOG connection errors, RPM ping tests, ARP changes and IKE failures are read into their fields', () => {
    const conn = p('<11>May  2 09:46:00 srx-br3 RT_SYSTEM: RTLOG_CONN_ERROR: Connection error COLLECTOR-A status: 0, Error code: major 3 minor 5 code 500, description:connection closed by peer', { dataset: 'juniper_srx.log' });
    expect(conn.juniper.srx.rtlog_conn_error).toEqual({ stream_name: 'COLLECTOR-A', err_msg: 'status: 0, Error code: major 3 minor 5 code 500, description:connection closed by peer', status: 0, major: 3, minor: 5, code: 500, description: 'connection closed by peer' });
    expect(conn.event).toMatchObject({ type: ['error', 'connection'], outcome: 'failure' });
    const ping = p('<30>May  2 09:46:01 srx-br3 rmopd[2210]: PING_TEST_COMPLETED: pingCtlOwnerIndex = probe-isp2, pingCtlTestName = wan2', { dataset: 'juniper_srx.log' });
    expect(ping.juniper.srx.ping_test).toEqual({ owner: 'probe-isp2', name: 'wan2' });
    const arp = p('<6>May  2 09:46:02 srx-br3 kernel: KERN_ARP_ADDR_CHANGE: arp info overwritten for 10.81.0.7 from 00:11:22:33:44:55 to 66:77:88:99:aa:bb', { dataset: 'juniper_srx.log' });
    expect(arp.juniper.srx.kern_arp_addr_change).toEqual({ ip: '10.81.0.7', mac1: '00:11:22:33:44:55', mac2: '66:77:88:99:aa:bb' });
    const ike = p('<27>1 2026-05-02T09:46:03.000+07:00 srx-br3 kmd 5120 - - IKE negotiation failed with error: No proposal chosen. IKE Version: 2, VPN: to-hq Gateway: gw-hq, Local: 203.0.113.10/500, Remote: 198.51.100.70/500, Local IKE-ID: 203.0.113.10, Remote IKE-ID: Not-Available, VR-ID: 0, Role: Responder', { dataset: 'juniper_srx.log' });
    expect(ike.juniper.srx).toMatchObject({ process: 'kmd', tag: 'IKE negotiation', ike_negotiation: { err_msg: 'No proposal chosen', vpn: 'to-hq', role: 'Responder' } });
    expect(ike.destination).toMatchObject({ ip: '198.51.100.70', port: 500 });
    expect(ike.event).toMatchObject({ type: ['error'], outcome: 'failure' });
  });

  test('a junos@ block with a missing quote is still read key by key', () => {
    const ev = p('<30>1 2026-05-02T09:47:00.000+07:00 srx-br4 kmd 7001 KMD_PM_SA_ESTABLISHED [junos@2636.1.1.1.2.129 local-address="203.0.113.10" remote-address=198.51.100.70" mode="Tunnel" index1="1200"] ', { dataset: 'juniper_srx.log' });
    expect(ev.juniper.srx).toMatchObject({ process: 'kmd', tag: 'KMD_PM_SA_ESTABLISHED', local_address: '203.0.113.10', remote_address: '198.51.100.70', mode: 'Tunnel', index1: '1200' });
    expect(ev.source.ip).toBe('203.0.113.10');
    expect(ev.destination.ip).toBe('198.51.100.70');
  });

  test('web filter reputation is the risk score; the URL domain is the related host, not the firewall', () => {
    const ev = p('<14>1 2026-05-02T02:48:00Z srx-br1 RT_UTM - WEBFILTER_URL_PERMITTED [junos@2636.1.1.1.2.129 source-address="10.71.0.9" source-port="50600" destination-address="203.0.113.40" destination-port="443" application="UNKNOWN" url="news.example" obj="/" urlcategory-risk="2"]');
    expect(ev.event.risk_score).toBe(2);
    expect(ev.related.hosts).toEqual(['news.example']);
    expect(ev.juniper.srx.application).toBeUndefined();
  });

  test('truncated and garbled SRX lines keep header and vendor, never pipeline_error', () => {
    const empty = p('<14>May  2 09:49:00 srx-br2 ', { dataset: 'juniper_srx.log' });
    expect(empty.event.kind).not.toBe('pipeline_error');
    expect(empty.observer).toMatchObject({ vendor: 'Juniper', product: 'SRX' });
    const cut = p('<150>May  2 09:49:01 srx-br2 kernel: FW: ge-0/0/3.0 D tcp 198.51', { dataset: 'juniper_srx.log' });
    expect(cut.juniper.srx).toMatchObject({ process: 'kernel', tag: 'FW' });
    expect(cut.source).toBeUndefined();
    const garbled = p('<12>1 2026-05-02T02:45:00Z srx-br1 RT_UTM - WEBFILTER_URL_BLOCKED [junos@2636.1.1.1.2.86 source-address="10.71.0.9" source-po');
    expect(garbled.event.kind).not.toBe('pipeline_error');
  });

  test('ATP Cloud: a malware verdict is an alert with the sample hash and malware, a PERMIT is not; an infected host names itself', () => {
    const mal = p('<11>1 2026-05-02T02:50:00Z srx-hq RT_AAMW - AAMW_MALWARE_EVENT_LOG [junos@2636.1.1.1.2.129 timestamp="Sat May  2 02:50:00 2026" tenant-id="ab12" sample-sha256="9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08" client-ip-str="10.70.0.9" verdict-number="9" malware-info="Trojan:Win32/Example" username="hoa" hostname="pc-hoa" action="BLOCK" source-address="203.0.113.20" source-port="80" destination-address="10.70.0.9" destination-port="50123" protocol-id="6" http-host="files.example.net"]');
    expect(mal.event).toMatchObject({ kind: 'alert', action: 'malware_detected', category: ['network', 'malware'], type: ['info', 'denied', 'connection'] });
    expect(mal.file.hash.sha256).toBe('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
    expect(mal.threat.software.name).toBe('Trojan:Win32/Example');
    expect(mal.url.domain).toBe('files.example.net');
    const permit = p('<14>1 2026-05-02T02:51:00Z srx-hq RT_AAMW - SRX_AAMW_ACTION_LOG [junos@2636.1.1.1.2.129 hostname="pc-lan" file-category="executable" verdict-number="1" action="PERMIT" source-address="203.0.113.21" source-port="443" destination-address="10.70.0.10" destination-port="50124" protocol-id="6" http-host="cdn.example.org"]');
    expect(permit.event).toMatchObject({ kind: 'event', category: ['network'], type: ['allowed', 'connection'] });
    const infected = p('<11>1 2026-05-02T02:52:00Z srx-hq RT_AAMW - AAMW_HOST_INFECTED_EVENT_LOG [junos@2636.1.1.1.2.129 client-ip="10.70.0.11" hostname="pc-ketoan" threat-level="9" infected-host-status="true" reason="malware" action="BLOCK"]');
    expect(infected.event).toMatchObject({ kind: 'alert', category: ['network', 'malware'] });
    expect(infected.source).toMatchObject({ ip: '10.70.0.11', domain: 'pc-ketoan' });
  });

  test('IDP: an attack the policy only logged (action NONE) is an alert that was allowed; an application DDoS attack is an alert', () => {
    const logged = p('<12>1 2026-05-02T02:53:00Z srx-hq RT_IDP - IDP_ATTACK_LOG_EVENT [junos@2636.1.1.1.2.129 epoch-time="1777690380" message-type="SIG" source-address="203.0.113.30" source-port="40000" destination-address="10.70.0.20" destination-port="80" protocol-name="TCP" service-name="SERVICE_IDP" rule-name="1" rulebase-name="IPS" policy-name="idp-pol" attack-name="HTTP:SQL:INJ:GENERIC" action="NONE" threat-severity="HIGH"]');
    expect(logged.event).toMatchObject({ kind: 'alert', category: ['network', 'intrusion_detection'], type: ['info', 'allowed', 'connection'] });
    expect(logged.rule).toEqual({ name: 'HTTP:SQL:INJ:GENERIC', ruleset: 'IPS', id: '1' });
    const ddos = p('<12>1 2026-05-02T02:54:00Z srx-hq RT_IDP - IDP_APPDDOS_APP_ATTACK_EVENT [junos@2636.1.1.1.2.129 source-address="203.0.113.31" destination-address="10.70.0.21" action="DROP"]');
    expect(ddos.event).toMatchObject({ kind: 'alert', type: ['info', 'denied', 'connection'] });
  });

  test('screens: the attack name gives the action, the interface is the ingress, an alarm-only screen let the packets through', () => {
    const flood = p('<11>1 2026-05-02T02:55:00Z srx-edge RT_IDS - RT_SCREEN_TCP [junos@2636.1.1.1.2.129 attack-name="SYN flood!" source-address="203.0.113.40" source-port="1024" destination-address="10.70.0.30" destination-port="443" source-zone-name="untrust" interface-name="ge-0/0/0.0" action="drop"]');
    expect(flood.event).toMatchObject({ kind: 'alert', action: 'flood_detected', category: ['network', 'intrusion_detection'], type: ['info', 'denied', 'connection'] });
    expect(flood.observer.ingress).toMatchObject({ zone: 'untrust', interface: { name: 'ge-0/0/0.0' } });
    const scan = p('<11>1 2026-05-02T02:56:00Z srx-edge RT_IDS - RT_SCREEN_TCP [junos@2636.1.1.1.2.129 attack-name="TCP port scan!" source-address="203.0.113.41" destination-address="10.70.0.31" interface-name="ge-0/0/0.0" action="alarm-without-drop"]');
    expect(scan.event).toMatchObject({ action: 'scan_detected', type: ['info', 'allowed', 'connection'] });
    const tunnel = p('<11>1 2026-05-02T02:57:00Z srx-edge RT_IDS - RT_SCREEN_IP [junos@2636.1.1.1.2.129 attack-name="Tunnel GRE 4in4!" source-address="203.0.113.42" destination-address="10.70.0.32" protocol-id="47" action="drop"]');
    expect(tunnel.event.action).toBe('tunneling_screen');
  });
});
