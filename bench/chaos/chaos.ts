/**
 * bench/chaos: is every event that canhgac acknowledged (HTTP 202) stored, exactly once, after kill -9 at
 * random moments, a disk filled to 100%, and a torn journal? It runs the real binary (`canhgac start`,
 * embedded bus and SQLite) with its data directory on a small tmpfs, sends events over HTTP ingest the
 * whole time, counts only what came back 202, and at the end counts what the console API finds.
 *
 *   npm run chaos [-- --kills 3 --seconds 3 --tmpfs 256m]      (root: it mounts a tmpfs)
 *
 * Prints `acknowledged N, stored M, lost K, duplicated D` per phase and in total; exits 1 when K or D > 0.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, freePort, sleep } from '../common';
import { fillDisk, flipByte, freeBytes, lastSegment, mountTmpfs, tearTail, unmount } from './damage';
import { formatCount, Ledger } from './ledger';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const KILLS = Number(opt('--kills', '3'));
const SECONDS = Number(opt('--seconds', '3')); // of sending in each phase
const TMPFS = opt('--tmpfs', '256m');
const BATCH = 50; // events per request
const TENANT = 'chaos';
const ADMIN_PASSWORD = 'chaos-admin-password-42';

const say = (s: string) => process.stdout.write(s + '\n');

interface Center {
  proc: ChildProcess;
  exited: Promise<void>;
  stderr: string[];
}

class Run {
  readonly ledger = new Ledger();
  readonly notes: string[] = [];
  phase = 'steady';
  private sending = false;
  private lanes: Promise<void>[] = [];
  center!: Center;
  token = '';
  apiToken = '';
  readonly damagedLogLines: string[] = [];

  constructor(
    readonly root: string,
    readonly env: NodeJS.ProcessEnv,
    readonly ports: { console: number; http: number },
  ) {}

  get dataDir(): string {
    return this.env.CANHGAC_DATA_DIR!;
  }

  /** `canhgac start` from dist/, once its banner says it is up; every stderr line is kept (the journal's recovery logs before the banner). */
  async start(): Promise<void> {
    const proc = spawn(process.execPath, [BIN, 'start'], { cwd: this.root, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (/journal: skipped/.test(line)) this.damagedLogLines.push(line);
        if (line) stderr.push(line);
      }
      if (stderr.length > 2000) stderr.splice(0, stderr.length - 2000);
    });
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    const deadline = Date.now() + 120_000;
    while (!/try\s+logger/.test(out)) {
      if (proc.exitCode !== null) throw new Error(`canhgac start exited ${proc.exitCode}: ${stderr.slice(-3).join(' | ')}`);
      if (Date.now() > deadline) throw new Error(`canhgac start did not start in 120 s: ${stderr.slice(-3).join(' | ')}`);
      await sleep(100);
    }
    this.center = { proc, exited, stderr };
  }

  async kill9(): Promise<void> {
    const { proc, exited } = this.center;
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  }

  cli(argv: string[]): string {
    const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: this.root, env: this.env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`canhgac ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  }

  /** Two lanes sending batches back to back until stopSending(). */
  startSending(): void {
    this.sending = true;
    this.lanes = [0, 1].map(() => this.lane());
  }

  async stopSending(): Promise<void> {
    this.sending = false;
    await Promise.all(this.lanes);
  }

  private async lane(): Promise<void> {
    while (this.sending) {
      const phase = this.phase;
      const seqs = this.ledger.take(phase, BATCH);
      const body = seqs.map((s) => JSON.stringify({ message: `chaos event ${s} in ${phase}`, labels: { chaos_seq: String(s), chaos_phase: phase } })).join('\n');
      try {
        const res = await fetch(`http://127.0.0.1:${this.ports.http}/api/v1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/x-ndjson' }, body, signal: AbortSignal.timeout(30_000) });
        const text = await res.text();
        if (res.status === 202) {
          const r = JSON.parse(text) as { accepted: number };
          if (r.accepted !== BATCH) this.notes.push(`a 202 accepted ${r.accepted} of ${BATCH} events (${text.slice(0, 200)})`);
          this.ledger.acknowledge(seqs);
        } else {
          this.ledger.refuse(phase, `HTTP ${res.status}`, BATCH);
          await sleep(100);
        }
      } catch {
        this.ledger.refuse(phase, 'no answer', BATCH);
        await sleep(100);
      }
    }
  }

  async api<T>(p: string): Promise<T> {
    const res = await fetch(`http://127.0.0.1:${this.ports.console}${p}`, { headers: { authorization: `Bearer ${this.apiToken}` } });
    if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async storedTotal(): Promise<number> {
    return (await this.api<{ total: number }>(`/api/events?q=${encodeURIComponent(`organization.id:${TENANT}`)}&limit=0`)).total;
  }

  /** Waits until the store holds at least what was acknowledged and stops growing (the indexer has caught up). */
  async caughtUp(maxIdleMs = 90_000): Promise<number> {
    let last = -1;
    let since = Date.now();
    for (;;) {
      const n = await this.storedTotal().catch(() => last);
      if (n !== last) {
        last = n;
        since = Date.now();
      } else if (n >= this.ledger.acknowledged && Date.now() - since > 3000) return n;
      if (Date.now() - since > maxIdleMs) {
        this.notes.push(`the store stopped growing at ${n} events for ${maxIdleMs / 1000} s with ${this.ledger.acknowledged} acknowledged`);
        return n;
      }
      await sleep(500);
    }
  }

  /** Every stored event's sequence number (one entry per copy). */
  async storedSeqs(): Promise<number[]> {
    const seqs: number[] = [];
    const q = encodeURIComponent(`organization.id:${TENANT}`);
    for (let offset = 0; ; offset += 10_000) {
      const page = await this.api<{ total: number; items: { labels?: Record<string, string> }[] }>(`/api/events?q=${q}&limit=10000&offset=${offset}&order=asc`);
      for (const e of page.items) seqs.push(Number(e.labels?.chaos_seq));
      if (page.items.length < 10_000) return seqs;
    }
  }

  /** Sends for `seconds` in `phase`. */
  async send(phase: string, seconds: number): Promise<void> {
    this.phase = phase;
    await sleep(seconds * 1000);
  }
}

async function restart(run: Run, why: string): Promise<boolean> {
  try {
    await run.start();
    return true;
  } catch (e) {
    run.notes.push(`restart ${why} FAILED: ${(e as Error).message.split('\n').filter(Boolean).slice(-1)[0]}`);
    return false;
  }
}

async function main(): Promise<number> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-chaos-'));
  const mnt = path.join(root, 'disk');
  const why = mountTmpfs(mnt, TMPFS);
  if (why) {
    say(`chaos: cannot run: ${why}`);
    return 2;
  }
  const ports = { console: await freePort(), http: await freePort(), syslog: await freePort() };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CANHGAC_DATA_DIR: path.join(mnt, 'data'),
    CANHGAC_ADMIN_PASSWORD: ADMIN_PASSWORD,
    CANHGAC_CONSOLE_PORT: String(ports.console),
    CANHGAC_HTTP_PORT: String(ports.http),
    CANHGAC_SYSLOG_PORT: String(ports.syslog),
    CANHGAC_BEATS_PORT: '0',
    CANHGAC_LOG_LEVEL: 'warn',
  };
  const run = new Run(root, env, ports);
  try {
    say(`chaos: canhgac on a ${TMPFS} tmpfs at ${mnt}; ${KILLS} kill -9, a full disk, a torn journal; ${SECONDS} s of sending per phase`);
    await run.start();
    run.token = /ingest token \(shown once\): (\S+)/.exec(run.cli(['tenant', 'add', TENANT, '--name', 'Chaos agency']))![1];
    run.apiToken = run.cli(['token', 'create', '--user', 'admin', '--label', 'chaos']).trim();
    run.startSending();
    await run.send('steady', SECONDS);

    // (b) kill -9 at random moments, restart at once; the senders keep going
    for (let k = 1; k <= KILLS; k++) {
      run.phase = `kill -9 #${k}`;
      await sleep(300 + Math.random() * SECONDS * 1000);
      await run.kill9();
      if (!(await restart(run, `after kill -9 #${k}`))) throw new Error('canhgac does not start again after kill -9');
    }
    await run.send('after the kills', SECONDS);

    // (c) the disk fills up to 100% while sending; a kill -9 and a restart on the full disk; then space returns
    run.phase = 'disk full';
    const filler = path.join(mnt, 'filler');
    const filled = fillDisk(filler);
    say(`chaos: filler of ${(filled / 1048576).toFixed(1)} MiB, ${freeBytes(mnt)} bytes left on the tmpfs`);
    await sleep(SECONDS * 1000);
    if (run.center.proc.exitCode !== null || run.center.proc.signalCode !== null) run.notes.push('canhgac EXITED while the disk was full');
    run.phase = 'restart on a full disk';
    await run.kill9();
    const upWhileFull = await restart(run, 'on a full disk');
    if (upWhileFull) await sleep(SECONDS * 1000);
    fs.rmSync(filler);
    if (!upWhileFull && !(await restart(run, 'once space was freed'))) throw new Error('canhgac does not start again once space is freed');
    await run.send('space freed', SECONDS);

    // (d) a torn and a flipped journal between a kill and a restart (after the indexer stored what is in it)
    await run.stopSending();
    await run.caughtUp();
    await run.kill9();
    const seg = lastSegment(run.dataDir, 'events');
    const tear = tearTail(seg);
    const flip = flipByte(seg);
    say(`chaos: journal ${seg}: cut ${tear.cutBytes} bytes off its last record, flipped a bit at byte ${flip.position}`);
    if (!(await restart(run, 'after tearing the journal'))) throw new Error('canhgac does not start on a torn journal');
    run.startSending();
    await run.send('after a torn journal', SECONDS);
    await run.stopSending();

    const total = await run.caughtUp();
    const rows = run.ledger.count(await run.storedSeqs());
    say(`chaos: the store holds ${total} events of agency "${TENANT}"`);
    for (const r of rows) say(formatCount(r));
    say(`chaos: damaged journal regions the restart skipped and logged: ${run.damagedLogLines.length}`);
    for (const l of run.damagedLogLines) say(`  ${l.slice(0, 300)}`);
    for (const n of run.notes) say(`chaos: NOTE ${n}`);
    const t = rows[rows.length - 1];
    return t.lost > 0 || t.duplicated > 0 ? 1 : 0;
  } finally {
    await run.stopSending().catch(() => undefined);
    if (run.center && run.center.proc.exitCode === null && run.center.proc.signalCode === null) {
      run.center.proc.kill('SIGTERM');
      await run.center.exited;
    }
    unmount(mnt);
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    say(`chaos: ${e.message}`);
    process.exit(2);
  },
);
