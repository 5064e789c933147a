import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'Asia/Ho_Chi_Minh' };

describe('Symantec Endpoint Protection (antivirus over syslog)', () => {
  test('a risk found by Auto-Protect is a malware alert on the infected host', () => {
    const line = '<54>Mar 14 10:40:00 sepm01 SymantecServer: Virus found,IP Address: 10.40.2.15,Computer name: PC-VANTHU-03,Source: Auto-Protect scan,Risk name: Trojan.Gen.2,Occurrences: 1,C:\\Users\\vanthu\\Downloads\\congvan.pdf.exe,,Actual action: Quarantined,Requested action: Quarantined,Secondary action: Deleted,Event time: 2026-03-14 10:39:58,Inserted: 2026-03-14 10:40:00,End: 2026-03-14 10:39:58,Domain: Default,Group: My Company\\VanPhong,Server: sepm01,User: vanthu,Source computer: ,Source IP: ,Disposition: Bad,Category set: Malware,Category type: Virus';
    const ev = parse(line, ctx) as Record<string, any>;
    expect(ev.event).toMatchObject({ kind: 'alert', category: ['malware'], type: ['info'], action: 'Quarantined', outcome: 'success', provider: 'Agent Risk Log', dataset: 'symantec_endpoint.log' });
    expect(ev['@timestamp']).toBe('2026-03-14T03:39:58.000Z');
    expect(ev.host).toEqual({ hostname: 'PC-VANTHU-03', name: 'PC-VANTHU-03', ip: ['10.40.2.15'] });
    expect(ev.file).toMatchObject({ path: 'C:\\Users\\vanthu\\Downloads\\congvan.pdf.exe', name: 'congvan.pdf.exe' });
    expect(ev.rule.name).toBe('Trojan.Gen.2');
    expect(ev.threat.software).toEqual({ name: 'Trojan.Gen.2', type: 'Malware' });
    expect(ev.user).toEqual({ name: 'vanthu', domain: 'Default' });
    expect(ev.symantec_endpoint.log.group).toBe('My Company\\VanPhong');
  });

  test('"All actions failed" is an alert whose outcome is failure', () => {
    const ev = parse('Security risk found,IP Address: 10.0.0.2,Computer name: PC1,Source: Manual scan,Risk name: WS.Reputation.1,Occurrences: 1,C:\\x.exe,,Actual action: All actions failed,Requested action: Quarantined,Secondary action: Left alone,Event time: 2026-03-14 10:00:00', ctx) as Record<string, any>;
    expect(ev.event).toMatchObject({ kind: 'alert', outcome: 'failure' });
  });

  test('an Agent Traffic Log row: the local computer is the host, an inbound connection has the remote end as source', () => {
    const line = '<54>Mar 14 10:41:00 sepm01 SymantecServer: PC-KETOAN-02,Local Host IP: 10.40.2.22,Local Port: 445,Local Host MAC: 0A1B2C3D4E5F,Remote Host IP: 10.40.9.9,Remote Host Name: ,Remote Port: 51000,Remote Host MAC: 000000000000,TCP,Inbound,Begin: 2026-03-14 10:40:10,End Time: 2026-03-14 10:40:20,Occurrences: 3,Application: C:/Windows/System32/svchost.exe,Rule: Block SMB from workstations,Location: Default,User Name: ketoan,Domain Name: SO,Action: Blocked,SHA-256: AB00000000000000000000000000000000000000000000000000000000000001,MD-5: CD000000000000000000000000000002';
    const ev = parse(line, ctx) as Record<string, any>;
    expect(ev.event).toMatchObject({ provider: 'Agent Traffic Log', action: 'blocked', category: ['intrusion_detection', 'network'], type: ['connection', 'denied'], count: 3 });
    expect(ev.source).toMatchObject({ ip: '10.40.9.9', port: 51000 });
    expect(ev.source.mac).toBeUndefined();
    expect(ev.destination).toMatchObject({ ip: '10.40.2.22', port: 445, mac: '0A-1B-2C-3D-4E-5F' });
    expect(ev.host).toMatchObject({ hostname: 'PC-KETOAN-02', ip: ['10.40.2.22'], mac: ['0A-1B-2C-3D-4E-5F'] });
    expect(ev.network).toMatchObject({ transport: 'tcp', direction: 'ingress' });
    expect(ev.rule.name).toBe('Block SMB from workstations');
    expect(ev.process).toMatchObject({ executable: 'C:/Windows/System32/svchost.exe', hash: { sha256: 'ab00000000000000000000000000000000000000000000000000000000000001' } });
    expect(ev.event.end).toBe('2026-03-14T03:40:20.000Z');
  });

  test('Policy, System and Administrative rows name their log type, the admin and the description', () => {
    const policy = parse('Site: SO-Site,Server: sepm01,Domain: Default,Admin: admin.so,Event Description: Policy has been edited: Edited shared Firewall policy: Chinh sach FW,Chinh sach FW', ctx) as Record<string, any>;
    expect(policy.event.provider).toBe('Policy Log');
    expect(policy.user.name).toBe('admin.so');
    expect(policy.message).toBe('Policy has been edited: Edited shared Firewall policy: Chinh sach FW');
    expect(policy.symantec_endpoint.log.policy_name).toBe('Chinh sach FW');
    const system = parse('Site: SO-Site,Server: sepm01,LiveUpdate succeeded.', ctx) as Record<string, any>;
    expect(system.event.provider).toBe('System Log');
    expect(system.message).toBe('LiveUpdate succeeded.');
    expect(system.observer).toMatchObject({ hostname: 'sepm01', type: 'edr' });
    const admin = parse('Site: SO-Site,Server: sepm01,Domain: Default,Admin: admin.so,Administrator log on failed', ctx) as Record<string, any>;
    expect(admin.event.provider).toBe('Administrative Log');
  });

  test('an agent row with a labelled description (SEP 14.3) names the computer in its first column', () => {
    const ev = parse('<54>Mar 14 10:42:00 sepm01 SymantecServer: PC-VANTHU-01,Category: 0,Smc,Event Description: Received a new policy with serial number 1A2B from Symantec Endpoint Protection Manager.,Event time: 2026-03-14 10:41:59,Group Name: Van thu', ctx) as Record<string, any>;
    expect(ev.host.hostname).toBe('PC-VANTHU-01');
    expect(ev.message).toMatch(/^Received a new policy/);
    expect(ev.symantec_endpoint.log.group).toBe('Van thu');
  });

  test('a traffic row cut after its addresses keeps what it has', () => {
    const ev = parse('<54>Mar 14 10:43:00 sepm01 SymantecServer: PC-1,Local Host IP: 10.40.2.22,Local Port: 445,Local Host MAC: 0A1B2C3D4E5F,Remote Host IP: 10.4', ctx) as Record<string, any>;
    expect(ev.event.dataset).toBe('symantec_endpoint.log');
    expect(ev.host.hostname).toBe('PC-1');
    expect(ev.symantec_endpoint.log.remote_host_ip).toBe('10.4');
  });
});
