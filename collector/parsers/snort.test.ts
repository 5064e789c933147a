import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'UTC' };
const p = (line: string, extra = {}) => parse(line, { ...ctx, ...extra }) as Record<string, any>;

describe('Snort and pfSense', () => {
  test('a Snort fast alert over syslog', () => {
    const ev = p('Mar 14 09:00:00 ids01 snort[2211]: [1:2024897:4] ET USER_AGENTS Go HTTP Client User-Agent [Classification: A Network Trojan was detected] [Priority: 1] {TCP} 10.20.1.5:49152 -> 198.51.100.80:80');
    expect(ev.event).toMatchObject({ kind: 'alert', dataset: 'snort.log', severity: 1, category: ['network', 'intrusion_detection'] });
    expect(ev.rule).toMatchObject({ id: '2024897', version: '4', category: 'A Network Trojan was detected', description: 'ET USER_AGENTS Go HTTP Client User-Agent' });
    expect(ev.source).toMatchObject({ ip: '10.20.1.5', port: 49152 });
    expect(ev.destination).toMatchObject({ ip: '198.51.100.80', port: 80 });
    expect(ev.network.community_id).toMatch(/^1:/);
    expect(ev.observer).toMatchObject({ name: 'ids01', vendor: 'snort' });
  });

  test('IPv6 addresses and ICMP without ports', () => {
    const v6 = p('Mar 14 09:00:01 ids01 snort: [1:1000001:1] probe [Priority: 3] {TCP} 2001:db8::5:51000 -> 2001:db8::9:22');
    expect(v6.source).toMatchObject({ ip: '2001:db8::5', port: 51000 });
    const icmp = p('Mar 14 09:00:02 ids01 snort: [1:1000002:1] ping [Priority: 3] {ICMP} 10.0.0.1 -> 10.0.0.2');
    expect(icmp.source.ip).toBe('10.0.0.1');
    expect(icmp.source.port).toBeUndefined();
    // ICMP community ids pair request and reply types (spec): an unknown type hashes as echo reply
    expect(icmp.network.community_id).toMatch(/^1:/);
  });

  test('pfSense filterlog: IPv4 TCP block and IPv6 ICMP pass', () => {
    const tcp = p('<134>Mar 14 09:01:00 fw.so-tttt.local filterlog[4411]: 5,,,1000000103,igb1,match,block,in,4,0x0,,64,33045,0,DF,6,tcp,60,198.51.100.33,10.20.1.5,51515,3389,0,S,123456,,64240,,mss;sackOK;TS;nop;wscale');
    expect(tcp.event).toMatchObject({ dataset: 'pfsense.log', action: 'block', reason: 'match', type: ['connection', 'denied'], provider: 'filterlog' });
    expect(tcp.source).toMatchObject({ ip: '198.51.100.33', port: 51515 });
    expect(tcp.destination).toMatchObject({ ip: '10.20.1.5', port: 3389 });
    expect(tcp.network).toMatchObject({ transport: 'tcp', iana_number: '6', direction: 'inbound', type: 'ipv4' });
    expect(tcp.rule.id).toBe('1000000103');
    expect(tcp.observer).toMatchObject({ name: 'fw.so-tttt.local', ingress: { interface: { name: 'igb1' } } });
    const icmp6 = p('<134>Mar 14 09:01:01 fw filterlog[4411]: 32,,,1535324496a,igb0,match,pass,in,6,0x0,0x00000,255,ipv6-icmp,58,16,fe80::1,ff02::1:2,datalength=16');
    expect(icmp6.network).toMatchObject({ transport: 'ipv6-icmp', type: 'ipv6' });
    expect(icmp6.event.type).toEqual(['connection', 'allowed']);
  });

  test('pfSense web GUI login failure', () => {
    const ev = p('<83>Mar 14 09:02:00 fw php-fpm[373]: /index.php: webConfigurator authentication error for user \'admin\' from: 198.51.100.44');
    expect(ev.event).toMatchObject({ action: 'logon-failed', outcome: 'failure', category: ['authentication'] });
    expect(ev.user.name).toBe('admin');
    expect(ev.source.ip).toBe('198.51.100.44');
  });
});
