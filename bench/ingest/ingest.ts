/**
 * bench/ingest — how many syslog messages per second does the collector take over TCP,
 * parse, normalize to ECS and make durable on the bus, next to syslog-ng receiving the
 * same stream and writing it to a file? Both are fed by syslog-ng's own `loggen`, from
 * the same file, in the same run.
 *
 *   npm run bench:ingest [-- --messages 200000] [--parse-workers N] [--min-rate 1000]
 *
 * --parse-workers: default cores - 1, at most 4; 0 = parse in the listeners' thread.
 * --min-rate: the slowest rate still worth a figure (msg/s); it sets each phase's watchdog and
 * loggen's --interval, so a receiver that stalls ends the run instead of holding it.
 */
import { defaultParseWorkers } from '../../collector/parse-pool';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCollector } from '../../collector/collector';
import { loadConfig } from '../../core/config';
import { createEmbeddedBus } from '../../core/bus/embedded';
import { silentLogger } from '../../core/log';
import { createSqliteStore } from '../../core/store/sqlite';
import { announce, budgetMs, freePort, startLoggen, startSyslogNg, waitForCount, waitUntil, within, type Peer } from '../common';
import { describeMachine, loadLine, machineLine } from '../machine';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--messages') + 1] || 0) || 200000;
const WORKERS = args.includes('--parse-workers') ? Number(args[args.indexOf('--parse-workers') + 1]) : defaultParseWorkers();
const MIN_RATE = Number(args[args.indexOf('--min-rate') + 1] || 0) || 1000;
// loggen may send for N at the slowest rate worth a figure, plus 30 s to connect and settle; the
// receiver's watchdog allows 15 s more, so a loggen that stops short is reported as the cause
const INTERVAL_S = Math.ceil(budgetMs(N, MIN_RATE, 30_000) / 1000);
const PHASE_MS = INTERVAL_S * 1000 + 15_000;

/** A realistic mix modelled on the corpus: sshd, sudo, FortiGate key=value, nginx access. */
function writeInput(file: string, n: number): void {
  const lines: string[] = [];
  const kinds = [
    (i: number) => `<38>Nov 28 10:${String(i % 60).padStart(2, '0')}:01 web-${i % 17} sshd[${1000 + (i % 900)}]: Failed password for invalid user u${i % 313} from 203.0.113.${i % 250} port ${30000 + (i % 30000)} ssh2`,
    (i: number) => `<86>Nov 28 10:${String(i % 60).padStart(2, '0')}:02 app-${i % 9} sudo[${2000 + (i % 500)}]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`,
    (i: number) => `<189>date=2026-11-28 time=10:00:${String(i % 60).padStart(2, '0')} devname="FGT-01" devid="FG100F" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=198.51.100.${i % 250} srcport=${40000 + (i % 20000)} srcintf="wan1" dstip=10.0.${i % 20}.${i % 250} dstport=443 dstintf="lan" proto=6 action="accept" policyid=12 service="HTTPS" sentbyte=${i % 9000} rcvdbyte=${i % 70000}`,
    (i: number) => `<190>Nov 28 10:00:03 web-${i % 5} nginx: 192.0.2.${i % 250} - - [28/Nov/2026:10:00:03 +0700] "GET /tin-tuc/${i}.html HTTP/1.1" 200 ${5000 + (i % 4000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"`,
  ];
  for (let i = 0; i < n; i++) lines.push(kinds[i % kinds.length](i));
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function rssOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function benchCanhgac(file: string): Promise<{ seconds: number; rate: number; rssMiB: number }> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-bench-'));
  const port = await freePort();
  const { config } = loadConfig({ env: { CANHGAC_DATA_DIR: dir }, overrides: { 'collector.syslog.tcp.port': port, 'collector.syslog.udp.enabled': false, 'collector.http.enabled': false, 'collector.beats.enabled': false, 'collector.parse_workers': WORKERS } });
  const bus = createEmbeddedBus({ dir: path.join(dir, 'bus') });
  const store = createSqliteStore({ path: path.join(dir, 'store.db') });
  const collector = await startCollector(config, { bus, store, logger: silentLogger });
  const start = process.hrtime.bigint();
  const sender = startLoggen(port, file, N, INTERVAL_S);
  const received = () => collector.counters.get('syslog-tcp').received;
  await waitUntil({
    phase: 'canhgac ingest',
    budgetMs: PHASE_MS,
    done: () => received() >= N && collector.intake.pending === 0,
    progress: () => `canhgac received ${received()} of ${N} lines, ${collector.intake.pending} not yet journaled`,
    peers: [sender.peer],
    pollMs: 5,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await sender.done;
  const c = collector.counters.get('syslog-tcp');
  if (c.parsed + c.failed !== N) throw new Error(`canhgac counted ${c.parsed} parsed + ${c.failed} failed of ${N}`);
  await within('stopping the collector, the journal and the store', 60_000, (async () => {
    await collector.stop();
    await bus.close();
    await store.close();
  })());
  return { seconds, rate: N / seconds, rssMiB: rssOf(process.pid) / 1048576 };
}

async function benchSyslogNg(file: string): Promise<{ seconds: number; rate: number; rssMiB: number }> {
  const ng = await startSyslogNg({ options: 'log-fifo-size(100000); flush-lines(1000);', sourceOptions: 'log-iw-size(100000)' });
  const { port, out } = ng;
  const countLines = () => {
    try {
      const buf = fs.readFileSync(out);
      let n = 0;
      for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
      return n;
    } catch {
      return 0;
    }
  };
  try {
    const start = process.hrtime.bigint();
    const sender = startLoggen(port, file, N, INTERVAL_S);
    const peers: Peer[] = [sender.peer, ng.peer];
    await waitForCount({ phase: 'syslog-ng ingest', budgetMs: PHASE_MS, what: `lines written by syslog-ng to ${out}`, want: N, count: countLines, peers });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await sender.done;
    return { seconds, rate: N / seconds, rssMiB: rssOf(ng.pid) / 1048576 };
  } finally {
    await ng.stop();
  }
}

async function main(): Promise<void> {
  if (spawnSync('loggen', ['--help']).error) throw new Error('loggen is missing: run deploy/local/peers.sh (Debian syslog-ng-core)');
  const file = path.join(fs.mkdtempSync(path.join(tmpdir(), 'bench-input-')), 'input.log');
  writeInput(file, N);
  console.log(`bench/ingest: ${N} syslog messages over one TCP connection from loggen (sshd, sudo, FortiGate, nginx mix)`);
  console.log(machineLine(describeMachine()));
  announce('each receiver (syslog-ng, then canhgac) to take all lines', PHASE_MS, `loggen --interval ${INTERVAL_S}: ${N} messages at ≥ ${MIN_RATE} msg/s + 30 s; then 15 s to take the rest; servers start within 120 s`);
  const ng = await benchSyslogNg(file);
  const cg = await benchCanhgac(file);
  const row = (name: string, r: { seconds: number; rate: number; rssMiB: number }, what: string) =>
    `${name.padEnd(10)} ${String(Math.round(r.rate)).padStart(9)} msg/s  ${r.seconds.toFixed(2).padStart(7)} s  peak RSS ${r.rssMiB.toFixed(0).padStart(5)} MiB  ${what}`;
  console.log(row('canhgac', cg, `parse + ECS + durable on the embedded bus (fsync); ${WORKERS} parse worker thread${WORKERS === 1 ? '' : 's'}`));
  console.log(row('syslog-ng', ng, 'syslog header parse + write to a file (no fsync)'));
  console.log(`ratio canhgac / syslog-ng: ${(cg.rate / ng.rate).toFixed(2)}`);
  console.log(loadLine());
}

main().then(
  () => process.exit(0), // a parse worker or a socket left open must not keep the run alive
  (e: Error) => {
    console.error(`bench/ingest: ${e.message}`);
    process.exit(1);
  },
);
