/**
 * Linux authentication logs (auth.log / secure): sshd logins and disconnects, PAM, sudo, su,
 * user and group management. Field names and categories follow Elastic's system.auth pipeline.
 */
import type { Parser } from './types';
import type { SyslogHeader } from './syslog';
import { Doc, append, get, set, setEndpoint } from './util';

const AUTH_PROGRAMS = new Set([
  'sshd', 'sudo', 'su', 'login', 'passwd', 'chpasswd', 'useradd', 'userdel', 'usermod', 'groupadd', 'groupdel',
  'groupmod', 'gpasswd', 'chage', 'systemd-logind', 'polkitd', 'unix_chkpwd', 'cron', 'CRON', 'crond', 'sshd-session',
  'pkexec', 'doas', 'vsftpd', 'dovecot', 'gdm-password', 'lightdm', 'xrdp-sesman',
]);
const IAM_PROGRAMS = new Set(['groupadd', 'groupdel', 'groupmod', 'useradd', 'userdel', 'usermod']);

const SSH_LOGIN = /^(Accepted|Failed|Postponed|Partial) (\S+) for (invalid user )?(.*?) from (\S+) port (\d+)(?: ssh2)?(?:: (.*))?$/;
const SSH_INVALID = /^(Invalid|Illegal) user (.*?) from (\S+)(?: port (\d+))?\s*$/;
const SSH_CLOSED = /^Connection (closed|reset) by (?:(authenticating|invalid) user (.*?) )?(\S+?)(?: port (\d+))?(?: \[preauth\])?\s*$/;
const SSH_DISCONNECTED = /^Disconnected from (?:(authenticating|invalid) user (.*?) |user (.*?) )?(\S+) port (\d+)(?: \[preauth\])?\s*$/;
const SSH_RECEIVED_DISCONNECT = /^(?:error: )?Received disconnect from (\S+?)(?: port (\d+))?:\s?(\d+): (.*?)(?: \[preauth\])?$/;
const SSH_REVERSE = /^reverse mapping checking getaddrinfo for (\S+) \[([0-9a-fA-F:.]+)\] failed( - POSSIBLE BREAK-IN ATTEMPT!)?/;
const SSH_USERAUTH_INVALID = /^input_userauth_request: invalid user (.*?) \[preauth\]$/;
const REPEATED = /^message repeated (\d+) times: \[\s*(.*?)\s*\]\s*$/;
const SSH_NO_ID = /^Did not receive identification string from (\S+)(?: port (\d+))?/;
const SSH_MAX_AUTH = /^(?:error: )?maximum authentication attempts exceeded for (invalid user )?(.*?) from (\S+) port (\d+)/;
const SUDO = /^\s*(\S.*?) : (?:([^=;]*?) ; )?((?:TTY|PWD)=.*)$/;
const NEW_GROUP = /^new group: name=([^,]+), GID=(\d+)/;
const NEW_USER = /^new user: name=([^,]+), UID=(\d+), GID=(\d+), home=([^,]*), shell=([^,]*?)(?:, from=.*)?$/;

function quoted(s: string): string {
  return s.replace(/^['"]|['"]$/g, '');
}

function parseSsh(doc: Doc, msg: string): boolean {
  let m = SSH_LOGIN.exec(msg);
  if (m) {
    const [, ev, method, , user, addr, port, sig] = m;
    set(doc, 'system.auth.ssh.event', ev);
    set(doc, 'system.auth.ssh.method', method);
    set(doc, 'system.auth.ssh.signature', sig);
    set(doc, 'user.name', user.trim());
    setEndpoint(doc, 'source', addr, port);
    if (ev === 'Accepted') {
      Object.assign(doc.event as Doc, { category: ['authentication', 'session'], type: ['info'], action: 'ssh_login', outcome: 'success' });
    } else if (ev === 'Failed') {
      Object.assign(doc.event as Doc, { category: ['authentication'], type: ['info'], action: 'ssh_login', outcome: 'failure' });
    }
    return true;
  }
  m = SSH_INVALID.exec(msg);
  if (m) {
    set(doc, 'system.auth.ssh.event', 'Invalid');
    set(doc, 'user.name', m[2].trim());
    setEndpoint(doc, 'source', m[3], m[4]);
    Object.assign(doc.event as Doc, { category: ['authentication'], type: ['info'], action: 'ssh_login', outcome: 'failure' });
    return true;
  }
  m = SSH_MAX_AUTH.exec(msg);
  if (m) {
    set(doc, 'system.auth.ssh.event', 'MaxAuthTries');
    set(doc, 'user.name', m[2].trim());
    setEndpoint(doc, 'source', m[3], m[4]);
    Object.assign(doc.event as Doc, { category: ['authentication'], type: ['info'], action: 'ssh_login', outcome: 'failure' });
    return true;
  }
  m = SSH_CLOSED.exec(msg);
  if (m) {
    set(doc, 'system.auth.ssh.event', m[1] === 'closed' ? 'Connection closed' : 'Connection reset');
    if (m[3] !== undefined) set(doc, 'user.name', m[3].trim());
    setEndpoint(doc, 'source', m[4], m[5]);
    // a connection dropped while authenticating is an abandoned (usually failed) login attempt
    Object.assign(doc.event as Doc, { category: ['network'], type: ['end'], action: 'ssh_disconnect' });
    if (m[2]) set(doc, 'system.auth.ssh.stage', m[2] === 'invalid' ? 'invalid_user' : 'preauth');
    return true;
  }
  m = SSH_DISCONNECTED.exec(msg);
  if (m) {
    set(doc, 'system.auth.ssh.event', 'Disconnected');
    const user = m[2] ?? m[3];
    if (user !== undefined) set(doc, 'user.name', user.trim());
    setEndpoint(doc, 'source', m[4], m[5]);
    Object.assign(doc.event as Doc, { category: m[3] !== undefined ? ['session'] : ['network'], type: ['end'], action: 'ssh_disconnect' });
    if (m[1]) set(doc, 'system.auth.ssh.stage', m[1] === 'invalid' ? 'invalid_user' : 'preauth');
    return true;
  }
  m = SSH_RECEIVED_DISCONNECT.exec(msg);
  if (m) {
    set(doc, 'system.auth.ssh.event', 'Received disconnect');
    setEndpoint(doc, 'source', m[1], m[2]);
    set(doc, 'system.auth.ssh.disconnect_reason', m[4]);
    Object.assign(doc.event as Doc, { category: ['network'], type: ['end'], action: 'ssh_disconnect' });
    return true;
  }
  m = SSH_REVERSE.exec(msg);
  if (m) {
    setEndpoint(doc, 'source', m[2]);
    set(doc, 'source.domain', m[1]);
    set(doc, 'system.auth.ssh.event', 'Reverse mapping failed');
    if (m[3]) set(doc, 'system.auth.ssh.possible_break_in', true);
    return true;
  }
  m = SSH_USERAUTH_INVALID.exec(msg);
  if (m) {
    set(doc, 'user.name', m[1].trim());
    set(doc, 'system.auth.ssh.event', 'Invalid');
    return true;
  }
  m = SSH_NO_ID.exec(msg);
  if (m) {
    set(doc, 'system.auth.ssh.dropped_ip', m[1]);
    setEndpoint(doc, 'source', m[1], m[2]);
    return true;
  }
  return false;
}

function parseSudo(doc: Doc, msg: string): boolean {
  const m = SUDO.exec(msg);
  if (!m || !/COMMAND=/.test(m[3])) return false;
  set(doc, 'user.name', m[1].trim());
  if (m[2]) set(doc, 'system.auth.sudo.error', m[2].trim());
  // `KEY=value ; KEY=value ; COMMAND=rest of line` (COMMAND may itself contain " ; ")
  const cmdAt = m[3].indexOf('COMMAND=');
  const head = m[3].slice(0, cmdAt);
  for (const part of head.split(' ; ')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (key) set(doc, `system.auth.sudo.${key}`, value);
  }
  set(doc, 'system.auth.sudo.command', m[3].slice(cmdAt + 8));
  const target = get(doc, 'system.auth.sudo.user');
  if (typeof target === 'string') set(doc, 'user.effective.name', target);
  append(doc, 'event.category', 'process');
  append(doc, 'event.type', 'start');
  set(doc, 'event.action', m[2] ? 'sudo_failed' : 'sudo');
  set(doc, 'event.outcome', m[2] ? 'failure' : 'success');
  return true;
}

function parsePam(doc: Doc, msg: string, process: string | undefined): void {
  // old syslogs put PAM in the tag (`sshd(pam_unix)[123]: authentication failure; ...`): infer the PAM type
  const cat = /^pam_unix\([^:)]*:(\w+)\)/.exec(msg)?.[1] ??
    (/^session (opened|closed) for/.test(msg) ? 'session' : /^(authentication failure;|check pass;)/.test(msg) ? 'auth' : undefined);
  if (msg.includes('pam_faillock(')) {
    const u = /for user (\S+)/.exec(msg);
    if (u) set(doc, 'user.name', u[1]);
    append(doc, 'event.category', 'authentication');
    append(doc, 'event.type', 'info');
    set(doc, 'event.outcome', 'failure');
    set(doc, 'event.action', 'account-locked');
    return;
  }
  if (msg.includes('password check failed')) {
    const u = /for user \(?([\w.@$-]+)\)?/.exec(msg);
    if (u) set(doc, 'user.name', u[1]);
    append(doc, 'event.category', 'authentication');
    append(doc, 'event.type', 'info');
    set(doc, 'event.outcome', 'failure');
    set(doc, 'event.action', 'authentication_failure');
    return;
  }
  if (process === 'usermod') {
    const m = /^add '([^']+)' to (?:shadow )?group '([^']*)'/.exec(msg);
    if (m) {
      set(doc, 'user.name', m[1]);
      set(doc, 'user.target.name', m[1]);
      set(doc, 'group.name', m[2]);
      set(doc, 'event.action', 'group-member-added');
    }
  }
  if (process === 'userdel' || process === 'gpasswd' || process === 'groupdel') {
    const m = /^delete '([^']+)' from (?:shadow )?group '([^']*)'/.exec(msg);
    if (m) {
      set(doc, 'user.target.name', m[1]);
      set(doc, 'group.name', m[2]);
      set(doc, 'event.action', 'group-member-removed');
    }
    const g = /^removed (?:shadow )?group '([^']*)'/.exec(msg);
    if (g) set(doc, 'group.name', g[1]);
    const u = /^delete user '([^']+)'/.exec(msg);
    if (u) {
      set(doc, 'user.name', u[1]);
      set(doc, 'user.target.name', u[1]);
    }
  }
  if (process === 'gpasswd') {
    const m = /user (\S+) (added|removed) by (\S+) (?:to|from) group (.*)$/.exec(msg);
    if (m) {
      set(doc, 'user.target.name', m[1]);
      set(doc, 'user.name', m[3]);
      set(doc, 'group.name', m[4]);
      append(doc, 'event.category', 'iam');
      append(doc, 'event.type', 'change');
      set(doc, 'event.outcome', 'success');
      set(doc, 'event.action', m[2] === 'added' ? 'group-user-added' : 'group-user-removed');
    }
  }
  // PAM user names: "for user X by Y(uid=N)", "for user X", "by user X"
  if (get(doc, 'user.name') === undefined && get(doc, 'user.target.name') === undefined) {
    let m = /for user ['"]?(.*?)['"]? by ['"]?(.*?)['"]?(?:\(uid=(\d+)\))?$/.exec(msg);
    if (m) {
      if (m[2]) {
        set(doc, 'user.name', m[2]);
        set(doc, 'user.effective.name', m[1]);
        if (m[3] !== undefined) set(doc, 'user.id', m[3]);
      } else {
        // "by (uid=0)" names no one: the session's user is both who and as whom (Elastic: user.name ""); the uid is
        // the calling daemon's, so it is not given to that user (user.id 0 would make every ssh session look like root)
        set(doc, 'user.name', m[1]);
        set(doc, 'user.effective.name', m[1]);
      }
    } else if ((m = /for user ['"]?(.*?)['"]?$/.exec(msg))) set(doc, 'user.name', m[1]);
    else if ((m = /by user ['"]?(.*?)['"]?$/.exec(msg))) set(doc, 'user.name', m[1]);
    else if ((m = /\S user ['"](.*?)['"]/.exec(msg))) set(doc, 'user.name', m[1]);
  }
  if (cat === 'chauthtok') {
    append(doc, 'event.category', 'iam');
    append(doc, 'event.type', 'change');
    set(doc, 'event.outcome', msg.includes('password changed') ? 'success' : 'failure');
    set(doc, 'event.action', 'password-changed');
    // the account whose password changed is the target; the actor is PAM's logname (who ran passwd), when given
    const target = /password changed for (\S+)$/.exec(msg)?.[1] ?? /\buser=(\S+)\s*$/.exec(msg)?.[1];
    const actor = /\blogname=(\S+)/.exec(msg)?.[1];
    if (actor) set(doc, 'user.name', actor);
    else if (target) set(doc, 'user.name', target);
    const name = target ?? get(doc, 'user.name');
    if (typeof name === 'string') set(doc, 'user.target.name', name);
  }
  if (cat === 'session') append(doc, 'event.category', 'session');
  if (cat === 'auth' && /check pass; user unknown/.test(msg)) {
    // PAM could not find the account: a login attempt with a wrong name, not a success (Elastic says success)
    append(doc, 'event.category', 'authentication');
    append(doc, 'event.type', 'info');
    set(doc, 'event.outcome', 'failure');
    set(doc, 'event.action', 'authentication_failure');
    set(doc, 'event.reason', 'user unknown');
  } else if (cat === 'auth' && !msg.includes('authentication failure')) {
    append(doc, 'event.category', 'authentication');
    set(doc, 'event.outcome', 'success');
  }
  if (msg.includes('authentication failure')) {
    append(doc, 'event.category', 'authentication');
    append(doc, 'event.type', 'info');
    set(doc, 'event.outcome', 'failure');
    set(doc, 'event.action', 'authentication_failure');
  }
  const rhost = /rhost=(\S*)\s*(?:user=(\S*))?\s*$/.exec(msg);
  if (rhost) {
    if (rhost[1] && get(doc, 'source.address') === undefined) setEndpoint(doc, 'source', rhost[1]);
    if (rhost[2] && get(doc, 'user.name') === undefined) set(doc, 'user.name', rhost[2]);
  }
  if (msg.includes('session opened')) {
    set(doc, 'event.action', 'logged-on');
    append(doc, 'event.type', 'start');
  }
  if (msg.includes('session closed')) {
    set(doc, 'event.action', 'logged-off');
    append(doc, 'event.type', 'end');
  }
}

function parseAccounts(doc: Doc, msg: string, process: string | undefined): void {
  let m = NEW_GROUP.exec(msg);
  if (m) {
    set(doc, 'group.name', m[1]);
    set(doc, 'group.id', m[2]);
  }
  m = NEW_USER.exec(msg);
  if (m) {
    set(doc, 'user.name', m[1]);
    set(doc, 'user.id', m[2]);
    set(doc, 'group.id', m[3]);
    set(doc, 'system.auth.useradd.home', m[4]);
    set(doc, 'system.auth.useradd.shell', m[5]);
  }
  if (!process || !IAM_PROGRAMS.has(process)) return;
  append(doc, 'event.category', 'iam');
  set(doc, 'event.outcome', msg.includes('fail') ? 'failure' : 'success');
  if (process.startsWith('user')) append(doc, 'event.type', 'user');
  else append(doc, 'event.type', 'group');
  if (process.endsWith('add')) append(doc, 'event.type', 'creation');
  if (process.endsWith('del')) append(doc, 'event.type', 'deletion');
  if (process.endsWith('mod')) append(doc, 'event.type', 'change');
}

/** Fills system.auth fields from the message body (after the syslog tag). */
export function parseAuthMessage(doc: Doc, text: string, process: string | undefined): void {
  // rsyslog folds identical lines: count them, then read the line itself
  let msg = text;
  const rep = REPEATED.exec(text);
  if (rep) {
    set(doc, 'system.auth.message_repeats', Number(rep[1]));
    msg = rep[2];
  }
  const ssh = parseSsh(doc, msg);
  const sudo = !ssh && parseSudo(doc, msg);
  if (!ssh && !sudo) {
    parseAccounts(doc, msg, process);
    parsePam(doc, msg, process);
  }
}

export const linuxAuth: Parser = {
  name: 'linux_auth',
  dataset: 'system.auth',
  detect(_line: string, h: SyslogHeader): boolean {
    const app = h.appname?.replace(/\(.*$/, '');
    if (app && AUTH_PROGRAMS.has(app)) return true;
    // `gdm(pam_unix)`, `xscreensaver(pam_unix)`: any program speaking through PAM
    if (h.appname && /\(pam_\w+\)/.test(h.appname)) return true;
    return /^pam_\w+\(/.test(h.message);
  },
  parseLine(doc, _line, h) {
    const process = (get(doc, 'process.name') as string | undefined) ?? h.appname;
    parseAuthMessage(doc, h.message, process);
    if (h.rfc === '5424' && h.version) set(doc, 'system.auth.syslog.version', h.version);
  },
};
