/**
 * Windows Security message-table codes and bit fields, translated the way Elastic's windows / system.security
 * ingest pipelines do: `%%1537` (msobjs.dll message ids) become their text, hex access masks their rights,
 * status and option codes their names. Tables are data; each function translates one event_data field.
 * Sources: msobjs.dll's message table on Windows Server 2019 (as Elastic lists it), Microsoft's audit event docs.
 */
import { lookupTable } from './util';

/** Consecutive message ids from `start`, one name each ('|'-separated). */
type Run = [start: number, names: string];

const UNDEFINED_BIT = (bit: number) => `Undefined Access (no effect) Bit ${bit}`;

/**
 * An object type's 16 specific-access bits start at `base`: the named rights, then (and in empty slots)
 * "Undefined Access (no effect) Bit n", as the message table has them.
 */
const ACCESS_BLOCKS: Run[] = [
  [4352, 'Device Access Bit 0|Device Access Bit 1|Device Access Bit 2|Device Access Bit 3|Device Access Bit 4|Device Access Bit 5|Device Access Bit 6|Device Access Bit 7|Device Access Bit 8'],
  [4368, 'Query directory|Traverse|Create object in directory|Create sub-directory'],
  [4384, 'Query event state|Modify event state'],
  [4416, 'ReadData (or ListDirectory)|WriteData (or AddFile)|AppendData (or AddSubdirectory or CreatePipeInstance)|ReadEA|WriteEA|Execute/Traverse|DeleteChild|ReadAttributes|WriteAttributes'],
  [4432, 'Query key value|Set key value|Create sub-key|Enumerate sub-keys|Notify about changes to keys|Create Link|||Enable 64(or 32) bit application to open 64 bit key|Enable 64(or 32) bit application to open 32 bit key'],
  [4448, 'Query mutant state'],
  [4464, 'Communicate using port'],
  [4480, 'Force process termination|Create new thread in process|Set process session ID|Perform virtual memory operation|Read from process memory|Write to process memory|Duplicate handle into or out of process|Create a subprocess of process|Set process quotas|Set process information|Query process information|Set process termination port'],
  [4496, 'Control profile'],
  [4512, 'Query section state|Map section for write|Map section for read|Map section for execute|Extend size'],
  [4528, 'Query semaphore state|Modify semaphore state'],
  [4544, 'Use symbolic link'],
  [4560, 'Force thread termination|Suspend or resume thread|Send an alert to thread|Get thread context|Set thread context|Set thread information|Query thread information|Assign a token to the thread|Cause thread to directly impersonate another thread|Directly impersonate this thread'],
  [4576, 'Query timer state|Modify timer state'],
  [4592, 'AssignAsPrimary|Duplicate|Impersonate|Query|QuerySource|AdjustPrivileges|AdjustGroups|AdjustDefaultDacl|AdjustSessionID'],
  [4608, 'Create instance of object type'],
  [5120, 'Channel read message|Channel write message|Channel query information|Channel set information'],
  [5136, 'Assign process|Set Attributes|Query Attributes|Terminate Job|Set Security Attributes'],
  [5376, 'ConnectToServer|ShutdownServer|InitializeServer|CreateDomain|EnumerateDomains|LookupDomain'],
  [5392, 'ReadPasswordParameters|WritePasswordParameters|ReadOtherParameters|WriteOtherParameters|CreateUser|CreateGlobalGroup|CreateLocalGroup|GetLocalGroupMembership|ListAccounts|LookupIDs|AdministerServer'],
  [5408, 'ReadInformation|WriteAccount|AddMember|RemoveMember|ListMembers'],
  [5424, 'AddMember|RemoveMember|ListMembers|ReadInformation|WriteAccount'],
  [5440, 'ReadGeneralInformation|ReadPreferences|WritePreferences|ReadLogon|ReadAccount|WriteAccount|ChangePassword (with knowledge of old password)|SetPassword (without knowledge of old password)|ListGroups|ReadGroupMembership|ChangeGroupMembership'],
  [5648, 'Change secret value|Query secret value'],
  [5664, 'Query trusted domain name/SID|Retrieve the controllers in the trusted domain|Change the controllers in the trusted domain|Query the Posix ID offset assigned to the trusted domain|Change the Posix ID offset assigned to the trusted domain'],
  [5680, 'Query account information|Change privileges assigned to account|Change quotas assigned to account|Change logon capabilities assigned to account|Change the Posix ID offset assigned to the accounted domain'],
  [5696, 'KeyedEvent Wait|KeyedEvent Wake'],
  [7680, 'Create Child|Delete Child|List Contents|Write Self|Read Property|Write Property|Delete Tree|List Object|Control Access'],
];

const UAC_FLAGS = [
  'Home Directory Required', 'Password Not Required', 'Temp Duplicate Account', 'Normal Account', 'MNS Logon Account', 'Interdomain Trust Account',
  'Workstation Trust Account', 'Server Trust Account', "Don't Expire Password", '', 'Encrypted Text Password Allowed', 'Smartcard Required',
  'Trusted For Delegation', 'Not Delegated', 'Use DES Key Only', "Don't Require Preauth", 'Password Expired', 'Trusted To Authenticate For Delegation',
  'Exclude Authorization Information', 'Undefined UserAccountControl Bit 20', 'Protect Kerberos Service Tickets with AES Keys',
  ...Array.from({ length: 10 }, (_, i) => `Undefined UserAccountControl Bit ${i + 22}`),
];

const RUNS: Run[] = [
  [279, UNDEFINED_BIT(7)],
  [1536, 'Unused message ID|DELETE|READ_CONTROL|WRITE_DAC|WRITE_OWNER|SYNCHRONIZE|ACCESS_SYS_SEC|MAX_ALLOWED'],
  [1552, Array.from({ length: 16 }, (_, i) => `Unknown specific access (bit ${i})`).join('|')],
  [1601, 'Not used'],
  [1603, 'Assign Primary Token Privilege|Lock Memory Privilege|Increase Memory Quota Privilege|Unsolicited Input Privilege|Trusted Computer Base Privilege|Security Privilege|Take Ownership Privilege|Load/Unload Driver Privilege|Profile System Privilege|Set System Time Privilege|Profile Single Process Privilege|Increment Base Priority Privilege|Create Pagefile Privilege|Create Permanent Object Privilege|Backup Privilege|Restore From Backup Privilege|Shutdown System Privilege|Debug Privilege|View or Change Audit Log Privilege|Change Hardware Environment Privilege|Change Notify (and Traverse) Privilege|Remotely Shut System Down Privilege'],
  [1792, "<value changed|<value not set>|<never>|Enabled|Disabled|All|None|Audit Policy query/set API Operation|<Value change auditing for this registry type is not supported>|Granted by|Denied by|Denied by Integrity Policy check|Granted by Ownership|Not granted|Granted by NULL DACL|Denied by Empty DACL|Granted by NULL Security Descriptor|Unknown or unchecked|Not granted due to missing|Granted by ACE on parent folder|Denied by ACE on parent folder|Granted by Central Access Rule|NOT Granted by Central Access Rule|Granted by parent folder's Central Access Rule|NOT Granted by parent folder's Central Access Rule|Unknown Type|String|Unsigned 64-bit Integer|64-bit Integer|FQBN|Blob|Sid|Boolean|TRUE|FALSE|Invalid|an ACE too long to display|a Security Descriptor too long to display|Not granted to AppContainers|...|Identification|Impersonation"],
  [1840, 'Delegation|Denied by Process Trust Label ACE|Yes|No|System|Not Available|Default|DisallowMmConfig|Off|Auto'],
  [1872, 'REG_NONE|REG_SZ|REG_EXPAND_SZ|REG_BINARY|REG_DWORD|REG_DWORD_BIG_ENDIAN|REG_LINK|REG_MULTI_SZ (New lines are replaced with *. A * is replaced with **)|REG_RESOURCE_LIST|REG_FULL_RESOURCE_DESCRIPTOR|REG_RESOURCE_REQUIREMENTS_LIST|REG_QWORD'],
  [1904, 'New registry value created|Existing registry value modified|Registry value deleted'],
  [1920, 'Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday'],
  [1936, 'TokenElevationTypeDefault (1)|TokenElevationTypeFull (2)|TokenElevationTypeLimited (3)'],
  [2048, ['Account Enabled', ...UAC_FLAGS.map((f, i) => (i === 9 ? 'Account Unlocked' : `${f}' - Disabled`))].join('|')],
  [2080, ['Account Disabled', ...UAC_FLAGS.map((f, i) => (i === 9 ? 'Account Locked' : `${f}' - Enabled`))].join('|')],
  [2304, "An Error occured during Logon.|The specified user account has expired.|The NetLogon component is not active.|Account locked out.|The user has not been granted the requested logon type at this machine.|The specified account's password has expired.|Account currently disabled.|Account logon time restriction violation.|User not allowed to logon at this computer.|Unknown user name or bad password.|Domain sid inconsistent.|Smartcard logon is required and was not used."],
  [2432, 'Not Available.'],
  [2436, 'Random number generator failure.|Random number generation failed FIPS-140 pre-hash check.|Failed to zero secret data.|Key failed pair wise consistency check.'],
  [2448, 'Failed to unprotect persistent cryptographic key.|Key export checks failed.|Validation of public key failed.|Signature verification failed.'],
  [2456, 'Open key file.|Delete key file.|Read persisted key from file.|Write persisted key to file.'],
  [2464, 'Export of persistent cryptographic key.|Import of persistent cryptographic key.'],
  [2480, 'Open Key.|Create Key.|Delete Key.|Encrypt.|Decrypt.|Sign hash.|Secret agreement.|Domain settings|Local settings|Add provider.|Remove provider.|Add context.|Remove context.|Add function.|Remove function.|Add function provider.|Remove function provider.|Add function property.|Remove function property.|Machine key.|User key.|Key Derivation.'],
  [4864, 'Query State|Modify State'],
  [5632, 'View non-sensitive policy information|View system audit requirements|Get sensitive policy information|Modify domain trust relationships|Create special accounts (for assignment of user rights)|Create a secret object|Create a privilege|Set default quota limits|Change system audit requirements|Administer audit log attributes|Enable/Disable LSA|Lookup Names/SIDs'],
  [6656, 'Enumerate desktops|Read attributes|Access Clipboard|Create desktop|Write attributes|Access global atoms|Exit windows|Unused Access Flag|Include this windowstation in enumerations|Read screen'],
  [6672, 'Read Objects|Create window|Create menu|Hook control|Journal (record)|Journal (playback)|Include this desktop in enumerations|Write objects|Switch to this desktop'],
  [6912, 'Administer print server|Enumerate printers'],
  [6930, 'Full Control|Print'],
  [6948, 'Administer Document'],
  [7168, 'Connect to service controller|Create a new service|Enumerate services|Lock service database for exclusive access|Query service database lock state|Set last-known-good state of service database'],
  [7184, 'Query service configuration information|Set service configuration information|Query status of service|Enumerate dependencies of service|Start the service|Stop the service|Pause or continue the service|Query information from service|Issue service-specific control commands'],
  [7424, 'DDE Share Read|DDE Share Write|DDE Share Initiate Static|DDE Share Initiate Link|DDE Share Request|DDE Share Advise|DDE Share Poke|DDE Share Execute|DDE Share Add Items|DDE Share List Items'],
  [7936, 'Audit Set System Policy|Audit Query System Policy|Audit Set Per User Policy|Audit Query Per User Policy|Audit Enumerate Users|Audit Set Options|Audit Query Options'],
  [8064, 'Port sharing (read)|Port sharing (write)'],
  [8096, 'Default credentials|Credentials manager|Fresh credentials'],
  [8192, 'Kerberos|Preshared key|Unknown authentication|DES|3DES|MD5|SHA1|Local computer|Remote computer|No state|Sent first (SA) payload|Sent second (KE) payload|Sent third (ID) payload|Initiator|Responder|No state|Sent first (SA) payload|Sent final payload|Complete|Unknown|Transport|Tunnel|IKE/AuthIP DoS prevention mode started|IKE/AuthIP DoS prevention mode stopped|Enabled|Not enabled|No state|Sent first (EM attributes) payload|Sent second (SSPI) payload|Sent third (hash) payload|IKEv1|AuthIP|Anonymous|NTLM V2|CGA|Certificate|SSL|None|DH group 1|DH group 2|DH group 14|DH group ECP 256|DH group ECP 384|AES-128|AES-192|AES-256|Certificate ECDSA P256|Certificate ECDSA P384|SSL ECDSA P256|SSL ECDSA P384|SHA 256|SHA 384|IKEv2|EAP payload sent|Authentication payload sent|EAP|DH group 24'],
  // audit policy categories (CategoryId) and the change made to one (AuditPolicyChanges)
  [8272, 'System|Logon/Logoff|Object Access|Privilege Use|Detailed Tracking|Policy Change|Account Management|DS Access|Account Logon'],
  [8448, 'Success removed|Success Added|Failure removed|Failure Added|Success include removed|Success include added|Success exclude removed|Success exclude added|Failure include removed|Failure include added|Failure exclude removed|Failure exclude added'],
  // audit policy subcategories (SubcategoryId)
  [12288, 'Security State Change|Security System Extension|System Integrity|IPsec Driver|Other System Events'],
  [12544, 'Logon|Logoff|Account Lockout|IPsec Main Mode|Special Logon|IPsec Quick Mode|IPsec Extended Mode|Other Logon/Logoff Events|Network Policy Server|User / Device Claims|Group Membership'],
  [12800, 'File System|Registry|Kernel Object|SAM|Other Object Access Events|Certification Services|Application Generated|Handle Manipulation|File Share|Filtering Platform Packet Drop|Filtering Platform Connection|Detailed File Share|Removable Storage|Central Policy Staging'],
  [13056, 'Sensitive Privilege Use|Non Sensitive Privilege Use|Other Privilege Use Events'],
  [13312, 'Process Creation|Process Termination|DPAPI Activity|RPC Events|Plug and Play Events|Token Right Adjusted Events'],
  [13568, 'Audit Policy Change|Authentication Policy Change|Authorization Policy Change|MPSSVC Rule-Level Policy Change|Filtering Platform Policy Change|Other Policy Change Events'],
  [13824, 'User Account Management|Computer Account Management|Security Group Management|Distribution Group Management|Application Group Management|Other Account Management Events'],
  [14080, 'Directory Service Access|Directory Service Changes|Directory Service Replication|Detailed Directory Service Replication'],
  [14336, 'Credential Validation|Kerberos Service Ticket Operations|Other Account Logon Events|Kerberos Authentication Service'],
  // Windows Filtering Platform: direction, layer (5152-5159)
  [14592, 'Inbound|Outbound|Forward|Bidirectional|IP Packet|Transport|Forward|Stream|Datagram Data|ICMP Error|MAC 802.3|MAC Native|vSwitch'],
  [14608, 'Resource Assignment|Listen|Receive/Accept|Connect|Flow Established'],
  [14614, 'Resource Release|Endpoint Closure|Connect Redirect|Bind Redirect'],
  [14624, 'Stream Packet'],
  [14640, 'ICMP Echo-Request|vSwitch Ingress|vSwitch Egress'],
  // directory service changes (5136 OperationType, DSType)
  [14672, '<Binary>|[NULL]|Value Added|Value Deleted|Active Directory Domain Services|Active Directory Lightweight Directory Services|Yes|No|Value Added With Expiration Time|Value Deleted With Expiration Time'],
  [14688, 'Value Auto Deleted With Expiration Time'],
  [16384, 'Add|Delete|Boot-time|Persistent|Not persistent|Block|Permit|Callout|MD5|SHA-1|SHA-256|AES-GCM 128|AES-GCM 192|AES-GCM 256|DES|3DES|AES-128|AES-192|AES-256|Transport|Tunnel|Responder|Initiator|AES-GMAC 128|AES-GMAC 192|AES-GMAC 256'],
  [16416, 'AuthNoEncap Transport'],
  [16896, 'Enable WMI Account|Execute Method|Full Write|Partial Write|Provider Write|Remote Access|Subscribe|Publish'],
];

function buildMessages(): Record<string, string> {
  const table: Record<string, string> = lookupTable({});
  for (const [start, names] of RUNS) names.split('|').forEach((n, i) => (table[String(start + i)] = n));
  for (const [base, names] of ACCESS_BLOCKS) {
    const named = names.split('|');
    for (let bit = 0; bit < 16; bit++) table[String(base + bit)] = named[bit] || UNDEFINED_BIT(bit);
  }
  return table;
}

/** Message id (without `%%`) → text. */
export const MESSAGES: Readonly<Record<string, string>> = buildMessages();

/** `%%1537` (or `1537`) → its text; undefined when the id is not in the table. */
export function message(code: string): string | undefined {
  return MESSAGES[code.replace(/^%%/, '').trim()];
}

/** "%%1538\n\t\t%%1542" → ["1538", "1542"] (the ids, without %%). */
function codes(value: string, separator: RegExp): string[] {
  return value.split(separator).map((s) => s.replace(/%%/g, '').trim()).filter(Boolean);
}

/** Each id's text, or the id itself when it is not in the table (Elastic keeps unknown ids). */
function describe(ids: string[]): string[] {
  return ids.map((id) => MESSAGES[id] ?? id);
}

/** Bits of an access mask and their rights (the low bits are the directory-service rights, as Elastic names them). */
const ACCESS_MASK_BITS: Record<number, string> = {
  0: 'Create Child', 1: 'Delete Child', 2: 'List Contents', 3: 'SELF', 4: 'Read Property', 5: 'Write Property', 6: 'Delete Treee', 7: 'List Object',
  8: 'Control Access', 16: 'DELETE', 17: 'READ_CONTROL', 18: 'WRITE_DAC', 19: 'WRITE_OWNER', 20: 'SYNCHRONIZE', 24: 'ADS_RIGHT_ACCESS_SYSTEM_SECURITY',
  28: 'ADS_RIGHT_GENERIC_ALL', 29: 'ADS_RIGHT_GENERIC_EXECUTE', 30: 'ADS_RIGHT_GENERIC_WRITE', 31: 'ADS_RIGHT_GENERIC_READ',
};

/**
 * The mask bit a message id stands for: the standard rights (%%1537 DELETE ... %%1542 ACCESS_SYS_SEC) and the
 * directory-service block (%%7680 Create Child ...). Elastic reads the id itself as a number (1538 = 0x602,
 * "Delete Child"), which names rights that were not asked for; other object types' ids name their right already.
 */
const MESSAGE_MASK_BIT: Record<string, number> = lookupTable({
  '1537': 16, '1538': 17, '1539': 18, '1540': 19, '1541': 20, '1542': 24,
  ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(7680 + i), i])),
});

function maskNumber(token: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(token)) return parseInt(token, 16);
  if (/^\d+$/.test(token)) return Number(token);
  return undefined;
}

export interface AccessMask {
  /** the rights as written: message ids as their text, numbers as sent */
  rights: string[];
  /** the rights of the mask's bits */
  descriptions: string[];
}

/** AccessMask of 4656/4662/4663/4674...: a hex or decimal mask, or message ids ("%%1538 %%1542"). */
export function accessMask(value: string): AccessMask | undefined {
  const tokens = value.split(/\s+/).filter(Boolean);
  if (!tokens.length) return undefined;
  let mask = 0n;
  const rights: string[] = [];
  for (const t of tokens) {
    const id = t.startsWith('%%') ? t.slice(2) : undefined;
    if (id !== undefined) {
      rights.push(MESSAGES[id] ?? id);
      if (MESSAGE_MASK_BIT[id] !== undefined) mask |= 1n << BigInt(MESSAGE_MASK_BIT[id]);
    } else {
      rights.push(t);
      const n = maskNumber(t);
      if (n !== undefined) mask |= BigInt(n) & 0xffffffffn;
    }
  }
  const descriptions: string[] = [];
  for (let b = 0; b < 32; b++) if (mask & (1n << BigInt(b)) && ACCESS_MASK_BITS[b]) descriptions.push(ACCESS_MASK_BITS[b]);
  return { rights, descriptions };
}

/** AccessList ("%%4416 %%4417"): the ids and their texts. */
export function accessList(value: string): { ids: string[]; descriptions: string[] } {
  const ids = codes(value, /\s+/);
  return { ids, descriptions: describe(ids) };
}

/** AuditPolicyChanges of 4719 ("%%8449, %%8451") → ["Success Added", "Failure Added"]. */
export function auditPolicyChanges(value: string | string[]): string[] {
  return describe(Array.isArray(value) ? value.map((v) => v.replace(/%%/g, '').trim()) : codes(value, /,/));
}

/** Audit subcategory GUIDs (4719, 4902-4912) → [subcategory, category]. */
const SUBCATEGORY_GUIDS: Record<string, [string, string]> = (() => {
  const rows: [number, string, string][] = [
    [0x9210, 'Security State Change', 'System'], [0x9211, 'Security System Extension', 'System'], [0x9212, 'System Integrity', 'System'],
    [0x9213, 'IPsec Driver', 'System'], [0x9214, 'Other System Events', 'System'], [0x9215, 'Logon', 'Logon/Logoff'], [0x9216, 'Logoff', 'Logon/Logoff'],
    [0x9217, 'Account Lockout', 'Logon/Logoff'], [0x9218, 'IPsec Main Mode', 'Logon/Logoff'], [0x9219, 'IPsec Quick Mode', 'Logon/Logoff'],
    [0x921a, 'IPsec Extended Mode', 'Logon/Logoff'], [0x921b, 'Special Logon', 'Logon/Logoff'], [0x921c, 'Other Logon/Logoff Events', 'Logon/Logoff'],
    [0x9243, 'Network Policy Server', 'Logon/Logoff'], [0x9247, 'User / Device Claims', 'Logon/Logoff'], [0x9249, 'Group Membership', 'Logon/Logoff'],
    [0x921d, 'File System', 'Object Access'], [0x921e, 'Registry', 'Object Access'], [0x921f, 'Kernel Object', 'Object Access'], [0x9220, 'SAM', 'Object Access'],
    [0x9221, 'Certification Services', 'Object Access'], [0x9222, 'Application Generated', 'Object Access'], [0x9223, 'Handle Manipulation', 'Object Access'],
    [0x9224, 'File Share', 'Object Access'], [0x9225, 'Filtering Platform Packet Drop', 'Object Access'], [0x9226, 'Filtering Platform Connection', 'Object Access'],
    [0x9227, 'Other Object Access Events', 'Object Access'], [0x9244, 'Detailed File Share', 'Object Access'], [0x9245, 'Removable Storage', 'Object Access'],
    [0x9246, 'Central Policy Staging', 'Object Access'], [0x9228, 'Sensitive Privilege Use', 'Privilege Use'], [0x9229, 'Non Sensitive Privilege Use', 'Privilege Use'],
    [0x922a, 'Other Privilege Use Events', 'Privilege Use'], [0x922b, 'Process Creation', 'Detailed Tracking'], [0x922c, 'Process Termination', 'Detailed Tracking'],
    [0x922d, 'DPAPI Activity', 'Detailed Tracking'], [0x922e, 'RPC Events', 'Detailed Tracking'], [0x9248, 'Plug and Play Events', 'Detailed Tracking'],
    [0x924a, 'Token Right Adjusted Events', 'Detailed Tracking'], [0x922f, 'Audit Policy Change', 'Policy Change'], [0x9230, 'Authentication Policy Change', 'Policy Change'],
    [0x9231, 'Authorization Policy Change', 'Policy Change'], [0x9232, 'MPSSVC Rule-Level Policy Change', 'Policy Change'],
    [0x9233, 'Filtering Platform Policy Change', 'Policy Change'], [0x9234, 'Other Policy Change Events', 'Policy Change'],
    [0x9235, 'User Account Management', 'Account Management'], [0x9236, 'Computer Account Management', 'Account Management'],
    [0x9237, 'Security Group Management', 'Account Management'], [0x9238, 'Distribution Group Management', 'Account Management'],
    [0x9239, 'Application Group Management', 'Account Management'], [0x923a, 'Other Account Management Events', 'Account Management'],
    [0x923b, 'Directory Service Access', 'DS Access'], [0x923c, 'Directory Service Changes', 'DS Access'], [0x923d, 'Directory Service Replication', 'DS Access'],
    [0x923e, 'Detailed Directory Service Replication', 'DS Access'], [0x923f, 'Credential Validation', 'Account Logon'],
    [0x9240, 'Kerberos Service Ticket Operations', 'Account Logon'], [0x9241, 'Other Account Logon Events', 'Account Logon'],
    [0x9242, 'Kerberos Authentication Service', 'Account Logon'],
  ];
  return lookupTable(Object.fromEntries(rows.map(([n, sub, cat]) => [`0CCE${n.toString(16).toUpperCase()}-69AE-11D9-BED3-505054503030`, [sub, cat] as [string, string]])));
})();

/** The audit category and subcategory of 4719 etc.: from CategoryId/SubcategoryId, else the subcategory GUID. */
export function auditCategory(ed: Record<string, unknown>): { category?: string; subcategory?: string } {
  const guid = typeof ed.SubcategoryGuid === 'string' ? SUBCATEGORY_GUIDS[ed.SubcategoryGuid.replace(/[{}]/g, '').toUpperCase()] : undefined;
  const category = (typeof ed.CategoryId === 'string' ? message(ed.CategoryId) : undefined) ?? guid?.[1];
  const subcategory = (typeof ed.SubcategoryId === 'string' ? message(ed.SubcategoryId) : undefined) ?? guid?.[0];
  return { category, subcategory };
}

export const LOGON_TYPES: Record<string, string> = lookupTable({
  '0': 'System', '2': 'Interactive', '3': 'Network', '4': 'Batch', '5': 'Service', '7': 'Unlock', '8': 'NetworkCleartext',
  '9': 'NewCredentials', '10': 'RemoteInteractive', '11': 'CachedInteractive', '12': 'CachedRemoteInteractive', '13': 'CachedUnlock',
});

/** NTSTATUS of a failed logon (4625 Status/SubStatus, 4776 Status). */
export const LOGON_FAILURE_STATUS: Record<string, string> = lookupTable({
  '0xc000005e': 'There are currently no logon servers available to service the logon request.',
  '0xc0000064': 'User logon with misspelled or bad user account',
  '0xc000006a': 'User logon with misspelled or bad password',
  '0xc000006d': 'This is either due to a bad username or authentication information',
  '0xc000006e': 'Unknown user name or bad password.',
  '0xc000006f': 'User logon outside authorized hours',
  '0xc0000070': 'User logon from unauthorized workstation',
  '0xc0000071': 'User logon with expired password',
  '0xc0000072': 'User logon to account disabled by administrator',
  '0xc00000dc': 'Indicates the Sam Server was in the wrong state to perform the desired operation.',
  '0xc0000133': 'Clocks between DC and other computer too far out of sync',
  '0xc000015b': 'The user has not been granted the requested logon type (aka logon right) at this machine',
  '0xc000018c': 'The logon request failed because the trust relationship between the primary domain and the trusted domain failed.',
  '0xc0000192': 'An attempt was made to logon, but the Netlogon service was not started.',
  '0xc0000193': 'User logon with expired account',
  '0xc0000224': 'User is required to change password at next logon',
  '0xc0000225': 'Evidently a bug in Windows and not a risk',
  '0xc0000234': 'User logon with account locked',
  '0xc00002ee': 'Failure Reason: An Error occurred during Logon',
  '0xc0000413': 'Logon Failure: The machine you are logging onto is protected by an authentication firewall. The specified account is not allowed to authenticate to the machine.',
  '0xc0000371': 'The local account store does not contain secret material for the specified account',
  '0x0': 'Status OK.',
});

/** Kerberos result codes (4768-4771 Status). */
const KERBEROS_STATUS_NAMES =
  'KDC_ERR_NONE|KDC_ERR_NAME_EXP|KDC_ERR_SERVICE_EXP|KDC_ERR_BAD_PVNO|KDC_ERR_C_OLD_MAST_KVNO|KDC_ERR_S_OLD_MAST_KVNO|KDC_ERR_C_PRINCIPAL_UNKNOWN|KDC_ERR_S_PRINCIPAL_UNKNOWN|KDC_ERR_PRINCIPAL_NOT_UNIQUE|KDC_ERR_NULL_KEY|KDC_ERR_CANNOT_POSTDATE|KDC_ERR_NEVER_VALID|KDC_ERR_POLICY|KDC_ERR_BADOPTION|KDC_ERR_ETYPE_NOTSUPP|KDC_ERR_SUMTYPE_NOSUPP|KDC_ERR_PADATA_TYPE_NOSUPP|KDC_ERR_TRTYPE_NO_SUPP|KDC_ERR_CLIENT_REVOKED|KDC_ERR_SERVICE_REVOKED|KDC_ERR_TGT_REVOKED|KDC_ERR_CLIENT_NOTYET|KDC_ERR_SERVICE_NOTYET|KDC_ERR_KEY_EXPIRED|KDC_ERR_PREAUTH_FAILED|KDC_ERR_PREAUTH_REQUIRED|KDC_ERR_SERVER_NOMATCH|KDC_ERR_MUST_USE_USER2USER||||KRB_AP_ERR_BAD_INTEGRITY|KRB_AP_ERR_TKT_EXPIRED|KRB_AP_ERR_TKT_NYV|KRB_AP_ERR_REPEAT|KRB_AP_ERR_NOT_US|KRB_AP_ERR_BADMATCH|KRB_AP_ERR_SKEW|KRB_AP_ERR_BADADDR|KRB_AP_ERR_BADVERSION|KRB_AP_ERR_MSG_TYPE|KRB_AP_ERR_MODIFIED|KRB_AP_ERR_BADORDER||KRB_AP_ERR_BADKEYVER|KRB_AP_ERR_NOKEY|KRB_AP_ERR_MUT_FAIL|KRB_AP_ERR_BADDIRECTION|KRB_AP_ERR_METHOD|KRB_AP_ERR_BADSEQ|KRB_AP_ERR_INAPP_CKSUM|KRB_AP_PATH_NOT_ACCEPTED|KRB_ERR_RESPONSE_TOO_BIG||||||||KRB_ERR_GENERIC|KRB_ERR_FIELD_TOOLONG|KDC_ERR_CLIENT_NOT_TRUSTED|KDC_ERR_KDC_NOT_TRUSTED|KDC_ERR_INVALID_SIG|KDC_ERR_KEY_TOO_WEAK|KRB_AP_ERR_USER_TO_USER_REQUIRED|KRB_AP_ERR_NO_TGT|KDC_ERR_WRONG_REALM'.split('|');

export function kerberosStatus(status: string): string | undefined {
  const n = maskNumber(status.trim());
  return n === undefined ? undefined : KERBEROS_STATUS_NAMES[n] || undefined;
}

const TICKET_OPTIONS: [number, string][] = [
  [0x40000000, 'Forwardable'], [0x20000000, 'Forwarded'], [0x10000000, 'Proxiable'], [0x08000000, 'Proxy'], [0x04000000, 'Allow-postdate'],
  [0x02000000, 'Postdated'], [0x01000000, 'Invalid'], [0x00800000, 'Renewable'], [0x00400000, 'Initial'], [0x00200000, 'Pre-authent'],
  [0x00100000, 'Opt-hardware-auth'], [0x00080000, 'Transited-policy-checked'], [0x00040000, 'Ok-as-delegate'], [0x00020000, 'Request-anonymous'],
  [0x00010000, 'Name-canonicalize'], [0x00000020, 'Disable-transited-check'], [0x00000010, 'Renewable-ok'], [0x00000008, 'Enc-tkt-in-skey'],
  [0x00000002, 'Renew'], [0x00000001, 'Validate'],
];

const UAC_BITS: [number, string][] = [
  [0x1, 'SCRIPT'], [0x2, 'ACCOUNTDISABLE'], [0x8, 'HOMEDIR_REQUIRED'], [0x10, 'LOCKOUT'], [0x20, 'PASSWD_NOTREQD'], [0x40, 'PASSWD_CANT_CHANGE'],
  [0x80, 'ENCRYPTED_TEXT_PWD_ALLOWED'], [0x100, 'TEMP_DUPLICATE_ACCOUNT'], [0x200, 'NORMAL_ACCOUNT'], [0x800, 'INTERDOMAIN_TRUST_ACCOUNT'],
  [0x1000, 'WORKSTATION_TRUST_ACCOUNT'], [0x2000, 'SERVER_TRUST_ACCOUNT'], [0x10000, 'DONT_EXPIRE_PASSWORD'], [0x20000, 'MNS_LOGON_ACCOUNT'],
  [0x40000, 'SMARTCARD_REQUIRED'], [0x80000, 'TRUSTED_FOR_DELEGATION'], [0x100000, 'NOT_DELEGATED'], [0x200000, 'USE_DES_KEY_ONLY'],
  [0x400000, 'DONT_REQ_PREAUTH'], [0x800000, 'PASSWORD_EXPIRED'], [0x1000000, 'TRUSTED_TO_AUTH_FOR_DELEGATION'], [0x4000000, 'PARTIAL_SECRETS_ACCOUNT'],
];

function flags(value: string, table: [number, string][]): string[] {
  const n = maskNumber(value.trim());
  if (n === undefined) return [];
  return table.filter(([bit]) => (n & bit) >>> 0 === bit).map(([, name]) => name);
}

/** TicketOptions of 4768/4769 ("0x40810010") → ["Forwardable", "Renewable", "Name-canonicalize", "Renewable-ok"]. */
export const ticketOptions = (value: string): string[] => flags(value, TICKET_OPTIONS);
/** NewUacValue of 4720/4738/4742 → the userAccountControl flags set. */
export const uacFlags = (value: string): string[] => flags(value, UAC_BITS);

export const TICKET_ENCRYPTION: Record<string, string> = lookupTable({
  '0x1': 'DES-CBC-CRC', '0x3': 'DES-CBC-MD5', '0x11': 'AES128-CTS-HMAC-SHA1-96', '0x12': 'AES256-CTS-HMAC-SHA1-96', '0x17': 'RC4-HMAC',
  '0x18': 'RC4-HMAC-EXP', '0xffffffff': 'FAIL',
});

export const SERVICE_TYPES: Record<string, string> = lookupTable({
  '0x1': 'Kernel Driver', '0x2': 'File System Driver', '0x8': 'Recognizer Driver', '0x10': 'Win32 Own Process', '0x20': 'Win32 Share Process',
  '0x110': 'Interactive Own Process', '0x120': 'Interactive Share Process',
});

export const TRUST_TYPES: Record<string, string> = lookupTable({ '1': 'TRUST_TYPE_DOWNLEVEL', '2': 'TRUST_TYPE_UPLEVEL', '3': 'TRUST_TYPE_MIT', '4': 'TRUST_TYPE_DCE' });
export const TRUST_DIRECTIONS: Record<string, string> = lookupTable({
  '0': 'TRUST_DIRECTION_DISABLED', '1': 'TRUST_DIRECTION_INBOUND', '2': 'TRUST_DIRECTION_OUTBOUND', '3': 'TRUST_DIRECTION_BIDIRECTIONAL',
});
export const TRUST_ATTRIBUTES: Record<string, string> = lookupTable({
  '0': 'UNDEFINED', '1': 'TRUST_ATTRIBUTE_NON_TRANSITIVE', '2': 'TRUST_ATTRIBUTE_UPLEVEL_ONLY', '4': 'TRUST_ATTRIBUTE_QUARANTINED_DOMAIN',
  '8': 'TRUST_ATTRIBUTE_FOREST_TRANSITIVE', '16': 'TRUST_ATTRIBUTE_CROSS_ORGANIZATION', '32': 'TRUST_ATTRIBUTE_WITHIN_FOREST',
  '64': 'TRUST_ATTRIBUTE_TREAT_AS_EXTERNAL', '128': 'TRUST_ATTRIBUTE_USES_RC4_ENCRYPTION', '512': 'TRUST_ATTRIBUTE_CROSS_ORGANIZATION_NO_TGT_DELEGATION',
  '1024': 'TRUST_ATTRIBUTE_PIM_TRUST',
});

/**
 * Translates the message-table fields of a Security event's EventData in place (AccessMask, AccessList, OperationType,
 * DSType...) and adds Elastic's *Description fields beside the codes. Returns what the ECS mapping needs.
 */
export function translateEventData(id: string, ed: Record<string, unknown>): { failureReason?: string; operation?: string } {
  const out: { failureReason?: string; operation?: string } = {};
  const s = (k: string): string | undefined => (typeof ed[k] === 'string' && ed[k] !== '' ? (ed[k] as string) : undefined);
  const fr = s('FailureReason');
  if (fr) out.failureReason = message(fr) ?? fr.replace(/%%/g, '');
  const apc = ed.AuditPolicyChanges;
  if (typeof apc === 'string' || Array.isArray(apc)) {
    const d = auditPolicyChanges(apc as string | string[]);
    if (d.length) ed.AuditPolicyChangesDescription = d;
  }
  if (s('CategoryId') || s('SubcategoryGuid')) {
    const { category, subcategory } = auditCategory(ed);
    if (category) ed.Category = category;
    if (subcategory) ed.SubCategory = subcategory;
  }
  const al = s('AccessList');
  if (al) {
    const { ids, descriptions } = accessList(al);
    if (ids.length) {
      ed.AccessList = ids;
      ed.AccessListDescription = descriptions;
    }
  }
  for (const k of ['Direction', 'LayerName']) {
    const v = s(k);
    const d = v ? message(v) : undefined;
    if (d) ed[`${k}Description`] = d;
  }
  const am = s('AccessMask');
  if (am) {
    const m = accessMask(am);
    if (m) {
      ed.AccessMask = m.rights;
      if (m.descriptions.length) ed.AccessMaskDescription = m.descriptions;
    }
  }
  // 5136's change (%%14674 Value Added) becomes event.reason; the field itself stays as sent (so does DSType), as in Elastic's
  const op = s('OperationType');
  if (op) out.operation = message(op) ?? op;
  const nuv = s('NewUacValue');
  if (nuv && nuv !== '-') {
    const list = uacFlags(nuv);
    if (list.length) {
      ed.NewUACList = list;
      const uac = s('UserAccountControl');
      if (uac && uac !== '-') ed.UserAccountControl = codes(uac, /\s+/);
    }
  }
  const to = s('TicketOptions');
  if (to) {
    const list = ticketOptions(to);
    if (list.length) ed.TicketOptionsDescription = list;
  }
  const tet = s('TicketEncryptionType');
  if (tet && TICKET_ENCRYPTION[tet.toLowerCase()]) ed.TicketEncryptionTypeDescription = TICKET_ENCRYPTION[tet.toLowerCase()];
  const st = s('Status');
  if (st && ['4768', '4769', '4770', '4771'].includes(id)) {
    const d = kerberosStatus(st);
    if (d) ed.StatusDescription = d;
  }
  return out;
}

/** "CN=X, O=Y, L=Z, S=W, C=US" (AppLocker's publisher) → ECS x509 subject fields (arrays, as ECS declares them). */
export function x509Subject(dn: string): Record<string, string[]> {
  const keys: Record<string, string> = { CN: 'common_name', O: 'organization', OU: 'organizational_unit', L: 'locality', S: 'state_or_province', ST: 'state_or_province', C: 'country' };
  const out: Record<string, string[]> = {};
  for (const part of dn.split(/,\s*(?=[A-Z]+=)/)) {
    const eq = part.indexOf('=');
    const field = keys[part.slice(0, eq).trim().toUpperCase()];
    const value = part.slice(eq + 1).trim();
    if (field && value) (out[field] ??= []).push(value);
  }
  return out;
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function xmlText(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : XML_ENTITIES[e.toLowerCase()] ?? m);
}

/** Every element's start and end tag pair up (a task definition cut short or mistyped is not read). */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, '').matchAll(/<(\/?)([\w:.-]+)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (!m[1]) stack.push(m[2]);
    else if (stack.pop() !== m[2]) return false;
  }
  return stack.length === 0;
}

/** The child elements named `tag` of `xml` (their inner text or markup) with the start tag's attributes. */
function elements(xml: string, tag: string): { attrs: string; body: string }[] {
  const re = new RegExp(`<${tag}(\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${tag}>)`, 'g');
  return [...xml.matchAll(re)].map((m) => ({ attrs: m[1] ?? '', body: m[2] ?? '' }));
}

function child(xml: string, tag: string): string | undefined {
  const e = elements(xml, tag)[0];
  const v = e ? xmlText(e.body.trim()) : '';
  return v === '' ? undefined : v;
}

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
  return m ? xmlText(m[1]) : undefined;
}

function bool(v: string | undefined): boolean | undefined {
  const s = v?.toLowerCase();
  return s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : undefined;
}

/**
 * winlog.scheduled_task of 4698-4702 from the task's XML (TaskContent; TaskContentNew for 4702): name, uri, principals,
 * settings and actions, as Elastic's scheduled-task pipeline normalizes them. Malformed XML gives the name only.
 */
export function scheduledTask(name: unknown, content: unknown): Record<string, unknown> | undefined {
  const task: Record<string, unknown> = {};
  if (typeof name === 'string' && name !== '' && name !== '-') task.name = name;
  if (typeof content === 'string' && content.includes('<Task') && wellFormed(content)) {
    const uri = child(elements(content, 'RegistrationInfo')[0]?.body ?? '', 'URI');
    if (uri) task.uri = uri;
    const principals = elements(elements(content, 'Principals')[0]?.body ?? '', 'Principal').map(({ attrs, body }) => {
      const p: Record<string, unknown> = {};
      const id = attr(attrs, 'id');
      if (id) p.id = id;
      const user = child(body, 'UserId');
      if (user) p.user = { identifier: user };
      const group = child(body, 'GroupId');
      if (group) p.group = { identifier: group };
      const logon = child(body, 'LogonType');
      if (logon) p.logon = { type: logon };
      const level = child(body, 'RunLevel');
      if (level) p.run_level = level;
      return p;
    }).filter((p) => Object.keys(p).length);
    if (principals.length) task.principals = principals;
    const settingsXml = elements(content, 'Settings')[0]?.body;
    if (settingsXml !== undefined) {
      const settings: Record<string, boolean> = {};
      const enabled = bool(child(settingsXml, 'Enabled'));
      if (enabled !== undefined) settings.enabled = enabled;
      const hidden = bool(child(settingsXml, 'Hidden'));
      if (hidden !== undefined) settings.hidden = hidden;
      if (Object.keys(settings).length) task.settings = settings;
    }
    const actionsEl = elements(content, 'Actions')[0];
    if (actionsEl) {
      const context = attr(actionsEl.attrs, 'Context');
      const actions: Record<string, unknown>[] = [];
      for (const { body } of elements(actionsEl.body, 'Exec')) {
        const a: Record<string, unknown> = { type: 'exec' };
        if (context) a.context = context;
        const command = child(body, 'Command');
        if (command) a.command = command;
        const args = child(body, 'Arguments');
        if (args) a.arguments = args;
        const wd = child(body, 'WorkingDirectory');
        if (wd) a.working_directory = wd;
        actions.push(a);
      }
      for (const { body } of elements(actionsEl.body, 'ComHandler')) {
        const a: Record<string, unknown> = { type: 'com_handler' };
        if (context) a.context = context;
        const cls = child(body, 'ClassId');
        if (cls) a.class_id = cls;
        actions.push(a);
      }
      if (actions.length) task.actions = actions;
    }
  }
  return Object.keys(task).length ? task : undefined;
}
