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
});
