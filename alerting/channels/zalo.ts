/**
 * Zalo channel: a text message from the agency's Official Account to an on-call user.
 *
 *   send:    POST {apiUrl}/v3.0/oa/message/cs      header access_token, JSON
 *            {"recipient":{"user_id":"…"},"message":{"text":"…"}}
 *            → {"error":0,"message":"Success","data":{"message_id":"…"}}; error ≠ 0 on failure
 *   refresh: POST {oauthUrl}/v4/oa/access_token    header secret_key, form
 *            refresh_token, app_id, grant_type=refresh_token
 *            → {"access_token":"…","refresh_token":"…","expires_in":"90000"}
 *
 * The access token lives 25 h; the refresh token lives 3 months and works ONCE, so every
 * refresh is single-flight and the new pair is saved in the store before it is used.
 * Failures of the OAuth endpoint come as error_name/error_reason/error_description,
 * sometimes with HTTP 200, so a refresh succeeds only when both tokens are present.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Notification } from '../../core/model';
import type { Store } from '../../core/store/store';
import { type Channel, ChannelConfigError, type Logger, type SendResult, errorText, silentLogger, sleep as realSleep } from './channel';

/** Zalo's documented limit for the text of a consultation message. */
export const ZALO_TEXT_LIMIT = 2000;

/** Error codes of the OA API with what they mean for a sender (developers.zalo.me, OA API error list). */
export const ZALO_ERRORS: Record<number, string> = {
  [-32]: 'rate limit reached (reached limit call api)',
  [-100]: 'attachment_id expired',
  [-200]: 'send message failed',
  [-201]: 'invalid parameter',
  [-204]: 'Official Account is disabled',
  [-205]: 'Official Account does not exist',
  [-209]: 'API not supported (app not activated)',
  [-210]: 'parameter exceeds the allowed limit',
  [-211]: 'out of quota',
  [-212]: 'app has not registered this API',
  [-213]: 'user has not followed the OA',
  [-216]: 'access token is invalid',
  [-217]: 'user has blocked invitations from the OA',
  [-218]: 'out of quota for this user',
  [-219]: 'app is removed or disabled',
  [-220]: 'access token is expired or removed',
  [-221]: 'the OA must be verified to use this feature',
  [-223]: 'the OA has not authorized this API for the app',
  [-224]: 'the OA needs a higher tier package',
  [-227]: 'user is banned or inactive for more than 45 days',
  [-230]: 'user has not interacted with the OA in the past 7 days',
  [-232]: 'user has not interacted with the OA, or the last interaction expired',
  [-233]: 'message type is invalid or not supported',
  [-234]: 'this message type cannot be sent at night (22:00-06:00)',
  [-235]: 'this API does not support this type of OA',
  [-240]: 'MessageV2 API has been shut down',
  [-244]: 'user has restricted this message type from the OA',
  [-248]: 'violates platform standards',
  [-320]: 'app needs a linked Zalo Cloud Account',
  [-321]: 'Zalo Cloud Account is out of money',
};

const TOKEN_ERRORS = new Set([-216, -220]);
const RATE_LIMIT = -32;
// a generic send failure on Zalo's side: worth another try later
const TRANSIENT_ERRORS = new Set([-200]);
const ADVICE: Record<number, string> = {
  [-213]: 'ask the user to follow the OA, or reach them by email',
  [-230]: 'the user must message the OA again; reach them by email meanwhile',
  [-232]: 'the user must message the OA again; reach them by email meanwhile',
  [-227]: 'remove this user from the route',
  [-244]: 'the user blocked these messages; use another channel',
  [-211]: 'quota exhausted; use email until it resets',
};

export const zaloConfigSchema = z.object({
  api_url: z.url({ protocol: /^https?$/ }).default('https://openapi.zalo.me'),
  oauth_url: z.url({ protocol: /^https?$/ }).default('https://oauth.zaloapp.com'),
  app_id: z.string().min(1, 'the Zalo app id is required'),
  secret_key: z.string().min(1, 'the Zalo app secret key is required'),
  /** The refresh token from authorizing the OA; later ones are kept in the store. */
  refresh_token: z.string().min(1, 'a refresh token from authorizing the OA is required'),
  timeout_ms: z.number().int().positive().default(10_000),
  /** Refresh when the access token has less than this left. */
  refresh_before_ms: z.number().int().nonnegative().default(6 * 3600_000),
  rate_limit_retries: z.number().int().nonnegative().default(2),
  rate_limit_backoff_ms: z.number().int().positive().default(1000),
});
export type ZaloConfig = z.input<typeof zaloConfigSchema>;

interface TokenState {
  accessToken: string | null;
  refreshToken: string;
  expiresAt: number; // ms
  /** Fingerprint of the configured refresh token this chain started from. */
  seed: string;
  refreshedAt?: string;
}

class RefreshError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

function truncate(text: string, limit: number): string {
  const chars = Array.from(text);
  return chars.length <= limit ? text : chars.slice(0, limit - 1).join('') + '…';
}

export function zaloErrorText(code: number, serverMessage?: string): string {
  const meaning = ZALO_ERRORS[code] ?? 'unknown error code';
  const advice = ADVICE[code] ? `; ${ADVICE[code]}` : '';
  return `Zalo error ${code} (${meaning}${advice})${serverMessage ? ': ' + serverMessage : ''}`;
}

export interface ZaloChannelOptions {
  store: Pick<Store, 'getState' | 'putState'>;
  logger?: Logger;
  /** Injected in tests to observe the back-off without waiting. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  where?: string;
}

export interface ZaloChannel extends Channel {
  /** Spends the refresh token for a new pair now (single-flight). */
  refresh(): Promise<void>;
  /** Refreshes if due; run it periodically so an idle OA keeps a live refresh token. */
  maintain(): Promise<boolean>;
}

export function createZaloChannel(config: ZaloConfig, opts: ZaloChannelOptions): ZaloChannel {
  const where = opts.where ?? 'alerting.channels.zalo';
  const parsed = zaloConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChannelConfigError(`${where}.${issue.path.join('.')}: ${issue.message}`);
  }
  const c = parsed.data;
  const logger = opts.logger ?? silentLogger;
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const stateKey = `alerting.zalo.tokens.${c.app_id}`;
  const seed = fingerprint(c.refresh_token);
  const apiBase = c.api_url.replace(/\/+$/, '');
  const oauthBase = c.oauth_url.replace(/\/+$/, '');

  let tokens: TokenState | null = null;
  let loading: Promise<TokenState> | null = null;
  let refreshing: Promise<void> | null = null;

  async function load(): Promise<TokenState> {
    if (tokens) return tokens;
    loading ??= (async () => {
      const raw = await opts.store.getState(stateKey);
      let saved: TokenState | null = null;
      if (raw) {
        try {
          saved = JSON.parse(raw) as TokenState;
        } catch {
          logger.warn({ key: stateKey }, 'saved Zalo token state is unreadable; starting from the configured refresh token');
        }
      }
      // a new token in config means the OA was authorized again: it wins over the saved chain
      tokens = saved && saved.seed === seed && saved.refreshToken ? saved : { accessToken: null, refreshToken: c.refresh_token, expiresAt: 0, seed };
      return tokens;
    })().finally(() => {
      loading = null;
    });
    return loading;
  }

  async function doRefresh(): Promise<void> {
    const current = await load();
    let res: Response;
    try {
      res = await fetch(`${oauthBase}/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: c.secret_key },
        body: new URLSearchParams({ refresh_token: current.refreshToken, app_id: c.app_id, grant_type: 'refresh_token' }).toString(),
        signal: AbortSignal.timeout(c.timeout_ms),
      });
    } catch (err) {
      throw new RefreshError(`Zalo OAuth ${oauthBase} unreachable: ${errorText(err)}`, true);
    }
    const text = await res.text().catch(() => '');
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new RefreshError(`Zalo OAuth answered HTTP ${res.status} with a body that is not JSON`, res.status >= 500 || res.status === 429);
    }
    const access = body.access_token;
    const refresh = body.refresh_token;
    if (typeof access !== 'string' || !access || typeof refresh !== 'string' || !refresh) {
      const detail = [body.error, body.error_name, body.error_reason, body.error_description, body.message].filter((v) => v !== undefined && v !== '').join(' / ');
      if (res.status >= 500 || res.status === 429) throw new RefreshError(`Zalo OAuth HTTP ${res.status}: ${detail}`, true);
      // retryable: the messages wait in the outbox until an admin authorizes the OA again and restarts
      throw new RefreshError(
        `Zalo OAuth refused the refresh token (${detail || 'HTTP ' + res.status}); authorize the OA again and set a new refresh token (CANHGAC_ZALO_REFRESH_TOKEN)`,
        true,
      );
    }
    const seconds = Number(body.expires_in);
    const next: TokenState = {
      accessToken: access,
      refreshToken: refresh,
      expiresAt: now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 90_000) * 1000,
      seed,
      refreshedAt: new Date(now()).toISOString(),
    };
    try {
      // saved before use: the old refresh token is already spent
      await opts.store.putState(stateKey, JSON.stringify(next));
    } catch (err) {
      logger.error({ key: stateKey, err: errorText(err) }, 'the new Zalo refresh token could not be saved; it is kept in memory only and a restart will need a new authorization');
    }
    tokens = next;
    logger.info({ appId: c.app_id, expiresAt: new Date(next.expiresAt).toISOString() }, 'Zalo access token refreshed');
  }

  /** Single-flight: concurrent callers share one refresh, so the single-use token is spent once. */
  function refresh(): Promise<void> {
    refreshing ??= doRefresh().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  type Post = { kind: 'answer'; code: number; message: string; messageId?: string } | { kind: 'transport'; error: string; retryAfterMs?: number };

  async function post(accessToken: string, userId: string, text: string): Promise<Post> {
    let res: Response;
    try {
      res = await fetch(`${apiBase}/v3.0/oa/message/cs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token: accessToken },
        body: JSON.stringify({ recipient: { user_id: userId }, message: { text } }),
        signal: AbortSignal.timeout(c.timeout_ms),
      });
    } catch (err) {
      return { kind: 'transport', error: `Zalo API ${apiBase} unreachable: ${errorText(err)}` };
    }
    const raw = await res.text().catch(() => '');
    let body: { error?: unknown; message?: unknown; data?: { message_id?: unknown } } | null = null;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    if (!body || typeof body.error !== 'number') {
      return { kind: 'transport', error: `Zalo API answered HTTP ${res.status} without an error code${raw ? ': ' + raw.slice(0, 200) : ''}` };
    }
    const messageId = body.data && typeof body.data.message_id === 'string' ? body.data.message_id : undefined;
    return { kind: 'answer', code: body.error, message: typeof body.message === 'string' ? body.message : '', messageId };
  }

  async function ensureFresh(): Promise<SendResult | null> {
    const t = await load();
    if (t.accessToken && t.expiresAt - now() > c.refresh_before_ms) return null;
    try {
      await refresh();
      return null;
    } catch (err) {
      const e = err as RefreshError;
      // close to expiry but still valid: keep using it and try the refresh again next time
      if (t.accessToken && t.expiresAt > now()) {
        logger.warn({ appId: c.app_id, err: e.message }, 'Zalo token refresh failed; the current access token is still valid');
        return null;
      }
      return { ok: false, retryable: e.retryable ?? true, error: e.message };
    }
  }

  async function send(n: Notification): Promise<SendResult> {
    try {
      const text = truncate(n.body, ZALO_TEXT_LIMIT);
      const notFresh = await ensureFresh();
      if (notFresh) return notFresh;
      let refreshedForThis = false;
      let rateLimited = 0;
      for (;;) {
        const used = tokens!.accessToken!;
        const r = await post(used, n.recipient, text);
        if (r.kind === 'transport') return { ok: false, retryable: true, error: r.error };
        if (r.code === 0) return { ok: true, providerMessageId: r.messageId };
        if (TOKEN_ERRORS.has(r.code)) {
          if (refreshedForThis) return { ok: false, retryable: false, error: zaloErrorText(r.code, r.message) + ' (still refused after a token refresh)' };
          refreshedForThis = true;
          // another send may have refreshed meanwhile: then just use its token
          if (tokens!.accessToken === used) {
            try {
              await refresh();
            } catch (err) {
              const e = err as RefreshError;
              return { ok: false, retryable: e.retryable ?? true, error: e.message };
            }
          }
          continue;
        }
        if (r.code === RATE_LIMIT) {
          const wait = c.rate_limit_backoff_ms * 2 ** rateLimited;
          if (rateLimited >= c.rate_limit_retries) return { ok: false, retryable: true, error: zaloErrorText(r.code, r.message), retryAfterMs: wait };
          rateLimited++;
          logger.warn({ notification: n.id, waitMs: wait }, 'Zalo rate limit reached; backing off');
          await sleep(wait);
          continue;
        }
        return { ok: false, retryable: TRANSIENT_ERRORS.has(r.code), error: zaloErrorText(r.code, r.message) };
      }
    } catch (err) {
      return { ok: false, retryable: true, error: `Zalo: ${errorText(err)}` };
    }
  }

  /**
   * Refreshes when the access token is missing or near expiry, even with no message to send:
   * the refresh token lapses after 3 months unused. Returns false (and logs why) on failure.
   */
  async function maintain(): Promise<boolean> {
    try {
      const t = await load();
      if (t.accessToken && t.expiresAt - now() > c.refresh_before_ms) return true;
      await refresh();
      return true;
    } catch (err) {
      logger.error({ appId: c.app_id, err: (err as Error).message }, 'Zalo token maintenance failed');
      return false;
    }
  }

  return { name: 'zalo', send, refresh, maintain };
}
