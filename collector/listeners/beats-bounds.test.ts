import net from 'node:net';
import { deflateSync } from 'node:zlib';
import { lumberjack, sendValid, startListener, until, type Harness } from './listener-harness';

// What an unauthenticated Beats peer can make the listener hold, per connection and in all.

const { u32 } = lumberjack;
let h: Harness | null = null;
const sockets: net.Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.destroy());
  await h?.close();
  h = null;
});

const connect = async (port: number) => {
  const s = net.connect(port, '127.0.0.1');
  s.on('error', () => undefined);
  s.resume(); // read ACKs and the end, so a close by the listener is seen
  sockets.push(s);
  await new Promise((r) => s.once('connect', r));
  return s;
};
const closed = (s: net.Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));

it('an inflated window is read under back-pressure: the intake never holds much more than its limit, and every event arrives', async () => {
  h = await startListener('beats', { maxInflight: 100, maxWindowBytes: 4 * 1024 * 1024 });
  let maxPending = 0;
  const submit = h.intake.submit.bind(h.intake);
  h.intake.submit = (...args: Parameters<typeof submit>) => {
    const p = submit(...args);
    maxPending = Math.max(maxPending, h!.intake.pending);
    return p;
  };
  const n = 5000;
  const frames = Buffer.concat(Array.from({ length: n }, (_, i) => {
    const b = Buffer.from(JSON.stringify({ message: `bp-${i}` }));
    return Buffer.concat([Buffer.from('2J'), u32(i + 1), u32(b.length), b]);
  }));
  const z = deflateSync(frames);
  const s = await connect(h.port);
  s.write(Buffer.concat([Buffer.from('2W'), u32(n), Buffer.from('2C'), u32(z.length), z]));
  await until('all events of the window', () => h!.bus.of('events').length === n);
  expect(maxPending).toBeLessThanOrEqual(100 + 1000); // the limit and one slice, not the 5000 of the window at once
});

it('a frame left unfinished (bytes dripping, never completing) is closed after the idle timeout, counted', async () => {
  h = await startListener('beats', { idleTimeoutSeconds: 1 });
  const s = await connect(h.port);
  s.write(Buffer.concat([Buffer.from('2W'), u32(1), Buffer.from('2J'), u32(1), u32(4000), Buffer.from('{"message":"')]));
  const drip = setInterval(() => s.writable && s.write('x'), 100);
  await closed(s);
  clearInterval(drip);
  expect(h.counters.reason('beats', 'frame_timeout')).toBe(1);
  expect(h.counters.get('beats').idle_closed).toBe(1);
});

it('a peer announcing a huge window and saying nothing more is closed as idle despite the keep-alives', async () => {
  h = await startListener('beats', { idleTimeoutSeconds: 1 });
  const s = await connect(h.port);
  s.write(Buffer.concat([Buffer.from('2W'), u32(0xffffffff)]));
  await closed(s);
  expect(h.counters.reason('beats', 'idle_timeout')).toBe(1);
});

it('connections that together buffer more than 4 compressed windows are closed, counted, and a real sender still gets through', async () => {
  const windowBytes = 256 * 1024;
  h = await startListener('beats', { maxWindowBytes: windowBytes });
  const hogs: net.Socket[] = [];
  for (let i = 0; i < 6; i++) {
    const s = await connect(h.port);
    // a compressed frame announcing almost a window, of which all but the last byte is sent
    const size = windowBytes - 16;
    s.write(Buffer.concat([Buffer.from('2W'), u32(10), Buffer.from('2C'), u32(size), Buffer.alloc(size - 1, 0x41)]));
    hogs.push(s);
  }
  await until('the connections over the budget refused', () => h!.counters.reason('beats', 'buffer_budget') >= 2);
  expect(h.counters.get('beats').refused).toBeGreaterThanOrEqual(2);
  hogs.forEach((s) => s.destroy());
  expect(await sendValid(h, 'after-the-hogs', '127.0.0.3')).toBe(true);
  expect(h.received('after-the-hogs')).toHaveLength(1);
});
