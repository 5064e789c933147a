/**
 * The Beats protocol (Lumberjack v2, as elastic/go-lumber speaks it), so Winlogbeat and
 * Filebeat ship here with their `output.logstash`. A window ('2W' count) is followed by
 * JSON data frames ('2J' seq len json) or zlib-compressed frames ('2C' len data) holding
 * them; the listener answers '2A' with the last sequence number once the window's events
 * are durable, and repeats its last ACK as a keep-alive while the bus is slow (as
 * logstash-input-beats does) so the sender does not time out and resend.
 *
 * A broken stream (bad version or frame type, invalid zlib, a compressed frame over the
 * size cap) goes to the dead-letter topic with the reason and its connection is closed;
 * Beats reconnects and resends what was not acknowledged. One bad event (invalid JSON, over
 * max_message_bytes) is dead-lettered and counted in its window, so a sender is never stuck
 * resending it forever.
 *
 * What an unauthenticated peer can make the listener hold is bounded: connections are capped
 * per address and in all (collector.connections), a TLS handshake must finish in time, bytes
 * buffered per connection stop reading at a high-water mark and the listener as a whole
 * holds at most BUFFER_BUDGET_WINDOWS compressed windows; an inflated window is read event by
 * event under back-pressure; a connection that sends nothing, or leaves a frame unfinished,
 * for the idle timeout is closed. Every such refusal is counted under its reason.
 */
import type net from 'node:net';
import type { Logger } from '../../core/log';
import type { Intake, IntakeItem } from '../intake';
import { plainAddress, type SourceMap } from '../tenancy';
import { resumeQueueOf } from './back-pressure';
import type { ConnectionLimits } from './connections';
import { beatsSchema } from './beats.schema';
import { ackFrame, ByteQueue, COMPRESSED, frameType, inflateFrame, innerDataFrame, JSON_FRAME, ProtocolError, takeFrame } from './lumberjack';
import { defineListener, type RunningListener } from './spec';
import { startStreamServer, type ServedConnection } from './stream-server';
import type { ServerTlsConfig } from './tls';

export type BeatsTlsConfig = ServerTlsConfig;

export interface BeatsConfig {
  host: string;
  port: number;
  tenant?: string;
  maxMessageBytes: number; // one event (JSON data frame)
  maxWindowBytes: number; // what one compressed frame may inflate to (zip bombs)
  idleTimeoutSeconds: number;
  keepAliveSeconds?: number; // default 5, as logstash-input-beats
  tls?: BeatsTlsConfig;
  connections?: ConnectionLimits;
}

export interface BeatsDeps {
  intake: Intake;
  sources: SourceMap;
  logger: Logger;
}

// a window is handed to the intake in slices this big, each acknowledged on its own (a partial ACK)
const SLICE_EVENTS = 1000;
const SLICE_BYTES = 8 * 1024 * 1024;
const KEEP_BYTES = 8192;
// what all connections together may buffer, in max_window_bytes: beyond it the connection that asks for more is closed
const BUFFER_BUDGET_WINDOWS = 4;

interface Slice {
  items: IntakeItem[];
  deadLetters: Promise<void>[];
  lastSeq: number;
  bytes: number;
}

interface PendingAck {
  window: number;
  seq: number;
  done: boolean;
  settled: Promise<unknown>;
}

export async function createBeatsListener(config: BeatsConfig, deps: BeatsDeps): Promise<RunningListener> {
  const { intake, sources, logger } = deps;
  const name = 'beats';
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) throw new Error(`collector.beats.port: ${config.port} is not a TCP port (0-65535)`);
  if (!(config.maxMessageBytes >= 256)) throw new Error(`collector.max_message_bytes: ${config.maxMessageBytes} is too small for a Beats event (at least 256)`);
  if (!(config.maxWindowBytes >= config.maxMessageBytes)) throw new Error(`collector.beats.max_window_bytes (${config.maxWindowBytes}) must be at least collector.max_message_bytes (${config.maxMessageBytes})`);
  const keepAliveMs = (config.keepAliveSeconds ?? 5) * 1000;
  const highWater = config.maxWindowBytes + 64 * 1024;
  const budget = BUFFER_BUDGET_WINDOWS * config.maxWindowBytes;
  const limits = { maxMessageBytes: config.maxMessageBytes, maxCompressedBytes: config.maxWindowBytes };
  let held = 0; // bytes buffered by all connections (queued and inflated)
  const durable = { untilDurable: true };
  // connections paused because the intake is full wait in the one queue of the intake
  const waiting = resumeQueueOf(intake);

  const serve = (socket: net.Socket, certTenant?: string): ServedConnection => {
    const peer = plainAddress(socket.remoteAddress);
    const source = sources.resolve(peer, config.tenant);
    const tenant = certTenant ?? source.tenant;
    const queue = new ByteQueue();
    let windowId = 0;
    let expected = 0; // events announced by the open window
    let received = 0; // of those, read so far
    let open = false;
    let slice: Slice = { items: [], deadLetters: [], lastSeq: 0, bytes: 0 };
    let skipping: { seq: number; size: number; left: number; head: Buffer[]; kept: number } | null = null;
    let inflating = false;
    let intakeWait = false;
    let bufferFull = false;
    let closed = false;
    let failed = false;
    const acks: PendingAck[] = [];
    let lastAck = { window: -1, seq: 0 };
    let lastWrite = Date.now();
    let partialSince: number | null = null; // when the frame at the head of the queue began waiting for its bytes
    let inner: { buf: Buffer; at: number; frame: Buffer } | null = null; // an inflated compressed frame, read event by event
    let mine = 0; // this connection's share of `held`
    const account = () => {
      const now = queue.length + (inner ? inner.buf.length - inner.at : 0);
      held += now - mine;
      mine = now;
    };

    const writeAck = (seq: number) => {
      if (closed) return;
      socket.write(ackFrame(seq));
      lastWrite = Date.now();
    };

    // ACKs go out in the order the slices were read, each once its events are durable
    const flushAcks = () => {
      while (acks.length && acks[0].done) {
        const a = acks.shift()!;
        lastAck = { window: a.window, seq: a.seq };
        writeAck(a.seq);
      }
    };

    const keepAlive = setInterval(() => {
      if (closed || (!acks.length && !open) || Date.now() - lastWrite < keepAliveMs) return;
      // the last sequence already acknowledged in the window being waited for: a partial ACK the sender ignores except to reset its timeout
      const head = acks[0]?.window ?? windowId;
      writeAck(lastAck.window === head ? lastAck.seq : 0);
    }, Math.max(100, Math.floor(keepAliveMs / 2)));
    keepAlive.unref();

    const submitSlice = () => {
      const s = slice;
      slice = { items: [], deadLetters: [], lastSeq: s.lastSeq, bytes: 0 };
      const written = Promise.all([intake.submit(name, s.items, durable), ...s.deadLetters]);
      const pending: PendingAck = { window: windowId, seq: s.lastSeq, done: false, settled: written.catch(() => undefined) };
      acks.push(pending);
      written.then(
        () => {
          pending.done = true;
          flushAcks();
        },
        (err: Error) => {
          logger.error({ listener: name, peer, err: err.message }, 'beats: could not hand events to the bus before stopping; closing the connection so the sender resends');
          close();
        },
      );
    };

    const deadLetter = (reason: string, data: Buffer, size?: number) => {
      slice.deadLetters.push(intake.deadLetter(name, tenant, peer, reason, data, size, durable));
    };

    /** One event of the open window: hand it on, or dead-letter it with the reason. */
    const addEvent = (seq: number, payload: Buffer | null, size: number, head?: Buffer) => {
      if (payload === null) {
        deadLetter(`event ${seq} of ${size} bytes exceeds collector.max_message_bytes (${config.maxMessageBytes}); the first ${head!.length} bytes are kept`, head!, size);
      } else {
        let doc: unknown;
        try {
          doc = JSON.parse(payload.toString('utf8'));
        } catch (e) {
          doc = e as Error;
        }
        if (doc instanceof Error) deadLetter(`event ${seq} is not valid JSON: ${doc.message}`, payload);
        else if (!doc || typeof doc !== 'object' || Array.isArray(doc)) deadLetter(`event ${seq} is not a JSON object, as every Beats event is`, payload);
        else slice.items.push({ raw: beatsEvent(doc as Record<string, unknown>), tenant, sourceIp: peer, format: source.format, dataset: source.dataset, timezone: source.timezone });
      }
      slice.lastSeq = seq;
      slice.bytes += size;
      received++;
      if (received === expected) {
        open = false;
        submitSlice();
      } else if (slice.items.length + slice.deadLetters.length >= SLICE_EVENTS || slice.bytes >= SLICE_BYTES) submitSlice();
    };

    let unqueue: (() => void) | null = null;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(keepAlive);
      unqueue?.();
      queue.clear();
      inner = null;
      account();
      socket.destroy();
    };

    /** A broken stream: dead-letter what is left with the reason, acknowledge what was durable before, then close. */
    const fail = (reason: string, data: Buffer) => {
      if (failed || closed) return;
      failed = true;
      queue.clear();
      inner = null;
      account();
      intake.counters.reject(name, tenant, 'refused', 'protocol_error');
      socket.pause();
      logger.info({ listener: name, peer, tenant, reason }, 'beats: closing a connection that broke the protocol');
      const dl = intake.deadLetter(name, tenant, peer, reason, data.subarray(0, KEEP_BYTES), data.length).catch((e: Error) => logger.error({ listener: name, peer, err: e.message }, 'beats: could not write a dead letter'));
      // the windows read before the fault still get their ACKs, so Beats resends only the rest
      void Promise.all([dl, ...acks.map((a) => a.settled)]).then(() => {
        if (closed) return;
        socket.end();
        setTimeout(close, 1000).unref();
      });
    };

    const openWindow = (count: number) => {
      if (open) throw new ProtocolError(`a new window began after ${received} of the ${expected} events the previous one announced`);
      windowId++;
      expected = count;
      received = 0;
      slice = { items: [], deadLetters: [], lastSeq: 0, bytes: 0 };
      if (count === 0) {
        // as logstash-input-beats: an empty window is acknowledged with 0
        acks.push({ window: windowId, seq: 0, done: true, settled: Promise.resolve() });
        flushAcks();
      } else open = true;
    };

    /** The data frames inside an inflated compressed frame, one event at a time until back-pressure stops them. */
    const readInner = () => {
      while (inner && !closed && !failed && !intakeWait) {
        const { buf, at } = inner;
        if (at >= buf.length) {
          inner = null;
          break;
        }
        if (!open) throw new ProtocolError(`a compressed frame holds more events than its window announced (${expected})`);
        const { seq, size, payload, next } = innerDataFrame(buf, at);
        inner.at = next;
        if (size > config.maxMessageBytes) addEvent(seq, null, size, Buffer.from(payload.subarray(0, KEEP_BYTES)));
        else addEvent(seq, payload, size);
        afterRead();
      }
      account();
    };

    /** Reads every complete frame buffered; stops while the intake is full or a compressed frame inflates. */
    const pump = () => {
      const queuedBefore = queue.length;
      try {
        while (!closed && !failed && !inflating && !intakeWait) {
          if (inner) {
            const frame = inner.frame;
            try {
              readInner();
            } catch (e) {
              if (!(e instanceof ProtocolError)) logger.error({ listener: name, peer, err: (e as Error).message }, 'beats: unexpected error reading a compressed frame; closing the connection');
              fail((e as Error).message, frame);
              return;
            }
            continue;
          }
          if (skipping) {
            const k = Math.min(skipping.left, queue.length);
            if (k === 0) break;
            const part = queue.take(k);
            if (skipping.kept < KEEP_BYTES) {
              const keep = part.subarray(0, KEEP_BYTES - skipping.kept);
              skipping.head.push(Buffer.from(keep));
              skipping.kept += keep.length;
            }
            skipping.left -= k;
            if (skipping.left > 0) break;
            const s = skipping;
            skipping = null;
            addEvent(s.seq, null, s.size, Buffer.concat(s.head));
            continue;
          }
          const type = frameType(queue, !!config.tls);
          if (type === null) break;
          if (type === JSON_FRAME && !open) throw new ProtocolError(received === expected && expected > 0 ? `more events than the window announced (${expected})` : "a data frame before any window frame ('2W')");
          if (type === COMPRESSED && !open) throw new ProtocolError("a compressed frame before any window frame ('2W')");
          const frame = takeFrame(queue, limits, !!config.tls);
          if (!frame) break;
          if (frame.type === 'window') openWindow(frame.count);
          else if (frame.type === 'oversized') {
            skipping = { seq: frame.seq, size: frame.size, left: frame.size, head: [], kept: 0 };
            continue;
          } else if (frame.type === 'data') addEvent(frame.seq, frame.payload, frame.size);
          else {
            const data = frame.data;
            inflating = true;
            inflateFrame(frame, config.maxWindowBytes).then(
              (out) => {
                inflating = false;
                if (closed || failed) return;
                inner = { buf: out, at: 0, frame: data.subarray(0, KEEP_BYTES) };
                account();
                if (overBudget()) return;
                pump();
              },
              (err: Error) => {
                inflating = false;
                if (!closed && !failed) fail(err.message, data);
              },
            );
            break;
          }
          afterRead();
        }
      } catch (e) {
        if (!(e instanceof ProtocolError)) {
          logger.error({ listener: name, peer, err: (e as Error).message }, 'beats: unexpected error reading a connection; closing it');
          fail(`internal error while reading: ${(e as Error).message}`, queue.length ? queue.peek(Math.min(queue.length, KEEP_BYTES)) : Buffer.alloc(0));
          return;
        }
        fail(e.message, queue.length ? queue.peek(Math.min(queue.length, KEEP_BYTES)) : Buffer.alloc(0));
        return;
      }
      // a frame waiting for its bytes: the clock starts when no frame was consumed, and stops while the wait is ours
      const waitingForPeer = queue.length > 0 && !inflating && !intakeWait && !inner;
      partialSince = waitingForPeer ? (queue.length < queuedBefore ? Date.now() : (partialSince ?? Date.now())) : null;
      account();
      if (bufferFull && queue.length < highWater / 2 && !intakeWait) {
        bufferFull = false;
        socket.resume();
      }
    };

    /** Back-pressure: stop reading while the intake holds too many events that are not durable yet. */
    const afterRead = () => {
      if (!intake.busy || intakeWait) return;
      intakeWait = true;
      socket.pause();
      logger.debug({ listener: name, peer, pending: intake.pending }, 'beats: the intake is full; reading paused');
      unqueue = waiting.wait(() => {
        unqueue = null;
        intakeWait = false;
        if (closed || failed) return;
        if (!bufferFull) socket.resume();
        pump();
      });
    };

    /** All connections together hold more than the budget: this one, which asked for more, is closed (Beats resends what was not acknowledged). */
    const overBudget = () => {
      if (held <= budget) return false;
      intake.counters.reject(name, tenant, 'refused', 'buffer_budget');
      logger.warn({ listener: name, peer, held, budget }, `beats: the listener holds ${held} bytes for its connections, more than ${BUFFER_BUDGET_WINDOWS} x collector.beats.max_window_bytes; closing the connection that asked for more`);
      close();
      return true;
    };

    socket.setKeepAlive(true, 30000);
    socket.on('data', (chunk: Buffer) => {
      if (closed || failed) return;
      queue.push(chunk);
      account();
      if (overBudget()) return;
      if (queue.length > highWater && !bufferFull) {
        bufferFull = true;
        socket.pause();
      }
      if (queue.length > 2 * highWater) return fail(`more than ${2 * highWater} bytes arrived while reading was paused`, queue.peek(Math.min(queue.length, KEEP_BYTES)));
      pump();
    });
    socket.on('end', () => {
      if (open && received > 0) logger.debug({ listener: name, peer, received, expected }, 'beats: the sender closed inside a window; it resends what was not acknowledged');
      // the sender may half-close after its last window: answer its ACKs first
      if (!failed) void Promise.all(acks.map((a) => a.settled)).then(() => socket.end());
    });
    socket.on('close', () => close());
    socket.on('error', (err) => logger.debug({ listener: name, peer, err: err.message }, 'beats: connection error'));
    // the stream server closes it for silence, or a frame left unfinished, unless the wait is ours
    return { tenant, listenerWaits: () => closed || failed || acks.length > 0 || intakeWait || inflating || inner !== null, partialSince: () => partialSince, buffered: () => queue.length };
  };

  const server = await startStreamServer(
    { name, host: config.host, port: config.port, connections: config.connections, idleTimeoutSeconds: config.idleTimeoutSeconds, allowHalfOpen: true, tls: config.tls ? { ...config.tls, where: 'collector.beats.tls' } : undefined },
    { counters: intake.counters, logger },
    serve,
  );
  return { name, address: { host: config.host, port: server.port, protocol: server.protocol }, close: () => server.close() };
}

/** A Beats event as the intake takes it: `@metadata` is transport (beat name, version), kept only as agent.* when the event has none. */
export function beatsEvent(doc: Record<string, unknown>): Record<string, unknown> {
  const meta = doc['@metadata'];
  if (meta === undefined) return doc;
  const rest = { ...doc };
  delete rest['@metadata'];
  if (meta && typeof meta === 'object' && !rest.agent) {
    const m = meta as { beat?: unknown; version?: unknown };
    const agent: Record<string, unknown> = {};
    if (typeof m.beat === 'string') agent.type = m.beat;
    if (typeof m.version === 'string') agent.version = m.version;
    if (Object.keys(agent).length) rest.agent = agent;
  }
  return rest;
}

export const beatsListener = defineListener({
  name: 'beats',
  key: 'collector.beats',
  schema: beatsSchema,
  enabled: (c) => c.enabled,
  ports: (c) => [{ host: c.host, port: c.port, protocol: c.tls.cert ? 'tls' : 'tcp' }],
  build: (c, ctx) =>
    createBeatsListener(
      {
        host: c.host ?? ctx.bind, port: c.port, tenant: c.tenant, maxMessageBytes: ctx.maxMessageBytes, maxWindowBytes: c.max_window_bytes, idleTimeoutSeconds: c.idle_timeout_seconds, keepAliveSeconds: c.keep_alive_seconds, connections: ctx.connections,
        tls: c.tls.cert ? { cert: c.tls.cert, key: c.tls.key, ca: c.tls.ca, clientCertificates: c.tls.client_certificates, agencies: c.tls.agencies } : undefined,
      },
      ctx,
    ),
});
