import { parse } from './index';
import { MESSAGES, accessMask, auditCategory, kerberosStatus, message, scheduledTask, ticketOptions, uacFlags, x509Subject } from './winlog_messages';

const ctx = { receivedAt: new Date('2026-12-01T04:00:00Z') };
const p = (input: Record<string, unknown>) => parse(input, ctx) as Record<string, any>;

/** A Winlogbeat Security event of a lab domain controller (so-lab.local). */
function security(eventId: number, eventData: Record<string, unknown>, keywords = ['Audit Success']): Record<string, unknown> {
  return {
    '@timestamp': '2026-12-01T03:00:00.000Z',
    winlog: {
      channel: 'Security', event_id: eventId, record_id: 424242, provider_name: 'Microsoft-Windows-Security-Auditing', computer_name: 'DC02.so-lab.local',
      keywords, time_created: '2026-12-01T02:59:58.100Z', event_data: eventData,
    },
  };
}

const ADMIN = { SubjectUserSid: 'S-1-5-21-1111111111-2222222222-3333333333-1104', SubjectUserName: 'quan.tri', SubjectDomainName: 'SOLAB', SubjectLogonId: '0x5a3e1' };

describe('message table', () => {
  test('ids become their text, with the object types\' undefined bits filled in', () => {
    expect(message('%%1537')).toBe('DELETE');
    expect(message('%%8274')).toBe('Object Access');
    expect(message('%%14608')).toBe('Resource Assignment');
    expect(message('%%4417')).toBe('WriteData (or AddFile)');
    expect(message('%%4438')).toBe('Undefined Access (no effect) Bit 6');
    expect(message('%%2058')).toBe('Account Unlocked');
    expect(message('%%2089')).toBe("Don't Expire Password' - Enabled");
    expect(message('%%1840')).toBe('Delegation');
    expect(message('%%99999')).toBeUndefined();
    expect(Object.keys(MESSAGES).length).toBeGreaterThan(900);
  });

  test('an access mask: hex and decimal masks are described by bit, message ids by the rights they name', () => {
    expect(accessMask('0x10000')).toEqual({ rights: ['0x10000'], descriptions: ['DELETE'] });
    expect(accessMask('16777216')).toEqual({ rights: ['16777216'], descriptions: ['ADS_RIGHT_ACCESS_SYSTEM_SECURITY'] });
    expect(accessMask('%%1538\n\t\t\t\t%%1539\n\t\t\t\t')).toEqual({ rights: ['READ_CONTROL', 'WRITE_DAC'], descriptions: ['READ_CONTROL', 'WRITE_DAC'] });
    // a file right names itself; its bit is not a directory-service right
    expect(accessMask('%%4416 %%4423')).toEqual({ rights: ['ReadData (or ListDirectory)', 'ReadAttributes'], descriptions: [] });
  });

  test('audit category from CategoryId/SubcategoryId, else from the subcategory GUID', () => {
    expect(auditCategory({ CategoryId: '%%8277', SubcategoryId: '%%13568' })).toEqual({ category: 'Policy Change', subcategory: 'Audit Policy Change' });
    expect(auditCategory({ SubcategoryGuid: '{0cce922b-69ae-11d9-bed3-505054503030}' })).toEqual({ category: 'Detailed Tracking', subcategory: 'Process Creation' });
  });

  test('Kerberos codes and flags', () => {
    expect(kerberosStatus('0x18')).toBe('KDC_ERR_PREAUTH_FAILED');
    expect(kerberosStatus('0x1F')).toBe('KRB_AP_ERR_BAD_INTEGRITY');
    expect(kerberosStatus('0x25')).toBe('KRB_AP_ERR_SKEW');
    expect(kerberosStatus('0x3C')).toBe('KRB_ERR_GENERIC');
    expect(ticketOptions('0x40810010')).toEqual(['Forwardable', 'Renewable', 'Name-canonicalize', 'Renewable-ok']);
    expect(uacFlags('0x15')).toEqual(['SCRIPT', 'LOCKOUT']);
  });

  test('x509 subject of an AppLocker publisher', () => {
    expect(x509Subject('O=CONG TY PHAN MEM SO, L=HA NOI, S=HA NOI, C=VN')).toEqual({ organization: ['CONG TY PHAN MEM SO'], locality: ['HA NOI'], state_or_province: ['HA NOI'], country: ['VN'] });
  });
});

describe('Security events with message-table codes', () => {
  test('4719 audit policy change: category, subcategory and the changes in words', () => {
    const ev = p(security(4719, { ...ADMIN, CategoryId: '%%8274', SubcategoryId: '%%12801', SubcategoryGuid: '{0cce921e-69ae-11d9-bed3-505054503030}', AuditPolicyChanges: '%%8448, %%8450' }));
    expect(ev.event).toMatchObject({ action: 'changed-audit-config', code: '4719' });
    expect(ev.winlog.event_data).toMatchObject({ Category: 'Object Access', SubCategory: 'Registry', AuditPolicyChangesDescription: ['Success removed', 'Failure removed'], CategoryId: '%%8274' });
  });

  test('4663 file access: AccessList ids and their descriptions, the mask described, the process that asked', () => {
    const ev = p(security(4663, {
      ...ADMIN, ObjectServer: 'Security', ObjectType: 'File', ObjectName: 'C:\\HoSo\\luong-2026.xlsx', HandleId: '0x1a4', AccessList: '%%1537\n\t\t\t\t%%4423\n\t\t\t\t',
      AccessMask: '0x10080', ProcessId: '0x1b5c', ProcessName: 'C:\\Windows\\explorer.exe',
    }));
    expect(ev.winlog.event_data).toMatchObject({ AccessList: ['1537', '4423'], AccessListDescription: ['DELETE', 'ReadAttributes'], AccessMask: ['0x10080'], AccessMaskDescription: ['List Object', 'DELETE'] });
    expect(ev.process).toMatchObject({ executable: 'C:\\Windows\\explorer.exe', name: 'explorer.exe', pid: 7004 });
    expect(ev.file.path).toBe('C:\\HoSo\\luong-2026.xlsx');
  });

  test('5157 blocked connection: direction and layer in words', () => {
    const ev = p(security(5157, { ProcessID: '4', Application: 'System', Direction: '%%14592', SourceAddress: '203.0.113.9', SourcePort: '445', DestAddress: '10.20.0.5', DestPort: '50211', Protocol: '6', LayerName: '%%14610' }, ['Audit Failure']));
    expect(ev.winlog.event_data).toMatchObject({ DirectionDescription: 'Inbound', LayerNameDescription: 'Receive/Accept', Direction: '%%14592' });
  });

  test('4625 failed logon: reason, status and sub-status described, the codes kept in event_data', () => {
    const ev = p(security(4625, {
      SubjectUserSid: 'S-1-5-18', SubjectUserName: 'DC02$', TargetUserName: 'ke.toan', TargetDomainName: 'SOLAB', LogonType: '10', FailureReason: '%%2313',
      Status: '0xC000006D', SubStatus: '0xC0000064', IpAddress: '198.51.100.77', IpPort: '0',
    }, ['Audit Failure']));
    expect(ev.winlog.logon).toMatchObject({ type: 'RemoteInteractive', failure: { reason: 'Unknown user name or bad password.', status: 'This is either due to a bad username or authentication information', sub_status: 'User logon with misspelled or bad user account' } });
    expect(ev.winlog.event_data).toMatchObject({ FailureReason: '%%2313', Status: '0xC000006D' });
  });

  test('4769 service ticket: options, encryption type and result in words', () => {
    const ev = p(security(4769, { TargetUserName: 'svc.backup@SOLAB.LOCAL', TargetDomainName: 'SOLAB.LOCAL', ServiceName: 'MSSQLSvc', TicketOptions: '0x40810000', TicketEncryptionType: '0x17', IpAddress: '::ffff:10.20.0.31', Status: '0x0' }));
    expect(ev.winlog.event_data).toMatchObject({ TicketOptionsDescription: ['Forwardable', 'Renewable', 'Name-canonicalize'], TicketEncryptionTypeDescription: 'RC4-HMAC', StatusDescription: 'KDC_ERR_NONE' });
  });

  test('4738 user changed: the new userAccountControl flags and the changes as ids', () => {
    const ev = p(security(4738, { ...ADMIN, TargetUserName: 'thuc.tap', TargetDomainName: 'SOLAB', TargetSid: 'S-1-5-21-1111111111-2222222222-3333333333-2201', OldUacValue: '0x10', NewUacValue: '0x210', UserAccountControl: '\n\t\t%%2089' }));
    expect(ev.winlog.event_data).toMatchObject({ NewUACList: ['LOCKOUT', 'NORMAL_ACCOUNT'], UserAccountControl: ['2089'] });
  });

  test('5136 directory change: the operation is the reason, the changed user is the target', () => {
    const ev = p(security(5136, { ...ADMIN, DSName: 'so-lab.local', DSType: '%%14676', ObjectDN: 'CN=Tran\\, Binh,OU=KeToan,DC=so-lab,DC=local', ObjectClass: 'user', AttributeLDAPDisplayName: 'description', OperationType: '%%14674' }));
    expect(ev.event.reason).toBe('Value Added');
    expect(ev.user.target.name).toBe('Tran, Binh');
    expect(ev.winlog.event_data.DSType).toBe('%%14676');
  });

  test('4732 member added: a comma escaped in the member\'s DN stays in the name', () => {
    const ev = p(security(4732, { ...ADMIN, MemberName: 'CN=Le\\, Hoa,OU=NhanSu,DC=so-lab,DC=local', MemberSid: 'S-1-5-21-1-2-3-2301', TargetUserName: 'Administrators', TargetDomainName: 'Builtin', TargetSid: 'S-1-5-32-544' }));
    expect(ev.user.target.name).toBe('Le\\, Hoa');
    expect(ev.group.name).toBe('Administrators');
  });
});

describe('scheduled tasks (4698/4699)', () => {
  const XML = [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo><Author>SOLAB\\quan.tri</Author><URI>\\CapNhat\\DongBo</URI></RegistrationInfo>',
    '  <Triggers><LogonTrigger><Enabled>true</Enabled></LogonTrigger></Triggers>',
    '  <Principals><Principal id="Author"><UserId>S-1-5-18</UserId><RunLevel>HighestAvailable</RunLevel><LogonType>ServiceAccount</LogonType></Principal></Principals>',
    '  <Settings><Enabled>true</Enabled><Hidden>true</Hidden></Settings>',
    '  <Actions Context="Author"><Exec><Command>C:\\ProgramData\\sync.exe</Command><Arguments>-q &amp; -s</Arguments></Exec>',
    '  <ComHandler><ClassId>{11111111-2222-3333-4444-555555555555}</ClassId></ComHandler></Actions>',
    '</Task>',
  ].join('\n');

  test('4698 with its XML: uri, principals, settings and actions', () => {
    const ev = p(security(4698, { ...ADMIN, TaskName: '\\CapNhat\\DongBo', TaskContent: XML }));
    expect(ev.winlog.scheduled_task).toEqual({
      name: '\\CapNhat\\DongBo',
      uri: '\\CapNhat\\DongBo',
      principals: [{ id: 'Author', user: { identifier: 'S-1-5-18' }, logon: { type: 'ServiceAccount' }, run_level: 'HighestAvailable' }],
      settings: { enabled: true, hidden: true },
      actions: [
        { type: 'exec', context: 'Author', command: 'C:\\ProgramData\\sync.exe', arguments: '-q & -s' },
        { type: 'com_handler', context: 'Author', class_id: '{11111111-2222-3333-4444-555555555555}' },
      ],
    });
  });

  test('malformed XML gives the task name only', () => {
    expect(scheduledTask('\\Hong', '<Task><Actions><Exec><Command>cmd.exe</Command></Task>')).toEqual({ name: '\\Hong' });
  });
});

describe('AppLocker', () => {
  test('lengths and the process id are numbers; the publisher\'s subject is split', () => {
    const ev = p({
      '@timestamp': '2026-12-01T03:10:00.000Z',
      winlog: {
        channel: 'Microsoft-Windows-AppLocker/EXE and DLL', event_id: 8002, provider_name: 'Microsoft-Windows-AppLocker', computer_name: 'PC-KT-07', time_created: '2026-12-01T03:09:59.000Z',
        user_data: {
          PolicyNameLength: '3', PolicyName: 'EXE', RuleNameLength: '1', RuleName: '-', FilePathLength: '42', FilePath: '%PROGRAMFILES%\\UNIKEY\\UNIKEYNT.EXE', TargetProcessId: '5120',
          PackageLength: '0', FqbnLength: '70', Fqbn: 'O=UNIKEY, L=HA NOI, S=HA NOI, C=VN\\UNIKEY\\UNIKEYNT.EXE\\4.6.0.0',
        },
      },
    });
    expect(ev.winlog.user_data).toMatchObject({ PolicyNameLength: 3, RuleNameLength: 1, FilePathLength: 42, TargetProcessId: 5120, FqbnLength: 70, PackageLength: '0' });
    expect(ev.file.x509.subject).toEqual({ organization: ['UNIKEY'], locality: ['HA NOI'], state_or_province: ['HA NOI'], country: ['VN'] });
    expect(ev.process.pid).toBe(5120);
  });
});
