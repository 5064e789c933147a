/**
 * Microsoft DNS Server analytical events (ETW channel Microsoft-Windows-DNS-Server/Analytical, event ids 256–280:
 * QUERY_RECEIVED, RESPONSE_SUCCESS, RECURSE_QUERY_OUT, DYN_UPDATE_RECV...) as Winlogbeat / Elastic Agent's ETW
 * input ship them, mapped as Elastic's microsoft_dnsserver.analytical pipeline: the event data under
 * microsoft_dnsserver.analytical.* with its names, QTYPE and RCODE as words, Source/Destination as endpoints.
 */
import { domainParts } from './domain';
import { Doc, cleanIp, get, lookupTable, set, toInt } from './util';

const PROVIDER = 'Microsoft-Windows-DNSServer';

/** event id -> [description, ETW keyword] (Microsoft's manifest of the DNS Server provider) */
const EVENTS: Record<string, [string, string]> = lookupTable<[string, string]>({
  256: ['Query received', 'QUERY_RECEIVED'], 257: ['Response success', 'RESPONSE_SUCCESS'], 258: ['Response failure', 'RESPONSE_FAILURE'],
  259: ['Ignored query', 'IGNORED_QUERY'], 260: ['Recursive query out', 'RECURSE_QUERY_OUT'], 261: ['Response in', 'RECURSE_RESPONSE_IN'],
  262: ['Recursive query timeout', 'RECURSE_QUERY_TIMEOUT'], 263: ['Update in', 'DYN_UPDATE_RECV'], 264: ['Update response', 'DYN_UPDATE_RESPONSE'],
  265: ['IXFR request out', 'IXFR_REQ_OUT'], 266: ['IXFR request in', 'IXFR_REQ_RECV'], 267: ['IXFR response out', 'IXFR_RESP_OUT'],
  268: ['IXFR response in', 'IXFR_RESP_RECV'], 269: ['AXFR request out', 'AXFR_REQ_OUT'], 270: ['AXFR request in', 'AXFR_REQ_RECV'],
  271: ['AXFR response out', 'AXFR_RESP_OUT'], 272: ['AXFR response in', 'AXFR_RESP_RECV'], 273: ['XFR notification in', 'XFR_NOTIFY_RECV'],
  274: ['XFR notification out', 'XFR_NOTIFY_OUT'], 275: ['XFR notify ACK in', 'XFR_NOTIFY_ACK_IN'], 276: ['XFR notify ACK out', 'XFR_NOTIFY_ACK_OUT'],
  277: ['Dynamic update forward', 'DYN_UPDATE_FORWARD'], 278: ['Dynamic update response in', 'DYN_UPDATE_RESPONSE_IN'],
  279: ['Internal lookup CNAME', 'INTERNAL_LOOKUP_CNAME'], 280: ['Internal lookup additional', 'INTERNAL_LOOKUP_ADDITIONAL'],
});

const QTYPES: Record<string, string> = lookupTable({
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB', 24: 'SIG', 25: 'KEY', 28: 'AAAA',
  29: 'LOC', 33: 'SRV', 35: 'NAPTR', 37: 'CERT', 39: 'DNAME', 43: 'DS', 44: 'SSHFP', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 50: 'NSEC3', 52: 'TLSA',
  64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 255: 'ANY', 257: 'CAA',
});
const RCODES: Record<string, string> = lookupTable({
  0: 'NoError', 1: 'FormErr', 2: 'ServFail', 3: 'NXDomain', 4: 'NotImp', 5: 'Refused', 6: 'YXDomain', 7: 'YXRRSet', 8: 'NXRRSet', 9: 'NotAuth', 10: 'NotZone',
});
const TASKS: Record<string, string> = lookupTable({
  0: 'DEFAULT', 1: 'LOOK_UP', 2: 'RECURSE_QUERY', 3: 'DYNAMIC_UPDATE', 4: 'ZONE_XFR', 5: 'ZONE_OP', 6: 'AGEING', 9: 'CACHE_OP', 10: 'Configuration', 11: 'SERVER_OP', 13: 'POLICY_OP', 14: 'RRL',
});
/** Microsoft's event data names -> Elastic's */
const NAMES: Record<string, string> = lookupTable({
  AdditionalInfo: 'additional_info', BufferSize: 'bytes_sent', CacheScope: 'cache_scope', DNSSEC: 'dnssec', ElapsedTime: 'elapsed_time', GUID: 'guid',
  InterfaceIP: 'interface_ip', PacketData: 'packet_data', PolicyName: 'policy_name', QNAME: 'question_name', QueriesAttached: 'queries_attached', QXID: 'qxid',
  Reason: 'reason', RecursionDepth: 'recursion_depth', RecursionScope: 'recursion_scope', Scope: 'scope', Secure: 'secure', XID: 'xid', Zone: 'zone', ZoneScope: 'zone_scope',
});

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

export function isAnalytical(o: Record<string, unknown>): boolean {
  const w = o.winlog;
  if (!w || typeof w !== 'object') return false;
  const provider = (w as Doc).provider_name ?? get(o as Doc, 'event.provider');
  const id = str((w as Doc).event_id) ?? str(get(o as Doc, 'event.code'));
  return provider === PROVIDER && id !== undefined && EVENTS[id] !== undefined;
}

function endpoints(doc: Doc, id: number, data: Record<string, unknown>): void {
  const src = cleanIp(str(data.Source));
  const dst = cleanIp(str(data.Destination));
  const port = toInt(str(data.Port));
  if (src) set(doc, 'source.ip', src);
  if (dst) set(doc, 'destination.ip', dst);
  if (port !== undefined) set(doc, dst ? 'destination.port' : 'source.port', port);
  // a client asked (256, 259, 263) or was answered (257, 258, 264); the others talk to another server
  const clientSide = id === 256 || id === 259 || id === 263 ? src : id === 257 || id === 258 || id === 264 ? dst : undefined;
  if (clientSide) set(doc, 'client.ip', clientSide);
  else if (dst ?? src) set(doc, 'server.ip', dst ?? src);
}

/** Fills `doc` from one analytical event document */
export function readAnalytical(doc: Doc, o: Record<string, unknown>): void {
  for (const k of ['@timestamp', 'host', 'agent', 'tags']) if (o[k] !== undefined) doc[k] = o[k];
  const w = { ...(o.winlog as Doc) };
  const data = (w.event_data && typeof w.event_data === 'object' ? w.event_data : {}) as Record<string, unknown>;
  delete w.event_data;
  const code = (str(w.event_id) ?? str(get(o as Doc, 'event.code')))!;
  const id = Number(code);
  const [description, keyword] = EVENTS[code];
  const a = 'microsoft_dnsserver.analytical';
  set(doc, 'event.dataset', 'microsoft_dnsserver.analytical');
  set(doc, 'event.module', 'microsoft_dnsserver');
  set(doc, 'event.code', code);
  set(doc, 'event.provider', PROVIDER);
  set(doc, 'event.kind', 'event');
  set(doc, 'event.category', ['network']);
  set(doc, 'event.type', ['protocol']);
  set(doc, `${a}.description`, description);
  for (const [k, v] of Object.entries(data)) {
    if (['QTYPE', 'RCODE', 'Flags', 'AA', 'AD', 'RD', 'TC', 'TCP', 'Source', 'Destination', 'Port'].includes(k)) continue;
    if (k === 'PolicyName' && v === 'NULL') continue;
    set(doc, `${a}.${NAMES[k] ?? k}`, v);
  }
  const qtype = str(data.QTYPE);
  if (qtype) set(doc, `${a}.question_type`, QTYPES[qtype] ?? qtype);
  const rcode = str(data.RCODE);
  if (rcode) set(doc, `${a}.response_code`, RCODES[rcode] ?? rcode);
  set(doc, 'dns.id', str(data.XID));
  const name = str(data.QNAME);
  set(doc, 'dns.question.name', name);
  set(doc, 'dns.question.type', qtype ? QTYPES[qtype] ?? qtype : undefined);
  const parts = name ? domainParts(name) : undefined;
  if (parts) {
    set(doc, 'dns.question.registered_domain', parts.registered_domain);
    set(doc, 'dns.question.top_level_domain', parts.top_level_domain);
    set(doc, 'dns.question.subdomain', parts.subdomain);
  }
  if (rcode) {
    set(doc, 'dns.response_code', RCODES[rcode] ?? rcode);
    set(doc, 'event.outcome', rcode === '0' ? 'success' : 'failure');
  }
  const flags = (['AA', 'AD', 'RD', 'TC'] as const).filter((f) => str(data[f]) === '1');
  if (flags.length) set(doc, 'dns.header_flags', flags);
  set(doc, 'network.protocol', 'dns');
  const tcp = str(data.TCP);
  if (tcp) set(doc, 'network.transport', tcp === '1' ? 'tcp' : 'udp');
  set(doc, 'event.reason', str(data.Reason));
  set(doc, 'network.bytes', toInt(str(data.BufferSize)));
  const task = str(w.task);
  if (task) w.task = TASKS[task] ?? task;
  set(doc, 'event.action', str(w.task));
  set(doc, 'process.pid', toInt(str(w.process_id)));
  set(doc, 'process.thread.id', toInt(str(w.thread_id)));
  delete w.process_id;
  delete w.thread_id;
  w.keywords = [keyword];
  doc.winlog = w;
  endpoints(doc, id, data);
}
