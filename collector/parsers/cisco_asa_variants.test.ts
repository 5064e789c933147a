/**
 * Cisco ASA and FTD lines written for these tests in the shapes of Cisco's syslog message catalogue, in the
 * framings other releases and relays use (device date with a zone word, a relay's program name, FTD 7's
 * facility in the tag, a doubled dash), and cut short or garbled: the message id, level and device are read
 * from what arrived, and a damaged message is marked partial with the reason, never a pipeline error.
 */
import { parse } from './index';

const at = { receivedAt: new Date('2026-11-20T03:00:00Z'), timezone: 'UTC' };
type Ev = Record<string, any>;
const p = (line: string, dataset = 'cisco_asa.log'): Ev => parse(line, { ...at, dataset }) as Ev;

describe('Cisco ASA/FTD variants', () => {
  test('a relayed line keeps its program and pid; an outbound connection is read from its initiator', () => {
    const ev = p('Nov 20 2026 08:00:01 fw-so-tc CiscoASA[2112]: %ASA-6-302013: Built outbound TCP connection 4411 for outside:198.51.100.7/443 (198.51.100.7/443) to inside:10.30.2.5/50122 (203.0.113.2/50122)');
    expect(ev.process).toMatchObject({ name: 'CiscoASA', pid: 2112 });
    expect(ev.event).toMatchObject({ code: '302013', action: 'flow-creation', type: ['connection', 'start'] });
    expect(ev.source).toMatchObject({ ip: '10.30.2.5', port: 50122 });
    expect(ev.destination).toMatchObject({ ip: '198.51.100.7', port: 443 });
    expect(ev.observer).toMatchObject({ product: 'asa', hostname: 'fw-so-tc' });
  });

  test('FTD 7 facility in the tag, a doubled dash, and level 7 as debug', () => {
    const vpn = p('<166>Nov 20 2026 08:01:00 ftd-hq : %FTD-auth-6-113039: Group <VPN-CANBO> User <nguyen.an> IP <203.0.113.77> AnyConnect parent session started.', 'cisco_ftd.log');
    expect(vpn.event).toMatchObject({ dataset: 'cisco_ftd.log', code: '113039', action: 'client-vpn-connected' });
    expect(vpn.source.user.name).toBe('nguyen.an');
    expect(vpn.observer).toMatchObject({ product: 'ftd', type: 'idps' });
    const doubled = p('<166>:Nov 20 08:02:00 UTC: %FTD--6-852002: Received Full Proxy to Lightweight event from application Snort for TCP flow 10.30.1.4/5060 to 198.51.100.3/443', 'cisco_ftd.log');
    expect(doubled.event).toMatchObject({ code: '852002', severity: 6 });
    expect(doubled.event.kind).not.toBe('pipeline_error');
    const debug = p('Nov 20 2026 08:03:00 fw-so-tc : %ASA-7-609001: Built local-host inside:10.30.2.9');
    expect(debug.log.level).toBe('debug');
    expect(debug.source.ip).toBe('10.30.2.9');
  });

  test('an FTD line on a source pinned to cisco_asa is filed as the pinned ASA; IPsec SA created and deleted', () => {
    const ev = p('<166>Nov 20 2026 08:04:00 fw-so-tc : %FTD-6-602303: IPSEC: An outbound LAN-to-LAN SA (SPI= 0x1A2B3C4D) between 10.30.0.1 and 203.0.113.9 (user= 203.0.113.9) has been created.');
    expect(ev.observer).toMatchObject({ product: 'asa', type: 'firewall' });
    expect(ev.event).toMatchObject({ action: 'sa-created', code: '602303' });
    const del = p(ev.event.original.replace('602303', '602304').replace('created.', 'deleted.').replace('outbound', 'inbound'));
    expect(del.event).toMatchObject({ action: 'sa-deleted', type: ['connection', 'end'] });
  });

  test('an FTD file event whose cloud lookup already said Malware is an alert; an unknown disposition is not yet', () => {
    const line = (disp: string): string => `<113>2026-11-20T08:09:00Z ftd-hq : %FTD-1-430005: SrcIP: 10.30.2.7, DstIP: 198.51.100.90, SrcPort: 51000, DstPort: 80, Protocol: tcp, FileDirection: Download, FileAction: Malware Cloud Lookup, FileSHA256: 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae, SHA_Disposition: ${disp}, ThreatName: Win.Trojan.Agent, FileName: hoadon.exe, ApplicationProtocol: HTTP, Client: Firefox, WebApplication: Example Downloads, URI: http://198.51.100.90/hoadon.exe`;
    const malware = p(line('Malware'), 'cisco_ftd.log');
    expect(malware.event).toMatchObject({ kind: 'alert', action: 'malware-detected' });
    expect(malware.network.application).toEqual(['firefox', 'example downloads']);
    expect(p(line('Unknown'), 'cisco_ftd.log').event.kind).toBe('event');
  });

  test('messages of the catalogue Elastic reads: 722055 client type, 302010 connection counts', () => {
    const ua = p('<166>Nov 20 2026 08:10:00 fw-so-tc : %ASA-6-722055: Group <VPN-CANBO> User <le.hoa> IP <203.0.113.70> Client Type: Cisco AnyConnect VPN Agent for Windows 4.10.05095');
    expect(ua.user_agent.original).toBe('Cisco AnyConnect VPN Agent for Windows 4.10.05095');
    expect(ua.source).toMatchObject({ ip: '203.0.113.70', user: { name: 'le.hoa', group: { name: 'VPN-CANBO' } } });
    const count = p('<166>Nov 20 2026 08:11:00 fw-so-tc : %ASA-6-302010: 4213 in use, 10988 most used');
    expect(count.cisco.asa).toMatchObject({ connections_in_use: '4213', connections_most_used: '10988' });
    expect(count.tags).toBeUndefined();
    const pool = p('<166>Nov 20 2026 08:12:00 fw-so-tc : %ASA-5-737003: IPAA: Session=0x0002b000, DHCP configured, no viable servers found for tunnel-group VPN-CANBO');
    expect(pool.event).toMatchObject({ type: ['connection', 'info'], outcome: 'failure' });
    expect(pool.cisco.asa.tunnel_group).toBe('VPN-CANBO');
  });

  test('cut short, an unknown id, and no tag at all: header, device and level stay, the damage is named', () => {
    const cut = p('<166>Nov 20 2026 08:05:00 fw-so-tc : %ASA-6-302013: Built inbound TCP connection 99 for outside:203.0.113.9/4');
    expect(cut.event).toMatchObject({ code: '302013', severity: 6 });
    expect(cut.event.kind).not.toBe('pipeline_error');
    expect(cut.tags).toContain('partial');
    expect(cut.error.message).toMatch(/302013 is not in the shape/);
    expect(cut.observer).toMatchObject({ vendor: 'Cisco', product: 'asa', hostname: 'fw-so-tc' });
    const unknown = p('<164>Nov 20 2026 08:06:00 fw-so-tc : %ASA-4-999001: a message of a firmware newer than the catalogue');
    expect(unknown.event).toMatchObject({ code: '999001', severity: 4 });
    expect(unknown.message).toBe('a message of a firmware newer than the catalogue');
    const untagged = p('<166>Nov 20 2026 08:07:00 fw-so-tc : AAA user authentication Rejected : reason = AAA failure : server = 10.30.0.8 : user = ***** : user IP = 10.30.2.44');
    expect(untagged.tags).toContain('partial');
    expect(untagged.observer).toMatchObject({ vendor: 'Cisco', product: 'asa', hostname: 'fw-so-tc' });
    const garbled = p('<166>Nov 20 2026 08:08:00 fw-so-tc : %ASA-6-3020\u0000\u0001 ####', 'cisco_ftd.log');
    expect(garbled.event.kind).not.toBe('pipeline_error');
    expect(garbled.tags).toContain('partial');
    expect(garbled.observer.product).toBe('ftd');
  });
});
