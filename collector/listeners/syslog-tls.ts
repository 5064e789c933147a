/**
 * Syslog over TLS (RFC 5425; octet counting, LF framing accepted too). The server
 * certificate comes from config; client certificates are optional or required, and a
 * client certificate's CN (or OU) can name the agency, which then overrides the
 * source-address map — the way a device proves which agency it belongs to. Connections are
 * capped as on plain TCP (counted before the handshake), and a handshake not finished within
 * collector.connections.handshake_timeout_seconds is closed and counted.
 */
import type { Logger } from '../../core/log';
import type { Intake } from '../intake';
import type { SourceMap } from '../tenancy';
import type { ConnectionLimits } from './connections';
import { defineListener, type RunningListener } from './spec';
import { syslogTlsSchema } from './syslog-tls.schema';
import { startStreamServer } from './stream-server';
import { serveSyslogStream } from './syslog-tcp';
import type { ServerTlsConfig } from './tls';

export interface SyslogTlsConfig extends ServerTlsConfig {
  host: string;
  port: number;
  tenant?: string;
  maxMessageBytes: number;
  idleTimeoutSeconds: number;
  connections?: ConnectionLimits;
}

export async function createSyslogTlsListener(config: SyslogTlsConfig, deps: { intake: Intake; sources: SourceMap; logger: Logger }): Promise<RunningListener> {
  const name = 'syslog-tls';
  const stream = { name, tenant: config.tenant, maxMessageBytes: config.maxMessageBytes };
  const server = await startStreamServer(
    { name, host: config.host, port: config.port, connections: config.connections, idleTimeoutSeconds: config.idleTimeoutSeconds, tls: { ...config, where: 'collector.syslog.tls' } },
    { counters: deps.intake.counters, logger: deps.logger },
    (socket, certTenant) => serveSyslogStream(socket, stream, deps, certTenant),
  );
  return { name, address: { host: config.host, port: server.port, protocol: 'tls' }, close: () => server.close() };
}

export const syslogTlsListener = defineListener({
  name: 'syslog-tls',
  key: 'collector.syslog.tls',
  schema: syslogTlsSchema,
  enabled: (c) => c.enabled,
  ports: (c) => [{ host: c.host, port: c.port, protocol: 'tls' }],
  build: (c, ctx) =>
    createSyslogTlsListener(
      { host: c.host ?? ctx.bind, port: c.port, tenant: c.tenant, cert: c.cert, key: c.key, ca: c.ca, clientCertificates: c.client_certificates, agencies: c.agencies,
        maxMessageBytes: ctx.maxMessageBytes, idleTimeoutSeconds: c.idle_timeout_seconds, connections: ctx.connections },
      ctx,
    ),
});
