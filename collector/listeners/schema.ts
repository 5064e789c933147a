/** Config pieces every listener schema uses: ports, hosts, server TLS and connection limits. */
import { z } from 'zod';

export const port = z.number().int().min(0).max(65535);
export const host = z.string().min(1);

/** Server TLS for a listener: PEM files (paths resolved from the working directory) and client certificates. */
export const serverTlsFields = {
  cert: z.string().optional(),
  key: z.string().optional(),
  ca: z.string().optional(), // signs the clients' certificates
  client_certificates: z.enum(['none', 'optional', 'required']).default('none'),
  agencies: z.record(z.string(), z.string()).default({}), // client certificate CN or OU → agency
};

/** collector.connections: per stream listener (syslog TCP and TLS, Beats), connections from one address and in all, the last `reserve` kept for addresses holding none. */
export const connectionsSchema = z
  .object({
    max_total: z.number().int().min(1).default(10000),
    max_per_address: z.number().int().min(1).default(200),
    reserve: z.number().int().min(0).default(200),
    handshake_timeout_seconds: z.number().min(0.1).default(10), // TLS: a handshake not done by then is closed
  })
  .prefault({});
