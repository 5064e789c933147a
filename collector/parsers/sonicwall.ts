/**
 * SonicWall SonicOS syslog (the "Default" / enhanced key=value format of SonicOS Log Events reference):
 * `id=firewall sn=<serial> time="2026-05-02 09:00:00 UTC" fw=<wan ip> pri=6 c=<category> m=<message id>
 * msg="Connection Opened" src=10.0.0.5:51000:X0 dst=198.51.100.1:443:X1 proto=tcp/https sent=… rcvd=…
 * fw_action="drop" usr="name" note="…"`. Every key stays under sonicwall.*.
 */
import type { Parser } from './types';
import { Doc, IANA_NUMBERS, LOG_LEVELS, ParseFailure, append, dateTimeToIso, excerpt, fillCommunityId, normalizeMac, parseKeyValues, set, setEndpoint, toInt } from './util';

const DETECT = /\bid=\S+ sn=[0-9A-Fa-f]{6,} (?:time="[^"]*" )?fw=/;

/** `10.0.0.5:51000:X0[:host]` → ip, port, interface (IPv4 only: SonicOS writes IPv6 in its own src6= keys) */
function endpoint(v: string | undefined): { ip?: string; port?: string; iface?: string; name?: string } {
  if (!v) return {};
  const [ip, port, iface, name] = v.split(':');
  return { ip, port, iface, name };
}

function verdict(kv: Record<string, string>): 'allowed' | 'denied' | undefined {
  const action = (kv.fw_action ?? '').replace(/"/g, '').toLowerCase();
  if (/drop|deny|block|reject/.test(action)) return 'denied';
  if (/forward|allow|accept/.test(action)) return 'allowed';
  const msg = (kv.msg ?? '').toLowerCase();
  if (/\b(?:dropped|denied|blocked)\b/.test(msg)) return 'denied';
  if (/connection (?:opened|closed)/.test(msg)) return 'allowed';
  return undefined;
}

function classify(doc: Doc, kv: Record<string, string>): void {
  const msg = kv.msg ?? '';
  const v = verdict(kv);
  if (/\b(?:IPS|Intrusion|Gateway Anti-Virus|GAV|Anti-Spyware|Botnet|Capture ATP|malware|virus)\b/i.test(`${msg} ${kv.category ?? ''}`)) {
    set(doc, 'event.kind', 'alert');
    append(doc, 'event.category', /virus|malware|spyware|ATP/i.test(msg) ? 'malware' : 'intrusion_detection', 'network');
    append(doc, 'event.type', v === 'denied' ? 'denied' : 'info');
  } else if (/\b(?:login|logged|logout|authentication)\b/i.test(msg)) {
    append(doc, 'event.category', 'authentication');
    const failed = /fail|denied|invalid|lockout/i.test(msg);
    append(doc, 'event.type', /logout|logged out/i.test(msg) ? 'end' : 'start');
    set(doc, 'event.outcome', failed ? 'failure' : 'success');
  } else if (kv.src || kv.dst) {
    append(doc, 'event.category', 'network');
    const end = /closed/i.test(msg) ? ['end'] : /opened/i.test(msg) ? ['start'] : [];
    append(doc, 'event.type', 'connection', ...(v ? [v] : []), ...end);
    if (v) set(doc, 'event.outcome', 'success');
  }
  if (msg) set(doc, 'event.action', msg.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''));
}

export const sonicwall: Parser = {
  name: 'sonicwall',
  dataset: 'sonicwall.firewall',
  observer: { vendor: 'SonicWall', product: 'SonicOS', type: 'firewall' },
  detect: (line) => DETECT.test(line),
  parseLine(doc, line, _h, ctx) {
    const at = line.search(/\bid=\S+ sn=/);
    if (at < 0) throw new ParseFailure(`SonicWall line needs "id=... sn=..." at ${excerpt(line)}`);
    const kv = parseKeyValues(line.slice(at));
    if (!kv.sn) throw new ParseFailure(`SonicWall line has no sn= serial at ${excerpt(line)}`);
    set(doc, 'observer.vendor', 'SonicWall');
    set(doc, 'observer.product', 'SonicOS');
    set(doc, 'observer.type', 'firewall');
    set(doc, 'observer.serial_number', kv.sn);
    if (kv.fw) set(doc, 'observer.ip', kv.fw);
    const t = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?: (UTC))?$/.exec(kv.time ?? '');
    if (t) set(doc, '@timestamp', dateTimeToIso(t[1], t[2], t[3] ? 'UTC' : ctx.timezone));
    const pri = toInt(kv.pri);
    if (pri !== undefined && pri >= 0 && pri <= 7) {
      set(doc, 'event.severity', pri);
      set(doc, 'log.level', LOG_LEVELS[pri]);
    }
    set(doc, 'event.code', kv.m);
    if (kv.msg) set(doc, 'message', kv.msg);
    const src = endpoint(kv.src);
    const dst = endpoint(kv.dst);
    setEndpoint(doc, 'source', src.ip, src.port);
    setEndpoint(doc, 'destination', dst.ip, dst.port);
    if (src.iface) set(doc, 'observer.ingress.interface.name', src.iface);
    if (dst.iface) set(doc, 'observer.egress.interface.name', dst.iface);
    if (src.name) set(doc, 'source.domain', src.name);
    if (dst.name) set(doc, 'destination.domain', dst.name);
    set(doc, 'source.mac', normalizeMac(kv.srcMac));
    set(doc, 'destination.mac', normalizeMac(kv.dstMac));
    const [transport, service] = (kv.proto ?? '').toLowerCase().split('/');
    if (transport) {
      set(doc, 'network.transport', transport);
      if (IANA_NUMBERS[transport]) set(doc, 'network.iana_number', IANA_NUMBERS[transport]);
    }
    if (service) set(doc, 'network.protocol', service);
    set(doc, 'source.bytes', toInt(kv.sent));
    set(doc, 'destination.bytes', toInt(kv.rcvd));
    const user = kv.usr?.replace(/^"|"$/g, '');
    if (user) {
      set(doc, 'source.user.name', user);
      set(doc, 'user.name', user);
    }
    if (kv.rule) set(doc, 'rule.name', kv.rule);
    if (kv.dstname) set(doc, 'url.domain', kv.dstname);
    if (kv.arg) set(doc, 'url.path', kv.arg);
    classify(doc, kv);
    for (const [k, v] of Object.entries(kv)) if (v !== '') set(doc, `sonicwall.${k.replace(/[^\w]/g, '_')}`, v);
    fillCommunityId(doc);
  },
};
