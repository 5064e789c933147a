/**
 * Linux audit daemon records: `[node=H ]type=T msg=audit(EPOCH:SEQ): k=v ...` including the
 * enriched upper-case fields (UID="root") and the quoted inner msg='...' of USER_* records.
 * Each line is one event; records of one serial joined by newlines (what Auditbeat keeps in `message`) are read
 * as one event. Keys stay under auditd.log.*, ECS as Elastic's auditd.log. Auditbeat's coalesced documents
 * (auditd.data, auditd.summary, auditd.messages) are normalized as Elastic's coalesced pipeline does.
 */
import { safeKey } from '../../core/event';
import type { Parser } from './types';
import { Doc, ParseFailure, append, epochToIso, excerpt, get, parseKeyValues, related, set, setEndpoint, toInt, lookupTable } from './util';

const HEAD = /^(?:node=(\S+) )?type=(\S+) msg=audit\((\d+(?:\.\d+)?):(\d+)\):\s*/;

const ARCH: Record<string, string> = { c000003e: 'x86_64', '40000003': 'i386', c00000b7: 'aarch64', '40000028': 'arm', c0000015: 'ppc64le', '80000016': 's390x' };

/** syscall name → [action, category, type] */
const SYSCALLS: Record<string, [string, string, string]> = lookupTable({
  execve: ['executed', 'process', 'start'], execveat: ['executed', 'process', 'start'],
  unlink: ['deleted', 'file', 'deletion'], unlinkat: ['deleted', 'file', 'deletion'], rmdir: ['deleted', 'file', 'deletion'],
  rename: ['moved', 'file', 'change'], renameat: ['moved', 'file', 'change'], renameat2: ['moved', 'file', 'change'],
  open: ['opened-file', 'file', 'access'], openat: ['opened-file', 'file', 'access'], creat: ['created', 'file', 'creation'],
  mkdir: ['created-directory', 'file', 'creation'], mkdirat: ['created-directory', 'file', 'creation'],
  chmod: ['changed-file-permissions-of', 'file', 'change'], fchmod: ['changed-file-permissions-of', 'file', 'change'], fchmodat: ['changed-file-permissions-of', 'file', 'change'],
  chown: ['changed-file-ownership-of', 'file', 'change'], fchown: ['changed-file-ownership-of', 'file', 'change'], fchownat: ['changed-file-ownership-of', 'file', 'change'], lchown: ['changed-file-ownership-of', 'file', 'change'],
  truncate: ['wrote-to-file', 'file', 'change'], ftruncate: ['wrote-to-file', 'file', 'change'],
  connect: ['connected-to', 'network', 'connection'], bind: ['bound-socket', 'network', 'start'], accept: ['accepted-connection-from', 'network', 'connection'], accept4: ['accepted-connection-from', 'network', 'connection'],
  kill: ['killed-pid', 'process', 'end'], tkill: ['killed-pid', 'process', 'end'], tgkill: ['killed-pid', 'process', 'end'],
  ptrace: ['traced', 'process', 'access'], init_module: ['loaded-kernel-module', 'driver', 'start'], finit_module: ['loaded-kernel-module', 'driver', 'start'], delete_module: ['unloaded-kernel-module', 'driver', 'end'],
  setuid: ['changed-identity-of', 'process', 'change'], setgid: ['changed-identity-of', 'process', 'change'], setresuid: ['changed-identity-of', 'process', 'change'],
  mount: ['mounted', 'file', 'creation'], umount2: ['unmounted', 'file', 'deletion'],
});

/** x86_64 syscall numbers for the names above, for lines without the enriched SYSCALL= field. */
const X86_64: Record<string, string> = {
  '59': 'execve', '322': 'execveat', '87': 'unlink', '263': 'unlinkat', '84': 'rmdir', '82': 'rename', '264': 'renameat', '316': 'renameat2',
  '2': 'open', '257': 'openat', '85': 'creat', '83': 'mkdir', '258': 'mkdirat', '90': 'chmod', '91': 'fchmod', '268': 'fchmodat', '92': 'chown',
  '93': 'fchown', '260': 'fchownat', '94': 'lchown', '76': 'truncate', '77': 'ftruncate', '42': 'connect', '49': 'bind', '43': 'accept', '288': 'accept4',
  '62': 'kill', '200': 'tkill', '234': 'tgkill', '101': 'ptrace', '175': 'init_module', '313': 'finit_module', '176': 'delete_module', '105': 'setuid',
  '106': 'setgid', '117': 'setresuid', '165': 'mount', '166': 'umount2',
};

const USER_RECORDS: Record<string, [string, string, string]> = lookupTable({
  USER_AUTH: ['authenticated', 'authentication', 'info'], USER_LOGIN: ['logged-in', 'authentication', 'start'], USER_LOGOUT: ['logged-out', 'authentication', 'end'],
  USER_START: ['started-session', 'session', 'start'], USER_END: ['ended-session', 'session', 'end'], USER_ACCT: ['was-authorized', 'authentication', 'info'],
  CRED_ACQ: ['acquired-credentials', 'authentication', 'info'], CRED_DISP: ['disposed-credentials', 'authentication', 'info'], CRED_REFR: ['refreshed-credentials', 'authentication', 'info'],
  USER_CMD: ['ran-command', 'process', 'start'], ADD_USER: ['added-user-account', 'iam', 'creation'], DEL_USER: ['deleted-user-account', 'iam', 'deletion'],
  ADD_GROUP: ['added-group-account-to', 'iam', 'creation'], DEL_GROUP: ['deleted-group-account-from', 'iam', 'deletion'], USER_CHAUTHTOK: ['changed-password', 'iam', 'change'],
  USER_MGMT: ['modified-user-account', 'iam', 'change'], GRP_MGMT: ['modified-group-account', 'iam', 'change'], SERVICE_START: ['started-service', 'process', 'start'],
  SERVICE_STOP: ['stopped-service', 'process', 'end'], USER_AVC: ['access-permission', 'configuration', 'access'], AVC: ['violated-selinux-policy', 'configuration', 'access'],
  ANOM_PROMISCUOUS: ['changed-promiscuous-mode-on-device', 'network', 'change'], ANOM_ABEND: ['crashed-program', 'process', 'end'],
  CONFIG_CHANGE: ['changed-audit-configuration', 'configuration', 'change'], DAEMON_START: ['started-audit', 'process', 'start'], DAEMON_END: ['stopped-audit', 'process', 'end'],
  SYSTEM_BOOT: ['booted-system', 'host', 'start'], SYSTEM_SHUTDOWN: ['shutdown-system', 'host', 'end'],
});

function hexDecode(v: string): string | undefined {
  if (!/^[0-9A-F]+$/i.test(v) || v.length % 2) return undefined;
  return Buffer.from(v, 'hex').toString('utf8').replace(/\0/g, ' ').trim();
}

function ids(doc: Doc, f: Record<string, string>): void {
  const id = (k: string): string | undefined => (f[k] !== undefined && f[k] !== '4294967295' && f[k] !== '-1' ? f[k] : undefined);
  set(doc, 'user.id', id('uid'));
  set(doc, 'user.group.id', id('gid'));
  set(doc, 'user.effective.id', id('euid'));
  set(doc, 'user.effective.group.id', id('egid'));
  set(doc, 'user.saved.id', id('suid'));
  set(doc, 'user.saved.group.id', id('sgid'));
  set(doc, 'user.filesystem.id', id('fsuid'));
  set(doc, 'user.filesystem.group.id', id('fsgid'));
  set(doc, 'user.audit.id', id('auid'));
  // enriched names (auditd log_format=ENRICHED)
  if (f.UID && f.UID !== 'unset') set(doc, 'user.name', f.UID);
  if (f.EUID && f.EUID !== 'unset') set(doc, 'user.effective.name', f.EUID);
  if (f.AUID && f.AUID !== 'unset') set(doc, 'user.audit.name', f.AUID);
  if (f.GID) set(doc, 'user.group.name', f.GID);
}

/** The fields of one record: `type=T msg=audit(EPOCH:SEQ): k=v ...` with USER_* inner msg='...' merged in. */
function readRecord(text: string): { node?: string; type: string; epoch: string; seq: string; f: Record<string, string> } | undefined {
  const head = HEAD.exec(text);
  if (!head) return undefined;
  const [, node, type, epoch, seq] = head;
  let rest = text.slice(head[0].length).replace(/\x1d/g, ' ');
  // USER_* records nest their fields in msg='...'
  let inner: Record<string, string> = {};
  const q = /msg='([^']*)'/.exec(rest);
  if (q) {
    inner = parseKeyValues(q[1]);
    rest = rest.replace(q[0], '');
  }
  return { node, type, epoch, seq, f: { ...parseKeyValues(rest), ...inner } };
}

function execveArgs(f: Record<string, string>): string[] {
  const argc = toInt(f.argc) ?? 0;
  const args: string[] = [];
  for (let i = 0; i < argc && i < 1024; i++) {
    const a = f[`a${i}`];
    if (a === undefined) break;
    args.push(hexDecode(a) !== undefined && !/^".*"$/.test(a) && a.length > 8 ? hexDecode(a)! : a);
  }
  return args;
}

/** The records that complete a SYSCALL (EXECVE, CWD, PATH, PROCTITLE) add what they say without overwriting it. */
function secondary(doc: Doc, type: string, f: Record<string, string>): void {
  const fill = (path: string, v: unknown): void => {
    if (v !== undefined && get(doc, path) === undefined) set(doc, path, v);
  };
  if (type === 'EXECVE') {
    const args = execveArgs(f);
    if (args.length) {
      fill('process.args', args);
      fill('process.args_count', args.length);
      fill('process.command_line', args.join(' '));
    }
  } else if (type === 'CWD') fill('process.working_directory', f.cwd);
  else if (type === 'PATH' && f.name && f.name !== '(null)') fill('file.path', f.name);
  else if (type === 'PROCTITLE' && f.proctitle) {
    const cmd = hexDecode(f.proctitle) ?? f.proctitle;
    fill('process.title', cmd);
    fill('process.command_line', cmd);
  }
}

/** Auditbeat numbers that arrive as strings (Elastic's coalesced pipeline converts the same ones). */
const DATA_NUMBERS = [
  'removed', 'items', 'lport', 'rport', 'sport', 'dport', 'entries', 'argc', 'seqno', 'nargs', 'socket.port', 'old_vcpu', 'new_vcpu', 'changed', 'added',
  'spid', 'opid', 'nlnk_pid', 'vm_pid', 'audit_pid',
];

function underscoreKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(underscoreKeys);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v as Doc).map(([k, x]) => [k.replace(/-/g, '_'), underscoreKeys(x)]));
}

function dropEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropEmpty).filter((x) => !isEmpty(x));
  if (!v || typeof v !== 'object') return v;
  const out: Doc = {};
  for (const [k, x] of Object.entries(v as Doc)) {
    const y = dropEmpty(x);
    if (!isEmpty(y)) out[safeKey(k)] = y;
  }
  return out;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length) || (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v as Doc).length);
}

/** Auditbeat (or Filebeat's auditd parser in coalesce mode) documents: one event per serial, already mapped. */
function coalesced(doc: Doc, obj: Record<string, unknown>): void {
  const clean = dropEmpty(underscoreKeys(obj)) as Doc;
  const event = doc.event as Doc;
  for (const [k, v] of Object.entries(clean)) if (k !== 'event' && k !== 'message' && k !== '@timestamp') doc[k] = v;
  for (const [k, v] of Object.entries((clean.event as Doc | undefined) ?? {})) if (k !== 'id' && k !== 'original') event[k] = v;
  // as Elastic: the records Auditbeat joined are the original
  if (typeof obj.message === 'string') event.original = obj.message;
  const ts = obj['@timestamp'];
  doc['@timestamp'] = typeof ts === 'string' && !Number.isNaN(Date.parse(ts)) ? new Date(ts).toISOString() : '';
  for (const side of ['source', 'destination']) {
    const path = get(doc, `${side}.path`);
    if (path !== undefined && get(doc, `${side}.address`) === undefined) {
      set(doc, `${side}.address`, path);
      delete (doc[side] as Doc).path;
    }
    if (typeof get(doc, `${side}.port`) === 'string') set(doc, `${side}.port`, toInt(get(doc, `${side}.port`)));
  }
  // audit, saved and filesystem ids are not ECS: Elastic keeps them under auditd.user; kept in user.* too, as raw lines have them
  for (const k of ['audit', 'saved', 'filesystem', 'selinux', 'new_auid', 'old_auid']) {
    const v = get(doc, `user.${k}`);
    if (v !== undefined && get(doc, `auditd.user.${k}`) === undefined) set(doc, `auditd.user.${k}`, structuredClone(v));
  }
  if (get(doc, 'file.selinux') !== undefined && get(doc, 'auditd.file.selinux') === undefined) set(doc, 'auditd.file.selinux', structuredClone(get(doc, 'file.selinux')));
  if (event.outcome === 'fail') event.outcome = 'failure';
  const seq = get(doc, 'auditd.sequence');
  if (typeof seq === 'number' || (typeof seq === 'string' && /^\d+$/.test(seq))) {
    set(doc, 'event.sequence', Number(seq));
    delete (doc.auditd as Doc).sequence;
  }
  if (typeof get(doc, 'auditd.data.arch') === 'string') set(doc, 'host.architecture', get(doc, 'auditd.data.arch'));
  for (const k of DATA_NUMBERS) {
    const v = get(doc, `auditd.data.${k}`);
    if (typeof v === 'string' && /^-?\d+$/.test(v)) set(doc, `auditd.data.${k}`, Number(v));
  }
  for (const p of ['process.pid', 'process.parent.pid', 'process.exit_code']) {
    const v = get(doc, p);
    if (typeof v === 'string' && /^-?\d+$/.test(v)) set(doc, p, Number(v));
  }
  const args = get(doc, 'process.args');
  if (Array.isArray(args)) set(doc, 'process.args_count', args.length);
  related(doc, 'user', get(doc, 'user.name'));
  related(doc, 'user', get(doc, 'user.audit.name'));
}

export const auditd: Parser = {
  name: 'auditd',
  dataset: 'auditd.log',
  detect: (line, h) => HEAD.test(h.message) || HEAD.test(line),
  detectObject: (o) => {
    const a = o.auditd as Doc | undefined;
    return !!a && typeof a === 'object' && (typeof a.message_type === 'string' || typeof a.summary === 'object' || Array.isArray(a.messages) || typeof a.data === 'object');
  },
  parseObject(doc, obj) {
    coalesced(doc, obj);
  },
  parseLine(doc, line, h) {
    const text = HEAD.test(h.message) ? h.message : line;
    // Auditbeat joins the records of one serial with newlines
    const [first, ...others] = text.split(/\r?\n/).filter((r) => r.trim() !== '');
    const rec = readRecord(first ?? '');
    if (!rec) throw new ParseFailure(`auditd record needs "type=... msg=audit(<time>:<serial>):" at ${excerpt(text)}`);
    const { node, type, epoch, seq, f } = rec;
    set(doc, '@timestamp', epochToIso(epoch.replace('.', '').padEnd(13, '0').slice(0, 13)));
    const log = 'auditd.log';
    set(doc, `${log}.record_type`, type);
    set(doc, `${log}.sequence`, Number(seq));
    set(doc, 'event.sequence', Number(seq));
    set(doc, `${log}.node`, node);
    for (const [k, v] of Object.entries(f)) {
      if (k === 'success') set(doc, `${log}.success`, v === 'yes');
      else if (!/^(pid|ppid|uid|gid|euid|egid|suid|sgid|fsuid|fsgid|auid|comm|exe|exit|arch|msg)$/.test(k)) set(doc, `${log}.${k}`, v);
    }
    delete doc.message;
    delete doc.process;
    delete doc.host;
    if (node) set(doc, 'host.hostname', node);
    set(doc, 'process.pid', toInt(f.pid));
    set(doc, 'process.parent.pid', toInt(f.ppid));
    set(doc, 'process.executable', f.exe && f.exe !== '(null)' ? f.exe : undefined);
    set(doc, 'process.name', f.comm);
    if (f.exit !== undefined && toInt(f.exit) !== undefined) set(doc, 'process.exit_code', toInt(f.exit));
    const arch = f.ARCH ?? ARCH[f.arch ?? ''];
    set(doc, 'host.architecture', arch);
    ids(doc, f);
    if (type === 'SYSCALL') {
      const name = f.SYSCALL ?? (arch === 'x86_64' ? X86_64[f.syscall ?? ''] : undefined);
      const row = name ? SYSCALLS[name] : undefined;
      if (row) {
        set(doc, 'event.action', row[0]);
        set(doc, 'event.category', [row[1]]);
        set(doc, 'event.type', [row[2]]);
      }
      if (f.success) set(doc, 'event.outcome', f.success === 'yes' ? 'success' : 'failure');
    } else if (USER_RECORDS[type]) {
      const [action, category, t] = USER_RECORDS[type];
      set(doc, 'event.action', action);
      set(doc, 'event.category', [category]);
      set(doc, 'event.type', [t]);
      if (f.res) set(doc, 'event.outcome', /^(success|yes|1)$/.test(f.res) ? 'success' : 'failure');
      const acct = f.acct ?? f.id;
      if (acct && acct !== '?' && !/^\d+$/.test(acct)) set(doc, 'user.name', acct);
      if (f.addr && f.addr !== '?') setEndpoint(doc, 'source', f.addr);
      if (f.hostname && f.hostname !== '?' && f.hostname !== f.addr) set(doc, 'source.domain', f.hostname);
      set(doc, 'auditd.log.op', f.op);
      if (f.terminal) set(doc, 'process.tty.name', f.terminal);
      if (type === 'USER_CMD' && f.cmd) set(doc, 'process.command_line', hexDecode(f.cmd) ?? f.cmd);
      if (type === 'AVC' || type === 'USER_AVC') set(doc, 'event.kind', 'event');
    } else if (type === 'EXECVE') {
      const args = execveArgs(f);
      if (args.length) {
        set(doc, 'process.args', args);
        set(doc, 'process.args_count', args.length);
        set(doc, 'process.command_line', args.join(' '));
      }
      set(doc, 'event.category', ['process']);
      set(doc, 'event.type', ['start']);
    } else if (type === 'PROCTITLE' && f.proctitle) {
      const cmd = hexDecode(f.proctitle) ?? f.proctitle;
      set(doc, 'process.title', cmd);
      set(doc, 'process.command_line', cmd);
    } else if (type === 'PATH') {
      set(doc, 'file.path', f.name && f.name !== '(null)' ? f.name : undefined);
      set(doc, 'file.inode', f.inode);
      set(doc, 'file.uid', f.ouid);
      set(doc, 'file.gid', f.ogid);
      if (f.mode) set(doc, 'file.mode', f.mode.slice(-4));
    } else if (type === 'CWD') {
      set(doc, 'process.working_directory', f.cwd);
    }
    if (f.key && f.key !== '(null)') append(doc, 'tags', f.key);
    const types = [type];
    for (const r of others) {
      const more = readRecord(r);
      // a record of another serial is not part of this event: it stays in event.original, and the event says so
      if (!more || more.seq !== seq) {
        append(doc, 'tags', 'auditd_records_not_coalesced');
        continue;
      }
      secondary(doc, more.type, more.f);
      types.push(more.type);
    }
    // every record type of the serial, so a Sigma `type: EXECVE` holds for the SYSCALL it completes
    if (types.length > 1) set(doc, `${log}.record_types`, types);
    related(doc, 'user', get(doc, 'user.audit.name'));
  },
};
