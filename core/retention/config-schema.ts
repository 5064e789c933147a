/**
 * The `retention:` section of canhgac.yml, declared here and composed into core/config.ts: the
 * minimum event retention of each security level (cấp độ 1–5), when retention runs, and when
 * the console warns that the disk may not keep what the level requires. Every figure is a
 * default taken from TCVN 14423:2026 as secondary notes summarise it (RETENTION_SOURCE).
 */
import cron from 'node-cron';
import { z } from 'zod';

/** Where the default minimums come from, said beside every figure the console and the CLI show. */
export const RETENTION_SOURCE = 'TCVN 14423:2026 (per secondary notes; check the official gazette)';

const days = z.number().int().min(1).max(36_500);

// N months counted at their longest (31, 92, 184, 366 days), so no calendar month falls short of the minimum
export const levelsSchema = z
  .object({
    '1': days.nullable().default(null), // level 1: no minimum stated
    '2': days.nullable().default(31), // 1 month
    '3': days.nullable().default(92), // 3 months
    '4': days.nullable().default(184), // 6 months
    '5': days.nullable().default(366), // 12 months
  })
  .strict();

export const retentionConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    schedule: z.string().refine((v) => cron.validate(v), 'a cron expression, e.g. "30 2 * * *" (daily at 02:30)').default('30 2 * * *'), // node-cron
    time_zone: z.string().default('Asia/Ho_Chi_Minh'),
    batch_size: z.number().int().min(10).max(100_000).default(5000), // events deleted per committed batch
    levels: levelsSchema.prefault({}),
    disk_min_free_percent: z.number().min(0).max(90).default(10), // below this free space the console warns
  })
  .strict();

export type RetentionConfig = z.infer<typeof retentionConfigSchema>;
export const DEFAULT_RETENTION: RetentionConfig = retentionConfigSchema.parse({});
