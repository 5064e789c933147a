import { fuzzListener } from './fuzz';
import { startListener, type Harness, type ListenerKind } from './listener-harness';

// Bounded: a few seconds per listener in npm test. The long run is listeners.conformance.test.ts.
const SEED = Number(process.env.CANHGAC_FUZZ_SEED ?? 20261203);
const KINDS: ListenerKind[] = ['syslog-udp', 'syslog-tcp', 'syslog-tls', 'http', 'beats'];
const limits = { maxMessageBytes: 8192, maxWindowBytes: 256 * 1024 };

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe.each(KINDS)(`listener fuzzing (seed ${SEED})`, (kind) => {
  it(`${kind} survives storms of hostile input, keeps taking valid messages, counts what it refuses and loses nothing it counted`, async () => {
    h = await startListener(kind, { ...limits, idleTimeoutSeconds: 2 });
    const report = await fuzzListener(h, { iterations: 120, seed: SEED, ...limits });
    expect(report.cases).toBe(120);
    expect(report.storms).toBeGreaterThan(1);
  });
});
