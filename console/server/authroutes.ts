/**
 * The caller's own account (a fastify plugin): logout, who am I, a new password, the TOTP
 * second factor. The login itself is loginroute.ts (public, rate-limited).
 */
import { answers, ref } from './schemas';
import type { FastifyPluginAsync } from 'fastify';
import { accessNotifier } from './access';
import { ANY_ROLE } from './routeaccess';
import { cookieValue, endSessions, hashPassword, LOCK_AFTER, logout, passwordProblem, sessionCookie, SESSION_COOKIE, verifyPassword } from './auth';
import { createAccountGate } from './logingate';
import { createLoginLimiter } from './ratelimit';
import { clearTotp, getTotp, newTotpSecret, otpauthUri, putTotp, totpEnabled, verifyTotp } from './totp';
import { principal, type RouteContext } from './routekit';

export const authRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, audit } = ctx;
  const access = accessNotifier(store);
  const totpTries = createLoginLimiter({ maxFailures: LOCK_AFTER, windowSeconds: 15 * 60 });
  const totpGate = createAccountGate({ maxWaiting: 2 * LOCK_AFTER }); // also for password changes: one check of a user's own credentials at a time
  const passwordTries = createLoginLimiter({ maxFailures: LOCK_AFTER, windowSeconds: 15 * 60 });

  const changeTotp = async (username: string, op: 'enable' | 'disable', code: string): Promise<{ ok: true } | { ok: false; status: 400 | 409; error: string }> => {
    const cur = await getTotp(store, username, ctx.secrets);
    if (!cur?.secret) return { ok: false, status: 409, error: 'set up TOTP first (POST /api/auth/totp/setup)' };
    if (op === 'enable' && cur.enabled) return { ok: false, status: 409, error: 'TOTP is on already' };
    if (op === 'disable' && !cur.enabled) return { ok: false, status: 409, error: 'TOTP is off already' };
    const step = verifyTotp(cur.secret, code);
    if (step === null || (cur.lastStep !== undefined && step <= cur.lastStep)) return { ok: false, status: 400, error: 'body/code: wrong or already used authenticator code' };
    if (op === 'enable') await putTotp(store, username, { secret: cur.secret, enabled: true, lastStep: step }, ctx.secrets);
    else await clearTotp(store, username);
    return { ok: true };
  };

  app.post('/api/auth/logout', { config: { access: { roles: ANY_ROLE, scope: 'own' } }, schema: { response: answers(ref('Ok')) } }, async (req, reply) => {
    await logout(store, cookieValue(req.headers.cookie, SESSION_COOKIE));
    await audit(req, 'logout');
    await accessNotifier(store).changed({ username: req.principal!.username, why: 'logout' }); // its WebSocket closes now
    reply.header('Set-Cookie', sessionCookie('', new Date(0), ctx.secureCookies));
    return { ok: true };
  });

  app.get('/api/auth/me', { config: { access: { roles: ANY_ROLE, scope: 'own' } }, schema: { response: answers(ref('Me')) } }, async (req) => {
    const p = req.principal!;
    return { username: p.username, role: p.role, agencies: p.agencies, csrf: p.csrf ?? null, totp: await totpEnabled(store, p.username), via: p.via };
  });

  // ---- the caller's own account: password, TOTP (agencies, tokens and users are in tenantroutes.ts and userroutes.ts)

  // a user changes their own password: the current one is asked for (counted like a login), the other sessions end, this one goes on
  app.post<{ Body: { current: string; password: string } }>(
    '/api/auth/password',
    { config: { access: { roles: ANY_ROLE, scope: 'own', session: true } }, 
      schema: { response: answers(ref('Ok')),
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['current', 'password'],
          properties: { current: { type: 'string', minLength: 1, maxLength: 256 }, password: { type: 'string', minLength: 1, maxLength: 256 } },
        },
      },
    },
    async (req, reply) => {
      const p = principal(req);
      const problem = passwordProblem(req.body.password);
      if (problem) return reply.code(400).send({ error: `body/password: ${problem}` });
      const slot = passwordTries.reserve(p.username);
      if (!slot.ok) return reply.code(429).header('Retry-After', String(slot.retryAfter)).send({ error: `too many wrong current passwords; try again in ${Math.ceil(slot.retryAfter / 60)} minutes` });
      const attempt = totpGate.run(p.username, async () => {
        const u = await store.getUser(p.username);
        if (!u || !(await verifyPassword(u.passwordHash, req.body.current))) return false;
        await store.putUser(await endSessions(store, { ...u, passwordHash: await hashPassword(req.body.password) }, p));
        return true;
      });
      if (!attempt) return reply.code(429).header('Retry-After', '60').send({ error: 'too many password changes at once; try again in a minute' });
      if (!(await attempt)) {
        await audit(req, 'password.change.failed', p.username);
        return reply.code(400).send({ error: 'body/current: not your current password' });
      }
      slot.release();
      await access.changed({ username: p.username, why: 'password changed' });
      await audit(req, 'password.change', p.username, { sessions: 'others ended' });
      return { ok: true };
    },
  );

  app.post('/api/auth/totp/setup', { config: { access: { roles: ANY_ROLE, scope: 'own', session: true } }, schema: { response: answers({ type: 'object', properties: { secret: { type: 'string' }, uri: { type: 'string' } } }) } }, async (req, reply) => {
    const p = principal(req);
    if (await totpEnabled(store, p.username)) return reply.code(409).send({ error: 'TOTP is on already; turn it off first to set a new secret' });
    const secret = newTotpSecret();
    await putTotp(store, p.username, { secret, enabled: false }, ctx.secrets);
    await audit(req, 'totp.setup', p.username);
    return { secret, uri: otpauthUri(p.username, secret) };
  });

  app.post<{ Body: { code: string } }>(
    '/api/auth/totp/:op',
    { config: { access: { roles: ANY_ROLE, scope: 'own', session: true } }, 
      schema: { response: answers({ type: 'object', properties: { totp: { type: 'boolean' } } }),
        params: { type: 'object', properties: { op: { type: 'string', enum: ['enable', 'disable'] } } },
        body: { type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string', pattern: '^[0-9]{6}$' } } },
      },
    },
    async (req, reply) => {
      const p = principal(req);
      const op = (req.params as { op: 'enable' | 'disable' }).op;
      // like a login: the wrong code is counted before it is checked, and one check at a time per user
      const slot = totpTries.reserve(p.username);
      if (!slot.ok) return reply.code(429).header('Retry-After', String(slot.retryAfter)).send({ error: `too many wrong authenticator codes; try again in ${Math.ceil(slot.retryAfter / 60)} minutes` });
      const attempt = totpGate.run(p.username, () => changeTotp(p.username, op, req.body.code));
      if (!attempt) return reply.code(429).header('Retry-After', '60').send({ error: 'too many authenticator codes at once; try again in a minute' });
      const r = await attempt;
      if (r.ok || r.status === 409) slot.release();
      if (!r.ok) {
        if (r.status === 400) await audit(req, `totp.${op}.failed`, p.username);
        return reply.code(r.status).send({ error: r.error });
      }
      if (op === 'disable') {
        // without the second factor, sessions made elsewhere with it end; this one goes on
        const u = await store.getUser(p.username);
        if (u) await store.putUser(await endSessions(store, u, p));
        await access.changed({ username: p.username, why: 'totp disabled' });
      }
      await audit(req, `totp.${op}`, p.username);
      return { totp: op === 'enable' };
    },
  );
};
