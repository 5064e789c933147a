/** bench/stall's pure parts: its options, percentiles, and the table it prints. */

export interface StallOptions {
  seconds: number; // per phase
  rate: number; // events per second over HTTP ingest
  readers: number; // concurrent console clients in the "readers" phase
  preload: number; // events stored before the phases, spread over the last 24 h
}

export const DEFAULTS: StallOptions = { seconds: 30, rate: 1000, readers: 2, preload: 300_000 };

/** `--seconds 30 --rate 1000 --readers 2 --preload 300000`; an unknown flag or a bad number is an error naming it. */
export function parseStallArgs(argv: string[]): StallOptions {
  const o: StallOptions = { ...DEFAULTS };
  const keys: Record<string, keyof StallOptions> = { '--seconds': 'seconds', '--rate': 'rate', '--readers': 'readers', '--preload': 'preload' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = keys[argv[i]];
    if (!key) throw new Error(`bench/stall: unknown option "${argv[i]}" (use --seconds, --rate, --readers, --preload)`);
    const v = Number(argv[i + 1]);
    const min = key === 'readers' || key === 'preload' ? 0 : 1;
    if (argv[i + 1] === undefined || !Number.isInteger(v) || v < min) throw new Error(`bench/stall: ${argv[i]} wants a whole number ≥ ${min}, got "${argv[i + 1] ?? ''}"`);
    o[key] = v;
  }
  return o;
}

/** The nearest-rank percentile (p in 0..100); undefined for no samples. */
export function percentile(xs: number[], p: number): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export interface PhaseFigures {
  name: string;
  ackMs: number[]; // HTTP ingest: request sent → 202
  ackRefused: number; // ingest answers other than 202, or no answer
  pushMs: number[]; // five failed SSH logins sent → incident.created on /ws
  pushMissed: number; // probes whose incident never came within the probe's watchdog
  readMs: number[]; // console reads answered 200
  readRefused: number; // answered 503
  readTimedOut: number; // no answer within the client's limit
  readFailed: number; // any other answer
  eventsSent: number;
  seconds: number;
}

const ms = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? 'n/a' : (a / b).toFixed(2));

function row(f: PhaseFigures): string {
  const c = (x: string, w = 9) => x.padStart(w);
  const p = (xs: number[], q: number) => c(ms(percentile(xs, q)));
  return [
    f.name.padEnd(8),
    p(f.ackMs, 50), p(f.ackMs, 95), p(f.ackMs, 99), c(String(f.ackRefused), 6),
    p(f.pushMs, 50), p(f.pushMs, 95), p(f.pushMs, 99), c(`${f.pushMs.length}/${f.pushMs.length + f.pushMissed}`, 7),
    c(String(f.readMs.length), 7), p(f.readMs, 50), p(f.readMs, 95), c(String(f.readRefused), 5), c(String(f.readTimedOut), 5), c(String(f.readFailed), 5),
    c((f.eventsSent / f.seconds).toFixed(0), 8),
  ].join(' ');
}

/** Ratios first (readers / quiet, target ≤ 2), then one row per phase. */
export function formatSummary(quiet: PhaseFigures, readers: PhaseFigures): string[] {
  const ack = ratio(percentile(readers.ackMs, 99), percentile(quiet.ackMs, 99));
  const push = ratio(percentile(readers.pushMs, 99), percentile(quiet.pushMs, 99));
  return [
    `ratio readers / quiet: p99 ingest ack ${ack}, p99 incident push ${push} (target ≤ 2)`,
    `phase       ack p50   ack p95   ack p99 ack!202  push p50  push p95  push p99  pushes   reads  read p50  read p95   503  t/o  fail  events/s`,
    row(quiet),
    row(readers),
    `(ms; ack: HTTP ingest batch sent → 202; push: 5 failed SSH logins over syslog → incident.created on /ws; reads: console API answered 200)`,
  ];
}
