/** collector.syslog.udp */
import { z } from 'zod';
import { host, port } from './schema';

export const syslogUdpSchema = z.object({ enabled: z.boolean().default(true), host: host.optional(), port: port.default(5514), tenant: z.string().optional() }).prefault({});
export type SyslogUdpSettings = z.infer<typeof syslogUdpSchema>;
