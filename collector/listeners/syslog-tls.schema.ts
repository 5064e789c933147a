/** collector.syslog.tls: RFC 5425, off until a certificate is configured. */
import { z } from 'zod';
import { host, port, serverTlsFields } from './schema';

export const syslogTlsSchema = z
  .object({
    enabled: z.boolean().default(false),
    host: host.optional(),
    port: port.default(6514),
    tenant: z.string().optional(),
    idle_timeout_seconds: z.number().int().min(1).default(300), // its own; it used to borrow collector.syslog.tcp's
    ...serverTlsFields,
  })
  .prefault({});
export type SyslogTlsSettings = z.infer<typeof syslogTlsSchema>;
