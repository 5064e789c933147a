import { parse } from './index';

const at = { receivedAt: new Date('2026-05-02T03:00:00Z'), timezone: 'UTC' };
type Ev = Record<string, any>;
const p = (line: string): Ev => parse(line, at) as Ev;

describe('Cisco ASA remote-access VPN session messages', () => {
  test('a session start names the group, the user with its domain and the client address', () => {
    const ev = p('<166>May 02 2026 09:16:00 asa-hq : %ASA-6-113039: Group <Staff-VPN> User <CORP\\binh.tran> IP <198.51.100.20> AnyConnect parent session started.');
    expect(ev.event).toMatchObject({ action: 'client-vpn-connected', category: ['network', 'session'], type: ['connection', 'start'] });
    expect(ev.source).toMatchObject({ ip: '198.51.100.20', user: { name: 'binh.tran', domain: 'CORP', group: { name: 'Staff-VPN' } } });
    expect(ev.user.name).toBe('binh.tran');
  });

  test('brackets are optional, an e-mail user keeps its address, the text after the address is the reason', () => {
    const ev = p('<166>May 02 2026 09:20:00 asa-hq : %ASA-6-722023: Group Remote_MFA User lan.pham@so.example.vn IP 203.0.113.40 UDP SVC connection terminated with compression');
    expect(ev.source.user).toMatchObject({ name: 'lan.pham', email: 'lan.pham@so.example.vn', domain: 'so.example.vn', group: { name: 'Remote_MFA' } });
    expect(ev.source.ip).toBe('203.0.113.40');
    expect(ev.event).toMatchObject({ type: ['connection', 'end'], outcome: 'success', reason: 'UDP SVC connection terminated with compression' });
    const dpd = p('May 02 2026 09:21:00: %ASA-4-722037: Group <GP Field Office> User <thu> IP <203.0.113.41> SVC closing connection: Idle timeout.');
    expect(dpd.source.user.group.name).toBe('GP Field Office');
    expect(dpd.event.reason).toBe('SVC closing connection: Idle timeout.');
  });

  test('113019 session end: duration, bytes each way, session type, start and end times', () => {
    const ev = p('<164>May 02 2026 09:30:00: %ASA-4-113019: Group = Staff-VPN, Username = thanh.vo@so.example.vn, IP = 198.51.100.30, Session disconnected. Session Type: IKEv2, Duration: 2h:05m:10s, Bytes xmt: 1000, Bytes rcv: 2500, Reason: Idle Timeout');
    expect(ev.event).toMatchObject({ action: 'client-vpn-disconnected', type: ['connection', 'end'], reason: 'Idle Timeout', duration: 7510e9 });
    expect(ev.event.end).toBe(ev['@timestamp']);
    expect(Date.parse(ev.event.end) - Date.parse(ev.event.start)).toBe(7510e3);
    expect(ev.source).toMatchObject({ bytes: 1000, user: { name: 'thanh.vo', domain: 'so.example.vn', group: { name: 'Staff-VPN' } } });
    // as Elastic: the client's address is the destination of the session the firewall served, and client.ip
    expect(ev.destination).toMatchObject({ ip: '198.51.100.30', bytes: 2500 });
    expect(ev.client.ip).toBe('198.51.100.30');
    expect(ev.network.bytes).toBe(3500);
    expect(ev.cisco.asa.session_type).toBe('IKEv2');
  });

  test('an address assignment records the assigned address; a line cut after the group keeps the event', () => {
    const ev = p('May 02 2026 09:22:00: %ASA-4-722051: Group <GP_Staff> User <an> IP <198.51.100.21> IPv4 Address <10.88.0.7> IPv6 address <::> assigned to session');
    expect(ev.event.action).toBe('address-assigned');
    expect(ev.cisco.asa.assigned_ip).toBe('10.88.0.7');
    const cut = p('May 02 2026 09:23:00: %ASA-4-722037: Group <GP_Sta');
    expect(cut.event).toMatchObject({ kind: 'event', code: '722037', severity: 4 });
    expect(cut.observer).toMatchObject({ vendor: 'Cisco', product: 'asa' });
    expect(cut.source).toBeUndefined();
  });

  test('a host name where the address stands (names configured on the ASA) is the endpoint\'s domain', () => {
    const ev = p('Jun 01 10:00:00 asa-hq : %ASA-6-302013: Built inbound TCP connection 991 for dmz:webcache/3128 (webcache/3128) to inside:10.30.0.8/443 (10.30.0.8/443)');
    expect(ev.source).toMatchObject({ address: 'webcache', domain: 'webcache', port: 3128 });
    expect(ev.destination).toMatchObject({ ip: '10.30.0.8', port: 443 });
    expect(ev.observer.ingress.interface.name).toBe('dmz');
  });

  test("an SVC tunnel's first or new connection names its transport (DTLS runs over UDP)", () => {
    const first = p('May 02 2026 09:40:00: %ASA-5-722033: Group <GP_Staff> User <nga> IP <198.51.100.44> First TCP SVC connection established for SVC session.');
    expect(first.network).toMatchObject({ transport: 'tcp', iana_number: '6' });
    expect(first.event).toMatchObject({ type: ['connection', 'start'], outcome: 'success' });
    const dtls = p('May 02 2026 09:40:01: %ASA-5-722034: Group <GP_Staff> User <nga> IP <198.51.100.44> New DTLS SVC connection, no existing connection.');
    expect(dtls.network).toMatchObject({ transport: 'udp', iana_number: '17' });
  });
});
