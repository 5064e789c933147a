/** collector.syslog.tcp */
import { z } from 'zod';
import { host, port } from './schema';

export const syslogTcpSchema = z
  .object({ enabled: z.boolean().default(true), host: host.optional(), port: port.default(5514), tenant: z.string().optional(), idle_timeout_seconds: z.number().int().min(1).default(300) })
  .prefault({});
export type SyslogTcpSettings = z.infer<typeof syslogTcpSchema>;
