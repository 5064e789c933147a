import type net from 'node:net';
import { fuzzListener } from './fuzz';
import { idleConnections, sendValid, startListener, until, type Harness, type ListenerKind } from './listener-harness';

// The long listener fuzz (npm run conformance): CANHGAC_FUZZ_ITERATIONS cases per listener and seed
// (default 1000: about five minutes for the three seeds on two cores), seeds from CANHGAC_FUZZ_SEEDS (comma-separated) or three fixed ones.
const ITERATIONS = Number(process.env.CANHGAC_FUZZ_ITERATIONS ?? 1000);
const SEEDS = (process.env.CANHGAC_FUZZ_SEEDS ?? '1,20261203,424242').split(',').map(Number);
const KINDS: ListenerKind[] = ['syslog-udp', 'syslog-tcp', 'syslog-tls', 'http', 'beats'];
const limits = { maxMessageBytes: 8192, maxWindowBytes: 256 * 1024 };

let h: Harness | null = null;
let hogs: net.Socket[] = [];
afterEach(async () => {
  hogs.forEach((s) => s.destroy());
  hogs = [];
  await h?.close();
  h = null;
});

describe.each(KINDS)('long listener fuzzing: %s', (kind) => {
  it.each(SEEDS)(`${ITERATIONS} hostile cases, seed %i: survives, keeps taking valid messages, counts refusals, loses nothing counted`, async (seed) => {
    h = await startListener(kind, { ...limits, idleTimeoutSeconds: 2 });
    const report = await fuzzListener(h, { iterations: ITERATIONS, seed, stormSize: 50, ...limits });
    expect(report.cases).toBe(ITERATIONS);
  });
});

describe('syslog over TLS under the floods of plain TCP', () => {
  it('1000 idle connections and handshakes that never finish from a few addresses: a real sender still gets through, all are closed and counted', async () => {
    h = await startListener('syslog-tls', { connections: { maxConnections: 600, maxPerAddress: 200, reserve: 50, handshakeTimeoutSeconds: 3 } });
    for (const from of ['127.0.0.2', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7']) hogs.push(...(await idleConnections(h.port, 200, from)));
    expect(await sendValid(h, 'tls-newcomer', '127.0.0.3')).toBe(true);
    await until('the newcomer on the bus', () => h!.received('tls-newcomer').length === 1);
    const c = h.counters;
    // 550 up to max_total - reserve, then the first of each address still new (127.0.0.6, .7) from the reserve
    await until('the 448 connections over the limits refused', () => c.reason('syslog-tls', 'connection_limit') + c.reason('syslog-tls', 'per_address_limit') === 1000 - 552);
    await until('the stalled handshakes closed', () => c.reason('syslog-tls', 'handshake_timeout') === 552, 2000);
    expect(await sendValid(h, 'tls-after', '127.0.0.2')).toBe(true);
  });

  it('a garbage flood and the fuzz storms on the TLS listener, then TLS senders are served as before', async () => {
    h = await startListener('syslog-tls', { ...limits, idleTimeoutSeconds: 2 });
    await fuzzListener(h, { iterations: ITERATIONS, seed: 5425, stormSize: 100, concurrency: 20, ...limits });
    for (let i = 0; i < 20; i++) expect(await sendValid(h, `tls-after-flood-${i}-ok`, '127.0.0.3')).toBe(true);
    const got = () => Array.from({ length: 20 }, (_, i) => h!.received(`tls-after-flood-${i}-ok`).length);
    await until('the senders after the flood', () => got().every((n) => n === 1)).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(got())}, pending ${h!.intake.pending}, counters ${JSON.stringify(h!.counters.snapshot())}`);
    });
  });
});
