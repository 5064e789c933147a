/**
 * F5 BIG-IP remote syslog. System, LTM and APM lines have the shape F5 documents for /var/log/ltm and
 * /var/log/apm: `<PRI>Mon DD hh:mm:ss host level process[pid]: 01070638:5: text`, the eight-hex message id and
 * its severity digit before the text. Known messages are read into ECS: pool member up/down, no pool members,
 * configuration AUDIT records (who changed what), login failures, SSL handshake failures, iRule logs, and the
 * APM access-session lines (new session, username, authentication failure, access policy result, session end,
 * bytes). ASM and AFM key="value" records are read in f5_bigip_security.ts. Vendor values under f5_bigip.log.*.
 */
import type { Parser } from './types';
import type { SyslogHeader } from './syslog';
import { f5Pairs, isAfm, isAsm, readAfm, readAsm } from './f5_bigip_security';
import { Doc, ParseFailure, excerpt, set, setEndpoint, toInt } from './util';

/** `notice mcpd[5678]: 01070638:5: text` (the level word F5 writes before the process) */
const BODY = /^(emerg|alert|crit|err|warning|notice|info|debug) ([\w.()-]{1,64}?)(?:\[(\d{1,10})\])?: (?:([0-9a-f]{8}):(\d): )?(.*)$/;
const LEVELS: Record<string, string> = Object.assign(Object.create(null), { emerg: 'emergency', crit: 'critical', err: 'error' });
/** an APM line's access profile, partition and session id: `/Common/ap_vpn:Common:8a1b2c3d: ` */
const APM_SESSION = /^(\/[^\s:]{1,200}):([^\s:]{1,64}):([0-9a-f]{8}): (.*)$/;
const KV_START = /(?:^|[\s:,])(unit_hostname|acl_policy_name|acl_rule_name|errdefs_msgno|hostname|action|ip_client|date_time|bigip_mgmt_ip)="/;

type Reader = (doc: Doc, text: string) => boolean;

const POOL_MEMBER = /^Pool (\S+) member (\S+?):(\d+) monitor status (\w+(?: \w+)?)\./;
const NO_MEMBERS = /^No members available for pool (\S+)/;
const AUDIT = /^AUDIT - (?:client [^,]+, )?user (\S+) - (?:transaction #\S+ - object \d+ - )?(.*?)\s*(?:\[Status=([^\]]*)\])?$/;
const LOGIN_FAILED = /User=(\S+) tty=\S+ host=(\S+) failed to login after (\d+) attempts?/;
const PAM_FAILURE = /authentication failure;.*?rhost=(\S*)\s+user=(\S+)/;
const SSL_FAILED = /^SSL Handshake failed for (TCP|UDP) ([\w:.]+):(\d+) -> ([\w:.]+):(\d+)/;
const IRULE = /^Rule (\S+) <(\w+)>: ?(.*)$/;

const ltm: Reader = (doc, text) => {
  let m = POOL_MEMBER.exec(text);
  if (m) {
    const up = /^up|enabled/i.test(m[4]);
    set(doc, 'event.action', up ? 'pool-member-up' : 'pool-member-down');
    set(doc, 'event.category', ['network']);
    set(doc, 'event.type', ['change']);
    set(doc, 'event.outcome', up ? 'success' : 'failure');
    set(doc, 'f5_bigip.log.pool.name', m[1]);
    set(doc, 'f5_bigip.log.pool.member', `${m[2]}:${m[3]}`);
    set(doc, 'f5_bigip.log.pool.member_status', m[4].toLowerCase());
    setEndpoint(doc, 'server', m[2].replace(/^.*\//, ''), m[3]);
    if ((doc.server as Doc | undefined)?.ip !== undefined) delete (doc.server as Doc).address;
    return true;
  }
  if ((m = NO_MEMBERS.exec(text))) {
    set(doc, 'event.action', 'pool-unavailable');
    set(doc, 'event.category', ['network']);
    set(doc, 'event.type', ['error']);
    set(doc, 'event.outcome', 'failure');
    set(doc, 'f5_bigip.log.pool.name', m[1]);
    return true;
  }
  if ((m = SSL_FAILED.exec(text))) {
    set(doc, 'event.action', 'ssl-handshake-failed');
    set(doc, 'event.category', ['network']);
    set(doc, 'event.type', ['connection', 'error']);
    set(doc, 'event.outcome', 'failure');
    set(doc, 'network.transport', m[1].toLowerCase());
    setEndpoint(doc, 'source', m[2], m[3]);
    setEndpoint(doc, 'destination', m[4], m[5]);
    return true;
  }
  if ((m = IRULE.exec(text))) {
    set(doc, 'event.action', 'irule-log');
    set(doc, 'f5_bigip.log.irule.name', m[1]);
    set(doc, 'f5_bigip.log.irule.event', m[2]);
    set(doc, 'message', m[3]);
    return true;
  }
  return false;
};

const audit: Reader = (doc, text) => {
  const login = LOGIN_FAILED.exec(text);
  const pam = login ? undefined : PAM_FAILURE.exec(text);
  if (login || pam) {
    const [user, host] = login ? [login[1], login[2]] : [pam![2], pam![1]];
    set(doc, 'event.action', 'login-failed');
    set(doc, 'event.category', ['authentication']);
    set(doc, 'event.type', ['start']);
    set(doc, 'event.outcome', 'failure');
    set(doc, 'user.name', user);
    if (host && host !== '(unknown)') setEndpoint(doc, 'source', host);
    if ((doc.source as Doc | undefined)?.ip !== undefined) delete (doc.source as Doc).address;
    return true;
  }
  const m = AUDIT.exec(text);
  if (!m) return false;
  set(doc, 'event.action', 'audit');
  set(doc, 'event.category', ['configuration']);
  set(doc, 'event.type', /^RAW:/.test(m[2]) ? ['info'] : ['change']);
  set(doc, 'user.name', m[1]);
  set(doc, 'f5_bigip.log.audit.command', m[2]);
  if (m[3] !== undefined) {
    set(doc, 'f5_bigip.log.audit.status', m[3]);
    set(doc, 'event.outcome', /^Command OK$/i.test(m[3]) ? 'success' : 'failure');
  }
  return true;
};

/** APM access-session messages, after the `/profile:partition:session:` prefix */
const APM: [RegExp, (doc: Doc, m: RegExpExecArray) => void][] = [
  [/^New session from client IP ([\w:.]+)(?: \(ST=[^/]*\/CC=([A-Z]{2})?[^)]*\))? at VIP ([\w:.]+)(?: Listener (\S+))?/, (doc, m) => {
    set(doc, 'event.action', 'session-start');
    set(doc, 'event.category', ['session', 'network']);
    set(doc, 'event.type', ['start']);
    setEndpoint(doc, 'source', m[1]);
    setEndpoint(doc, 'destination', m[3]);
    if (m[2]) set(doc, 'source.geo.country_iso_code', m[2]);
    set(doc, 'f5_bigip.log.listener', m[4]);
  }],
  [/^Username '([^']*)'/, (doc, m) => {
    set(doc, 'event.action', 'session-username');
    set(doc, 'event.category', ['authentication']);
    set(doc, 'event.type', ['info']);
    set(doc, 'user.name', m[1]);
  }],
  [/^(?:[\w ]+ agent: )?\w+ ?(?:\(logon attempt:\d+\))?: authenticate with '([^']*)' failed/, (doc, m) => {
    set(doc, 'event.action', 'authentication-failed');
    set(doc, 'event.category', ['authentication']);
    set(doc, 'event.type', ['start']);
    set(doc, 'event.outcome', 'failure');
    set(doc, 'user.name', m[1]);
  }],
  [/^Access policy result: (\S+)/, (doc, m) => {
    const denied = /deny|denied/i.test(m[1]);
    set(doc, 'event.action', 'access-policy-result');
    set(doc, 'event.category', ['authentication', 'session']);
    set(doc, 'event.type', denied ? ['denied'] : ['allowed', 'start']);
    set(doc, 'event.outcome', denied ? 'failure' : 'success');
    set(doc, 'f5_bigip.log.access_policy_result', m[1]);
  }],
  [/^Session deleted(?: due to| \()?\s*([^)]*)\)?/, (doc, m) => {
    set(doc, 'event.action', 'session-end');
    set(doc, 'event.category', ['session']);
    set(doc, 'event.type', ['end']);
    set(doc, 'event.reason', m[1].replace(/\.$/, '') || undefined);
  }],
  [/^Session statistics - bytes in: (\d+), bytes out: (\d+)/, (doc, m) => {
    set(doc, 'event.action', 'session-statistics');
    set(doc, 'event.category', ['session', 'network']);
    set(doc, 'event.type', ['info']);
    set(doc, 'source.bytes', toInt(m[1]));
    set(doc, 'destination.bytes', toInt(m[2]));
  }],
];

const apm: Reader = (doc, text) => {
  const s = APM_SESSION.exec(text);
  if (!s) return false;
  set(doc, 'f5_bigip.log.access_profile', s[1]);
  set(doc, 'f5_bigip.log.partition', s[2]);
  set(doc, 'f5_bigip.log.session.id', s[3]);
  set(doc, 'observer.product', 'BIG-IP APM');
  set(doc, 'message', s[4]);
  for (const [re, read] of APM) {
    const m = re.exec(s[4]);
    if (m) {
      read(doc, m);
      break;
    }
  }
  return true;
};

function readLine(doc: Doc, h: SyslogHeader): void {
  const b = BODY.exec(h.message);
  if (!b) {
    if (h.appname) set(doc, 'message', h.message);
    else throw new ParseFailure(`f5_bigip: a BIG-IP line needs "level process[pid]: " or key="value" records at ${excerpt(h.message)}`);
    return;
  }
  const [, level, process, pid, msgid, sev, text] = b;
  set(doc, 'log.level', LEVELS[level] ?? level);
  set(doc, 'process.name', process);
  set(doc, 'process.pid', toInt(pid));
  set(doc, 'event.code', msgid);
  set(doc, 'f5_bigip.log.severity.code', toInt(sev));
  set(doc, 'message', text);
  if (!apm(doc, text) && !audit(doc, text)) ltm(doc, text);
}

export const f5Bigip: Parser = {
  name: 'f5_bigip',
  dataset: 'f5_bigip.log',
  observer: { vendor: 'F5', product: 'BIG-IP', type: 'proxy' },
  detect: (_line, h) => (/: [0-9a-f]{8}:\d: /.test(h.message) && BODY.test(h.message)) || /^ASM:\s*unit_hostname="/.test(h.rest) || /(?:^|[\s,])errdefs_msgno="\d+"/.test(h.rest),
  parseLine(doc, line, h, ctx) {
    // BIG-IP writes its own name in the header: it is the observer, the hosts are the endpoints it saw
    delete doc.host;
    delete doc.process;
    set(doc, 'observer.vendor', 'F5');
    set(doc, 'observer.product', 'BIG-IP');
    set(doc, 'observer.type', 'proxy');
    set(doc, 'observer.hostname', h.hostname);
    const kvAt = KV_START.exec(h.rest);
    const kv = kvAt ? f5Pairs(h.rest.slice(kvAt.index)) : undefined;
    if (kv && (isAsm(kv) || isAfm(kv))) {
      delete doc.message;
      if (isAsm(kv)) readAsm(doc, kv, ctx.timezone);
      else readAfm(doc, kv, ctx.timezone);
      return;
    }
    if (!h.message.trim()) throw new ParseFailure(`f5_bigip: nothing after the syslog header in ${excerpt(line)}`);
    readLine(doc, h);
  },
};
