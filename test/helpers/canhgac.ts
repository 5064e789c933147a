/**
 * Runs the real `canhgac` binary (dist/, built by the jest global setup) in its own data
 * directory on free ports, and gives tests its addresses and an authenticated API client.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'dist', 'bin', 'canhgac.js');
export const ADMIN_PASSWORD = 'test-admin-password-42';

export interface Running {
  proc: ChildProcess;
  dataDir: string;
  consoleUrl: string;
  syslogTcpPort: number;
  syslogUdpPort: number;
  ingestUrl: string;
  stdout: () => string;
  stderr: () => string;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(tmpdir(), 'canhgac-e2e-'));
}

export function baseEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CANHGAC_DATA_DIR: dataDir,
    CANHGAC_ADMIN_PASSWORD: ADMIN_PASSWORD,
    CANHGAC_CONSOLE_PORT: '0',
    CANHGAC_SYSLOG_PORT: '0',
    CANHGAC_HTTP_PORT: '0',
    CANHGAC_BEATS_PORT: '0',
    CANHGAC_LOG_LEVEL: 'warn',
    ...extra,
  };
}

export async function startCanhgac(opts: { dataDir?: string; args?: string[]; env?: Record<string, string> } = {}): Promise<Running> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const proc = spawn(process.execPath, [BIN, 'start', ...(opts.args ?? [])], { cwd: dataDir, env: baseEnv(dataDir, opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + 30000;
  while (!/try\s+logger/.test(out)) {
    if (proc.exitCode !== null) throw new Error(`canhgac exited with ${proc.exitCode}:\n${out}\n${err}`);
    if (Date.now() > deadline) throw new Error(`canhgac did not start in 30 s:\n${out}\n${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const consoleUrl = /console\s+(https?:\/\/\S+)/.exec(out)![1];
  const syslogUdpPort = Number(/udp:\/\/[\d.]+:(\d+)/.exec(out)![1]);
  const syslogTcpPort = Number(/tcp:\/\/[\d.]+:(\d+)/.exec(out)![1]);
  const ingestUrl = /POST (http:\/\/\S+\/api\/v1\/ingest)/.exec(out)![1];
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  return {
    proc,
    dataDir,
    consoleUrl,
    syslogTcpPort,
    syslogUdpPort,
    ingestUrl,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
    async kill9() {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs an administration command against a data directory (same config as the running center). */
export function cli(dataDir: string, args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dataDir, env: baseEnv(dataDir), input: input ?? '', encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export class ApiClient {
  cookie = '';
  csrf = '';
  constructor(
    readonly base: string,
    readonly token?: string,
  ) {}

  static async login(base: string, username = 'admin', password = ADMIN_PASSWORD): Promise<ApiClient> {
    const c = new ApiClient(base);
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    c.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    c.csrf = ((await res.json()) as { csrf: string }).csrf;
    return c;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { ...extra };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf) h['x-csrf-token'] = this.csrf;
    if (this.token) h.authorization = `Bearer ${this.token}`;
    return h;
  }

  async get<T = unknown>(p: string): Promise<{ status: number; body: T }> {
    const res = await fetch(this.base + p, { headers: this.headers() });
    return { status: res.status, body: (await res.json()) as T };
  }

  async post<T = unknown>(p: string, body: unknown): Promise<{ status: number; body: T }> {
    return this.send<T>('POST', p, body);
  }

  async put<T = unknown>(p: string, body: unknown): Promise<{ status: number; body: T }> {
    return this.send<T>('PUT', p, body);
  }

  async send<T = unknown>(method: string, p: string, body: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(this.base + p, { method, headers: this.headers({ 'content-type': 'application/json' }), body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as T };
  }

  /** Opens /ws with this client's credentials and collects every message. */
  async socket(): Promise<{ ws: WebSocket; messages: Record<string, unknown>[] }> {
    const ws = new WebSocket(this.base.replace(/^http/, 'ws') + '/ws', { headers: this.headers() });
    const messages: Record<string, unknown>[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, unknown>));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket refused: ${res.statusCode}`)));
    });
    return { ws, messages };
  }
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, ms = 20000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message}`);
}
