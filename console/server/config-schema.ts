/**
 * The `console:` section of canhgac.yml, declared by the console and composed into
 * core/config.ts: where it listens, sessions, SLA targets per severity, the login limit and the
 * remediation targets of scan findings per severity.
 * Typed here, so `sla.urgent` or `login_limit.max_failures: 0` is refused with every other
 * config error, before anything starts.
 */
import tls from 'node:tls';
import { z } from 'zod';
import { readPemFile } from '../../core/pem';
import { host, port } from '../../collector/listeners/schema';
import { DEFAULT_SLA, type SlaTargets } from './sla';
import { REMEDIATION_DAYS } from '../../vuln/summary';
import type { VulnSeverity } from '../../vuln/finding';

const minutes = z.number().int().min(1);
const slaTargetSchema = z.object({ acknowledge_minutes: minutes.optional(), resolve_minutes: minutes.optional() }).strict();

/** One optional target per severity (informational, low, medium, high, critical); what is left out (or empty) keeps its default. */
export const slaSchema = z.object(Object.fromEntries(Object.keys(DEFAULT_SLA).map((sev) => [sev, slaTargetSchema.nullish()])) as Record<string, z.ZodOptional<z.ZodNullable<typeof slaTargetSchema>>>).strict();

/** Days an open scan finding of each severity may stay open before it counts as overdue (the agency's remediation target). */
export const remediationSchema = z.object(Object.fromEntries(Object.keys(REMEDIATION_DAYS).map((sev) => [sev, z.number().int().min(1).max(3650).optional()])) as Record<VulnSeverity, z.ZodOptional<z.ZodNumber>>).strict();

/** Failed logins from one address allowed within the window before the next is refused. */
export const loginLimitSchema = z
  .object({ max_failures: z.number().int().min(1).default(20), window_seconds: z.number().int().min(1).default(300) })
  .strict();

/** console.tls: HTTPS (and WSS) once a certificate and its key are given, for browsers and for firewalls pulling blocklist feeds. */
export const consoleTlsSchema = z.object({ cert: z.string().optional(), key: z.string().optional() }).strict();

export const consoleConfigSchema = z.object({
  enabled: z.boolean().default(true),
  host: host.optional(),
  port: port.default(8080),
  tls: consoleTlsSchema.optional(),
  session_hours: z.number().min(0.1).max(24 * 30).default(12),
  secure_cookies: z.boolean().default(false), // forced on when console.tls is set
  sla: slaSchema.optional(),
  login_limit: loginLimitSchema.optional(),
  remediation_days: remediationSchema.optional(),
});
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

/** The console's options from its validated section: SLA targets with the defaults filled in, and the login limit. */
export function consoleOptions(section: Pick<ConsoleConfig, 'sla' | 'login_limit' | 'remediation_days'>): { sla?: SlaTargets; loginLimit?: { maxFailures: number; windowSeconds: number }; remediationDays?: Record<VulnSeverity, number> } {
  const out: { sla?: SlaTargets; loginLimit?: { maxFailures: number; windowSeconds: number }; remediationDays?: Record<VulnSeverity, number> } = {};
  if (section.remediation_days) out.remediationDays = { ...REMEDIATION_DAYS, ...Object.fromEntries(Object.entries(section.remediation_days).filter(([, d]) => d !== undefined)) };
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

/** The HTTPS options from console.tls: none when neither file is set; one without the other, or an unreadable or unusable pair, is an error naming the key. */
export function consoleHttps(section: Pick<ConsoleConfig, 'tls'>): { cert: Buffer; key: Buffer; minVersion: 'TLSv1.2' } | undefined {
  const t = section.tls;
  if (!t || (!t.cert && !t.key)) return undefined;
  if (!t.cert || !t.key) throw new Error(`console.tls: cert and key (PEM files) are both required to serve HTTPS; ${t.cert ? 'key' : 'cert'} is missing`);
  const cert = readPemFile('console.tls.cert', t.cert)!;
  const key = readPemFile('console.tls.key', t.key)!;
  try {
    tls.createSecureContext({ cert, key });
  } catch (e) {
    throw new Error(`console.tls: the certificate or key is not usable: ${(e as Error).message}`);
  }
  return { cert, key, minVersion: 'TLSv1.2' };
}
