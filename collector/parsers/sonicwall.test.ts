import { parse } from './index';

const at = { receivedAt: new Date('2026-05-02T03:00:00Z'), timezone: 'Asia/Ho_Chi_Minh' };
type Ev = Record<string, any>;
const p = (line: string, ctx: Record<string, unknown> = {}): Ev => parse(line, { ...at, ...ctx }) as Ev;

describe('SonicWall', () => {
  test('a dropped connection: endpoints with interfaces, protocol/service, serial, severity, verdict', () => {
    const ev = p('<134>id=firewall sn=0040103A1B2C time="2026-05-02 09:10:00" fw=203.0.113.1 pri=6 c=262144 m=537 msg="Connection Closed" app=49175 n=88123 src=10.95.0.7:52311:X0 dst=198.51.100.30:443:X1:files.example.org srcMac=00:17:c5:01:02:03 proto=tcp/https sent=1420 rcvd=9800 fw_action="NA" usr="hanh"');
    expect(ev['@timestamp']).toBe('2026-05-02T02:10:00.000Z');
    expect(ev.event).toMatchObject({ dataset: 'sonicwall.firewall', code: '537', severity: 6, action: 'connection-closed', category: ['network'], type: ['connection', 'allowed', 'end'] });
    expect(ev.source).toMatchObject({ ip: '10.95.0.7', port: 52311, bytes: 1420, mac: '00-17-C5-01-02-03', user: { name: 'hanh' } });
    expect(ev.destination).toMatchObject({ ip: '198.51.100.30', port: 443, bytes: 9800, domain: 'files.example.org' });
    expect(ev.network).toMatchObject({ transport: 'tcp', protocol: 'https', iana_number: '6' });
    expect(ev.observer).toMatchObject({ vendor: 'SonicWall', serial_number: '0040103A1B2C', ip: '203.0.113.1', ingress: { interface: { name: 'X0' } }, egress: { interface: { name: 'X1' } } });
    const drop = p('<132>id=firewall sn=0040103A1B2C time="2026-05-02 02:11:00 UTC" fw=203.0.113.1 pri=4 c=32 m=36 msg="TCP connection dropped" n=4411 src=198.51.100.99:40400:X1 dst=203.0.113.1:3389:X1 proto=tcp/3389 fw_action="drop"');
    expect(drop['@timestamp']).toBe('2026-05-02T02:11:00.000Z');
    expect(drop.event.type).toEqual(['connection', 'denied']);
  });

  test('IPS and anti-virus messages are alerts; an admin login failure is authentication', () => {
    const ips = p('<129>id=firewall sn=0040103A1B2C time="2026-05-02 09:12:00" fw=203.0.113.1 pri=1 c=32 m=608 msg="IPS Detection Alert: WEB-ATTACKS SQL injection" sid=5021 ipscat=WEB-ATTACKS ipspri=1 n=12 src=198.51.100.5:50000:X1 dst=10.95.0.20:80:X0 proto=tcp/http fw_action="drop"');
    expect(ips.event).toMatchObject({ kind: 'alert', category: ['intrusion_detection', 'network'], type: ['denied'] });
    expect(ips.sonicwall).toMatchObject({ sid: '5021', ipscat: 'WEB-ATTACKS' });
    const login = p('<129>id=firewall sn=0040103A1B2C time="2026-05-02 09:13:00" fw=203.0.113.1 pri=1 c=32 m=30 msg="Administrator login denied due to bad credentials" n=3 src=198.51.100.6:52000:X1 dst=203.0.113.1:443:X1 usr="admin"');
    expect(login.event).toMatchObject({ category: ['authentication'], outcome: 'failure' });
    expect(login.user.name).toBe('admin');
  });

  test('a line cut before its fields keeps header and vendor when pinned', () => {
    const ev = p('<134>May  2 09:14:00 nsa-hq id=firewall sn=', { dataset: 'sonicwall.firewall' });
    expect(ev.event).toMatchObject({ kind: 'event', dataset: 'sonicwall.firewall' });
    expect(ev.tags).toContain('partial');
    expect(ev.observer).toMatchObject({ vendor: 'SonicWall' });
  });
});
