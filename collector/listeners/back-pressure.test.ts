import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { resumeQueueOf } from './back-pressure';
import { fakeBus } from './fake-bus';
import { beatsWindow, INGEST_SECRET, startListener, until, type Harness, type StreamKind } from './listener-harness';

// Many senders on one listener while the journal is slow: each connection pauses, waits in
// one queue, and connections resume one at a time, so the events held in memory stay near
// the intake's limit instead of every paused sender's next chunk arriving at once.

const SENDERS = 14;
const LINES = 1000;
const MAX_INFLIGHT = 100;
const KINDS: StreamKind[] = ['syslog-tcp', 'syslog-tls', 'beats'];

let h: Harness | null = null;
const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
beforeAll(() => process.on('warning', onWarning));
afterAll(() => process.off('warning', onWarning));
afterEach(async () => {
  await h?.close();
  h = null;
});

const line = (tag: string, s: number, i: number) => `<38>Dec  3 10:00:00 host sshd[${i}]: Failed password for ${tag}-${s}-${i} from 192.0.2.7 port 22 ssh2`;

function payload(kind: StreamKind, tag: string, s: number): Buffer {
  const lines = Array.from({ length: LINES }, (_, i) => line(tag, s, i));
  if (kind === 'beats') return beatsWindow(lines.map((message) => ({ message })));
  return Buffer.from(lines.map((l) => (kind === 'syslog-tls' ? `${Buffer.byteLength(l)} ${l}` : l + '\n')).join(''));
}

function connect(h: Harness): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s: net.Socket = h.ca ? tls.connect({ port: h.port, host: '127.0.0.1', ca: h.ca }) : net.connect(h.port, '127.0.0.1');
    s.once(h.ca ? 'secureConnect' : 'connect', () => resolve(s));
    s.on('error', reject);
  });
}

describe.each(KINDS)(`%s with ${SENDERS} senders and a slow journal`, (kind) => {
  it('pauses every sender in one queue, resumes them one at a time, and delivers every line in order', async () => {
    const bus = fakeBus({ publishDelayMs: 1 });
    h = await startListener(kind, { bus, maxInflight: MAX_INFLIGHT, beatsTls: false });
    const harness = h;
    let peak = 0; // events in flight, measured from the first drain after every sender paused
    let measuring = false;
    let drainListeners = 0; // most 'drain' listeners the intake had at once
    let paused = 0; // most connections waiting at once
    let largestRead = 0; // events one read of one connection hands over
    const submit = harness.intake.submit.bind(harness.intake);
    const started = new Set<string>(); // senders some of whose lines were read
    harness.intake.submit = (listener, items, opts) => {
      largestRead = Math.max(largestRead, items.length);
      for (const it of items) started.add(/bp-[a-z-]+-(\d+)-/.exec(typeof it.raw === "string" || Buffer.isBuffer(it.raw) ? String(it.raw) : JSON.stringify(it.raw))?.[1] ?? '');
      const done = submit(listener, items, opts);
      if (measuring) peak = Math.max(peak, harness.intake.pending);
      drainListeners = Math.max(drainListeners, harness.intake.listenerCount('drain'));
      return done;
    };
    // counted when a connection joins the queue: sampled at a submit (a resumed connection's read), the
    // count depended on how many finished senders the queue had let go just before, and could be anything
    const queue = resumeQueueOf(harness.intake);
    const wait = queue.wait.bind(queue);
    queue.wait = (resume) => {
      const leave = wait(resume);
      paused = Math.max(paused, queue.size);
      return leave;
    };
    const tag = `bp-${kind}`;
    const sockets = await Promise.all(Array.from({ length: SENDERS }, () => connect(harness)));
    sockets.forEach((s, i) => s.write(payload(kind, tag, i)));
    await until('every sender read from and the intake full', () => started.size >= SENDERS && harness.intake.busy);
    await new Promise((r) => harness.intake.once('drain', r));
    measuring = true;
    await until(`all ${SENDERS * LINES} lines on the bus`, () => harness.received(tag).length >= SENDERS * LINES, 4000);
    const users = harness.received(tag).map((e) => (e as { user?: { name?: string } }).user?.name ?? '');
    expect(new Set(users).size).toBe(SENDERS * LINES);
    for (let s = 0; s < SENDERS; s++) {
      const seq = users.filter((u) => u.startsWith(`${tag}-${s}-`)).map((u) => Number(u.split('-').pop()));
      expect(seq).toEqual([...seq].sort((a, b) => a - b));
    }
    // a thundering resume puts every paused sender's next read in flight together (14 reads); one at a time, one or two
    expect(drainListeners).toBe(1); // one queue, not one listener per paused connection
    expect(paused).toBeGreaterThanOrEqual(12); // 12+ senders held back at once
    expect(peak).toBeLessThanOrEqual(MAX_INFLIGHT + 2 * largestRead);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    sockets.forEach((s) => s.destroy());
  }, 120_000);
});

describe(`syslog-udp with ${SENDERS} senders and a slow journal`, () => {
  it('keeps or counts every datagram: what the full intake cannot take is dropped under intake_full, none unaccounted', async () => {
    const bus = fakeBus({ publishDelayMs: 5 });
    // the journal stalls until the intake is full and 20 more turns were sent, then is slow: the intake fills
    // however fast this machine sends (a free journal on a busy machine kept up with the senders)
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    const publish = bus.publish.bind(bus);
    bus.publish = async (topic, records) => {
      await stalled;
      return publish(topic, records);
    };
    h = await startListener('syslog-udp', { bus, maxInflight: MAX_INFLIGHT });
    const harness = h;
    const PER_SENDER = 300;
    const tag = 'bp-udp';
    const senders = Array.from({ length: SENDERS }, () => dgram.createSocket('udp4'));
    const send = (s: dgram.Socket, msg: string) => new Promise<void>((r) => s.send(msg, harness.port, '127.0.0.1', () => r()));
    // every sender in step, a datagram each per turn: many senders at once, at a pace the kernel buffer holds
    let fullAt = -1;
    for (let i = 0; i < PER_SENDER; i++) {
      await Promise.all(senders.map((s, n) => send(s, line(tag, n, i))));
      await new Promise((r) => setTimeout(r, 1)); // the listener reads its turn before the next
      if (fullAt < 0 && harness.intake.busy) fullAt = i;
      if (fullAt >= 0 && i === fullAt + 20) release();
    }
    release();
    expect(fullAt).toBeGreaterThanOrEqual(0); // the stalled journal filled the intake while the senders sent
    const sent = SENDERS * PER_SENDER;
    const accounted = () => harness.received(tag).length + harness.counters.get('syslog-udp').dropped;
    await until(`all ${sent} datagrams on the bus or counted as dropped`, () => accounted() >= sent, 2400);
    expect(accounted()).toBe(sent);
    expect(harness.counters.reason('syslog-udp', 'intake_full')).toBeGreaterThan(0); // the slow journal did fill the intake
    expect(harness.received(tag).length).toBeGreaterThan(0);
    expect(harness.counters.tenant('default').dropped).toBe(harness.counters.reason('syslog-udp', 'intake_full'));
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    senders.forEach((s) => s.close());
  }, 120_000);
});

describe(`http with ${SENDERS} senders and a stalled journal`, () => {
  it('holds each request that finds the intake full in the same queue, so the events in memory stay near the limit, and accepts every line', async () => {
    const bus = fakeBus({ publishDelayMs: 1 });
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    const publish = bus.publish.bind(bus);
    bus.publish = async (topic, records) => {
      await stalled; // the journal takes nothing until every request has arrived
      return publish(topic, records);
    };
    h = await startListener('http', { bus, maxInflight: MAX_INFLIGHT, maxWindowBytes: 1024 * 1024 });
    const harness = h;
    let peak = 0;
    let largestRead = 0;
    const submit = harness.intake.submit.bind(harness.intake);
    harness.intake.submit = (listener, items, opts) => {
      largestRead = Math.max(largestRead, items.length);
      const done = submit(listener, items, opts);
      peak = Math.max(peak, harness.intake.pending);
      return done;
    };
    const tag = 'bp-http';
    const post = (s: number) =>
      fetch(`http://127.0.0.1:${harness.port}/api/v1/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INGEST_SECRET}`, 'content-type': 'application/x-ndjson' },
        body: Array.from({ length: LINES }, (_, i) => JSON.stringify({ message: line(tag, s, i) })).join('\n'),
      }).then(async (r) => [r.status, ((await r.json()) as { accepted: number }).accepted]);
    const answers = Promise.all(Array.from({ length: SENDERS }, (_, s) => post(s)));
    // the first request fills the intake; every other one waits its turn instead of adding its 1000 events
    await until(`${SENDERS - 1} requests waiting`, () => resumeQueueOf(harness.intake).size === SENDERS - 1);
    expect(harness.intake.pending).toBe(LINES);
    release();
    expect(await answers).toEqual(Array.from({ length: SENDERS }, () => [202, LINES]));
    expect(harness.received(tag)).toHaveLength(SENDERS * LINES);
    expect(peak).toBeLessThanOrEqual(MAX_INFLIGHT + 2 * largestRead); // never every request's events at once (14 x 1000)
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  }, 120_000);
});
