/**
 * Symantec Endpoint Protection Manager's syslog log types (Broadcom TECH171741, "Log formats"): each is a
 * comma-separated row whose labelled columns ("Key: value") and unlabelled ones come in a fixed order. A row is
 * recognised by its fingerprint (the column keys in order, NONE for an unlabelled column); the unlabelled
 * columns then get their names from the log type. Newer SEPM versions append columns: a row whose fingerprint
 * starts with a log type's fingerprint is that log type.
 */
export interface SepLogType {
  name: string;
  fingerprints: string[];
  /** names of unlabelled columns by position */
  columns: Record<number, string>;
  category?: string[];
  type?: string[];
}

const N = 'NONE';
const fp = (...keys: string[]) => keys.join('|');

export const SEP_LOG_TYPES: SepLogType[] = [
  {
    name: 'Agent Traffic Log',
    fingerprints: [fp(N, 'local_host_ip', 'local_port', 'local_host_mac', 'remote_host_ip', 'remote_host_name', 'remote_port', 'remote_host_mac', N, N, 'begin', 'end', 'occurrences', 'application', 'rule', 'location', 'user_name', 'domain_name', 'action')],
    columns: { 8: 'network_protocol', 9: 'traffic_direction' },
    category: ['intrusion_detection', 'network'],
    type: ['connection'],
  },
  {
    name: 'Agent Security Log',
    fingerprints: [
      fp(N, 'event_description', 'local_host_ip', 'local_host_mac', 'remote_host_name', 'remote_host_ip', 'remote_host_mac', N, N, 'intrusion_id', 'begin', 'end', 'occurrences', 'application', 'location', 'user_name', 'domain_name', 'local_port', 'remote_port'),
      fp(N, 'event_description', 'local_host_ip', 'local_host_mac', 'remote_host_name', 'remote_host_ip', 'remote_host_mac', N, N, N, 'begin', 'end', 'occurrences', 'application', 'location', 'user_name', 'domain_name', 'local_port', 'remote_port'),
    ],
    columns: { 7: 'traffic_direction', 8: 'network_protocol' },
    category: ['intrusion_detection', 'network', 'process'],
    type: ['connection'],
  },
  {
    name: 'Agent Packet Log',
    fingerprints: [fp(N, 'local_host_ip', 'local_port', 'remote_host_ip', 'remote_host_name', 'remote_port', N, 'application', 'action')],
    columns: { 6: 'traffic_direction' },
    category: ['intrusion_detection', 'network', 'process'],
    type: ['connection'],
  },
  {
    name: 'Agent Behavior Log',
    fingerprints: [fp(N, N, N, N, N, 'begin', 'end', 'rule', N, N, N, N, N, 'user_name', 'domain_name', 'action_type', 'file_size_bytes', 'device_id')],
    columns: { 1: 'local_host_ip', 2: 'action', 3: 'event_description', 4: 'api_name', 8: 'caller_process_id', 9: 'caller_process_name', 10: 'caller_return_address', 11: 'caller_return_module_name', 12: 'parameters' },
    category: ['intrusion_detection', 'process'],
  },
  { name: 'Agent Activity Log', fingerprints: [fp('site', 'server', 'domain_name', N, N, N, N)], columns: { 3: 'event_description', 4: 'local_host_name', 5: 'user_name', 6: 'domain_name' } },
  { name: 'Agent System Log', fingerprints: [fp(N, 'category', N, N, 'event_time')], columns: { 2: 'event_source', 3: 'event_description' } },
  { name: 'Administrative Log', fingerprints: [fp('site', 'server', 'domain_name', 'admin', N)], columns: { 4: 'event_description' } },
  { name: 'Policy Log', fingerprints: [fp('site', 'server', 'domain_name', 'admin', 'event_description', N)], columns: { 5: 'policy_name' } },
  { name: 'System Log', fingerprints: [fp('site', 'server', N)], columns: { 2: 'event_description' } },
  {
    name: 'Agent Scan Log',
    fingerprints: [fp('scan_id', 'begin', 'end', N, 'duration_seconds', 'user1', 'user2', N, 'scan_complete', 'command', 'threats', 'infected', 'total_files', 'omitted', 'computer_name', 'ip_address', 'domain_name', 'group', 'server')],
    columns: { 3: 'action', 7: 'event_description' },
  },
];

/** The log type of a row: an exact fingerprint, else the longest one the row's fingerprint starts with. */
export function sepLogType(fingerprint: string): SepLogType | undefined {
  let best: SepLogType | undefined;
  let bestLen = 0;
  for (const t of SEP_LOG_TYPES) {
    for (const f of t.fingerprints) {
      if (fingerprint === f) return t;
      if (fingerprint.startsWith(f + '|') && f.length > bestLen) {
        best = t;
        bestLen = f.length;
      }
    }
  }
  return best;
}
