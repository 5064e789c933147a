import { parse } from './index';

const at = { receivedAt: new Date('2026-05-02T03:00:00Z'), timezone: 'UTC' };
type Ev = Record<string, any>;
const p = (line: string, ctx: Record<string, unknown> = {}): Ev => parse(line, { ...at, ...ctx }) as Ev;

describe('Firepower security events (430001-430005)', () => {
  test('a finished connection: endpoints, interfaces, bytes, duration, URL and the rule that allowed it', () => {
    const ev = p(
      '2026-05-02T02:10:40Z fp-sensor-2 Alerts %NGIPS-0-430003: AccessControlRuleAction: Allow, SrcIP: 192.0.2.44, DstIP: 203.0.113.9, SrcPort: 51000, DstPort: 443, Protocol: tcp, IngressInterface: in0, EgressInterface: out0, ACPolicy: HQ-Policy, AccessControlRuleName: Web-Out, User: Unknown, UserAgent: Mozilla/5.0 (X11; Linux x86_64), curl-like, Client: Firefox, ApplicationProtocol: HTTPS, ConnectionDuration: 30, InitiatorPackets: 12, ResponderPackets: 10, InitiatorBytes: 1500, ResponderBytes: 9000, URL: https://files.example.org:8443/pkg/update.tar',
      { dataset: 'cisco_ftd.log' },
    );
    expect(ev.event).toMatchObject({ kind: 'event', code: '430003', action: 'connection-finished', outcome: 'success', duration: 30e9, dataset: 'cisco_ftd.log' });
    expect(ev.event.type).toEqual(['connection', 'end', 'allowed']);
    expect(ev.event.start).toBe('2026-05-02T02:10:10.000Z');
    expect(ev.source).toMatchObject({ ip: '192.0.2.44', port: 51000, bytes: 1500, packets: 12 });
    expect(ev.destination).toMatchObject({ ip: '203.0.113.9', port: 443, bytes: 9000, packets: 10 });
    expect(ev.observer).toMatchObject({ vendor: 'Cisco', product: 'ftd', type: 'idps', hostname: 'fp-sensor-2', ingress: { interface: { name: 'in0' } } });
    expect(ev.process.name).toBe('Alerts');
    // a value with a comma in it stays whole
    expect(ev.user_agent.original).toBe('Mozilla/5.0 (X11; Linux x86_64), curl-like');
    expect(ev.url).toMatchObject({ scheme: 'https', domain: 'files.example.org', port: 8443, path: '/pkg/update.tar', extension: 'tar' });
    expect(ev.cisco.ftd.rule_name).toEqual(['HQ-Policy', 'Web-Out']);
    expect(ev.cisco.ftd.security).toMatchObject({ ac_policy: 'HQ-Policy', access_control_rule_action: 'Allow', initiator_bytes: '1500' });
  });

  test('a malware file is an alert with the hash, the threat name and the file', () => {
    const ev = p(
      'May  2 2026 09:15:00 edge-ftd %FTD-1-430005: SrcIP: 198.51.100.7, DstIP: 10.20.0.15, SrcPort: 80, DstPort: 50211, Protocol: tcp, FileDirection: Download, FileAction: Malware Block, FileSHA256: 0f343b0931126a20f133d67c2b018a3b0f343b0931126a20f133d67c2b018a3b, SHA_Disposition: Malware, ThreatName: Win.Trojan.Example::1.sbx, ThreatScore: 90, FileName: invoice.doc, FileType: MSOLE2, FileSize: 4096, ApplicationProtocol: HTTP, User: corp\\lan, FilePolicy: files-hq, URI: http://198.51.100.7/invoice.doc',
    );
    expect(ev.event).toMatchObject({ kind: 'alert', action: 'malware-detected', category: ['malware'], dataset: 'cisco_ftd.log' });
    expect(ev.file).toMatchObject({ name: 'invoice.doc', size: 4096, hash: { sha256: '0f343b0931126a20f133d67c2b018a3b0f343b0931126a20f133d67c2b018a3b' } });
    expect(ev.cisco.ftd).toMatchObject({ threat_category: 'Win.Trojan.Example::1.sbx', threat_level: '90', rule_name: 'files-hq' });
    expect(ev.user.name).toBe('corp\\lan');
    expect(ev.related.hash).toEqual(['0f343b0931126a20f133d67c2b018a3b0f343b0931126a20f133d67c2b018a3b']);
    // a file only sent to a cloud lookup has no verdict yet: an event, not an alert
    const lookup = p('May  2 2026 09:15:30 edge-ftd %FTD-1-430005: SrcIP: 198.51.100.7, DstIP: 10.20.0.15, SrcPort: 80, DstPort: 50212, Protocol: tcp, FileDirection: Download, FileAction: Malware Cloud Lookup, SHA_Disposition: Unavailable, FileName: report.pdf, ApplicationProtocol: HTTP');
    expect(lookup.event).toMatchObject({ kind: 'event', action: 'malware-detected', category: ['malware', 'file'] });
  });

  test('a tag naming a facility (%FTD-auth-6-113039) is read like any FTD tag', () => {
    const ev = p('<166>May 02 2026 09:16:00 edge-ftd : %FTD-auth-6-113039: Group <SSL-VPN> User <an.nguyen> IP <198.51.100.20> AnyConnect parent session started.');
    expect(ev.event).toMatchObject({ kind: 'event', code: '113039', severity: 6 });
    expect(ev.observer).toMatchObject({ vendor: 'Cisco', product: 'ftd' });
    expect(ev.log.syslog.priority).toBe(166);
  });

  test('a security event cut before its first field is kept, tagged partial, with the header and the vendor', () => {
    const ev = p('<161>May 02 2026 09:17:00 edge-ftd %FTD-1-430001: ', { dataset: 'cisco_ftd.log' });
    expect(ev.event.kind).toBe('event');
    expect(ev.tags).toContain('partial');
    expect(ev.error.message).toMatch(/430001 holds no "Key: value" field/);
    expect(ev.observer).toMatchObject({ vendor: 'Cisco', type: 'firewall' });
    expect(ev.event.dataset).toBe('cisco_ftd.log');
    // garbled text after the tag keeps what the keys give and no more
    const garbled = p('May  2 2026 09:18:00 edge-ftd %FTD-1-430002: SrcIP: 10.1.1.1, \u0000\u0001DstIP 10.2.2.2 Protocol', { dataset: 'cisco_ftd.log' });
    expect(garbled.event.kind).toBe('event');
    expect(garbled.source.ip).toBe('10.1.1.1');
    expect(garbled.destination).toBeUndefined();
  });
});
