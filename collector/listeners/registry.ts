/** Every listener the collector knows, in the order it starts them. A new source is one spec file added here. */
import { beatsListener } from './beats';
import { httpListener } from './http';
import type { ListenerSpec } from './spec';
import { syslogTcpListener } from './syslog-tcp';
import { syslogTlsListener } from './syslog-tls';
import { syslogUdpListener } from './syslog-udp';

export const LISTENERS: readonly ListenerSpec[] = [syslogUdpListener, syslogTcpListener, syslogTlsListener, httpListener, beatsListener];

/** The settings of `spec` in a parsed config (its key, e.g. collector.syslog.tcp, read as a path). */
export function settingsOf(config: unknown, spec: ListenerSpec): unknown {
  return spec.key.split('.').reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined), config);
}
