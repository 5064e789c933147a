/** The embedded store's tables, and opening its file: WAL (readers in worker threads never block the writer), owner-only permissions. */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TenantScope } from './store';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (id TEXT NOT NULL UNIQUE, ts INTEGER NOT NULL, tenant TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_tenant_ts ON events (tenant, ts);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5 (text, content='', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS dead_letters (id TEXT PRIMARY KEY, at TEXT NOT NULL, tenant TEXT, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (id TEXT PRIMARY KEY, ts TEXT NOT NULL, tenant TEXT NOT NULL, incident_id TEXT, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS alerts_incident ON alerts (incident_id);
CREATE TABLE IF NOT EXISTS incidents (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, rule_id TEXT NOT NULL, group_key TEXT NOT NULL,
  status TEXT NOT NULL, severity TEXT NOT NULL, assignee TEXT, last_seen TEXT NOT NULL, created TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incidents_key ON incidents (tenant, rule_id, group_key, last_seen);
CREATE INDEX IF NOT EXISTS incidents_last ON incidents (last_seen);
CREATE TABLE IF NOT EXISTS incident_changes (id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, at TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incident_changes_incident ON incident_changes (incident_id, at);
CREATE TABLE IF NOT EXISTS tenants (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (username TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, subject TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, expires TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, doc TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notifications (id TEXT PRIMARY KEY, status TEXT NOT NULL, next_attempt TEXT NOT NULL, incident_id TEXT, tenant TEXT, created TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS notifications_due ON notifications (status, next_attempt);
CREATE TABLE IF NOT EXISTS saved_searches (id TEXT PRIMARY KEY, owner TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rule_settings (rule_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
`;

/** The database file and its WAL companions hold sessions, token hashes and TOTP secrets: owner-only. */
export function restrictFiles(dbPath: string): void {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
    try {
      if (existsSync(f)) chmodSync(f, 0o600);
    } catch (e) {
      throw new Error(`store.sqlite.path: cannot make "${f}" readable by its owner only: ${(e as Error).message}`);
    }
  }
}

/** The one writing connection: creates the file (0600) and the tables, in WAL mode so reader threads see committed data without blocking writes. */
export function openWriter(dbPath: string): Database.Database {
  if (!dbPath) throw new Error('store.sqlite.path: a file path is required');
  if (dbPath !== ':memory:') mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.exec(SCHEMA);
  if (dbPath !== ':memory:') restrictFiles(dbPath);
  return db;
}

/** A read-only connection to the same file, for a reader thread. */
export function openReader(dbPath: string): Database.Database {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  return db;
}

export function scopeSql(tenants: TenantScope, column: string, params: unknown[]): string {
  if (tenants === null) return '1';
  if (tenants.length === 0) return '0';
  params.push(...tenants);
  return `${column} IN (${tenants.map(() => '?').join(',')})`;
}

export const parseDoc = <T>(row: { doc: string } | undefined): T | null => (row ? (JSON.parse(row.doc) as T) : null);
export const parseDocs = <T>(rows: unknown[]): T[] => (rows as { doc: string }[]).map((r) => JSON.parse(r.doc) as T);
