/** collector.http: HTTP ingest with agency tokens. */
import { z } from 'zod';
import { host, port } from './schema';

export const httpSchema = z.object({ enabled: z.boolean().default(true), host: host.optional(), port: port.default(8088), max_body_bytes: z.number().int().min(1024).default(10 * 1024 * 1024) }).prefault({});
export type HttpSettings = z.infer<typeof httpSchema>;
