/** canhgac ioc import|list|export and canhgac blocklist add|list|token, on the same store as the running center. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Store } from '../core/store/store';
import { addBlocklistEntry, issueFeedToken } from './blocklist';
import { toCsv, toStixBundle } from './export';
import { FORMATS, readIndicatorFile, storeIndicators, type Format } from './importer';
import { INDICATOR_TYPES, ImportError, isLive, parseTtl } from './indicator';

export const INTEL_USAGE = `canhgac ioc import <file|file://url|misp-feed-folder> --format csv|stix|misp [--tenant <agency>] [--source "..."] [--ttl 30d]
canhgac ioc list [--tenant <agency>] [--type ipv4|ipv6|domain|url|md5|sha1|sha256] [--q <part of value>] [--limit N] [--json]
canhgac ioc export --format stix|csv [--tenant <agency>] [--out FILE]
canhgac blocklist add <agency> <address|range|domain|url> --reason "..." [--ttl 7d] [--incident ID]
canhgac blocklist list <agency>
canhgac blocklist token <agency>      issue the token firewalls pull the feed with (GET /api/blocklists/<agency>)`;

export interface IntelIo {
  stdout(s: string): void;
  stderr(s: string): void;
  openStore(configFile: string | undefined): Promise<Store>;
}

const OPTIONS = {
  config: { type: 'string' }, format: { type: 'string' }, tenant: { type: 'string' }, source: { type: 'string' }, ttl: { type: 'string' },
  type: { type: 'string' }, q: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' },
  reason: { type: 'string' }, incident: { type: 'string' }, by: { type: 'string' },
} as const;

class Usage extends Error {}

export async function intelCli(cmd: 'ioc' | 'blocklist', argv: string[], io: IntelIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (e) {
    io.stderr(`${cmd}: ${(e as Error).message}\n${INTEL_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, ...args] = positionals;
  const known = cmd === 'ioc' ? ['import', 'list', 'export'] : ['add', 'list', 'token'];
  if (!sub || !known.includes(sub)) {
    io.stderr(`${cmd}: ${sub ? `unknown command "${sub}"` : 'which command?'}\n${INTEL_USAGE}`);
    return 2;
  }
  let store: Store | undefined;
  try {
    const open = async () => (store = await io.openStore(values.config));
    if (cmd === 'ioc') return await ioc(sub, args, values, open, io);
    return await blocklist(sub, args, values, open, io);
  } catch (e) {
    if (e instanceof Usage) {
      io.stderr(`${cmd} ${sub}: ${e.message}\n${INTEL_USAGE}`);
      return 2;
    }
    io.stderr(`${cmd} ${sub}: ${(e as Error).message}`);
    return 1;
  } finally {
    await store?.close();
  }
}

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

async function ioc(sub: string, args: string[], v: Values, open: () => Promise<Store>, io: IntelIo): Promise<number> {
  if (sub === 'import') {
    if (!args[0]) throw new Usage('the file to import is missing');
    if (!v.format || !(FORMATS as readonly string[]).includes(v.format)) throw new Usage(`--format must be one of ${FORMATS.join(', ')}`);
    const ttlMs = parseTtl(v.ttl ?? '30d');
    const read = readIndicatorFile(args[0], v.format as Format); // a malformed file stops here, before the store is opened
    const store = await open();
    if (v.tenant && !(await store.getTenant(v.tenant))) throw new Error(`agency "${v.tenant}" does not exist (canhgac tenant list)`);
    const r = await storeIndicators(store, read, { tenant: v.tenant ?? null, source: v.source ?? args[0], ttlMs, now: new Date() });
    io.stdout(`imported ${r.indicators.length} indicators from ${args[0]} (${r.added} new, ${r.updated} updated) for ${v.tenant ?? 'every agency'}; ${r.skipped.length} passed over`);
    for (const s of r.skipped.slice(0, 20)) io.stdout(`  passed over ${s.where}: ${s.reason}`);
    if (r.skipped.length > 20) io.stdout(`  … and ${r.skipped.length - 20} more`);
    return 0;
  }
  const store = await open();
  const tenants = v.tenant ? [v.tenant] : null;
  if (sub === 'list') {
    if (v.type && !(INDICATOR_TYPES as readonly string[]).includes(v.type)) throw new Usage(`--type must be one of ${INDICATOR_TYPES.join(', ')}`);
    const page = await store.listIndicators({ tenants, type: v.type, q: v.q, limit: Number(v.limit ?? 100) });
    if (v.json) return void io.stdout(JSON.stringify(page, null, 2)), 0;
    const now = Date.now();
    for (const i of page.items) io.stdout(`${i.type}\t${i.value}\t${i.tenant ?? '*'}\t${i.source}\t${i.confidence}\t${i.expires ?? 'never'}${isLive(i, now) ? '' : ' (expired)'}\t${i.tags.join(',')}`);
    io.stdout(`${page.items.length} of ${page.total} indicators`);
    return 0;
  }
  // export
  if (v.format !== 'stix' && v.format !== 'csv') throw new Usage('--format must be stix or csv');
  const items = (await store.loadIndicators(new Date().toISOString())).filter((i) => tenants === null || i.tenant === null || tenants.includes(i.tenant));
  const text = v.format === 'stix' ? JSON.stringify(toStixBundle(items), null, 2) + '\n' : toCsv(items);
  if (v.out) {
    writeFileSync(v.out, text);
    io.stderr(`wrote ${items.length} indicators to ${v.out}`);
  } else io.stdout(text);
  return 0;
}

async function blocklist(sub: string, args: string[], v: Values, open: () => Promise<Store>, io: IntelIo): Promise<number> {
  const [agency, value] = args;
  if (!agency) throw new Usage('the agency is missing');
  const store = await open();
  if (sub === 'add') {
    if (!value) throw new Usage('the address, range, domain or URL to block is missing');
    if (!v.reason) throw new Usage('--reason is required (it is kept in the audit log)');
    const e = await addBlocklistEntry(store, { tenant: agency, value, reason: v.reason, ttlMs: parseTtl(v.ttl ?? '30d'), actor: v.by ?? 'cli', incidentId: v.incident ?? null });
    io.stdout(`blocked ${e.value} for ${agency} until ${e.expires ?? 'removed'}: ${e.reason}`);
    return 0;
  }
  if (sub === 'list') {
    const now = Date.now();
    for (const e of await store.listBlocklist(agency)) io.stdout(`${e.type}\t${e.value}\t${e.expires ?? 'never'}${isLive(e, now) ? '' : ' (expired)'}\t${e.added_by}\t${e.reason}`);
    return 0;
  }
  const secret = await issueFeedToken(store, agency);
  io.stdout(`feed token for ${agency} (shown only now): ${secret}\n  curl -H "Authorization: Bearer ${secret}" https://<console>/api/blocklists/${agency}`);
  return 0;
}

export { ImportError };
