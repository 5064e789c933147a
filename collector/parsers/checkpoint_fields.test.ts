import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z') };
const p = (line: string) => parse(line, ctx) as Record<string, any>;

describe('Check Point keys moved to ECS as Elastic does', () => {
  test('a connection record: packets and bytes each way, zones, interfaces, MACs, service, user group', () => {
    const ev = p('<134>1 2026-03-14T09:00:00Z gw-hn CheckPoint 2211 - [action:"Accept"; ifdir:"outbound"; loguid:"{0x1,0x0,0x2,0x3}"; origin:"10.5.0.1"; time:"1773478800"; src:"10.5.1.20"; dst:"203.0.113.30"; proto:"6"; s_port:"52000"; service:"443"; client_outbound_packets:"12"; server_outbound_packets:"10"; client_outbound_bytes:"1400"; server_outbound_bytes:"9800"; inzone:"Internal"; outzone:"External"; client_inbound_interface:"eth3"; mac_source_address:"00:1c:7f:aa:bb:cc"; service_name:"https"; src_user_group:"SO-Finance"; origin_ip:"10.5.0.1"; update_version:"R81.20"]');
    expect(ev.source).toMatchObject({ packets: 12, bytes: 1400, mac: '00-1C-7F-AA-BB-CC', user: { group: { name: 'SO-Finance' } } });
    expect(ev.destination).toMatchObject({ packets: 10, bytes: 9800, service: { name: 'https' } });
    expect(ev.network).toMatchObject({ packets: 22, bytes: 11200 });
    expect(ev.observer).toMatchObject({ ingress: { zone: 'Internal', interface: { name: 'eth3' } }, egress: { zone: 'External' }, ip: '10.5.0.1', version: 'R81.20' });
    // moved keys are not repeated under checkpoint.*
    expect(ev.checkpoint.client_outbound_packets).toBeUndefined();
    expect(ev.checkpoint.inzone).toBeUndefined();
  });

  test('an Anti-Spam record keeps the e-mail, a Threat Emulation detection its process, CVE and rule', () => {
    const mail = p('<134>1 2026-03-14T09:01:00Z gw-hn CheckPoint 2211 - [action:"Drop"; loguid:"{0x2,0x0,0x2,0x3}"; origin:"10.5.0.1"; time:"1773478860"; product:"Anti-Spam and Email Security"; from:"invoice@bad-example.net"; to:"ketoan@so.example.vn"; email_subject:"Hoa don thang 3"; email_message_id:"<a1b2@bad-example.net>"; email_queue_id:"4QxYz1"]');
    expect(mail.source.user.email).toBe('invoice@bad-example.net');
    expect(mail.destination.user.email).toBe('ketoan@so.example.vn');
    expect(mail.email).toMatchObject({ subject: 'Hoa don thang 3', message_id: '<a1b2@bad-example.net>', local_id: '4QxYz1' });
    const det = p('<134>1 2026-03-14T09:02:00Z gw-hn CheckPoint 2211 - [action:"Detect"; rule_action:"Detect"; loguid:"{0x3,0x0,0x2,0x3}"; origin:"10.5.0.1"; time:"1773478920"; src:"10.5.1.21"; dst:"198.51.100.99"; product:"Threat Emulation"; process_name:"winword.exe"; process_md5:"5d41402abc4b2a76b9719d911017c592"; industry_reference:"CVE-2026-0001"; malware_rule_id:"{11-22}"; user_agent:"Mozilla/5.0 (Windows NT 10.0)"; categories:"Exploit"]');
    expect(det.event.kind).toBe('alert');
    expect(det.event.category).toEqual(expect.arrayContaining(['intrusion_detection']));
    expect(det.process).toMatchObject({ name: 'winword.exe', hash: { md5: '5d41402abc4b2a76b9719d911017c592' } });
    expect(det.vulnerability.id).toBe('CVE-2026-0001');
    expect(det.rule).toMatchObject({ id: '{11-22}', category: 'Exploit' });
    expect(det.user_agent.original).toBe('Mozilla/5.0 (Windows NT 10.0)');
  });

  test('a login written as the action (Identity Awareness): failed is a denied authentication; the reason is the message', () => {
    const ev = p('<134>1 2026-03-14T09:03:00Z gw-hn CheckPoint 2211 - [action:"Failed Log In"; loguid:"{0x4,0x0,0x2,0x3}"; origin:"10.5.0.1"; time:"1773478980"; src:"10.5.1.22"; src_user_name:"duong.le"; product:"Identity Awareness"; reason:"Wrong password"]');
    expect(ev.event).toMatchObject({ action: 'logon-failed', outcome: 'failure', type: ['denied'] });
    expect(ev.event.category).toEqual(expect.arrayContaining(['authentication']));
    expect(ev.message).toBe('Wrong password');
    expect(ev.source.user.name).toBe('duong.le');
  });

  test('a value that is not a number for a count stays under checkpoint.*, not in ECS', () => {
    const ev = p('<134>1 2026-03-14T09:04:00Z gw-hn CheckPoint 2211 - [action:"Accept"; loguid:"{0x5,0x0,0x2,0x3}"; origin:"10.5.0.1"; time:"1773479040"; client_outbound_packets:"n/a"]');
    expect(ev.source?.packets).toBeUndefined();
    expect(ev.checkpoint.client_outbound_packets).toBe('n/a');
  });
});
