import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z') };
const p = (input: string | Record<string, unknown>) => parse(input, ctx) as Record<string, any>;

describe('Suricata EVE', () => {
  const alert = {
    timestamp: '2026-03-14T09:30:01.123456+0700', flow_id: 1234567890123456, in_iface: 'eth1', event_type: 'alert',
    src_ip: '10.1.2.3', src_port: 49152, dest_ip: '198.51.100.66', dest_port: 443, proto: 'TCP', app_proto: 'tls',
    alert: { action: 'allowed', gid: 1, signature_id: 2027865, rev: 3, signature: 'ET MALWARE Observed Cobalt Strike CnC Domain', category: 'Domain Observed Used for C2 Detected', severity: 1,
      metadata: { mitre_tactic_id: ['TA0011'], mitre_technique_id: ['T1071'] } },
  };

  test('an alert line is an ECS alert with rule, severity, endpoints and ATT&CK', () => {
    const ev = p(JSON.stringify(alert));
    expect(ev['@timestamp']).toBe('2026-03-14T02:30:01.123Z');
    expect(ev.event).toMatchObject({ kind: 'alert', dataset: 'suricata.eve', category: ['network', 'intrusion_detection'], type: ['allowed'], severity: 1 });
    expect(ev.rule).toEqual({ id: '2027865', name: alert.alert.signature, category: alert.alert.category });
    expect(ev.source).toMatchObject({ ip: '10.1.2.3', port: 49152 });
    expect(ev.network).toMatchObject({ transport: 'tcp', protocol: 'tls', iana_number: '6' });
    expect(ev.network.community_id).toMatch(/^1:/);
    expect(ev.threat).toMatchObject({ framework: 'MITRE ATT&CK', technique: { id: ['T1071'] } });
    expect(ev.suricata.eve.flow_id).toBe('1234567890123456');
    expect(ev.event.original).toBe(JSON.stringify(alert));
  });

  test('dns and flow records', () => {
    const dns = p({ timestamp: '2026-03-14T09:30:02.000000+0000', event_type: 'dns', src_ip: '10.1.2.3', src_port: 5353, dest_ip: '10.0.0.53', dest_port: 53, proto: 'UDP', dns: { type: 'query', id: 4242, rrname: 'evil.example', rrtype: 'A' } });
    expect(dns.dns).toMatchObject({ type: 'query', id: '4242', question: { name: 'evil.example', type: 'A' } });
    const flow = p({ timestamp: '2026-03-14T09:30:03.000000+0000', event_type: 'flow', src_ip: '10.1.2.3', src_port: 1, dest_ip: '10.0.0.9', dest_port: 22, proto: 'TCP',
      flow: { pkts_toserver: 10, pkts_toclient: 8, bytes_toserver: 1000, bytes_toclient: 2000, start: '2026-03-14T09:29:03.000000+0000', end: '2026-03-14T09:30:03.000000+0000', state: 'closed' } });
    expect(flow.network).toMatchObject({ bytes: 3000, packets: 18 });
    expect(flow.event.duration).toBe(60e9);
    expect(flow.event.type).toEqual(['connection', 'end']);
  });

  test('a truncated EVE line is a pipeline error naming the JSON problem', () => {
    const ev = parse('{"timestamp":"2026-03-14T09:30:01.123456+0700","event_type":"alert"', { ...ctx, dataset: 'suricata.eve' });
    expect(ev.event.kind).toBe('pipeline_error');
    expect((ev.error as { message: string }).message).toMatch(/invalid JSON for parser suricata/);
  });
});
