/**
 * The attacks and the benign background that `attacks.conformance.test.ts` replays through the
 * pipeline. Lines use the demo's placeholders ({ts}, {clf}, {date}, {time}, {port}); each attack
 * names the entity its incident must hold and the rule whose alert completes it.
 */
export interface ScenarioAttack {
  name: string;
  /** The entity every alert of the attack shares: what finds its incident. */
  entity: string;
  /** The rule id whose alert means the attack was seen whole. */
  completes: string;
  lines: string[];
}

const ssh = (host: string, text: string) => `<38>1 {ts} ${host} sshd 2211 - - ${text}`;
const nginx = (ip: string, request: string, status: number, agent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)') =>
  `<190>1 {ts} web-portal-01 nginx - - - ${ip} - - [{clf}] "${request}" ${status} 512 "-" "${agent}"`;
const fortigate = (src: string, dst: string, port: number, action: 'deny' | 'accept') =>
  `<185>date={date} time={time} devname="FGT-SO-TTTT" devid="FG100FTK19000001" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=${src} srcport={port} srcintf="wan1" dstip=${dst} dstport=${port} dstintf="lan" proto=6 action="${action}" policyid=${action === 'deny' ? 0 : 12} service="tcp/${port}" sentbyte=0 rcvdbyte=0`;
const winlogon = (id: 4624 | 4625, user: string, ip: string, n: number) =>
  JSON.stringify({
    '@timestamp': '{ts}',
    winlog: {
      channel: 'Security', event_id: id, record_id: 90000 + n, provider_name: 'Microsoft-Windows-Security-Auditing', computer_name: 'DC01.so-tttt.local',
      keywords: [id === 4625 ? 'Audit Failure' : 'Audit Success'],
      event_data: { TargetUserName: user, TargetDomainName: 'SO-TTTT', LogonType: '3', IpAddress: ip, IpPort: '51000', ...(id === 4625 ? { Status: '0xc000006d', SubStatus: '0xc000006a' } : {}), WorkstationName: 'WS' },
    },
  });
const eset = (host: string, threat: string, action: string, handled: boolean) =>
  `<12>1 {ts} era01 ERAServer 1234 - - ${JSON.stringify({ event_type: 'Threat_Event', hostname: host, occured: '{ts}', severity: 'Warning', threat_type: 'trojan', threat_name: threat, object_type: 'file', object_uri: 'file:///C:/Users/Public/Downloads/hoadon_2026.exe', action_taken: action, threat_handled: handled, username: 'SO-TTTT\\ketoan' })}`;
const suricata = (src: string, dst: string, severity: number, signature: string) =>
  JSON.stringify({
    timestamp: '{ts}', event_type: 'alert', src_ip: src, src_port: 40000, dest_ip: dst, dest_port: 80, proto: 'TCP',
    alert: { action: 'allowed', gid: 1, signature_id: 2000000 + severity, rev: 1, signature, category: 'Attempted Administrator Privilege Gain', severity },
  });

const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

export const ATTACKS: ScenarioAttack[] = [
  {
    name: 'SSH brute force ending in a success',
    entity: 'source_ip=203.0.113.45',
    completes: 'e2254e4e-79cb-460e-bfab-ed2ee831e22b', // SSH Login Success After Brute Force
    lines: [
      ...['root', 'admin', 'root', 'oracle', 'ubuntu', 'root', 'deploy', 'root'].map((u) => ssh('web-portal-01', `Failed password for ${u} from 203.0.113.45 port {port} ssh2`)),
      ssh('web-portal-01', 'Accepted password for deploy from 203.0.113.45 port {port} ssh2'),
    ],
  },
  {
    name: 'port scan',
    entity: 'source_ip=198.51.100.77',
    completes: '6951a719-cc9e-49fc-b2bb-298e8ed790b9', // Port Scan From Firewall Denies
    lines: [21, 22, 23, 25, 53, 80, 110, 135, 139, 143, 443, 445, 1433, 3306, 3389, 5900, 8080].map((p) => fortigate('198.51.100.77', '10.20.0.15', p, 'deny')),
  },
  {
    name: 'web attack campaign',
    entity: 'source_ip=203.0.113.80',
    completes: '23348963-d14d-4f7c-aaf1-935fcef8c6ed', // SQL Injection Attempt In URL
    lines: [
      nginx('203.0.113.80', 'GET /download.php?file=../../../../etc/passwd HTTP/1.1', 403),
      nginx('203.0.113.80', 'GET /search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E HTTP/1.1', 200),
      nginx('203.0.113.80', 'GET /tin-tuc/chi-tiet.php?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users-- HTTP/1.1', 200, 'sqlmap/1.7.2#stable (https://sqlmap.org)'),
      nginx('203.0.113.80', 'POST /uploads/shell.php?cmd=whoami HTTP/1.1', 200, 'curl/8.4.0'),
    ],
  },
  {
    name: 'password spray over Windows logons',
    entity: 'source_ip=198.51.100.31',
    completes: '4e7c739b-fb69-4a63-bde3-43c7b4b0c6d8', // Windows Password Spraying
    lines: times(12, (i) => winlogon(4625, ['administrator', 'ketoan', 'nhansu', 'vanthu', 'giamdoc', 'itadmin'][i % 6], '198.51.100.31', i)),
  },
  {
    name: 'malware outbreak on several hosts',
    entity: 'malware=Win32/Emotet.BX',
    completes: 'da086415-a46f-4f5b-823c-bd352a728fb2', // Malware Outbreak
    lines: ['kt-pc-07', 'kt-pc-09', 'tc-pc-02'].map((h) => eset(`${h}.so-tttt.local`, 'Win32/Emotet.BX', 'cleaning failed, file retained', false)),
  },
  {
    name: 'IDS alert',
    entity: 'source_ip=198.51.100.66',
    completes: '8bd87d1b-5c62-43ff-a03a-a6b302827839', // High Severity IDS Alert
    lines: [suricata('198.51.100.66', '10.20.0.15', 1, 'ET EXPLOIT Apache Struts RCE attempt')],
  },
];

/** An office's ordinary day: logins that work, a mistyped password, web browsing, allowed traffic, a cleaned virus, a low IDS note. */
export const BENIGN: string[] = [
  ...times(5, (i) => ssh('app-01', `Accepted publickey for quantri from 10.20.0.${50 + i} port {port} ssh2`)),
  ssh('app-01', 'Failed password for nguyenvana from 10.20.0.61 port {port} ssh2'),
  ssh('app-01', 'Failed password for nguyenvana from 10.20.0.61 port {port} ssh2'),
  ssh('app-01', 'Accepted password for nguyenvana from 10.20.0.61 port {port} ssh2'),
  ...times(20, (i) => nginx(`10.20.1.${10 + i}`, `GET /tin-tuc/bai-viet-${i}.html HTTP/1.1`, 200)),
  nginx('113.160.5.9', 'GET /search?q=thu+tuc+hanh+chinh HTTP/1.1', 200),
  nginx('113.160.5.9', 'GET /favicon.ico HTTP/1.1', 404),
  ...times(20, (i) => fortigate(`10.20.2.${i + 1}`, '142.250.66.78', 443, 'accept')),
  fortigate('113.161.7.7', '10.20.0.15', 22, 'deny'),
  fortigate('113.161.7.7', '10.20.0.15', 3389, 'deny'),
  ...times(8, (i) => winlogon(4624, `nv${i}`, `10.20.3.${i + 10}`, 500 + i)),
  winlogon(4625, 'ketoan2', '10.20.3.40', 600),
  winlogon(4625, 'ketoan2', '10.20.3.40', 601),
  winlogon(4624, 'ketoan2', '10.20.3.40', 602),
  eset('kt-pc-11.so-tttt.local', 'JS/Adware.Agent.A', 'cleaned by deleting', true),
  suricata('10.20.2.5', '8.8.8.8', 3, 'ET INFO Observed DNS Query to .cloud TLD'),
];
