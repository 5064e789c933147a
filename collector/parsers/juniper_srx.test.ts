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

  test('a pinned SRX source with a line it cannot read keeps header and vendor, tagged partial', () => {
    const ev = p('<14>May  2 09:44:00 srx-br2 mgd[411]: UI_COMMIT: User \'root\' requested \'commit\'', { dataset: 'juniper_srx.log' });
    expect(ev.event).toMatchObject({ kind: 'event', dataset: 'juniper_srx.log' });
    expect(ev.tags).toContain('partial');
    expect(ev.observer).toMatchObject({ vendor: 'Juniper', product: 'SRX' });
    expect(ev.host.hostname).toBe('srx-br2');
    const garbled = p('<12>1 2026-05-02T02:45:00Z srx-br1 RT_UTM - WEBFILTER_URL_BLOCKED [junos@2636.1.1.1.2.86 source-address="10.71.0.9" source-po');
    expect(garbled.event.kind).not.toBe('pipeline_error');
  });
});
