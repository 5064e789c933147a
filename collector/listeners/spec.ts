/**
 * A listener, the way Vector builds a source: a name, a config schema in its own file, the
 * ports the config declares (for checks before anything starts), and `build()`, which
 * validates what the schema cannot and returns the running listener. The collector builds
 * every enabled listener of the registry in one loop.
 */
import type { z } from 'zod';
import type { Logger } from '../../core/log';
import type { Store } from '../../core/store/store';
import type { Counters } from '../counters';
import type { Intake } from '../intake';
import type { SourceMap } from '../tenancy';
import type { ConnectionLimits } from './connections';

export interface RunningListener {
  name: string;
  address: { host: string; port: number; protocol: string };
  close(): Promise<void>;
}

/** What every listener is built with: the collector's shared settings and services. */
export interface ListenerContext {
  bind: string; // the host a listener without its own listens on
  maxMessageBytes: number; // collector.max_message_bytes
  connections: ConnectionLimits; // collector.connections
  intake: Intake;
  sources: SourceMap;
  counters: Counters;
  store: Store;
  logger: Logger;
}

export interface DeclaredPort {
  host?: string;
  port: number;
  protocol: 'udp' | 'tcp' | 'tls' | 'http';
}

export interface ListenerSpec<S extends z.ZodType = z.ZodType> {
  name: string;
  /** Where its settings live in the config file, e.g. collector.syslog.tcp. */
  key: string;
  schema: S;
  enabled(config: z.infer<S>): boolean;
  ports(config: z.infer<S>): DeclaredPort[];
  build(config: z.infer<S>, context: ListenerContext): Promise<RunningListener>;
}

/** A spec with its config type kept (the registry holds them as ListenerSpec). */
export function defineListener<S extends z.ZodType>(spec: ListenerSpec<S>): ListenerSpec {
  return spec as unknown as ListenerSpec;
}
