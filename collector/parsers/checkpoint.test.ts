import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z') };
const p = (line: string) => parse(line, ctx) as Record<string, any>;

describe('Check Point', () => {
  test('firewall drop with NAT, rule and interface', () => {
    const ev = p('<134>1 2026-03-14T03:00:00Z cp-gw CheckPoint 2211 - [action:"Drop"; flags:"411908"; ifdir:"inbound"; ifname:"eth1"; loguid:"{0x65f2,0x0,0x1,0x2}"; origin:"10.0.0.254"; sequencenum:"5"; time:"1773457200"; version:"5"; dst:"10.20.1.5"; proto:"6"; s_port:"51000"; service:"3389"; src:"198.51.100.90"; rule_name:"Block RDP from Internet"; rule_uid:"{AB-CD}"; layer_name:"Network"; product:"VPN-1 & FireWall-1"]');
    expect(ev['@timestamp']).toBe('2026-03-14T03:00:00.000Z');
    // the action as the gateway logged it, as Elastic keeps it
    expect(ev.event).toMatchObject({ dataset: 'checkpoint.firewall', action: 'Drop', category: ['network'], type: ['connection', 'denied'], sequence: 5 });
    expect(ev.event.id).toBeUndefined();
    expect(ev.checkpoint.loguid).toBe('{0x65f2,0x0,0x1,0x2}');
    expect(ev.source).toEqual({ ip: '198.51.100.90', port: 51000 });
    expect(ev.destination).toEqual({ ip: '10.20.1.5', port: 3389 });
    expect(ev.network).toMatchObject({ transport: 'tcp', iana_number: '6', direction: 'inbound' });
    expect(ev.rule).toEqual({ name: 'Block RDP from Internet', uuid: '{AB-CD}', ruleset: 'Network' });
    expect(ev.network.name).toBe('Network');
    expect(ev.observer).toMatchObject({ vendor: 'Checkpoint', name: '10.0.0.254', product: 'VPN-1 & FireWall-1', ingress: { interface: { name: 'eth1' } } });
  });

  test('administrator login failure with the reason', () => {
    const ev = p('<134>1 2026-03-14T03:01:00Z cp-mgmt CheckPoint 10547 - [action:"Accept"; ifdir:"outbound"; loguid:"{0x1}"; origin:"10.0.0.10"; sequencenum:"1"; time:"1773457260"; additional_info:"Administrator failed to log in: Wrong Password"; administrator:"hai.nguyen"; audit_status:"Failure"; client_ip:"10.30.0.8"; machine:"pc-hai.so-tttt.local"; operation:"Log In"; operation_number:"11"; product:"SmartConsole"; subject:"Administrator Login"]');
    expect(ev.event).toMatchObject({ action: 'logon-failed', outcome: 'failure', category: ['authentication'], reason: 'Wrong Password', code: '11' });
    expect(ev.user.name).toBe('hai.nguyen');
    expect(ev.source).toMatchObject({ ip: '10.30.0.8', domain: 'pc-hai.so-tttt.local', user: { name: 'hai.nguyen' } });
    expect(ev.message).toBe('Administrator Login');
  });

  test('an Anti-Virus detection is a malware alert', () => {
    const ev = p('<134>1 2026-03-14T03:02:00Z cp-gw CheckPoint 2211 - [action:"Prevent"; origin:"10.0.0.254"; time:"1773457320"; src:"10.20.3.3"; dst:"203.0.113.66"; product:"Anti-Virus"; protection_name:"Trojan.Win32.Agent.TC.xyz"; malware_action:"Malicious file download"; file_name:"update.exe"; file_md5:"44d88612fea8a8f36de82e1278abb02f"; severity:"High"]');
    expect(ev.event).toMatchObject({ kind: 'alert', category: ['malware'], type: ['denied'], severity: 4 });
    expect(ev.threat.software.name).toBe('Trojan.Win32.Agent.TC.xyz');
    expect(ev.file).toMatchObject({ name: 'update.exe', hash: { md5: '44d88612fea8a8f36de82e1278abb02f' } });
    expect(ev.related.hash).toEqual(['44d88612fea8a8f36de82e1278abb02f']);
  });


  test('administrator log out: user.name lower-cased as Elastic does, the logged spelling kept in source.user and related.user', () => {
    const ev = p('<134>1 2026-03-14T05:00:00Z mgmt-01 CheckPoint 3321 - [action:"Accept"; flags:"163872"; ifdir:"outbound"; loguid:"{0x6600aa01,0x1,0x6401a8c0,0x3c7878a}"; origin:"10.0.0.10"; sequencenum:"7"; time:"1773464400"; version:"5"; additional_info:"logout localhost"; administrator:"SOC_Admin"; client_ip:"10.0.5.21"; domain_name:"SMC User"; operation:"Log Out"; product:"SmartConsole"; subject:"Administrator Logout"]');
    expect(ev.event).toMatchObject({ action: 'logged-out', category: ['authentication'], type: ['end'], outcome: 'success', sequence: 7, timezone: 'UTC' });
    expect(ev.user).toEqual({ name: 'soc_admin', domain: 'smc user' });
    expect(ev.source.user).toEqual({ name: 'SOC_Admin', domain: 'SMC User' });
    // one administrator is one related user, in the spelling logged (as Elastic lists it)
    expect(ev.related.user).toEqual(['SOC_Admin']);
    // the management domain is not a DNS query
    expect(ev.dns).toBeUndefined();
    // canhgac assigns event.id; Check Point's id stays searchable
    expect(ev.event.id).toBeUndefined();
    expect(ev.checkpoint.loguid).toBe('{0x6600aa01,0x1,0x6401a8c0,0x3c7878a}');
  });

  test('an epoch time is UTC whatever zone the source is configured with', () => {
    const ev = parse('<134>1 2026-03-14T05:00:00Z mgmt-01 CheckPoint 3321 - [action:"Accept"; loguid:"{0x1,0x0,0x2,0x3}"; origin:"10.0.0.10"; time:"1773464400"; administrator:"admin"; operation:"Log In"; product:"SmartConsole"]', { ...ctx, timezone: 'Asia/Ho_Chi_Minh' }) as Record<string, any>;
    expect(ev['@timestamp']).toBe('2026-03-14T05:00:00.000Z');
    expect(ev.event.timezone).toBe('UTC');
  });

  test('a management audit record names the administrator, their id and the rule they changed', () => {
    const ev = p('<134>1 2026-03-14T06:00:00Z mgmt-01 CheckPoint 4410 - [action:"Accept"; ifdir:"outbound"; loguid:"{0x7,0x0,0x8,0x9}"; origin:"10.0.0.10"; time:"1773468000"; version:"5"; administrator:"Tuan.Ngo"; client_ip:"10.0.0.55"; domain_name:"SO_Domain"; objectname:"Allow RDP from VPN"; objecttype:"Access Control Rule"; operation:"Modify Rule"; product:"SmartConsole"; subject:"Object Manipulation"; uid:"4f1c2e9a-0b7d-4c55-9e61-2a1b3c4d5e6f"]');
    expect(ev.event.action).toBe('Accept');
    expect(ev.rule.name).toBe('Allow RDP from VPN');
    expect(ev.user).toMatchObject({ name: 'tuan.ngo', id: '4f1c2e9a-0b7d-4c55-9e61-2a1b3c4d5e6f' });
    expect(ev.source.user).toMatchObject({ name: 'Tuan.Ngo', id: '4f1c2e9a-0b7d-4c55-9e61-2a1b3c4d5e6f' });
    expect(ev.checkpoint).toMatchObject({ administrator: 'Tuan.Ngo', operation: 'Modify Rule', objecttype: 'Access Control Rule' });
    expect(ev.source.ip).toBe('10.0.0.55');
  });

  test('an optimized drop lists each dropped packet with its endpoints, protocol and interface', () => {
    const ev = p('<134>1 2026-03-14T07:00:00Z gw-hcm CheckPoint 16001 - [action:"Drop"; ifdir:"inbound"; loguid:"{0x9,0x0,0x1,0x2}"; origin:"10.1.0.1"; time:"1773471600"; drop_reason:"matched optimized drop"; layer_name:"Perimeter"; rule_action:"Drop"; rule_name:"Stealth"; packet_amount:"3"; packets:" <203.0.113.7,41000,10.1.2.3,445,6;eth2> <203.0.113.7,41001,10.1.2.4,137,17> <2001:db8::7,5353,2001:db8::1,53,17;bond0.10>"]');
    expect(ev.event).toMatchObject({ action: 'Drop', type: ['connection', 'denied'] });
    expect(ev.checkpoint.packets_dropped).toEqual([
      { source: { ip: '203.0.113.7', port: 41000 }, destination: { ip: '10.1.2.3', port: 445 }, network: { iana_number: '6' }, interface: { name: 'eth2' } },
      { source: { ip: '203.0.113.7', port: 41001 }, destination: { ip: '10.1.2.4', port: 137 }, network: { iana_number: '17' } },
      { source: { ip: '2001:db8::7', port: 5353 }, destination: { ip: '2001:db8::1', port: 53 }, network: { iana_number: '17' }, interface: { name: 'bond0.10' } },
    ]);
    // read whole: the raw list is not repeated
    expect(ev.checkpoint.packets).toBeUndefined();
    expect(ev.network.name).toBe('Perimeter');
  });

  test('a truncated drop list keeps the entries it could read and the raw list', () => {
    const ev = p('<134>1 2026-03-14T07:01:00Z gw-hcm CheckPoint 16001 - [action:"Drop"; loguid:"{0x9,0x1,0x1,0x2}"; origin:"10.1.0.1"; time:"1773471660"; drop_reason:"matched optimized drop"; packets:" <198.51.100.4,5000,10.1.2.3,22,6> <garbled> <198.51.100.4,5001,10.1"]');
    expect(ev.checkpoint.packets_dropped).toEqual([{ source: { ip: '198.51.100.4', port: 5000 }, destination: { ip: '10.1.2.3', port: 22 }, network: { iana_number: '6' } }]);
    expect(ev.checkpoint.packets).toContain('<garbled>');
  });

  test("a DNS record's domain_name is the question; an audit record names the object it changed as the rule", () => {
    const dns = p('<134>1 2026-03-14T08:00:00Z gw-hcm CheckPoint 16002 - [action:"Prevent"; loguid:"{0xa,0x0,0x1,0x2}"; origin:"10.1.0.1"; time:"1773475200"; src:"10.1.5.9"; dst:"10.1.0.53"; proto:"17"; service:"53"; product:"Anti-Bot"; protection_name:"DNS Trap"; malware_action:"DNS request to a malicious domain"; domain_name:"c2.bad-example.net"; severity:"High"]');
    expect(dns.dns.question.name).toBe('c2.bad-example.net');
    expect(dns.event.action).toBe('Prevent');
    const audit = p('<134>1 2026-03-14T08:05:00Z mgmt-01 CheckPoint 4410 - [action:"Accept"; loguid:"{0xb,0x0,0x1,0x2}"; origin:"10.0.0.10"; time:"1773475500"; administrator:"Lan.Pham"; client_ip:"10.0.0.56"; domain_name:"HCM_Domain"; objectname:"web-srv-02"; objecttype:"host"; operation:"Create Object"; subject:"Object Manipulation"; uid:"77aa"]');
    expect(audit.rule.name).toBe('web-srv-02');
    expect(audit.dns).toBeUndefined();
    expect(audit.source.user).toMatchObject({ name: 'Lan.Pham', domain: 'HCM_Domain' });
    expect(audit.related.user).toEqual(['Lan.Pham']);
  });
});
