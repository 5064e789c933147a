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
import { BIN, freePort, ROOT, runCanhgac, sleep, type Canhgac } from '../common';

const INFRA = path.join(ROOT, 'deploy', 'local', 'infra.sh');
const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--events') + 1] || 0) || 50_000;
const ADMIN_PASSWORD = 'bench-scale-password-42';

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
async function send(port: number, lines: string[]): Promise<void> {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  for (let i = 0; i < lines.length; i += 500) {
    if (!sock.write(lines.slice(i, i + 500).join('\n') + '\n')) await new Promise((r) => sock.once('drain', r));
  }
  await new Promise<void>((r) => sock.end(r));
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
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const count = async () => ((await (await fetch(`${base}/api/events?limit=0`, { headers: { cookie } })).json()) as { total: number }).total;
    const t0 = process.hrtime.bigint();
    await send(port, lines);
    while ((await count()) < lines.length) await sleep(250);
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
    await admin.connect();
    const count = async () => {
      const r = await fetch(`${esUrl}/${name}-events-*/_count`, { method: 'POST' });
      return r.status === 200 ? ((await r.json()) as { count: number }).count : 0;
    };
    const correlatorLag = async () => {
      const topic = `${name}.events`;
      const ends = await admin.fetchTopicOffsets(topic);
      const done = (await admin.fetchOffsets({ groupId: `${name}.correlator`, topics: [topic] }))[0]?.partitions ?? [];
      return ends.reduce((sum, e) => sum + Math.max(0, Number(e.high) - Math.max(0, Number(done.find((d) => d.partition === e.partition)?.offset ?? 0))), 0);
    };
    const t0 = process.hrtime.bigint();
    await send(port, lines);
    let correlatorDone = 0;
    for (;;) {
      const n = await count().catch(() => 0);
      if (!correlatorDone && (await correlatorLag().catch(() => 1)) === 0 && n > 0) correlatorDone = Number(process.hrtime.bigint() - t0) / 1e9;
      if (n >= lines.length) break;
      await sleep(250);
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    while (!correlatorDone) {
      if ((await correlatorLag().catch(() => 1)) === 0) correlatorDone = Number(process.hrtime.bigint() - t0) / 1e9;
      else await sleep(250);
    }
    return { mode: 'scale-out', seconds, rate: lines.length / seconds, note: `collector, correlator, indexer, alerting: 4 processes (correlator done at ${correlatorDone.toFixed(1)} s)` };
  } finally {
    await admin.disconnect().catch(() => undefined);
    for (const p of procs.reverse()) await p.stop();
    // by name: Elasticsearch 8 refuses wildcard deletes by default
    const names = await fetch(`${esUrl}/_cat/indices/${name}-*?format=json&h=index`).then(async (r) => ((await r.json()) as { index: string }[]).map((i) => i.index)).catch(() => [] as string[]);
    if (names.length) await fetch(`${esUrl}/${names.join(',')}`, { method: 'DELETE' }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function infra(cmd: 'up' | 'down', what: string): string {
  const r = spawnSync('bash', [INFRA, cmd, what], { encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status !== 0) throw new Error(`deploy/local/infra.sh ${cmd} ${what} failed: ${r.stderr}`);
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
    console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}; kafka ${brokers}, elasticsearch ${esUrl}`);
    const results = [await embedded(lines), await scaleOut(lines, brokers, esUrl)];
    console.log('mode        events/s   seconds  what');
    for (const r of results) console.log(`${r.mode.padEnd(10)}  ${r.rate.toFixed(0).padStart(8)}  ${r.seconds.toFixed(2).padStart(8)}  ${r.note}`);
    console.log(`ratio scale-out / embedded: ${(results[1].rate / results[0].rate).toFixed(2)}`);
  } finally {
    for (const s of started.reverse()) infra('down', s);
  }
}

main().catch((e: Error) => {
  console.error(`bench/scale: ${e.message}`);
  process.exit(1);
});
