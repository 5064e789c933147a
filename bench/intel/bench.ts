/**
 * Question: what does a million loaded indicators cost the stream? Events per second through the
 * intel matcher (what the intel consumer runs on every event: addresses, domains with their parent
 * domains, URLs and hashes) with 0, 100 000 and 1 000 000 indicators loaded, side by side on the
 * same events in one run, with the ratio to an empty list and to a list of 4 (one per kind: the
 * per-event work without the size); and, as the peer, the naive matcher
 * (every indicator compared with every event) at 1 000 indicators, the cost hash sets avoid.
 *
 * Events: FortiGate traffic, DNS and web-filter lines and Sysmon process events parsed by canhgac's
 * own parsers, with random addresses, names and hashes; 1 in 100 hits an indicator.
 *
 * Run: npm run build && node --expose-gc dist/bench/intel/bench.js [--seconds 3] [--events 20000]
 *
 * 2026-12-03, 2 shared cores under load: with 1 000 warm events 1M indicators matched at 193k events/s
 * against 150k with 4 loaded (noise: the size costs nothing); with 20 000 cold events 32k vs 93k/s —
 * the difference is cache misses in the large maps, not work.
 */
import type { Indicator } from '../../intel/indicator';
import { Matcher } from '../../intel/matcher';
import { describeMachine, loadLine, machineLine } from '../machine';
import { events, indicators } from './workload';

const SECONDS = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 3;
// a pool larger than the CPU caches makes every event a cold read, as a journal replay is; --events 1000 keeps them warm, as a live stream just parsed is
const POOL = Number(process.argv[process.argv.indexOf('--events') + 1]) || 20_000;
/** The peer: every indicator compared with every observable of the event. */
function naiveMatch(list: Indicator[], ev: Record<string, unknown>): number {
  const s = JSON.stringify(ev);
  let n = 0;
  for (const ind of list) if (s.includes(ind.value)) n++;
  return n;
}

function rate(fn: (ev: Record<string, unknown>) => number, evs: Record<string, unknown>[]): { perSecond: number; matched: number } {
  let done = 0;
  let matched = 0;
  const until = process.hrtime.bigint() + BigInt(SECONDS * 1e9);
  const started = process.hrtime.bigint();
  while (process.hrtime.bigint() < until) {
    for (let i = 0; i < 1000; i++) matched += fn(evs[(done + i) % evs.length]) > 0 ? 1 : 0;
    done += 1000;
  }
  return { perSecond: done / (Number(process.hrtime.bigint() - started) / 1e9), matched: matched / done };
}

function main(): void {
  const machine = describeMachine();
  const all = indicators(1_000_000);
  const evs = events(POOL, all.slice(0, 1000));
  const now = Date.now();
  const rows: { name: string; loaded: number; loadMs: number; heapMb: number; perSecond: number; hitRate: number }[] = [];
  for (const n of [0, 4, 100_000, 1_000_000]) {
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = Date.now();
    const m = new Matcher(all.slice(0, n), now);
    const loadMs = Date.now() - t0;
    const heapMb = (process.memoryUsage().heapUsed - heap0) / 1e6;
    const r = rate((ev) => m.match(ev, 'so-a', now).length, evs);
    rows.push({ name: 'canhgac matcher', loaded: n, loadMs, heapMb, perSecond: r.perSecond, hitRate: r.matched });
  }
  const peer = all.slice(0, 1000);
  const p = rate((ev) => naiveMatch(peer, ev), evs.slice(0, 2000));
  rows.push({ name: 'naive scan (peer)', loaded: peer.length, loadMs: 0, heapMb: 0, perSecond: p.perSecond, hitRate: p.matched });

  const base = rows[0].perSecond;
  const small = rows[1].perSecond; // with 0 loaded the matcher returns at once; with 4 it does all the work per event
  console.log(machineLine(machine));
  console.log(`intel matching, ${evs.length} parsed events (FortiGate traffic/DNS/web filter, Sysmon), ${SECONDS} s per row, one core`);
  console.log('matcher             indicators   load ms   heap MB    events/s   vs 0 loaded   vs 4 loaded   hit rate');
  for (const r of rows) {
    console.log(`${r.name.padEnd(19)} ${String(r.loaded).padStart(10)} ${String(r.loadMs).padStart(9)} ${r.heapMb.toFixed(0).padStart(9)} ${Math.round(r.perSecond).toString().padStart(11)} ${(r.perSecond / base).toFixed(3).padStart(12)}x ${(r.perSecond / small).toFixed(2).padStart(12)}x ${(r.hitRate * 100).toFixed(1).padStart(9)}%`);
  }
  console.log(loadLine());
}

main();
