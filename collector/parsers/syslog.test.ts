import { parse, parserNames } from './index';
import { parseSyslogHeader } from './syslog';
import { parseTimestamp } from './util';

const receivedAt = new Date('2026-03-15T04:00:00Z');
const at = (ctx: Partial<Parameters<typeof parse>[1]> = {}) => ({ receivedAt, ...ctx });

describe('syslog headers', () => {
  test('RFC 5424 with structured data fills log.syslog.* and message', () => {
    const line = '<165>1 2026-03-14T22:14:15.003+07:00 web01.so-tttt.gov.vn nginx 4711 ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][meta seq="7"] An application event';
    const ev = parse(line, at({ timezone: 'UTC' }));
    expect(ev['@timestamp']).toBe('2026-03-14T15:14:15.003Z');
    expect(ev.log).toMatchObject({
      syslog: {
        priority: 165, facility: { code: 20, name: 'local4' }, severity: { code: 5, name: 'Notice' },
        hostname: 'web01.so-tttt.gov.vn', appname: 'nginx', procid: '4711', msgid: 'ID47', version: '1',
        structured_data: { 'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' }, meta: { seq: '7' } },
      },
    });
    expect(ev.message).toBe('An application event');
    expect(ev.host).toEqual({ hostname: 'web01.so-tttt.gov.vn' });
    expect(ev.process).toEqual({ name: 'nginx', pid: 4711 });
    expect(ev.event.original).toBe(line);
    expect(ev.event.kind).toBe('event');
  });

  test('RFC 5424 with nil values and an escaped quote in SD', () => {
    const h = parseSyslogHeader('<14>1 - - - - - [a@1 k="say \\"hi\\" ]"] body here');
    expect(h.rfc).toBe('5424');
    expect(h.timestamp).toBeUndefined();
    expect(h.hostname).toBeUndefined();
    expect(h.structuredData).toEqual({ 'a@1': { k: 'say "hi" ]' } });
    expect(h.message).toBe('body here');
  });

  test('an auto-detected family that does not fit falls back to the syslog event, saying why', () => {
    const ev = parse('<134>Mar 1 02:21:39 fw.example.net filterlog[97530]: 5,,,1000000103,em0', at()) as Record<string, any>;
    expect(ev.event.kind).toBe('event');
    expect(ev.tags).toEqual(['partial', 'pfsense_parse_failure']);
    expect(ev.error.message).toMatch(/^pfsense: filterlog needs at least 9 comma-separated fields, got 5/);
    expect(ev.message).toBe('5,,,1000000103,em0');
    expect(ev.event.dataset).toBe('pfsense.log');
    expect(ev.observer).toMatchObject({ vendor: 'netgate', type: 'firewall' });
  });

  test('a pinned source whose payload cannot be read keeps its header and its dataset constants, tagged partial', () => {
    const ev = parse('<134>Mar 1 02:21:39 fw.example.net filterlog[97530]: 5,,,1000000103,em0', at({ format: 'pfsense' })) as Record<string, any>;
    expect(ev.event.kind).toBe('event');
    expect(ev.tags).toContain('partial');
    expect(ev.error.message).toMatch(/^pfsense: filterlog needs at least 9/);
    expect(ev.log.syslog).toMatchObject({ priority: 134, facility: { code: 16 }, severity: { code: 6 } });
    expect(ev.host.hostname).toBe('fw.example.net');
    expect(ev.process.name).toBe('filterlog');
    expect(ev.event).toMatchObject({ dataset: 'pfsense.log', module: 'pfsense' });
    const fgt = parse('<189>date=2026-03-01 time=02:21:39 devname="fw-hn" garbled', at({ format: 'fortigate' })) as Record<string, any>;
    expect(fgt.event.kind).toBe('event');
    expect(fgt.tags).toContain('partial');
    expect(fgt.observer).toEqual({ vendor: 'Fortinet', product: 'Fortigate', type: 'firewall' });
    expect(fgt.log.syslog.priority).toBe(189);
    // text with no header that the pinned parser cannot read is claimed by nobody
    expect(parse('hello world', at({ format: 'fortigate' })).event.kind).toBe('pipeline_error');
  });

  test('RFC 3164 with PRI, unpadded day, and local time in the source zone', () => {
    const ev = parse('<134>Mar 1 02:21:39 fw.example.net dhcpd[97530]: DHCPACK on 10.0.0.5 to aa:bb:cc:dd:ee:ff', at());
    // Asia/Ho_Chi_Minh is UTC+7
    expect(ev['@timestamp']).toBe('2026-02-28T19:21:39.000Z');
    expect(ev.host).toEqual({ hostname: 'fw.example.net' });
    expect(ev.process).toEqual({ name: 'dhcpd', pid: 97530 });
    expect(ev.message).toBe('DHCPACK on 10.0.0.5 to aa:bb:cc:dd:ee:ff');
    expect(ev.event.timezone).toBe('Asia/Ho_Chi_Minh');
  });

  test('year-less December line read in January belongs to the previous year', () => {
    const t = parseTimestamp('Dec 31 23:59:58', { receivedAt: new Date('2027-01-01T00:00:05Z'), timezone: 'UTC' });
    expect(t).toBe('2026-12-31T23:59:58.000Z');
  });

  // issue #11: a line of 00:00-07:00 on 1 January in Vietnam (still 31 December in UTC) was dated a year back
  test.each([
    ['Vietnam: Jan 1 00:30 received 00:30:05 on 1 January', 'Jan  1 00:30:00', '2026-12-31T17:30:05Z', 'Asia/Ho_Chi_Minh', '2026-12-31T17:30:00.000Z'],
    ['Vietnam: Jan 1 06:59 received 06:59:30 on 1 January', 'Jan  1 06:59:00', '2026-12-31T23:59:30Z', 'Asia/Ho_Chi_Minh', '2026-12-31T23:59:00.000Z'],
    ['Vietnam: Dec 31 23:59:58 received just after midnight', 'Dec 31 23:59:58', '2026-12-31T17:00:03Z', 'Asia/Ho_Chi_Minh', '2026-12-31T16:59:58.000Z'],
    ['Vietnam: Dec 31 23:59:58 received at 08:00 on 1 January (UTC already in the new year)', 'Dec 31 23:59:58', '2027-01-01T01:00:00Z', 'Asia/Ho_Chi_Minh', '2026-12-31T16:59:58.000Z'],
    ['Vietnam: device clock a few seconds ahead, Jan 1 00:00:02 received at 23:59:58 on 31 December', 'Jan  1 00:00:02', '2026-12-31T16:59:58Z', 'Asia/Ho_Chi_Minh', '2026-12-31T17:00:02.000Z'],
    ['UTC: Jan 1 00:30 received 00:30:05 on 1 January', 'Jan  1 00:30:00', '2027-01-01T00:30:05Z', 'UTC', '2027-01-01T00:30:00.000Z'],
    ['UTC: Dec 31 23:59:58 received just after midnight', 'Dec 31 23:59:58', '2027-01-01T00:00:03Z', 'UTC', '2026-12-31T23:59:58.000Z'],
    ['UTC: device clock two days ahead, Jan 2 received on 31 December', 'Jan  2 10:00:00', '2026-12-31T10:00:00Z', 'UTC', '2027-01-02T10:00:00.000Z'],
    ['UTC: a date ten days ahead is last year\'s (a replayed old log, not a clock that far off)', 'Jan 10 10:00:00', '2026-12-31T10:00:00Z', 'UTC', '2026-01-10T10:00:00.000Z'],
    ['mid-year: a December line read in March is from last December', 'Dec 20 10:00:00', '2026-03-15T04:00:00Z', 'UTC', '2025-12-20T10:00:00.000Z'],
    ['mid-year: an August line read in March is from last August', 'Aug  1 10:00:00', '2026-03-15T04:00:00Z', 'UTC', '2025-08-01T10:00:00.000Z'],
  ])('year-less date, %s', (_what, text, received, timezone, expected) => {
    expect(parseTimestamp(text, { receivedAt: new Date(received), timezone })).toBe(expected);
  });

  test('a year-less syslog line received on 1 January in Vietnam is dated this new year', () => {
    const ev = parse('<38>Jan  1 00:30:00 bastion sshd[7]: Failed password for root from 203.0.113.9 port 4000 ssh2', { receivedAt: new Date('2026-12-31T17:30:05Z'), timezone: 'Asia/Ho_Chi_Minh' });
    expect(ev['@timestamp']).toBe('2026-12-31T17:30:00.000Z');
  });

  test('Cisco year-in-header and ISO timestamps without PRI', () => {
    expect(parseSyslogHeader('<166>Aug 20 2026 08:53:11 asa-vpn-01 : %ASA-6-751025: Local').timestamp).toBe('Aug 20 2026 08:53:11');
    const ev = parse('2026-05-17T18:00:01.000000+00:00 host12345 cron[77]: job done', at());
    expect(ev['@timestamp']).toBe('2026-05-17T18:00:01.000Z');
    expect(ev.host).toEqual({ hostname: 'host12345' });
    const noOffset = parse('2019-06-14T10:40:20.912134 localhost app: x', at({ timezone: '+09:30' }));
    expect(noOffset['@timestamp']).toBe('2019-06-14T01:10:20.912Z');
  });

  test('tag without hostname, and loghub-style tag with a parenthesis', () => {
    const h = parseSyslogHeader('Jun 14 15:16:01 sshd[1234]: hello');
    expect(h.hostname).toBeUndefined();
    expect(h.appname).toBe('sshd');
    const ev = parse('Jun 15 04:06:18 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ', at({ timezone: 'UTC' }));
    expect(ev.process).toEqual({ name: 'sshd', pid: 19939 });
    expect(ev.event).toMatchObject({ category: ['authentication'], outcome: 'failure', action: 'authentication_failure' });
    expect(ev.source).toMatchObject({ ip: '218.188.2.4' });
  });

  test('empty input and unknown format become pipeline errors, never exceptions', () => {
    const empty = parse('   ', at());
    expect(empty.event.kind).toBe('pipeline_error');
    expect((empty.error as { message: string }).message).toMatch(/empty/);
    const bad = parse('hello', at({ format: 'nope' }));
    expect(bad.event.kind).toBe('pipeline_error');
    expect((bad.error as { message: string }).message).toMatch(/unknown format "nope"/);
    expect(bad['@timestamp']).toBe(receivedAt.toISOString());
  });

  test('invalid UTF-8 is decoded with replacement characters and marked, bytes kept', () => {
    const buf = Buffer.concat([Buffer.from('<13>Mar 14 10:00:00 h app: caf'), Buffer.from([0xe9, 0xff]), Buffer.from(' ok')]);
    const ev = parse(buf, at());
    expect(ev.tags).toContain('invalid_utf8');
    expect(ev.message).toBe('caf\ufffd\ufffd ok');
    expect(Buffer.from((ev.log as { original_base64: string }).original_base64, 'base64').equals(buf)).toBe(true);
  });

  test('organization and event.id from a payload are never kept', () => {
    const input = { message: '<13>Mar 14 10:00:00 h app: hi', organization: { id: 'evil' }, event: { id: 'x' }, labels: { env: 'prod' } };
    const ev = parse(input, at());
    // the caller's document is left as it was
    expect(input).toEqual({ message: '<13>Mar 14 10:00:00 h app: hi', organization: { id: 'evil' }, event: { id: 'x' }, labels: { env: 'prod' } });
    expect(ev.organization).toBeUndefined();
    expect(ev.event.id).toBeUndefined();
    expect(ev.labels).toEqual({ env: 'prod' });
    expect(ev.message).toBe('hi');
    // the raw line an agent forwarded is the original (as Elastic keeps it), not the JSON envelope
    expect(ev.event.original).toBe('<13>Mar 14 10:00:00 h app: hi');
  });

  test('a structured JSON document keeps its JSON text as event.original', () => {
    const ev = parse({ service: 'billing', level: 'warn', '@timestamp': '2026-03-14T01:02:03Z' }, at());
    expect(JSON.parse(ev.event.original!)).toEqual({ service: 'billing', level: 'warn', '@timestamp': '2026-03-14T01:02:03Z' });
    expect(ev['@timestamp']).toBe('2026-03-14T01:02:03.000Z');
    expect(ev.service).toBe('billing');
  });

  test('parserNames lists auto and the syslog parsers', () => {
    expect(parserNames()).toEqual(expect.arrayContaining(['auto', 'rfc3164', 'rfc5424', 'linux_auth']));
  });
});

describe('documents from agents', () => {
  const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'UTC' };

  test('a Filebeat module names the dataset: it picks the parser', () => {
    const line = '203.0.113.45 - - [14/Mar/2026:10:15:32 +0700] "GET / HTTP/1.1" 200 10 "-" "curl/8.0"';
    const ev = parse({ message: line, event: { dataset: 'apache.access', module: 'apache' }, fileset: { name: 'access' } }, ctx) as Record<string, any>;
    expect(ev.event.dataset).toBe('apache.access');
    expect(ev.http.response.status_code).toBe(200);
    const auto = parse(line, ctx);
    expect(auto.event.dataset).toBe('nginx.access');
  });

  test('a message that is itself JSON (an EVE line read by an agent) is parsed as the document', () => {
    const eve = JSON.stringify({ timestamp: '2026-03-14T09:30:01.000000+0000', event_type: 'alert', src_ip: '10.1.2.3', src_port: 1, dest_ip: '198.51.100.66', dest_port: 443, proto: 'TCP', alert: { action: 'allowed', signature_id: 1, signature: 'test sig', severity: 2 } });
    const ev = parse({ message: eve, host: { name: 'sensor01' }, agent: { type: 'filebeat' } }, ctx) as Record<string, any>;
    expect(ev.event).toMatchObject({ kind: 'alert', dataset: 'suricata.eve' });
    expect(ev.rule.name).toBe('test sig');
    expect(ev.host.name).toBe('sensor01');
    expect(ev.event.original).toBe(eve);
  });

  test('an unknown agent dataset is kept', () => {
    const ev = parse({ message: '<13>Mar 14 10:00:00 h myapp: started', event: { dataset: 'myapp.log' } }, ctx);
    expect(ev.event.dataset).toBe('myapp.log');
  });
});
