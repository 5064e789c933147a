import { parse } from './index';
import { questionName } from './microsoft_dns';

const ctx = { receivedAt: new Date('2026-03-15T05:00:00Z'), timezone: 'Asia/Ho_Chi_Minh' };
type Ev = Record<string, any>;
const p = (line: string, extra: Record<string, unknown> = {}): Ev => parse(line, { ...ctx, ...extra }) as Ev;
const pinned = (line: string): Ev => p(line, { dataset: 'microsoft_dnsserver.debug' });

describe('Microsoft DNS Server debug log', () => {
  test('a query received from a client: the client, the name with its registered domain, type, flags and xid', () => {
    const ev = p('3/15/2026 11:02:07 AM 0F3C PACKET  000001C2A4F0B120 UDP Rcv 10.20.4.17      5b1e   Q [0001   D   NOERROR] A      (5)login(9)dichvucong(3)gov(2)vn(0)');
    expect(ev['@timestamp']).toBe('2026-03-15T04:02:07.000Z');
    expect(ev.event).toMatchObject({ dataset: 'microsoft_dnsserver.debug', module: 'microsoft_dnsserver', action: 'dns-query', category: ['network'], type: ['protocol', 'info'], timezone: 'Asia/Ho_Chi_Minh' });
    expect(ev.source).toEqual({ ip: '10.20.4.17' });
    expect(ev.client).toEqual({ ip: '10.20.4.17' });
    expect(ev.dns).toMatchObject({ id: '5b1e', type: 'query', op_code: 'QUERY', header_flags: ['RD'], question: { name: 'login.dichvucong.gov.vn', type: 'A', registered_domain: 'dichvucong.gov.vn', top_level_domain: 'gov.vn', subdomain: 'login' } });
    expect(ev.dns.response_code).toBeUndefined();
    expect(ev.network).toMatchObject({ protocol: 'dns', transport: 'udp' });
    expect(ev.observer).toMatchObject({ vendor: 'Microsoft', product: 'DNS Server', type: 'dns' });
    expect(ev.related.ip).toEqual(['10.20.4.17']);
  });

  test('a response sent to a client says the response code and outcome; NXDOMAIN is a failure', () => {
    const ok = p('3/15/2026 11:02:07 AM 0F3C PACKET  000001C2A4F0B120 UDP Snd 10.20.4.17      5b1e R Q [8081   DR  NOERROR] A      (5)login(9)dichvucong(3)gov(2)vn(0)');
    expect(ok.event).toMatchObject({ action: 'dns-response', outcome: 'success' });
    expect(ok.destination).toEqual({ ip: '10.20.4.17' });
    expect(ok.client).toEqual({ ip: '10.20.4.17' });
    expect(ok.dns).toMatchObject({ type: 'answer', response_code: 'NOERROR', header_flags: ['RD', 'RA'] });
    const nx = p('3/15/2026 11:02:09 PM 0F3C PACKET  000001C2A4F0C000 UDP Snd 10.20.4.18      77aa R Q [8183   DR NXDOMAIN] AAAA   (12)x3k9q2mzt7ab(7)example(3)com(0)');
    expect(nx['@timestamp']).toBe('2026-03-15T16:02:09.000Z');
    expect(nx.event.outcome).toBe('failure');
    expect(nx.dns).toMatchObject({ response_code: 'NXDOMAIN', question: { name: 'x3k9q2mzt7ab.example.com', type: 'AAAA' } });
  });

  test('a recursive query the server sends upstream names the upstream as server, not as a client', () => {
    const ev = p('3/15/2026 11:02:08 AM 0E10 PACKET  000001C2A4F0D440 UDP Snd 8.8.8.8         c0de   Q [0001   D   NOERROR] MX     (7)example(3)org(0)');
    expect(ev.server).toEqual({ ip: '8.8.8.8' });
    expect(ev.client).toBeUndefined();
    const back = p('3/15/2026 11:02:08 AM 0E10 PACKET  000001C2A4F0D440 UDP Rcv 8.8.8.8         c0de R Q [8081   DR  NOERROR] MX     (7)example(3)org(0)');
    expect(back.server).toEqual({ ip: '8.8.8.8' });
    expect(back.source).toEqual({ ip: '8.8.8.8' });
  });

  test('locale variants: 24-hour D/M/YYYY and ISO dates, TCP, IPv6, a notify, a dynamic update', () => {
    const dm = p('15/03/2026 23:10:00 0A0B PACKET  0000000000A1B2C3 TCP Rcv fd00:10::25     0101   U [2800       NOERROR] SOA    (6)agency(5)local(0)');
    expect(dm['@timestamp']).toBe('2026-03-15T16:10:00.000Z');
    expect(dm.network.transport).toBe('tcp');
    expect(dm.source.ip).toBe('fd00:10::25');
    expect(dm.dns.op_code).toBe('UPDATE');
    expect(dm.dns.header_flags).toBeUndefined();
    const iso = p('2026-03-15 08:00:00 0A0B PACKET  0000000000A1B2C4 UDP Rcv 10.0.0.2        0202   N [2400 A     NOERROR] SOA    (6)agency(5)local(0)');
    expect(iso['@timestamp']).toBe('2026-03-15T01:00:00.000Z');
    expect(iso.dns).toMatchObject({ op_code: 'NOTIFY', header_flags: ['AA'] });
  });

  test('question names: labels, the root, and a name the server printed as text', () => {
    expect(questionName('(3)www(7)example(3)com(0)')).toBe('www.example.com');
    expect(questionName('(0)')).toBe('.');
    expect(questionName('already.dotted.name')).toBe('already.dotted.name');
  });

  test("the log's legend, header and non-packet context lines are events with the line as message", () => {
    const head = pinned('DNS Server log file creation at 3/15/2026 11:00:00 AM');
    expect(head.event).toMatchObject({ kind: 'event', dataset: 'microsoft_dnsserver.debug', type: ['info'] });
    expect(head.message).toBe('DNS Server log file creation at 3/15/2026 11:00:00 AM');
    const legend = pinned('\t  10     Query/Response      R = Response');
    expect(legend.event.kind).toBe('event');
    const note = pinned('3/15/2026 11:00:01 AM 0B2C Note: got GQCS failure on a dead socket context status=995');
    expect(note.microsoft.dns.context).toBe('Note');
    expect(note.message).toBe('got GQCS failure on a dead socket context status=995');
    const evt = pinned('3/15/2026 11:00:02 AM 0B2C EVENT   The DNS server has started.');
    expect(evt.message).toBe('The DNS server has started.');
  });

  test('a truncated packet line keeps its time, dataset and vendor, tagged partial; header-less garbage is a pipeline_error naming why', () => {
    const cut = pinned('3/15/2026 11:02:07 AM 0F3C PACKET  000001C2A4F0B120 UDP Rcv 10.20.4.17      5b1e   Q [0001   D');
    expect(cut.event).toMatchObject({ kind: 'event', dataset: 'microsoft_dnsserver.debug' });
    expect(cut.tags).toContain('partial');
    expect(cut.observer).toMatchObject({ vendor: 'Microsoft', product: 'DNS Server' });
    expect(cut.dns).toBeUndefined();
    expect(cut['@timestamp']).toBe('2026-03-15T04:02:07.000Z');
    expect(cut.error.message).toMatch(/^microsoft_dns: a PACKET line needs/);
    // header-less text with no date and thread to read holds nothing to claim: pipeline_error naming why
    const garbled = pinned('3/15/2026 11:0\u0000\u0001 ###');
    expect(garbled.event.kind).toBe('pipeline_error');
    expect(garbled.error.message).toMatch(/DNS debug log line needs "date time thread-id context"/);
    // without a pin, a line that is not a PACKET line is not claimed by this family
    expect(p('3/15/2026 11:00:02 AM 0B2C EVENT   The DNS server has started.').event.dataset).not.toBe('microsoft_dnsserver.debug');
  });

  describe('analytical (ETW) events from an agent', () => {
    const etw = (id: number, data: Record<string, string>, task = '1') => parse({
      '@timestamp': '2026-03-15T04:30:00.123Z',
      host: { name: 'dns-hq-01' },
      event: { code: String(id), provider: 'Microsoft-Windows-DNSServer' },
      winlog: { channel: 'Microsoft-Windows-DNS-Server/Analytical', provider_name: 'Microsoft-Windows-DNSServer', event_id: String(id), task, process_id: '2012', thread_id: '3344', event_data: data },
    }, ctx) as Ev;

    test('a query received: the client, name, type, flags, transport; the event data under Elastic names', () => {
      const ev = etw(256, { TCP: '0', InterfaceIP: '10.20.0.53', Source: '10.20.4.17', RD: '1', QNAME: 'update.hoadon.example.vn', QTYPE: '1', XID: '41230', Port: '53012', Flags: '256', PacketData: '0xA10E' });
      expect(ev['@timestamp']).toBe('2026-03-15T04:30:00.123Z');
      expect(ev.event).toMatchObject({ dataset: 'microsoft_dnsserver.analytical', module: 'microsoft_dnsserver', code: '256', action: 'LOOK_UP', category: ['network'], type: ['protocol'] });
      expect(ev.source).toEqual({ ip: '10.20.4.17', port: 53012 });
      expect(ev.client).toEqual({ ip: '10.20.4.17' });
      expect(ev.dns).toMatchObject({ id: '41230', header_flags: ['RD'], question: { name: 'update.hoadon.example.vn', type: 'A', registered_domain: 'example.vn' } });
      expect(ev.network).toMatchObject({ protocol: 'dns', transport: 'udp' });
      expect(ev.microsoft_dnsserver.analytical).toMatchObject({ description: 'Query received', question_name: 'update.hoadon.example.vn', question_type: 'A', xid: '41230', interface_ip: '10.20.0.53', packet_data: '0xA10E' });
      expect(ev.winlog.keywords).toEqual(['QUERY_RECEIVED']);
      expect(ev.process).toMatchObject({ pid: 2012, thread: { id: 3344 } });
      expect(ev.host.name).toBe('dns-hq-01');
    });

    test('a failed response names the client as destination with NXDomain; a recursive query out names the upstream server', () => {
      const nx = etw(258, { TCP: '0', Destination: '10.20.4.17', AA: '0', AD: '0', QNAME: 'x9q2.bad.example', QTYPE: '28', XID: '41231', RCODE: '3', Port: '53012', BufferSize: '120' });
      expect(nx.event.outcome).toBe('failure');
      expect(nx.dns.response_code).toBe('NXDomain');
      expect(nx.destination).toEqual({ ip: '10.20.4.17', port: 53012 });
      expect(nx.client).toEqual({ ip: '10.20.4.17' });
      expect(nx.network.bytes).toBe(120);
      const out = etw(260, { TCP: '0', Destination: '8.8.4.4', QNAME: 'example.org', QTYPE: '15', XID: '900', Port: '53' }, '2');
      expect(out.server).toEqual({ ip: '8.8.4.4' });
      expect(out.client).toBeUndefined();
      expect(out.event.action).toBe('RECURSE_QUERY');
    });

    test('another provider or an unknown event id is not claimed', () => {
      const other = parse({ winlog: { provider_name: 'Microsoft-Windows-Security-Auditing', event_id: '4624', event_data: {} } }, ctx) as Ev;
      expect(other.event.dataset).not.toBe('microsoft_dnsserver.analytical');
      const unknown = parse({ winlog: { provider_name: 'Microsoft-Windows-DNSServer', event_id: '541', event_data: {} } }, ctx) as Ev;
      expect(unknown.event.dataset).not.toBe('microsoft_dnsserver.analytical');
    });
  });
});
