import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'UTC' };
const p = (line: string) => parse(line, ctx) as Record<string, any>;

describe('Cisco ASA', () => {
  test('106023 deny with access-group, interface prefixes and facility prefix framing', () => {
    const ev = p('LOCAL4.WARNING: asa-so-1 %ASA-4-106023: Deny tcp src ctx1:outside:198.51.100.77/40112 dst inside:10.20.1.5/3389 by access-group "OUTSIDE_IN" [0x0, 0x0]');
    expect(ev.event).toMatchObject({ dataset: 'cisco_asa.log', code: '106023', severity: 4, action: 'firewall-rule', outcome: 'failure', type: ['connection', 'denied'] });
    expect(ev.source).toMatchObject({ ip: '198.51.100.77', port: 40112 });
    expect(ev.destination).toMatchObject({ ip: '10.20.1.5', port: 3389 });
    expect(ev.observer).toMatchObject({ hostname: 'asa-so-1', vendor: 'Cisco', product: 'asa', ingress: { interface: { name: 'outside' } }, egress: { interface: { name: 'inside' } } });
    expect(ev.rule.name).toBe('OUTSIDE_IN');
    expect(ev.log.level).toBe('warning');
    expect(ev.network).toMatchObject({ transport: 'tcp', iana_number: '6' });
  });

  test('302013 outbound built connection swaps to the inside initiator and keeps NAT', () => {
    const ev = p('<166>Mar 14 2026 09:00:01 asa-so-1 : %ASA-6-302013: Built outbound TCP connection 88123 for outside:203.0.113.10/443 (203.0.113.10/443) to inside:10.20.1.50/51515 (198.51.100.2/33001)');
    expect(ev['@timestamp']).toBe('2026-03-14T09:00:01.000Z');
    expect(ev.source).toMatchObject({ ip: '10.20.1.50', port: 51515, nat: { ip: '198.51.100.2', port: 33001 } });
    expect(ev.destination).toMatchObject({ ip: '203.0.113.10', port: 443 });
    expect(ev.event).toMatchObject({ action: 'flow-creation', type: ['connection', 'start'] });
    expect(ev.network.direction).toBe('outbound');
  });

  test('302014 teardown gives duration and bytes; repeated messages are unwrapped', () => {
    const ev = p('Mar 14 09:10:00 10.0.0.1 %ASA-6-302014: Teardown TCP connection 88123 for outside:203.0.113.10/443 to inside:10.20.1.50/51515 duration 0:01:05 bytes 10240 TCP FINs');
    expect(ev.event.duration).toBe(65e9);
    expect(ev.network.bytes).toBe(10240);
    expect(ev.cisco.asa.termination_reason).toBe('TCP FINs');
    const rep = p('Mar 14 09:10:00 10.0.0.1 %ASA-2-106006: message repeated 3 times: [ Deny inbound UDP from 198.51.100.9/5353 to 10.0.0.9/5353 on interface outside]');
    expect(rep.cisco.asa.message_repeats).toBe(3);
    expect(rep.source.port).toBe(5353);
    expect(rep.host.hostname).toBe('10.0.0.1');
  });

  test('113005 AAA rejection is a failed logon with the user and both addresses', () => {
    const ev = p('<166>Mar 14 2026 09:24:32Z %FTD-6-113005: AAA user authentication Rejected : reason = Invalid password : server = 10.0.1.20 : user = nguyenvana : user IP = 10.0.100.30');
    // Elastic's categorization of AAA messages: an authentication over the network, denied
    expect(ev.event).toMatchObject({ action: 'logon-failed', outcome: 'failure', category: ['authentication', 'network'], type: ['denied', 'info'] });
    expect(ev.source).toMatchObject({ ip: '10.0.100.30', user: { name: 'nguyenvana' } });
    expect(ev.destination.ip).toBe('10.0.1.20');
    expect(ev.observer.product).toBe('ftd');
  });

  test('unknown ids keep code, severity and the message', () => {
    const ev = p('<165>Mar 14 2026 09:00:00 asa : %ASA-5-999999: Something new happened');
    expect(ev.event).toMatchObject({ code: '999999', severity: 5, kind: 'event' });
    expect(ev.message).toBe('Something new happened');
  });


  test('an FTD header time marked Z is UTC; the header names no host, so none is invented', () => {
    const ev = parse('<166>Mar 14 2026 03:05:09Z  %FTD-6-113005: AAA user authentication Rejected : reason = Invalid password : server = 10.20.0.5 : user = nguyenvana : user IP = 10.20.30.40', { ...ctx, timezone: 'Asia/Ho_Chi_Minh' }) as Record<string, any>;
    expect(ev['@timestamp']).toBe('2026-03-14T03:05:09.000Z');
    expect(ev.event).toMatchObject({ code: '113005', timezone: 'UTC', outcome: 'failure' });
    expect(ev.host).toBeUndefined();
    expect(ev.observer.hostname).toBeUndefined();
    expect(ev.process).toBeUndefined();
    expect(ev.related.hosts).toBeUndefined();
  });

  test('a header time without zone is read in the source zone and says so', () => {
    const ev = parse('<166>Mar 14 2026 10:05:09 fw-hq : %ASA-6-113005: AAA user authentication Rejected : reason = Invalid password : server = 10.20.0.5 : user = nguyenvana : user IP = 10.20.30.40', { ...ctx, timezone: 'Asia/Ho_Chi_Minh' }) as Record<string, any>;
    expect(ev['@timestamp']).toBe('2026-03-14T03:05:09.000Z');
    expect(ev.event.timezone).toBe('Asia/Ho_Chi_Minh');
  });
});
