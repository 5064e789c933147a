import net from 'node:net';
import { silentLogger } from '../../core/log';
import { Counters } from '../counters';
import { startStreamServer, type ServedConnection, type StreamServer } from './stream-server';

// The idle timeout belongs to the stream server: a listener (here one that carries nothing)
// only says whether the wait is its own, and gets idle connections closed and counted.

let server: StreamServer | null = null;
const clients: net.Socket[] = [];
afterEach(async () => {
  clients.splice(0).forEach((s) => s.destroy());
  await server?.close();
  server = null;
});

async function start(counters: Counters, served: (socket: net.Socket) => ServedConnection): Promise<number> {
  server = await startStreamServer({ name: 'test-stream', host: '127.0.0.1', port: 0, idleTimeoutSeconds: 1 }, { counters, logger: silentLogger }, (socket) => {
    socket.resume();
    return served(socket);
  });
  return server.port;
}

async function connect(port: number): Promise<{ socket: net.Socket; closedAfterMs: Promise<number> }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.resume();
  clients.push(socket);
  await new Promise((r) => socket.once('connect', r));
  const at = Date.now();
  return { socket, closedAfterMs: new Promise((r) => socket.once('close', () => r(Date.now() - at))) };
}

it('closes a connection that sends nothing for idle_timeout_seconds, counted under the agency its listener names', async () => {
  const counters = new Counters();
  const port = await start(counters, () => ({ tenant: 'so-yte', listenerWaits: () => false, buffered: () => 0 }));
  const quiet = await connect(port);
  const talker = await connect(port);
  const chatter = setInterval(() => talker.socket.write('x'), 200);
  const after = await quiet.closedAfterMs;
  expect(after).toBeGreaterThanOrEqual(950);
  expect(after).toBeLessThan(2000);
  expect(talker.socket.destroyed).toBe(false); // one that keeps sending stays
  clearInterval(chatter);
  expect(counters.reason('test-stream', 'idle_timeout')).toBe(1);
  expect(counters.tenant('so-yte').idle_closed).toBe(1);
});

it('keeps a connection while the wait is the listener’s, and gives it a whole timeout once the listener reads again', async () => {
  const counters = new Counters();
  let waiting = true;
  const port = await start(counters, () => ({ tenant: null, listenerWaits: () => waiting, buffered: () => 0 }));
  const c = await connect(port);
  await new Promise((r) => setTimeout(r, 2500)); // paused by back-pressure for longer than the timeout
  expect(c.socket.destroyed).toBe(false);
  waiting = false;
  const released = Date.now();
  await c.closedAfterMs;
  expect(Date.now() - released).toBeGreaterThanOrEqual(950);
  expect(counters.reason('test-stream', 'idle_timeout')).toBe(1);
});

it('closes a connection that leaves a frame unfinished for the timeout, bytes dripping or not, as frame_timeout', async () => {
  const counters = new Counters();
  const since = Date.now();
  const port = await start(counters, () => ({ tenant: null, listenerWaits: () => false, partialSince: () => since, buffered: () => 12 }));
  const c = await connect(port);
  const drip = setInterval(() => c.socket.writable && c.socket.write('x'), 100);
  await c.closedAfterMs;
  clearInterval(drip);
  expect(counters.reason('test-stream', 'frame_timeout')).toBe(1);
  expect(counters.reason('test-stream', 'idle_timeout')).toBe(0);
});
