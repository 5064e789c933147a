/**
 * The long run of the structure-aware parser fuzzing (fuzz.contract.ts) for `npm run conformance`:
 * CANHGAC_FUZZ_ITERATIONS cases (default 5,000, a few minutes on two cores), seed CANHGAC_FUZZ_SEED (default a fixed one, so CI
 * is repeatable; `random` draws a new one, printed in the test name so a failure can be replayed).
 */
import { describeStructuredFuzz } from './fuzz.contract';

const iterations = Number(process.env.CANHGAC_FUZZ_ITERATIONS ?? 5000);
const seedSetting = process.env.CANHGAC_FUZZ_SEED ?? '20261203';
const seed = seedSetting === 'random' ? Date.now() % 2 ** 31 : Number(seedSetting);
if (!Number.isSafeInteger(iterations) || iterations < 1) throw new Error(`CANHGAC_FUZZ_ITERATIONS must be a positive integer; got ${JSON.stringify(process.env.CANHGAC_FUZZ_ITERATIONS)}`);
if (!Number.isSafeInteger(seed)) throw new Error(`CANHGAC_FUZZ_SEED must be an integer; got ${JSON.stringify(process.env.CANHGAC_FUZZ_SEED)}`);

describeStructuredFuzz(iterations, seed);
