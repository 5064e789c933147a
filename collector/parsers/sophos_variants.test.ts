/**
 * Sophos XG / SFOS lines written for these tests in the shapes Sophos documents for its log types
 * (SFOS 17/18 `device="SFW" date= time=`, SFOS 19 `device_name= timestamp=`), in other firmware's field
 * orders, with extra and missing optional fields, and cut short or garbled: what an analyst filters on
 * must be there, and a damaged line still gives a Sophos event marked partial, never a pipeline error.
 */
import { parse } from './index';

const ctx = { receivedAt: new Date('2026-11-20T03:00:00Z'), timezone: 'Asia/Ho_Chi_Minh', dataset: 'sophos.xg' };
type Ev = Record<string, any>;
const p = (line: string): Ev => parse(line, ctx) as Ev;

describe('Sophos XG variants', () => {
  test('firewall Stop record: duration gives start and end, packets and bytes their totals, NAT ports, zones and direction', () => {
    const ev = p('device="SFW" date=2026-11-20 time=08:15:02 timezone="+07" device_name="XGS2300" device_id=X23001ABCD log_id=010101600001 log_type="Firewall" log_component="Firewall Rule" log_subtype="Allowed" status="Allow" priority=Information duration=45 fw_rule_id=12 policy_type=1 user_name="tran.binh" user_gp="Phong KH" application="Zalo" in_interface="Port1" out_interface="Port2" src_ip=10.20.1.15 dst_ip=203.113.5.9 protocol="TCP" src_port=51514 dst_port=443 sent_pkts=12 recv_pkts=10 sent_bytes=3100 recv_bytes=18000 tran_src_ip=113.160.1.2 tran_src_port=40001 srczonetype="LAN" srczone="LAN" dstzonetype="WAN" dstzone="WAN" connevent="Stop" connid="778899"');
    expect(ev['@timestamp']).toBe('2026-11-20T01:15:02.000Z');
    expect(ev.event).toMatchObject({ action: 'allowed', outcome: 'success', kind: 'event', type: ['end', 'allowed', 'connection'], duration: 45e9, start: '2026-11-20T01:15:02.000Z', end: '2026-11-20T01:15:47.000Z' });
    expect(ev.network).toMatchObject({ packets: 22, bytes: 21100, protocol: 'zalo', transport: 'tcp', direction: 'outbound' });
    expect(ev.source).toMatchObject({ nat: { ip: '113.160.1.2', port: 40001 }, packets: 12, user: { name: 'tran.binh', group: { name: 'Phong KH' } } });
    expect(ev.observer).toMatchObject({ serial_number: 'X23001ABCD', ingress: { zone: 'LAN' }, egress: { zone: 'WAN' } });
    expect(ev.rule).toMatchObject({ id: '12', ruleset: '1' });
    expect(ev.related.ip).toEqual(expect.arrayContaining(['10.20.1.15', '203.113.5.9', '113.160.1.2']));
  });

  test('SFOS 19 record (device_name/timestamp/device_serial_id, quoted ids, con_event) and a value with spaces', () => {
    const ev = p('device_name="SFW" timestamp="2026-11-20T08:20:00+0700" device_model="XGS2100" device_serial_id="X2100 ABC" log_id="010102600002" log_type="Firewall" log_component="Firewall Rule" log_subtype="Denied" log_version=1 severity="Information" fw_rule_id="3" ether_type=Unknown (0x0000) src_ip="10.20.3.4" dst_ip="198.51.100.80" protocol="UDP" src_port=5353 dst_port=1900 src_zone_type="LAN" src_zone="Khach" dst_zone_type="WAN" dst_zone="WAN" con_event="Start"');
    expect(ev['@timestamp']).toBe('2026-11-20T01:20:00.000Z');
    expect(ev.event).toMatchObject({ code: '00002', action: 'denied', type: ['denied', 'connection'], severity: 6 });
    expect(ev.observer).toMatchObject({ serial_number: 'X2100 ABC', ingress: { zone: 'Khach' } });
    expect(ev.sophos.xg.ether_type).toBe('Unknown (0x0000)');
    expect(ev.network.direction).toBe('outbound');
  });

  test('heartbeat deny is an intrusion-detection alert; IPS Detect let traffic through, Drop denied it', () => {
    const hb = p('device="SFW" date=2026-11-20 time=09:00:00 timezone="+07" device_name="XG330" device_id=C3300ABCD log_id=016602600003 log_type="Firewall" log_component="Heartbeat" log_subtype="Denied" status="Deny" priority=Information fw_rule_id=16 src_ip=10.20.7.7 dst_ip=10.20.0.1 protocol="ICMP" hb_health="Red"');
    expect(hb.event).toMatchObject({ kind: 'alert', category: ['intrusion_detection', 'network'] });
    const detect = p('device="SFW" date=2026-11-20 time=09:01:00 timezone="+07" device_id=C3300ABCD log_id=020703406001 log_type="IDP" log_component="Anomaly" log_subtype="Detect" priority=Warning signature_id=58001 signature_msg="SERVER-WEBAPP path traversal" classification="Web Application Attack" src_ip=203.0.113.44 dst_ip=10.20.2.10 protocol="TCP" src_port=41000 dst_port=80');
    expect(detect.event).toMatchObject({ kind: 'alert', action: 'detect', type: ['info', 'connection'] });
    expect(detect.rule).toMatchObject({ id: '58001', name: 'SERVER-WEBAPP path traversal', category: 'Web Application Attack' });
    const drop = p(detect.event.original.replace('log_subtype="Detect"', 'log_subtype="Drop"').replace('020703406001', '020704406002'));
    expect(drop.event.type).toEqual(['denied', 'connection']);
  });

  test('anti-virus in mail and on the web; web filter protocol from the URL; System Health numbers', () => {
    const smtp = p('device="SFW" date=2026-11-20 time=09:05:00 timezone="+07" device_id=C3300ABCD log_id=031106210001 log_type="Anti-Virus" log_component="SMTP" log_subtype="Virus" priority=Critical from_email_address="ketoan@vendor.example" to_email_address="vanthu@tinh.gov.vn" subject="Hoa don thang 11" virus="Troj/Emotet-A" src_ip=198.51.100.20 dst_ip=10.20.0.25 protocol="TCP" src_port=40200 dst_port=25');
    expect(smtp.event).toMatchObject({ kind: 'alert', action: 'Virus', category: ['malware', 'network'] });
    expect(smtp.email).toMatchObject({ from: { address: ['ketoan@vendor.example'] }, to: { address: ['vanthu@tinh.gov.vn'] }, subject: 'Hoa don thang 11' });
    expect(smtp.network.protocol).toBe('smtp');
    const web = p('device="SFW" date=2026-11-20 time=09:06:00 timezone="+07" device_id=C3300ABCD log_id=050901616001 log_type="Content Filtering" log_component="HTTP" log_subtype="Denied" priority=Information user_gp="Phong TC" url="https://files.example.net/setup.msi?x=1" domain=files.example.net src_ip=10.20.1.9 dst_ip=198.51.100.9 protocol="TCP" src_port=50000 dst_port=443');
    expect(web.event).toMatchObject({ action: 'denied', type: ['denied', 'connection'] });
    expect(web.network.protocol).toBe('https');
    expect(web.url).toMatchObject({ scheme: 'https', domain: 'files.example.net', path: '/setup.msi', extension: 'msi', query: 'x=1' });
    const disk = p('device="SFW" date=2026-11-20 time=09:10:00 timezone="+07" device_id=C3300ABCD log_id=127826618031 log_type="System Health" log_component="Disk" log_subtype="Usage" priority=Information Configuration=21.00% Reports=64.50% Temp=3.00%');
    expect(disk.sophos.xg).toMatchObject({ configuration: 21, reports: 64.5, temp: 3 });
  });

  test('WAF: a request let through is an event, one stopped by antivirus a malware alert; VPN logins and logouts', () => {
    const base = 'device="SFW" date=2026-11-20 time=09:12:00 timezone="+07" device_id=C3300ABCD log_id=075000617071 log_type="WAF" log_component="Web Application Firewall" log_subtype="Allowed" priority=Information server="dvc.tinh.gov.vn" sourceip=203.0.113.71 localip=10.30.2.11 ws_protocol="HTTPS" url="/thutuc/nop.aspx" method="POST" httpstatus=200 useragent="Mozilla/5.0" bytessent=5120 bytesrcv=2048';
    const ok = p(`${base} reason="-"`);
    expect(ok.event).toMatchObject({ kind: 'event', action: 'allowed', type: ['allowed', 'connection'] });
    expect(ok.event.reason).toBeUndefined();
    expect(ok).toMatchObject({ source: { ip: '203.0.113.71', bytes: 2048 }, destination: { ip: '10.30.2.11', bytes: 5120 }, network: { bytes: 7168 }, user_agent: { original: 'Mozilla/5.0' } });
    const av = p(`${base.replace('Allowed', 'Denied')} reason="Antivirus"`);
    expect(av.event).toMatchObject({ kind: 'alert', action: 'denied', category: ['malware', 'network'], type: ['denied', 'connection'] });
    const login = p('device="SFW" date=2026-11-20 time=09:13:00 timezone="+07" device_id=C3300ABCD log_id=062910617701 log_type="Event" log_component="SSL VPN Authentication" log_subtype="Authentication" status="Successful" priority=Information user_name="nguyen.an" usergroupname="VPN-CANBO" auth_client="SSLVPN" auth_mechanism="AD" src_ip=203.0.113.77 message="User nguyen.an of group VPN-CANBO logged in successfully to SSL VPN through AD authentication mechanism"');
    expect(login.event).toMatchObject({ category: ['network', 'authentication'], type: ['user', 'start', 'connection'], outcome: 'success' });
    expect(login.source.user).toMatchObject({ name: 'nguyen.an', group: { name: 'VPN-CANBO' } });
    const logout = p(login.event.original.replace('062910617701', '062910617703').replace('logged in successfully to', 'logged out from'));
    expect(logout.event.type).toEqual(['user', 'end', 'connection']);
  });

  test('truncated and garbled lines give a partial Sophos event with what they hold, never a pipeline error', () => {
    const cutInQuote = p('device="SFW" date=2026-11-20 time=09:15:00 timezone="+07" device_name="XG330" device_id=C3300ABCD log_id=010102600002 log_type="Firewall" log_component="Firewall Rule" log_subtype="Denied" status="Deny" src_ip=10.20.1.1 dst_ip=10.20.9.9 appresolvedby="Signat');
    expect(cutInQuote.event.kind).not.toBe('pipeline_error');
    expect(cutInQuote.sophos.xg.appresolvedby).toBe('Signat');
    expect(cutInQuote.source.ip).toBe('10.20.1.1');
    const noLogId = p('device="SFW" date=2026-11-20 time=09:16:00 timezone="+07" device_na');
    expect(noLogId.event.kind).not.toBe('pipeline_error');
    expect(noLogId.tags).toContain('partial');
    expect(noLogId.error.message).toMatch(/no log_id/);
    expect(noLogId.observer).toMatchObject({ vendor: 'Sophos', product: 'XG' });
    expect(noLogId['@timestamp']).toBe('2026-11-20T02:16:00.000Z');
    const shortId = p('<30>device="SFW" date=2026-11-20 time=09:17:00 timezone="+07" device_id=C3300ABCD log_id=0101026000');
    expect(shortId.tags).toContain('partial');
    expect(shortId.event.code).toBeUndefined();
    const garbled = p('<30>Nov 20 09:18:00 xg330 device="SFW" \u0001\u0002 ==== "');
    expect(garbled.event.kind).not.toBe('pipeline_error');
    expect(garbled.tags).toContain('partial');
    expect(garbled.observer.vendor).toBe('Sophos');
    expect(garbled.host.hostname).toBe('xg330');
  });
});
