import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'Asia/Ho_Chi_Minh' };
const p = (line: string) => parse(line, ctx) as Record<string, any>;

describe('Sophos', () => {
  test('XG firewall deny', () => {
    const ev = p('<30>device="SFW" date=2026-03-14 time=09:10:00 timezone="+07" device_name="XG330" device_id=C3300ABCD log_id=010102600002 log_type="Firewall" log_component="Firewall Rule" log_subtype="Denied" status="Deny" priority=Information duration=0 fw_rule_id=5 fw_rule_name="Block SMB" user_name="" in_interface="Port2" out_interface="Port1" src_mac=00:11:22:33:44:55 src_ip=10.30.1.7 src_port=50123 dst_ip=203.0.113.45 dst_port=445 protocol="TCP"');
    expect(ev['@timestamp']).toBe('2026-03-14T02:10:00.000Z');
    expect(ev.event).toMatchObject({ dataset: 'sophos.xg', code: '00002', action: 'denied', type: ['denied', 'connection'], severity: 6 });
    expect(ev.source).toMatchObject({ ip: '10.30.1.7', port: 50123, mac: '00-11-22-33-44-55' });
    expect(ev.rule).toEqual({ id: '5', name: 'Block SMB' });
    expect(ev.observer).toMatchObject({ vendor: 'Sophos', product: 'XG', serial_number: 'C3300ABCD', ingress: { interface: { name: 'Port2' } } });
    expect(ev.network.community_id).toMatch(/^1:/);
  });

  test('XG Sandstorm: a file held for detonation and one denied as malicious, with its hash and the site it came from', () => {
    const pending = p('device="SFW" date=2026-03-14 time=09:12:00 timezone="+07" device_name="XG330" device_id=C3300ABCD log_id=136501618042 log_type="Sandbox" log_component="Web" log_subtype="Pending" priority=Information user_name="minh" src_ip=10.30.1.9 filename="setup.msi" filetype="application/x-msi" filesize=52000 sha1sum="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" source="dl.example.net" reason="pending" destination="" subject=""');
    expect(pending.event).toMatchObject({ action: 'Pending', category: ['network'], type: ['start', 'connection'] });
    expect(pending.file).toMatchObject({ name: 'setup.msi', mime_type: 'application/x-msi', size: 52000, hash: { sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' } });
    expect(pending.destination.domain).toBe('dl.example.net');
    expect(pending.sophos.xg.timezone).toBe('+07');
    const denied = p('device="SFW" date=2026-03-14 time=09:13:00 timezone="+07" device_name="XG330" device_id=C3300ABCD log_id=136501618043 log_type="Sandbox" log_component="Web" log_subtype="Denied" priority=Information user_name="minh" src_ip=10.30.1.9 filename="setup.msi" filesize=52000 sha1sum="3ca25ae354e192b26879f651a51d92aa8a34d8d3" source="dl.example.net" reason="malicious"');
    expect(denied.event).toMatchObject({ kind: 'alert', category: ['malware', 'network'], type: ['denied', 'connection'] });
    expect(denied.file.hash.sha1).toBe('3ca25ae354e192b26879f651a51d92aa8a34d8d3');
    const done = p('device="SFW" date=2026-03-14 time=09:14:00 timezone="+07" device_name="XG330" device_id=C3300ABCD log_id=136501618041 log_type="Sandbox" log_component="Web" log_subtype="Allowed" priority=Information user_name="" src_ip= filename="" filesize=0 sha1sum="" source="" reason="eligible"');
    expect(done.event.type).toEqual(['allowed', 'end', 'connection']);
    const clean = p('device="SFW" date=2026-03-14 time=09:15:00 timezone="+07" device_name="XG330" device_id=C3300ABCD log_id=136501618041 log_type="Sandbox" log_component="Web" log_subtype="Allowed" priority=Information user_name="minh" src_ip=10.30.1.9 filename="report.docx" filesize=1200 source="dl.example.net" reason="cloud clean"');
    expect(clean.event.type).toEqual(['allowed']);
  });

  test('XG authentication failure and anti-virus detection', () => {
    const auth = p('device="SFW" date=2026-03-14 time=09:11:00 timezone="+07" device_name="XG330" device_id=C3300ABCD log_id=062910617703 log_type="Event" log_component="Firewall Authentication" log_subtype="Authentication" status="Failed" priority=Notice user_name="lan.tran" usergroupname="" auth_client="Web Client" auth_mechanism="Local" reason="Wrong credentials" src_ip=10.30.1.8 message="User lan.tran failed to login to Firewall through Local authentication mechanism because of wrong credentials"');
    expect(auth.event).toMatchObject({ category: ['authentication'], outcome: 'failure', reason: 'Wrong credentials' });
    expect(auth.user.name).toBe('lan.tran');
    const av = p('device="SFW" date=2026-03-14 time=09:12:00 timezone="+07" device_id=C3300ABCD log_id=031106210001 log_type="Anti-Virus" log_component="HTTP" log_subtype="Virus" priority=Critical user_name="" virus="EICAR-AV-Test" filename="eicar.com" src_ip=10.30.1.9 dst_ip=198.51.100.5 url="http://198.51.100.5/eicar.com"');
    expect(av.event).toMatchObject({ kind: 'alert', action: 'Virus', category: ['malware', 'network'], type: ['info', 'denied', 'connection'], severity: 2 });
    expect(av.url).toMatchObject({ scheme: 'http', domain: '198.51.100.5', path: '/eicar.com', extension: 'com' });
    expect(av.threat.software.name).toBe('EICAR-AV-Test');
    expect(av.file.name).toBe('eicar.com');
  });

  test('UTM packet filter drop and DHCP ack', () => {
    const pf = p('2026:03:14-09:13:00 utm01 ulogd[4488]: id="2001" severity="info" sys="SecureNet" sub="packetfilter" name="Packet dropped" action="drop" fwrule="60001" initf="eth0" srcmac="0:11:22:33:44:55" dstmac="0:11:22:33:44:66" srcip="198.51.100.7" dstip="10.0.0.5" proto="6" length="52" srcport="40000" dstport="22"');
    expect(pf.event).toMatchObject({ dataset: 'sophos.utm', action: 'drop', code: '2001', type: ['connection', 'denied'] });
    expect(pf.source).toMatchObject({ ip: '198.51.100.7', port: 40000 });
    expect(pf.network.transport).toBe('tcp');
    expect(pf.host.hostname).toBe('utm01');
    const dhcp = p('2026:03:14-09:14:00 utm01 dhcpd: DHCPACK on 10.0.0.77 to 04:7b:cb:a1:d2:93 (PC-KT01) via eth1');
    expect(dhcp.client).toMatchObject({ ip: '10.0.0.77', mac: '04-7B-CB-A1-D2-93', domain: 'PC-KT01' });
    expect(dhcp.event.action).toBe('dhcpack');
  });


  test("UTM dhcpd start-up lines name the interface, socket and subnet; the MAC is the firewall's own", () => {
    const listen = p('2026:03:14-07:00:01 utm-hq-1 dhcpd: Listening on LPF/eth2/00:1a:8c:44:10:02/10.40.8.0/22');
    expect(listen.event).toMatchObject({ dataset: 'sophos.utm', action: 'dhcpd-listening', provider: 'dhcp' });
    expect(listen.observer).toMatchObject({ ingress: { interface: { name: 'eth2' } }, mac: ['00-1A-8C-44-10-02'] });
    expect(listen.sophos.utm).toEqual({ socket: 'LPF', subnet: '10.40.8.0/22' });
    expect(listen.client).toBeUndefined();
    const send = p('2026:03:14-07:00:01 utm-hq-1 dhcpd: Sending on   LPF/eth2/00:1a:8c:44:10:02/10.40.8.0/22');
    expect(send.event.action).toBe('dhcpd-sending');
    expect(send.observer.ingress.interface.name).toBe('eth2');
  });

  test('UTM DHCPACK: the client host name is searchable in related.hosts', () => {
    const ev = p('2026:03:14-08:15:42 utm-hq-1 dhcpd: DHCPACK on 10.40.9.77 to 3c:52:82:aa:01:9f (KT-LAPTOP-12) via eth2');
    expect(ev.client).toMatchObject({ ip: '10.40.9.77', mac: '3C-52-82-AA-01-9F' });
    expect(ev.sophos.utm.client.hostname).toBe('KT-LAPTOP-12');
    expect(ev.related.hosts).toEqual(expect.arrayContaining(['KT-LAPTOP-12', 'utm-hq-1']));
  });

  test('XG Anti-Spam: sender, recipient, subject and protocol; a spam verdict is an alert', () => {
    const queued = p('<30>device="SFW" date=2026-03-14 time=10:00:00 timezone="ICT" device_name="XG330" device_id=C3300ABCD log_id=041101618035 log_type="Anti-Spam" log_component="SMTP" log_subtype="Allowed" status="" priority=Information user_name="" from_email_address="ketoan@partner.example" to_email_address="thu@agency.example" email_subject="Hoa don thang 3" mailsize=20480 src_domainname="partner.example" src_ip="" dst_ip="" protocol="TCP" src_port=0 dst_port=0 sent_bytes=0 recv_bytes=0');
    expect(queued['@timestamp']).toBe('2026-03-14T03:00:00.000Z');
    expect(queued.event).toMatchObject({ action: 'Allowed', kind: 'event', category: ['network'], type: ['allowed', 'connection'], outcome: 'success', timezone: 'Etc/GMT-7' });
    expect(queued.source.user).toEqual({ email: 'ketoan@partner.example', name: 'ketoan', domain: 'partner.example' });
    expect(queued.destination.user).toEqual({ email: 'thu@agency.example' });
    expect(queued.email).toEqual({ from: { address: ['ketoan@partner.example'] }, to: { address: ['thu@agency.example'] }, subject: 'Hoa don thang 3' });
    expect(queued.network).toMatchObject({ protocol: 'smtp', transport: 'tcp', bytes: 0 });
    expect(queued.related.user).toEqual(['ketoan', 'ketoan@partner.example']);
    const spam = p('<28>device="SFW" date=2026-03-14 time=10:01:00 timezone="+07" device_name="XG330" device_id=C3300ABCD log_id=041102413001 log_type="Anti-Spam" log_component="SMTP" log_subtype="Spam" priority=Warning from_email_address="promo@spam.example" to_email_address="thu@agency.example" subject="You won" protocol="TCP"');
    expect(spam.event).toMatchObject({ kind: 'alert', category: ['malware', 'network'], type: ['info', 'denied', 'connection'] });
    expect(spam.email.subject).toBe('You won');
  });

  test('XG time zone: an unambiguous abbreviation is read (CEST = +02:00), an ambiguous one (IST) leaves the source zone', () => {
    const cest = p('device="SFW" date=2026-03-14 time=12:00:00 timezone="CEST" device_name="XG135" device_id=C1350XYZ log_id=010102600002 log_type="Firewall" log_subtype="Allowed" priority=Information src_ip=10.1.1.1 dst_ip=10.2.2.2 protocol="UDP"');
    expect(cest['@timestamp']).toBe('2026-03-14T10:00:00.000Z');
    expect(cest.event.timezone).toBe('Etc/GMT-2');
    const ist = p('device="SFW" date=2026-03-14 time=12:00:00 timezone="IST" device_name="XG135" device_id=C1350XYZ log_id=010102600002 log_type="Firewall" log_subtype="Allowed" priority=Information src_ip=10.1.1.1 dst_ip=10.2.2.2 protocol="UDP"');
    expect(ist['@timestamp']).toBe('2026-03-14T05:00:00.000Z');
  });

  test('XG Wireless Protection: the mixed-case client count key is kept as a number', () => {
    const ev = p('device="SFW" date=2026-03-14 time=12:05:00 timezone="+07" device_name="XG135w" device_id=C1350XYZ log_id=106025618011 log_type="Wireless Protection" log_component="Wireless Protection" log_subtype="Information" priority=Information ap=A40011BB22 ssid=Agency-Guest clients_conn_SSID=7');
    expect(ev.sophos.xg).toMatchObject({ ssid: 'Agency-Guest', clients_conn_ssid: 7, ap: 'A40011BB22' });
    expect(ev.event.outcome).toBe('success');
  });

  test('UTM named: listening sockets give the server address, port and interface; other notices are the message', () => {
    const on = p('2026:03:14-08:00:00 utm-hq named[2101]: listening on IPv4 interface eth1, 10.40.0.1#53');
    expect(on.event).toMatchObject({ dataset: 'sophos.utm', action: 'named-listening', provider: 'dns', category: ['network'], type: ['info', 'connection', 'protocol'] });
    expect(on.server).toEqual({ ip: '10.40.0.1', port: 53 });
    expect(on.network).toMatchObject({ type: 'ipv4', protocol: 'dns', transport: 'udp' });
    expect(on.observer.ingress.interface.name).toBe('eth1');
    const off = p('2026:03:14-08:00:01 utm-hq named[2101]: no longer listening on 10.40.0.1#53');
    expect(off.server.ip).toBe('10.40.0.1');
    const note = p('2026:03:14-08:00:02 utm-hq named[2101]: clients-per-query increased to 20');
    expect(note.message).toBe('clients-per-query increased to 20');
    expect(note.event.action).toBeUndefined();
    const cut = p('2026:03:14-08:00:03 utm-hq named[2101]: listening on IPv4 interface eth1, 10.40');
    expect(cut.event.kind).not.toBe('pipeline_error');
    expect(cut.server).toBeUndefined();
  });

  test("an agent's document whose message was cut up is read from event.original", () => {
    const ev = parse({ message: '"Packet', event: { timezone: '+00:00', original: '2026:03:14-08:10:00 utm-hq ulogd[5009]: id="2001" severity="info" sys="SecureNet" sub="packetfilter" name="Packet dropped" action="drop" fwrule="60001" initf="eth0" srcip="198.51.100.7" dstip="10.40.0.5" proto="6" srcport="41000" dstport="3389"' } }, { ...ctx, dataset: 'sophos.utm' }) as Record<string, any>;
    expect(ev['@timestamp']).toBe('2026-03-14T08:10:00.000Z');
    expect(ev.source).toMatchObject({ ip: '198.51.100.7', port: 41000 });
    expect(ev.event).toMatchObject({ action: 'drop', type: ['connection', 'denied'] });
    expect(ev.observer).toMatchObject({ vendor: 'Sophos', product: 'UTM' });
  });

  test('SFOS 19+ ATP record (device_name/timestamp/device_serial_id keys): a C2 connection is an alert, denied when dropped', () => {
    const ev = p('<12>device_name="SFW" timestamp="2026-03-14T09:20:00+0700" device_model="XGS2100" device_serial_id="X21001ABC" log_id="086304418010" log_type="ATP" log_component="Firewall" log_subtype="Drop" log_version=1 severity="Warning" threatname="C2/Generic-A" eventid="4E5A11C0-0001" sourceip="10.30.1.44" destinationip="198.51.100.99" src_port=50222 dst_port=443 protocol="TCP" url="" login_user="" execution_path=""');
    expect(ev['@timestamp']).toBe('2026-03-14T02:20:00.000Z');
    expect(ev.event).toMatchObject({ dataset: 'sophos.xg', kind: 'alert', action: 'drop', category: ['intrusion_detection', 'network'], type: ['denied', 'connection'] });
    expect(ev.source).toEqual({ ip: '10.30.1.44', port: 50222 });
    expect(ev.destination).toEqual({ ip: '198.51.100.99', port: 443 });
    expect(ev.rule.name).toBe('C2/Generic-A');
    expect(ev.observer).toMatchObject({ vendor: 'Sophos', product: 'XG', serial_number: 'X21001ABC' });
    const alertOnly = p('device="SFW" date=2026-03-14 time=09:21:00 timezone="+07" device_name="XG330" device_id=C3300ABCD log_id=086304418009 log_type="ATP" log_component="Firewall" log_subtype="Alert" priority=Warning threatname="Botnet/Test" sourceip="10.30.1.45" destinationip="198.51.100.98"');
    expect(alertOnly.event).toMatchObject({ kind: 'alert', action: 'alert', type: ['denied', 'connection'] });
  });

  test('XG WAF and System Health records', () => {
    const waf = p('device="SFW" date=2026-03-14 time=09:30:00 timezone="+07" device_name="XG330" device_id=C3300ABCD log_id=075000617071 log_type="WAF" log_component="Web Application Firewall" log_subtype="Denied" priority=Information user_name="" server="portal.agency.vn" sourceip="203.0.113.70" localip="10.30.2.10" ws_protocol="HTTPS" url="/admin/login.php" querystring="u=admin" cookie="" referer="" method="POST" httpstatus="403" reason="Static URL Hardening" extra="" contenttype="text/html" useragent="" host="10.30.2.10" responsetime="1200" bytessent="512" bytesrcvd="1024" fw_rule_id="12"');
    expect(waf.event).toMatchObject({ kind: 'alert', category: ['intrusion_detection', 'network'], type: ['denied', 'connection'], action: 'denied', reason: 'Static URL Hardening' });
    expect(waf.destination.bytes).toBe(512);
    expect(waf.url.full).toBe('/admin/login.php');
    expect(waf.http).toMatchObject({ request: { method: 'POST' }, response: { status_code: 403 } });
    expect(waf.url).toMatchObject({ domain: 'portal.agency.vn', query: 'u=admin' });
    expect(waf.source.ip).toBe('203.0.113.70');
    expect(waf.destination.ip).toBe('10.30.2.10');
    const health = p('device="SFW" date=2026-03-14 time=09:31:00 timezone="+07" device_name="XG330" device_id=C3300ABCD log_id=127826618034 log_type="System Health" log_component="CPU" log_subtype="Usage" priority=Information system=2.10% user=5.40% idle=92.50%');
    expect(health.event).toMatchObject({ category: ['host'], type: ['info'] });
    expect(health.sophos.xg.log_component).toBe('CPU');
  });

  test('UTM web proxy and IPS records', () => {
    const web = p('2026:03:14-09:40:00 utm-hq httpproxy[4410]: id="0002" severity="info" sys="SecureWeb" sub="http" name="web request blocked" action="block" method="GET" srcip="10.30.5.7" dstip="203.0.113.80" user="lan" statuscode="403" cached="0" size="2100" url="http://casino.example/play?x=1" referer="" error="" ua="Mozilla/5.0 (Windows NT 10.0)" category="178" reputation="untrusted" categoryname="Gambling"');
    expect(web.event).toMatchObject({ dataset: 'sophos.utm', category: ['network', 'web'], type: ['denied', 'access'], action: 'block' });
    expect(web.url).toMatchObject({ domain: 'casino.example', path: '/play', query: 'x=1', original: 'http://casino.example/play?x=1' });
    expect(web.http).toMatchObject({ request: { method: 'GET' }, response: { status_code: 403, bytes: 2100 } });
    expect(web.rule.category).toBe('Gambling');
    expect(web.user.name).toBe('lan');
    const ips = p('2026:03:14-09:41:00 utm-hq snort[2210]: id="2101" severity="warn" sys="SecureNet" sub="ips" name="Intrusion protection alert" action="drop" reason="SERVER-WEBAPP WordPress xmlrpc.php access" group="500" srcip="203.0.113.81" dstip="10.30.2.10" proto="6" srcport="40400" dstport="80" sid="29403" class="Attempted Administrator Privilege Gain" priority="1"');
    expect(ips.event).toMatchObject({ kind: 'alert', category: ['intrusion_detection', 'network'], type: ['denied'] });
    expect(ips.rule).toMatchObject({ id: '29403', name: 'SERVER-WEBAPP WordPress xmlrpc.php access' });
    expect(ips.source.ip).toBe('203.0.113.81');
  });
});
