/** canhgac vuln import|list|export: scan findings on the same store as the running center. */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Store } from '../core/store/store';
import type { FindingStatus } from '../core/store/vulns';
import { findingsCsv } from './export';
import { VULN_SEVERITIES, type VulnSeverity } from './finding';
import { importScan, VulnImportError, vulnsOf } from './importer';
import { ScanFileError } from './xml';

export const VULN_USAGE = `canhgac vuln import <file> --format openvas|nessus|nmap --tenant <agency>
canhgac vuln list [--tenant <agency>] [--host <address>] [--severity critical,high] [--status open|closed] [--json]
canhgac vuln export --tenant <agency> [--status open]      findings as CSV on stdout`;

export interface VulnIo {
  stdout(s: string): void;
  stderr(s: string): void;
  openStore(configFile: string | undefined): Promise<Store>;
}

const list = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

export async function vulnCli(argv: string[], io: VulnIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { config: { type: 'string' }, tenant: { type: 'string' }, format: { type: 'string' }, host: { type: 'string' }, severity: { type: 'string' }, status: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (e) {
    io.stderr(`vuln: ${(e as Error).message}\n${VULN_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, file] = positionals;
  if (!sub || !['import', 'list', 'export'].includes(sub)) {
    io.stderr(`vuln: ${sub ? `unknown command "${sub}"` : 'which command?'}\n${VULN_USAGE}\n`);
    return 2;
  }
  const severity = list(values.severity);
  const bad = severity?.find((s) => !VULN_SEVERITIES.includes(s as VulnSeverity));
  if (bad) {
    io.stderr(`vuln ${sub}: --severity "${bad}" is not one of ${VULN_SEVERITIES.join(', ')}\n`);
    return 2;
  }
  if (sub === 'import' && !file) {
    io.stderr(`vuln import: the report file is missing\n${VULN_USAGE}\n`);
    return 2;
  }
  if (sub === 'import') {
    try {
      await access(file);
    } catch {
      io.stderr(`vuln import: cannot read ${file}\n`);
      return 1;
    }
  }
  const store = await io.openStore(values.config);
  try {
    if (sub === 'import') {
      const r = await importScan(store, { tenant: values.tenant ?? '', format: values.format ?? '', file, input: createReadStream(file), by: 'cli' });
      io.stdout(`imported ${file} for ${r.tenant} (${r.source}): ${r.hosts} hosts, ${r.findings} findings; ${r.opened} new, ${r.reopened} reopened, ${r.closed} closed; open now: ${VULN_SEVERITIES.map((s) => `${s} ${r.openBySeverity[s]}`).join(', ')}\n`);
      return 0;
    }
    const tenants = values.tenant ? [values.tenant] : null;
    if (sub === 'export' && !values.tenant) {
      io.stderr('vuln export: --tenant: findings are exported per agency\n');
      return 2;
    }
    const page = await vulnsOf(store).listFindings({ tenants, host: values.host, severity: severity as VulnSeverity[] | undefined, status: list(values.status) as FindingStatus[] | undefined, limit: 1_000_000 });
    if (sub === 'export') io.stdout(findingsCsv(page.items));
    else if (values.json) io.stdout(`${JSON.stringify(page.items, null, 2)}\n`);
    else for (const f of page.items) io.stdout(`${f.tenant}\t${f.host}${f.port ? `:${f.port}/${f.protocol}` : ''}\t${f.severity}\t${f.cvss ?? '-'}\t${f.status}\t${f.cves.join(',') || '-'}\t${f.name}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ScanFileError || e instanceof VulnImportError) {
      io.stderr(`vuln ${sub}: ${e.message}; nothing was imported\n`);
      return 1;
    }
    throw e;
  } finally {
    await store.close();
  }
}
