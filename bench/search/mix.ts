/**
 * The events bench/search stores: bench/ingest's mix (sshd, sudo, FortiGate, nginx) plus Windows Security
 * logons (as Winlogbeat sends them) and Cisco ASA denies, parsed by the collector's own parsers so the
 * documents are the ones an agency's logs become, spread over `days` days across several agencies.
 */
import type { EcsEvent } from '../../core/event';
import { parse } from '../../collector/parsers';

export const AGENCIES = ['so-tttt', 'so-yte', 'so-gddt', 'so-tc', 'ubnd-tp-hue', 'so-khdt'];
const pad = (n: number) => String(n).padStart(2, '0');

/** The raw item of event i: a syslog line or a Winlogbeat record. */
const KINDS: ((i: number) => string | Record<string, unknown>)[] = [
  (i) => `<38>Nov 28 10:${pad(i % 60)}:01 web-${i % 17} sshd[${1000 + (i % 900)}]: Failed password for invalid user u${i % 313} from 203.0.113.${i % 250} port ${30000 + (i % 30000)} ssh2`,
  (i) => `<86>Nov 28 10:${pad(i % 60)}:02 app-${i % 9} sudo[${2000 + (i % 500)}]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`,
  (i) =>
    `<189>date=2026-11-28 time=10:00:${pad(i % 60)} devname="FGT-01" devid="FG100F" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=198.51.100.${i % 250} srcport=${40000 + (i % 20000)} srcintf="wan1" dstip=10.0.${i % 20}.${i % 250} dstport=443 dstintf="lan" proto=6 action="accept" policyid=12 service="HTTPS" sentbyte=${i % 9000} rcvdbyte=${i % 70000}`,
  (i) => `<190>Nov 28 10:00:03 web-${i % 5} nginx: 192.0.2.${i % 250} - - [28/Nov/2026:10:00:03 +0700] "GET /tin-tuc/${i}.html HTTP/1.1" ${i % 23 === 0 ? 404 : 200} ${5000 + (i % 4000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"`,
  (i) => ({
    '@timestamp': '2026-11-28T10:00:00Z',
    agent: { type: 'winlogbeat' },
    host: { name: `PC-${i % 40}` },
    winlog: {
      channel: 'Security', event_id: i % 3 === 0 ? 4624 : 4625, provider_name: 'Microsoft-Windows-Security-Auditing', computer_name: `PC-${i % 40}.tinh.local`,
      event_data: { TargetUserName: `nv${i % 500}`, TargetDomainName: 'TINH', IpAddress: `10.2.${i % 30}.${i % 250}`, IpPort: String(50000 + (i % 10000)), LogonType: '3', Status: '0xc000006d', SubStatus: '0xc000006a', WorkstationName: `PC-${i % 40}` },
    },
  }),
  (i) => `<164>Nov 28 2026 10:00:00: %ASA-4-106023: Deny tcp src outside:203.0.113.${i % 250}/${20000 + (i % 40000)} dst inside:10.0.${i % 20}.${i % 250}/${[22, 23, 445, 3389, 1433][i % 5]} by access-group "outside_access_in" [0x0, 0x0]`,
];

/** Event i of n, its time spread evenly over the `days` days before `end` (oldest first, as they arrive). */
export function mixEvent(i: number, n: number, end: number, days: number): EcsEvent {
  const raw = KINDS[i % KINDS.length](i);
  const ev = parse(raw, { receivedAt: new Date(end), sourceIp: `10.1.0.${1 + (i % KINDS.length)}`, timezone: 'Asia/Ho_Chi_Minh' });
  ev['@timestamp'] = new Date(end - Math.floor(((n - 1 - i) / n) * days * 86_400_000)).toISOString();
  ev.organization = { id: AGENCIES[Math.floor(i / 7) % AGENCIES.length] };
  ev.event = { ...ev.event, id: `bench-search-${i}` };
  return ev;
}
