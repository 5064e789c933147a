/**
 * `canhgac tenant add|list|token`, `canhgac token create|revoke` and `canhgac user add`: the
 * same admin service as the console API (admin.ts), acting as a provincial admin audited as
 * "cli", so a refusal is the same in both (a token revoked twice is refused, not audited twice).
 */
import type { Role } from '../../core/model';
import type { Store } from '../../core/store/store';
import { AdminError, CLI_ACTOR, createAdminService } from './admin';

export interface AdminCliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readPassword: () => Promise<string>;
}

export interface AdminCliArgs {
  positionals: string[]; // [sub, id...]
  name?: string;
  user?: string;
  label?: string;
  role?: string;
  agency?: string[];
  ingestPort?: number;
}

/** Runs one admin command; null when the command is not one of these. Exit codes: 0 done, 1 refused (exists, revoked already), 2 bad usage or unknown name. */
export async function adminCli(store: Store, cmd: string, a: AdminCliArgs, io: AdminCliIo): Promise<number | null> {
  const admin = createAdminService(store);
  const [sub, id] = a.positionals;
  const run = async (what: string, f: () => Promise<void>) => {
    try {
      await f();
      return 0;
    } catch (e) {
      if (!(e instanceof AdminError)) throw e;
      io.stderr(`${what}: ${e.message}`);
      return e.status === 409 || e.status === 403 ? 1 : 2;
    }
  };
  if (cmd === 'tenant' && sub === 'add') {
    if (!a.name) return usage(io, 'tenant add <id> --name "<agency name>"');
    return run('tenant add', async () => {
      const r = await admin.createTenant(CLI_ACTOR, { id: id ?? '', name: a.name!, label: a.label });
      io.stdout(`agency ${r.tenant.id} ("${r.tenant.name}") created`);
      io.stdout(`ingest token (shown once): ${r.token.secret}`);
      io.stdout(`  curl -H "Authorization: Bearer ${r.token.secret}" -H "Content-Type: application/x-ndjson" --data-binary @events.ndjson http://127.0.0.1:${a.ingestPort ?? 8088}/api/v1/ingest`);
    });
  }
  if (cmd === 'tenant' && sub === 'list') {
    for (const t of await admin.listTenants(CLI_ACTOR)) io.stdout(`${t.id}\t${t.name}`);
    return 0;
  }
  if (cmd === 'tenant' && sub === 'token') {
    return run('tenant token', async () => {
      const r = await admin.issueIngestToken(CLI_ACTOR, id ?? '', a.label);
      io.stdout(`ingest token for ${id} (shown once): ${r.secret}`);
    });
  }
  if (cmd === 'token' && sub === 'create') {
    if (!a.user) return usage(io, 'token create --user <name> [--label L]');
    return run('token create', async () => {
      const r = await admin.createApiToken(CLI_ACTOR, a.user!, a.label);
      io.stdout(r.secret);
      io.stderr(`API token ${r.token.id} for ${a.user} (shown once). Use: Authorization: Bearer <token>`);
    });
  }
  if (cmd === 'token' && sub === 'revoke') {
    if (!id) return usage(io, 'token revoke <token-id>');
    return run('token revoke', async () => {
      await admin.changeToken(CLI_ACTOR, id, false);
      io.stdout(`token ${id} revoked`);
    });
  }
  if (cmd === 'user' && sub === 'add') {
    if (!id) return usage(io, 'user add <name> --role admin|analyst|responder|auditor|viewer [--agency ID ...]');
    return run('user add', async () => {
      const input = { username: id, role: (a.role ?? '') as Role, agencies: a.agency ?? [] };
      await admin.checkNewUser(CLI_ACTOR, input, 'agency'); // said before anyone types a password
      const u = await admin.createUser(CLI_ACTOR, { ...input, password: await io.readPassword() }, 'agency');
      io.stdout(`user ${u.username} (${u.role}${u.agencies.length ? ` of ${u.agencies.join(', ')}` : ', all agencies'}) created`);
    });
  }
  return null;
}

function usage(io: AdminCliIo, text: string): number {
  io.stderr(`usage: canhgac ${text}`);
  return 2;
}
