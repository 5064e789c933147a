/**
 * Sophos firewalls: XG / SFOS `device="SFW" date=... log_id=... log_type=...` key=value lines
 * (read by sophos_kv.ts, mapped by sophos_xg.ts) and UTM `YYYY:MM:DD-hh:mm:ss host prog[pid]: k="v" ...`
 * lines (packet filter, DHCP). Mapping follows Elastic's sophos.xg / sophos.utm; keys stay under sophos.*.
 */
import type { Parser } from './types';
import { parseXgKeyValues } from './sophos_kv';
import { xg } from './sophos_xg';
import { parseSyslogHeader } from './syslog';
import { Doc, IANA_NUMBERS, ParseFailure, TRANSPORT_BY_NUMBER, append, dateTimeToIso, excerpt, fillCommunityId, isValidTimezone, normalizeMac, parseKeyValues, related, set, setEndpoint, toInt } from './util';

/** UTM's DNS proxy (BIND named): interfaces it listens on or stops listening on, and its other notices as the message */
function named(doc: Doc, body: string): void {
  set(doc, 'event.provider', 'dns');
  set(doc, 'network.protocol', 'dns');
  set(doc, 'network.transport', 'udp');
  set(doc, 'event.category', ['network']);
  set(doc, 'event.type', ['info', 'connection', 'protocol']);
  const on = /^listening on (IPv[46]) interface ([^,\s]+), ([\da-fA-F:.]+)#(\d+)$/.exec(body);
  const off = on ? undefined : /^no longer listening on ([\da-fA-F:.]+)#(\d+)$/.exec(body);
  if (on) {
    set(doc, 'network.type', on[1].toLowerCase());
    set(doc, 'observer.ingress.interface.name', on[2]);
  }
  const addr = on ? [on[3], on[4]] : off ? [off[1], off[2]] : undefined;
  if (!addr) return set(doc, 'message', body);
  set(doc, 'event.action', 'named-listening');
  setEndpoint(doc, 'server', addr[0], addr[1]);
  if (doc.server) delete (doc.server as Doc).address;
}

const UTM_TS = /^(\d{4}):(\d{2}):(\d{2})-(\d{2}):(\d{2}):(\d{2}) (\S+) ([\w./-]+?)(?:\[(\d+)\])?: ?(.*)$/;

function utm(doc: Doc, line: string, tz: string): void {
  const m = UTM_TS.exec(line.replace(/^<\d{1,3}>/, ''));
  if (!m) throw new ParseFailure(`Sophos UTM line needs "YYYY:MM:DD-hh:mm:ss host program:" at ${excerpt(line)}`);
  const [, y, mo, d, hh, mi, ss, host, prog, pid, body] = m;
  set(doc, '@timestamp', dateTimeToIso(`${y}-${mo}-${d}`, `${hh}:${mi}:${ss}`, tz));
  set(doc, 'event.timezone', tz);
  set(doc, 'host.hostname', host);
  set(doc, 'host.name', host);
  set(doc, 'process.name', prog);
  if (pid) set(doc, 'process.pid', Number(pid));
  set(doc, 'observer.vendor', 'Sophos');
  set(doc, 'observer.product', 'UTM');
  set(doc, 'observer.type', 'firewall');
  if (prog === 'dhcpd') {
    set(doc, 'event.provider', 'dhcp');
    set(doc, 'network.protocol', 'dhcp');
    set(doc, 'network.transport', 'udp');
    set(doc, 'event.category', ['network']);
    set(doc, 'event.type', ['info', 'connection', 'protocol']);
    const dh = /^(DHCP[A-Z]+) (?:on ([0-9.]+) to |for ([0-9.]+) from |from )?([0-9a-fA-F:]{17})?(?: \(([^)]*)\))? ?(?:via (\S+?))?(?::\s*(.*))?$/.exec(body);
    // dhcpd start-up: the socket each interface serves (`Listening on LPF/eth0/<mac>/<subnet>`)
    const sock = /^(Listening|Sending) on\s+(\w+)\/([^/\s]+)\/([0-9a-fA-F:]{17})(?:\/(\S+))?\s*$/.exec(body);
    if (dh) {
      set(doc, 'event.action', dh[1].toLowerCase());
      setEndpoint(doc, 'client', dh[2] ?? dh[3]);
      if (doc.client) delete (doc.client as Doc).address;
      set(doc, 'client.mac', normalizeMac(dh[4]));
      if (dh[5]) {
        set(doc, 'client.domain', dh[5]);
        set(doc, 'sophos.utm.client.hostname', dh[5]);
        related(doc, 'hosts', dh[5]);
      }
      set(doc, 'observer.ingress.interface.name', dh[6]);
      set(doc, 'message', dh[7]);
    } else if (sock) {
      set(doc, 'event.action', `dhcpd-${sock[1].toLowerCase()}`);
      set(doc, 'sophos.utm.socket', sock[2]);
      set(doc, 'observer.ingress.interface.name', sock[3]);
      // the firewall's own interface, not a DHCP client (Elastic: client.mac; see CONFORMANCE.md)
      const mac = normalizeMac(sock[4]);
      if (mac) set(doc, 'observer.mac', [mac]);
      set(doc, 'sophos.utm.subnet', sock[5]);
    } else set(doc, 'message', body);
    return;
  }
  if (prog === 'named') return named(doc, body);
  const kv = parseKeyValues(body);
  if (!Object.keys(kv).length) {
    set(doc, 'message', body);
    return;
  }
  set(doc, 'event.code', kv.id);
  set(doc, 'log.level', kv.severity);
  set(doc, 'message', kv.name);
  set(doc, 'event.action', kv.action);
  setEndpoint(doc, 'source', kv.srcip, kv.srcport);
  setEndpoint(doc, 'destination', kv.dstip, kv.dstport);
  set(doc, 'source.mac', normalizeMac(kv.srcmac));
  set(doc, 'destination.mac', normalizeMac(kv.dstmac));
  if (kv.proto) {
    set(doc, 'network.iana_number', kv.proto);
    set(doc, 'network.transport', TRANSPORT_BY_NUMBER[kv.proto] ?? (IANA_NUMBERS[kv.proto.toLowerCase()] ? kv.proto.toLowerCase() : undefined));
  }
  set(doc, 'rule.id', kv.fwrule);
  set(doc, 'observer.ingress.interface.name', kv.initf);
  set(doc, 'observer.egress.interface.name', kv.outitf);
  set(doc, 'user.name', kv.user);
  set(doc, 'url.original', kv.url);
  if (kv.sub === 'packetfilter') {
    set(doc, 'event.category', ['network']);
    append(doc, 'event.type', 'connection', /drop|reject/.test(kv.action ?? '') ? 'denied' : 'allowed');
  } else if (kv.sub === 'auth' || /auth/i.test(kv.name ?? '')) {
    set(doc, 'event.category', ['authentication']);
    set(doc, 'event.outcome', /fail|denied/i.test(`${kv.name} ${kv.status ?? ''}`) ? 'failure' : /success|logged in/i.test(kv.name ?? '') ? 'success' : undefined);
  } else if (kv.virus) {
    set(doc, 'event.kind', 'alert');
    set(doc, 'event.category', ['malware']);
    set(doc, 'threat.software.name', kv.virus);
    set(doc, 'rule.name', kv.virus);
  } else if (kv.sub === 'http') {
    utmWeb(doc, kv);
  } else if (kv.sub === 'ips') {
    // the UTM's Snort engine: the signature and its group; a drop is denied
    set(doc, 'event.kind', 'alert');
    set(doc, 'event.category', ['intrusion_detection', 'network']);
    set(doc, 'event.type', [/drop|reject|block/.test(kv.action ?? '') ? 'denied' : 'info']);
    set(doc, 'rule.id', kv.sid);
    set(doc, 'rule.name', kv.reason);
    set(doc, 'rule.category', kv.group);
  }
  for (const [k, v] of Object.entries(kv)) if (v !== '') set(doc, `sophos.utm.${k.replace(/[^\w]/g, '_')}`, v);
  fillCommunityId(doc);
}

/** UTM web proxy (httpproxy, sub="http"): the request, its verdict, category and the user */
function utmWeb(doc: Doc, kv: Record<string, string>): void {
  const blocked = /block|deny|reject/.test(kv.action ?? '');
  set(doc, 'event.category', ['network', 'web']);
  set(doc, 'event.type', [blocked ? 'denied' : 'allowed', 'access']);
  set(doc, 'http.request.method', kv.method);
  set(doc, 'http.response.status_code', toInt(kv.statuscode) || undefined);
  set(doc, 'http.response.bytes', toInt(kv.size));
  set(doc, 'http.request.referrer', kv.referer);
  set(doc, 'user_agent.original', kv.ua);
  const u = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+)(?::(\d+))?([^?#]*)(?:\?([^#]*))?/i.exec(kv.url ?? '');
  if (u) {
    set(doc, 'url.scheme', u[1].toLowerCase());
    set(doc, 'url.domain', u[2]);
    set(doc, 'url.path', u[4] || undefined);
    set(doc, 'url.query', u[5]);
    related(doc, 'hosts', u[2]);
  }
  set(doc, 'rule.category', kv.categoryname);
  set(doc, 'event.reason', kv.reason || kv.error || undefined);
}

const XG_LINE = /(?:^|[\s>])device="SF?W"\s.*\blog_id=/;
const UTM_LINE = /^(?:<\d+>)?\d{4}:\d{2}:\d{2}-\d{2}:\d{2}:\d{2} /;
/** SFOS 19 and later: `device_name="SFW" timestamp="2026-03-14T09:10:00+0700" device_serial_id=... log_id=... log_type=...` */
const isSfos19 = (s: string): boolean => /(?:^|[\s>])device_name="/.test(s) && /\slog_id="?\d/.test(s) && /\slog_type="/.test(s);
const isSophosLine = (s: unknown): s is string => typeof s === 'string' && (XG_LINE.test(s) || UTM_LINE.test(s) || isSfos19(s));

/** An agent's document whose `message` was already cut up (Filebeat's old RSA module) but whose event.original is the line */
function forwardedLine(o: Record<string, unknown>): string | undefined {
  const event = o.event;
  const original = event && typeof event === 'object' ? (event as Doc).original : undefined;
  return isSophosLine(original) && !isSophosLine(o.message) ? original : undefined;
}

export const sophos: Parser = {
  name: 'sophos',
  dataset: 'sophos.xg',
  observer: { vendor: 'Sophos', type: 'firewall' },
  detect: (line) => isSophosLine(line),
  detectObject: (o) => forwardedLine(o) !== undefined,
  parseObject(doc, obj, ctx) {
    const line = forwardedLine(obj);
    if (!line) throw new ParseFailure('a Sophos document needs a Sophos XG or UTM line in "message" or "event.original"');
    // the agent's zone (Filebeat add_locale) is the zone of the machine that wrote the line
    const agentZone = (obj.event as Doc).timezone;
    const zone = typeof agentZone === 'string' && isValidTimezone(agentZone) ? agentZone : ctx.timezone;
    sophos.parseLine!(doc, line, parseSyslogHeader(line), { ...ctx, timezone: zone });
  },
  parseLine(doc, line, h, ctx) {
    delete doc.process;
    delete doc.host;
    delete doc.message;
    if (UTM_LINE.test(line)) {
      if (!ctx.dataset) set(doc, 'event.dataset', 'sophos.utm');
      return utm(doc, line, ctx.timezone);
    }
    const at = h.rest.search(/(?:^|\s)device(?:_name)?="/);
    const kv = parseXgKeyValues(at >= 0 ? h.rest.slice(at).trimStart() : line);
    const named = kv.device !== undefined || kv.device_name !== undefined;
    if (!kv.log_id && !kv.device_id && !kv.device_serial_id && !named) throw new ParseFailure(`Sophos XG line has no log_id/device_id key=value pairs at ${excerpt(line)}`);
    xg(doc, kv, ctx.timezone);
    // a line cut before its log id (a full relay buffer, a UDP datagram split) keeps what it holds, marked partial
    if (!kv.log_id || !/^\d{12}$/.test(kv.log_id)) {
      set(doc, 'tags', ['partial', 'sophos_parse_failure']);
      set(doc, 'host.hostname', h.hostname);
      set(doc, 'error.message', `sophos: the XG record has ${kv.log_id ? `a truncated log_id "${kv.log_id}"` : 'no log_id'} (its type and verdict are unknown): ${excerpt(line)}`);
    }
  },
};
