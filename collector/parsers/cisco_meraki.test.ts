import { parse } from './index';

const at = { receivedAt: new Date('2026-05-02T03:00:00Z'), timezone: 'UTC' };
type Ev = Record<string, any>;
const p = (line: string, ctx: Record<string, unknown> = {}): Ev => parse(line, { ...at, ...ctx }) as Ev;

describe('Cisco Meraki', () => {
  test('urls: a web request with its endpoints, MAC, method and URL; the epoch time with its milliseconds', () => {
    const ev = p("<134>1 1777692000.250000000 MX68-HQ urls src=10.80.0.12:51234 dst=198.51.100.44:443 mac=AA:BB:CC:00:11:22 agent='Mozilla/5.0 (X11; Linux x86_64)' request: GET https://portal.example.vn/login/index.php?x=1");
    expect(ev['@timestamp']).toBe('2026-05-02T03:20:00.250Z');
    expect(ev.event).toMatchObject({ dataset: 'cisco_meraki.log', action: 'http-access', category: ['network', 'web'], type: ['info', 'access'] });
    expect(ev.source).toMatchObject({ ip: '10.80.0.12', port: 51234 });
    expect(ev.destination).toMatchObject({ ip: '198.51.100.44', port: 443 });
    expect(ev.url).toMatchObject({ scheme: 'https', domain: 'portal.example.vn', path: '/login/index.php', query: 'x=1', extension: 'php' });
    expect(ev.user_agent.original).toBe('Mozilla/5.0 (X11; Linux x86_64)');
    expect(ev.cisco_meraki).toMatchObject({ event_type: 'urls', urls: { mac: 'AA-BB-CC-00-11-22' } });
    expect(ev.observer).toMatchObject({ hostname: 'MX68-HQ', vendor: 'Cisco', product: 'Meraki' });
  });

  test('urls: the registered domain of the URL (two-label suffixes such as gov.vn) and the browser of the agent', () => {
    const ev = p("<134>1 1777692001.0 MX68-HQ urls src=10.80.0.13:51240 dst=203.0.113.9:443 mac=AA:BB:CC:00:11:23 agent='Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0' request: GET https://dichvucong.hcm.gov.vn/portal/");
    expect(ev.url).toMatchObject({ domain: 'dichvucong.hcm.gov.vn', registered_domain: 'hcm.gov.vn', top_level_domain: 'gov.vn', subdomain: 'dichvucong' });
    expect(ev.user_agent).toMatchObject({ name: 'Firefox', version: '121.0', os: { name: 'Windows', version: '10' } });
    const bare = p("<134>1 1777692002.0 MX68-HQ urls src=10.80.0.13:51241 dst=203.0.113.10:80 mac=AA:BB:CC:00:11:23 agent='Microsoft NCSI' request: GET http://example.com/ncsi.txt");
    expect(bare.url).toMatchObject({ registered_domain: 'example.com', top_level_domain: 'com' });
    expect(bare.url.subdomain).toBeUndefined();
    expect(bare.user_agent.original).toBe('Microsoft NCSI');
  });

  test('firewall deny, flow start, IDS alert and malware verdict', () => {
    const fw = p('<134>1 1777692001.000000001 MX68-HQ firewall src=10.80.0.13 dst=203.0.113.9 mac=AA:BB:CC:00:11:23 protocol=tcp sport=50000 dport=3389 pattern: 1 deny all');
    expect(fw.event).toMatchObject({ action: 'deny', type: ['connection', 'denied'] });
    expect(fw.destination.port).toBe(3389);
    expect(fw.network.transport).toBe('tcp');
    const start = p('<134>1 1777692002.0 MX68-HQ ip_flow_start src=10.80.0.13 dst=203.0.113.9 protocol=udp sport=5353 dport=53 translated_src_ip=203.0.113.1 translated_port=40000');
    expect(start.event.type).toEqual(['connection', 'start']);
    const ids = p('<134>1 1777692003.5 MX68-HQ ids-alerts signature=1:41978:5 priority=1 timestamp=1777692003.4 dhost=AA:BB:CC:00:11:24 direction=ingress protocol=tcp/ip src=203.0.113.50:4444 dst=10.80.0.14:445 message: SERVER-SAMBA remote code execution attempt');
    expect(ids.event).toMatchObject({ kind: 'alert', category: ['network', 'intrusion_detection'] });
    expect(ids.rule).toEqual({ id: '1:41978:5', name: 'SERVER-SAMBA remote code execution attempt' });
    expect(ids.network.direction).toBe('inbound');
    const mal = p("<134>1 1777692004.0 MX68-HQ security_event malware_blocked url=http://dl.example.net/a.exe src=203.0.113.60:80 dst=10.80.0.15:50100 mac=AA:BB:CC:00:11:25 name='a.exe' sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 disposition=malicious action=block");
    expect(mal.event).toMatchObject({ kind: 'alert', category: ['network', 'threat', 'malware'], type: ['denied'], action: 'malware-blocked' });
    expect(mal.threat.indicator).toMatchObject({ reference: 'http://dl.example.net/a.exe', file: { name: 'a.exe' } });
    expect(mal.file).toMatchObject({ name: 'a.exe', hash: { sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' } });
  });

  test('events: key=value wireless events and free-text VPN events; a garbled line keeps header and vendor', () => {
    const ev = p("<134>1 1777692005.0 MR46-F2 events type=association radio='0' vap='2' client_mac='AA:BB:CC:00:11:26' channel='6' rssi='41'");
    expect(ev.cisco_meraki).toMatchObject({ event_subtype: 'association', device_type: 'MR', association: { channel: '6', client_mac: 'AA:BB:CC:00:11:26' } });
    const vpn = p('<134>1 1777692006.0 MX68-HQ events Site-to-Site VPN: <peer-br2|12> IKE_SA peer-br2[12] established between 203.0.113.1[203.0.113.1]...198.51.100.2[198.51.100.2]');
    expect(vpn.cisco_meraki).toMatchObject({ event_subtype: 'Site-to-Site VPN', device_type: 'MX' });
    const cut = p('<134>1 1777692007.0 MX68-HQ urls src=10.80.', { dataset: 'cisco_meraki.log' });
    expect(cut.event.kind).toBe('event');
    expect(cut.observer).toMatchObject({ vendor: 'Cisco', product: 'Meraki' });
    const notMeraki = p('<134>1 garbage MX68-HQ urls', { dataset: 'cisco_meraki.log' });
    expect(notMeraki.event.kind).toBe('event');
    expect(notMeraki.tags).toContain('partial');
  });
});
