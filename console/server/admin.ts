/**
 * The administration of agencies, tokens and users, one service behind the console API and
 * the `canhgac tenant|token|user` commands, so both refuse and audit the same way (a token
 * revoked twice is a 409 in both). Tenancy is decided here:
 *  - a provincial admin (no agency) manages everything;
 *  - an agency admin manages only users whose agencies are all its own, only its agencies'
 *    ingest tokens, and can never grant an agency it does not have or a provincial scope;
 *  - anyone manages their own API tokens.
 * Each change is written to the audit log with the agencies it concerns (details.agencies).
 */
import { ROLES, type Role, type Tenant, type TokenRecord, type User } from '../../core/model';
import type { Store } from '../../core/store/store';
import { createToken } from '../../core/tokens';
import { DEFAULT_RETENTION, type RetentionConfig } from '../../core/retention/config-schema';
import { applyChange, effectiveRetention, type RetentionChange } from '../../core/retention/policy';
import { applySharing, hasSharingChange, sharingOf, type SharingChange } from '../../sharing/choice';
import { accessNotifier } from './access';
import { endSessions, hashPassword, passwordProblem, scopeOf, type Principal } from './auth';
import { clearTotp } from './totp';

/** A refusal with the HTTP status the API answers and the message both the API and the CLI say. */
export class AdminError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/** Who acts: a console principal, or the command line (a provincial admin, audited as "cli"). */
export type Actor = Pick<Principal, 'username' | 'role' | 'agencies'> & { via: Principal['via'] | 'cli'; ip?: string | null; sessionId?: string };
export const CLI_ACTOR: Actor = { username: 'cli', role: 'admin', agencies: [], via: 'cli' };

export interface TokenView {
  id: string;
  kind: TokenRecord['kind'];
  subject: string;
  created: string;
  revoked: string | null;
  label: string | null;
}

export interface UserView {
  username: string;
  role: Role;
  agencies: string[];
  disabled: boolean;
}

export const tokenView = (t: TokenRecord): TokenView => ({ id: t.id, kind: t.kind, subject: t.subject, created: t.created, revoked: t.revoked ?? null, label: t.label ?? null });
export const userView = (u: User): UserView => ({ username: u.username, role: u.role, agencies: u.agencies, disabled: !!u.disabled });

export const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const USERNAME = /^[A-Za-z0-9._@-]{1,100}$/;

const isAdmin = (a: Actor) => a.role === 'admin';
const scopeOfActor = (a: Actor) => scopeOf(a);

/** Whether the actor may see and change this agency's things (its ingest tokens, its sources). */
export function managesAgency(a: Actor, tenant: string): boolean {
  const scope = scopeOfActor(a);
  return isAdmin(a) && (scope === null || scope.includes(tenant));
}

/** Whether the actor may see and change this user: a provincial admin any; an agency admin one whose agencies are all its own. */
export function managesUser(a: Actor, u: Pick<User, 'agencies'>): boolean {
  if (!isAdmin(a)) return false;
  const scope = scopeOfActor(a);
  return scope === null || (u.agencies.length > 0 && u.agencies.every((t) => scope.includes(t)));
}

export interface UserInput {
  username: string;
  password: string;
  role: Role;
  agencies?: string[];
}

export interface UserChange {
  role?: Role;
  agencies?: string[];
  disabled?: boolean;
  password?: string;
  totp?: false;
}

export function createAdminService(store: Store, opts: { retention?: Pick<RetentionConfig, 'levels'> } = {}) {
  const retention = opts.retention ?? DEFAULT_RETENTION;
  const access = accessNotifier(store);

  const audit = async (actor: Actor, action: string, target: string, agencies: string[], details: Record<string, unknown>) => {
    await store.appendAudit({ at: new Date().toISOString(), actor: actor.username, action, target, ip: actor.ip ?? null, details: { ...details, agencies: [...new Set(agencies)].sort() } });
  };

  /** The agencies a role may be given by this actor: known ones, within its own scope; none only for a provincial actor. */
  const checkGrant = async (actor: Actor, role: Role, agencies: string[], field: string) => {
    if (!ROLES.includes(role)) throw new AdminError(400, `${field === 'agency' ? '--role' : 'body/role'}: must be one of ${ROLES.join(', ')}`);
    if (role === 'viewer' && !agencies.length) throw new AdminError(400, `${field}: an agency viewer needs at least one agency`);
    for (const t of agencies) if (!(await store.getTenant(t))) throw new AdminError(400, `${field}: no agency "${t}"`);
    const scope = scopeOfActor(actor);
    if (scope === null) return;
    if (!agencies.length) throw new AdminError(403, `${field}: you are scoped to ${scope.join(', ')} and cannot give a provincial scope (all agencies); name your agencies`);
    const beyond = agencies.filter((t) => !scope.includes(t));
    if (beyond.length) throw new AdminError(403, `${field}: you cannot grant agencies you do not have: ${beyond.join(', ')}`);
  };

  const visibleTenant = async (actor: Actor, id: string): Promise<Tenant> => {
    const t = await store.getTenant(id);
    if (!t || !managesAgency(actor, id)) throw new AdminError(404, `no agency "${id}" that you manage`);
    return t;
  };

  const visibleUser = async (actor: Actor, username: string): Promise<User> => {
    const u = await store.getUser(username);
    if (!u || (!managesUser(actor, u) && u.username !== actor.username)) throw new AdminError(404, `no user "${username}" that you manage`);
    return u;
  };

  /** A token the actor may change: its own API tokens, API tokens of users it manages, ingest tokens of agencies it manages. */
  const visibleToken = async (actor: Actor, id: string): Promise<TokenRecord> => {
    const rec = (await store.listTokens({})).find((t) => t.id === id);
    if (rec) {
      if (rec.kind === 'ingest' && managesAgency(actor, rec.subject)) return rec;
      if (rec.kind === 'api' && rec.subject === actor.username) return rec;
      const owner = rec.kind === 'api' ? await store.getUser(rec.subject) : null;
      if (owner && managesUser(actor, owner)) return rec;
    }
    throw new AdminError(404, `no token ${id} that you may change`);
  };

  const tokenAgencies = async (rec: TokenRecord): Promise<string[]> => (rec.kind === 'ingest' ? [rec.subject] : ((await store.getUser(rec.subject))?.agencies ?? []));

  /** Everything about a new user but the password (the CLI asks for it only after these pass). */
  const checkNewUser = async (actor: Actor, input: Omit<UserInput, 'password'>, field = 'body/agencies'): Promise<string[]> => {
    if (!isAdmin(actor)) throw new AdminError(403, 'only admins create users');
    if (!USERNAME.test(input.username)) throw new AdminError(400, 'username: letters, digits, ".", "_", "@", "-" (at most 100)');
    const agencies = [...new Set(input.agencies ?? [])]; // every role can be scoped to agencies; none means all (but a viewer needs one)
    await checkGrant(actor, input.role, agencies, field);
    if (await store.getUser(input.username)) throw new AdminError(409, `user "${input.username}" exists already`);
    return agencies;
  };

  return {
    async createTenant(actor: Actor, input: { id: string; name: string; label?: string }) {
      if (!isAdmin(actor) || scopeOfActor(actor) !== null) throw new AdminError(403, 'only a provincial admin (no agency scope) creates agencies');
      if (!TENANT_ID.test(input.id)) throw new AdminError(400, `id: "${input.id}" must use lower-case letters, digits, "-" and "_" (e.g. so-tttt)`);
      if (await store.getTenant(input.id)) throw new AdminError(409, `agency "${input.id}" exists already`);
      const tenant: Tenant = { id: input.id, name: input.name, created: new Date().toISOString() };
      await store.putTenant(tenant);
      const { secret, record } = await createToken(store, 'ingest', tenant.id, input.label ?? 'created with the agency');
      await audit(actor, 'tenant.create', tenant.id, [tenant.id], { name: tenant.name, token: record.id });
      return { tenant, token: { id: record.id, secret } };
    },

    /**
     * An agency's security level and retention override: admins of the agency (or of the province);
     * below the level's minimum only with a reason. Audited with who, from, to and the reason.
     */
    async changeTenant(actor: Actor, id: string, change: RetentionChange & SharingChange, field: (name: string) => string = (n) => `body/${n}`): Promise<Tenant> {
      const t = await visibleTenant(actor, id);
      const r = applyChange(t, change, retention, field);
      if ('problem' in r) throw new AdminError(400, r.problem);
      const shared = applySharing(r.tenant, change, field); // the sharing choice with the national centre (sharing/choice.ts)
      if ('problem' in shared) throw new AdminError(400, shared.problem);
      const next = shared.tenant;
      await store.putTenant(next);
      const was = effectiveRetention(t, retention);
      const now = effectiveRetention(next, retention);
      await audit(actor, 'tenant.change', id, [id], {
        security_level: { from: t.securityLevel ?? null, to: next.securityLevel ?? null },
        retention_days: { from: t.retentionDays ?? null, to: next.retentionDays ?? null },
        effective_days: { from: was.days, to: now.days },
        minimum_days: now.minimum,
        reason: change.retentionReason?.trim() || undefined,
        ...(hasSharingChange(change) ? { sharing: { from: sharingOf(t), to: sharingOf(next) } } : {}),
      });
      return next;
    },

    async listTenants(actor: Pick<Actor, 'role' | 'agencies'>): Promise<Tenant[]> {
      const scope = scopeOf(actor);
      const all = await store.listTenants();
      return scope === null ? all : all.filter((t) => scope.includes(t.id));
    },

    async listIngestTokens(actor: Actor, tenant: string): Promise<TokenView[]> {
      await visibleTenant(actor, tenant);
      return (await store.listTokens({ kind: 'ingest', subject: tenant })).map(tokenView);
    },

    async issueIngestToken(actor: Actor, tenant: string, label?: string) {
      await visibleTenant(actor, tenant);
      const { secret, record } = await createToken(store, 'ingest', tenant, label);
      await audit(actor, 'token.create', tenant, [tenant], { kind: 'ingest', token: record.id });
      return { token: tokenView(record), secret };
    },

    /** An API token for a user: your own (from a session or the CLI), or, for the CLI, any user's. */
    async createApiToken(actor: Actor, username: string, label?: string) {
      if (actor.via === 'token') throw new AdminError(403, 'API tokens are created from a console session or the CLI, not with a token');
      const user = await store.getUser(username);
      if (!user || (username !== actor.username && actor.via !== 'cli')) throw new AdminError(404, `no user "${username}" to make a token for`);
      const { secret, record } = await createToken(store, 'api', username, label);
      await audit(actor, 'token.create', username, user.agencies, { kind: 'api', token: record.id, label });
      return { token: tokenView(record), secret };
    },

    /** API tokens: the actor's own, or with all, those of every user it manages. */
    async listApiTokens(actor: Actor, all: boolean): Promise<TokenView[]> {
      if (!all || !isAdmin(actor)) return (await store.listTokens({ kind: 'api', subject: actor.username })).map(tokenView);
      const users = new Map((await store.listUsers()).map((u) => [u.username, u]));
      const list = await store.listTokens({ kind: 'api' });
      return list.filter((t) => t.subject === actor.username || (users.has(t.subject) && managesUser(actor, users.get(t.subject)!))).map(tokenView);
    },

    /** Revokes a token (409 when it is revoked already) or rotates it (revoke and replace). */
    async changeToken(actor: Actor, id: string, rotate: boolean) {
      const rec = await visibleToken(actor, id);
      if (rec.revoked && !rotate) throw new AdminError(409, `token ${rec.id} is revoked already (on ${rec.revoked})`);
      if (!rec.revoked) await store.putToken({ ...rec, revoked: new Date().toISOString() });
      const fresh = rotate ? await createToken(store, rec.kind, rec.subject, rec.label ? `${rec.label} (rotated)` : 'rotated') : null;
      await audit(actor, rotate ? 'token.rotate' : 'token.revoke', rec.subject, await tokenAgencies(rec), { kind: rec.kind, token: rec.id, replacement: fresh?.record.id });
      if (rec.kind === 'api') await access.changed({ username: rec.subject, why: 'token revoked' }); // a WebSocket opened with it closes now
      return { revoked: rec.id, ...(fresh ? { token: tokenView(fresh.record), secret: fresh.secret } : {}) };
    },

    /** The users the actor may see: a provincial SOC user every one; a scoped one those of its agencies only (and itself). */
    async listUsers(actor: Actor): Promise<User[]> {
      const scope = scopeOfActor(actor);
      const users = await store.listUsers();
      if (scope === null) return users;
      return users.filter((u) => u.username === actor.username || (u.agencies.length > 0 && u.agencies.every((t) => scope.includes(t))));
    },

    checkNewUser,

    async createUser(actor: Actor, input: UserInput, field = 'body/agencies'): Promise<UserView> {
      const agencies = await checkNewUser(actor, input, field);
      const problem = passwordProblem(input.password);
      if (problem) throw new AdminError(400, `${field === 'agency' ? 'password' : 'body/password'}: ${problem}`);
      if (await store.getUser(input.username)) throw new AdminError(409, `user "${input.username}" exists already`);
      const user: User = { username: input.username, role: input.role, agencies, passwordHash: await hashPassword(input.password), created: new Date().toISOString() };
      await store.putUser(user);
      await audit(actor, 'user.create', user.username, agencies, { role: user.role, scope: agencies.length ? agencies : 'all agencies' });
      return userView(user);
    },

    async changeUser(actor: Actor, username: string, b: UserChange): Promise<UserView> {
      const u = await visibleUser(actor, username);
      if (!managesUser(actor, u)) throw new AdminError(403, `you may not change "${username}"`);
      if (u.username === actor.username && (b.disabled || (b.role && b.role !== 'admin'))) throw new AdminError(400, 'you cannot disable yourself or drop your own admin role');
      const role = b.role ?? u.role;
      const agencies = [...new Set(b.agencies ?? u.agencies)]; // the scope stays unless given; [] makes a SOC role see every agency
      if (b.role !== undefined || b.agencies !== undefined) await checkGrant(actor, role, agencies, 'body/agencies');
      let passwordHash = u.passwordHash;
      if (b.password !== undefined) {
        const problem = passwordProblem(b.password);
        if (problem) throw new AdminError(400, `body/password: ${problem}`);
        passwordHash = await hashPassword(b.password);
      }
      // a new password, a disable or a second-factor reset ends the user's sessions; changing your own password keeps the session you did it from
      const endsSessions = b.password !== undefined || b.disabled === true || b.totp === false;
      const disabled = b.disabled ?? u.disabled ?? false;
      const changed: User = { ...u, role, agencies, disabled, passwordHash, ...(b.disabled === false ? { failedLogins: 0, lockedUntil: null } : {}) };
      const keep = actor.via === 'session' ? ({ ...actor, via: 'session' } as Principal) : undefined;
      await store.putUser(endsSessions ? await endSessions(store, changed, keep) : changed);
      if (b.totp === false) await clearTotp(store, u.username);
      await access.changed({ username: u.username, why: 'user changed' }); // its WebSockets close or take the new scope now
      await audit(actor, 'user.change', u.username, [...u.agencies, ...agencies], {
        role, scope: agencies.length ? agencies : 'all agencies', disabled,
        password: b.password !== undefined ? 'changed' : undefined, totp: b.totp === false ? 'reset' : undefined, sessions: endsSessions ? 'ended' : undefined,
      });
      return userView(changed);
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;

/** What the start did about the `admin` account, said in the banner. */
export type AdminBootstrap =
  | { created: true; generated: false }
  | { created: true; generated: true; password: string }
  | { created: false; reason: string };

/**
 * Makes sure a provincial admin can log in: when no enabled admin without an agency scope
 * exists, `admin` is created with CANHGAC_ADMIN_PASSWORD, or with a generated password on a
 * store that has no user at all. Users added with the CLI before the first start no longer
 * suppress it; when it cannot be created, the reason says what to do.
 */
export async function ensureAdmin(store: Store, env: NodeJS.ProcessEnv, generate: () => string): Promise<AdminBootstrap> {
  const users = await store.listUsers();
  const admins = users.filter((u) => u.role === 'admin' && !u.disabled && u.agencies.length === 0);
  if (admins.length) return { created: false, reason: `log in with an existing admin account (${admins.map((u) => u.username).join(', ')})` };
  const fromEnv = env.CANHGAC_ADMIN_PASSWORD ? env.CANHGAC_ADMIN_PASSWORD : undefined;
  if (!fromEnv && users.length) return { created: false, reason: `no provincial admin account exists (users: ${users.length}); set CANHGAC_ADMIN_PASSWORD and start again to create "admin"` };
  const taken = users.find((u) => u.username === 'admin');
  if (taken) return { created: false, reason: `no provincial admin account exists, and the name "admin" is taken by a ${taken.role}${taken.disabled ? ' (disabled)' : ''}: give it the admin role with "canhgac user" or the console` };
  const password = fromEnv ?? generate();
  const problem = passwordProblem(password);
  if (problem) return { created: false, reason: `CANHGAC_ADMIN_PASSWORD is refused: ${problem}; no admin account was created` };
  await store.putUser({ username: 'admin', role: 'admin', agencies: [], passwordHash: await hashPassword(password), created: new Date().toISOString() });
  await store.appendAudit({ at: new Date().toISOString(), actor: 'canhgac', action: 'user.create', target: 'admin', details: { role: 'admin', bootstrap: true, agencies: [] } });
  return fromEnv ? { created: true, generated: false } : { created: true, generated: true, password };
}
