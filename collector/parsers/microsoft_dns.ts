/**
 * Microsoft DNS Server debug log (dns.log, "DNS debug logging" in the server's properties), the packet lines
 * Microsoft documents in the log's own legend: date, time, thread id, context (PACKET, EVENT, Note:), packet id,
 * UDP/TCP, Snd/Rcv, remote IP, xid, R (response) or blank (query), opcode (Q standard, N notify, U update, ?),
 * `[flags-hex flag-chars RCODE]`, question type and the question name as `(3)www(7)example(3)com(0)`.
 * A query log is what ties a machine to a domain (which computer asked for the C2 name): the client that asked is
 * client.ip (and source.ip on a received packet), the name is dns.question.name with its registered domain.
 * The file's legend and header lines, and detail lines of "details" logging, are events of kind event with the
 * line as message. The analytical (ETW) events come as agent documents: microsoft_dns_analytical.ts.
 */
import type { Parser } from './types';
import { domainParts } from './domain';
import { isAnalytical, readAnalytical } from './microsoft_dns_analytical';
import { Doc, ParseFailure, excerpt, localToEpoch, lookupTable, set, setEndpoint } from './util';

/** date (M/D/YYYY, D/M/YYYY, YYYY-MM-DD), time (12 h with AM/PM or 24 h), thread id, the rest */
const LINE = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4}) (\d{1,2}):(\d{2}):(\d{2})(?: ([AP]M))? ([0-9A-Fa-f]{3,8}) (.*)$/;
const PACKET = /^PACKET +([0-9A-Fa-f]{6,16}) (UDP|TCP) (Snd|Rcv) ([0-9A-Fa-f:.]+) +([0-9A-Fa-f]{1,4}) +(R )?([QNU?]) \[([0-9A-Fa-f]{4}) +([ATDR]*) +([A-Z]+)\] +(\S+) +(\S+)\s*$/;
const HEADER = /^(?:DNS Server log file|Log file wrap at|Message logging key|\s*Field #|\s*-{3,}|\s*\d{1,2}\s+\S|\s+\S)/;

const OPCODES: Record<string, string> = lookupTable({ Q: 'QUERY', N: 'NOTIFY', U: 'UPDATE', '?': 'UNKNOWN' });
const FLAG_NAMES: Record<string, string> = lookupTable({ A: 'AA', T: 'TC', D: 'RD', R: 'RA' });

/** `(3)www(7)example(3)com(0)` -> `www.example.com`; a name the server could not print stays as logged */
export function questionName(wire: string): string {
  if (!wire.startsWith('(')) return wire;
  const labels: string[] = [];
  const re = /\((\d{1,3})\)([^()]*)/g;
  for (let m = re.exec(wire); m; m = re.exec(wire)) if (m[2]) labels.push(m[2]);
  return labels.length ? labels.join('.') : '.';
}

/** Month/day order: a first number above 12 is a day (D/M locale); otherwise the US order the legend uses */
function epoch(m: RegExpExecArray, tz: string): number {
  let [y, mo, d] = m[1].length === 4 ? [+m[1], +m[2], +m[3]] : +m[1] > 12 ? [+m[3], +m[2], +m[1]] : [+m[3], +m[1], +m[2]];
  if (y < 100) y += 2000;
  let h = +m[4];
  if (m[7] === 'PM' && h < 12) h += 12;
  if (m[7] === 'AM' && h === 12) h = 0;
  return localToEpoch(y, mo - 1, d, h, +m[5], +m[6], 0, tz);
}

function packet(doc: Doc, p: RegExpExecArray): void {
  const [, packetId, transport, dir, remote, xid, response, opcode, flagsHex, flagChars, rcode, qtype, qname] = p;
  const isResponse = response === 'R ';
  set(doc, 'event.category', ['network']);
  set(doc, 'event.type', ['protocol', 'info']);
  set(doc, 'event.action', isResponse ? 'dns-response' : 'dns-query');
  set(doc, 'network.protocol', 'dns');
  set(doc, 'network.transport', transport.toLowerCase());
  // a received packet comes from the remote address; a sent one goes to it
  setEndpoint(doc, dir === 'Rcv' ? 'source' : 'destination', remote);
  // the remote is the client for a query received or a response sent; otherwise an upstream server (recursion)
  const remoteIsClient = (dir === 'Rcv') !== isResponse;
  setEndpoint(doc, remoteIsClient ? 'client' : 'server', remote);
  for (const side of ['source', 'destination', 'client', 'server']) delete (doc[side] as Doc | undefined)?.address;
  set(doc, 'dns.id', xid);
  set(doc, 'dns.type', isResponse ? 'answer' : 'query');
  set(doc, 'dns.op_code', OPCODES[opcode]);
  const flags = [...flagChars].map((c) => FLAG_NAMES[c]).filter(Boolean);
  if (flags.length) set(doc, 'dns.header_flags', flags);
  if (isResponse) {
    set(doc, 'dns.response_code', rcode);
    set(doc, 'event.outcome', rcode === 'NOERROR' ? 'success' : 'failure');
  }
  set(doc, 'dns.question.type', qtype);
  const name = questionName(qname);
  set(doc, 'dns.question.name', name);
  const parts = domainParts(name);
  if (parts) {
    set(doc, 'dns.question.registered_domain', parts.registered_domain);
    set(doc, 'dns.question.top_level_domain', parts.top_level_domain);
    set(doc, 'dns.question.subdomain', parts.subdomain);
  }
  set(doc, 'microsoft.dns.packet_id', packetId);
  set(doc, 'microsoft.dns.flags', flagsHex);
  set(doc, 'microsoft.dns.direction', dir === 'Rcv' ? 'receive' : 'send');
}

export const microsoftDns: Parser = {
  name: 'microsoft_dns',
  dataset: 'microsoft_dnsserver.debug',
  module: 'microsoft_dnsserver',
  observer: { vendor: 'Microsoft', product: 'DNS Server', type: 'dns' },
  detect: (line) => {
    const m = LINE.exec(line);
    return m !== null && m[9].startsWith('PACKET ');
  },
  detectObject: isAnalytical,
  parseObject(doc, obj) {
    if (!isAnalytical(obj)) throw new ParseFailure('a DNS Server analytical document needs winlog.provider_name Microsoft-Windows-DNSServer and an event id 256-280');
    readAnalytical(doc, obj);
    set(doc, 'observer.vendor', 'Microsoft');
    set(doc, 'observer.product', 'DNS Server');
    set(doc, 'observer.type', 'dns');
  },
  parseLine(doc: Doc, line, _h, ctx) {
    delete doc.process;
    delete doc.log;
    delete doc.host;
    set(doc, 'observer.vendor', 'Microsoft');
    set(doc, 'observer.product', 'DNS Server');
    set(doc, 'observer.type', 'dns');
    const m = LINE.exec(line);
    if (!m) {
      if (!HEADER.test(line) || !line.trim()) throw new ParseFailure(`a DNS debug log line needs "date time thread-id context" at ${excerpt(line)}`);
      set(doc, 'message', line.trim());
      set(doc, 'event.type', ['info']);
      return;
    }
    // the server writes its local time without an offset: read it in the source's zone
    const t = epoch(m, ctx.timezone);
    if (!Number.isNaN(t)) {
      set(doc, '@timestamp', new Date(t).toISOString());
      set(doc, 'event.timezone', ctx.timezone);
    }
    set(doc, 'microsoft.dns.thread_id', m[8]);
    const rest = m[9];
    const context = /^(\S+)/.exec(rest)![1].replace(/:$/, '');
    set(doc, 'microsoft.dns.context', context);
    if (context !== 'PACKET') {
      set(doc, 'message', rest.slice(context.length).replace(/^:?\s+/, ''));
      set(doc, 'event.type', ['info']);
      return;
    }
    const p = PACKET.exec(rest);
    if (p) {
      delete doc.message;
      return packet(doc, p);
    }
    // a cut or garbled packet line: its time and thread are read, the rest is kept and said
    set(doc, 'message', rest);
    set(doc, 'tags', ['partial', 'microsoft_dns_parse_failure']);
    set(doc, 'error.message', `microsoft_dns: a PACKET line needs "packet-id UDP|TCP Snd|Rcv ip xid [R] opcode [flags chars RCODE] type name" at ${excerpt(rest)}`);
  },
};
