/**
 * The embedded Bus: one process, one append-only journal per topic on disk (journal-topic.ts).
 * publish() resolves after fsync, so what was acknowledged survives kill -9; a full disk refuses
 * the publish with code 'ENOSPC' and the process goes on. Consumers read by group from their
 * committed offset and commit only after the handler succeeded (at least once).
 */
import path from 'node:path';
import type { Bus, BusMessage, PublishRecord, SubscribeOptions, Subscription, TopicName } from './bus';
import { ensurePrivateDir } from './journal-files';
import { TopicLog, type JournalIo, type JournalLogger } from './journal-topic';

export interface EmbeddedBusConfig {
  dir: string;
  segmentBytes?: number; // roll to a new segment file past this size; default 64 MiB
  logger?: JournalLogger;
  /** The journal's writes and fsyncs (tests inject a full disk). */
  io?: JournalIo;
}

export function createEmbeddedBus(config: EmbeddedBusConfig): Bus {
  if (!config.dir) throw new Error('bus.embedded.dir: a directory for the journal is required');
  ensurePrivateDir(config.dir, config.logger, 'bus');
  const topics = new Map<string, TopicLog>();
  const subs = new Set<{ close(): Promise<void> }>();
  const activeGroups = new Set<string>();
  let closed = false;

  const topic = (name: string): TopicLog => {
    if (!/^[\w.-]+$/.test(name)) throw new Error(`bus: topic name "${name}" may use letters, digits, "_", "-" and "." only`);
    let t = topics.get(name);
    if (!t) {
      t = new TopicLog(name, path.join(config.dir, name), config.segmentBytes ?? 64 * 1024 * 1024, config.logger, config.io);
      topics.set(name, t);
    }
    return t;
  };

  return {
    kind: 'embedded',
    async publish<T>(name: TopicName, records: PublishRecord<T>[]) {
      if (closed) throw new Error('bus: closed');
      await topic(name).append(records);
    },
    async subscribe<T>(opts: SubscribeOptions<T>): Promise<Subscription> {
      const log = topic(opts.topic);
      const id = `${opts.topic}/${opts.group}`;
      if (activeGroups.has(id)) throw new Error(`bus: group "${opts.group}" already consumes "${opts.topic}" in this process`);
      activeGroups.add(id);
      const max = opts.maxBatch ?? 500;
      let next = opts.ephemeral ? log.end : (log.committed(opts.group) ?? (opts.fromBeginning === false ? log.end : log.start));
      // a new group holds its place from the start: retention must not delete what its first batch has not reached
      if (!opts.ephemeral && log.committed(opts.group) === null) log.commit(opts.group, next);
      let running = true;
      let wake: (() => void) | null = null;
      const onAppend = () => wake?.();
      log.changed.on('append', onAppend);
      let failures = 0;

      let commitFailing = false;
      /** Waits before a retry; close() cuts the wait short. */
      const backOff = async (what: string, err: unknown, offset: string | number) => {
        failures++;
        const delay = Math.min(30000, 200 * 2 ** Math.min(failures, 8));
        config.logger?.error({ topic: opts.topic, group: opts.group, offset, err: (err as Error).message, retryInMs: delay }, what);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, delay);
          t.unref();
          wake = () => {
            if (!running) {
              clearTimeout(t);
              resolve();
            }
          };
        });
        wake = null;
      };
      /** The place is kept in memory when the disk refuses the offset file; a later commit writes it. */
      const commit = () => {
        try {
          log.commit(opts.group, next);
          if (commitFailing) config.logger?.warn({ topic: opts.topic, group: opts.group, offset: next }, 'bus: the group offset is saved again');
          commitFailing = false;
        } catch (err) {
          if (!commitFailing) config.logger?.error({ topic: opts.topic, group: opts.group, offset: next, err: (err as Error).message }, 'bus: cannot save the group offset (disk full?); consuming goes on, and a restart before it is saved delivers these records again');
          commitFailing = true;
        }
      };

      const loop = (async () => {
        while (running) {
          let batch: BusMessage<T>[];
          try {
            batch = log.read(next, max) as BusMessage<T>[];
          } catch (err) {
            await backOff('bus: cannot read the journal; trying again', err, next);
            continue;
          }
          if (batch.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, 1000).unref();
            });
            wake = null;
            continue;
          }
          try {
            await opts.handler(batch);
          } catch (err) {
            await backOff('bus: handler failed; the batch will be delivered again', err, batch[0].offset);
            continue;
          }
          next = Number(batch[batch.length - 1].offset) + 1;
          failures = 0;
          if (!opts.ephemeral) commit();
        }
      })();

      const sub = {
        async close() {
          running = false;
          wake?.();
          await loop;
          log.changed.off('append', onAppend);
          activeGroups.delete(id);
          subs.delete(sub);
        },
        async lag() {
          return log.countFrom(next);
        },
      };
      subs.add(sub);
      return sub;
    },
    async close() {
      if (closed) return;
      await Promise.all([...subs].map((s) => s.close()));
      closed = true;
      for (const t of topics.values()) t.close();
    },
  };
}
