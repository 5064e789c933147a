/**
 * Juniper SRX lines written for these tests in the structured-data shapes Junos documents (RT_FLOW, RT_IDP),
 * with the fields other releases add or leave out, and cut short: session totals, NAT on both ends and the
 * session's times are read whatever the field order; a cut line keeps the device and header.
 */
import { parse } from './index';

const at = { receivedAt: new Date('2026-11-20T03:00:00Z'), timezone: 'UTC', dataset: 'juniper_srx.log' };
type Ev = Record<string, any>;
const p = (line: string): Ev => parse(line, at) as Ev;

describe('Juniper SRX variants', () => {
  test('session close in another field order: policy as rule.name, NAT ports on client and server, totals and times', () => {
    const ev = p('<14>1 2026-11-20T01:10:00.250+07:00 srx-huyen RT_FLOW - RT_FLOW_SESSION_CLOSE [junos@2636.1.1.1.2.129 elapsed-time="30" reason="TCP FIN" policy-name="lan-to-internet" protocol-id="6" source-address="10.60.1.20" source-port="50100" destination-address="203.0.113.30" destination-port="443" nat-source-address="113.161.2.3" nat-source-port="20100" nat-destination-address="203.0.113.30" nat-destination-port="443" packets-from-client="9" bytes-from-client="1200" packets-from-server="7" bytes-from-server="8800" application-risk="3" source-zone-name="trust" destination-zone-name="untrust" packet-incoming-interface="ge-0/0/1.0"]');
    expect(ev.rule.name).toBe('lan-to-internet');
    expect(ev.client).toMatchObject({ ip: '10.60.1.20', nat: { port: 20100 }, bytes: 1200, packets: 9 });
    expect(ev.server).toMatchObject({ ip: '203.0.113.30', nat: { port: 443 }, bytes: 8800, packets: 7 });
    expect(ev.network).toMatchObject({ bytes: 10000, packets: 16, transport: 'tcp' });
    expect(ev.event).toMatchObject({ duration: 30e9, start: '2026-11-19T18:10:00.250Z', end: '2026-11-19T18:10:30.250Z', risk_score: 3 });
  });

  test('IDP attack: the signature, the client (outbound) and server (inbound) counts, protocol-name as the transport', () => {
    const ev = p('<165>1 2026-11-20T02:00:00.000Z srx-tinh RT_IDP - IDP_ATTACK_LOG_EVENT [junos@2636.1.1.1.2.135 epoch-time="1795658400" message-type="SIG" source-address="198.51.100.66" source-port="41234" destination-address="10.60.0.80" destination-port="80" protocol-name="TCP" service-name="SERVICE_IDP" application-name="HTTP" rule-name="5" rulebase-name="IPS" policy-name="Recommended" action="DROP" threat-severity="HIGH" attack-name="HTTP:SQL:INJ:GENERIC" elapsed-time="0" inbound-bytes="512" outbound-bytes="1400" inbound-packets="2" outbound-packets="3" source-zone-name="untrust" destination-zone-name="dmz" username="N/A"]');
    expect(ev.event.kind).toBe('alert');
    expect(ev.rule).toMatchObject({ id: '5', ruleset: 'IPS', name: 'HTTP:SQL:INJ:GENERIC' });
    expect(ev.source).toMatchObject({ ip: '198.51.100.66', bytes: 1400, packets: 3 });
    expect(ev.destination).toMatchObject({ ip: '10.60.0.80', bytes: 512, packets: 2 });
    expect(ev.network).toMatchObject({ transport: 'tcp', bytes: 1912 });
    expect(ev.network.community_id).toMatch(/^1:/);
  });

  test('a session close cut inside its structured data keeps the device and header, never a pipeline error', () => {
    const ev = p('<14>1 2026-11-20T01:11:00Z srx-huyen RT_FLOW - RT_FLOW_SESSION_CLOSE [junos@2636.1.1.1.2.129 elapsed-time="30" source-addr');
    expect(ev.event.kind).not.toBe('pipeline_error');
    expect(ev.observer).toMatchObject({ vendor: 'Juniper', product: 'SRX', name: 'srx-huyen' });
    expect(ev['@timestamp']).toBe('2026-11-20T01:11:00.000Z');
  });
});
