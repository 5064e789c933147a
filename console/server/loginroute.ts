/**
 * POST /api/auth/login: the per-address limit and the per-account lockout count each attempt
 * as it arrives, before argon2 checks it (ratelimit.ts, logingate.ts), and refused logins
 * reach the audit log aggregated (loginaudit.ts), every lockout on its own.
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../core/store/store';
import { LOCK_AFTER, login, sessionCookie } from './auth';
import { createAccountGate } from './logingate';
import { createLoginAudit } from './loginaudit';
import { createLoginLimiter } from './ratelimit';
import type { SecretBox } from './secretbox';
import { ref } from './schemas';

export interface LoginRouteOptions {
  store: Store;
  secrets: SecretBox;
  sessionHours: number;
  secureCookies: boolean;
  loginLimit?: { maxFailures: number; windowSeconds: number }; // failed logins per address; default 20 per 5 minutes
}

export function registerLogin(app: FastifyInstance, opts: LoginRouteOptions): void {
  const { store, secrets } = opts;
  const limiter = createLoginLimiter(opts.loginLimit ?? { maxFailures: 20, windowSeconds: 300 });
  const loginAudit = createLoginAudit({ append: (e) => store.appendAudit(e), windowSeconds: 60 });
  app.addHook('onClose', () => loginAudit.close()); // the counts still pending are written
  const accounts = createAccountGate({ maxWaiting: 2 * LOCK_AFTER }); // one attempt at a time per account: the lockout counts every parallel guess

  app.post<{ Body: { username: string; password: string; totp?: string } }>(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        response: { 200: ref('Me'), '4xx': ref('LoginRefusal'), '5xx': ref('Error') },
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 100 },
            password: { type: 'string', minLength: 1, maxLength: 256 },
            totp: { type: 'string', pattern: '^[0-9]{6}$' },
          },
        },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      // reserved synchronously, before the (async) password check: parallel guesses count as they arrive
      const slot = limiter.reserve(req.ip);
      if (!slot.ok) {
        await loginAudit.refused('login.rate_limited', username, req.ip);
        return reply.code(429).header('Retry-After', String(slot.retryAfter)).send({ error: `too many failed logins from ${req.ip}; try again in ${Math.ceil(slot.retryAfter / 60)} minutes` });
      }
      const attempt = accounts.run(username, () => login(store, secrets, username, password, opts.sessionHours, req.body.totp));
      if (!attempt) {
        await loginAudit.refused('login.rate_limited', username, req.ip);
        return reply.code(429).header('Retry-After', '60').send({ error: `too many login attempts for "${username}" at once; try again in a minute` });
      }
      const r = await attempt;
      if (r.ok || r.reason === 'totp_required') slot.release();
      if (!r.ok) {
        if (r.reason === 'totp_required') return reply.code(401).send({ error: 'enter the 6-digit code from your authenticator app', totp_required: true });
        // every lockout is written; the refusals around it are counted per address and name (no flood of the log)
        if (r.lockedNow) await store.appendAudit({ at: new Date().toISOString(), actor: username, action: 'login.locked', ip: req.ip, details: { minutes: Math.round((r.retryAfterSeconds ?? 0) / 60) } });
        else await loginAudit.refused(r.reason === 'locked' ? 'login.refused_locked' : r.reason === 'totp_invalid' ? 'login.totp_failed' : 'login.failed', username, req.ip);
        if (r.reason === 'totp_invalid') return reply.code(401).send({ error: 'wrong or already used authenticator code', totp_required: true });
        if (r.reason === 'locked') return reply.code(429).header('Retry-After', String(r.retryAfterSeconds ?? 900)).send({ error: `too many failed logins; try again in ${Math.ceil((r.retryAfterSeconds ?? 900) / 60)} minutes` });
        return reply.code(401).send({ error: 'wrong username or password' });
      }
      await store.appendAudit({ at: new Date().toISOString(), actor: username, action: 'login', ip: req.ip, details: { totp: !!req.body.totp, agencies: [...r.user.agencies].sort() } });
      reply.header('Set-Cookie', sessionCookie(r.cookie, r.expires, opts.secureCookies));
      return { username: r.user.username, role: r.user.role, agencies: r.user.agencies, csrf: r.csrf, totp: !!req.body.totp };
    },
  );
}
