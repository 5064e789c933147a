/**
 * Cisco IOS / IOS-XE / NX-OS syslog: `[seq:] [host:] [*|.]Mmm dd [yyyy] hh:mm:ss[.mmm] [TZ]: %FAC-SEV-MNEMONIC: text`.
 * The switch and router messages a SOC acts on (login failures and successes, configuration changes,
 * ACL hits, port-security violations, link changes) map to ECS; the rest keep facility, severity and text.
 */
import type { Parser } from './types';
import { Doc, LOG_LEVELS, ParseFailure, excerpt, get, parseTimestamp, set, setEndpoint, toInt } from './util';
import { readCatalogue } from './cisco_ios_catalogue';
import type { ResolvedContext } from './types';

// `<PRI>count: [host: ][sequence: ]time: %TAG`: the syslog message count, then `service sequence-numbers`
const HEAD = '(?:(\\d+): )?(?:((?!\\d+: )[\\w.-]+): )?(?:(\\d+): )?';
const IOS = new RegExp(`^${HEAD}[*.]?([A-Z][a-z]{2}\\s+\\d{1,2}(?: \\d{4})? \\d{1,2}:\\d{2}:\\d{2}(?:\\.\\d+)?)(?: ([A-Za-z]{2,6}))?: %([A-Z][A-Z0-9_]*(?:-[A-Z0-9_]+)?)-(\\d|[FACEWNID])-([A-Za-z0-9_]+): ?(.*)$`);
const BARE = new RegExp(`^${HEAD}%([A-Z][A-Z0-9_]*(?:-[A-Z0-9_]+)?)-(\\d|[FACEWNID])-([A-Za-z0-9_]+): ?(.*)$`);
/** Cisco Small Business switches (SG/CBS) write the severity as a letter: %LINK-W-Down, %AAA-I-CONNECT */
const SB_SEVERITY: Record<string, number> = { F: 0, A: 1, C: 2, E: 3, W: 4, N: 5, I: 6, D: 7 };
/** the tag straight after a syslog header's host name: `<188>Mar 14 09:05:00 sw-2 %LINK-W-Down: ...` */
const TAG_FIRST = /^%[A-Z][A-Z0-9_]*(?:-[A-Z0-9_]+)?-(?:\d|[FACEWNID])-[A-Za-z0-9_]+: /;
const DETECT = /(?:^|: )[*.]?(?:[A-Z][a-z]{2}\s+\d{1,2}(?: \d{4})? \d{1,2}:\d{2}:\d{2}(?:\.\d+)?(?: [A-Za-z]{2,6})?: )?%[A-Z][A-Z0-9_]*(?:-[A-Z0-9_]+)?-(?:\d|[FACEWNID])-[A-Za-z0-9_]+: /;

function endpoint(s: string): [string, string | undefined] {
  const m = /^([0-9a-fA-F:.]+?)(?:\((\d+)\)|:(\d+))?$/.exec(s);
  return m ? [m[1], m[2] ?? m[3]] : [s, undefined];
}

function details(doc: Doc, mnemonic: string, facility: string, text: string): void {
  if (readCatalogue(doc, facility, mnemonic, text)) return;
  let m: RegExpExecArray | null;
  const bracket = (k: string): string | undefined => new RegExp(`\\[${k}: ([^\\]]*)\\]`).exec(text)?.[1];
  if (facility === 'SEC_LOGIN' && /^LOGIN_(FAILED|SUCCESS)$/.test(mnemonic)) {
    const ok = mnemonic === 'LOGIN_SUCCESS';
    set(doc, 'user.name', bracket('user'));
    // as Elastic: the user who logged in is the source's user
    set(doc, 'source.user.name', bracket('user'));
    setEndpoint(doc, 'source', bracket('Source'));
    if (toInt(bracket('localport')) !== undefined) set(doc, 'destination.port', toInt(bracket('localport')));
    set(doc, 'event.reason', bracket('Reason'));
    set(doc, 'event.action', ok ? 'logged-in' : 'logon-failed');
    set(doc, 'event.category', ['authentication']);
    set(doc, 'event.type', ['start']);
    set(doc, 'event.outcome', ok ? 'success' : 'failure');
  } else if (facility === 'SSH' && /USERAUTH/.test(mnemonic) && (m = /User '([^']*)' authentication for SSH\d? Session from ([0-9a-fA-F:.]+).*?(Succeeded|Failed)/i.exec(text))) {
    set(doc, 'user.name', m[1]);
    setEndpoint(doc, 'source', m[2]);
    const ok = /Succeeded/i.test(m[3]);
    set(doc, 'event.action', ok ? 'logged-in' : 'logon-failed');
    set(doc, 'event.category', ['authentication']);
    set(doc, 'event.type', ['start']);
    set(doc, 'event.outcome', ok ? 'success' : 'failure');
    set(doc, 'network.protocol', 'ssh');
  } else if (facility === 'SYS' && mnemonic === 'CONFIG_I' && (m = /^Configured from (\S+) by (\S+?)(?: on (\S+))?(?: \(([0-9a-fA-F:.]+)\))?$/.exec(text))) {
    set(doc, 'user.name', m[2]);
    setEndpoint(doc, 'source', m[4]);
    set(doc, 'event.action', 'configuration-changed');
    set(doc, 'event.category', ['configuration']);
    set(doc, 'event.type', ['change']);
  } else if ((facility === 'PORT_SECURITY' && mnemonic === 'PSECURE_VIOLATION') || mnemonic === 'SECURITY_VIOLATION') {
    const mac = /MAC address ([0-9a-fA-F.:-]{12,17})/.exec(text)?.[1];
    if (mac) {
      const hex = mac.replace(/[^0-9a-fA-F]/g, '');
      if (hex.length === 12) set(doc, 'source.mac', hex.toUpperCase().match(/.{2}/g)!.join('-'));
    }
    const port = /(?:on port|interface) (\S+?)[.,]?(?:\s|$)/.exec(text)?.[1];
    set(doc, 'observer.ingress.interface.name', port);
    set(doc, 'event.category', ['network']);
    set(doc, 'event.type', ['info']);
    set(doc, 'event.action', 'port-security-violation');
  } else if ((facility === 'LINK' || facility === 'LINEPROTO') && /UPDOWN/.test(mnemonic) && (m = /Interface (\S+?), changed state to (\w+)/.exec(text))) {
    set(doc, 'observer.ingress.interface.name', m[1]);
    set(doc, 'event.action', `interface-${m[2].toLowerCase()}`);
    set(doc, 'event.category', ['network']);
    set(doc, 'event.type', ['change']);
  } else if (facility === 'TCP' && mnemonic === 'BADAUTH' && (m = /from (\S+) to (\S+?)(?: \(|\s|$)/.exec(text))) {
    const [src, sport] = endpoint(m[1]);
    const [dst, dport] = endpoint(m[2]);
    setEndpoint(doc, 'source', src, sport);
    setEndpoint(doc, 'destination', dst, dport);
    const t = /tableid - (\d+)/.exec(text);
    if (t) set(doc, 'cisco.ios.tableid', t[1]);
  }
}

/** as Elastic: the address family of the source, when the message names one */
function networkType(doc: Doc): void {
  const ip = get(doc, 'source.ip');
  if (typeof ip === 'string' && get(doc, 'network.type') === undefined) set(doc, 'network.type', ip.includes(':') ? 'ipv6' : 'ipv4');
}

/** Tries the IOS layout on each candidate (after a relay header, then the whole line), then without a timestamp. */
function parseIos(doc: Doc, candidates: string[], ctx: ResolvedContext, headerHost?: string): void {
  let count: string | undefined;
  let seq: string | undefined;
  let host: string | undefined;
  let ts: string | undefined;
  let zone: string | undefined;
  let facility = '';
  let sev = '';
  let mnemonic = '';
  let text = '';
  let found = false;
  let relayed = false;
  for (const [i, c] of candidates.entries()) {
    const m = IOS.exec(c);
    if (m) {
      [, count, host, seq, ts, zone, facility, sev, mnemonic, text] = m;
      relayed = i === 0 && headerHost !== undefined;
      found = true;
      break;
    }
  }
  for (const [i, c] of (found ? [] : candidates).entries()) {
    const b = BARE.exec(c);
    if (b) {
      [, count, host, seq, facility, sev, mnemonic, text] = b;
      relayed = i === 0 && headerHost !== undefined;
      found = true;
      break;
    }
  }
  // after a relay's syslog header the first number is the device's sequence number, not a message count
  if (relayed && count !== undefined && seq === undefined && host === undefined) [seq, count] = [count, undefined];
  if (!found) throw new ParseFailure(`no Cisco %FACILITY-SEVERITY-MNEMONIC: tag in ${excerpt(candidates[candidates.length - 1])}`);
  if (ts) {
    // a known zone word is applied; an unknown one (AUSEST) falls back to the source's zone and is kept
    const known = zone && /^(UTC|GMT|Z)$/i.test(zone);
    const t = parseTimestamp(known ? `${ts} UTC` : ts, ctx);
    if (t) set(doc, '@timestamp', t);
    set(doc, 'event.timezone', zone ?? ctx.timezone);
  }
  const severity = /^\d$/.test(sev) ? Number(sev) : SB_SEVERITY[sev];
  set(doc, 'cisco.ios.facility', facility);
  if (count !== undefined) set(doc, 'cisco.ios.message_count', Number(count));
  if (seq !== undefined) set(doc, 'cisco.ios.sequence', seq);
  // as Elastic: the sequence number when the device sends one, else the message count
  const sequence = seq ?? count;
  if (sequence !== undefined) set(doc, 'event.sequence', Number(sequence));
  set(doc, 'event.code', mnemonic);
  set(doc, 'event.severity', severity);
  set(doc, 'log.level', LOG_LEVELS[severity]);
  set(doc, 'message', text);
  set(doc, 'observer.vendor', 'Cisco');
  set(doc, 'observer.product', 'IOS');
  set(doc, 'observer.type', 'router');
  // Elastic's cisco_ios writes this constant on every message (its newer releases with observer.type router)
  set(doc, 'event.provider', 'firewall');
  const name = host ?? headerHost;
  if (name) {
    set(doc, 'observer.hostname', name);
    set(doc, 'log.syslog.hostname', name);
  }
  set(doc, 'event.category', ['network']);
  set(doc, 'event.type', ['info']);
  details(doc, mnemonic, facility, text);
  networkType(doc);
}

export const ciscoIos: Parser = {
  name: 'cisco_ios',
  dataset: 'cisco_ios.log',
  observer: { vendor: 'Cisco', product: 'IOS', type: 'router' },
  detect: (line, h) => (DETECT.test(line) || TAG_FIRST.test(h.rest ?? '')) && !/%(ASA|FTD|PIX|FWSM|NGIPS)-(?:[a-z]+-)?\d-\d{6}:/.test(line),
  parseLine(doc, line, h, ctx) {
    // the IOS text may follow a relay's syslog header (`<189>Oct 16 07:41:48 host 157475316: *Oct 16 ...`)
    delete doc.process;
    delete doc.host;
    delete doc.message;
    parseIos(doc, [h.rest, line.replace(/^<\d{1,3}>/, '')], ctx, h.timestamp !== undefined ? h.hostname : undefined);
  },
};
