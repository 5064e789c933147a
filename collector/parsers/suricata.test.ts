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
  test('an alert carries its flow counters and TLS name; an agent document that kept the EVE record as text is read from it', () => {
    const eve = { timestamp: '2026-03-14T10:00:00.500000+0700', flow_id: 77, in_iface: 'eth0', event_type: 'alert', src_ip: '10.9.8.7', src_port: 50000,
      dest_ip: '203.0.113.9', dest_port: 443, proto: 'TCP', app_proto: 'tls', tls: { sni: 'files.example.co.uk', version: 'TLS 1.3' },
      alert: { action: 'allowed', signature_id: 9000001, signature: 'LOCAL exfil host', category: 'Potentially Bad Traffic', severity: 2 },
      flow: { pkts_toserver: 5, pkts_toclient: 4, bytes_toserver: 900, bytes_toclient: 100, start: '2026-03-14T09:59:59.000000+0700' } };
    const agentDoc = { '@timestamp': '2026-03-14T03:00:00.500Z', host: { name: 'sensor-7' }, event: { module: 'suricata', original: JSON.stringify(eve) } };
    const ev = parse(agentDoc, { ...ctx, dataset: 'suricata.eve' }) as Record<string, any>;
    expect(ev.event.kind).toBe('alert');
    expect(ev.message).toBe('Potentially Bad Traffic');
    expect(ev.rule.name).toBe('LOCAL exfil host');
    expect(ev.source).toMatchObject({ ip: '10.9.8.7', bytes: 900, packets: 5 });
    expect(ev.destination).toMatchObject({ ip: '203.0.113.9', bytes: 100, packets: 4, domain: 'files.example.co.uk' });
    expect(ev.network).toMatchObject({ bytes: 1000, packets: 9 });
    expect(ev.event.start).toBe('2026-03-14T02:59:59.000Z');
    expect(ev.tls).toMatchObject({ client: { server_name: 'files.example.co.uk' }, version: '1.3' });
    expect(ev.host.name).toBe('sensor-7');
    const dns = p({ timestamp: '2026-03-14T09:30:02.000000+0000', event_type: 'dns', src_ip: '10.1.2.3', dest_ip: '10.0.0.53', proto: 'UDP', dns: { type: 'query', id: 1, rrname: 'cdn.portal.gov.vn', rrtype: 'A' } });
    expect(dns.dns.question).toMatchObject({ registered_domain: 'portal.gov.vn', top_level_domain: 'gov.vn', subdomain: 'cdn' });
  });

  test('a truncated EVE record in an agent document is kept, not lost', () => {
    const ev = parse({ event: { module: 'suricata', original: '{"timestamp":"2026-03-14T10:00:00.5+0700","event_type":"ale' } }, { ...ctx, dataset: 'suricata.eve' }) as Record<string, any>;
    expect(ev.event.dataset).toBe('suricata.eve');
    expect(ev.event.original).toContain('"event_type":"ale');
  });
});
