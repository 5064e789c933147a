import { createEvaluator } from '../../correlator/sigma/index';
import { shippedRules } from './helpers';

/** Winlogbeat-shaped Windows events: raw names under winlog.*, as agencies ship them. */
function winlog(channel: string, eventId: string, provider: string, data: Record<string, unknown>, message?: string): Record<string, unknown> {
  return {
    '@timestamp': '2026-11-28T07:00:00.000Z',
    event: { id: `w-${eventId}-${JSON.stringify(data).length}`, code: eventId, provider },
    winlog: { channel, event_id: eventId, provider_name: provider, computer_name: 'ketoan-pc07.sotc.local', event_data: data },
    host: { hostname: 'ketoan-pc07', os: { type: 'windows' } },
    message,
    organization: { id: 'so-tc' },
  };
}

const sysmon1 = (image: string, cmd: string): Record<string, unknown> => winlog('Microsoft-Windows-Sysmon/Operational', '1', 'Microsoft-Windows-Sysmon', { Image: image, CommandLine: cmd, OriginalFileName: image.split('\\').pop()!.toUpperCase(), ParentImage: 'C:\\Windows\\System32\\cmd.exe', User: 'SOTC\\ketoan' });

function fired(e: Record<string, unknown>): Array<{ title: string; author?: string }> {
  return createEvaluator(shippedRules()).evaluate(e).map((d) => ({ title: d.rule.title, author: d.rule.author }));
}

describe('curated SigmaHQ rules on Winlogbeat events', () => {
  test('security log cleared (1102) fires and carries the SigmaHQ author', () => {
    const got = fired(winlog('Security', '1102', 'Microsoft-Windows-Eventlog', { SubjectUserName: 'ketoan' }));
    expect(got).toEqual([{ title: 'Security Eventlog Cleared', author: 'Florian Roth (Nextron Systems)' }]);
    expect(fired(winlog('Security', '1100', 'Microsoft-Windows-Eventlog', {}))).toEqual([]);
  });

  test('shadow copy deletion fires; listing shadow copies does not', () => {
    expect(fired(sysmon1('C:\\Windows\\System32\\vssadmin.exe', 'vssadmin.exe Delete Shadows /All /Quiet')).map((d) => d.title)).toEqual(['Shadow Copies Deletion Using Operating Systems Utilities']);
    expect(fired(sysmon1('C:\\Windows\\System32\\vssadmin.exe', 'vssadmin.exe list shadows'))).toEqual([]);
  });

  test('mimikatz on the command line fires; an ordinary command does not', () => {
    expect(fired(sysmon1('C:\\Users\\Public\\m.exe', 'm.exe "privilege::debug" "sekurlsa::logonpasswords" exit')).map((d) => d.title)).toContain('HackTool - Mimikatz Execution');
    expect(fired(sysmon1('C:\\Windows\\System32\\ipconfig.exe', 'ipconfig /all'))).toEqual([]);
  });

  test('a Defender detection (1116) fires; a Defender update (2000) does not', () => {
    const defender = 'Microsoft-Windows-Windows Defender/Operational';
    expect(fired(winlog(defender, '1116', 'Microsoft-Windows-Windows Defender', { 'Threat Name': 'Trojan:Win32/Emotet', Path: 'file:_C:\\Users\\ketoan\\Downloads\\hoadon.doc' })).map((d) => d.title)).toEqual(['Windows Defender Threat Detected']);
    expect(fired(winlog(defender, '2000', 'Microsoft-Windows-Windows Defender', {}))).toEqual([]);
  });

  test('a user added to local Administrators fires; a computer account does not', () => {
    const add = (subject: string): Record<string, unknown> => winlog('Security', '4732', 'Microsoft-Windows-Security-Auditing', { TargetUserName: 'Administrators', TargetSid: 'S-1-5-32-544', SubjectUserName: subject, MemberSid: 'S-1-5-21-1-2-3-1107' });
    expect(fired(add('it.admin')).map((d) => d.title)).toEqual(['User Added to Local Administrator Group']);
    expect(fired(add('KETOAN-PC07$'))).toEqual([]);
  });
});
