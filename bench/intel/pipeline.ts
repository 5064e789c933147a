/**
 * Question: what do 100 000 and 1 000 000 loaded indicators cost the pipeline, not just the
 * matcher? Events per second through the embedded pipeline — the disk-journal bus, the indexer
 * writing every event to SQLite and the intel consumer matching every event beside it (an alert
 * for each hit, threat.enrichments written into the stored event) — with 0, 100 000 and 1 000 000
 * indicators loaded, side by side in one run. The row with 0 is the peer: the same pipeline with
 * nothing to match; the ratio to it is what the indicators cost.
 *
 * Each row: a fresh data directory; the indicators stored (as already retro-hunted: the one-off
 * hunt of a new feed is not the steady state asked about) and the journal filled with the events
 * first, then the indexer and the intel consumer started and timed until both have taken every
 * event (and the enrichments of the hits are written). Events: bench/intel/workload.ts (FortiGate
 * traffic, DNS, web filter and Sysmon, parsed by canhgac; 1 in 100 hits an indicator when any is loaded).
 *
 * Run: npm run bench:intel-pipeline [-- --events 100000]
 *
 * 2026-12-03 21:27, 2 shared cores, load average 8–10 (other test suites running): 100 000 events per
 * row, 9 394 events/s with 0 indicators, 9 435 with 100 000 (1.00x), 9 817 with 1 000 000 (1.05x; the
 * rows' order and the load make ±5 % noise); loading the million took 8.1 s before the row started;
 * 1 000 alerts and 1 000 enriched events in each row with indicators. The pipeline is bound by the
 * journal and the indexer, not by matching.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOPICS } from '../../core/bus/bus';
import { createEmbeddedBus } from '../../core/bus/embedded';
import { newId } from '../../core/event';
import { silentLogger } from '../../core/log';
import { createSqliteStore } from '../../core/store/sqlite';
import { startIndexer } from '../../indexer/indexer';
import { HUNTED_KEY, startIntel } from '../../intel/consumer';
import { INTEL_VERSION_KEY } from '../../intel/importer';
import type { Indicator } from '../../intel/indicator';
import { announce, budgetMs, waitForCount, waitUntil } from '../common';
import { describeMachine, loadLine, machineLine } from '../machine';
import { events, indicators } from './workload';

const EVENTS = Number(process.argv[process.argv.indexOf('--events') + 1]) || 100_000;

interface Row { loaded: number; loadMs: number; intelPerSecond: number; pipelinePerSecond: number; alerts: number; enriched: number }

async function run(all: Indicator[], loaded: number, pool: Record<string, unknown>[], N: number): Promise<Row> {
  const dir = mkdtempSync(path.join(tmpdir(), 'canhgac-bench-intel-'));
  const store = createSqliteStore({ path: path.join(dir, 'store.db') });
  const bus = createEmbeddedBus({ dir: path.join(dir, 'bus') });
  try {
    for (let i = 0; i < loaded; i += 50_000) await store.putIndicators(all.slice(i, Math.min(loaded, i + 50_000)));
    await store.putState(INTEL_VERSION_KEY, `bench-${loaded}`);
    // the steady state is the question: the one-off retro-hunt of a new feed is taken as done
    await store.putState(HUNTED_KEY, '9999-12-31T00:00:00.000Z');
    for (let i = 0; i < N; i += 1000) {
      const batch = pool.slice(0, Math.min(1000, N - i)).map((ev, j) => ({ ...ev, event: { ...(ev.event as object), id: newId() }, '@timestamp': new Date(Date.now() - (i + j)).toISOString() }));
      await bus.publish(TOPICS.events, batch.map((value) => ({ key: 'so-a', value })));
    }
    const t0 = Date.now();
    const intel = await startIntel({ bus, store, logger: silentLogger, enrichMs: 200 });
    const loadMs = Date.now() - t0; // reading the indicators from the store and building the matcher
    const started = Date.now();
    const indexer = await startIndexer({ bus, store, logger: silentLogger });
    const budget = budgetMs(N, 500, 60_000);
    announce(`pipeline with ${loaded} indicators`, budget, `${N} events at no less than 500/s, plus 60 s`);
    let intelDone = 0;
    await waitUntil({
      phase: `pipeline with ${loaded} indicators`, budgetMs: budget, pollMs: 50,
      done: async () => {
        if (!intelDone && intel.counts.events >= N) intelDone = Date.now();
        return intelDone > 0 && (await indexer.lag()) === 0;
      },
      progress: () => `intel consumer: ${intel.counts.events} of ${N} events`,
    });
    const hits = intel.counts.matched;
    await waitForCount({ phase: `enrichments with ${loaded} indicators`, budgetMs: 60_000, what: 'stored events enriched', want: hits, count: () => intel.enrichment.enriched + intel.enrichment.givenUp });
    const done = Date.now();
    await intel.stop();
    await indexer.stop();
    return { loaded, loadMs, intelPerSecond: N / ((intelDone - started) / 1000), pipelinePerSecond: N / ((done - started) / 1000), alerts: intel.counts.alerts, enriched: intel.enrichment.enriched };
  } finally {
    await bus.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const N = EVENTS;
  console.log(machineLine(describeMachine()));
  const all = indicators(1_000_000);
  const pool = events(1000, all.slice(0, 1000)).map((ev) => ({ ...ev, organization: { id: 'so-a' } }));
  await run(all, 0, pool, Math.ceil(N / 5)); // warm-up, not shown: the first row would pay for the JIT
  const rows: Row[] = [];
  for (const n of [0, 100_000, 1_000_000]) rows.push(await run(all, n, pool, N));
  const peer = rows[0];
  console.log(`intel in the embedded pipeline (disk journal, indexer to SQLite, intel consumer), ${EVENTS} events per row, one process`);
  console.log('indicators   load ms   intel events/s   pipeline events/s   vs 0 loaded   alerts   enriched');
  for (const r of rows) {
    console.log(`${String(r.loaded).padStart(10)} ${String(r.loadMs).padStart(9)} ${Math.round(r.intelPerSecond).toString().padStart(16)} ${Math.round(r.pipelinePerSecond).toString().padStart(19)} ${(r.pipelinePerSecond / peer.pipelinePerSecond).toFixed(2).padStart(12)}x ${String(r.alerts).padStart(8)} ${String(r.enriched).padStart(10)}`);
  }
  console.log(loadLine());
}

main().catch((e: Error) => {
  console.error(`bench/intel/pipeline: ${e.message}`);
  process.exit(1);
});
