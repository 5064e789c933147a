/**
 * auditd records that arrive one per message (audisp-syslog, rsyslog imfile) merged into the one event
 * of their audit serial, as the joined-block parser reads it: records of one (agency, host, time:serial)
 * are held and flushed on EOE, when a record of the same host is `settleMs` of audit time newer, after
 * `timeoutMs` of wall clock, or (oldest first, counted) when `maxOpen` serials are open.
 * Why in the intake, holding the acknowledgement, and not after the journal: see README.md beside this file.
 */
import type { IntakeItem } from '../stamp';

export interface AssemblerConfig {
  /** A serial still open this long (wall clock) is flushed with what it has; default 2000. */
  timeoutMs?: number;
  /** A serial is complete once a record of the same host is this much newer (audit clock); default 2000. */
  settleMs?: number;
  /** Open serials at most; past it the oldest is flushed first; default 10000. */
  maxOpen?: number;
}

/** One record as received: what it is, and what the event of its serial is stamped from. */
export interface HeldRecord {
  listener: string;
  item: IntakeItem;
  receivedAt: Date;
  id: string;
  /** tenant/host: the bus key of the record's parsed event */
  hostKey: string;
  text: string;
  type: string;
  epochMs: number;
  serial: string;
}

/** A flushed serial: its records in arrival order and why it was flushed. */
export interface Flushed {
  records: HeldRecord[];
  reason: 'eoe' | 'settled' | 'timeout' | 'full' | 'stop';
  waiters: Waiter[];
}

export interface Waiter {
  resolve(): void;
  reject(e: unknown): void;
}

interface Open {
  key: string;
  records: HeldRecord[];
  openedAt: number;
  waiters: Waiter[];
}

export interface AssemblerStats {
  open: number;
  held: number;
  flushed: Record<Flushed['reason'], number>;
}

// a record's head, anywhere in the message (after a syslog header): [node=H ]type=T msg=audit(EPOCH:SERIAL):
const HEAD = /(?:^|[\s:])((?:node=\S+ )?type=([A-Z0-9_]+) msg=audit\((\d+)(?:\.(\d+))?:(\d+)\):)/;
// userspace records are whole events on their own (no EOE follows): nothing to wait for
const STANDALONE = /^(?:USER_|CRED_|SERVICE_|DAEMON_|ADD_|DEL_|GRP_|ACCT_|SYSTEM_|CHGRP_|CHUSER_|ROLE_|LABEL_|SOFTWARE_UPDATE|USYS_)/;

/** The audit head of a received line, when it is one record of a serial that other records complete. */
export function auditRecordOf(raw: IntakeItem['raw']): { text: string; host: string; type: string; epochMs: number; serial: string } | null {
  // a document (HTTP ingest, Filebeat reading audit.log) carries the record in its message
  const doc = typeof raw === 'string' || Buffer.isBuffer(raw) ? null : raw;
  if (doc && (typeof doc.message !== 'string' || doc.auditd !== undefined)) return null;
  const body = doc ? (doc.message as string) : (raw as string | Buffer);
  if (Buffer.isBuffer(body) ? body.indexOf('msg=audit(') < 0 : !body.includes('msg=audit(')) return null;
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const m = HEAD.exec(text);
  // a block already joined (Auditbeat's message) is an event as it is
  if (!m || /\r?\n\S/.test(text.trimEnd()) || STANDALONE.test(m[2])) return null;
  const ms = Number(m[3]) * 1000 + Number((m[4] ?? '0').padEnd(3, '0').slice(0, 3));
  return { text, host: hostOf(text, m.index), type: m[2], epochMs: ms, serial: m[5] };
}

// the sender's name in a syslog header (RFC 5424, RFC 3164); node= in the record names the host otherwise
const SYSLOG_HOST = /^<\d{1,3}>(?:1 \S+ (\S+)|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (\S+))/;
const NODE = /(?:^|\s)node=(\S+) type=/;

/** The host a record is from: serials are counted per host, and one relay may send many hosts' records. */
function hostOf(text: string, head: number): string {
  const node = NODE.exec(text.slice(0, head + 200));
  if (node) return node[1];
  const h = SYSLOG_HOST.exec(text.slice(0, head));
  return h ? (h[1] ?? h[2]) : '';
}

export class AuditdAssembler {
  readonly timeoutMs: number;
  readonly settleMs: number;
  readonly maxOpen: number;
  private readonly open = new Map<string, Open>(); // insertion order: oldest first
  private readonly byHost = new Map<string, Set<Open>>();
  private held = 0;
  private readonly flushed: AssemblerStats['flushed'] = { eoe: 0, settled: 0, timeout: 0, full: 0, stop: 0 };

  constructor(config: AssemblerConfig = {}) {
    this.timeoutMs = positive('timeoutMs', config.timeoutMs ?? 2000);
    this.settleMs = positive('settleMs', config.settleMs ?? 2000);
    this.maxOpen = positive('maxOpen', config.maxOpen ?? 10000);
  }

  get stats(): AssemblerStats {
    return { open: this.open.size, held: this.held, flushed: { ...this.flushed } };
  }

  /** Holds a record; returns the serials it completed or pushed out (settled by it, or the oldest when full). */
  add(rec: HeldRecord, waiter: Waiter, now = Date.now()): Flushed[] {
    const out: Flushed[] = [];
    const hosts = this.byHost.get(rec.hostKey);
    if (hosts)
      for (const o of hosts) {
        // a host's serials open in about the order of their times: stop at the first still recent one (the timeout takes any left)
        if (o.records[0].epochMs + this.settleMs >= rec.epochMs) break;
        out.push(this.close(o, 'settled'));
      }
    const key = `${rec.hostKey}\u0000${rec.epochMs}:${rec.serial}`;
    let o = this.open.get(key);
    if (!o) {
      if (this.open.size >= this.maxOpen) out.push(this.close(this.open.values().next().value as Open, 'full'));
      o = { key, records: [], openedAt: now, waiters: [] };
      this.open.set(key, o);
      let set = this.byHost.get(rec.hostKey);
      if (!set) this.byHost.set(rec.hostKey, (set = new Set()));
      set.add(o);
    }
    o.records.push(rec);
    o.waiters.push(waiter);
    this.held++;
    if (rec.type === 'EOE') out.push(this.close(o, 'eoe'));
    return out;
  }

  /** Serials open for `timeoutMs` or longer (all of them with `all`), flushed as they are. */
  expire(now = Date.now(), all = false): Flushed[] {
    const out: Flushed[] = [];
    for (const o of this.open.values()) {
      if (!all && o.openedAt + this.timeoutMs > now) break; // oldest first: the rest are younger
      out.push(this.close(o, all ? 'stop' : 'timeout'));
    }
    return out;
  }

  private close(o: Open, reason: Flushed['reason']): Flushed {
    this.open.delete(o.key);
    const host = o.records[0].hostKey;
    const set = this.byHost.get(host);
    set?.delete(o);
    if (set && !set.size) this.byHost.delete(host);
    this.held -= o.records.length;
    this.flushed[reason]++;
    return { records: o.records, reason, waiters: o.waiters };
  }
}

/**
 * The input the joined-block parser reads for a flushed serial: the SYSCALL (or first) record as received,
 * syslog header included, then the other records' audit text, one per line.
 */
export function joinedItem(f: Flushed): { first: HeldRecord; item: IntakeItem } {
  const recs = f.records;
  const first = recs.find((r) => r.type === 'SYSCALL') ?? recs[0];
  const lines = [first.text.trimEnd()];
  for (const r of recs) if (r !== first) lines.push(auditText(r.text));
  const raw = first.item.raw;
  const joined = lines.join('\n');
  return { first, item: { ...first.item, raw: typeof raw === 'string' || Buffer.isBuffer(raw) ? joined : { ...raw, message: joined } } };
}

function auditText(text: string): string {
  const m = HEAD.exec(text);
  return (m ? text.slice(m.index + m[0].length - m[1].length) : text).trimEnd();
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new Error(`collector.auditd_assembly.${name}: must be a positive number, got ${v}`);
  return v;
}
