import { parse } from './index';

const at = { receivedAt: new Date('2026-05-02T03:00:00Z'), timezone: 'UTC' };
type Ev = Record<string, any>;
const p = (line: string, ctx: Record<string, unknown> = {}): Ev => parse(line, { ...at, ...ctx }) as Ev;

describe('netfilter (iptables / UFW / EdgeOS)', () => {
  test('a UFW block on the INPUT chain: interfaces, addresses, ports, MACs, TCP flags, the verdict from the prefix', () => {
    const ev = p('<4>May  2 09:50:00 web-01 kernel: [81234.567890] [UFW BLOCK] IN=ens3 OUT= MAC=52:54:00:aa:bb:cc:52:54:00:11:22:33:08:00 SRC=203.0.113.77 DST=10.90.0.5 LEN=44 TOS=0x00 PREC=0x00 TTL=241 ID=54321 PROTO=TCP SPT=41000 DPT=3306 WINDOW=1024 RES=0x00 SYN URGP=0');
    expect(ev.event).toMatchObject({ dataset: 'iptables.log', action: 'drop', category: ['network'], type: ['connection', 'denied'] });
    expect(ev.source).toMatchObject({ ip: '203.0.113.77', port: 41000, mac: '52-54-00-11-22-33' });
    expect(ev.destination).toMatchObject({ ip: '10.90.0.5', port: 3306, mac: '52-54-00-AA-BB-CC' });
    expect(ev.network).toMatchObject({ transport: 'tcp', iana_number: '6', direction: 'ingress' });
    expect(ev.observer).toMatchObject({ vendor: 'Linux', product: 'netfilter', type: 'firewall', ingress: { interface: { name: 'ens3' } } });
    expect(ev.iptables).toMatchObject({ prefix: '[UFW BLOCK]', ttl: 241, id: 54321, tcp: { flags: ['SYN'], window: 1024 }, ether_type: 2048 });
    expect(ev.host.hostname).toBe('web-01');
    expect(ev.rule.name).toBe('UFW BLOCK');
  });

  test('EdgeOS / UniFi rule prefixes give ruleset, rule number and verdict; a forwarded ICMP has type and code', () => {
    const ev = p('<4>May  2 09:51:00 ubnt-gw kernel: [WAN_LOCAL-default-D]IN=eth0 OUT= MAC=f0:9f:c2:00:00:01:00:11:22:33:44:55:08:00 SRC=198.51.100.200 DST=203.0.113.2 LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=UDP SPT=5060 DPT=5060 LEN=20');
    expect(ev.rule).toEqual({ ruleset: 'WAN_LOCAL', id: 'default', name: 'WAN_LOCAL-default' });
    expect(ev.event.type).toEqual(['connection', 'denied']);
    const fwd = p('<4>May  2 09:52:00 ubnt-gw kernel: [LAN_IN-4000-A]IN=eth1 OUT=eth0 MAC=f0:9f:c2:00:00:02:00:11:22:33:44:66:08:00 SRC=10.91.0.4 DST=192.0.2.8 LEN=84 TOS=0x00 PREC=0x00 TTL=63 ID=9 DF PROTO=ICMP TYPE=8 CODE=0 ID=77 SEQ=1');
    expect(fwd.event).toMatchObject({ action: 'accept', type: ['connection', 'allowed'] });
    expect(fwd.iptables).toMatchObject({ icmp: { type: 8, code: 0 }, fragment_flags: 'DF' });
    expect(fwd.network.direction).toBeUndefined();
  });

  test('a line cut after SRC is not claimed by detection; pinned, it keeps header and vendor, tagged partial', () => {
    const cut = '<4>May  2 09:53:00 web-01 kernel: [UFW BLOCK] IN=ens3 OUT= MAC=52:54:00:aa:bb:cc SRC=203.0.11';
    expect(p(cut).event.dataset).not.toBe('iptables.log');
    const pinned = p(cut, { dataset: 'iptables.log' });
    expect(pinned.event).toMatchObject({ kind: 'event', dataset: 'iptables.log' });
    expect(pinned.tags).toContain('partial');
    expect(pinned.observer).toMatchObject({ vendor: 'Linux', product: 'netfilter' });
  });
});
