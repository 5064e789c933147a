/**
 * `alerting.forward`: the SIEMs canhgac forwards alerts and incident changes to, as syslog
 * (CEF or JSON) over UDP, TCP or TLS. Each destination is named; the name is the recipient of
 * its notifications in the outbox, so the URL and CA stay in config.
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../core/model';

export const FORWARD_TRANSPORTS = ['udp', 'tcp', 'tls'] as const;
export type ForwardTransport = (typeof FORWARD_TRANSPORTS)[number];

const URL_RE = /^(udp|tcp|tls):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?$/;

/** `tcp://host:port` → its parts, or null when it is not one. */
export function parseForwardUrl(url: string): { transport: ForwardTransport; host: string; port: number } | null {
  const m = URL_RE.exec(url.trim());
  if (!m) return null;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return null;
  return { transport: m[1] as ForwardTransport, host: m[2].replace(/^\[|\]$/g, ''), port };
}

export const forwardDestinationSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'may use letters, digits, ".", "_" and "-" only'),
    url: z.string().refine((u) => parseForwardUrl(u) !== null, { message: 'must be udp://host:port, tcp://host:port or tls://host:port' }),
    format: z.enum(['cef', 'json']).default('cef'),
    /** alerts: every alert; incidents: each incident opening and each rise of its severity. */
    what: z.array(z.enum(['alerts', 'incidents'])).min(1, 'needs alerts, incidents or both').default(['alerts']),
    /** Agency (tenant) ids; empty means every agency. */
    agencies: z.array(z.string().min(1)).default([]),
    min_severity: z.enum(SEVERITIES as [Severity, ...Severity[]]).default('informational'),
    /** PEM file of the CA that signed the receiver's certificate (tls:// only); the system CAs when unset. */
    ca_file: z.string().min(1).optional(),
    /** The name the receiver's certificate must carry (tls://), when it is not the host of the URL. */
    server_name: z.string().min(1).optional(),
    /** The HOSTNAME of the syslog header and CEF deviceExternalId; this machine's name by default. */
    hostname: z.string().regex(/^[\x21-\x7e]{1,255}$/, 'must be printable ASCII without spaces (RFC 5424 HOSTNAME)').optional(),
    /** Syslog facility, 0-23; 4 (security/authorization) by default. */
    facility: z.number().int().min(0).max(23).default(4),
    connect_timeout_ms: z.number().int().positive().default(5000),
  })
  .superRefine((d, ctx) => {
    const u = parseForwardUrl(d.url);
    if (u && u.transport !== 'tls' && d.ca_file) ctx.addIssue({ code: 'custom', path: ['ca_file'], message: `is only used with tls:// (url is ${u.transport}://)` });
  });
export type ForwardDestination = z.infer<typeof forwardDestinationSchema>;

export const forwardConfigSchema = z.array(forwardDestinationSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((d, i) => {
    if (seen.has(d.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${d.name}" is used by two destinations` });
    seen.add(d.name);
  });
});
