/**
 * Differences from Elastic's pipelines that canhgac keeps on purpose, because following Elastic would be
 * wrong for a SOC. parsers.conformance.test.ts leaves them out of the adjusted agreement (the raw one still
 * counts them). Each entry is a row of "Deliberate differences" in CONFORMANCE.md (the test checks that);
 * an entry that no longer matches any difference in the corpus fails the test, so the list stays minimal.
 * Limits of our parsers (no user-agent database, no SDDL rendering...) never go here.
 */
import type { Deliberate } from './conformance';

/** a syslog line whose header is `<PRI>Mon DD YYYY hh:mm:ss[Z]` straight before the %FTD tag: it names no host */
const FTD_NO_HOST = /^<\d+>[A-Z][a-z]{2} \d{1,2} \d{4} \d{2}:\d{2}:\d{2}Z?\s+%FTD-/;
const MONTH = /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$/;

const EVENT_ID = "canhgac's collector assigns event.id once, at collection, and every write downstream is idempotent by it; the device's id is kept";
const FTD_HEADER = "Elastic's FTD header pattern reads the month and day of a host-less header as host and program; the line names no host";
const DETECTION = 'an antivirus or IDS detection is an alert (event.kind alert) so that it reaches responders';
const IDS_CATEGORY = 'ECS files IDS alerts under intrusion_detection; Sigma rules and the console filter on it';

const WINDOWS_NONE = "'-' is Windows' placeholder for no value: a process named '-' would count as a process in every search and chart";

const RELAY = "a console relays its agents' events: host.* is the protected computer the event is about (rules count machines by host.hostname), observer.* the console that reported it";

export const DELIBERATE: readonly Deliberate[] = [
  { pkg: 'cef', field: 'observer.hostname', file: /trend-micro/, actual: 'absent', keptIn: 'host.hostname', reason: RELAY },
  { pkg: 'cef', field: 'observer.ip', file: /trend-micro/, actual: 'absent', keptIn: 'host.ip', reason: RELAY },

  { pkg: 'checkpoint', field: 'event.id', actual: 'absent', keptIn: 'checkpoint.loguid', reason: EVENT_ID },
  {
    pkg: 'checkpoint',
    field: 'dns.question.name',
    original: /administrator:"[^"]*";.*operation:"/,
    actual: 'absent',
    keptIn: 'source.user.domain',
    reason: "in a management audit record domain_name is the administrator's management domain, not a DNS query; as dns.question.name it would answer DNS hunts with rule changes",
  },
  { pkg: 'zeek', field: 'event.id', actual: 'absent', keptIn: 'zeek.session_id', reason: EVENT_ID },

  { pkg: 'cisco_ftd', field: 'host.hostname', original: FTD_NO_HOST, expected: MONTH, actual: 'absent', reason: FTD_HEADER },
  { pkg: 'cisco_ftd', field: 'observer.hostname', original: FTD_NO_HOST, expected: MONTH, actual: 'absent', reason: FTD_HEADER },
  { pkg: 'cisco_ftd', field: 'related.hosts', original: FTD_NO_HOST, expected: MONTH, reason: FTD_HEADER },
  { pkg: 'cisco_ftd', field: 'process.name', original: FTD_NO_HOST, expected: /^\d{1,2}$/, actual: 'absent', reason: FTD_HEADER },

  {
    pkg: 'cisco_ios',
    field: 'observer.type',
    expected: /^firewall$/,
    actual: /^router$/,
    reason: 'Elastic\'s older releases set the constant "firewall" on every IOS message (its current one says "router"); an IOS device is a router or switch, and "firewall" would mix routing and switch-port messages into the firewall sources',
  },

  {
    pkg: 'sophos',
    field: 'client.mac',
    original: /dhcpd: (?:Listening|Sending) on /,
    actual: 'absent',
    keptIn: 'observer.mac',
    reason: "the MAC address of the socket dhcpd listens on is the firewall's own interface (observer.mac), not a DHCP client's",
  },
  { pkg: 'sophos', field: 'host.name', expected: /^defaulttest\.local$/, actual: 'absent', reason: "the value of Elastic's test configuration (default host name), not in the log" },
  { pkg: 'sophos', field: 'related.hosts', expected: /^defaulttest\.local$/, reason: "the value of Elastic's test configuration (default host name), not in the log" },

  { pkg: 'fortinet_fortimail', field: 'event.kind', expected: /^event$/, actual: /^alert$/, reason: DETECTION },
  { pkg: 'symantec_endpoint', field: 'event.kind', expected: /^event$/, actual: /^alert$/, reason: DETECTION },
  { pkg: 'pfsense', field: 'event.kind', expected: /^event$/, actual: /^alert$/, reason: DETECTION },
  { pkg: 'pfsense', field: 'event.category', expected: /^network$/, actual: /^(?:network|intrusion_detection)$/, reason: IDS_CATEGORY },
  { pkg: 'snort', field: 'event.category', expected: /^network$/, actual: /^(?:network|intrusion_detection)$/, reason: IDS_CATEGORY },

  {
    pkg: 'symantec_endpoint',
    field: 'file.hash.sha1',
    actual: 'absent',
    keptIn: 'symantec_endpoint.log.certificate_thumbprint',
    reason: "it is the code-signing certificate's thumbprint, not the file's hash; IOC matching on it would mislead",
  },
  {
    pkg: 'symantec_endpoint',
    field: 'related.hash',
    actual: 'absent',
    keptIn: 'symantec_endpoint.log.certificate_thumbprint',
    reason: "it is the code-signing certificate's thumbprint, not the file's hash; IOC matching on it would mislead",
  },

  {
    pkg: 'windows',
    field: 'winlog.event_data.AccessMaskDescription',
    expected: /^(?:Delete Child|List Contents)$/,
    actual: /^(?:READ_CONTROL|ADS_RIGHT_ACCESS_SYSTEM_SECURITY)$/,
    reason: "an AccessMask of message ids (%%1538 %%1542) names READ_CONTROL and ACCESS_SYS_SEC; Elastic reads the ids as numbers (1538 = 0x602) and describes rights nobody asked for, so a hunt for Delete Child would find reads of a security descriptor",
  },
  { pkg: 'windows', field: 'process.name', expected: /^-$/, actual: 'absent', reason: WINDOWS_NONE },
  { pkg: 'windows', field: 'process.executable', expected: /^-$/, actual: 'absent', reason: WINDOWS_NONE },

  { pkg: 'system', field: 'user.name', expected: /^$/, actual: /./, reason: 'an empty user name helps nobody: the session is the named user' },
  {
    pkg: 'system',
    field: 'user.id',
    original: /session opened for user \S+ by \(uid=\d+\)/,
    expected: /^\d+$/,
    actual: 'absent',
    reason: "the uid in `by (uid=0)` is the calling daemon's; given to the session user it would make every ssh session look like root",
  },
];
