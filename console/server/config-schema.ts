/**
 * The `console:` section of canhgac.yml, declared by the console and composed into
 * core/config.ts: where it listens, sessions, SLA targets per severity and the login limit.
 * Typed here, so `sla.urgent` or `login_limit.max_failures: 0` is refused with every other
 * config error, before anything starts.
 */
import { z } from 'zod';
import { host, port } from '../../collector/listeners/schema';
import { DEFAULT_SLA, type SlaTargets } from './sla';

const minutes = z.number().int().min(1);
const slaTargetSchema = z.object({ acknowledge_minutes: minutes.optional(), resolve_minutes: minutes.optional() }).strict();

/** One optional target per severity (informational, low, medium, high, critical); what is left out (or empty) keeps its default. */
export const slaSchema = z.object(Object.fromEntries(Object.keys(DEFAULT_SLA).map((sev) => [sev, slaTargetSchema.nullish()])) as Record<string, z.ZodOptional<z.ZodNullable<typeof slaTargetSchema>>>).strict();

/** Failed logins from one address allowed within the window before the next is refused. */
export const loginLimitSchema = z
  .object({ max_failures: z.number().int().min(1).default(20), window_seconds: z.number().int().min(1).default(300) })
  .strict();

export const consoleConfigSchema = z.object({
  enabled: z.boolean().default(true),
  host: host.optional(),
  port: port.default(8080),
  session_hours: z.number().min(0.1).max(24 * 30).default(12),
  secure_cookies: z.boolean().default(false),
  sla: slaSchema.optional(),
  login_limit: loginLimitSchema.optional(),
});
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

/** The console's options from its validated section: SLA targets with the defaults filled in, and the login limit. */
export function consoleOptions(section: Pick<ConsoleConfig, 'sla' | 'login_limit'>): { sla?: SlaTargets; loginLimit?: { maxFailures: number; windowSeconds: number } } {
  const out: { sla?: SlaTargets; loginLimit?: { maxFailures: number; windowSeconds: number } } = {};
  if (section.sla) {
    out.sla = {};
    for (const [sev, t] of Object.entries(section.sla)) {
      if (!t) continue;
      out.sla[sev] = { acknowledge_minutes: t.acknowledge_minutes ?? DEFAULT_SLA[sev].acknowledge_minutes, resolve_minutes: t.resolve_minutes ?? DEFAULT_SLA[sev].resolve_minutes };
    }
  }
  if (section.login_limit) out.loginLimit = { maxFailures: section.login_limit.max_failures, windowSeconds: section.login_limit.window_seconds };
  return out;
}
