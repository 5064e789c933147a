/**
 * Microsoft DHCP Server audit log (DhcpSrvLog-*.log, DhcpV6SrvLog-*.log), the comma-separated rows Microsoft
 * documents as "Analyze DHCP Server Log Files": ID,Date,Time,Description,IP Address,Host Name,MAC Address,User
 * Name,TransactionID,QResult,Probationtime,CorrelationID,Dhcid,VendorClass(Hex),VendorClass(ASCII),UserClass(Hex),
 * UserClass(ASCII),RelayAgentInformation,DnsRegError. A lease row is what ties an address to a machine at a time
 * (which computer had 10.0.0.15 at 09:15): source.ip, source.domain and source.mac, as Elastic's microsoft_dhcp.
 * The file's own header lines (the title and the ID legend) are kept as events of kind event without fields.
 */
import type { Parser } from './types';
import { Doc, ParseFailure, excerpt, localToEpoch, lookupTable, set, setEndpoint } from './util';

type Row = [action: string | undefined, category: string[], type: string[], outcome?: 'failure'];

const NET = ['network'];
const ROGUE = ['authentication', 'network'];
const C = ['connection'];
const AC = ['allowed', 'connection'];
const CD = ['connection', 'denied'];

/** IPv4 event ids (Microsoft's legend at the top of every DhcpSrvLog file) → ECS categorisation */
const V4: Record<string, Row> = lookupTable<Row>({
  '00': ['log-start', ['process'], ['start']], '01': ['log-end', ['process'], ['end']], '02': ['log-pause', ['process'], ['change'], 'failure'],
  '10': ['dhcp-new', NET, AC], '11': ['dhcp-renew', NET, AC], '12': ['dhcp-release', NET, AC], '13': ['dhcp-conflict', NET, C],
  '14': ['dhcp-pool-exhausted', NET, CD, 'failure'], '15': ['dhcp-deny', NET, CD, 'failure'], '16': ['dhcp-delete', NET, C],
  '17': ['dhcp-expire', NET, C], '18': ['dhcp-expire', NET, C], '20': ['bootp-new', NET, AC], '21': ['bootp-new', NET, AC],
  '22': ['bootp-pool-exhausted', NET, CD, 'failure'], '23': ['bootp-delete', NET, CD, 'failure'], '24': ['ip-cleanup-start', ['process'], ['start']],
  '25': ['ip-cleanup-end', ['process'], ['start']], '30': ['dhcp-dns-update', NET, C], '31': ['dhcp-dns-update', NET, C, 'failure'],
  '32': ['dhcp-dns-update', NET, C], '33': ['dhcp-nap-drop', NET, C, 'failure'], '34': ['dhcp-dns-update', NET, C, 'failure'],
  '35': ['dhcp-dns-update', NET, CD, 'failure'], '36': ['dhcp-failover-drop', NET, CD, 'failure'],
  '50': ['rogue-server-detection', ROGUE, C, 'failure'], '51': ['rogue-server-detection', ROGUE, AC], '52': ['rogue-server-detection', ROGUE, C],
  '53': ['rogue-server-detection', ROGUE, AC], '54': ['rogue-server-detection', ROGUE, CD, 'failure'], '55': ['rogue-server-detection', ROGUE, AC],
  '56': ['rogue-server-detection', ROGUE, CD, 'failure'], '57': ['rogue-server-detection', ROGUE, C], '58': ['rogue-server-detection', ROGUE, C, 'failure'],
  '59': ['rogue-server-detection', ROGUE, C, 'failure'], '60': ['rogue-server-detection', ROGUE, C], '61': ['rogue-server-detection', ROGUE, C],
  '62': ['rogue-server-detection', ROGUE, C], '63': ['rogue-server-detection', ROGUE, C], '64': ['rogue-server-detection', ROGUE, C],
});

const QRESULT: Record<string, string> = lookupTable({ '0': 'NoQuarantine', '1': 'Quarantine', '2': 'Drop Packet', '3': 'Probation', '6': 'No Quarantine Information' });
const ROW = /^(\d{2,5}),(\d{2})\/(\d{2})\/(\d{2,4}),(\d{2}):(\d{2}):(\d{2}),/;
const HEADER = /^(?:Microsoft DHCP Service Activity Log|\s*Event ID\s+Meaning|ID,Date,Time,Description|\s*\d{2,5}\s+\D)/;

function dash(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

export const microsoftDhcp: Parser = {
  name: 'microsoft_dhcp',
  dataset: 'microsoft_dhcp.log',
  detect: (line) => ROW.test(line) && line.split(',').length >= 7,
  parseLine(doc: Doc, line, _h, ctx) {
    delete doc.host;
    delete doc.process;
    delete doc.log;
    set(doc, 'observer.vendor', 'Microsoft');
    set(doc, 'observer.product', 'DHCP Server');
    if (HEADER.test(line) && !ROW.test(line)) {
      set(doc, 'message', line.trim());
      set(doc, 'event.type', ['info']);
      return;
    }
    const m = ROW.exec(line);
    if (!m) throw new ParseFailure(`a DHCP server log row needs "ID,MM/DD/YY,HH:MM:SS," at ${excerpt(line)}`);
    const cols = line.split(',');
    const [code, , , , ip, hostName, mac, user, transaction, qresult, probation, correlation, dhcid, vendorHex, vendorText, userHex, userText, relay, dnsError] = cols;
    const description = dash(cols[3]);
    delete doc.message;
    set(doc, 'message', description);
    set(doc, 'event.code', code);
    // the server writes its local time without an offset: read it in the source's zone
    const year = m[4].length === 2 ? 2000 + Number(m[4]) : Number(m[4]);
    const t = localToEpoch(year, Number(m[2]) - 1, Number(m[3]), Number(m[5]), Number(m[6]), Number(m[7]), 0, ctx.timezone);
    if (!Number.isNaN(t)) {
      set(doc, '@timestamp', new Date(t).toISOString());
      set(doc, 'event.timezone', ctx.timezone);
    }
    const row = code.length === 2 ? V4[code] : undefined;
    if (row) {
      set(doc, 'event.action', row[0]);
      set(doc, 'event.category', [...row[1]]);
      set(doc, 'event.type', [...row[2]]);
    }
    set(doc, 'event.outcome', row?.[3] ?? 'success');
    if (dash(ip) && dash(ip) !== '0.0.0.0') setEndpoint(doc, 'source', dash(ip));
    const host = dash(hostName)?.toLowerCase();
    if (host) {
      set(doc, 'source.domain', host);
      set(doc, 'related.hosts', [host]);
    }
    const hex = dash(mac)?.replace(/[-:.]/g, '').toUpperCase();
    if (hex && /^[0-9A-F]{12}$/.test(hex)) set(doc, 'source.mac', hex.replace(/(..)(?!$)/g, '$1-'));
    else if (hex) set(doc, 'microsoft.dhcp.client_id', dash(mac));
    set(doc, 'user.name', dash(user));
    const d = 'microsoft.dhcp';
    set(doc, `${d}.transaction_id`, dash(transaction));
    set(doc, `${d}.result`, dash(qresult));
    if (dash(qresult) && QRESULT[dash(qresult)!]) set(doc, `${d}.result_description`, QRESULT[dash(qresult)!]);
    set(doc, `${d}.probation_time`, dash(probation));
    set(doc, `${d}.correlation_id`, dash(correlation));
    set(doc, `${d}.dhc_id`, dash(dhcid));
    set(doc, `${d}.vendor.hex`, dash(vendorHex));
    set(doc, `${d}.vendor.string`, dash(vendorText));
    set(doc, `${d}.user.hex`, dash(userHex));
    set(doc, `${d}.user.string`, dash(userText));
    set(doc, `${d}.relay_agent_info`, dash(relay));
    set(doc, `${d}.dns_error_code`, dash(dnsError?.replace(/\.$/, '')));
  },
};
