/** collector.beats: Winlogbeat / Filebeat output.logstash (Lumberjack v2), on 5044 like Logstash. */
import { z } from 'zod';
import { host, port, serverTlsFields } from './schema';

export const beatsSchema = z
  .object({
    enabled: z.boolean().default(true),
    host: host.optional(),
    port: port.default(5044),
    tenant: z.string().optional(),
    max_window_bytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(64 * 1024 * 1024), // what one compressed frame may inflate to
    idle_timeout_seconds: z.number().int().min(1).default(300),
    keep_alive_seconds: z.number().min(0.1).max(60).default(5), // a partial ACK this often while a window waits for the journal, as logstash-input-beats
    tls: z.object(serverTlsFields).prefault({}), // TLS when cert and key are set
  })
  .prefault({});
export type BeatsSettings = z.infer<typeof beatsSchema>;
