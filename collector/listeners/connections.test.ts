import type net from 'node:net';
import { idleConnections, sendValid, startListener, until, type Harness, type StreamKind } from './listener-harness';

const KINDS: StreamKind[] = ['syslog-tcp', 'syslog-tls', 'beats'];

let h: Harness | null = null;
let hogs: net.Socket[] = [];
afterEach(async () => {
  hogs.forEach((s) => s.destroy());
  hogs = [];
  await h?.close();
  h = null;
});

const openHogs = (sockets: net.Socket[]) => sockets.filter((s) => !s.destroyed && s.readyState === 'open');

describe.each(KINDS)('%s under an idle-connection flood', (kind) => {
  it('caps one address at max_per_address and still takes a line from another address', async () => {
    h = await startListener(kind, { connections: { maxConnections: 1000, maxPerAddress: 50, reserve: 10, handshakeTimeoutSeconds: 60 } });
    hogs = await idleConnections(h.port, 60, '127.0.0.2');
    await until('the 10 connections over the cap refused', () => h!.counters.reason(kind, 'per_address_limit') === 10);
    expect(h.counters.get(kind).refused).toBe(10);
    await until('the refused sockets closed', () => openHogs(hogs).length === 50);
    expect(await sendValid(h, `newcomer-${kind}`, '127.0.0.3')).toBe(true);
    await until('the newcomer line on the bus', () => h!.received(`newcomer-${kind}`).length === 1);
  });

  it('keeps a reserve of the total for an address that holds no connection, and closes idle connections, counted', async () => {
    // raw connections on a TLS listener are still in their handshake: the handshake timeout closes them there
    const closedBy = kind === 'syslog-tls' ? 'handshake_timeout' : 'idle_timeout';
    h = await startListener(kind, { connections: { maxConnections: 50, maxPerAddress: 100, reserve: 5, handshakeTimeoutSeconds: 2 }, idleTimeoutSeconds: 2 });
    hogs = await idleConnections(h.port, 60, '127.0.0.2');
    await until('the hog stopped at max_total - reserve', () => h!.counters.reason(kind, 'connection_limit') === 15);
    expect(await sendValid(h, `reserved-${kind}`, '127.0.0.3')).toBe(true);
    await until('the line of the new address on the bus', () => h!.received(`reserved-${kind}`).length === 1);
    // idle ones go after the timeout, counted, and the hog's address may connect again
    await until('the idle connections closed', () => openHogs(hogs).length === 0);
    expect(h.counters.reason(kind, closedBy)).toBeGreaterThanOrEqual(45);
    if (closedBy === 'idle_timeout') expect(h.counters.get(kind).idle_closed).toBe(h.counters.reason(kind, 'idle_timeout'));
    expect(await sendValid(h, `hog-again-${kind}`, '127.0.0.2')).toBe(true);
    await until('the hog address line after the idle close', () => h!.received(`hog-again-${kind}`).length === 1);
  });
});

describe.each(['syslog-tls', 'beats'] as StreamKind[])('%s over TLS: connections that never finish the handshake', (kind) => {
  it('are closed after handshake_timeout_seconds and counted; a real sender gets through meanwhile', async () => {
    h = await startListener(kind, { connections: { maxConnections: 1000, maxPerAddress: 40, reserve: 10, handshakeTimeoutSeconds: 1 }, beatsTls: true });
    hogs = await idleConnections(h.port, 40, '127.0.0.2');
    expect(await sendValid(h, 'during-stalled-handshakes', '127.0.0.3')).toBe(true);
    await until('the stalled handshakes closed', () => openHogs(hogs).length === 0);
    expect(h.counters.reason(kind, 'handshake_timeout')).toBe(40);
    await until('the message on the bus', () => h!.received('during-stalled-handshakes').length === 1);
  });
});
