/**
 * bench/stall: do console reads stall ingest and detection in the embedded mode? canhgac start (embedded
 * bus, SQLite) is preloaded over HTTP ingest with a 24 h history; then, for --seconds each, phase "quiet"
 * ingests at a steady --rate (each batch's 202 timed) while SSH brute-force probes time the incident push
 * on /ws, and phase "readers" does the same while --readers logged-in clients loop over the console's
 * heavy reads (24 h dashboard, searches, histogram, top values, fields, agencies).
 *
 *   npm run bench:stall [-- --seconds 30 --rate 1000 --readers 2 --preload 300000]
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { announce, BenchError, freePort, runCanhgac, sleep, waitUntil, within, type Peer } from '../common';
import { describeMachine, loadLine, machineLine } from '../machine';
import { formatSummary, parseStallArgs, type PhaseFigures } from './summary';

const O = parseStallArgs(process.argv.slice(2));
const ADMIN_PASSWORD = 'bench-stall-password-42';
const AGENCIES = ['so-tttt', 'so-yte', 'so-gd', 'so-tc'];
const STEP_MS = 30_000; // a login, a connection, one request, one probe's incident
const BATCHES_PER_SECOND = 10;
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** The bench/ingest mix (sshd accepted, sudo, FortiGate, nginx) as RFC 5424 lines at time `at`. */
function line(i: number, at: Date): string {
  const ts = at.toISOString();
  const kinds = [
    () => `<86>1 ${ts} app-${i % 9} sshd ${1000 + (i % 700)} - - Accepted publickey for deploy from 192.0.2.${i % 250} port ${40000 + (i % 20000)} ssh2`,
    () => `<86>1 ${ts} app-${i % 9} sudo ${2000 + (i % 500)} - -    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`,
    () => `<189>1 ${ts} FGT-01 - - - - date=${ts.slice(0, 10)} time=${ts.slice(11, 19)} devname="FGT-01" devid="FG100F" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=198.51.100.${i % 250} srcport=${40000 + (i % 20000)} srcintf="wan1" dstip=10.0.${i % 20}.${i % 250} dstport=443 dstintf="lan" proto=6 action="accept" policyid=12 service="HTTPS" sentbyte=${i % 9000} rcvdbyte=${i % 70000}`,
    () => `<190>1 ${ts} web-${i % 5} nginx - - - 192.0.2.${i % 250} - - [28/Nov/2026:10:00:03 +0700] "GET /tin-tuc/${i}.html HTTP/1.1" 200 ${5000 + (i % 4000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"`,
  ];
  return kinds[i % kinds.length]();
}

const ndjson = (from: number, n: number, at: (i: number) => Date) => Array.from({ length: n }, (_, k) => JSON.stringify({ message: line(from + k, at(from + k)) })).join('\n') + '\n';

interface Center {
  base: string;
  ingest: string;
  cookie: string;
  csrf: string;
  tokens: string[];
  syslogPort: number;
  peers: Peer[];
  arrived: Map<string, number>;
}

async function api<T>(c: Pick<Center, 'base' | 'cookie' | 'csrf'>, method: string, p: string, body?: unknown): Promise<T> {
  const r = await fetch(`${c.base}${p}`, { method, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(STEP_MS) });
  if (!r.ok) throw new BenchError(`${method} ${c.base}${p}: HTTP ${r.status} ${(await r.text()).slice(0, 500)}`);
  return (await r.json()) as T;
}

async function post(c: Center, token: string, body: string): Promise<number> {
  const r = await fetch(c.ingest, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body, signal: AbortSignal.timeout(STEP_MS) });
  await r.arrayBuffer();
  return r.status;
}

async function setUp(dir: string): Promise<{ c: Center; stop: () => Promise<void> }> {
  const syslogPort = await freePort();
  const cg = await runCanhgac('start', { ...process.env, CANHGAC_DATA_DIR: dir, CANHGAC_ADMIN_PASSWORD: ADMIN_PASSWORD, CANHGAC_CONSOLE_PORT: '0', CANHGAC_HTTP_PORT: '0', CANHGAC_SYSLOG_PORT: String(syslogPort), CANHGAC_LOG_LEVEL: 'error' }, dir);
  const base = /console\s+(http:\/\/\S+)/.exec(cg.out())![1];
  const ingest = /http ingest\s+POST\s+(http:\/\/\S+)/.exec(cg.out())?.[1];
  if (!ingest) throw new BenchError(`canhgac start printed no "http ingest" line: ${cg.out().slice(0, 1000)}`);
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }), signal: AbortSignal.timeout(STEP_MS) });
  if (!login.ok) throw new BenchError(`logging in to ${base} as admin: HTTP ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrf } = (await login.json()) as { csrf: string };
  const tokens: string[] = [];
  for (const id of AGENCIES) tokens.push((await api<{ token: { secret: string } }>({ base, cookie, csrf }, 'POST', '/api/tenants', { id, name: `bench ${id}` })).token.secret);
  const ws = new WebSocket(base.replace(/^http/, 'ws') + '/ws', { headers: { cookie } });
  await within(`opening ${base}/ws`, STEP_MS, new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); }));
  let wsClosed: string | undefined;
  ws.once('close', (code) => (wsClosed = `the console's WebSocket closed (code ${code})`));
  const arrived = new Map<string, number>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as { type?: string; incident?: { summary?: { source_ip?: string } } };
    const ip = m.incident?.summary?.source_ip;
    if (m.type === 'incident.created' && ip && !arrived.has(ip)) arrived.set(ip, now());
  });
  const c: Center = { base, ingest, cookie, csrf, tokens, syslogPort, arrived, peers: [cg.peer, { name: 'console /ws', exitReason: () => wsClosed }] };
  return { c, stop: async () => { ws.close(); await cg.stop(); } };
}

/** The history: O.preload events over the last 24 h across the agencies, 2 000 per request, 2 requests in flight. */
async function preload(c: Center): Promise<void> {
  if (!O.preload) return;
  const budget = 60_000 + (O.preload / 500) * 1000;
  announce('preload', budget, `${O.preload} events over HTTP ingest at ≥ 500 events/s`);
  const end = Date.now() - 60_000;
  const at = (i: number) => new Date(end - Math.floor((i / O.preload) * 86_400_000));
  const t0 = now();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const from = next;
      if (from >= O.preload) return;
      const n = Math.min(2000, O.preload - from);
      next += n;
      const status = await post(c, c.tokens[(from / 2000) % c.tokens.length | 0], ndjson(from, n, at));
      if (status !== 202) throw new BenchError(`preload: HTTP ingest answered ${status} to events ${from}–${from + n}`);
    }
  };
  await within('preload', budget, Promise.all([worker(), worker()]));
  await waitUntil({
    phase: 'preload (stored)', budgetMs: budget, pollMs: 1000, peers: c.peers,
    done: async () => (await api<{ total: number }>(c, 'GET', '/api/events?limit=0')).total >= O.preload,
    progress: () => `the store holds fewer than the ${O.preload} preloaded events`,
  });
  console.log(`preload: ${O.preload} events over 24 h in ${AGENCIES.length} agencies, stored in ${((now() - t0) / 1000).toFixed(1)} s`);
}

const READS = ['/api/dashboard?range=24h', '/api/events?q=nginx', '/api/events?q=source.ip:192.0.2.17', '/api/events?q=destination.port:[400 TO 500]', '/api/events/histogram?q=sudo', '/api/events/top?field=source.ip', '/api/fields?prefix=so', '/api/tenants'];

async function reader(c: Center, f: PhaseFigures, stopped: () => boolean, k: number): Promise<void> {
  for (let i = k; !stopped(); i++) {
    const t = now();
    try {
      const r = await fetch(`${c.base}${READS[i % READS.length]}`, { headers: { cookie: c.cookie }, signal: AbortSignal.timeout(STEP_MS) });
      await r.arrayBuffer();
      if (r.status === 200) f.readMs.push(now() - t);
      else if (r.status === 503) f.readRefused++;
      else f.readFailed++;
    } catch (e) {
      if ((e as Error).name === 'TimeoutError') f.readTimedOut++;
      else f.readFailed++;
    }
  }
}

/** Open loop: a batch every 100 ms whatever the previous one is doing, so a stall shows in every batch it holds. */
function ingestLoop(c: Center, f: PhaseFigures, stopped: () => boolean): Promise<void> {
  const per = Math.max(1, Math.round(O.rate / BATCHES_PER_SECOND));
  const inflight = new Set<Promise<void>>();
  let n = 0;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (stopped()) {
        clearInterval(timer);
        void Promise.all(inflight).then(() => resolve());
        return;
      }
      const from = 1e9 + n++ * per;
      const t = now();
      const p = post(c, c.tokens[n % c.tokens.length], ndjson(from, per, () => new Date()))
        .then((s) => (s === 202 ? void f.ackMs.push(now() - t) : void f.ackRefused++), () => void f.ackRefused++)
        .finally(() => inflight.delete(p));
      inflight.add(p);
      f.eventsSent += per;
    }, 1000 / BATCHES_PER_SECOND);
  });
}

let probeNo = 0;
/** One new attacker a second: 5 failed SSH logins in one write, timed to its incident on /ws. */
async function probeLoop(c: Center, f: PhaseFigures, stopped: () => boolean): Promise<void> {
  const sock = net.connect(c.syslogPort, '127.0.0.1');
  sock.setNoDelay(true);
  await within(`connecting to syslog 127.0.0.1:${c.syslogPort}`, STEP_MS, new Promise<void>((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); }));
  while (!stopped()) {
    const t = probeNo++;
    const ip = `100.64.${Math.floor(t / 250) % 250}.${(t % 250) + 1}`;
    const sent = now();
    sock.write(Array.from({ length: 5 }, (_, k) => `<38>Nov 28 10:00:0${k} bastion sshd[${7000 + t}]: Failed password for root from ${ip} port ${50000 + k} ssh2`).join('\n') + '\n');
    await waitUntil({ phase: 'probe', budgetMs: STEP_MS, done: () => c.arrived.has(ip), progress: () => '', peers: c.peers, pollMs: 1 }).then(
      () => void f.pushMs.push(c.arrived.get(ip)! - sent),
      (e: Error) => { if (!/watchdog/.test(e.message)) throw e; f.pushMissed++; },
    );
    await sleep(1000);
  }
  sock.end();
}

async function phase(c: Center, name: string, readers: number): Promise<PhaseFigures> {
  const f: PhaseFigures = { name, ackMs: [], ackRefused: 0, pushMs: [], pushMissed: 0, readMs: [], readRefused: 0, readTimedOut: 0, readFailed: 0, eventsSent: 0, seconds: O.seconds };
  const budget = O.seconds * 1000 + 3 * STEP_MS;
  announce(`phase ${name}`, budget, `${O.seconds} s of ingest at ${O.rate} events/s${readers ? ` with ${readers} readers` : ''}, then what is in flight (each request or probe ≤ 30 s)`);
  const t0 = Date.now();
  const stopped = () => Date.now() - t0 >= O.seconds * 1000;
  const work = Promise.all([ingestLoop(c, f, stopped), probeLoop(c, f, stopped), ...Array.from({ length: readers }, (_, k) => reader(c, f, stopped, k * 3))]);
  let failure: Error | undefined;
  let done = false;
  work.then(() => (done = true), (e: Error) => (failure = e));
  await waitUntil({ phase: `phase ${name}`, budgetMs: budget, pollMs: 200, peers: c.peers, done: () => { if (failure) throw failure; return done; }, progress: () => `${f.ackMs.length} acks, ${f.pushMs.length} pushes, ${f.readMs.length} reads so far` });
  if (!f.ackMs.length || !f.pushMs.length) throw new BenchError(`phase ${name}: no figure: ${f.ackMs.length} acks (${f.ackRefused} refused), ${f.pushMs.length} pushes (${f.pushMissed} missed)`);
  return f;
}

async function main(): Promise<void> {
  console.log(`bench/stall: ${O.seconds} s per phase, HTTP ingest at ${O.rate} events/s, ${O.readers} readers, ${O.preload} events preloaded (embedded: SQLite)`);
  console.log(machineLine(describeMachine()));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-bench-stall-'));
  const { c, stop } = await setUp(dir);
  try {
    await preload(c);
    await sleep(2000);
    const quiet = await phase(c, 'quiet', 0);
    const readers = await phase(c, 'readers', O.readers);
    for (const l of formatSummary(quiet, readers)) console.log(l);
    console.log(loadLine());
  } finally {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`bench/stall: ${e.message}`);
    process.exit(1);
  },
);
