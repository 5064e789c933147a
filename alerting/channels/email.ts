/**
 * Email channel: SMTP through nodemailer.
 *
 * `smtp://user:pass@host:587` speaks plain SMTP and upgrades with STARTTLS; when it carries
 * credentials STARTTLS is required by default, so a password never crosses the wire in clear.
 * `smtps://user:pass@host:465` is TLS from the first byte. The notification id becomes the
 * Message-ID, so a message sent twice after a crash is recognisable at the receiving end.
 */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { z } from 'zod';
import type { Notification } from '../../core/model';
import { type Channel, ChannelConfigError, type Logger, type SendResult, errorText, silentLogger } from './channel';

export const emailConfigSchema = z.object({
  /** smtp:// or smtps:// with user and password in the URL (percent-encoded). */
  url: z.string().min(1),
  from: z.string().min(3),
  /** Refuse to send unless STARTTLS succeeds; defaults to true for smtp:// with credentials. */
  require_tls: z.boolean().optional(),
  tls: z
    .object({
      reject_unauthorized: z.boolean().default(true),
      /** PEM of a private CA that signed the SMTP server's certificate. */
      ca: z.string().optional(),
      servername: z.string().optional(),
    })
    .default({ reject_unauthorized: true }),
  connection_timeout_ms: z.number().int().positive().default(15_000),
  socket_timeout_ms: z.number().int().positive().default(30_000),
  /** Domain part of the Message-ID; defaults to the From address domain. */
  message_id_domain: z.string().optional(),
});
export type EmailConfig = z.input<typeof emailConfigSchema>;

/** The URL with the password replaced, for messages and logs. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return raw.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

interface Parsed {
  transport: SMTPTransport.Options;
  from: string;
  messageIdDomain: string;
  describe: string;
}

function parseConfig(config: EmailConfig, where: string): Parsed {
  const r = emailConfigSchema.safeParse(config);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ChannelConfigError(`${where}.${issue.path.join('.')}: ${issue.message}`);
  }
  const c = r.data;
  let u: URL;
  try {
    u = new URL(c.url);
  } catch {
    throw new ChannelConfigError(`${where}.url: "${redactUrl(c.url)}" is not a URL; expected smtp://user:password@host:587 or smtps://user:password@host:465`);
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') {
    throw new ChannelConfigError(`${where}.url: protocol "${u.protocol}" is not supported; use smtp:// (STARTTLS) or smtps:// (TLS)`);
  }
  if (!u.hostname) throw new ChannelConfigError(`${where}.url: "${redactUrl(c.url)}" has no host`);
  const secure = u.protocol === 'smtps:';
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  if (user && !pass) throw new ChannelConfigError(`${where}.url: user "${user}" is given without a password`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const fromDomain = /@([^>\s]+)>?\s*$/.exec(c.from)?.[1];
  const transport: SMTPTransport.Options = {
    host,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure && (c.require_tls ?? Boolean(user)),
    auth: user ? { user, pass } : undefined,
    tls: { rejectUnauthorized: c.tls.reject_unauthorized, ca: c.tls.ca, servername: c.tls.servername },
    connectionTimeout: c.connection_timeout_ms,
    greetingTimeout: c.connection_timeout_ms,
    socketTimeout: c.socket_timeout_ms,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  return { transport, from: c.from, messageIdDomain: c.message_id_domain ?? fromDomain ?? 'canhgac.local', describe: redactUrl(c.url) };
}

// nodemailer error codes that say the network or the server is (temporarily) unavailable
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EPROTOCOL']);

function classify(err: unknown, describe: string): SendResult {
  const e = err as { code?: string; responseCode?: number; response?: string; command?: string; message?: string };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = `SMTP ${describe}: ${e.command ? e.command + ': ' : ''}${e.response ?? errorText(err)}`;
  if (e.code === 'EAUTH') return { ok: false, retryable: false, error: `${text} (check the user and password in the SMTP URL)` };
  if (e.code === 'ETLS' || /STARTTLS/i.test(e.message ?? '')) {
    return { ok: false, retryable: false, error: `${text} (the server did not complete STARTTLS; credentials were not sent)` };
  }
  if (responseCode !== undefined) {
    return { ok: false, retryable: responseCode < 500, error: text };
  }
  if (e.code && TRANSIENT_CODES.has(e.code)) return { ok: false, retryable: true, error: text };
  return { ok: false, retryable: true, error: text };
}

export function createEmailChannel(config: EmailConfig, opts: { logger?: Logger; where?: string } = {}): Channel {
  const p = parseConfig(config, opts.where ?? 'alerting.channels.email');
  const logger = opts.logger ?? silentLogger;
  const transporter = nodemailer.createTransport(p.transport);

  async function send(n: Notification): Promise<SendResult> {
    try {
      const info = await transporter.sendMail({
        from: p.from,
        to: n.recipient,
        subject: n.subject,
        text: n.body,
        messageId: `<${encodeURIComponent(n.id).replace(/%/g, '=')}@${p.messageIdDomain}>`,
        headers: {
          'X-Canhgac-Notification-Id': n.id,
          ...(n.incidentId ? { 'X-Canhgac-Incident-Id': n.incidentId } : {}),
          'Auto-Submitted': 'auto-generated',
        },
      });
      if (info.accepted.length === 0) {
        return { ok: false, retryable: false, error: `SMTP ${p.describe}: recipient ${n.recipient} was rejected: ${info.response}` };
      }
      logger.debug({ notification: n.id, messageId: info.messageId }, 'email accepted by SMTP server');
      return { ok: true, providerMessageId: info.messageId };
    } catch (err) {
      return classify(err, p.describe);
    }
  }

  return {
    name: 'email',
    send,
    async close() {
      transporter.close();
    },
  };
}
