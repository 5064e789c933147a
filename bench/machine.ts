/**
 * The machine a benchmark ran on, printed next to its figures: absolute rates move several times
 * between machines (and with the load on one), so each run also measures a fixed single-thread
 * workload in the same process, and a figure can be read against that reference.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';

export interface Machine {
  cores: number;
  model: string;
  loadAverage: number[]; // 1, 5, 15 minutes, taken before the reference workload runs
  node: string;
  cpuRefOpsPerSecond: number; // per CPU-second of this process, see cpuReference()
}

/** A canhgac-shaped ECS event of about 1 KiB: the reference serializes, parses and hashes it. */
const REFERENCE_EVENT = {
  '@timestamp': '2026-11-28T10:00:01.000Z',
  event: { kind: 'event', category: ['authentication'], type: ['start'], outcome: 'failure', dataset: 'system.auth', module: 'system', id: 'bench-reference-0000000000000001' },
  host: { name: 'web-7', hostname: 'web-7' },
  process: { name: 'sshd', pid: 1234 },
  source: { ip: '203.0.113.42', port: 51234, geo: { country_iso_code: 'VN' } },
  user: { name: 'u42' },
  related: { ip: ['203.0.113.42'], user: ['u42'], hosts: ['web-7'] },
  log: { syslog: { priority: 38, facility: { code: 4, name: 'auth' }, severity: { code: 6, name: 'informational' } } },
  message: 'Failed password for invalid user u42 from 203.0.113.42 port 51234 ssh2',
  event_original: '<38>Nov 28 10:00:01 web-7 sshd[1234]: Failed password for invalid user u42 from 203.0.113.42 port 51234 ssh2',
  observer: { vendor: 'OpenBSD', product: 'OpenSSH', type: 'host' },
  tags: ['syslog', 'tcp', 'bench'],
};

/** One reference operation: a JSON round-trip of the event and a SHA-256 of its text. */
function referenceOp(): number {
  const text = JSON.stringify(REFERENCE_EVENT);
  const back = JSON.parse(text) as { message: string };
  return createHash('sha256').update(text).digest()[0] + back.message.length;
}

/**
 * Reference operations per CPU-second of this process: the best of `rounds` rounds of `ops` each.
 * Counted against CPU time rather than the wall clock, so the figure is the core's speed and not
 * the share of it a busy machine left this run (the load average says that).
 */
export function cpuReference(rounds = 7, ops = 5_000): number {
  let best = 0;
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < ops; i++) sink += referenceOp();
    const c = process.cpuUsage(c0);
    best = Math.max(best, ops / ((c.user + c.system) / 1e6 || 1e-6));
  }
  if (sink < 0) throw new Error('unreachable'); // keeps the loop from being optimized away
  return best;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  const loadAverage = os.loadavg();
  return { cores: cpus.length, model: (cpus[0]?.model ?? 'unknown CPU').trim(), loadAverage, node: process.version, cpuRefOpsPerSecond: cpuReference() };
}

const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');

/** One line for a benchmark's output; bench/sigma can print the same with `machineLine(describeMachine())`. */
export function machineLine(m: Machine): string {
  return `machine: ${m.cores} cores (${m.model}), load average ${load(m.loadAverage)} at start, node ${m.node}; cpu-ref ${Math.round(m.cpuRefOpsPerSecond)} ops per CPU-second (JSON round-trip + SHA-256 of a 1 KiB event, one thread, best of 7)`;
}

/** The load average when the figures are in, to print beside the one at start. */
export function loadLine(): string {
  return `load average at end: ${load(os.loadavg())}`;
}
