/**
 * bench/scale — how many events per second does canhgac carry end to end when each component runs
 * as its own process on Kafka + Elasticsearch (collector → Kafka → correlator and indexer →
 * Elasticsearch), measured until the last event is searchable, next to the embedded mode
 * (`canhgac start`: one process, disk journal, SQLite) on the same input in the same run?
 *
 *   npm run bench:scale [-- --events 50000]
 *
 * Kafka and Elasticsearch: CANHGAC_KAFKA_BROKERS / CANHGAC_ELASTICSEARCH_URL when set, otherwise
 * deploy/local/infra.sh starts them on 127.0.0.1 (and stops them afterwards if it started them).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { announce, BIN, budgetMs, freePort, ROOT, runCanhgac, waitForCount, waitUntil, within, type Canhgac } from '../common';
import { describeMachine, loadLine, machineLine } from '../machine';

const INFRA = path.join(ROOT, 'deploy', 'local', 'infra.sh');
const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--events') + 1] || 0) || 50_000;
const ADMIN_PASSWORD = 'bench-scale-password-42';
const STEP_MS = 30_000; // one HTTP request, one connection
// until the last event is searchable, at the slowest rate still worth a figure (events/s), + 60 s to settle
const EMBEDDED_MS = budgetMs(N, 300, 60_000);
const SCALE_OUT_MS = budgetMs(N, 100, 120_000);
const CORRELATOR_MS = 120_000; // after the last event is searchable, for the correlator's group to show no lag
const fetchJson = async <T>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
  const r = await fetch(url, { ...init, signal: AbortSignal.timeout(STEP_MS) });
  return { status: r.status, body: (await r.json()) as T };
};

/** The same mix as bench/ingest (sshd, sudo, FortiGate, nginx), with a few brute forces for the correlator. */
function input(n: number): string[] {
  const kinds = [
    (i: number) => `<38>Nov 28 10:${String(i % 60).padStart(2, '0')}:01 web-${i % 17} sshd[${1000 + (i % 900)}]: Failed password for invalid user u${i % 313} from 203.0.113.${i % 250} port ${30000 + (i % 30000)} ssh2`,
    (i: number) => `<86>Nov 28 10:${String(i % 60).padStart(2, '0')}:02 app-${i % 9} sudo[${2000 + (i % 500)}]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`,
    (i: number) => `<189>date=2026-11-28 time=10:00:${String(i % 60).padStart(2, '0')} devname="FGT-01" devid="FG100F" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=198.51.100.${i % 250} srcport=${40000 + (i % 20000)} srcintf="wan1" dstip=10.0.${i % 20}.${i % 250} dstport=443 dstintf="lan" proto=6 action="accept" policyid=12 service="HTTPS" sentbyte=${i % 9000} rcvdbyte=${i % 70000}`,
    (i: number) => `<190>Nov 28 10:00:03 web-${i % 5} nginx: 192.0.2.${i % 250} - - [28/Nov/2026:10:00:03 +0700] "GET /tin-tuc/${i}.html HTTP/1.1" 200 ${5000 + (i % 4000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"`,
  ];
  return Array.from({ length: n }, (_, i) => kinds[i % kinds.length](i));
}

/** Sends the lines over one TCP connection, LF-framed, respecting back-pressure. */
async function send(port: number, lines: string[], phase: string, ms: number): Promise<void> {
  const sock = net.connect(port, '127.0.0.1');
  const sent = (async () => {
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    for (let i = 0; i < lines.length; i += 500) {
      if (!sock.write(lines.slice(i, i + 500).join('\n') + '\n')) await new Promise((r) => sock.once('drain', r));
    }
    await new Promise<void>((r) => sock.end(r));
  })();
  await within(`${phase}: sending ${lines.length} lines to 127.0.0.1:${port}`, ms, sent).catch((e: Error) => {
    sock.destroy();
    throw e;
  });
}

const baseEnv = (dir: string, extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  CANHGAC_DATA_DIR: dir,
  CANHGAC_ADMIN_PASSWORD: ADMIN_PASSWORD,
  CANHGAC_CONSOLE_PORT: '0',
  CANHGAC_HTTP_PORT: '0',
  CANHGAC_LOG_LEVEL: 'error',
  ...extra,
});

interface Result {
  mode: string;
  seconds: number;
  rate: number;
  note: string;
}

/** Embedded: `canhgac start`, counted through the console's search API (what an analyst sees). */
async function embedded(lines: string[]): Promise<Result> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-bench-scale-embedded-'));
  const port = await freePort();
  const p = await runCanhgac('start', baseEnv(dir, { CANHGAC_SYSLOG_PORT: String(port) }), dir);
  try {
    const base = /console\s+(http:\/\/\S+)/.exec(p.out())![1];
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }), signal: AbortSignal.timeout(STEP_MS) });
    if (!login.ok) throw new Error(`logging in to ${base} as admin: HTTP ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const count = async () => (await fetchJson<{ total: number }>(`${base}/api/events?limit=0`, { headers: { cookie } })).body.total;
    const t0 = process.hrtime.bigint();
    await send(port, lines, 'embedded', EMBEDDED_MS);
    await waitForCount({ phase: 'embedded', budgetMs: EMBEDDED_MS, what: 'events counted by /api/events', want: lines.length, count, peers: [p.peer], pollMs: 250 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { mode: 'embedded', seconds, rate: lines.length / seconds, note: 'canhgac start: journal bus + SQLite, one process' };
  } finally {
    await p.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Scale-out: one process per component on Kafka + Elasticsearch, counted in Elasticsearch itself. */
async function scaleOut(lines: string[], brokers: string, esUrl: string): Promise<Result> {
  const name = `bench-scale-${Date.now().toString(36)}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-bench-scale-'));
  const port = await freePort();
  const shared = {
    CANHGAC_BUS: 'kafka',
    CANHGAC_KAFKA_BROKERS: brokers,
    CANHGAC_KAFKA_TOPIC_PREFIX: `${name}.`,
    CANHGAC_STORE: 'elasticsearch',
    CANHGAC_ELASTICSEARCH_URL: esUrl,
    CANHGAC_ELASTICSEARCH_INDEX_PREFIX: name,
    CANHGAC_SYSLOG_PORT: String(port),
  };
  const procs: Canhgac[] = [];
  const admin = new Kafka({ clientId: 'canhgac-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  try {
    for (const c of ['indexer', 'correlator', 'alerting', 'collector']) procs.push(await runCanhgac(c, baseEnv(path.join(dir, c), shared), path.join(dir, c)));
    await within(`connecting to Kafka at ${brokers}`, STEP_MS, admin.connect());
    const peers = procs.map((p) => p.peer);
    const count = async () => {
      const r = await fetchJson<{ count: number }>(`${esUrl}/${name}-events-*/_count`, { method: 'POST' }).catch(() => ({ status: 0, body: { count: 0 } }));
      return r.status === 200 ? r.body.count : 0;
    };
    const correlatorLag = async () => {
      const topic = `${name}.events`;
      const ends = await admin.fetchTopicOffsets(topic);
      const done = (await admin.fetchOffsets({ groupId: `${name}.correlator`, topics: [topic] }))[0]?.partitions ?? [];
      return ends.reduce((sum, e) => sum + Math.max(0, Number(e.high) - Math.max(0, Number(done.find((d) => d.partition === e.partition)?.offset ?? 0))), 0);
    };
    const t0 = process.hrtime.bigint();
    await send(port, lines, 'scale-out', SCALE_OUT_MS);
    let correlatorDone = 0;
    const lagZero = async () => (await within('asking Kafka for the correlator\'s lag', STEP_MS, correlatorLag()).catch(() => 1)) === 0;
    await waitForCount({
      phase: 'scale-out',
      budgetMs: SCALE_OUT_MS,
      what: `events searchable in ${esUrl}/${name}-events-*`,
      want: lines.length,
      count: async () => {
        const n = await count();
        if (!correlatorDone && n > 0 && (await lagZero())) correlatorDone = Number(process.hrtime.bigint() - t0) / 1e9;
        return n;
      },
      peers,
      pollMs: 250,
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await waitUntil({
      phase: 'scale-out correlator',
      budgetMs: CORRELATOR_MS,
      done: async () => correlatorDone > 0 || ((await lagZero()) && (correlatorDone = Number(process.hrtime.bigint() - t0) / 1e9) > 0),
      progress: () => `the correlator's group ${name}.correlator still has lag on ${name}.events`,
      peers,
      pollMs: 250,
    });
    return { mode: 'scale-out', seconds, rate: lines.length / seconds, note: `collector, correlator, indexer, alerting: 4 processes (correlator done at ${correlatorDone.toFixed(1)} s)` };
  } finally {
    await admin.disconnect().catch(() => undefined);
    for (const p of procs.reverse()) await p.stop();
    // by name: Elasticsearch 8 refuses wildcard deletes by default
    const names = await fetchJson<{ index: string }[]>(`${esUrl}/_cat/indices/${name}-*?format=json&h=index`).then((r) => r.body.map((i) => i.index)).catch(() => [] as string[]);
    if (names.length) await fetch(`${esUrl}/${names.join(',')}`, { method: 'DELETE', signal: AbortSignal.timeout(STEP_MS) }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function infra(cmd: 'up' | 'down', what: string): string {
  const r = spawnSync('bash', [INFRA, cmd, what], { encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.error || r.signal) throw new Error(`deploy/local/infra.sh ${cmd} ${what} did not finish within 15 min (${r.error?.message ?? r.signal}): ${r.stderr}`);
  if (r.status !== 0) throw new Error(`deploy/local/infra.sh ${cmd} ${what} failed with exit code ${r.status}: ${r.stderr}`);
  return r.stdout;
}

async function main(): Promise<void> {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first`);
  const started: string[] = [];
  let brokers = process.env.CANHGAC_KAFKA_BROKERS;
  let esUrl = process.env.CANHGAC_ELASTICSEARCH_URL;
  if (!brokers) {
    const out = infra('up', 'kafka');
    if (!/already running|something else/.test(out)) started.push('kafka');
    brokers = /kafka: (\S+)/.exec(out)![1];
  }
  if (!esUrl) {
    const out = infra('up', 'es');
    if (!/already running|something else/.test(out)) started.push('es');
    esUrl = /elasticsearch: (\S+)/.exec(out)![1];
  }
  try {
    const lines = input(N);
    console.log(`bench/scale: ${N} syslog lines over one TCP connection (sshd, sudo, FortiGate, nginx mix), timed until the last event is searchable`);
    console.log(`${machineLine(describeMachine())}; kafka ${brokers}, elasticsearch ${esUrl}`);
    announce('embedded', EMBEDDED_MS, `${N} events at ≥ 300 events/s + 60 s`);
    announce('scale-out', SCALE_OUT_MS, `${N} events at ≥ 100 events/s + 120 s; then the correlator's lag ≤ ${CORRELATOR_MS / 1000} s; each process starts within 120 s`);
    await within(`Elasticsearch at ${esUrl}`, STEP_MS, fetch(esUrl, { signal: AbortSignal.timeout(STEP_MS) })).catch((e: Error) => {
      throw new Error(`Elasticsearch at ${esUrl} does not answer: ${e.message}`);
    });
    const results = [await embedded(lines), await scaleOut(lines, brokers, esUrl)];
    console.log('mode        events/s   seconds  what');
    for (const r of results) console.log(`${r.mode.padEnd(10)}  ${r.rate.toFixed(0).padStart(8)}  ${r.seconds.toFixed(2).padStart(8)}  ${r.note}`);
    console.log(`ratio scale-out / embedded: ${(results[1].rate / results[0].rate).toFixed(2)}`);
    console.log(loadLine());
  } finally {
    for (const s of started.reverse()) infra('down', s);
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`bench/scale: ${e.message}`);
    process.exit(1);
  },
);
