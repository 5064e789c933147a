/**
 * Security levels and retention on the real binary: `canhgac tenant set` sets an agency's level
 * (an override below its minimum only with --reason), `canhgac retention run` deletes exactly the
 * events past each agency's retention and audits it, and a run killed mid-way (SIGKILL) leaves a
 * consistent store that the next run finishes.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { newId, type EcsEvent } from '../../core/event';
import { createSqliteStore } from '../../core/store/sqlite';
import { BIN, baseEnv, cli, tempDataDir } from '../helpers/canhgac';

jest.setTimeout(120_000);
const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const ev = (tenant: string, ts: string, message: string): EcsEvent => ({ '@timestamp': ts, organization: { id: tenant }, event: { id: newId(), kind: 'event' }, message }) as EcsEvent;

async function putEvents(dir: string, events: EcsEvent[]): Promise<void> {
  const store = createSqliteStore({ path: path.join(dir, 'canhgac.db'), readers: 0 });
  for (let i = 0; i < events.length; i += 5000) await store.putEvents(events.slice(i, i + 5000));
  await store.close();
}

function kept(dir: string): Record<string, string[]> {
  const db = new Database(path.join(dir, 'canhgac.db'), { readonly: true });
  const rows = db.prepare("SELECT tenant, json_extract(doc, '$.message') AS m FROM events WHERE json_extract(doc, '$.message') NOT LIKE 'bulk%' ORDER BY tenant, ts").all() as { tenant: string; m: string }[];
  db.close();
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.tenant] ??= []).push(r.m);
  return out;
}

const auditActions = (dir: string) => {
  const db = new Database(path.join(dir, 'canhgac.db'), { readonly: true });
  const rows = db.prepare("SELECT actor, action, json_extract(doc, '$.target') AS target, doc FROM audit WHERE action LIKE 'retention.%' OR action = 'tenant.change' ORDER BY seq").all() as { actor: string; action: string; target: string; doc: string }[];
  db.close();
  return rows.map((r) => ({ actor: r.actor, action: r.action, target: r.target, details: (JSON.parse(r.doc) as { details: Record<string, unknown> }).details }));
};

test('tenant set gives each agency its level; retention run deletes exactly what is past it and audits it', async () => {
  const dir = tempDataDir();
  expect(cli(dir, ['tenant', 'add', 'so-a', '--name', 'Sở A']).code).toBe(0);
  expect(cli(dir, ['tenant', 'add', 'so-b', '--name', 'Sở B']).code).toBe(0);
  const a = cli(dir, ['tenant', 'set', 'so-a', '--security-level', '2']);
  expect(a).toMatchObject({ code: 0, stdout: expect.stringContaining('agency so-a: security level 2, minimum 31 days, events kept 31 days (level)') });
  const refused = cli(dir, ['tenant', 'set', 'so-b', '--security-level', '4', '--retention-days', '60']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/^tenant set: --retention-days: 60 days is below level 4's minimum of 184 days \(TCVN 14423:2026.*give --reason to record why$/m);
  const b = cli(dir, ['tenant', 'set', 'so-b', '--security-level', '4', '--retention-days', '60', '--reason', 'disk of the old server until March']);
  expect(b.stdout).toMatch(/events kept 60 days \(override, below the minimum: disk of the old server until March\)/);

  await putEvents(dir, [
    ev('so-a', ago(400 * DAY), 'a-400d'), ev('so-a', ago(31 * DAY + 60_000), 'a-31d+1m'), ev('so-a', ago(31 * DAY - 3_600_000), 'a-31d-1h'),
    ev('so-b', ago(61 * DAY), 'b-61d'), ev('so-b', ago(59 * DAY), 'b-59d'),
    ev('so-c', ago(900 * DAY), 'c-900d'), ev('so-a', ago(0), 'a-now'),
  ]);
  const run = cli(dir, ['retention', 'run']);
  expect(run.code).toBe(0);
  expect(run.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^so-a: deleted 2 events older than \S+ \(31 days\)$/), expect.stringMatching(/^so-b: deleted 1 event older than \S+ \(60 days\)$/)]);
  expect(kept(dir)).toEqual({ 'so-a': ['a-31d-1h', 'a-now'], 'so-b': ['b-59d'], 'so-c': ['c-900d'] });

  const audit = auditActions(dir);
  expect(audit.map((e) => [e.actor, e.action, e.target])).toEqual([
    ['cli', 'tenant.change', 'so-a'], ['cli', 'tenant.change', 'so-b'],
    ['cli', 'retention.due', 'so-a'], ['cli', 'retention.delete', 'so-a'], ['cli', 'retention.due', 'so-b'], ['cli', 'retention.delete', 'so-b'],
  ]);
  expect(audit[1].details).toMatchObject({ security_level: { from: null, to: 4 }, retention_days: { from: null, to: 60 }, reason: 'disk of the old server until March' });
  expect(audit[4].details).toMatchObject({ due: 1, days: 60, source: 'override', reason: 'disk of the old server until March' });
  expect(cli(dir, ['audit', 'verify']).stdout).toMatch(/audit log intact: 8 entries/);
  expect(cli(dir, ['retention', 'run']).stdout).toMatch(/no agency has events past its retention/);

  const status = cli(dir, ['retention', 'status']).stdout;
  expect(status).toMatch(/^so-b\tlevel 4\tminimum 184 d\tkept 60 d \(override\)\toldest \S+\n  warning: kept for 60 days, below level 4's minimum of 184 days; recorded reason: disk of the old server until March$/m);
});

test('a retention run killed mid-way leaves a consistent store; the next run deletes the rest and the audit log stays intact', async () => {
  const dir = tempDataDir();
  fs.writeFileSync(path.join(dir, 'canhgac.yml'), 'retention:\n  batch_size: 50\n');
  expect(cli(dir, ['tenant', 'add', 'so-a', '--name', 'Sở A']).code).toBe(0);
  expect(cli(dir, ['tenant', 'set', 'so-a', '--security-level', '3']).code).toBe(0);
  const OLD = 60_000;
  await putEvents(dir, [...Array.from({ length: OLD }, (_, i) => ev('so-a', ago(100 * DAY + i * 1000), `bulk ${i}`)), ev('so-a', ago(91 * DAY), 'a-91d'), ev('so-a', ago(0), 'a-now')]);

  const db = new Database(path.join(dir, 'canhgac.db'), { readonly: true });
  const count = () => (db.prepare("SELECT count(*) AS n FROM events WHERE tenant = 'so-a'").get() as { n: number }).n;
  const proc = spawn(process.execPath, [BIN, 'retention', 'run'], { cwd: dir, env: baseEnv(dir), stdio: 'ignore' });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  while (count() > OLD - 1000 && proc.exitCode === null) await new Promise((r) => setTimeout(r, 5));
  proc.kill('SIGKILL');
  expect(await exited).toBeNull(); // killed, not finished
  const left = count();
  expect(left).toBeGreaterThan(2);
  expect(left).toBeLessThan(OLD + 2);
  expect((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
  db.close();
  expect(auditActions(dir).map((e) => e.action)).toEqual(['tenant.change', 'retention.due']);

  const again = cli(dir, ['retention', 'run']);
  expect(again.stdout).toMatch(new RegExp(`^so-a: deleted ${left - 2} events older than`));
  expect(kept(dir)).toEqual({ 'so-a': ['a-91d', 'a-now'] });
  const audit = auditActions(dir);
  expect(audit.map((e) => [e.action, e.details.due ?? e.details.deleted])).toEqual([['tenant.change', undefined], ['retention.due', OLD], ['retention.due', left - 2], ['retention.delete', left - 2]]);
  expect(cli(dir, ['audit', 'verify']).code).toBe(0);
});
