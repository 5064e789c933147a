import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { deflateSync } from 'node:zlib';
import type { Bus, PublishRecord } from '../../core/bus/bus';
import { createEmbeddedBus } from '../../core/bus/embedded';
import type { EcsEvent } from '../../core/event';
import { createLogger, silentLogger, type Logger } from '../../core/log';
import type { DeadLetter } from '../../core/model';
import { Counters } from '../counters';
import { Intake } from '../intake';
import { SourceMap } from '../tenancy';
import { createBeatsListener, type BeatsConfig } from './beats';
import type { RunningListener } from './syslog-tcp';

// ---- a Lumberjack v2 client written after elastic/go-lumber client/v2 (Client.Send, ReceiveACK, AwaitACK)

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** A data frame: '2' 'J' seq(uint32) len(uint32) json. */
const jsonFrame = (seq: number, body: Buffer | string) => {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return Buffer.concat([Buffer.from('2J'), u32(seq), u32(b.length), b]);
};

/** One window as go-lumber's Client.Send writes it: '2W' count, then the events numbered from 1, zlib-compressed in one '2C' frame when asked. */
function encodeWindow(docs: unknown[], compress = false): Buffer {
  const frames = Buffer.concat(docs.map((d, i) => jsonFrame(i + 1, JSON.stringify(d))));
  const head = Buffer.concat([Buffer.from('2W'), u32(docs.length)]);
  if (!compress) return Buffer.concat([head, frames]);
  const z = deflateSync(frames, { level: 3 });
  return Buffer.concat([head, Buffer.from('2C'), u32(z.length), z]);
}

class LumberjackClient {
  readonly acks: number[] = [];
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  readonly done: Promise<void>;

  constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 6) {
        if (this.buf[0] !== 0x32 || this.buf[1] !== 0x41) throw new Error(`not an ACK: ${this.buf.subarray(0, 6).toString('hex')}`);
        this.acks.push(this.buf.readUInt32BE(2));
        this.buf = this.buf.subarray(6);
      }
      this.wake();
    });
    socket.on('error', () => undefined);
    this.done = new Promise((r) =>
      socket.on('close', () => {
        this.closed = true;
        this.wake();
        r();
      }),
    );
  }

  static async connect(port: number, tlsOptions?: tls.ConnectionOptions): Promise<LumberjackClient> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = tlsOptions ? tls.connect({ host: '127.0.0.1', port, ...tlsOptions }, () => resolve(s)) : net.connect(port, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    return new LumberjackClient(socket);
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  write(b: Buffer): Promise<void> {
    return new Promise((resolve) => this.socket.write(b, () => resolve()));
  }

  send(docs: unknown[], compress = false): Promise<void> {
    return this.write(encodeWindow(docs, compress));
  }

  /** Like go-lumber's AwaitACK: reads ACKs until one reaches `count`; partial ones only keep the connection alive. */
  async awaitAck(count: number, from = 0): Promise<number> {
    for (;;) {
      const hit = this.acks.slice(from).find((a) => a >= count);
      if (hit !== undefined) return hit;
      if (this.closed) throw new Error(`connection closed before the ACK of ${count} (got ${JSON.stringify(this.acks)})`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  close(): Promise<void> {
    this.socket.destroy();
    return this.done;
  }
}

// ---- a bus whose publishes can be held, to see when the listener acknowledges

interface Gated extends Bus {
  hold(): void;
  release(): void;
  handed: number; // records handed to publish
  durable: { topic: string; value: unknown }[];
  calls: number;
}

function gated(inner: Bus): Gated {
  let gate: Promise<void> | null = null;
  let open: () => void = () => undefined;
  const g: Gated = {
    kind: inner.kind,
    handed: 0,
    calls: 0,
    durable: [],
    hold() {
      gate = new Promise((r) => (open = r));
    },
    release() {
      gate = null;
      open();
    },
    async publish<T>(topic: string, records: PublishRecord<T>[]) {
      g.handed += records.length;
      g.calls++;
      if (gate) await gate;
      await inner.publish(topic, records);
      for (const r of records) g.durable.push({ topic, value: r.value });
    },
    subscribe: (o) => inner.subscribe(o),
    close: () => inner.close(),
  };
  return g;
}

const until = async (what: string, cond: () => boolean) => {
  for (let i = 0; i < 600 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

interface Setup {
  dir: string;
  bus: Gated;
  raw: Bus;
  intake: Intake;
  listener: RunningListener;
  port: number;
  events: () => EcsEvent[];
  deadLetters: () => DeadLetter[];
  close(): Promise<void>;
}

async function setup(opts: { config?: Partial<BeatsConfig>; maxInflight?: number; logger?: Logger; sources?: SourceMap } = {}): Promise<Setup> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-beats-'));
  const raw = createEmbeddedBus({ dir: path.join(dir, 'bus') });
  const bus = gated(raw);
  const intake = new Intake({ bus, counters: new Counters(), logger: silentLogger, timezone: 'UTC', maxInflight: opts.maxInflight });
  const listener = await createBeatsListener(
    { host: '127.0.0.1', port: 0, tenant: 'so-tttt', maxMessageBytes: 4096, maxWindowBytes: 1024 * 1024, idleTimeoutSeconds: 60, ...opts.config },
    { intake, sources: opts.sources ?? new SourceMap([], 'default'), logger: opts.logger ?? silentLogger },
  );
  const of = (topic: string) => bus.durable.filter((d) => d.topic === topic).map((d) => d.value);
  return {
    dir,
    bus,
    raw,
    intake,
    listener,
    port: listener.address.port,
    events: () => of('events') as EcsEvent[],
    deadLetters: () => of('dlq') as DeadLetter[],
    async close() {
      await listener.close();
      await raw.close();
    },
  };
}

/** Everything a fresh consumer group reads from a topic of the bus. */
async function consume<T>(bus: Bus, topic: string, atLeast: number): Promise<T[]> {
  const got: T[] = [];
  const sub = await bus.subscribe<T>({ topic, group: `check-${Math.random()}`, handler: async (batch) => void got.push(...batch.map((m) => m.value)) });
  try {
    await until(`${atLeast} records on ${topic}`, () => got.length >= atLeast);
  } finally {
    await sub.close();
  }
  return got;
}

const sshd = (user: string, ip: string, extra: Record<string, unknown> = {}) => ({
  '@timestamp': '2026-11-28T02:00:00.000Z',
  '@metadata': { beat: 'filebeat', type: '_doc', version: '8.15.0' },
  message: `Nov 28 09:00:00 web-01 sshd[811]: Failed password for ${user} from ${ip} port 52144 ssh2`,
  log: { file: { path: '/var/log/auth.log' }, offset: 1200 },
  input: { type: 'filestream' },
  host: { name: 'web-01' },
  fields: { agency_hint: 'ignored' },
  ...extra,
});

const userOf = (e: EcsEvent) => (e.user as { name?: string } | undefined)?.name;

describe('Beats (Lumberjack v2) listener', () => {
  let t: Setup;
  afterEach(async () => t?.close());

  test('a sender whose ACK waited for a stalled journal longer than the idle timeout gets a whole timeout after the ACK before it is closed as idle', async () => {
    t = await setup({ config: { idleTimeoutSeconds: 1, keepAliveSeconds: 1 } });
    const c = await LumberjackClient.connect(t.port);
    t.bus.hold();
    await c.send([sshd('anh', '203.0.113.1')]);
    await new Promise((r) => setTimeout(r, 2500)); // the journal takes 2.5 s; the wait is the listener's, not the sender's
    t.bus.release();
    expect(await c.awaitAck(1)).toBe(1);
    const acked = Date.now();
    await c.done; // a quiet Filebeat is closed in the end, but not the moment it is answered
    expect(Date.now() - acked).toBeGreaterThanOrEqual(900);
    expect(t.intake.counters.reason('beats', 'idle_timeout')).toBe(1);
  });

  test('a window is acknowledged with its last sequence number only once its events are durable', async () => {
    t = await setup();
    const c = await LumberjackClient.connect(t.port);
    t.bus.hold();
    await c.send([sshd('anh', '203.0.113.1'), sshd('binh', '203.0.113.2'), sshd('chi', '203.0.113.3')]);
    await until('the window handed to the bus', () => t.bus.handed === 3);
    expect(c.acks).toEqual([]); // the bus has not confirmed: no ACK yet
    t.bus.release();
    expect(await c.awaitAck(3)).toBe(3);
    // when the ACK arrives the events are on the bus: a consumer reads them
    const onBus = await consume<EcsEvent>(t.raw, 'events', 3);
    expect(onBus.map(userOf)).toEqual(['anh', 'binh', 'chi']);
    expect(onBus.every((e) => e.organization?.id === 'so-tttt')).toBe(true);
    await c.close();
  });

  test('compressed windows (as Filebeat sends them) and pipelined windows are acknowledged in order', async () => {
    t = await setup();
    const c = await LumberjackClient.connect(t.port);
    const w1 = Array.from({ length: 50 }, (_, i) => sshd(`u${i}`, '198.51.100.7'));
    const w2 = Array.from({ length: 20 }, (_, i) => sshd(`v${i}`, '198.51.100.8'));
    await c.send(w1, true);
    await c.send(w2, false); // the second window goes out before the first is acknowledged
    await c.awaitAck(50);
    const second = c.acks.indexOf(50) + 1;
    expect(await c.awaitAck(20, second)).toBe(20);
    expect(c.acks.filter((a) => a > 0)).toEqual([50, 20]);
    expect(t.events().map(userOf)).toEqual([...w1.map((_, i) => `u${i}`), ...w2.map((_, i) => `v${i}`)]);
    await c.close();
  });

  test('a Winlogbeat event becomes an ECS Windows event of the listener agency; a Filebeat line is parsed; the payload cannot pick the agency', async () => {
    t = await setup();
    const c = await LumberjackClient.connect(t.port);
    const winlogbeat = {
      '@timestamp': '2026-11-28T02:00:05.000Z',
      '@metadata': { beat: 'winlogbeat', type: '_doc', version: '8.15.0' },
      agent: { type: 'winlogbeat', version: '8.15.0', name: 'DC01' },
      host: { name: 'DC01.so-tttt.local', os: { family: 'windows' } },
      organization: { id: 'so-khac' },
      message: 'An account failed to log on.',
      event: { code: '4625', provider: 'Microsoft-Windows-Security-Auditing', kind: 'event' },
      winlog: {
        channel: 'Security', event_id: 4625, record_id: 77120, provider_name: 'Microsoft-Windows-Security-Auditing', computer_name: 'DC01.so-tttt.local',
        keywords: ['Audit Failure'], time_created: '2026-11-28T02:00:04.900Z',
        event_data: { TargetUserName: 'quantri', TargetDomainName: 'SO-TTTT', LogonType: '3', IpAddress: '203.0.113.45', IpPort: '50122', Status: '0xc000006d', SubStatus: '0xc000006a', WorkstationName: 'ATTACKER' },
      },
    };
    await c.send([winlogbeat, sshd('root', '192.0.2.200', { organization: { id: 'so-khac' } })], true);
    await c.awaitAck(2);
    const [win, line] = t.events();
    expect(win.organization?.id).toBe('so-tttt');
    expect(win.event).toMatchObject({ code: '4625', outcome: 'failure', category: ['authentication'] });
    expect(win.winlog).toMatchObject({ channel: 'Security', event_id: '4625', event_data: { TargetUserName: 'quantri' } });
    expect(win.user).toMatchObject({ name: 'quantri', domain: 'SO-TTTT' });
    expect(win.source).toMatchObject({ ip: '203.0.113.45' });
    expect(win['@metadata']).toBeUndefined();
    expect(line.organization?.id).toBe('so-tttt');
    expect(line.event).toMatchObject({ outcome: 'failure' });
    expect(line.source).toMatchObject({ ip: '192.0.2.200' });
    expect(userOf(line)).toBe('root');
    expect((line.log as { file?: { path?: string } }).file?.path).toBe('/var/log/auth.log');
    expect(line.agent).toMatchObject({ type: 'filebeat', version: '8.15.0' }); // from @metadata when the event has no agent
    expect(line.input).toMatchObject({ type: 'beats' });
    await c.close();
  });

  test('without a listener tenant the source-address map names the agency', async () => {
    t = await setup({ config: { tenant: undefined }, sources: new SourceMap([{ cidr: '127.0.0.0/8', tenant: 'ubnd-huyen' }], 'default') });
    const c = await LumberjackClient.connect(t.port);
    await c.send([sshd('dung', '192.0.2.9')]);
    await c.awaitAck(1);
    expect(t.events()[0].organization?.id).toBe('ubnd-huyen');
    await c.close();
  });

  const zipBomb = () => {
    // 8 MiB of data frames squeezed into a few KiB: far beyond the 1 MiB cap once inflated
    const doc = Buffer.alloc(4000, 'a');
    const frames = Buffer.concat(Array.from({ length: 2100 }, (_, i) => jsonFrame(i + 1, doc)));
    const z = deflateSync(frames, { level: 9 });
    return Buffer.concat([Buffer.from('2W'), u32(2100), Buffer.from('2C'), u32(z.length), z]);
  };

  test.each([
    ['an unknown frame type', () => Buffer.concat([Buffer.from('2W'), u32(1), Buffer.from('2X'), u32(1), u32(2), Buffer.from('{}')]), /unknown frame type 'X'/],
    ['garbage (an HTTP request)', () => Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), /an HTTP request on the Beats listener/],
    ['random bytes', () => Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42, 0x99, 0x01, 0x02]), /not a Lumberjack v2 frame: version byte 0x00/],
    ['a TLS handshake on the plain listener (ssl on in the Beats output only)', () => Buffer.from([0x16, 0x03, 0x01, 0x00, 0x20, 0x01, 0x00, 0x00, 0x1c, 0x03, 0x03]), /a TLS handshake on the plain Beats listener/],
    ['a Lumberjack v1 sender', () => Buffer.concat([Buffer.from('1W'), u32(1), Buffer.from('1D'), u32(1), u32(0)]), /Lumberjack v1 frames are not supported/],
    ['a data frame before any window', () => jsonFrame(1, '{"message":"x"}'), /a data frame before any window frame/],
    ['a compressed frame that is not zlib', () => Buffer.concat([Buffer.from('2W'), u32(1), Buffer.from('2C'), u32(16), Buffer.alloc(16, 7)]), /not valid zlib data/],
    ['a zip bomb', zipBomb, /inflates beyond collector\.beats\.max_window_bytes \(1048576\); refused as a zip bomb/],
    ['a compressed frame over the cap', () => Buffer.concat([Buffer.from('2W'), u32(1), Buffer.from('2C'), u32(2 * 1024 * 1024), Buffer.alloc(1024)]), /compressed frame of 2097152 bytes exceeds collector\.beats\.max_window_bytes/],
  ])('%s: dead letter with the reason, that connection closed, another one unaffected', async (_what, bytes, reason) => {
    t = await setup();
    const good = await LumberjackClient.connect(t.port);
    const bad = await LumberjackClient.connect(t.port);
    await bad.write(bytes());
    await bad.done; // the listener closed it
    expect(bad.acks).toEqual([]);
    await until('the dead letter', () => t.deadLetters().length === 1);
    const dl = t.deadLetters()[0];
    expect(dl.reason).toMatch(reason);
    expect(dl).toMatchObject({ listener: 'beats', tenant: 'so-tttt', source: '127.0.0.1' });
    expect(t.events()).toEqual([]);
    await good.send([sshd('em', '203.0.113.20')], true);
    expect(await good.awaitAck(1)).toBe(1);
    expect(t.events().map(userOf)).toEqual(['em']);
    await good.close();
  });

  test('windows read before a broken frame are still acknowledged before the connection closes', async () => {
    t = await setup();
    const c = await LumberjackClient.connect(t.port);
    await c.write(Buffer.concat([encodeWindow([sshd('giang', '192.0.2.1'), sshd('ha', '192.0.2.2')]), Buffer.from('2Z....')]));
    await c.done;
    expect(c.acks).toEqual([2]);
    expect(t.events().map(userOf)).toEqual(['giang', 'ha']);
    expect(t.deadLetters()[0].reason).toMatch(/unknown frame type 'Z'/);
  });

  test('an oversized event and an event that is not JSON are dead-lettered, counted in their window, and the connection goes on', async () => {
    t = await setup();
    const c = await LumberjackClient.connect(t.port);
    const huge = JSON.stringify({ message: 'x'.repeat(10000) });
    await c.write(Buffer.concat([Buffer.from('2W'), u32(4), jsonFrame(1, JSON.stringify(sshd('khanh', '192.0.2.5'))), jsonFrame(2, huge), jsonFrame(3, '{"message": unquoted}'), jsonFrame(4, '[1,2]')]));
    expect(await c.awaitAck(4)).toBe(4);
    expect(t.events().map(userOf)).toEqual(['khanh']);
    const reasons = t.deadLetters().map((d) => d.reason);
    expect(reasons).toEqual([
      `event 2 of ${Buffer.byteLength(huge)} bytes exceeds collector.max_message_bytes (4096); the first 8192 bytes are kept`,
      expect.stringMatching(/^event 3 is not valid JSON/),
      expect.stringMatching(/^event 4 is not a JSON object/),
    ]);
    expect(t.deadLetters()[0].size).toBe(Buffer.byteLength(huge));
    // the same oversized event inside a compressed frame is handled the same way
    await c.write(Buffer.concat([Buffer.from('2W'), u32(2), Buffer.from('2C'), ...(() => { const z = deflateSync(Buffer.concat([jsonFrame(1, huge), jsonFrame(2, JSON.stringify(sshd('lan', '192.0.2.6')))])); return [u32(z.length), z]; })()]));
    expect(await c.awaitAck(2, c.acks.length)).toBe(2);
    expect(t.events().map(userOf)).toEqual(['khanh', 'lan']);
    expect(t.deadLetters()).toHaveLength(4);
    expect(c.closed).toBe(false);
    await c.close();
  });

  test('back-pressure: reading pauses while the intake is full, and every event arrives once it drains', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(s) } as unknown as NodeJS.WritableStream });
    t = await setup({ maxInflight: 200, logger, config: { maxMessageBytes: 8192, maxWindowBytes: 4 * 1024 * 1024 } });
    const c = await LumberjackClient.connect(t.port);
    t.bus.hold();
    const windows = 40;
    const per = 100;
    const pad = 'p'.repeat(6000);
    const all = Buffer.concat(Array.from({ length: windows }, (_, w) => encodeWindow(Array.from({ length: per }, (_, i) => sshd(`w${w}e${i}`, '192.0.2.77', { pad })))));
    const sent = c.write(all); // ~25 MB: more than the socket buffers hold
    await until('reading paused', () => lines.some((l) => l.includes('reading paused')));
    // the listener has stopped: what it handed on no longer grows (were it still reading, it would climb to every event)
    let last = -1;
    let still = 0;
    await until('the listener to stop reading', () => {
      still = t.bus.handed === last ? still + 1 : 0;
      last = t.bus.handed;
      return still >= 4;
    });
    const handedWhileHeld = t.bus.handed;
    expect(handedWhileHeld).toBeLessThan(windows * per);
    expect(c.socket.writableLength).toBeGreaterThan(0); // the sender is held back by TCP, not dropped
    expect(c.acks.filter((a) => a > 0)).toEqual([]);
    t.bus.release();
    await sent;
    let from = 0;
    for (let w = 0; w < windows; w++) {
      await c.awaitAck(per, from);
      from = c.acks.indexOf(per, from) + 1;
    }
    const users = t.events().map(userOf);
    expect(users).toHaveLength(windows * per);
    expect(new Set(users).size).toBe(windows * per);
    expect(users[windows * per - 1]).toBe(`w${windows - 1}e${per - 1}`);
    await c.close();
  });

  test('while the bus is slow the listener repeats a partial ACK as a keep-alive', async () => {
    t = await setup({ config: { keepAliveSeconds: 0.2 } });
    const c = await LumberjackClient.connect(t.port);
    t.bus.hold();
    await c.send([sshd('minh', '192.0.2.8'), sshd('nam', '192.0.2.9')]);
    await until('a keep-alive', () => c.acks.length >= 2);
    expect(c.acks.every((a) => a === 0)).toBe(true);
    expect(t.events()).toEqual([]);
    t.bus.release();
    expect(await c.awaitAck(2)).toBe(2);
    await c.close();
  });
});

describe('Beats over TLS', () => {
  let dir: string;
  let pki: { ca: string; cert: string; key: string; clientCert: string; clientKey: string };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-beats-tls-'));
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=canhgac beats test CA']);
    const leaf = (name: string, subj: string, ext: string) => {
      run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj]);
      fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
      run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
    };
    leaf('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    leaf('winlogbeat', '/O=So Tai chinh/OU=so-taichinh/CN=winlogbeat-dc01', 'extendedKeyUsage=clientAuth\n');
    const f = (n: string) => path.join(dir, n);
    pki = { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key'), clientCert: f('winlogbeat.pem'), clientKey: f('winlogbeat.key') };
  });

  test('a client certificate names the agency; a sender without one is refused when certificates are required', async () => {
    const t = await setup({ config: { tls: { cert: pki.cert, key: pki.key, ca: pki.ca, clientCertificates: 'required', agencies: { 'so-taichinh': 'so-taichinh' } } } });
    try {
      expect(t.listener.address.protocol).toBe('tls');
      const ca = fs.readFileSync(pki.ca);
      const c = await LumberjackClient.connect(t.port, { ca, cert: fs.readFileSync(pki.clientCert), key: fs.readFileSync(pki.clientKey) });
      await c.send([sshd('oanh', '192.0.2.10', { organization: { id: 'so-khac' } })], true);
      await c.awaitAck(1);
      expect(t.events()[0].organization?.id).toBe('so-taichinh');
      await c.close();
      const anonymous = await LumberjackClient.connect(t.port, { ca }).catch(() => null);
      if (anonymous) {
        await anonymous.send([sshd('phuong', '192.0.2.11')]).catch(() => undefined);
        await anonymous.done;
        expect(anonymous.acks).toEqual([]);
      }
      expect(t.events()).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  test('bad TLS settings fail at start naming the key', async () => {
    const raw = createEmbeddedBus({ dir: path.join(dir, 'bus') });
    const intake = new Intake({ bus: raw, counters: new Counters(), logger: silentLogger, timezone: 'UTC' });
    const base = { host: '127.0.0.1', port: 0, maxMessageBytes: 4096, maxWindowBytes: 1 << 20, idleTimeoutSeconds: 60 };
    const deps = { intake, sources: new SourceMap([], 'default'), logger: silentLogger };
    await expect(createBeatsListener({ ...base, tls: { cert: '/nonexistent/server.pem', key: pki.key, clientCertificates: 'none', agencies: {} } }, deps)).rejects.toThrow(/collector\.beats\.tls\.cert: cannot read \/nonexistent\/server\.pem/);
    await expect(createBeatsListener({ ...base, tls: { cert: pki.cert, key: pki.key, clientCertificates: 'required', agencies: {} } }, deps)).rejects.toThrow(/collector\.beats\.tls\.ca: a CA file is required/);
    await expect(createBeatsListener({ ...base, maxWindowBytes: 1000 }, deps)).rejects.toThrow(/max_window_bytes \(1000\) must be at least collector\.max_message_bytes \(4096\)/);
    await raw.close();
  });
});
