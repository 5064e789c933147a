/**
 * What nginx and Apache share: the NCSA common/combined access line (with optional virtual host
 * and X-Forwarded-For list in front), URL splitting and a small user-agent reader for the browsers,
 * tools and operating systems that dominate government web traffic.
 */
import { Doc, ParseFailure, cleanIp, excerpt, monthIndex, set, setEndpoint, toInt } from './util';

// [vhost[:port]] client[, client...] ident user [dd/Mon/yyyy:hh:mm:ss +zzzz] "request" status bytes ["referrer" "agent"] [extra]
// clients: one token, then ", address" hops; overlapping alternatives here made a long token with commas take seconds
const ACCESS = /^(?:(\S+?)(?::(\d+))? (?=\S+(?:, \S+)* \S+ \S+ \[))?(\S+(?:,\s+[0-9a-fA-F:.]+)*) (\S+) (\S+|"[^"]*") \[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? ([+-]\d{4})\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?(.*)$/;

export const ACCESS_DETECT = /^(?:\S+ )?\S+(?:, \S+)* \S+ \S+ \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2}(?:\.\d+)? [+-]\d{4}\] "/;

export function setUrl(doc: Doc, original: string): void {
  set(doc, 'url.original', original);
  let rest = original;
  const abs = /^(\w+):\/\/([^/:?#]+)(?::(\d+))?(.*)$/.exec(original);
  if (abs) {
    set(doc, 'url.scheme', abs[1]);
    set(doc, 'url.domain', abs[2]);
    if (abs[3]) set(doc, 'url.port', Number(abs[3]));
    rest = abs[4] || '/';
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    set(doc, 'url.fragment', rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  const q = rest.indexOf('?');
  const path = q >= 0 ? rest.slice(0, q) : rest;
  set(doc, 'url.path', path);
  if (q >= 0) set(doc, 'url.query', rest.slice(q + 1));
  const ext = /\.([A-Za-z0-9]{1,10})$/.exec(path.split('/').pop() ?? '');
  if (ext) set(doc, 'url.extension', ext[1].toLowerCase());
}

interface Ua { name: string; version?: string; os?: string; osVersion?: string; device?: string }

const BROWSERS: Array<[RegExp, string]> = [
  [/Edg(?:e|A|iOS)?\/([\d.]+)/, 'Edge'],
  [/OPR\/([\d.]+)/, 'Opera'],
  [/CocCoc\/?([\d.]+)?|coc_coc_browser\/([\d.]+)/, 'Coc Coc'],
  [/SamsungBrowser\/([\d.]+)/, 'Samsung Internet'],
  [/Silk\/([\d.]+)/, 'Amazon Silk'],
  [/Chrome\/([\d.]+)/, 'Chrome'],
  [/CriOS\/([\d.]+)/, 'Chrome Mobile iOS'],
  [/Firefox\/([\d.]+)/, 'Firefox'],
  [/Version\/([\d.]+).*Safari\//, 'Safari'],
  [/MSIE ([\d.]+)/, 'IE'],
  [/Trident\/.*rv:([\d.]+)/, 'IE'],
  [/curl\/([\d.]+)/, 'curl'],
  [/Wget\/([\d.]+)/, 'Wget'],
  [/python-requests\/([\d.]+)/, 'Python Requests'],
  [/Go-http-client\/([\d.]+)/, 'Go-http-client'],
  [/sqlmap\/([\d.]+)/, 'sqlmap'],
  [/Nikto\/?([\d.]+)?/, 'Nikto'],
  [/Googlebot\/([\d.]+)/, 'Googlebot'],
  [/bingbot\/([\d.]+)/, 'bingbot'],
];

export function parseUserAgent(ua: string): Ua | undefined {
  let out: Ua | undefined;
  for (const [re, name] of BROWSERS) {
    const m = re.exec(ua);
    if (m) {
      out = { name, version: m[1] ?? m[2] };
      break;
    }
  }
  if (!out) return undefined;
  let m: RegExpExecArray | null;
  if ((m = /Windows NT ([\d.]+)/.exec(ua))) {
    const names: Record<string, string> = { '10.0': '10', '6.3': '8.1', '6.2': '8', '6.1': '7', '6.0': 'Vista', '5.1': 'XP' };
    out.os = 'Windows';
    out.osVersion = names[m[1]] ?? m[1];
  } else if ((m = /Android ([\d.]+)/.exec(ua))) {
    out.os = 'Android';
    out.osVersion = m[1];
  } else if ((m = /(?:iPhone|CPU) OS ([\d_]+)/.exec(ua))) {
    out.os = 'iOS';
    out.osVersion = m[1].replace(/_/g, '.');
    out.device = /iPad/.test(ua) ? 'iPad' : 'iPhone';
  } else if ((m = /Mac OS X ([\d_.]+)/.exec(ua))) {
    out.os = 'Mac OS X';
    out.osVersion = m[1].replace(/_/g, '.');
    out.device = 'Mac';
  } else if (/Linux/.test(ua)) out.os = 'Linux';
  return out;
}

export function setUserAgent(doc: Doc, ua: string | undefined): void {
  if (!ua || ua === '-') return;
  set(doc, 'user_agent.original', ua);
  const p = parseUserAgent(ua);
  if (!p) return;
  set(doc, 'user_agent.name', p.name);
  set(doc, 'user_agent.version', p.version);
  // ua-parser (Elastic's user_agent processor) says Other for any device it does not name
  set(doc, 'user_agent.device.name', p.device ?? (p.os === 'Android' ? undefined : 'Other'));
  if (p.os) {
    set(doc, 'user_agent.os.name', p.os);
    set(doc, 'user_agent.os.version', p.osVersion);
    set(doc, 'user_agent.os.full', p.osVersion ? `${p.os} ${p.osVersion}` : p.os);
  }
}

/** Parses one access line into ECS; `vendor` names the leftovers namespace (nginx.access / apache.access). */
export function parseAccessLine(doc: Doc, line: string, vendor: 'nginx' | 'apache' | 'apache_tomcat'): void {
  const m = ACCESS.exec(line);
  if (!m) throw new ParseFailure(`not an NCSA common/combined access line at ${excerpt(line)}`);
  const [, vhost, vport, clients, ident, userRaw, dd, mon, yyyy, hh, mi, ss, frac, tz, request, status, bytes, referrer, agent, extra] = m;
  const mo = monthIndex(mon);
  if (mo !== undefined) {
    const sign = tz[0] === '-' ? -1 : 1;
    const off = sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(3, 5)));
    const ms = Date.UTC(+yyyy, mo, +dd, +hh, +mi, +ss, frac ? Number((frac + '00').slice(0, 3)) : 0) - off * 60000;
    if (Number.isFinite(ms)) set(doc, '@timestamp', new Date(ms).toISOString());
  }
  const list = clients.split(/,\s*/);
  // the first public-looking address of X-Forwarded-For is the client; the last hop is the proxy
  const client = list.find((a) => cleanIp(a)) ?? list[0];
  setEndpoint(doc, 'source', client);
  if (list.length > 1 || vendor === 'nginx') set(doc, `${vendor}.access.remote_ip_list`, list);
  if (vhost) {
    set(doc, 'destination.domain', vhost);
    if (vport) set(doc, 'destination.port', Number(vport));
  }
  const user = userRaw.replace(/^"|"$/g, '');
  if (user !== '-') set(doc, 'user.name', user);
  if (ident !== '-') set(doc, `${vendor}.access.identity`, ident);
  const rq = /^(\S+) (\S+)(?: HTTP\/([\d.]+))?$/.exec(request);
  if (rq) {
    set(doc, 'http.request.method', rq[1]);
    setUrl(doc, rq[2]);
    set(doc, 'http.version', rq[3]);
  } else if (request !== '-') set(doc, `${vendor}.access.request`, request);
  const code = toInt(status);
  if (code !== undefined) set(doc, 'http.response.status_code', code);
  const size = toInt(bytes);
  if (size !== undefined) set(doc, 'http.response.body.bytes', size);
  if (referrer && referrer !== '-') set(doc, 'http.request.referrer', referrer);
  setUserAgent(doc, agent);
  if (extra && extra.trim()) set(doc, `${vendor}.access.extra`, extra.trim());
  delete doc.message;
  set(doc, 'event.kind', 'event');
  set(doc, 'event.category', ['web']);
  set(doc, 'event.type', ['access']);
  if (code !== undefined) set(doc, 'event.outcome', code < 400 ? 'success' : 'failure');
}
