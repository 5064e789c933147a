/**
 * Windows events as Winlogbeat sends them (winlog.*), and as NXLog flattens them (EventID, Channel,
 * Hostname, EventData names at top level): Security, Sysmon, Defender, PowerShell, System.
 * Both shapes become one: winlog.* is kept (event_id and record_id as strings, EventData under
 * winlog.event_data so Sigma field mappings work) and ECS fields are added the way Elastic's
 * windows / system.security pipelines do.
 */
import type { Parser } from './types';
import { setPath } from '../../core/event';
import { Doc, append, get, localToEpoch, normalizeMac, set, setEndpoint, toInt, lookupTable } from './util';
import { LOGON_FAILURE_STATUS, LOGON_TYPES, SERVICE_TYPES, TRUST_ATTRIBUTES, TRUST_DIRECTIONS, TRUST_TYPES, scheduledTask, translateEventData, x509Subject } from './winlog_messages';

type Row = [action: string, category: string[], type: string[]];

const SECURITY: Record<string, Row> = lookupTable({
  '1100': ['logging-service-shutdown', ['process'], ['end']],
  '1102': ['audit-log-cleared', ['iam'], ['admin', 'change']],
  '1104': ['logging-full', ['iam'], ['admin']],
  '1108': ['logging-processing-error', ['iam'], ['admin']],
  '4608': ['windows-started', ['host'], ['start']],
  '4616': ['system-time-changed', ['host'], ['change']],
  '4624': ['logged-in', ['authentication'], ['start']],
  '4625': ['logon-failed', ['authentication'], ['start']],
  '4634': ['logged-out', ['authentication'], ['end']],
  '4647': ['logged-out', ['authentication'], ['end']],
  '4648': ['logged-in-explicit', ['authentication'], ['start']],
  '4656': ['object-handle-requested', ['file'], ['access']],
  '4657': ['registry-value-modified', ['registry', 'configuration'], ['change']],
  '4663': ['object-accessed', ['file'], ['access']],
  '4670': ['permissions-changed', ['iam', 'configuration'], ['admin', 'change']],
  '4672': ['logged-in-special', ['iam'], ['admin']],
  '4673': ['privileged-service-called', ['iam'], ['admin']],
  '4688': ['created-process', ['process'], ['start']],
  '4689': ['exited-process', ['process'], ['end']],
  '4697': ['service-installed', ['iam', 'configuration'], ['admin', 'change']],
  '4698': ['scheduled-task-created', ['iam', 'configuration'], ['creation', 'admin']],
  '4699': ['scheduled-task-deleted', ['iam', 'configuration'], ['deletion', 'admin']],
  '4700': ['scheduled-task-enabled', ['iam', 'configuration'], ['change', 'admin']],
  '4701': ['scheduled-task-disabled', ['iam', 'configuration'], ['change', 'admin']],
  '4702': ['scheduled-task-updated', ['iam', 'configuration'], ['change', 'admin']],
  '4704': ['user-right-assigned', ['iam'], ['change', 'user']],
  '4705': ['user-right-removed', ['iam'], ['change', 'user']],
  '4713': ['kerberos-policy-changed', ['configuration'], ['change']],
  '4717': ['system-security-access-granted', ['iam', 'configuration'], ['admin', 'change']],
  '4718': ['system-security-access-removed', ['iam', 'configuration'], ['admin', 'deletion']],
  '4719': ['changed-audit-config', ['iam', 'configuration'], ['admin', 'change']],
  '4720': ['added-user-account', ['iam'], ['user', 'creation']],
  '4722': ['enabled-user-account', ['iam'], ['user', 'change']],
  '4723': ['changed-password', ['iam'], ['user', 'change']],
  '4724': ['reset-password', ['iam'], ['user', 'change']],
  '4725': ['disabled-user-account', ['iam'], ['user', 'change']],
  '4726': ['deleted-user-account', ['iam'], ['user', 'deletion']],
  '4727': ['added-group-account', ['iam'], ['group', 'creation']],
  '4728': ['added-member-to-group', ['iam'], ['group', 'change']],
  '4729': ['removed-member-from-group', ['iam'], ['group', 'change']],
  '4730': ['deleted-group-account', ['iam'], ['group', 'deletion']],
  '4731': ['added-group-account', ['iam'], ['group', 'creation']],
  '4732': ['added-member-to-group', ['iam'], ['group', 'change']],
  '4733': ['removed-member-from-group', ['iam'], ['group', 'change']],
  '4734': ['deleted-group-account', ['iam'], ['group', 'deletion']],
  '4735': ['modified-group-account', ['iam'], ['group', 'change']],
  '4737': ['modified-group-account', ['iam'], ['group', 'change']],
  '4738': ['modified-user-account', ['iam'], ['user', 'change']],
  '4740': ['locked-out-user-account', ['iam'], ['user', 'change']],
  '4741': ['added-computer-account', ['iam'], ['creation', 'admin']],
  '4742': ['changed-computer-account', ['iam'], ['change', 'admin']],
  '4743': ['deleted-computer-account', ['iam'], ['deletion', 'admin']],
  '4744': ['added-distribution-group-account', ['iam'], ['group', 'creation']],
  '4745': ['changed-distribution-group-account', ['iam'], ['group', 'change']],
  '4746': ['added-member-to-distribution-group', ['iam'], ['group', 'change']],
  '4747': ['removed-member-from-distribution-group', ['iam'], ['group', 'change']],
  '4748': ['deleted-distribution-group-account', ['iam'], ['group', 'deletion']],
  '4749': ['added-distribution-group-account', ['iam'], ['group', 'creation']],
  '4750': ['changed-distribution-group-account', ['iam'], ['group', 'change']],
  '4751': ['added-member-to-distribution-group', ['iam'], ['group', 'change']],
  '4752': ['removed-member-from-distribution-group', ['iam'], ['group', 'change']],
  '4753': ['deleted-distribution-group-account', ['iam'], ['group', 'deletion']],
  '4754': ['added-group-account', ['iam'], ['group', 'creation']],
  '4755': ['modified-group-account', ['iam'], ['group', 'change']],
  '4756': ['added-member-to-group', ['iam'], ['group', 'change']],
  '4757': ['removed-member-from-group', ['iam'], ['group', 'change']],
  '4758': ['deleted-group-account', ['iam'], ['group', 'deletion']],
  '4759': ['added-distribution-group-account', ['iam'], ['group', 'creation']],
  '4760': ['changed-distribution-group-account', ['iam'], ['group', 'change']],
  '4761': ['added-member-to-distribution-group', ['iam'], ['group', 'change']],
  '4762': ['removed-member-from-distribution-group', ['iam'], ['group', 'change']],
  '4763': ['deleted-distribution-group-account', ['iam'], ['group', 'deletion']],
  '4764': ['type-changed-group-account', ['iam'], ['group', 'change']],
  '4767': ['unlocked-user-account', ['iam'], ['user', 'change']],
  '4768': ['kerberos-authentication-ticket-requested', ['authentication'], ['start']],
  '4769': ['kerberos-service-ticket-requested', ['authentication'], ['start']],
  '4770': ['kerberos-service-ticket-renewed', ['authentication'], ['start']],
  '4771': ['kerberos-preauth-failed', ['authentication'], ['start']],
  '4776': ['credential-validated', ['authentication'], ['start']],
  '4778': ['session-reconnected', ['authentication', 'session'], ['start']],
  '4779': ['session-disconnected', ['authentication', 'session'], ['end']],
  '4781': ['renamed-user-account', ['iam'], ['user', 'change']],
  '4798': ['group-membership-enumerated', ['iam'], ['group', 'info']],
  '4799': ['user-member-enumerated', ['iam'], ['group', 'info']],
  '4800': ['workstation-locked', ['authentication'], ['info']],
  '4801': ['workstation-unlocked', ['authentication'], ['info']],
  '4662': ['object-operation-performed', ['iam', 'configuration'], ['admin', 'change']],
  '4674': ['privileged-operation', ['iam'], ['admin']],
  '4706': ['domain-trust-added', ['configuration'], ['creation']],
  '4707': ['domain-trust-removed', ['configuration'], ['deletion']],
  '4716': ['domain-trust-modified', ['configuration'], ['change']],
  // Active Directory Certificate Services (4868-4898): certificate requests, revocations and CA settings
  '4868': ['certificate-manager-denied-pending-certificate-request', ['configuration'], ['change']],
  '4869': ['certificate-services-received-resubmitted-certificate-request', ['configuration'], ['info']],
  '4870': ['certificate-revoked', ['iam'], ['change']],
  '4871': ['certificate-revocation-list-publication-requested', ['iam'], ['info']],
  '4872': ['certificate-revocation-list-published', ['iam'], ['info']],
  '4873': ['certificate-request-extension-changed', ['iam'], ['change']],
  '4874': ['certificate-request-attributes-changed', ['iam'], ['change']],
  '4875': ['certificate-services-shutdown-requested', ['configuration'], ['info']],
  '4876': ['certificate-services-backup-started', ['session'], ['start']],
  '4877': ['certificate-services-backup-completed', ['session'], ['end']],
  '4878': ['certificate-services-restore-started', ['session'], ['start']],
  '4879': ['certificate-services-restore-completed', ['session'], ['end']],
  '4880': ['certificate-services-started', ['session'], ['start']],
  '4881': ['certificate-services-stopped', ['session'], ['end']],
  '4886': ['certificate-services-received-certificate-request', ['iam'], ['info']],
  '4887': ['certificate-services-approved-certificate-request', ['iam'], ['creation']],
  '4888': ['certificate-services-denied-certificate-request', ['iam'], ['info']],
  '4890': ['certificate-services-certificate-manager-settings-changed', ['configuration'], ['change']],
  '4891': ['certificate-services-configuration-entry-changed', ['configuration'], ['change']],
  '4892': ['certificate-services-property-changed', ['configuration'], ['change']],
  '4896': ['certificate-services-rows-deleted', ['configuration'], ['deletion']],
  '4898': ['certificate-services-template-loaded', ['configuration'], ['info']],
  '4902': ['user-audit-policy-created', ['iam', 'configuration'], ['admin', 'creation']],
  '4904': ['security-event-source-added', ['iam', 'configuration'], ['admin', 'change']],
  '4905': ['security-event-source-removed', ['iam', 'configuration'], ['admin', 'deletion']],
  '4906': ['crash-on-audit-fail-changed', ['iam', 'configuration'], ['admin', 'change']],
  '4907': ['audit-setting-changed', ['iam', 'configuration'], ['admin', 'change']],
  '4908': ['special-groups-table-changed', ['iam', 'configuration'], ['admin', 'change']],
  '4912': ['per-user-audit-policy-changed', ['iam', 'configuration'], ['admin', 'change']],
  '5136': ['directory-service-object-modified', ['iam', 'configuration'], ['admin', 'change']],
  '5137': ['directory-service-object-created', ['iam', 'configuration'], ['admin', 'creation']],
  '5138': ['directory-service-object-undeleted', ['iam', 'configuration'], ['admin', 'creation']],
  '5139': ['directory-service-object-moved', ['iam', 'configuration'], ['admin', 'change']],
  '5141': ['directory-service-object-deleted', ['iam', 'configuration'], ['admin', 'deletion']],
  '5140': ['network-share-object-accessed', ['network', 'file'], ['connection', 'access', 'allowed']],
  '5142': ['network-share-object-added', ['network', 'file'], ['creation']],
  '5144': ['network-share-object-deleted', ['network', 'file'], ['deletion']],
  '5145': ['network-share-object-access-checked', ['network', 'file'], ['connection', 'access']],
  '5156': ['windows-firewall-connection', ['network'], ['connection', 'allowed']],
  '5157': ['windows-firewall-connection-blocked', ['network'], ['connection', 'denied']],
});

const SYSMON: Record<string, Row> = lookupTable({
  '1': ['process-created', ['process'], ['start']],
  '2': ['file-creation-time-changed', ['file'], ['change']],
  '3': ['network-connection-detected', ['network'], ['connection', 'start']],
  '4': ['sysmon-service-state-changed', ['process'], ['change']],
  '5': ['process-terminated', ['process'], ['end']],
  '6': ['driver-loaded', ['driver'], ['start']],
  '7': ['image-loaded', ['process', 'library'], ['change', 'start']],
  '8': ['remote-thread-created', ['process'], ['change']],
  '9': ['raw-access-read', ['process'], ['access']],
  '10': ['process-accessed', ['process'], ['access']],
  '11': ['file-created', ['file'], ['creation']],
  '12': ['registry-created-or-deleted', ['configuration', 'registry'], ['change']],
  '13': ['registry-value-set', ['configuration', 'registry'], ['change']],
  '14': ['registry-renamed', ['configuration', 'registry'], ['change']],
  '15': ['file-stream-created', ['file'], ['access']],
  '16': ['sysmon-config-changed', ['configuration'], ['change']],
  '17': ['pipe-created', ['file'], ['creation']],
  '18': ['pipe-connected', ['file'], ['access']],
  '19': ['wmi-filter-registered', ['process'], ['change']],
  '20': ['wmi-consumer-registered', ['process'], ['change']],
  '21': ['wmi-consumer-filter-bound', ['process'], ['change']],
  '22': ['dns-query', ['network'], ['connection', 'protocol', 'info']],
  '23': ['file-deleted', ['file'], ['deletion']],
  '24': ['clipboard-changed', ['process'], ['change']],
  '25': ['process-tampering', ['process'], ['change']],
  '26': ['file-deleted-detected', ['file'], ['deletion']],
  '27': ['file-block-executable', ['file'], ['denied']],
  '28': ['file-block-shredding', ['file'], ['denied']],
  '29': ['file-executable-detected', ['file'], ['creation']],
});

const APPLOCKER_NUMBERS = ['FileHashLength', 'FilePathLength', 'FqbnLength', 'FullFilePathLength', 'PolicyNameLength', 'RuleNameLength', 'RuleSddlLength', 'TargetProcessId'];

const CLASSIC_CHANNELS: Record<string, string> = { security: 'Security', system: 'System', application: 'Application', setup: 'Setup' };

/** Top-level keys of NXLog's flattened events that are not EventData. */
const NXLOG_META = new Set([
  'EventTime', 'Hostname', 'Keywords', 'EventType', 'SeverityValue', 'Severity', 'EventID', 'SourceName', 'ProviderGuid', 'Version',
  'Task', 'OpcodeValue', 'RecordNumber', 'ActivityID', 'ExecutionProcessID', 'ExecutionThreadID', 'Channel', 'Domain', 'AccountName',
  'UserID', 'AccountType', 'Category', 'Opcode', 'EventReceivedTime', 'SourceModuleName', 'SourceModuleType', 'Message', 'TimeCreated',
  '@timestamp', '@version', 'host', 'port', 'tags', 'type', 'Level', 'LevelValue', 'ThreadID', 'ProcessID', 'log_name', 'source_name',
  'event_id', 'record_number', 'computer_name', 'EventRecordID', 'Execution',
]);

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function useful(v: unknown): v is string {
  return typeof v === 'string' && v !== '' && v !== '-';
}

/**
 * NXLog's EventTime is the Windows host's local time without a zone. When the shipper also stamped
 * @timestamp (UTC) and EventReceivedTime (local), their difference is the host's offset; otherwise the
 * source's configured zone applies.
 */
function eventTime(obj: Record<string, unknown>, tz: string): string | undefined {
  const et = str(obj.EventTime);
  const m = et ? /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(et.trim()) : null;
  if (!m) return et ? nxlogTime(et) : undefined;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? Number((m[7] + '00').slice(0, 3)) : 0);
  const at = typeof obj['@timestamp'] === 'string' ? Date.parse(obj['@timestamp'] as string) : NaN;
  const rcv = typeof obj.EventReceivedTime === 'string' ? Date.parse(`${(obj.EventReceivedTime as string).replace(' ', 'T')}Z`) : NaN;
  if (Number.isFinite(at) && Number.isFinite(rcv)) {
    const offset = Math.round((rcv - at) / 900000) * 900000;
    return new Date(asUtc - offset).toISOString();
  }
  return new Date(localToEpoch(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? Number((m[7] + '00').slice(0, 3)) : 0, tz)).toISOString();
}

/** NXLog → Winlogbeat shape. */
function fromNxlog(obj: Record<string, unknown>, tz: string): Record<string, unknown> {
  const eventData: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!NXLOG_META.has(k)) eventData[k] = v;
  const time = str(obj.TimeCreated) ? nxlogTime(str(obj.TimeCreated)!) : eventTime(obj, tz);
  const winlog: Record<string, unknown> = {
    channel: obj.Channel, event_id: str(obj.EventID), computer_name: obj.Hostname, provider_name: obj.SourceName,
    provider_guid: obj.ProviderGuid, record_id: str(obj.RecordNumber), task: obj.Category, opcode: obj.Opcode,
    keywords: typeof obj.Keywords === 'string' ? [obj.Keywords] : undefined, event_data: eventData,
    process: { pid: toInt(obj.ExecutionProcessID), thread: { id: toInt(obj.ExecutionThreadID) } },
    user: useful(obj.UserID) ? { identifier: obj.UserID, name: obj.AccountName, domain: obj.Domain, type: obj.AccountType } : undefined,
  };
  const out: Record<string, unknown> = { winlog };
  if (typeof obj['@timestamp'] === 'string') out['@timestamp'] = obj['@timestamp'];
  if (time) out._time = time;
  if (typeof obj.Message === 'string') out.message = obj.Message;
  if (typeof obj.Severity === 'string') out.log = { level: obj.Severity.toLowerCase() };
  return out;
}

function nxlogTime(t: string): string | undefined {
  // "2020-10-18 10:56:18.799" (NXLog TimeCreated without zone) is UTC
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(t.trim());
  if (!m) return undefined;
  const d = new Date(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function splitDomainUser(v: string): [string | undefined, string] {
  const i = v.indexOf('\\');
  return i >= 0 ? [v.slice(0, i), v.slice(i + 1)] : [undefined, v];
}

function setHashes(doc: Doc, prefix: string, hashes: unknown): void {
  if (typeof hashes !== 'string') return;
  for (const part of hashes.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const alg = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim().toLowerCase();
    const name = alg === 'imphash' ? undefined : alg.replace('-', '');
    if (alg === 'imphash') {
      set(doc, `${prefix}.pe.imphash`, value);
      append(doc, 'related.hash', value);
    }
    else if (name) {
      set(doc, `${prefix}.hash.${name}`, value);
      append(doc, 'related.hash', value);
    }
  }
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

function processFields(doc: Doc, ed: Record<string, unknown>): void {
  const image = ed.Image ?? ed.NewProcessName ?? ed.ProcessName;
  if (useful(image)) {
    set(doc, 'process.executable', image);
    set(doc, 'process.name', basename(image));
  }
  const pid = ed.ProcessId ?? ed.NewProcessId;
  const p = typeof pid === 'string' && /^0x/i.test(pid) ? parseInt(pid, 16) : toInt(pid);
  if (p !== undefined && !Number.isNaN(p)) set(doc, 'process.pid', p);
  if (useful(ed.ProcessGuid)) set(doc, 'process.entity_id', ed.ProcessGuid);
  if (useful(ed.CommandLine)) set(doc, 'process.command_line', ed.CommandLine);
  if (useful(ed.CurrentDirectory)) set(doc, 'process.working_directory', ed.CurrentDirectory);
  const parent = ed.ParentImage ?? ed.ParentProcessName;
  if (useful(parent)) {
    set(doc, 'process.parent.executable', parent);
    set(doc, 'process.parent.name', basename(parent));
  }
  if (ed.ParentProcessId !== undefined) {
    const v = typeof ed.ParentProcessId === 'string' && /^0x/i.test(ed.ParentProcessId) ? parseInt(ed.ParentProcessId, 16) : toInt(ed.ParentProcessId);
    if (v !== undefined && !Number.isNaN(v)) set(doc, 'process.parent.pid', v);
  }
  if (useful(ed.ParentProcessGuid)) set(doc, 'process.parent.entity_id', ed.ParentProcessGuid);
  if (useful(ed.ParentCommandLine)) set(doc, 'process.parent.command_line', ed.ParentCommandLine);
}

/** PE metadata Sysmon reports for the image an event is about (process for 1, loaded module for 6/7). */
function peFields(doc: Doc, prefix: string, ed: Record<string, unknown>): void {
  if (useful(ed.OriginalFileName)) set(doc, `${prefix}.pe.original_file_name`, ed.OriginalFileName);
  if (useful(ed.Company)) set(doc, `${prefix}.pe.company`, ed.Company);
  if (useful(ed.Description)) set(doc, `${prefix}.pe.description`, ed.Description);
  if (useful(ed.Product)) set(doc, `${prefix}.pe.product`, ed.Product);
  if (useful(ed.FileVersion)) set(doc, `${prefix}.pe.file_version`, ed.FileVersion);
}

function sysmon(doc: Doc, id: string, ed: Record<string, unknown>): void {
  processFields(doc, ed);
  if (useful(ed.User)) {
    const [domain, name] = splitDomainUser(ed.User);
    set(doc, 'user.domain', domain);
    set(doc, 'user.name', name);
  }
  if (id === '1') {
    setHashes(doc, 'process', ed.Hashes);
    peFields(doc, 'process', ed);
  }
  if (id === '7' || id === '6') {
    const loaded = ed.ImageLoaded;
    if (useful(loaded)) {
      // the loaded module is described both as dll.* and file.*, as Elastic does
      for (const prefix of id === '7' ? ['dll', 'file'] : ['file']) {
        set(doc, `${prefix}.path`, loaded);
        set(doc, `${prefix}.name`, basename(loaded));
        setHashes(doc, prefix, ed.Hashes);
        if (useful(ed.Signature)) set(doc, `${prefix}.code_signature.subject_name`, ed.Signature);
        if (ed.Signed === 'true' || ed.Signed === 'false') set(doc, `${prefix}.code_signature.signed`, ed.Signed === 'true');
        else if (useful(ed.Signed)) {
          // Sysmon writes a verification failure into Signed ("failed: Invalid hash")
          if (prefix === 'dll') set(doc, 'dll.code_signature.status', ed.Signed);
          else set(doc, 'file.code_signature.trusted', false);
        }
        if (useful(ed.SignatureStatus)) {
          set(doc, `${prefix}.code_signature.status`, ed.SignatureStatus);
          set(doc, `${prefix}.code_signature.valid`, ed.SignatureStatus === 'Valid');
        }
        if (prefix === 'file') {
          peFields(doc, 'file', ed);
          const dir = loaded.lastIndexOf('\\');
          if (dir > 0) set(doc, 'file.directory', loaded.slice(0, dir));
          const ext = /\.([^.\\]+)$/.exec(loaded);
          if (ext) set(doc, 'file.extension', ext[1].toLowerCase());
        } else if (useful(ed.OriginalFileName)) set(doc, 'dll.pe.original_file_name', ed.OriginalFileName);
      }
    }
  }
  if (useful(ed.UtcTime)) {
    const t = nxlogTime(String(ed.UtcTime));
    if (t) doc['@timestamp'] = t;
  }
  if (id === '3') {
    setEndpoint(doc, 'source', ed.SourceIp, ed.SourcePort);
    setEndpoint(doc, 'destination', ed.DestinationIp, ed.DestinationPort);
    if (useful(ed.SourceHostname)) set(doc, 'source.domain', ed.SourceHostname);
    if (useful(ed.DestinationHostname)) set(doc, 'destination.domain', ed.DestinationHostname);
    if (useful(ed.Protocol)) set(doc, 'network.transport', ed.Protocol.toLowerCase());
    if (useful(ed.DestinationPortName)) set(doc, 'network.protocol', ed.DestinationPortName);
    set(doc, 'network.direction', ed.Initiated === 'true' ? 'egress' : ed.Initiated === 'false' ? 'ingress' : undefined);
    set(doc, 'network.type', typeof ed.SourceIsIpv6 === 'string' ? (ed.SourceIsIpv6 === 'true' ? 'ipv6' : 'ipv4') : undefined);
  }
  if (id === '8' || id === '10') {
    const target = ed.TargetImage;
    if (useful(target)) {
      set(doc, 'winlog.event_data.TargetImage', target);
      set(doc, 'process.target.executable', target);
    }
  }
  if (['2', '11', '15', '23', '26', '27', '28', '29'].includes(id) && useful(ed.TargetFilename)) {
    set(doc, 'file.path', ed.TargetFilename);
    set(doc, 'file.name', basename(ed.TargetFilename));
    const ext = /\.([^.\\/]+)$/.exec(ed.TargetFilename);
    if (ext) set(doc, 'file.extension', ext[1].toLowerCase());
    setHashes(doc, 'file', ed.Hashes);
  }
  if (['12', '13', '14'].includes(id) && useful(ed.TargetObject)) {
    set(doc, 'registry.path', ed.TargetObject);
    const parts = ed.TargetObject.split('\\');
    set(doc, 'registry.hive', parts[0]);
    set(doc, 'registry.key', parts.slice(1, -1).join('\\'));
    set(doc, 'registry.value', parts[parts.length - 1]);
    if (useful(ed.Details)) set(doc, 'registry.data.strings', [ed.Details]);
  }
  if (id === '17' || id === '18') {
    if (useful(ed.PipeName)) set(doc, 'file.name', ed.PipeName);
  }
  if (id === '22') {
    set(doc, 'dns.question.name', ed.QueryName);
    set(doc, 'network.protocol', 'dns');
    if (useful(ed.QueryResults)) {
      const ips = ed.QueryResults.split(';').map((s) => s.replace(/^::ffff:/, '').trim()).filter((s) => /^[0-9a-fA-F:.]+$/.test(s) && s.length > 2);
      if (ips.length) set(doc, 'dns.resolved_ip', ips);
    }
  }
}

function security(doc: Doc, id: string, ed: Record<string, unknown>): void {
  const { failureReason, operation } = translateEventData(id, ed);
  const subject = { name: ed.SubjectUserName, domain: ed.SubjectDomainName, id: ed.SubjectUserSid };
  const target = { name: ed.TargetUserName, domain: ed.TargetDomainName, id: ed.TargetUserSid ?? ed.TargetSid };
  const logon = ['4624', '4625', '4634', '4647', '4648', '4672', '4768', '4769', '4770', '4771', '4776', '4778', '4779'].includes(id);
  const group = /^47(2[7-9]|3[0-5]|3[7]|4[4-9]|5\d|6[0-4])$/.test(id) || id === '4799';
  if (logon && useful(target.name)) {
    set(doc, 'user.name', target.name);
    if (useful(target.domain)) set(doc, 'user.domain', target.domain);
    if (useful(target.id)) set(doc, 'user.id', target.id);
    if (useful(subject.name) && subject.name !== target.name) {
      set(doc, 'user.effective.name', subject.name);
      if (useful(subject.domain)) set(doc, 'user.effective.domain', subject.domain);
    }
  } else if (useful(subject.name)) {
    set(doc, 'user.name', subject.name);
    if (useful(subject.domain)) set(doc, 'user.domain', subject.domain);
    if (useful(subject.id)) set(doc, 'user.id', subject.id);
    if (group) {
      set(doc, 'group.name', target.name);
      set(doc, 'group.domain', target.domain);
      set(doc, 'group.id', target.id);
      const member = ed.MemberName;
      if (useful(member)) {
        // a comma inside a name is escaped (CN=Smith\, John,OU=...)
        const cn = /^CN=((?:\\.|[^,\\])+)/i.exec(member);
        set(doc, 'user.target.name', cn ? cn[1] : member);
        const dc = /DC=([^,]+)/i.exec(member);
        if (dc) set(doc, 'user.target.domain', dc[1].toUpperCase());
        set(doc, 'user.target.group.name', target.name);
        set(doc, 'user.target.group.domain', target.domain);
        set(doc, 'user.target.group.id', target.id);
      }
    } else if (useful(target.name) || useful(target.id)) {
      if (useful(target.name)) set(doc, 'user.target.name', target.name);
      if (useful(target.domain)) set(doc, 'user.target.domain', target.domain);
      if (useful(target.id)) set(doc, 'user.target.id', target.id);
    }
  } else if (useful(target.name)) {
    set(doc, 'user.name', target.name);
    if (useful(target.domain)) set(doc, 'user.domain', target.domain);
  }
  if (id === '4704' || id === '4705') {
    if (useful(ed.TargetSid)) set(doc, 'user.target.id', ed.TargetSid);
  }
  const logonId = ed.TargetLogonId ?? ed.SubjectLogonId;
  if (useful(logonId)) set(doc, 'winlog.logon.id', logonId.toLowerCase());
  if (useful(ed.LogonType)) set(doc, 'winlog.logon.type', LOGON_TYPES[ed.LogonType] ?? ed.LogonType);
  const ip = ed.IpAddress ?? ed.ClientAddress ?? ed.SourceAddress;
  if (useful(ip)) setEndpoint(doc, 'source', ip.replace(/^::ffff:/, ''), useful(ed.IpPort) && ed.IpPort !== '0' ? ed.IpPort : undefined);
  if (useful(ed.WorkstationName)) set(doc, 'source.domain', ed.WorkstationName);
  if (id === '4625' || id === '4776' || id === '4771') {
    // 4625/4776 carry an NTSTATUS, described as Elastic does; 4771's Kerberos code is described in StatusDescription
    const describe = (v: string) => (id === '4771' ? v : LOGON_FAILURE_STATUS[v.toLowerCase()] ?? v);
    if (useful(ed.Status)) set(doc, 'winlog.logon.failure.status', describe(ed.Status));
    if (useful(ed.SubStatus)) set(doc, 'winlog.logon.failure.sub_status', describe(ed.SubStatus));
  }
  if (failureReason) set(doc, 'winlog.logon.failure.reason', failureReason);
  if (['4688', '4689'].includes(id)) processFields(doc, ed);
  else {
    // the process that did the operation (4656, 4674, 4904, 4907...)
    if (useful(ed.ProcessName)) {
      set(doc, 'process.executable', ed.ProcessName);
      set(doc, 'process.name', basename(ed.ProcessName));
    }
    const pid = typeof ed.ProcessId === 'string' && /^0x[0-9a-f]+$/i.test(ed.ProcessId) ? parseInt(ed.ProcessId, 16) : toInt(ed.ProcessId);
    if (pid !== undefined && !Number.isNaN(pid)) set(doc, 'process.pid', pid);
  }
  if (id === '5136' && operation) set(doc, 'event.reason', operation);
  if (/^51(3[6-9]|41)$/.test(id) && ed.ObjectClass === 'user' && useful(ed.ObjectDN) && !get(doc, 'user.target.name')) {
    const cn = /^CN=((?:\\.|[^,\\])+)/i.exec(ed.ObjectDN);
    if (cn) set(doc, 'user.target.name', cn[1].replace(/\\(.)/g, '$1'));
  }
  if (['4698', '4699', '4700', '4701', '4702'].includes(id)) {
    const task = scheduledTask(ed.TaskName, id === '4702' ? ed.TaskContentNew : ed.TaskContent);
    if (task) set(doc, 'winlog.scheduled_task', task);
  }
  if (typeof ed.ServiceType === 'string' && SERVICE_TYPES[ed.ServiceType]) set(doc, 'service.type', SERVICE_TYPES[ed.ServiceType]);
  if (typeof ed.TdoType === 'string' && TRUST_TYPES[ed.TdoType]) set(doc, 'winlog.trustType', TRUST_TYPES[ed.TdoType]);
  if (typeof ed.TdoDirection === 'string' && TRUST_DIRECTIONS[ed.TdoDirection]) set(doc, 'winlog.trustDirection', TRUST_DIRECTIONS[ed.TdoDirection]);
  if (typeof ed.TdoAttributes === 'string' && TRUST_ATTRIBUTES[ed.TdoAttributes]) set(doc, 'winlog.trustAttribute', TRUST_ATTRIBUTES[ed.TdoAttributes]);
  if (typeof ed.PrivilegeList === 'string' && ed.PrivilegeList !== '-') set(doc, 'winlog.event_data.PrivilegeList', ed.PrivilegeList.split(/\s+/).filter(Boolean));
  if (useful(ed.ObjectName)) set(doc, 'file.path', ed.ObjectName);
  if (useful(ed.ServiceName)) set(doc, 'service.name', ed.ServiceName);
  if (useful(ed.TaskName)) set(doc, 'winlog.event_data.TaskName', ed.TaskName);
}

function defender(doc: Doc, id: string, ed: Record<string, unknown>): void {
  const threat = ed['Threat Name'] ?? ed.ThreatName;
  if (['1006', '1007', '1008', '1015', '1116', '1117', '1118', '1119'].includes(id)) {
    set(doc, 'event.kind', 'alert');
    set(doc, 'event.category', ['malware']);
    set(doc, 'event.type', id === '1117' ? ['info', 'deletion'] : ['info']);
    set(doc, 'event.action', id === '1117' || id === '1007' ? 'malware-action-taken' : 'malware-detected');
    set(doc, 'event.outcome', id === '1118' || id === '1119' || id === '1008' ? 'failure' : 'success');
    if (useful(threat)) {
      set(doc, 'rule.name', threat);
      set(doc, 'threat.software.name', threat);
    }
    const cat = ed['Category Name'];
    if (useful(cat)) set(doc, 'threat.software.type', cat);
    const path = ed.Path;
    if (useful(path)) {
      // "file:_C:\Users\x\eicar.com;process:_pid:1234" → the first file entry
      const first = path.split(';').find((p) => p.startsWith('file:_')) ?? path.split(';')[0];
      const clean = first.replace(/^(file|containerfile|process|regkey|webfile):_/, '');
      set(doc, 'file.path', clean);
      set(doc, 'file.name', basename(clean));
    }
    const u = ed['Detection User'];
    if (useful(u)) {
      const [domain, name] = splitDomainUser(u);
      set(doc, 'user.domain', domain);
      set(doc, 'user.name', name);
    }
    const proc = ed['Process Name'];
    if (useful(proc) && proc !== 'Unknown') {
      set(doc, 'process.executable', proc);
      set(doc, 'process.name', basename(proc));
    }
    if (useful(ed['Action Name'])) set(doc, 'winlog.event_data.Action Name', ed['Action Name']);
  } else if (id === '5001' || id === '5010' || id === '5012') {
    set(doc, 'event.category', ['configuration']);
    set(doc, 'event.type', ['change']);
    set(doc, 'event.action', 'protection-disabled');
  }
}

function powershell(doc: Doc, id: string, ed: Record<string, unknown>): void {
  set(doc, 'event.category', ['process']);
  set(doc, 'event.type', ['info']);
  if (id === '4104' || id === '4105' || id === '4106') {
    set(doc, 'event.action', 'execute-script-block');
    set(doc, 'powershell.file.script_block_text', ed.ScriptBlockText);
    set(doc, 'powershell.file.script_block_id', ed.ScriptBlockId);
    if (toInt(ed.MessageNumber) !== undefined) set(doc, 'powershell.sequence', toInt(ed.MessageNumber));
    if (toInt(ed.MessageTotal) !== undefined) set(doc, 'powershell.total', toInt(ed.MessageTotal));
    if (useful(ed.Path)) {
      set(doc, 'file.path', ed.Path);
      set(doc, 'file.name', basename(ed.Path));
    }
  } else if (id === '4103') {
    set(doc, 'event.action', 'execute-module');
    set(doc, 'powershell.command.value', ed.Payload);
  } else if (['400', '403', '600', '800'].includes(id)) {
    set(doc, 'event.action', id === '400' ? 'engine-started' : id === '403' ? 'engine-stopped' : id === '600' ? 'provider-started' : 'pipeline-executed');
    const hostApp = /HostApplication=(.*?)(?:\r?\n|$)/.exec(String(ed.param3 ?? ed.Data ?? ''));
    if (hostApp) set(doc, 'process.command_line', hostApp[1].trim());
  }
}

export function mapWinlog(doc: Doc, input: Record<string, unknown>, tz: string): void {
  const src = input.winlog ? input : fromNxlog(input, tz);
  const nxTime = src._time as string | undefined;
  delete src._time;
  // keep everything the agent sent, then normalize
  for (const [k, v] of Object.entries(src)) if (k !== 'event') doc[k] = v;
  const agentEvent = (src.event ?? {}) as Doc;
  for (const [k, v] of Object.entries(agentEvent)) if (k !== 'original' && k !== 'id' && (doc.event as Doc)[k] === undefined) (doc.event as Doc)[k] = v;
  const w = (doc.winlog ?? {}) as Doc;
  doc.winlog = w;
  // NXLog sometimes lower-cases the classic channels; Sigma logsources name them as Windows does
  if (typeof w.channel === 'string') w.channel = CLASSIC_CHANNELS[w.channel.toLowerCase()] ?? w.channel;
  const id = str(w.event_id) ?? '';
  if (id) w.event_id = id;
  if (w.record_id !== undefined) w.record_id = str(w.record_id);
  // some agents pass the rendered opcode with its C string's NUL ("Info\u0000")
  if (typeof w.opcode === 'string') w.opcode = w.opcode.replace(/\u0000+$/, '');
  set(doc, 'event.code', id || undefined);
  set(doc, 'event.provider', w.provider_name);
  const ed = (w.event_data ?? w.user_data ?? {}) as Record<string, unknown>;
  const channel = String(w.channel ?? '').toLowerCase();
  const provider = String(w.provider_name ?? '');
  // time: the event's own creation time beats the shipper's read time
  const created = typeof w.time_created === 'string' ? w.time_created : nxTime;
  const t = created ? nxlogTime(created) ?? (Number.isNaN(Date.parse(created)) ? undefined : new Date(created).toISOString()) : undefined;
  const at = typeof doc['@timestamp'] === 'string' && !Number.isNaN(Date.parse(doc['@timestamp'] as string)) ? new Date(doc['@timestamp'] as string).toISOString() : undefined;
  doc['@timestamp'] = t ?? at ?? '';
  if (w.computer_name && !get(doc, 'host.name')) set(doc, 'host.name', w.computer_name);
  if (typeof w.level === 'string' && !get(doc, 'log.level')) set(doc, 'log.level', w.level.toLowerCase());
  const kw = Array.isArray(w.keywords) ? (w.keywords as string[]) : [];
  if (kw.includes('Audit Success')) {
    set(doc, 'event.outcome', 'success');
    w.outcome = 'success';
  } else if (kw.includes('Audit Failure')) {
    set(doc, 'event.outcome', 'failure');
    w.outcome = 'failure';
  }
  let row: Row | undefined;
  if (channel === 'security' || provider === 'Microsoft-Windows-Security-Auditing' || provider === 'Microsoft-Windows-Eventlog') {
    row = SECURITY[id];
    if (row) applyRow(doc, row);
    security(doc, id, ed);
  } else if (channel.includes('sysmon') || provider === 'Microsoft-Windows-Sysmon') {
    row = SYSMON[id];
    if (row) applyRow(doc, row);
    sysmon(doc, id, ed);
  } else if (channel.includes('windows defender') || provider.includes('Windows Defender')) {
    defender(doc, id, ed);
  } else if (channel.includes('powershell') || provider.includes('PowerShell')) {
    powershell(doc, id, ed);
  } else if (channel.includes('applocker') || provider === 'Microsoft-Windows-AppLocker') {
    // the lengths and the process id are numbers (Elastic converts these; PackageLength stays a string there)
    for (const k of APPLOCKER_NUMBERS) if (typeof ed[k] === 'string' && /^\d+$/.test(ed[k] as string)) ed[k] = Number(ed[k]);
    set(doc, 'event.category', ['process']);
    set(doc, 'event.type', ['start']);
    const fp = ed.FullFilePath ?? ed.FilePath;
    if (useful(fp)) {
      set(doc, 'file.path', fp);
      set(doc, 'file.name', basename(fp));
    }
    if (useful(ed.FileHash)) set(doc, 'file.hash.sha256', ed.FileHash);
    if (useful(ed.TargetUser)) set(doc, 'user.id', ed.TargetUser);
    if (toInt(ed.TargetProcessId) !== undefined) set(doc, 'process.pid', toInt(ed.TargetProcessId));
    if (typeof ed.Fqbn === 'string' && ed.Fqbn !== '-') {
      // publisher\product\original file name\version (fully qualified binary name)
      const parts = ed.Fqbn.split('\\');
      for (const [k, v] of Object.entries(x509Subject(parts[0] ?? ''))) set(doc, `file.x509.subject.${k}`, v);
      if (parts.length >= 4) {
        setPath(doc, 'file.pe.product', parts[1]);
        setPath(doc, 'file.pe.original_file_name', parts[2]);
        setPath(doc, 'file.pe.file_version', parts[3]);
      }
    }
  } else if (channel === 'system' && id === '7045') {
    set(doc, 'event.action', 'service-installed');
    set(doc, 'event.category', ['configuration']);
    set(doc, 'event.type', ['creation']);
    if (useful(ed.ServiceName)) set(doc, 'service.name', ed.ServiceName);
    if (useful(ed.ImagePath)) set(doc, 'service.executable', ed.ImagePath);
  }
  if (useful((w.user as Doc | undefined)?.name) && !get(doc, 'user.name')) {
    set(doc, 'user.name', (w.user as Doc).name);
    set(doc, 'user.domain', (w.user as Doc).domain);
  }
  if (useful((w.user as Doc | undefined)?.identifier) && !get(doc, 'user.id') && (channel.includes('applocker') || channel.includes('sysmon'))) set(doc, 'user.id', (w.user as Doc).identifier);
  const mac = normalizeMac(ed.MacAddress);
  if (mac) set(doc, 'host.mac', [mac]);
  // an event log record comes from a Windows machine (Elastic: host.os.family/type windows)
  if (!get(doc, 'host.os.type')) set(doc, 'host.os.type', 'windows');
  if (!get(doc, 'host.os.family')) set(doc, 'host.os.family', 'windows');
  // Winlogbeat puts rendered text in message; keep it
}

function applyRow(doc: Doc, row: Row): void {
  const ev = doc.event as Doc;
  if (typeof ev.action !== 'string' || /\s/.test(ev.action)) ev.action = row[0];
  ev.category = [...row[1]];
  ev.type = [...row[2]];
}

export const winlog: Parser = {
  name: 'winlog',
  dataset: 'windows.forwarded',
  module: 'windows',
  detectObject: (o) =>
    (typeof o.winlog === 'object' && o.winlog !== null && ('event_id' in (o.winlog as Doc) || 'channel' in (o.winlog as Doc))) ||
    (o.EventID !== undefined && (o.Channel !== undefined || o.SourceName !== undefined)),
  parseObject(doc, obj, ctx) {
    mapWinlog(doc, obj, ctx.timezone);
  },
};
