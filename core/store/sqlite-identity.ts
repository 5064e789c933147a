/** Tenants, users, tokens, sessions, the audit chain, saved searches, rule settings and state on the embedded store's writer connection. */
import type Database from 'better-sqlite3';
import { auditHash, GENESIS_HASH } from '../audit';
import type { AuditEntry, Session, Tenant, TokenRecord, User } from '../model';
import type { RuleSetting, SavedSearch, Store } from './store';
import { parseDoc, parseDocs } from './sqlite-schema';

export type IdentityRepository = Pick<
  Store,
  | 'putTenant' | 'getTenant' | 'listTenants' | 'putUser' | 'getUser' | 'listUsers' | 'putToken' | 'findTokenByHash' | 'listTokens' | 'putSession' | 'getSession' | 'deleteSession'
  | 'appendAudit' | 'listSavedSearches' | 'putSavedSearch' | 'deleteSavedSearch' | 'listRuleSettings' | 'putRuleSetting' | 'getState' | 'putState'
>;

export function identityRepository(db: Database.Database): IdentityRepository {
  const appendAuditTx = db.transaction((entry: AuditEntry): AuditEntry => {
    const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const e: AuditEntry = { ...entry, seq, prevHash };
    e.hash = auditHash(prevHash, e);
    db.prepare('INSERT INTO audit (seq, at, actor, action, doc, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(seq, e.at, e.actor, e.action, JSON.stringify(e), prevHash, e.hash);
    return e;
  });
  const one = <T>(sql: string, ...params: unknown[]) => parseDoc<T>(db.prepare(sql).get(...params) as { doc: string } | undefined);

  return {
    async putTenant(t) {
      db.prepare('INSERT INTO tenants (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc').run(t.id, JSON.stringify(t));
    },
    async getTenant(id) {
      return one<Tenant>('SELECT doc FROM tenants WHERE id = ?', id);
    },
    async listTenants() {
      return parseDocs<Tenant>(db.prepare('SELECT doc FROM tenants ORDER BY id').all());
    },
    async putUser(u) {
      db.prepare('INSERT INTO users (username, doc) VALUES (?, ?) ON CONFLICT(username) DO UPDATE SET doc = excluded.doc').run(u.username, JSON.stringify(u));
    },
    async getUser(username) {
      return one<User>('SELECT doc FROM users WHERE username = ?', username);
    },
    async listUsers() {
      return parseDocs<User>(db.prepare('SELECT doc FROM users ORDER BY username').all());
    },
    async putToken(t) {
      db.prepare('INSERT INTO tokens (id, hash, kind, subject, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc').run(t.id, t.hash, t.kind, t.subject, JSON.stringify(t));
    },
    async findTokenByHash(hash) {
      return one<TokenRecord>('SELECT doc FROM tokens WHERE hash = ?', hash);
    },
    async listTokens(opts) {
      const params: unknown[] = [];
      const parts = ['1'];
      for (const [column, value] of [['kind', opts.kind], ['subject', opts.subject]] as const) {
        if (!value) continue;
        parts.push(`${column} = ?`);
        params.push(value);
      }
      return parseDocs<TokenRecord>(db.prepare(`SELECT doc FROM tokens WHERE ${parts.join(' AND ')} ORDER BY id`).all(...params));
    },
    async putSession(s) {
      db.prepare('INSERT INTO sessions (id, expires, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET expires = excluded.expires, doc = excluded.doc').run(s.id, s.expires, JSON.stringify(s));
      db.prepare('DELETE FROM sessions WHERE expires < ?').run(new Date().toISOString());
    },
    async getSession(id) {
      return one<Session>('SELECT doc FROM sessions WHERE id = ? AND expires > ?', id, new Date().toISOString());
    },
    async deleteSession(id) {
      db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
    },

    async appendAudit(entry) {
      return appendAuditTx(entry);
    },

    async listSavedSearches(owner) {
      return parseDocs<SavedSearch>(db.prepare('SELECT doc FROM saved_searches WHERE owner = ? ORDER BY id').all(owner)).sort((a, b) => a.name.localeCompare(b.name));
    },
    async putSavedSearch(s) {
      db.prepare('INSERT INTO saved_searches (id, owner, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc WHERE owner = excluded.owner').run(s.id, s.owner, JSON.stringify(s));
    },
    async deleteSavedSearch(id, owner) {
      return db.prepare('DELETE FROM saved_searches WHERE id = ? AND owner = ?').run(id, owner).changes === 1;
    },
    async listRuleSettings() {
      return parseDocs<RuleSetting>(db.prepare('SELECT doc FROM rule_settings ORDER BY rule_id').all());
    },
    async putRuleSetting(s) {
      db.prepare('INSERT INTO rule_settings (rule_id, doc) VALUES (?, ?) ON CONFLICT(rule_id) DO UPDATE SET doc = excluded.doc').run(s.ruleId, JSON.stringify(s));
    },

    async getState(key) {
      const r = db.prepare('SELECT value FROM state WHERE key = ?').get(key) as { value: string } | undefined;
      return r ? r.value : null;
    },
    async putState(key, value) {
      db.prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    },
  };
}
