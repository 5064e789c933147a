/**
 * bench/latency: how long after the line that completes an attack is sent does the analyst's console
 * receive the incident (WebSocket push), while canhgac carries a steady background load? Next to it, in
 * the same run and under the same load, syslog-ng (Debian) merely receiving a line over TCP and writing
 * it to a file: the floor any log pipeline pays before it can even look at a line.
 *
 *   npm run bench:latency [-- --trials 20 --rate 2000]
 *
 * canhgac: `canhgac start` (embedded bus, SQLite), the SSH brute-force rule of the starter pack (5 failed
 * logins from one address in 5 minutes). Each trial sends the 5 lines of a new attacker in one write and
 * times until `incident.created` for that address arrives on /ws. syslog-ng: each trial sends one marked
 * line and times until it is in the output file (flush-lines(1), so it is written at once).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { announce, freePort, runCanhgac, sleep, startSyslogNg, waitUntil, within, type Peer } from '../common';
import { describeMachine, loadLine, machineLine } from '../machine';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const TRIALS = opt('--trials', 20);
const RATE = opt('--rate', 2000); // background lines per second
const ADMIN_PASSWORD = 'bench-latency-password-42';
const now = () => Number(process.hrtime.bigint()) / 1e6;
const TRIAL_MS = 30_000; // one incident or one written line; far beyond any figure worth reporting
const STEP_MS = 30_000; // a login, a connection, the WebSocket's opening

/** The bench/ingest mix without sshd failures (they would open brute-force incidents of their own). */
function background(i: number): string {
  const kinds = [
    () => `<86>Nov 28 10:00:02 app-${i % 9} sudo[${2000 + (i % 500)}]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`,
    () => `<189>date=2026-11-28 time=10:00:${String(i % 60).padStart(2, '0')} devname="FGT-01" devid="FG100F" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=198.51.100.${i % 250} srcport=${40000 + (i % 20000)} srcintf="wan1" dstip=10.0.${i % 20}.${i % 250} dstport=443 dstintf="lan" proto=6 action="accept" policyid=12 service="HTTPS" sentbyte=${i % 9000} rcvdbyte=${i % 70000}`,
    () => `<190>Nov 28 10:00:03 web-${i % 5} nginx: 192.0.2.${i % 250} - - [28/Nov/2026:10:00:03 +0700] "GET /tin-tuc/${i}.html HTTP/1.1" 200 ${5000 + (i % 4000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"`,
  ];
  return kinds[i % kinds.length]();
}

async function connect(port: number, who: string): Promise<net.Socket> {
  const sock = net.connect(port, '127.0.0.1');
  sock.setNoDelay(true);
  await within(
    `connecting to ${who} on 127.0.0.1:${port}`,
    STEP_MS,
    new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    }),
  );
  return sock;
}

/** A steady stream of background lines on its own connection, RATE per second in 20 ms slices. */
async function load(port: number, who: string): Promise<{ sent(): number; stop(): Promise<number> }> {
  const sock = await connect(port, who);
  const started = now();
  let i = 0;
  const perTick = Math.max(1, Math.round(RATE / 50));
  const timer = setInterval(() => {
    const lines: string[] = [];
    for (let k = 0; k < perTick; k++) lines.push(background(i++));
    sock.write(lines.join('\n') + '\n');
  }, 20);
  return {
    sent: () => i,
    async stop() {
      clearInterval(timer);
      await within('closing the background stream', STEP_MS, new Promise<void>((r) => sock.end(r)));
      return i / ((now() - started) / 1000);
    },
  };
}

interface Figures {
  samples: number[];
  sent: number; // background lines per second actually sent
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function benchCanhgac(): Promise<Figures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-bench-latency-'));
  const port = await freePort();
  const c = await runCanhgac(
    'start',
    { ...process.env, CANHGAC_DATA_DIR: dir, CANHGAC_ADMIN_PASSWORD: ADMIN_PASSWORD, CANHGAC_CONSOLE_PORT: '0', CANHGAC_HTTP_PORT: '0', CANHGAC_SYSLOG_PORT: String(port), CANHGAC_LOG_LEVEL: 'error' },
    dir,
  );
  const base = /console\s+(http:\/\/\S+)/.exec(c.out())![1];
  try {
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }), signal: AbortSignal.timeout(STEP_MS) });
    if (!login.ok) throw new Error(`logging in to ${base} as admin: HTTP ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const ws = new WebSocket(base.replace(/^http/, 'ws') + '/ws', { headers: { cookie } });
    await within(
      `opening ${base}/ws`,
      STEP_MS,
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      }),
    );
    let wsClosed: string | undefined;
    ws.once('close', (code) => (wsClosed = `the console's WebSocket closed (code ${code})`));
    const peers: Peer[] = [c.peer, { name: 'console /ws', exitReason: () => wsClosed }];
    const arrived = new Map<string, number>();
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type?: string; incident?: { summary?: { source_ip?: string } } };
      const ip = m.incident?.summary?.source_ip;
      if (m.type === 'incident.created' && ip && !arrived.has(ip)) arrived.set(ip, now());
    });
    const bg = await load(port, 'canhgac');
    const attack = await connect(port, 'canhgac');
    await sleep(2000); // the background stream settles first
    const samples: number[] = [];
    for (let t = 0; t < TRIALS; t++) {
      const ip = `100.64.${Math.floor(t / 250)}.${(t % 250) + 1}`;
      const lines = Array.from({ length: 5 }, (_, k) => `<38>Nov 28 10:00:0${k} bastion sshd[${7000 + t}]: Failed password for root from ${ip} port ${50000 + k} ssh2`);
      const sent = now();
      attack.write(lines.join('\n') + '\n');
      await waitUntil({ phase: `canhgac trial ${t + 1} of ${TRIALS}`, budgetMs: TRIAL_MS, done: () => arrived.has(ip), progress: () => `no incident.created for ${ip} on /ws (${arrived.size} incidents so far)`, peers, pollMs: 1 }).catch(async (e: Error) => {
        // a backlog (canhgac slower than the background stream on this machine) and a lost incident read differently
        const stored = await fetch(`${base}/api/events?limit=0`, { headers: { cookie }, signal: AbortSignal.timeout(STEP_MS) })
          .then(async (r) => String(((await r.json()) as { total: number }).total))
          .catch((err: Error) => `(unknown: ${err.message})`);
        throw new Error(`${e.message}; canhgac has stored ${stored} events of the ${bg.sent() + 5 * (t + 1)} lines sent: a backlog if far fewer`);
      });
      samples.push(arrived.get(ip)! - sent);
      await sleep(200);
    }
    const sent = await bg.stop();
    attack.end();
    ws.close();
    return { samples, sent };
  } finally {
    await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function benchSyslogNg(): Promise<Figures> {
  const ng = await startSyslogNg({ options: 'flush-lines(1);' });
  const { port, out } = ng;
  try {
    const bg = await load(port, 'syslog-ng');
    const probe = await connect(port, 'syslog-ng');
    await sleep(2000);
    const samples: number[] = [];
    for (let t = 0; t < TRIALS; t++) {
      const marker = `latency-probe-${t}-${Date.now()}`;
      const sent = now();
      probe.write(`<38>Nov 28 10:00:00 bastion sshd[7000]: Failed password for root from 100.64.0.1 port 50000 ssh2 ${marker}\n`);
      // read only the file's new tail each time: the background stream makes it grow fast
      let offset = Math.max(0, fs.existsSync(out) ? fs.statSync(out).size - 65536 : 0);
      const written = () => {
        if (!fs.existsSync(out)) return false;
        const size = fs.statSync(out).size;
        if (size <= offset) return false;
        const fd = fs.openSync(out, 'r');
        const buf = Buffer.alloc(size - offset);
        fs.readSync(fd, buf, 0, buf.length, offset);
        fs.closeSync(fd);
        if (buf.includes(marker)) return true;
        offset = Math.max(offset, size - marker.length - 200);
        return false;
      };
      await waitUntil({ phase: `syslog-ng trial ${t + 1} of ${TRIALS}`, budgetMs: TRIAL_MS, done: written, progress: () => `${marker} not in ${out}`, peers: [ng.peer], pollMs: 1 });
      samples.push(now() - sent);
      await sleep(200);
    }
    const sent = await bg.stop();
    probe.end();
    return { samples, sent };
  } finally {
    await ng.stop();
  }
}

async function main(): Promise<void> {
  console.log(`bench/latency: ${TRIALS} trials under a background load of ${RATE} lines/s over TCP (sudo, FortiGate, nginx mix)`);
  console.log(machineLine(describeMachine()));
  announce('each trial', TRIAL_MS, 'an incident on /ws, or the probe line in syslog-ng\'s file; servers start within 120 s, a login or a connection within 30 s');
  const cg = await benchCanhgac();
  const ng = await benchSyslogNg();
  const row = (name: string, f: Figures, what: string) =>
    `${name.padEnd(10)} ${pct(f.samples, 50).toFixed(1).padStart(8)} ${pct(f.samples, 95).toFixed(1).padStart(8)} ${Math.max(...f.samples).toFixed(1).padStart(8)} ${f.sent.toFixed(0).padStart(8)}  ${what}`;
  console.log(`           p50 ms   p95 ms   max ms  bg msg/s`);
  console.log(row('canhgac', cg, 'five failed SSH logins sent → brute-force incident pushed to the console (parse, bus, Sigma correlation, incident, WebSocket)'));
  console.log(row('syslog-ng', ng, 'one line sent → written to a file (flush-lines(1)); no parsing, no detection'));
  console.log(`ratio canhgac / syslog-ng (p50): ${(pct(cg.samples, 50) / pct(ng.samples, 50)).toFixed(1)}`);
  console.log(loadLine());
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`bench/latency: ${e.message}`);
    process.exit(1);
  },
);
