/**
 * The Bus: keyed records with a durable acknowledgement; consumed by group, at least
 * once, committed only after the handler succeeded. Two implementations: embedded
 * (one process, disk journal) and kafka.
 */
import type { RuleSetting } from '../store/store';

export const TOPICS = {
  events: 'events', // normalized ECS events, keyed by tenant/host
  dlq: 'dlq', // what could not be parsed, with the reason
  alerts: 'alerts', // detections
  incidents: 'incidents', // incident created/updated notices for live push
  correlation: 'correlation', // events repartitioned by correlation group-by
  settings: 'settings', // settings one component makes and others apply at once (SettingsNotice)
} as const;
export type TopicName = (typeof TOPICS)[keyof typeof TOPICS] | string;

/** What travels on TOPICS.settings: a change made in the console that running components apply at once, without polling the store. */
export type SettingsNotice = { type: 'rule_setting'; setting: RuleSetting };

/** A record to publish: its value, or the value already serialized as JSON (`json`, from a parse worker). */
export type PublishRecord<T = unknown> = { key?: string | null; value: T; json?: undefined } | { key?: string | null; json: string; value?: undefined };

export interface BusMessage<T = unknown> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: T;
  timestamp: number;
}

export type BatchHandler<T = unknown> = (batch: BusMessage<T>[]) => Promise<void>;

export interface SubscribeOptions<T = unknown> {
  topic: string;
  group: string;
  handler: BatchHandler<T>;
  maxBatch?: number; // default 500
  fromBeginning?: boolean; // for a group with no committed offset; default true
  ephemeral?: boolean; // a live view (e.g. a console's push): starts at the end, keeps no committed offset
}

export interface Subscription {
  /** Stops delivering; the batch in flight finishes and commits first. */
  close(): Promise<void>;
  /** Records published but not yet committed by this group. */
  lag(): Promise<number>;
}

export interface Bus {
  readonly kind: 'embedded' | 'kafka';
  /** Resolves once every record is durable (fsynced journal, or acks from all in-sync replicas). */
  publish<T>(topic: TopicName, records: PublishRecord<T>[]): Promise<void>;
  subscribe<T>(opts: SubscribeOptions<T>): Promise<Subscription>;
  close(): Promise<void>;
}
