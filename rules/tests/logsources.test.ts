/**
 * Logsource gates (rules/mappings/logsources.yml): for each logsource SigmaHQ rules use, an event that
 * is that source passes, and a near miss (the event a loose gate would let through) does not.
 */
import { loadRulesFromText, createEvaluator } from '../../correlator/sigma/index';

type Ev = Record<string, unknown>;

/** A rule of this logsource whose detection holds on every event, so only the gates decide. */
function fires(logsource: Record<string, string>, event: Ev): boolean {
  const ls = Object.entries(logsource).map(([k, v]) => `  ${k}: ${v}`).join('\n');
  const { ruleset, report } = loadRulesFromText(`title: gate probe\nid: 5f0c6d1e-0000-4000-8000-000000000001\nlogsource:\n${ls}\ndetection:\n  never:\n    canhgac_probe_field: 'x'\n  condition: not never\nlevel: low\n`, 'probe.yml');
  expect(report.every((r) => r.ok)).toBe(true);
  return createEvaluator(ruleset).evaluate(event).length === 1;
}

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const sysmon = (id: number, more: Ev = {}): Ev => ({ Channel: SYSMON, EventID: id, ...more });
/** the same Sysmon event as Winlogbeat ships it, normalized by canhgac (ECS categories included) */
const winlogbeat = (id: number, category: string[], type: string[]): Ev => ({ winlog: { channel: SYSMON, event_id: String(id), event_data: { Image: 'C:\\Windows\\System32\\cmd.exe' } }, event: { code: String(id), category, type } });
const edr = (os: string, category: string, type: string, more: Ev = {}): Ev => ({ host: { os: { type: os } }, event: { module: 'endpoint', category: [category], type: [type] }, process: { executable: '/usr/bin/curl' }, ...more });
const auditSerial = (types: string[]): Ev => ({ event: { module: 'auditd', dataset: 'auditd.log', category: ['process'], type: ['start'], action: 'executed' }, auditd: { log: { record_type: types[0], record_types: types } } });

const rows: Array<[string, Record<string, string>, Ev, Ev]> = [
  ['windows process_creation: Sysmon 1, not Sysmon 7 (image load)', { product: 'windows', category: 'process_creation' }, sysmon(1), sysmon(7)],
  ['windows process_creation: Security 4688, not 4689', { product: 'windows', category: 'process_creation' }, { Channel: 'Security', EventID: 4688 }, { Channel: 'Security', EventID: 4689 }],
  ['windows process_creation: an EDR process start, not a Winlogbeat Sysmon 7 that ECS calls process/start', { product: 'windows', category: 'process_creation' }, edr('windows', 'process', 'start'), winlogbeat(7, ['process', 'library'], ['change', 'start'])],
  ['image_load: Sysmon 7, not Sysmon 1', { product: 'windows', category: 'image_load' }, sysmon(7), sysmon(1)],
  ['file_event: Sysmon 11, not 23', { product: 'windows', category: 'file_event' }, sysmon(11), sysmon(23)],
  ['file_delete: Sysmon 23, not 11', { product: 'windows', category: 'file_delete' }, sysmon(23), sysmon(11)],
  ['file_change: Sysmon 2, not 11', { product: 'windows', category: 'file_change' }, sysmon(2), sysmon(11)],
  ['network_connection: Sysmon 3, not 22', { product: 'windows', category: 'network_connection' }, sysmon(3), sysmon(22)],
  ['dns_query: Sysmon 22, not 3', { product: 'windows', category: 'dns_query' }, sysmon(22), sysmon(3)],
  ['driver_load: Sysmon 6, not 7', { product: 'windows', category: 'driver_load' }, sysmon(6), sysmon(7)],
  ['process_access: Sysmon 10, not 8', { product: 'windows', category: 'process_access' }, sysmon(10), sysmon(8)],
  ['create_remote_thread: Sysmon 8, not 10', { product: 'windows', category: 'create_remote_thread' }, sysmon(8), sysmon(10)],
  ['raw_access_thread: Sysmon 9, not 8', { product: 'windows', category: 'raw_access_thread' }, sysmon(9), sysmon(8)],
  ['pipe_created: Sysmon 17/18, not 19', { product: 'windows', category: 'pipe_created' }, sysmon(18), sysmon(19)],
  ['wmi_event: Sysmon 20, not 18', { product: 'windows', category: 'wmi_event' }, sysmon(20), sysmon(18)],
  ['registry_set: Sysmon 13, not 12', { product: 'windows', category: 'registry_set' }, sysmon(13), sysmon(12)],
  ['registry_add: Sysmon 12 CreateKey, not DeleteKey', { product: 'windows', category: 'registry_add' }, sysmon(12, { EventType: 'CreateKey' }), sysmon(12, { EventType: 'DeleteKey' })],
  ['registry_delete: Sysmon 12 DeleteValue, not CreateKey', { product: 'windows', category: 'registry_delete' }, sysmon(12, { EventType: 'DeleteValue' }), sysmon(12, { EventType: 'CreateKey' })],
  ['registry_event: Sysmon 14, not 15', { product: 'windows', category: 'registry_event' }, sysmon(14), sysmon(15)],
  ['create_stream_hash: Sysmon 15, not 14', { product: 'windows', category: 'create_stream_hash' }, sysmon(15), sysmon(14)],
  ['process_tampering: Sysmon 25, not 24', { product: 'windows', category: 'process_tampering' }, sysmon(25), sysmon(24)],
  ['file_executable_detected: Sysmon 29, not 28', { product: 'windows', category: 'file_executable_detected' }, sysmon(29), sysmon(28)],
  ['sysmon_status: Sysmon 4, not 5', { product: 'windows', category: 'sysmon_status' }, sysmon(4), sysmon(5)],
  ['sysmon_error: Sysmon 255, not 25', { product: 'windows', category: 'sysmon_error' }, sysmon(255), sysmon(25)],
  ['ps_script: PowerShell 4104, not 4103', { product: 'windows', category: 'ps_script' }, { Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4104 }, { Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4103 }],
  ['ps_module: PowerShell 4103, not 4104', { product: 'windows', category: 'ps_module' }, { Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4103 }, { Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4104 }],
  ['ps_classic_start: Windows PowerShell 400, not 800', { product: 'windows', category: 'ps_classic_start' }, { Channel: 'Windows PowerShell', EventID: 400 }, { Channel: 'Windows PowerShell', EventID: 800 }],
  ['ps_classic_script: Windows PowerShell 800, not 400', { product: 'windows', category: 'ps_classic_script' }, { Channel: 'Windows PowerShell', EventID: 800 }, { Channel: 'Windows PowerShell', EventID: 400 }],
  ['file_access: Kernel-File 12, not a Sysmon event', { product: 'windows', category: 'file_access' }, { Channel: 'Microsoft-Windows-Kernel-File/Analytic', EventID: 12 }, sysmon(11)],
  ['service security: the Security channel, not System', { product: 'windows', service: 'security' }, { Channel: 'Security', EventID: 4624 }, { Channel: 'System', EventID: 7045 }],
  ['service system: the System channel, not Security', { product: 'windows', service: 'system' }, { Channel: 'System', EventID: 7045 }, { Channel: 'Security', EventID: 4624 }],
  ['service windefend: the Defender channel, not Security', { product: 'windows', service: 'windefend' }, { Channel: 'Microsoft-Windows-Windows Defender/Operational', EventID: 5001 }, { Channel: 'Security', EventID: 4624 }],
  ['service shell-core (no explicit entry): its channel, not Security', { product: 'windows', service: 'shell-core' }, { Channel: 'Microsoft-Windows-Shell-Core/Operational', EventID: 9707 }, { Channel: 'Security', EventID: 4624 }],
  ['antivirus: a Defender detection (1116), not a Sysmon 7 carrying its signer as Signature', { category: 'antivirus' }, { Channel: 'Microsoft-Windows-Windows Defender/Operational', EventID: 1116, 'Threat Name': 'EICAR' }, sysmon(7, { Signature: 'Microsoft Windows', ImageLoaded: 'C:\\Windows\\System32\\sechost.dll' })],
  ['antivirus: an AV product\'s ECS malware event, not a Defender status event', { category: 'antivirus' }, { event: { category: ['malware'], kind: 'alert' }, rule: { name: 'Trojan.Agent' } }, { Channel: 'Microsoft-Windows-Windows Defender/Operational', EventID: 5007 }],
  ['product windows: a Windows channel, not a Linux host', { product: 'windows' }, { Channel: 'Security', EventID: 4624 }, { host: { os: { type: 'linux', family: 'debian' } }, event: { module: 'system' } }],
  ['product linux: a Linux syslog event, not a Windows event whose host.os.family is windows', { product: 'linux' }, { event: { module: 'system', dataset: 'system.auth' }, log: { syslog: { appname: 'sshd' } } }, { host: { os: { family: 'windows', type: 'windows' } }, winlog: { channel: 'Security' }, event: { module: 'windows' } }],
  ['product linux: never a NXLog Windows event forwarded over syslog', { product: 'linux' }, { host: { os: { type: 'linux' } } }, { Channel: 'Security', EventID: 4624, log: { syslog: { appname: 'nxlog' } } }],
  ['linux process_creation: one audit serial with an EXECVE, not a lone PATH record', { product: 'linux', category: 'process_creation' }, auditSerial(['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PROCTITLE']), { event: { module: 'auditd' }, auditd: { log: { record_type: 'PATH' } } }],
  ['linux process_creation: an EDR process start on Linux, not on Windows', { product: 'linux', category: 'process_creation' }, edr('linux', 'process', 'start'), edr('windows', 'process', 'start')],
  ['linux service auditd: an auditd event, not an sshd line', { product: 'linux', service: 'auditd' }, auditSerial(['SYSCALL']), { event: { module: 'system', dataset: 'system.auth' }, process: { name: 'sshd' } }],
  ['linux service sshd: sshd, not sudo', { product: 'linux', service: 'sshd' }, { event: { module: 'system' }, process: { name: 'sshd' } }, { event: { module: 'system' }, process: { name: 'sudo' } }],
  ['linux file_event: a file creation, not a deletion', { product: 'linux', category: 'file_event' }, edr('linux', 'file', 'creation'), edr('linux', 'file', 'deletion')],
  ['macos process_creation: a macOS process start, not a Linux one', { product: 'macos', category: 'process_creation' }, edr('macos', 'process', 'start'), edr('linux', 'process', 'start')],
  ['webserver: an access log, not a Windows event', { category: 'webserver' }, { event: { category: ['web'] }, url: { original: '/index.php' } }, { Channel: 'Security', EventID: 4624, url: { original: 'x' } }],
  ['proxy: a proxy log, not a web server access log', { category: 'proxy' }, { observer: { type: 'proxy' }, url: { original: 'http://a/' } }, { event: { category: ['web'], module: 'nginx' }, url: { original: '/a' } }],
  ['firewall: a connection event, not a Windows Sysmon 3', { category: 'firewall' }, { event: { category: ['network'], type: ['denied'] }, destination: { port: 22 } }, winlogbeat(3, ['network'], ['connection'])],
  ['dns: a DNS log, not any network event', { category: 'dns' }, { dns: { question: { name: 'a.example' } } }, { event: { category: ['network'], type: ['connection'] } }],
  ['aws cloudtrail: a CloudTrail record, not a Windows event', { product: 'aws', service: 'cloudtrail' }, { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' }, { Channel: 'Security', EventID: 4720 }],
  ['okta: an Okta event, not a Windows event', { product: 'okta', service: 'okta' }, { eventType: 'user.session.start', actor: { id: 'x' } }, { Channel: 'Security', EventID: 4624 }],
  ['linux service sshd with a dataset: the Linux service template wins over the generic product/service one', { product: 'linux', service: 'sshd' }, { event: { module: 'system', dataset: 'system.auth' }, process: { name: 'sshd' } }, { event: { module: 'system', dataset: 'system.auth' }, process: { name: 'sudo' } }],
  ["another product's service: its dataset names it, not another of its datasets", { product: 'fortigate', service: 'event' }, { observer: { product: 'fortigate' }, event: { dataset: 'fortigate.event' } }, { observer: { product: 'fortigate' }, event: { dataset: 'fortigate.traffic' } }],
  ['azure signinlogs: its dataset, not the audit logs', { product: 'azure', service: 'signinlogs' }, { cloud: { provider: 'azure' }, event: { module: 'azure', dataset: 'azure.signinlogs' } }, { cloud: { provider: 'azure' }, event: { module: 'azure', dataset: 'azure.auditlogs' } }],
  ['another product: the event names it, not another product', { product: 'fortigate', service: 'event' }, { observer: { vendor: 'Fortinet', product: 'fortigate' } }, { observer: { vendor: 'Cisco', product: 'asa' } }],
];

describe('logsource gates: an event of the source passes, its near miss does not', () => {
  test.each(rows)('%s', (_name, logsource, pass, nearMiss) => {
    expect(fires(logsource, pass)).toBe(true);
    expect(fires(logsource, nearMiss)).toBe(false);
  });
});
