/**
 * The Kafka Bus (kafkajs). publish() resolves once every record is acknowledged by all in-sync
 * replicas (acks=-1) through an idempotent producer, GZIP-compressed and batched. Consumers join
 * a consumer group, get batches of one partition at a time, and commit only after the handler
 * succeeded; a failed batch is delivered again from its first record (at least once).
 */
import { CompressionTypes, Kafka, type Admin, type Consumer, type KafkaMessage, logLevel, type LogEntry, Partitioners, type Producer, type SASLOptions } from 'kafkajs';
import { readPemFile } from '../pem';
import type { Bus, BusMessage, PublishRecord, SubscribeOptions, Subscription, TopicName } from './bus';
import { isRecordDecodeError, RecordsRefusedError, type RefusedRecord } from './errors';
import { decodeRecord } from './record-codec';

type LogFn = (obj: object, msg: string) => void;

export interface KafkaBusConfig {
  brokers: string[]; // host:port of one or more brokers
  clientId?: string; // default 'canhgac'
  partitions?: number; // for topics this bus creates; default 6
  replication?: number; // for topics this bus creates; default 1 (use 3 on a real cluster)
  topicPrefix?: string; // prepended to topic and group names so several deployments share a cluster; default ''
  /** Per-topic overrides for topics this bus creates, e.g. { 'correlation-state': { config: { 'cleanup.policy': 'compact' } } }. */
  topics?: Record<string, { partitions?: number; config?: Record<string, string> }>;
  maxBatchBytes?: number; // a publish is sent in produce requests of at most this many value bytes; default 512 KiB
  /**
   * The largest record (key + JSON value) the bus publishes; default 8 MiB. Topics it creates accept it
   * (max.message.bytes) and consumers fetch it. A larger record is refused with RecordsRefusedError.
   * ECS normalization can make an event 2–12 times the line received (event.original, message, escapes).
   */
  maxRecordBytes?: number;
  sessionTimeoutMs?: number; // a consumer silent this long (killed, hung) loses its partitions to the others; default 30000
  /** TLS to the brokers: the CA (PEM file) that signed their certificates, and a client certificate if they ask for one. */
  tls?: { ca?: string; cert?: string; key?: string };
  /** SASL authentication (over TLS in production): PLAIN or SCRAM. */
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  logger?: { warn: LogFn; error: LogFn; info?: LogFn; debug?: LogFn };
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;
const BROKER = /^[^:\s]+:\d{1,5}$/;

function positiveInt(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`bus.kafka.${field}: expected a whole number ≥ 1, got ${JSON.stringify(value)}`);
  return value;
}

/** Room for the record batch header and the record's own framing around key and value. */
const BATCH_OVERHEAD = 64 * 1024;
export const DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;
const MAX_RECORD_BYTES_CEILING = 64 * 1024 * 1024;

/**
 * The record limit for a collector that accepts messages of up to maxMessageBytes: normalization keeps the
 * line twice (message, event.original) and JSON escapes can double it, so 4× plus room for the fields.
 */
export function recordBytesFor(maxMessageBytes: number): number {
  return Math.min(MAX_RECORD_BYTES_CEILING, Math.max(DEFAULT_MAX_RECORD_BYTES, 4 * maxMessageBytes + 256 * 1024));
}

/** The key as an error shows it: keys carry host names from input, so a long one is cut. */
const keyNote = (key: string | null): string => (key === null ? '' : ` (key ${JSON.stringify(key.length > 200 ? key.slice(0, 200) + '…' : key)})`);

/** A broker's refusal of a produce request because of its size (kafkajs wraps the protocol error). */
function tooLargeForBroker(err: unknown): boolean {
  for (let e = err as { type?: string; cause?: unknown; originalError?: unknown; message?: string } | undefined, i = 0; e && i < 5; i++) {
    if (e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE') return true;
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return false;
}

export function createKafkaBus(config: KafkaBusConfig): Bus {
  if (!Array.isArray(config.brokers) || config.brokers.length === 0) {
    throw new Error('bus.kafka.brokers: at least one broker "host:port" is required (CANHGAC_KAFKA_BROKERS=host:port,...)');
  }
  for (const b of config.brokers) {
    if (typeof b !== 'string' || !BROKER.test(b)) throw new Error(`bus.kafka.brokers: "${String(b)}" is not host:port`);
  }
  const partitions = positiveInt(config.partitions, 6, 'partitions');
  const replication = positiveInt(config.replication, 1, 'replication');
  const maxBatchBytes = positiveInt(config.maxBatchBytes, 512 * 1024, 'maxBatchBytes');
  const sessionTimeout = positiveInt(config.sessionTimeoutMs, 30_000, 'sessionTimeoutMs');
  const maxRecordBytes = positiveInt(config.maxRecordBytes, DEFAULT_MAX_RECORD_BYTES, 'maxRecordBytes');
  if (maxRecordBytes > MAX_RECORD_BYTES_CEILING) throw new Error(`bus.kafka.maxRecordBytes: ${maxRecordBytes} is above 64 MiB; a produce request that large is refused by brokers (socket.request.max.bytes)`);
  const prefix = config.topicPrefix ?? '';
  if (prefix && !TOPIC_NAME.test(prefix)) throw new Error(`bus.kafka.topic_prefix: "${prefix}" may use letters, digits, ".", "_" and "-" only`);
  for (const [name, t] of Object.entries(config.topics ?? {})) positiveInt(t.partitions, partitions, `topics.${name}.partitions`);
  const logger = config.logger;

  if (config.tls && !!config.tls.cert !== !!config.tls.key) throw new Error('bus.kafka.tls: a client certificate needs both cert and key');
  const ssl = config.tls ? { ca: readPemFile('bus.kafka.tls.ca', config.tls.ca), cert: readPemFile('bus.kafka.tls.cert', config.tls.cert), key: readPemFile('bus.kafka.tls.key', config.tls.key) } : undefined;
  if (config.sasl && !['plain', 'scram-sha-256', 'scram-sha-512'].includes(config.sasl.mechanism)) {
    throw new Error(`bus.kafka.sasl.mechanism: "${config.sasl.mechanism}" is not one of plain, scram-sha-256, scram-sha-512`);
  }
  if (config.sasl && (!config.sasl.username || config.sasl.password === undefined)) throw new Error('bus.kafka.sasl: username and password are required');
  const kafka = new Kafka({
    clientId: config.clientId ?? 'canhgac',
    brokers: config.brokers,
    ...(ssl ? { ssl } : {}),
    ...(config.sasl ? { sasl: { mechanism: config.sasl.mechanism, username: config.sasl.username, password: config.sasl.password } as SASLOptions } : {}),
    logLevel: logLevel.WARN,
    // a broker restarting (a rolling upgrade, a busy machine) takes tens of seconds: a publish waits about a minute for it
    // (the collector holds its senders meanwhile) before it is refused
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 30_000 },
    // kafkajs retries what is retriable by itself; only what it gives up on reaches our log as a warning.
    logCreator: () => (entry: LogEntry) => {
      if (!logger) return;
      const { message, ...rest } = entry.log;
      const obj = { kafka: { ...rest, namespace: entry.namespace } };
      if (entry.level === logLevel.ERROR) logger.warn(obj, `kafka: ${message}`);
      else logger.debug?.(obj, `kafka: ${message}`);
    },
  });

  let admin: Promise<Admin> | null = null;
  let producer: Promise<Producer> | null = null;
  const created = new Map<string, Promise<void>>();
  const partitionCount = new Map<string, number>(); // per full topic name, as the broker reports it
  const topicLimit = new Map<string, number>(); // max.message.bytes per full topic name, as the broker reports it
  let roundRobin = 0;
  const subs = new Set<Subscription>();
  let closed = false;

  const fullName = (topic: string): string => {
    if (typeof topic !== 'string' || !TOPIC_NAME.test(topic)) {
      throw new Error(`bus: topic name "${String(topic)}" may use letters, digits, "_", "-" and "." only`);
    }
    const name = prefix + topic;
    if (name.length > 249) throw new Error(`bus: topic name "${name}" is longer than Kafka's 249 characters`);
    return name;
  };

  const getAdmin = (): Promise<Admin> => {
    if (!admin) {
      const a = kafka.admin();
      admin = a.connect().then(() => a);
      admin.catch(() => (admin = null));
    }
    return admin;
  };

  const getProducer = (): Promise<Producer> => {
    if (!producer) {
      // One request in flight keeps each key's records in order across retries; idempotence keeps retries from duplicating.
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
      producer = p.connect().then(() => p);
      producer.catch(() => (producer = null));
    }
    return producer;
  };

  /**
   * Creates a topic (or finds it made by another process) and waits until every partition has a
   * leader: a broker that just started may not know a topic it has just created for a few moments.
   */
  const createTopic = async (name: string, numPartitions: number, configEntries: { name: string; value: string }[]): Promise<void> => {
    const a = await getAdmin();
    const deadline = Date.now() + 60_000;
    let lastError = 'partitions without a leader';
    for (let attempt = 0; ; attempt++) {
      try {
        await a.createTopics({ waitForLeaders: false, topics: [{ topic: name, numPartitions, replicationFactor: replication, configEntries }] });
        const meta = await a.fetchTopicMetadata({ topics: [name] });
        const parts = meta.topics[0]?.partitions ?? [];
        if (parts.length > 0 && parts.every((x) => x.leader >= 0)) {
          partitionCount.set(name, parts.length);
          await readTopicLimit(a, name);
          return;
        }
      } catch (err) {
        const e = err as Error & { type?: string; errors?: { type?: string; message?: string }[] };
        const reasons = [e, ...(e.errors ?? [])].filter((x) => x.type).map((x) => `${x.type}: ${x.message}`);
        lastError = reasons.length ? reasons.join('; ') : e.message;
        // a bad request (replication above the broker count, a bad config) will not get better by waiting
        if (/INVALID_|POLICY_VIOLATION|TOPIC_AUTHORIZATION/.test(lastError)) throw new Error(lastError);
      }
      if (Date.now() > deadline) throw new Error(`still not ready after 60 s: ${lastError}`);
      await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
    }
  };

  /** The topic's own record size limit: a topic made elsewhere (or by an older version) may accept less than maxRecordBytes. */
  const readTopicLimit = async (a: Admin, name: string): Promise<void> => {
    try {
      const d = await a.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name, configNames: ['max.message.bytes'] }] });
      const v = Number(d.resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue);
      if (!Number.isFinite(v) || v <= 0) return;
      topicLimit.set(name, v);
      if (v < maxRecordBytes) {
        logger?.warn({ topic: name, maxMessageBytes: v, maxRecordBytes }, `bus: Kafka topic "${name}" accepts records of at most ${v} bytes (max.message.bytes), less than the bus's ${maxRecordBytes}; larger records are refused (raise it with kafka-configs --alter --add-config max.message.bytes=${maxRecordBytes + BATCH_OVERHEAD})`);
      }
    } catch (err) {
      logger?.debug?.({ topic: name, err: (err as Error).message }, 'bus: could not read the max.message.bytes of a Kafka topic');
    }
  };

  const ensureTopic = (topic: string): Promise<void> => {
    const name = fullName(topic);
    let p = created.get(name);
    if (!p) {
      const override = config.topics?.[topic];
      const configEntries = Object.entries({
        // Acks from all in-sync replicas mean something only if a lone replica cannot accept writes.
        'min.insync.replicas': String(Math.min(2, replication)),
        // the broker's default (1 MiB) is below what one normalized event can reach
        'max.message.bytes': String(maxRecordBytes + BATCH_OVERHEAD),
        ...(override?.config ?? {}),
      }).map(([key, value]) => ({ name: key, value }));
      const numPartitions = override?.partitions ?? partitions;
      p = createTopic(name, numPartitions, configEntries).catch((err: Error) => {
        created.delete(name);
        throw new Error(`bus: could not create Kafka topic "${name}" (${numPartitions} partitions, replication ${replication}): ${err.message}`);
      });
      created.set(name, p);
    }
    return p;
  };

  /**
   * The end offsets of a topic. Right after a topic is created a broker may still answer
   * NOT_LEADER for a while (tulios/kafkajs#461), so a failed lookup is tried again for up to 30 s.
   */
  const topicEnds = async (name: string): Promise<{ partition: number; high: string; low: string }[]> => {
    const deadline = Date.now() + 30_000;
    for (let attempt = 0; ; attempt++) {
      try {
        return await (await getAdmin()).fetchTopicOffsets(name);
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`bus: could not read the end offsets of Kafka topic "${name}": ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
  };

  /** Splits one publish into produce requests that stay well under the broker's message size limit. */
  type Outgoing = { index: number; bytes: number; key: string | null; value: string; partition?: number };
  const chunk = (messages: Outgoing[]): Outgoing[][] => {
    const out: Outgoing[][] = [];
    let cur: Outgoing[] = [];
    let bytes = 0;
    for (const m of messages) {
      const size = m.bytes;
      if (cur.length > 0 && bytes + size > maxBatchBytes) {
        out.push(cur);
        cur = [];
        bytes = 0;
      }
      cur.push(m);
      bytes += size;
    }
    if (cur.length > 0) out.push(cur);
    return out;
  };

  /** Records as sent: JSON once, a partition for keyless ones; a record over maxRecordBytes or not encodable goes to `refused`. */
  const encode = (topic: string, records: PublishRecord<unknown>[], count: number, refused: RefusedRecord[]): Outgoing[] => {
    const out: Outgoing[] = [];
    records.forEach((r, index) => {
      const key = r.key ?? null;
      let value: string | undefined;
      try {
        value = r.json ?? JSON.stringify(r.value);
      } catch (err) {
        refused.push({ index, key, reason: 'not_json', message: `record ${index} cannot be encoded as JSON: ${(err as Error).message}` });
        return;
      }
      if (value === undefined) throw new Error(`bus: record ${index} for "${topic}" has no JSON value (got ${typeof r.value})`);
      const bytes = Buffer.byteLength(value) + (key ? Buffer.byteLength(key) : 0);
      if (bytes > maxRecordBytes) {
        refused.push({ index, key, reason: 'too_large', bytes, limit: maxRecordBytes, message: `record ${index}${keyNote(key)} is ${bytes} bytes, over the bus's limit of ${maxRecordBytes} bytes (bus.kafka max record bytes)` });
        return;
      }
      // A keyless record gets its partition here, once: kafkajs would pick a new one on every retry,
      // and a retry after a partial failure would then duplicate or lose records despite idempotence.
      out.push(key === null ? { index, bytes, key, value, partition: roundRobin++ % count } : { index, bytes, key, value });
    });
    return out;
  };

  return {
    kind: 'kafka',

    async publish<T>(topic: TopicName, records: PublishRecord<T>[]): Promise<void> {
      if (closed) throw new Error('bus: closed');
      if (!Array.isArray(records)) throw new Error(`bus: publish to "${topic}" expects an array of records`);
      if (records.length === 0) return;
      await ensureTopic(topic);
      const name = fullName(topic);
      const count = partitionCount.get(name) ?? partitions;
      const refused: RefusedRecord[] = [];
      const messages = encode(topic, records, count, refused);
      const p = await getProducer();
      /** Sends a part; when the broker refuses it for its size, sends its records one by one so only the too large ones fail. */
      const send = async (part: Outgoing[]): Promise<void> => {
        try {
          await p.send({ topic: name, acks: -1, compression: CompressionTypes.GZIP, messages: part.map(({ key, value, partition }) => (partition === undefined ? { key, value } : { key, value, partition })) });
        } catch (err) {
          if (!tooLargeForBroker(err)) throw new Error(`bus: publishing ${part.length} record(s) to Kafka topic "${name}" failed: ${(err as Error).message}`);
          if (part.length > 1) {
            for (const m of part) await send([m]);
            return;
          }
          const limit = topicLimit.get(name);
          const m = part[0];
          const over = limit ? `over the ${limit}-byte limit of Kafka topic "${name}" (max.message.bytes)` : `refused by the broker as too large for Kafka topic "${name}" (max.message.bytes)`;
          refused.push({ index: m.index, key: m.key, reason: 'too_large', bytes: m.bytes, limit, message: `record ${m.index}${keyNote(m.key)} is ${m.bytes} bytes, ${over}` });
        }
      };
      for (const part of chunk(messages)) await send(part);
      if (refused.length) {
        refused.sort((a, b) => a.index - b.index);
        const err = new RecordsRefusedError(name, refused, records.length - refused.length);
        logger?.warn({ topic: name, refused: refused.length, published: records.length - refused.length, largest: Math.max(...refused.map((r) => r.bytes ?? 0)) }, err.message);
        throw err;
      }
    },

    async subscribe<T>(opts: SubscribeOptions<T>): Promise<Subscription> {
      if (closed) throw new Error('bus: closed');
      if (typeof opts.handler !== 'function') throw new Error(`bus: subscribe to "${opts.topic}" needs a handler function`);
      if (!opts.group || !TOPIC_NAME.test(opts.group)) throw new Error(`bus: group "${String(opts.group)}" may use letters, digits, "_", "-" and "." only`);
      const maxBatch = positiveInt(opts.maxBatch, 500, 'maxBatch');
      const name = fullName(opts.topic);
      await ensureTopic(opts.topic);
      // A live view gets a group of its own that starts at the end and never commits.
      const groupId = opts.ephemeral ? `${prefix}${opts.group}.live.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}` : prefix + opts.group;
      const commits = !opts.ephemeral;
      const position = new Map<number, bigint>(); // next offset per partition after the last success
      if (!commits) for (const p of await topicEnds(name)) position.set(p.partition, BigInt(p.high));
      const failures = new Map<number, number>();
      const timers = new Set<NodeJS.Timeout>();
      let stopping = false;
      let committing: Promise<unknown> = Promise.resolve(); // lag() waits for it, so a handled batch never counts as lag
      let consumer: Consumer;
      let relaunches = 0;

      /**
       * Joins the group and runs. kafkajs restarts a consumer itself after a retriable error; after any other
       * (a commit or an authorisation the broker refuses for good, a bug) it stops for good, and the process
       * would sit idle while records pile up. So a crash without restart relaunches the consumer here, with
       * back-off, from the last committed offsets: nothing is skipped, at worst a batch is handled again.
       */
      const scheduleRelaunch = (failed: Consumer) => {
        if (stopping || consumer !== failed) return;
        const delay = Math.min(30_000, 500 * 2 ** Math.min(relaunches++, 6));
        const t = setTimeout(async () => {
          timers.delete(t);
          if (stopping || consumer !== failed) return;
          await failed.disconnect().catch(() => undefined);
          if (stopping) return;
          try {
            await launch();
            logger?.warn({ topic: opts.topic, group: opts.group, relaunches }, 'bus: Kafka consumer relaunched');
          } catch (err) {
            logger?.error({ topic: opts.topic, group: opts.group, err: (err as Error).message }, 'bus: relaunching the Kafka consumer failed; trying again');
            scheduleRelaunch(consumer);
          }
        }, delay);
        timers.add(t);
      };
      /** A record that does not decode reaches the handler as a RecordDecodeError (for the dead letters), with a warning each time it is delivered. */
      const decodeChecked = (m: KafkaMessage, partition: number): unknown => {
        const v = decodeRecord(m.value, { topic: opts.topic, partition, offset: m.offset });
        if (isRecordDecodeError(v)) logger?.warn({ topic: opts.topic, group: opts.group, partition, offset: m.offset, size: v.size, reason: v.reason }, 'bus: a Kafka record does not decode; handed to the handler as a RecordDecodeError');
        return v;
      };
      const launch = async (): Promise<void> => {
        // A fetch returns as soon as a record arrives; the wait only bounds how long close() and a retry after pause() take.
        const c: Consumer = kafka.consumer({
          groupId,
          allowAutoTopicCreation: false,
          maxWaitTimeInMs: 500,
          // a partition's fetch holds at least one record of the largest size the bus publishes
          maxBytesPerPartition: maxRecordBytes + BATCH_OVERHEAD,
          maxBytes: Math.max(10 * 1024 * 1024, 2 * (maxRecordBytes + BATCH_OVERHEAD)),
          sessionTimeout,
          heartbeatInterval: Math.max(100, Math.floor(sessionTimeout / 10)),
          rebalanceTimeout: Math.max(sessionTimeout, 60_000),
        });
        consumer = c;
        c.on(c.events.CRASH, (e) => {
          const restart = e.payload.restart;
          logger?.error({ topic: opts.topic, group: opts.group, err: e.payload.error.message, restart }, restart ? 'bus: Kafka consumer crashed; kafkajs restarts it' : 'bus: Kafka consumer crashed; relaunching it');
          if (!restart) scheduleRelaunch(c);
        });
        await c.connect();
        await c.subscribe({ topics: [name], fromBeginning: opts.ephemeral ? false : opts.fromBeginning !== false });

        await c.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, heartbeat, pause, isRunning, isStale }) => {
            const all = batch.messages;
            for (let start = 0; start < all.length; start += maxBatch) {
              if (!isRunning() || isStale() || stopping) return;
              const slice = all.slice(start, start + maxBatch);
              const msgs: BusMessage<T>[] = slice.map((m) => ({
                topic: opts.topic,
                partition: batch.partition,
                offset: m.offset,
                key: m.key ? m.key.toString('utf8') : null,
                value: decodeChecked(m, batch.partition) as T,
                timestamp: Number(m.timestamp),
              }));
              // kafkajs heartbeats only when asked: a handler waiting on a slow or absent backend must not cost the partition
              const beat = setInterval(() => void heartbeat().catch(() => undefined), Math.max(100, Math.floor(sessionTimeout / 10)));
              try {
                await opts.handler(msgs);
              } catch (err) {
                const n = (failures.get(batch.partition) ?? 0) + 1;
                failures.set(batch.partition, n);
                const delay = Math.min(30000, 200 * 2 ** Math.min(n, 8));
                logger?.error(
                  { topic: opts.topic, group: opts.group, partition: batch.partition, offset: slice[0].offset, err: (err as Error).message, retryInMs: delay },
                  'bus: handler failed; the batch will be delivered again',
                );
                // Nothing past the last success is committed: rewind to the failed record and wait before the retry.
                c.seek({ topic: name, partition: batch.partition, offset: slice[0].offset });
                const resume = pause();
                const t = setTimeout(() => {
                  timers.delete(t);
                  resume();
                }, delay);
                timers.add(t);
                return;
              } finally {
                clearInterval(beat);
              }
              failures.delete(batch.partition);
              const next = BigInt(slice[slice.length - 1].offset) + 1n;
              if (commits) {
                committing = c.commitOffsets([{ topic: name, partition: batch.partition, offset: next.toString() }]);
                await committing;
              }
              position.set(batch.partition, next);
              resolveOffset(slice[slice.length - 1].offset);
              await heartbeat();
            }
          },
        });
      };
      await launch();

      const sub: Subscription = {
        async close() {
          if (stopping) return;
          stopping = true;
          for (const t of timers) clearTimeout(t);
          // disconnect() waits for the batch in flight (which commits first), then leaves the group.
          await consumer.disconnect();
          subs.delete(sub);
        },
        async lag() {
          await committing.catch(() => undefined);
          const a = await getAdmin();
          const ends = await a.fetchTopicOffsets(name);
          const done = new Map<number, bigint>();
          if (commits) {
            for (const t of await a.fetchOffsets({ groupId, topics: [name] })) for (const p of t.partitions) done.set(p.partition, BigInt(p.offset));
          }
          let lag = 0n;
          for (const p of ends) {
            // A live view counts from where it joined (the end then), not from the start of the log.
            const c = commits ? (done.get(p.partition) ?? -1n) : (position.get(p.partition) ?? 0n);
            const from = c >= 0n ? c : BigInt(p.low);
            const d = BigInt(p.high) - from;
            if (d > 0n) lag += d;
          }
          return Number(lag);
        },
      };
      subs.add(sub);
      return sub;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([...subs].map((s) => s.close()));
      const p = producer;
      const a = admin;
      producer = null;
      admin = null;
      await Promise.all([p?.then((x) => x.disconnect()).catch(() => undefined), a?.then((x) => x.disconnect()).catch(() => undefined)]);
    },
  };
}
