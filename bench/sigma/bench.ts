/**
 * Question: with every SigmaHQ rule loaded (plus canhgac's own), how many events per second does the
 * Sigma engine evaluate on one core, and how much faster is the indexed evaluator than the naive peer
 * (every rule tried on every event), on the same realistic mix in the same run? And what memory?
 *
 * Mix (../shared/corpus, repeated): SigmaHQ regression events (evtx_dump), OTRF Security-Datasets
 * Windows recordings (flattened NXLog JSON), Suricata EVE JSON, Elastic integrations' normalized ECS
 * documents, plus canhgac-shaped sshd events.
 *
 * Run: npm run build && node dist/bench/sigma/bench.js [--seconds 5]   (CANHGAC_CORPUS to move the corpus)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRules, createEvaluator, Evaluator } from '../../correlator/sigma/index';
import { describeMachine, loadLine, machineLine } from '../machine';
import { CORPUS, corpusMix, ROOT, type Doc } from './corpus';

const SECONDS = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 5;

/** The corpus mix plus canhgac-shaped sshd events. */
function loadMix(): { events: Doc[]; parts: Record<string, number> } {
  const { events, parts } = corpusMix();
  const ssh: Doc[] = [];
  for (let i = 0; i < 500; i++) {
    ssh.push({ '@timestamp': new Date(Date.UTC(2026, 10, 28, 1, 0, i)).toISOString(), event: { id: `ssh-${i}`, category: ['authentication'], outcome: i % 7 ? 'failure' : 'success', action: 'ssh_login', dataset: 'system.auth' }, source: { ip: `203.0.113.${i % 50}`, port: 40000 + i }, user: { name: ['root', 'admin', 'deploy', 'nguyenvana'][i % 4] }, process: { name: 'sshd' }, host: { hostname: 'web01' }, organization: { id: `so-${i % 3}` } });
  }
  parts['canhgac sshd (ECS)'] = ssh.length;
  return { events: [...events, ...ssh], parts };
}

/** Wall-clock rate, and the rate per CPU-second of this process (fairer on a shared, loaded machine). */
function measure(ev: Evaluator, events: Array<Record<string, unknown>>, seconds: number): { eps: number; cpuEps: number; detections: number; n: number } {
  let n = 0;
  let detections = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  for (;;) {
    for (let i = 0; i < events.length; i++) detections += ev.evaluate(events[i]).length;
    n += events.length;
    if (process.hrtime.bigint() - start >= limit) break;
  }
  const sec = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { eps: n / sec, cpuEps: n / ((cpu.user + cpu.system) / 1e6), detections, n };
}

/** Same detections from both evaluators on every event (fresh ones, so timing leaves no state in them). */
function check(ruleset: Parameters<typeof createEvaluator>[0], events: Doc[]): { found: number; mismatch: number } {
  const a = createEvaluator(ruleset);
  const b = createEvaluator(ruleset, { useIndex: false });
  let mismatch = 0;
  let found = 0;
  for (const e of events) {
    const x = a.evaluate(e).map((d) => d.rule.id).join(',');
    const y = b.evaluate(e).map((d) => d.rule.id).join(',');
    if (x !== y) mismatch++;
    if (x) found++;
  }
  return { found, mismatch };
}

function mb(x: number): string {
  return (x / 1048576).toFixed(0) + ' MB';
}

function main(): void {
  const sigma = path.join(CORPUS, 'sigma');
  const ruleDirs = fs.readdirSync(sigma).filter((d) => d.startsWith('rules')).map((d) => path.join(sigma, d));
  // canhgac's own rules (its curated SigmaHQ copies are in the corpus already)
  const own = path.join(ROOT, 'rules', 'sigma');
  for (const d of fs.readdirSync(own)) if (d !== 'sigmahq' && fs.statSync(path.join(own, d)).isDirectory()) ruleDirs.push(path.join(own, d));
  const machine = describeMachine(); // before the rules load, so the load average is the machine's, not ours
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = Date.now();
  const { ruleset, report } = loadRules({ paths: ruleDirs });
  const loadMs = Date.now() - t0;
  global.gc?.();
  const heap1 = process.memoryUsage().heapUsed;
  const { events, parts } = loadMix();
  const ix = ruleset.compiled.index.describe();

  console.log('bench/sigma: events per second on one core, every rule loaded');
  console.log(machineLine(machine));
  console.log(`rules: ${report.filter((r) => r.ok).length} loaded of ${report.length} (${ruleset.rules.filter((r) => !r.enabled).length} disabled for placeholders) in ${loadMs} ms; index: ${ix.literals} literals on ${ix.probeFields} fields, ${ix.dfaStates} DFA states, ${ix.alwaysCandidates} rules always tried, ${ix.gatesWithoutProbe} logsource gates without a probe (judged only for a candidate rule under them)`);
  console.log(`mix: ${events.length} events = ${Object.entries(parts).map(([k, v]) => `${v} ${k}`).join(', ')}`);

  // each evaluator is timed from a collected heap, so neither pays for the garbage of what ran before it;
  // the indexed one first, as the correlator runs it (alone), then the naive one, then the check of both
  global.gc?.();
  const indexed = measure(createEvaluator(ruleset), events, SECONDS);
  global.gc?.();
  const naive = measure(createEvaluator(ruleset, { useIndex: false }), events, Math.max(1, SECONDS / 2));
  const { found, mismatch } = check(ruleset, events);
  console.log(`check: ${found} events with detections; indexed vs naive disagree on ${mismatch} events`);
  const mem = process.memoryUsage();
  const rows = [
    ['evaluator', 'events/s (wall)', 'events/CPU-s', 'events', 'detections'],
    ['canhgac indexed', indexed.eps.toFixed(0), indexed.cpuEps.toFixed(0), String(indexed.n), String(indexed.detections)],
    ['naive (every rule)', naive.eps.toFixed(0), naive.cpuEps.toFixed(0), String(naive.n), String(naive.detections)],
  ];
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i])).join('  '));
  console.log(`ratio indexed/naive: ${(indexed.eps / naive.eps).toFixed(1)}x`);
  console.log(`memory: compiled ruleset ~${mb(heap1 - heap0)} heap${global.gc ? '' : ' (run with --expose-gc for an exact figure)'}; process heap ${mb(mem.heapUsed)}, rss ${mb(mem.rss)}`);
  console.log(loadLine());
}

main();
