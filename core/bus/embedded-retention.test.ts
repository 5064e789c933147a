/**
 * Journal retention and a group that has not committed yet: a segment is deleted only when every
 * group subscribed to the topic is past it, including one still busy with its first batch.
 */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEmbeddedBus } from './embedded';

test('a slow new group still gets every record while a fast group commits past whole segments', async () => {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-retention-'));
  const bus = createEmbeddedBus({ dir, segmentBytes: 2048 });
  const N = 400;
  for (let i = 0; i < N; i += 50) await bus.publish('events', Array.from({ length: 50 }, (_, j) => ({ key: 'k', value: { n: i + j, pad: 'x'.repeat(40) } })));
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const slow: number[] = [];
  // the slow group's first batch waits (as a consumer publishing an alert does) until the fast group is done
  const s1 = await bus.subscribe<{ n: number }>({ topic: 'events', group: 'slow', maxBatch: 20, handler: async (b) => { if (!slow.length) await held; slow.push(...b.map((m) => m.value.n)); } });
  let fast = 0;
  const s2 = await bus.subscribe<{ n: number }>({ topic: 'events', group: 'fast', maxBatch: 100, handler: async (b) => void (fast += b.length) });
  const until = async (ok: () => boolean) => { for (let i = 0; i < 600 && !ok(); i++) await new Promise((r) => setTimeout(r, 50)); };
  await until(() => fast === N);
  expect(fast).toBe(N);
  release();
  await until(() => slow.length >= N);
  expect(slow).toEqual(Array.from({ length: N }, (_, i) => i));
  await s1.close();
  await s2.close();
  await bus.close();
});
