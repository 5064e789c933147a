import dgram from 'node:dgram';
import net from 'node:net';
import { diskFull, fakeBus } from './fake-bus';
import { beatsWindow, sendLines, startListener, until, type Harness } from './listener-harness';

// The bus refuses every publish for a while (as the embedded journal does on a full disk), then takes them again.

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const line = (tag: string, i: number) => `<38>Dec  3 10:00:00 host sshd[${i}]: Failed password for ${tag}-${i} from 192.0.2.7 port 22 ssh2`;

describe.each(['syslog-tcp', 'syslog-tls'] as const)('%s while the bus refuses events', (kind) => {
  it('keeps the connection, stops taking more, retries, and delivers every line once the bus takes events again', async () => {
    const bus = fakeBus();
    bus.failWith(diskFull());
    h = await startListener(kind, { bus });
    const tag = `outage-${kind}`;
    const first = await sendLines(h, Array.from({ length: 300 }, (_, i) => line(tag, i)));
    await until('several refused publishes (retries with back-off)', () => bus.refused >= 3);
    expect(h.intake.unavailable).toBe(true);
    expect(h.intake.busy).toBe(true);
    expect(bus.of('events')).toHaveLength(0);
    expect(first.destroyed).toBe(false); // the sender is not cut off: it is held back
    const second = await sendLines(h, Array.from({ length: 100 }, (_, i) => line(tag, 300 + i)), '127.0.0.2');
    bus.failWith(null);
    await until('all 400 lines on the bus', () => h!.received(tag).length >= 400);
    const users = h.received(tag).map((e) => (e as { user?: { name?: string } }).user?.name);
    expect(new Set(users).size).toBe(400);
    expect(users).toHaveLength(400); // none lost, none twice
    const order = (from: number, to: number) => users.map((u) => Number(u!.split('-').pop())).filter((i) => i >= from && i < to);
    expect(order(0, 300)).toEqual([...order(0, 300)].sort((a, b) => a - b)); // each connection's lines in the order sent
    expect(order(300, 400)).toEqual([...order(300, 400)].sort((a, b) => a - b));
    expect(h.intake.unavailable).toBe(false);
    first.destroy();
    second.destroy();
  });
});

describe('beats while the bus refuses events', () => {
  it('sends no ACK while nothing is durable, then acknowledges the whole window once the bus takes it', async () => {
    const bus = fakeBus();
    bus.failWith(diskFull());
    h = await startListener('beats', { bus });
    const s = net.connect(h.port, '127.0.0.1');
    const acks: number[] = [];
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 6) {
        acks.push(buf.readUInt32BE(2));
        buf = buf.subarray(6);
      }
    });
    await new Promise((r) => s.once('connect', r));
    s.write(beatsWindow(Array.from({ length: 50 }, (_, i) => ({ message: line('beats-outage', i) }))));
    await until('several refused publishes', () => bus.refused >= 3);
    expect(acks.filter((a) => a === 50)).toHaveLength(0); // keep-alives (partial ACKs) at most
    bus.failWith(null);
    await until('the ACK of the window', () => acks.includes(50));
    expect(h.received('beats-outage')).toHaveLength(50);
    s.destroy();
  });
});

describe('syslog-udp while the bus refuses events', () => {
  it('counts every datagram it cannot keep as dropped (bus_unavailable) and takes them again afterwards', async () => {
    const bus = fakeBus();
    bus.failWith(diskFull());
    h = await startListener('syslog-udp', { bus });
    const sock = dgram.createSocket('udp4');
    const send = (msg: string) => new Promise<void>((r) => sock.send(msg, h!.port, '127.0.0.1', () => r()));
    for (let i = 0; i < 20; i++) await send(line('udp-outage', i));
    await until('20 drops counted', () => h!.counters.reason('syslog-udp', 'bus_unavailable') === 20);
    expect(h.counters.get('syslog-udp').dropped).toBe(20);
    expect(h.counters.tenant('default').dropped).toBe(20);
    bus.failWith(null);
    // a datagram is dropped while the intake still believes the bus away; the first publish that works clears it
    for (let i = 0; i < 200 && h.received('udp-back').length === 0; i++) {
      await send(line('udp-back', i));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(h.received('udp-back').length).toBeGreaterThan(0);
    sock.close();
  });
});
