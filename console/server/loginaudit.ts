/**
 * Refused logins in the audit log without flooding it: the first refusal per kind, address
 * and user name in a window is written at once; the rest of that window are counted and
 * written as one entry ("repeated": n) when it ends. Refusals beyond `maxFirstPerWindow`
 * distinct keys in one window (many addresses) are folded into one entry per kind. Lockouts
 * are not aggregated: the caller writes each one. Memory is bounded by `maxKeys`.
 */
import type { AuditEntry } from '../../core/model';

export type RefusedLogin = 'login.failed' | 'login.totp_failed' | 'login.rate_limited' | 'login.refused_locked';

export interface LoginAudit {
  refused(kind: RefusedLogin, actor: string, ip: string, now?: number): Promise<void>;
  /** Writes the counts of the windows that have ended (all of them when `all`). */
  flush(opts?: { all?: boolean; now?: number }): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  kind: RefusedLogin;
  actor: string;
  ip: string | null;
  started: number;
  last: number;
  repeated: number;
  users?: Set<string>; // for a folded entry: some of the user names tried
}

export function createLoginAudit(opts: { append: (e: AuditEntry) => Promise<unknown>; windowSeconds?: number; maxKeys?: number; maxFirstPerWindow?: number }): LoginAudit {
  const windowMs = (opts.windowSeconds ?? 60) * 1000;
  const maxKeys = opts.maxKeys ?? 10_000;
  const maxFirst = opts.maxFirstPerWindow ?? 600;
  const pending = new Map<string, Pending>();
  let firsts = { window: 0, count: 0 };

  const write = async (p: Pending) => {
    if (!p.repeated) return;
    const details: Record<string, unknown> = { repeated: p.repeated, since: new Date(p.started).toISOString(), until: new Date(p.last).toISOString() };
    if (p.users) details.users = [...p.users];
    await opts.append({ at: new Date(p.last).toISOString(), actor: p.actor, action: p.kind, ip: p.ip, details });
  };
  const settle = async (key: string, p: Pending) => {
    pending.delete(key);
    await write(p);
  };

  const api: LoginAudit = {
    async refused(kind, actor, ip, now = Date.now()) {
      const window = Math.floor(now / windowMs);
      if (firsts.window !== window) firsts = { window, count: 0 };
      const key = kind === 'login.rate_limited' ? `${kind}|${ip}` : `${kind}|${ip}|${actor}`; // a limited address may be trying any name: one entry for it
      let p = pending.get(key);
      if (p && now - p.started >= windowMs) {
        await settle(key, p);
        p = undefined;
      }
      if (p) {
        p.repeated++;
        p.last = now;
        if (p.users && p.users.size < 20) p.users.add(actor);
        return;
      }
      if (firsts.count >= maxFirst) {
        // too many distinct addresses and names this window: one folded entry per kind
        const foldKey = `${kind}|*`;
        const fold = pending.get(foldKey) ?? { kind, actor: 'anonymous', ip: null, started: now, last: now, repeated: 0, users: new Set<string>() };
        fold.repeated++;
        fold.last = now;
        if (fold.users!.size < 20) fold.users!.add(actor);
        pending.set(foldKey, fold);
        return;
      }
      firsts.count++;
      if (pending.size >= maxKeys) {
        const [oldKey, old] = pending.entries().next().value as [string, Pending];
        await settle(oldKey, old);
      }
      pending.set(key, { kind, actor, ip, started: now, last: now, repeated: 0, users: kind === 'login.rate_limited' ? new Set([actor]) : undefined });
      await opts.append({ at: new Date(now).toISOString(), actor, action: kind, ip });
    },
    async flush({ all = false, now = Date.now() } = {}) {
      for (const [key, p] of [...pending]) if (all || now - p.started >= windowMs) await settle(key, p);
    },
    async close() {
      clearInterval(timer);
      await api.flush({ all: true });
    },
  };
  const timer = setInterval(() => void api.flush().catch(() => undefined), Math.min(windowMs, 60_000));
  timer.unref();
  return api;
}
