/**
 * Microsoft IIS W3C extended access logs. The layout comes from the last `#Fields:` directive seen
 * from the same sender (remembered per source address), else from the layouts IIS writes by default.
 * Times are UTC, as W3C logging writes them. Mapping follows Elastic's iis.access.
 */
import { safeKey } from '../../core/event';
import type { Parser } from './types';
import { Doc, ParseFailure, excerpt, set, setEndpoint, toInt } from './util';
import { setUrl, setUserAgent } from './web_access';

const BASE_LAYOUTS: string[][] = [
  ['date', 'time', 's-ip', 'cs-method', 'cs-uri-stem', 'cs-uri-query', 's-port', 'cs-username', 'c-ip', 'cs(User-Agent)', 'sc-status', 'sc-substatus', 'sc-win32-status', 'time-taken'],
  ['date', 'time', 's-ip', 'cs-method', 'cs-uri-stem', 'cs-uri-query', 's-port', 'cs-username', 'c-ip', 'cs(User-Agent)', 'cs(Referer)', 'sc-status', 'sc-substatus', 'sc-win32-status', 'time-taken'],
  ['date', 'time', 's-ip', 'cs-method', 'cs-uri-stem', 'cs-uri-query', 's-port', 'cs-username', 'c-ip', 'cs(User-Agent)', 'cs(Cookie)', 'cs(Referer)', 'sc-status', 'sc-substatus', 'sc-win32-status', 'sc-bytes', 'cs-bytes', 'time-taken'],
  ['date', 'time', 's-sitename', 'cs-method', 'cs-uri-stem', 'cs-uri-query', 's-port', 'cs-username', 'c-ip', 'cs(User-Agent)', 'cs(Cookie)', 'cs(Referer)', 'cs-host', 'sc-status', 'sc-substatus', 'sc-win32-status', 'sc-bytes', 'cs-bytes', 'time-taken'],
  ['date', 'time', 's-sitename', 's-computername', 's-ip', 'cs-method', 'cs-uri-stem', 'cs-uri-query', 's-port', 'cs-username', 'c-ip', 'cs-version', 'cs(User-Agent)', 'cs(Cookie)', 'cs(Referer)', 'cs-host', 'sc-status', 'sc-substatus', 'sc-win32-status', 'sc-bytes', 'cs-bytes', 'time-taken'],
];
/** the layouts IIS writes when no #Fields line was seen (those Elastic's pipeline reads), each also with a trailing X-Forwarded-For */
// IIS FTP's W3C default: commands (USER, PASS, ControlChannelClosed...) in cs-method
const FTP_LAYOUT = ['date', 'time', 'c-ip', 'cs-username', 's-ip', 's-port', 'cs-method', 'cs-uri-stem', 'sc-status', 'sc-win32-status', 'sc-substatus', 'x-session', 'x-fullpath'];
const DEFAULT_LAYOUTS: string[][] = [...BASE_LAYOUTS.flatMap((l) => [l, [...l, 'X-Forwarded-For']]), FTP_LAYOUT];
const FTP_COMMAND = /^[A-Za-z]{3,32}$/;
const IP_OR_DASH = /^(?:-|[0-9a-fA-F:.%]+)$/;

/** last #Fields per sender; bounded so a flood of senders cannot grow it */
const layouts = new Map<string, string[]>();
const METHOD = /^(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH|TRACE|CONNECT|PROPFIND|PROPPATCH|MKCOL|COPY|MOVE|LOCK|UNLOCK|RPC_IN_DATA|RPC_OUT_DATA|[A-Z]{3,12})$/;
const LINE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} /;

function layoutFor(tokens: string[], sender: string): string[] | undefined {
  const remembered = layouts.get(sender);
  if (remembered && remembered.length === tokens.length) return remembered;
  return DEFAULT_LAYOUTS.find((d) => {
    if (d.length !== tokens.length || !(d === FTP_LAYOUT ? FTP_COMMAND : METHOD).test(tokens[d.indexOf('cs-method')] ?? '')) return false;
    const ip = d.indexOf('s-ip');
    const port = toInt(tokens[d.indexOf('s-port')]);
    return (ip < 0 || IP_OR_DASH.test(tokens[ip])) && port !== undefined && IP_OR_DASH.test(tokens[d.indexOf('c-ip')]);
  });
}

function dash(v: string | undefined): string | undefined {
  return v === undefined || v === '-' || v === '' ? undefined : v;
}

export const iis: Parser = {
  name: 'iis',
  dataset: 'iis.access',
  detect(line) {
    if (line.startsWith('#Fields:') || line.startsWith('#Software: Microsoft Internet Information Services')) return true;
    if (!LINE.test(line)) return false;
    const tokens = line.split(' ');
    return [...layouts.values()].some((l) => l.length === tokens.length) || layoutFor(tokens, '') !== undefined;
  },
  parseLine(doc: Doc, line, _h, ctx) {
    const sender = ctx.sourceIp ?? '-';
    delete doc.host;
    delete doc.process;
    delete doc.log;
    if (line.startsWith('#')) {
      // W3C directives describe the file; #Fields sets the layout of the lines that follow
      if (line.startsWith('#Fields:')) {
        if (layouts.size >= 1000 && !layouts.has(sender)) layouts.clear();
        layouts.set(sender, line.slice(8).trim().split(/\s+/));
      }
      set(doc, 'message', line);
      set(doc, 'iis.access.directive', line.slice(1, line.indexOf(':') > 0 ? line.indexOf(':') : undefined));
      set(doc, 'event.type', ['info']);
      return;
    }
    const tokens = line.split(' ');
    const names = layoutFor(tokens, sender);
    if (!names) throw new ParseFailure(`IIS line has ${tokens.length} fields and no #Fields directive from this sender matches; send the #Fields line first or use the default layout, at ${excerpt(line)}`);
    const f: Record<string, string> = {};
    names.forEach((n, i) => (f[safeKey(n)] = tokens[i]));
    delete doc.message;
    const t = Date.parse(`${f.date}T${f.time}Z`);
    if (!Number.isNaN(t)) set(doc, '@timestamp', new Date(t).toISOString());
    setEndpoint(doc, 'destination', dash(f['s-ip']), dash(f['s-port']));
    setEndpoint(doc, 'source', dash(f['c-ip']), dash(f['c-port']));
    set(doc, 'http.request.method', dash(f['cs-method']));
    const stem = dash(f['cs-uri-stem']);
    if (stem) setUrl(doc, stem);
    set(doc, 'url.query', dash(f['cs-uri-query']));
    const user = dash(f['cs-username']);
    // a user logged as user@domain (an AD user principal name) or DOMAIN\\user
    const upn = user ? /^([^@\\]+)@([^@]+)$/.exec(user) : null;
    const down = user ? /^([^\\]+)\\([^\\]+)$/.exec(user) : null;
    if (upn) {
      set(doc, 'user.name', upn[1]);
      set(doc, 'user.domain', upn[2]);
    } else if (down) {
      set(doc, 'user.name', down[2]);
      set(doc, 'user.domain', down[1]);
    } else set(doc, 'user.name', user);
    set(doc, 'iis.access.cookie', dash(f['cs(Cookie)']));
    set(doc, 'iis.access.session_id', dash(f['x-session']));
    const forwarded = dash(f['X-Forwarded-For']);
    if (forwarded) set(doc, 'network.forwarded_ip', forwarded);
    const ua = dash(f['cs(User-Agent)']);
    if (ua) setUserAgent(doc, ua.replace(/\+/g, ' '));
    set(doc, 'http.request.referrer', dash(f['cs(Referer)']));
    const host = dash(f['cs-host']);
    if (host) {
      set(doc, 'destination.domain', host);
      set(doc, 'url.domain', host);
    }
    const version = dash(f['cs-version']);
    if (version) set(doc, 'http.version', version.replace(/^HTTP\//, ''));
    const status = toInt(f['sc-status']);
    set(doc, 'http.response.status_code', status);
    set(doc, 'iis.access.sub_status', toInt(f['sc-substatus']));
    set(doc, 'iis.access.win32_status', toInt(f['sc-win32-status']));
    set(doc, 'http.response.body.bytes', toInt(f['sc-bytes']));
    set(doc, 'http.request.body.bytes', toInt(f['cs-bytes']));
    const taken = toInt(f['time-taken']);
    if (taken !== undefined) set(doc, 'event.duration', taken * 1e6);
    set(doc, 'iis.access.site_name', dash(f['s-sitename']));
    const server = dash(f['s-computername']);
    if (server) {
      set(doc, 'iis.access.server_name', server);
      set(doc, 'host.name', server.toLowerCase());
      set(doc, 'related.hosts', [server.toLowerCase()]);
    }
    set(doc, 'event.category', ['web', 'network']);
    set(doc, 'event.type', ['connection']);
    if (status !== undefined) set(doc, 'event.outcome', status < 400 ? 'success' : 'failure');
  },
};
