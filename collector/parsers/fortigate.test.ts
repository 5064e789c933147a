import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z') };
const p = (line: string, extra = {}) => parse(line, { ...ctx, ...extra }) as Record<string, any>;

describe('FortiGate key=value', () => {
  test('traffic deny with syslog PRI, device tz and nanosecond eventtime', () => {
    const ev = p('<189>date=2026-03-14 time=09:15:02 devname="FG100F-SOTTTT" devid="FG100FTK20001234" eventtime=1773454502123456789 tz="+0700" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=10.10.5.23 srcport=51544 srcintf="lan" srcintfrole="lan" dstip=203.0.113.80 dstport=445 dstintf="wan1" dstintfrole="wan" proto=6 action="deny" policyid=12 policyname="block-smb-out" service="SMB" duration=3 sentbyte=120 rcvdbyte=0 sentpkt=2 rcvdpkt=0 msg="Denied by forward policy check"');
    expect(ev['@timestamp']).toBe('2026-03-14T02:15:02.000Z');
    expect(ev.event).toMatchObject({ dataset: 'fortinet_fortigate.log', code: '0000000013', category: ['network'], type: ['connection', 'end', 'denied'], action: 'deny', timezone: '+0700' });
    expect(ev.source).toMatchObject({ ip: '10.10.5.23', port: 51544, bytes: 120, packets: 2 });
    expect(ev.destination).toMatchObject({ ip: '203.0.113.80', port: 445 });
    expect(ev.network).toMatchObject({ transport: 'tcp', iana_number: '6', protocol: 'smb', direction: 'outbound', bytes: 120 });
    expect(ev.network.community_id).toMatch(/^1:/);
    expect(ev.observer).toMatchObject({ vendor: 'Fortinet', product: 'Fortigate', name: 'FG100F-SOTTTT', serial_number: 'FG100FTK20001234', ingress: { interface: { name: 'lan' } } });
    expect(ev.rule).toEqual({ id: '12', name: 'block-smb-out' });
    expect(ev.event.duration).toBe(3e9);
    expect(ev.log.syslog.priority).toBe(189);
    expect(ev.event.start).toBe('2026-03-14T02:15:02.123Z');
  });

  test('utm virus detection is a malware alert', () => {
    const ev = p('date=2026-03-14 time=10:00:00 devname="FG60E" devid="FGT60E0000" logid="0211008192" type="utm" subtype="virus" eventtype="infected" level="warning" srcip=10.1.1.9 dstip=198.51.100.7 srcport=50000 dstport=80 proto=6 action="blocked" service="HTTP" filename="invoice.exe" virus="W32/Agent.ABC!tr" url="/dl/invoice.exe?x=1" hostname="bad.example"', { timezone: 'UTC' });
    expect(ev.event).toMatchObject({ kind: 'alert', category: ['malware'], action: 'infected' });
    expect(ev.event.type).toEqual(expect.arrayContaining(['denied']));
    expect(ev.file.name).toBe('invoice.exe');
    expect(ev.rule.name).toBe('W32/Agent.ABC!tr');
    expect(ev.threat.software.name).toBe('W32/Agent.ABC!tr');
    expect(ev.url).toMatchObject({ domain: 'bad.example', path: '/dl/invoice.exe', query: 'x=1' });
  });

  test('admin login failure, behind an ISO syslog header', () => {
    const ev = p('2026-03-14T03:00:00+00:00 10.0.0.1 date=2026-03-14 time=10:00:00 devname="FG" devid="FGX" tz="+0700" logid="0100032002" type="event" subtype="system" level="alert" logdesc="Admin login failed" user="admin" ui="https(10.0.0.50)" srcip=10.0.0.50 dstip=10.0.0.1 action="login" status="failed" reason="passwd_invalid" msg="Administrator admin login failed from https(10.0.0.50) because of invalid password"');
    expect(ev.event).toMatchObject({ category: ['authentication'], action: 'login', outcome: 'failure', reason: 'passwd_invalid' });
    expect(ev.user.name).toBe('admin');
    expect(ev.message).toMatch(/login failed/);
    expect(ev.fortinet.firewall).toMatchObject({ type: 'event', subtype: 'system', ui: 'https(10.0.0.50)' });
  });

  test('a value with an unbalanced quote does not lose the other fields', () => {
    const ev = p('date=2026-03-14 time=10:00:00 devid="FGX" logid="0100000001" type="event" subtype="system" msg="broken quote', { timezone: 'UTC' });
    expect(ev.event.kind).toBe('event');
    expect(ev.observer.serial_number).toBe('FGX');
    expect(ev.message).toBe('broken quote');
  });

  test('a pinned fortigate source with a line that is not FortiGate is a pipeline error', () => {
    const ev = p('hello world', { format: 'fortigate' });
    expect(ev.event.kind).toBe('pipeline_error');
    expect(ev.error.message).toMatch(/FortiGate line has no logid/);
  });
});
