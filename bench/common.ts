/**
 * What the benchmarks share: a free loopback port, a syslog-ng peer writing to a file, a running
 * `canhgac`, loggen, and the watchdogs that make every phase end by itself: a phase has a budget
 * derived from its work (printed when it starts), and a peer process that exits while a phase waits
 * on it ends the phase at once with its exit code and the end of its stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// the repository, from dist/bench (a benchmark) or from bench/ (its tests)
export const ROOT = path.resolve(__dirname, '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []));
export const BIN = path.join(ROOT, 'dist', 'bin', 'canhgac.js');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A benchmark that cannot finish: the message names the phase, what it waited for and what it got. */
export class BenchError extends Error {}

/** A process a phase depends on; `exitReason()` says why it is gone, or undefined while it runs as it should. */
export interface Peer {
  name: string;
  exitReason(): string | undefined;
}

const children = new Set<ChildProcess>();
let reaperInstalled = false;

/** Kills what the benchmark started when it exits by any path, so a failed run leaves no syslog-ng or canhgac behind. */
export function track(proc: ChildProcess): ChildProcess {
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  if (!reaperInstalled) {
    reaperInstalled = true;
    process.once('exit', () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });
  }
  return proc;
}

/** A spawned process as a peer: any exit before `expectExit()` is a reason to stop waiting on it. */
export function watchProcess(name: string, proc: ChildProcess, tail: () => string): Peer & { expectExit(): void } {
  let expected = false;
  return {
    name,
    expectExit: () => (expected = true),
    exitReason() {
      if (expected || (proc.exitCode === null && proc.signalCode === null)) return undefined;
      const how = proc.exitCode !== null ? `exited with code ${proc.exitCode}` : `was killed by ${proc.signalCode}`;
      const t = tail().trim();
      return `${name} ${how}${t ? `: ${t.slice(-2000)}` : ''}`;
    },
  };
}

/** A phase's budget: a fixed part (starting, settling) plus its work at the slowest rate still worth a figure. */
export function budgetMs(work: number, floorPerSecond: number, fixedMs: number): number {
  return Math.ceil(fixedMs + (work / floorPerSecond) * 1000);
}

/** Prints a phase's watchdog when it starts, so a reader knows how long the run may take and why. */
export function announce(phase: string, ms: number, why: string): void {
  console.log(`watchdog: ${phase} ≤ ${Math.ceil(ms / 1000)} s (${why})`);
}

export interface WaitOptions {
  phase: string;
  budgetMs: number;
  done: () => boolean | Promise<boolean>;
  progress: () => string; // what was reached so far, for the error
  peers?: Peer[];
  pollMs?: number;
}

/** Polls `done` until it holds; a peer gone or the budget spent ends it with a BenchError naming the phase. */
export async function waitUntil(o: WaitOptions): Promise<void> {
  const deadline = Date.now() + o.budgetMs;
  for (;;) {
    if (await o.done()) return;
    for (const p of o.peers ?? []) {
      const reason = p.exitReason();
      if (reason) throw new BenchError(`${o.phase}: ${reason} (while waiting: ${o.progress()})`);
    }
    if (Date.now() > deadline) throw new BenchError(`${o.phase}: did not finish within its watchdog of ${Math.ceil(o.budgetMs / 1000)} s: ${o.progress()}`);
    await sleep(o.pollMs ?? 20);
  }
}

/** Waits until `count()` reaches `want`; the error says how far it got and when it last moved. */
export async function waitForCount(o: { phase: string; budgetMs: number; what: string; want: number; count: () => number | Promise<number>; peers?: Peer[]; pollMs?: number }): Promise<number> {
  const t0 = Date.now();
  let last = 0;
  let movedAt = t0;
  await waitUntil({
    ...o,
    done: async () => {
      const n = await o.count();
      if (n !== last) [last, movedAt] = [n, Date.now()];
      return n >= o.want;
    },
    progress: () => `${o.what}: ${last} of ${o.want}, last change ${((movedAt - t0) / 1000).toFixed(1)} s after the start`,
  });
  return last;
}

/** Ends a promise-shaped step (a login, a connection, a stop) within its budget. */
export async function within<T>(phase: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchError(`${phase}: no answer within ${Math.ceil(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stopProcess(proc: ChildProcess, graceMs = 15_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

export interface SyslogNg {
  port: number; // its TCP source
  out: string; // the file it writes
  pid: number;
  peer: Peer; // for the phases that wait on it
  stop(): Promise<void>;
}

/** How long a server (syslog-ng, canhgac) may take to open its port; the machine may be very busy. */
export const SERVER_START_MS = 120_000;

/** syslog-ng (Debian) receiving TCP on a free loopback port and writing every message to a file. */
export async function startSyslogNg(opts: { options: string; sourceOptions?: string }): Promise<SyslogNg> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syslog-ng-bench-'));
  const port = await freePort();
  const out = path.join(dir, 'out.log');
  const conf = path.join(dir, 'syslog-ng.conf');
  fs.writeFileSync(
    conf,
    `@version: 3.38
options { keep-hostname(yes); ${opts.options} };
source s_net { network(ip(127.0.0.1) port(${port}) transport("tcp") max-connections(10) ${opts.sourceOptions ?? ''}); };
destination d_file { file("${out}"); };
log { source(s_net); destination(d_file); };
`,
  );
  const ng = track(spawn('syslog-ng', ['-F', '-f', conf, '-R', path.join(dir, 'persist'), '-p', path.join(dir, 'pid'), '-c', path.join(dir, 'ctl'), '--no-caps'], { stdio: ['ignore', 'ignore', 'pipe'] }));
  let ngErr = '';
  ng.stderr!.on('data', (d: Buffer) => (ngErr = (ngErr + d.toString()).slice(-20_000)));
  let failure: Error | undefined;
  ng.once('error', (e) => (failure = e));
  const peer = watchProcess('syslog-ng', ng, () => ngErr);
  await waitUntil({
    phase: `syslog-ng start (config ${conf})`,
    budgetMs: SERVER_START_MS,
    done: async () => {
      if (failure) throw new BenchError(`syslog-ng could not be started: ${failure.message} (install it with deploy/local/peers.sh)`);
      return portOpen(port);
    },
    progress: () => `port ${port} not open; stderr: ${ngErr.trim().slice(-2000) || '(empty)'}`,
    peers: [peer],
    pollMs: 50,
  });
  return {
    port,
    out,
    pid: ng.pid!,
    peer,
    async stop() {
      peer.expectExit();
      await stopProcess(ng);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Canhgac {
  proc: ChildProcess;
  out: () => string; // its standard output so far (the banner)
  peer: Peer; // for the phases that wait on it
  stop(): Promise<void>;
}

/** `canhgac <cmd>` from dist/, once its banner says it is up. */
export async function runCanhgac(cmd: string, env: NodeJS.ProcessEnv, cwd: string): Promise<Canhgac> {
  fs.mkdirSync(cwd, { recursive: true });
  if (!fs.existsSync(BIN)) throw new BenchError(`${BIN} is missing: run "npm run build" first`);
  const proc = track(spawn(process.execPath, [BIN, cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out = out.length < 100_000 ? out + d.toString() : out));
  proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  const peer = watchProcess(`canhgac ${cmd}`, proc, () => `${out.slice(0, 2000)}\n${err}`);
  await waitUntil({
    phase: `canhgac ${cmd} start (in ${cwd})`,
    budgetMs: SERVER_START_MS,
    done: () => /try\s+logger/.test(out),
    progress: () => `no banner yet; stdout: ${out.trim().slice(-1000) || '(empty)'}; stderr: ${err.trim().slice(-1000) || '(empty)'}`,
    peers: [peer],
    pollMs: 100,
  });
  return {
    proc,
    out: () => out,
    peer,
    async stop() {
      peer.expectExit();
      await stopProcess(proc);
    },
  };
}

export interface Loggen {
  peer: Peer; // gone early when it exits having sent fewer than asked
  done: Promise<number>; // what it sent, by its own summary; rejects unless that is all of them
}

/** loggen's closing summary, e.g. "average rate = 105.98 msg/sec, count=265, time=2.50047, …" or "Total runtime = 0.5, count = 0". */
export function loggenSent(stderr: string): number | undefined {
  const all = [...stderr.matchAll(/count\s*=\s*(\d+)/g)];
  return all.length ? Number(all[all.length - 1][1]) : undefined;
}

/** What is wrong with a finished loggen run of `want` messages, or undefined when it sent them all. */
export function loggenShortfall(code: number | null, stderr: string, want: number, intervalS: number): string | undefined {
  const sent = loggenSent(stderr);
  if (code === 0 && sent === want) return undefined;
  const tail = stderr.trim().slice(-1000);
  if (sent === undefined) return `loggen exited with code ${code} without its summary: ${tail || '(no output)'}`;
  const why = code !== 0 ? `exit code ${code}` : sent === 0 ? 'it sent nothing: could it connect?' : `its --interval of ${intervalS} s ran out first`;
  return `loggen sent ${sent} of ${want} messages (${why}): ${tail}`;
}

/**
 * loggen (syslog-ng's) sending `file` line by line over one TCP connection, as fast as the receiver takes
 * it, for at most `intervalS` seconds: its default interval (10 s) would end it before N on a slow machine.
 */
export function startLoggen(port: number, file: string, want: number, intervalS: number): Loggen {
  const proc = track(spawn('loggen', ['-i', '-S', '-R', file, '-d', '-n', String(want), '-r', '10000000', '-I', String(intervalS), '-Q', '127.0.0.1', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] }));
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  let shortfall: string | undefined;
  const done = new Promise<number>((resolve, reject) => {
    proc.once('error', (e) => reject(new BenchError(`loggen could not be started: ${e.message} (install it with deploy/local/peers.sh)`)));
    proc.once('exit', (code) => {
      shortfall = loggenShortfall(code, err, want, intervalS);
      if (shortfall) reject(new BenchError(shortfall));
      else resolve(want);
    });
  });
  done.catch(() => undefined); // the phase waiting on the peer reports it; an unawaited rejection must not end the process first
  return { peer: { name: 'loggen', exitReason: () => shortfall }, done };
}
