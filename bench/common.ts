/** What the benchmarks share: a free loopback port, a syslog-ng peer writing to a file, and a running `canhgac`. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'dist', 'bin', 'canhgac.js');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  stop(): Promise<void>;
}

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
  const ng = spawn('syslog-ng', ['-F', '-f', conf, '-R', path.join(dir, 'persist'), '-p', path.join(dir, 'pid'), '-c', path.join(dir, 'ctl'), '--no-caps'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let ngErr = '';
  ng.stderr!.on('data', (d: Buffer) => (ngErr += d.toString()));
  const exited = new Promise((r) => ng.once('exit', r));
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port))) {
    if (Date.now() > deadline) throw new Error(`syslog-ng did not start: ${ngErr}`);
    await sleep(50);
  }
  return {
    port,
    out,
    pid: ng.pid!,
    async stop() {
      if (ng.exitCode === null) ng.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Canhgac {
  proc: ChildProcess;
  out: () => string; // its standard output so far (the banner)
  stop(): Promise<void>;
}

/** `canhgac <cmd>` from dist/, once its banner says it is up. */
export async function runCanhgac(cmd: string, env: NodeJS.ProcessEnv, cwd: string): Promise<Canhgac> {
  fs.mkdirSync(cwd, { recursive: true });
  const proc = spawn(process.execPath, [BIN, cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  const deadline = Date.now() + 120_000;
  while (!/try\s+logger/.test(out)) {
    if (proc.exitCode !== null) throw new Error(`canhgac ${cmd} exited ${proc.exitCode}:\n${out}\n${err}`);
    if (Date.now() > deadline) throw new Error(`canhgac ${cmd} did not start in 120 s:\n${out}\n${err}`);
    await sleep(100);
  }
  return {
    proc,
    out: () => out,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}
