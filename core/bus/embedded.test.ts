import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeBusContract } from './bus.contract';
import { createEmbeddedBus } from './embedded';

const tmp = () => fs.mkdtempSync(path.join(tmpdir(), 'canhgac-bus-'));
let n = 0;

describeBusContract('embedded', () => {
  const dir = tmp();
  return { open: () => createEmbeddedBus({ dir }), topic: `t${++n}` };
});

test('records acknowledged before kill -9 are all there after a restart', async () => {
  const dir = tmp();
  // a child publishes in small acknowledged batches, printing each acknowledged count, until it is killed
  const script = `
    const { createEmbeddedBus } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'dist', 'core', 'bus', 'embedded.js'))});
    const bus = createEmbeddedBus({ dir: ${JSON.stringify(dir)}, segmentBytes: 4096 });
    (async () => { let i = 0; for (;;) { const batch = []; for (let j = 0; j < 7; j++) batch.push({ key: 'k', value: { i: i++, pad: 'x'.repeat(50) } });
      await bus.publish('events', batch); process.stdout.write(i + '\\n'); } })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let acked = 0;
  child.stdout.on('data', (d: Buffer) => {
    const lines = d.toString().trim().split('\n');
    acked = Math.max(acked, Number(lines[lines.length - 1]));
  });
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if (acked >= 2000) {
        clearInterval(t);
        resolve();
      }
    }, 10);
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  const ackedAtKill = acked;
  expect(fs.readdirSync(path.join(dir, 'events')).filter((f) => f.endsWith('.log')).length).toBeGreaterThan(1);

  const bus = createEmbeddedBus({ dir });
  const seen: number[] = [];
  const sub = await bus.subscribe<{ i: number }>({ topic: 'events', group: 'check', handler: async (b) => void seen.push(...b.map((m) => m.value.i)) });
  const end = Date.now() + 20000;
  while (seen.length < ackedAtKill && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  await sub.close();
  await bus.close();
  expect(seen.length).toBeGreaterThanOrEqual(ackedAtKill);
  // nothing duplicated or reordered inside the journal
  expect(seen.slice(0, ackedAtKill)).toEqual(Array.from({ length: ackedAtKill }, (_, i) => i));
});

test('a torn record at the end of the journal is cut and the rest is kept', async () => {
  const dir = tmp();
  let bus = createEmbeddedBus({ dir });
  await bus.publish('t', [{ value: 'a' }, { value: 'b' }]);
  await bus.close();
  const file = path.join(dir, 't', fs.readdirSync(path.join(dir, 't')).find((f) => f.endsWith('.log'))!);
  fs.appendFileSync(file, Buffer.from([40, 0, 0, 0, 1, 2, 3]));
  bus = createEmbeddedBus({ dir });
  const seen: string[] = [];
  const sub = await bus.subscribe<string>({ topic: 't', group: 'g', handler: async (b) => void seen.push(...b.map((m) => m.value)) });
  await bus.publish('t', [{ value: 'c' }]);
  const end = Date.now() + 5000;
  while (seen.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  await sub.close();
  await bus.close();
  expect(seen).toEqual(['a', 'b', 'c']);
});

test('consumed segments are deleted, unconsumed ones kept', async () => {
  const dir = tmp();
  const bus = createEmbeddedBus({ dir, segmentBytes: 1024 });
  for (let i = 0; i < 50; i++) await bus.publish('t', [{ value: 'y'.repeat(100) }]);
  const segs = () => fs.readdirSync(path.join(dir, 't')).filter((f) => f.endsWith('.log')).length;
  const before = segs();
  let count = 0;
  const sub = await bus.subscribe<string>({ topic: 't', group: 'g', handler: async (b) => void (count += b.length) });
  const end = Date.now() + 5000;
  while (count < 50 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  await sub.close();
  await bus.close();
  expect(before).toBeGreaterThan(3);
  expect(segs()).toBe(1);
});

test('a publish holding a record over the size limit is refused whole, names the topic, and leaves the journal as it was', async () => {
  const dir = tmp();
  const bus = createEmbeddedBus({ dir, segmentBytes: 1024 });
  await bus.publish('t', [{ value: 'before' }]);
  await expect(bus.publish('t', [{ value: 'ok' }, { value: 'x'.repeat(17 * 1024 * 1024) }])).rejects.toThrow(/topic "t" exceeds the 16777216-byte limit/);
  // many records in one publish still cross segment boundaries correctly
  await bus.publish('t', Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `r${i}-${'y'.repeat(60)}` })));
  await bus.close();
  // a restart reads every record back from the segments (lengths and CRCs written in place are right)
  const again = createEmbeddedBus({ dir, segmentBytes: 1024 });
  const seen: string[] = [];
  const sub = await again.subscribe<string>({ topic: 't', group: 'g', handler: async (b) => void seen.push(...b.map((m) => m.value)) });
  const end = Date.now() + 5000;
  while (seen.length < 41 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  await sub.close();
  await again.close();
  expect(seen).toEqual(['before', ...Array.from({ length: 40 }, (_, i) => `r${i}-${'y'.repeat(60)}`)]);
});
