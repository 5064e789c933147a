/**
 * Webhook channel: a JSON POST for chat bots and ticket systems, signed with HMAC-SHA256.
 *
 *   X-Canhgac-Timestamp: <unix seconds>
 *   X-Canhgac-Signature: sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>
 *   Idempotency-Key:     <notification id>   (same value on every retry of one notification)
 *
 * The recipient of a webhook notification is the name of a configured target, so the
 * URL and its secret stay in config and never in the stored notification.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Notification } from '../../core/model';
import { type Channel, ChannelConfigError, type Logger, type SendResult, errorText, parseRetryAfter, silentLogger } from './channel';

export const webhookTargetSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  secret: z.string().min(16, 'must be at least 16 characters (the HMAC key)'),
  headers: z.record(z.string(), z.string()).default({}),
  timeout_ms: z.number().int().positive().default(10_000),
});
export type WebhookTarget = z.infer<typeof webhookTargetSchema>;

/** Targets by name: `{ ticketing: { url, secret } }`. */
export const webhookConfigSchema = z.record(z.string().min(1), webhookTargetSchema);
export type WebhookConfig = z.input<typeof webhookConfigSchema>;

export const SIGNATURE_HEADER = 'x-canhgac-signature';
export const TIMESTAMP_HEADER = 'x-canhgac-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * For receivers (and tests): true when the signature matches and the timestamp is within
 * `toleranceSec` of now, which stops a captured request from being replayed later.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | undefined,
  body: string,
  signature: string | undefined,
  opts: { toleranceSec?: number; now?: number } = {},
): boolean {
  if (!timestamp || !signature) return false;
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) return false;
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (Math.abs(now - ts) > (opts.toleranceSec ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookBody {
  id: string;
  reason: string;
  route: string;
  tenant: string | null;
  incidentId: string | null;
  subject: string;
  text: string;
  incident: Record<string, unknown> | null;
}

export function createWebhookChannel(config: WebhookConfig, opts: { logger?: Logger; now?: () => number } = {}): Channel {
  const parsed = webhookConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChannelConfigError(`webhook config: ${['webhooks', ...issue.path].join('.')}: ${issue.message}`);
  }
  const targets = parsed.data;
  const logger = opts.logger ?? silentLogger;
  const now = opts.now ?? Date.now;

  async function send(n: Notification): Promise<SendResult> {
    const target = targets[n.recipient];
    if (!target) {
      return { ok: false, retryable: false, error: `webhook target "${n.recipient}" is not configured (known: ${Object.keys(targets).join(', ') || 'none'})` };
    }
    const payload: WebhookBody = {
      id: n.id,
      reason: n.reason,
      route: n.route,
      tenant: n.tenant,
      incidentId: n.incidentId,
      subject: n.subject,
      text: n.body,
      incident: (n.payload as Record<string, unknown> | null | undefined) ?? null,
    };
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(now() / 1000));
    let res: Response;
    try {
      res = await fetch(target.url, {
        method: 'POST',
        headers: {
          ...target.headers,
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'canhgac-webhook',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(target.secret, timestamp, body),
          [IDEMPOTENCY_HEADER]: n.id,
        },
        body,
        signal: AbortSignal.timeout(target.timeout_ms),
      });
    } catch (err) {
      return { ok: false, retryable: true, error: `webhook ${n.recipient}: ${errorText(err)}` };
    }
    const text = await res.text().catch(() => '');
    if (res.ok) {
      logger.debug({ notification: n.id, target: n.recipient, status: res.status }, 'webhook delivered');
      return { ok: true, providerMessageId: res.headers.get('x-request-id') ?? undefined };
    }
    const retryable = res.status === 408 || res.status === 425 || res.status === 429 || res.status >= 500;
    return {
      ok: false,
      retryable,
      error: `webhook ${n.recipient}: HTTP ${res.status}${text ? ': ' + text.slice(0, 200) : ''}`,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), now()),
    };
  }

  return { name: 'webhook', send };
}
