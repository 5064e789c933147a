/**
 * FortiGate lines written for this test in the shapes Fortinet documents (FortiOS 6.2 to 7.6 log references): other
 * firmware's key orders and extra keys, utm subtypes, second/nanosecond eventtime, and lines cut short or garbled.
 */
import { parse } from './index';

const ctx = { receivedAt: new Date('2026-12-07T04:00:00Z') };
const p = (line: string, extra = {}) => parse(line, { ...ctx, ...extra }) as Record<string, any>;

describe('FortiGate firmware variants', () => {
  test('6.2 forward traffic without devname/tz: NAT, application, ended session with a UTM verdict', () => {
    const ev = p('date=2026-11-02 time=08:01:10 logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" eventtime=1793581270 srcip=192.168.20.14 srcport=49822 srcintf="internal" srcintfrole="lan" dstip=198.51.100.44 dstport=443 dstintf="wan2" dstintfrole="wan" poluuid="1b2c3d4e-0000-51ee-aaaa-000000000001" sessionid=88231 proto=6 action="close" policyid=7 policytype="policy" service="HTTPS" dstcountry="Japan" srccountry="Reserved" trandisp="snat" transip=203.0.113.9 transport=61001 appid=40568 app="SSL_TLSv1.3" appcat="Network.Service" apprisk="medium" duration=41 sentbyte=5120 rcvdbyte=88000 sentpkt=40 rcvdpkt=70 utmaction="allow" countapp=1 osname="Windows" srcmac="00:0c:29:aa:bb:cc"', { timezone: '+0700' });
    expect(ev['@timestamp']).toBe('2026-11-02T01:01:10.000Z');
    expect(ev.event.start).toBe('2026-11-02T01:01:10.000Z');
    expect(ev.event.type).toEqual(['connection', 'end', 'protocol']);
    expect(ev.network).toMatchObject({ direction: 'outbound', application: 'SSL_TLSv1.3', protocol: 'https', bytes: 93120 });
    expect(ev.rule).toMatchObject({ id: '7', ruleset: 'policy', category: 'Network-Service', uuid: '1b2c3d4e-0000-51ee-aaaa-000000000001' });
    expect(ev.source.nat).toEqual({ ip: '203.0.113.9', port: 61001 });
    // what has no ECS home stays where Elastic keeps it
    expect(ev.fortinet.firewall).toMatchObject({ dstcountry: 'Japan', osname: 'Windows', transip: '203.0.113.9', utmaction: 'allow', trandisp: 'snat' });
    expect(ev.fortinet.firewall.srcip).toBeUndefined();
  });

  test('7.4 local-in deny between private addresses is internal and denied', () => {
    const ev = p('<189>date=2026-11-02 time=09:00:00 devname="FGT-SO-TTTT" devid="FG200FT000000001" eventtime=1793584800123456789 tz="+0700" logid="0001000014" type="traffic" subtype="local" level="notice" vd="root" srcip=10.20.0.5 srcport=5353 srcintf="port2" srcintfrole="undefined" dstip=10.20.0.1 dstport=161 dstintf="root" dstintfrole="undefined" sessionid=123 proto=17 action="deny" policyid=0 policytype="local-in-policy" service="SNMP" trandisp="noop" duration=0 sentbyte=0 rcvdbyte=0 sentpkt=0 rcvdpkt=0 appcat="unscanned" crscore=5 craction=262144 crlevel="low"');
    expect(ev.event.type).toEqual(['connection', 'end', 'denied']);
    expect(ev.event.start).toBe('2026-11-02T02:00:00.123Z');
    expect(ev.network.direction).toBe('internal');
    expect(ev.rule).toMatchObject({ id: '0', ruleset: 'local-in-policy', category: 'unscanned' });
    expect(ev.fortinet.firewall).toMatchObject({ crscore: '5', crlevel: 'low' });
    expect(ev.fortinet.firewall.policytype).toBeUndefined();
  });

  test('utm ssl anomaly: TLS version, reason from eventsubtype, policy uuid kept', () => {
    const ev = p('<190>date=2026-10-30 time=14:20:00 devname="FGT" devid="FG1" eventtime=1793348400000000000 tz="+0700" logid="1700062300" type="utm" subtype="ssl" eventtype="ssl-anomaly" level="warning" vd="root" action="blocked" policyid=3 poluuid="aaaa-bbbb" sessionid=77 service="HTTPS" profile="deep-inspection" srcip=172.16.3.3 srcport=50000 dstip=203.0.113.200 dstport=443 srcintf="lan" dstintf="wan1" proto=6 tlsver="tls1.0" sni="old.example.vn" eventsubtype="unsupported-ssl-version" msg="Server certificate blocked"');
    expect(ev.tls).toMatchObject({ version: '1.0', version_protocol: 'tls', client: { server_name: 'old.example.vn' } });
    expect(ev.destination.domain).toBe('old.example.vn');
    expect(ev.event).toMatchObject({ action: 'ssl-anomaly', reason: 'unsupported-ssl-version', type: ['denied'], category: ['network'] });
    expect(ev.rule).toMatchObject({ id: '3', ruleset: 'deep-inspection' });
    expect(ev.fortinet.firewall.poluuid).toBe('aaaa-bbbb');
    expect(ev.network.direction).toBe('outbound');
  });

  test('utm ips: the rule is the firewall policy, the signature stays attack/attackid; the device direction wins', () => {
    const ev = p('date=2026-10-30 time=14:25:00 devname="FGT" devid="FG1" logid="0419016384" type="utm" subtype="ips" eventtype="signature" level="alert" vd="root" severity="critical" srcip=203.0.113.5 dstip=10.1.1.20 srcintf="wan1" dstintf="dmz" sessionid=9 action="dropped" proto=6 service="HTTP" policyid=21 attack="Apache.Log4j.Error.Log.Remote.Code.Execution" srcport=41000 dstport=8080 httpmethod="GET" direction="incoming" attackid=51006 profile="high_security" ref="http://www.fortinet.com/ids/VID51006" msg="applications3: Apache.Log4j.Error.Log.Remote.Code.Execution"', { timezone: 'UTC' });
    expect(ev.event).toMatchObject({ kind: 'alert', action: 'signature', reference: 'http://www.fortinet.com/ids/VID51006' });
    expect(ev.rule).toMatchObject({ id: '21', name: 'Apache.Log4j.Error.Log.Remote.Code.Execution', ruleset: 'high_security' });
    expect(ev.fortinet.firewall).toMatchObject({ attack: 'Apache.Log4j.Error.Log.Remote.Code.Execution', attackid: '51006', severity: 'critical' });
    expect(ev.http.request.method).toBe('GET');
    expect(ev.network.direction).toBe('inbound');
  });

  test('utm app-ctrl pass and dns: allowed / info, app list as the rule set', () => {
    const app = p('date=2026-10-30 time=15:00:00 devid="FG1" logid="1059028704" type="utm" subtype="app-ctrl" eventtype="signature" level="information" vd="root" appid=16354 srcip=10.0.0.9 dstip=10.0.0.10 srcport=1 dstport=2 proto=6 service="HTTPS" policyid=4 applist="default" action="pass" appcat="Collaboration" app="Zalo" hostname="chat.zalo.me"', { timezone: 'UTC' });
    expect(app.event.type).toEqual(['allowed']);
    expect(app.rule).toMatchObject({ ruleset: 'default', category: 'Collaboration', id: '4' });
    expect(app.url.domain).toBe('chat.zalo.me');
    const dns = p('date=2026-10-30 time=15:00:01 devid="FG1" logid="1501054802" type="utm" subtype="dns" eventtype="dns-response" level="notice" vd="root" srcip=10.0.0.9 srcport=53001 dstip=8.8.8.8 dstport=53 proto=17 policyid=4 profile="default" qname="gov.vn" qtype="A" ipaddr="203.162.0.1" action="pass" msg="Domain is monitored"', { timezone: 'UTC' });
    expect(dns.event.type).toEqual(expect.arrayContaining(['info', 'allowed']));
    expect(dns.dns.question.name).toBe('gov.vn');
  });

  test('a line cut before logid/type keeps the device, time and vendor, marked partial', () => {
    const ev = p('<189>date=2026-11-02 time=09:00:00 devname="FGT-SO-TTTT" devid="FG200FT000000001" eventtime=17935', { timezone: '+0700' });
    expect(ev.event.kind).not.toBe('pipeline_error');
    expect(ev.tags).toContain('partial');
    expect(ev.error.message).toMatch(/fortigate: line has no logid/);
    expect(ev.observer).toMatchObject({ vendor: 'Fortinet', product: 'Fortigate', name: 'FGT-SO-TTTT', serial_number: 'FG200FT000000001' });
    expect(ev['@timestamp']).toBe('2026-11-02T02:00:00.000Z');
  });

  test('control bytes and invalid UTF-8 after the last key do not lose the line', () => {
    const ev = p('date=2026-11-02 time=09:00:00 devname="foo" devid="bar" tz="-0700" logid="0000000013" type="traffic" subtype="forward" level="notice" srcip=10.1.100.66 srcport=123 dstip=172.16.200.99 dstport=123 proto=17 action="accept" policyid=26 service="NTP" srcserver=0 \u0004\ufffd\ufffd\u0000 \u0000D\f<\u0000\u0000$\u0000');
    expect(ev.event).toMatchObject({ action: 'accept', type: ['connection', 'end', 'allowed'], timezone: '-0700' });
    expect(ev.network).toMatchObject({ direction: 'internal', transport: 'udp', protocol: 'ntp' });
    expect(ev.fortinet.firewall.srcserver).toBe('0');
  });
});
